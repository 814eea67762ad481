// SPDX-License-Identifier: Apache-2.0
// The National Portal's directory found as citizens type, the whole way: the demo country
// pack imported into the real server, a kiosk enrolled and pulling over loopback the index
// spec and every channel it names, and the kiosk's search answering from what it kept.
// Each query says in what a citizen typed it and which office must come first.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "seba/catalog.hpp"
#include "seba/search_index.hpp"
#include "seba/server/country_pack.hpp"
#include "server_fixture.hpp"
#include "test_store.hpp"

namespace seba::server {
namespace {

const std::filesystem::path kDemoPack =
    std::filesystem::path(SEBA_SOURCE_DIR) / "assets" / "demo" / "pack" / "pack.json";

class PortalSearch : public SyncTest {
  protected:
    void SetUp() override {
        SyncTest::SetUp();
        import_country_pack(*store_, kDemoPack, false, &files_);
        RunningServer server(*store_);
        SyncClient kiosk = client(server.url());
        kiosk.enroll(code("demo-centre"));
        kiosk.pull(std::string(search::kIndexesChannel));
        for (const std::string& channel : search::indexed_channels(kiosk_db_)) kiosk.pull(channel);
    }

    std::vector<search::Hit> find(const std::string& text, std::size_t limit = 20) {
        search::Query query;
        query.text = text;
        query.limit = limit;
        return search::Search(kiosk_db_).find("portal", query);
    }

    // "geo.bd.unions/3": what a result is, for messages.
    static std::string ref(const search::Hit& hit) {
        return hit.entry.channel + "/" + hit.entry.key;
    }
    std::string first(const std::string& text) {
        std::vector<search::Hit> hits = find(text);
        return hits.empty() ? "nothing found" : ref(hits.front());
    }

    FileStore files_{dir_ / "server-files"};  // the pack's course lessons
};

TEST_F(PortalSearch, TheKioskKeepsTheIndexSpecAndEveryChannelItNames) {
    std::vector<std::string> channels = search::indexed_channels(kiosk_db_);
    for (const char* channel :
         {"geo.bd.divisions", "geo.bd.districts", "geo.bd.upazilas", "geo.bd.unions",
          "geo.uz.regions", "geo.uz.districts", "geo.uz.villages"})
        EXPECT_THAT(channels, ::testing::Contains(channel));
    EXPECT_EQ(catalog::size(kiosk_db_, "geo.bd.unions"), 4540);
}

TEST_F(PortalSearch, Bangla) {
    EXPECT_EQ(first("দেবিদ্বার"), "geo.bd.upazilas/1");
    EXPECT_EQ(first("কুমিল্লা"), "geo.bd.districts/1");
    // Spelling variants: the data writes দক্ষিণ, পুর্ব and নবীপুর.
    EXPECT_EQ(first("দক্ষিন গুনাইঘর"), "geo.bd.unions/3");
    EXPECT_EQ(first("দক্ষিণ গুনাইঘর"), "geo.bd.unions/3");
    EXPECT_EQ(first("লাকসাম পূর্ব"), "geo.bd.unions/93");
    EXPECT_EQ(first("লাকসাম পুর্ব"), "geo.bd.unions/93");
}

TEST_F(PortalSearch, BanglaTypedInLatinLetters) {
    // The union's English name is "South Gunaighor": only its Bangla name says "dakshin".
    EXPECT_EQ(first("dakshin gunaighor"), "geo.bd.unions/3");
    EXPECT_EQ(first("kumilla"), "geo.bd.districts/1");  // the English name says "Cumilla"
    EXPECT_EQ(first("Debidwar"), "geo.bd.upazilas/1");
}

TEST_F(PortalSearch, UzbekLatinWithEveryLetterMark) {
    // The district named exactly so comes before the region whose name starts with it.
    for (const char* typed : {"Farg'ona", "Fargʻona", "Farg’ona", "Farg`ona", "fargona"})
        EXPECT_EQ(first(typed), "geo.uz.districts/185") << typed;
    EXPECT_EQ(first("Farg'ona viloyati"), "geo.uz.regions/13");
}

TEST_F(PortalSearch, UzbekCyrillicAndRussian) {
    EXPECT_EQ(first("Қарши"), "geo.uz.districts/71");
    EXPECT_EQ(first("Бухоро вилояти"), "geo.uz.regions/3");
    EXPECT_EQ(first("Карши"), "geo.uz.districts/71");         // Russian
    EXPECT_EQ(first("Бухарская"), "geo.uz.regions/3");        // Russian
    EXPECT_EQ(first("Фергана"), "geo.uz.districts/185");      // Russian
    EXPECT_EQ(first("Buxoro viloyati"), "geo.uz.regions/3");  // Latin, Cyrillic data alike
}

TEST_F(PortalSearch, PrefixesAsTheCitizenTypesAndTyposOfFourLettersOrMore) {
    EXPECT_EQ(first("Debid"), "geo.bd.upazilas/1");
    EXPECT_EQ(first("Debidwer"), "geo.bd.upazilas/1");  // a typo
    std::vector<search::Hit> typo = find("Debidwer");
    ASSERT_FALSE(typo.empty());
    EXPECT_EQ(typo.front().match, search::Match::Fuzzy);
    std::vector<search::Hit> exact = find("Debidwar");
    ASSERT_FALSE(exact.empty());
    EXPECT_EQ(exact.front().match, search::Match::Exact);
}

TEST_F(PortalSearch, TwoPlacesWithOneNameAreToldApartByTheirPlaceInTheHierarchy) {
    // Three villages are called Oltinkoʻl, in three districts.
    std::vector<search::Hit> hits = find("Oltinko'l");
    std::set<std::string> paths;
    for (const search::Hit& hit : hits) {
        if (hit.entry.kind != "village" || hit.entry.name("uz-Latn") != "Oltinkoʻl") continue;
        ASSERT_EQ(hit.path.size(), 2u) << ref(hit) << ": region and district";
        paths.insert(hit.path[0].name("uz-Latn") + " > " + hit.path[1].name("uz-Latn"));
    }
    EXPECT_EQ(paths.size(), 3u);
    // A union's path goes up to its division.
    std::vector<search::Hit> union3 = find("দক্ষিণ গুনাইঘর");
    ASSERT_FALSE(union3.empty());
    ASSERT_EQ(union3.front().path.size(), 3u);
    EXPECT_EQ(union3.front().path[0].name("en"), "Chattagram");
    EXPECT_EQ(union3.front().path[1].name("en"), "Cumilla");
    EXPECT_EQ(union3.front().path[2].name("en"), "Debidwar");
}

TEST_F(PortalSearch, BadQueriesAnswerQuicklyWithResultsOrNothingNeverAnError) {
    EXPECT_TRUE(find("").empty());
    EXPECT_TRUE(find("   ").empty());
    EXPECT_TRUE(find("😀🙏").empty()) << "emoji only: nothing to search for";
    EXPECT_NO_THROW(find("D"));
    EXPECT_NO_THROW(find(std::string(1024, 'a')));
    EXPECT_NO_THROW(find(std::string(300, 'x') + " দক্ষিণ Бухоро"));
    for (const char* syntax : {"\"", "\"Debidwar", "Debidwar\"", "NEAR(a b)", "Debid*", "-Debidwar",
                               "a OR b", "a AND b", "NOT x", "(((", "^Deb", "name_en:Debidwar",
                               "'; DROP TABLE core__catalog;--", "*", "-", "\"\"\"\""})
        EXPECT_NO_THROW(find(syntax)) << syntax;
    EXPECT_EQ(first("Debid*"), "geo.bd.upazilas/1") << "a star is not syntax, only a mark";
    EXPECT_EQ(first("-Debidwar"), "geo.bd.upazilas/1");
    EXPECT_EQ(first("দেবিদ্বার 😀"), "geo.bd.upazilas/1") << "mixed with emoji";
    EXPECT_EQ(catalog::size(kiosk_db_, "geo.bd.unions"), 4540) << "nothing was dropped";
}

// A spec every kiosk would skip is refused at the pilot's desk, with nothing published.
TEST(PackSearchSpec, ABadIndexSpecIsRefusedAtImportNamingTheFieldAndNothingIsPublished) {
    seba::testing::TempDir dir;
    std::ofstream(dir / "pack.json") << R"({"name": "bad spec", "channels": [
        {"channel": "search.indexes", "file": "indexes.json"}]})";
    std::ofstream(dir / "indexes.json") << R"({"portal": {"sources": [
        {"channel": "geo.places", "tier": 1, "kind": "place",
         "name_fields": {"en": "name"}, "colour": "red"}]}})";
    std::unique_ptr<Store> store = seba::testing::open_test_store(dir.path());
    try {
        import_country_pack(*store, dir / "pack.json", false);
        FAIL() << "a spec with an unknown field was published";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), ::testing::HasSubstr("colour"));
        EXPECT_THAT(e.what(), ::testing::HasSubstr("indexes.json"));
    }
    EXPECT_TRUE(store->channels().empty());
}

}  // namespace
}  // namespace seba::server
