// SPDX-License-Identifier: Apache-2.0
// The search service over the real Bangladesh places, kept page by page as sync keeps them:
// specs checked, entries changed in the page's own commit, ranking, typos, hostile input.
#include "seba/search_index.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "seba/catalog.hpp"
#include "seba/error.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/storage.hpp"
#include "csv.hpp"
#include "temp_dir.hpp"

namespace seba::search {
namespace {

using seba::testing::read_csv;

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

// A channel's whole content as one snapshot page, kept as sync keeps it.
catalog::KeptPage keep_snapshot(Database& db, const std::string& channel,
                                const std::vector<std::pair<std::string, json>>& records) {
    catalog::Page page;
    page.snapshot = page.reset = true;
    page.cursor = "c" + std::to_string(records.size());
    for (const auto& [key, data] : records) page.changes.push_back({key, data.dump()});
    return catalog::keep_page(db, channel, page);
}

catalog::KeptPage keep_changes(Database& db, const std::string& channel,
                               std::vector<catalog::Page::Change> changes) {
    catalog::Page page;
    page.cursor = "d";
    page.changes = std::move(changes);
    return catalog::keep_page(db, channel, page);
}

void keep_places(Database& db, const std::string& name, const std::vector<std::string>& columns) {
    std::vector<std::pair<std::string, json>> records;
    for (const auto& row : read_csv(std::string(SEBA_BD_GEOCODE_DIR) + "/" + name + ".csv")) {
        EXPECT_EQ(row.size(), columns.size()) << name << " " << row[0];
        json record;
        for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i)
            record[columns[i]] = row[i];
        records.emplace_back(row[0], record);
    }
    keep_snapshot(db, "geo.bd." + name, records);
}

const json kPlacesSpec = json::parse(R"({"sources": [
  {"channel": "geo.bd.divisions", "tier": 1, "kind": "division",
   "name_fields": {"en": "name_en", "bn": "name_bn"}},
  {"channel": "geo.bd.districts", "tier": 2, "kind": "district",
   "name_fields": {"en": "name_en", "bn": "name_bn"},
   "parent": {"channel": "geo.bd.divisions", "field": "division_id"}},
  {"channel": "geo.bd.upazilas", "tier": 3, "kind": "upazila",
   "name_fields": {"en": "name_en", "bn": "name_bn"},
   "parent": {"channel": "geo.bd.districts", "field": "district_id"}},
  {"channel": "geo.bd.unions", "tier": 4, "kind": "union",
   "name_fields": {"en": "name_en", "bn": "name_bn"},
   "parent": {"channel": "geo.bd.upazilas", "field": "upazila_id"}}]})");

void publish_spec(Database& db, const std::string& name, const json& spec) {
    keep_changes(db, std::string(kIndexesChannel), {{name, spec.dump()}});
}

void keep_all_places(Database& db) {
    keep_places(db, "divisions", {"id", "name_en", "name_bn", "portal_url"});
    keep_places(db, "districts",
                {"id", "division_id", "name_en", "name_bn", "lat", "lon", "portal_url"});
    keep_places(db, "upazilas", {"id", "district_id", "name_en", "name_bn", "portal_url"});
    keep_places(db, "unions", {"id", "upazila_id", "name_en", "name_bn", "portal_url"});
}

std::vector<std::string> names_of(const std::vector<Entry>& path) {
    std::vector<std::string> out;
    for (const Entry& e : path) out.push_back(e.name("en"));
    return out;
}

// How many hits are named `name` in English (others may follow as fuzzy matches).
std::size_t named(const std::vector<Hit>& hits, const std::string& name) {
    return static_cast<std::size_t>(std::count_if(
        hits.begin(), hits.end(), [&](const Hit& h) { return h.entry.name("en") == name; }));
}

std::int64_t scalar(Database& db, const std::string& sql) {
    Statement q = db.prepare(sql);
    q.step();
    return q.integer(0);
}

class SearchTest : public ::testing::Test {
  protected:
    void SetUp() override { migrate_core(db_); }
    std::vector<Hit> find(const std::string& text, std::size_t limit = 20) {
        return Search(db_).find("portal", Query{text, limit, {}});
    }
    TempDir dir_;
    Database db_ = Database::open(dir_ / "seba.db");
};

// --- specs ---

TEST(IndexSpecTest, ReadsAndWritesTheSameSpec) {
    IndexSpec spec = IndexSpec::from_json("portal", kPlacesSpec);
    ASSERT_EQ(spec.sources.size(), 4u);
    EXPECT_EQ(spec.sources[3].parent, (ParentLink{"geo.bd.upazilas", "upazila_id"}));
    EXPECT_EQ(spec.sources[1].name_fields.at("bn"), "name_bn");
    EXPECT_EQ(IndexSpec::from_json("portal", spec.to_json()), spec);
}

TEST(IndexSpecTest, RefusesMistakesNamingTheIndexAndField) {
    auto problem = [](const std::string& text, const std::string& name = "portal") {
        return error_of([&] { IndexSpec::from_json(name, json::parse(text)); });
    };
    EXPECT_THAT(problem(R"({"sources": [], "extra": 1})"), HasSubstr("extra is not a known field"));
    EXPECT_THAT(problem(R"({"sources": []})"), HasSubstr("sources must be a non-empty list"));
    EXPECT_THAT(
        problem(R"({"sources": [{"channel": "a", "name_fields": {"en": "n"}, "tire": 2}]})"),
        AllOf(HasSubstr("search index \"portal\""), HasSubstr("sources[0].tire")));
    EXPECT_THAT(problem(R"({"sources": [{"channel": "a"}]})"), HasSubstr("names no name"));
    EXPECT_THAT(problem(R"({"sources": [{"channel": "a", "name_fields": {"en": "Name"}}]})"),
                HasSubstr("sources[0].name_fields.en must be a field name"));
    EXPECT_THAT(problem(R"({"sources": [{"channel": "a", "names_field": ")" + std::string(65, 'x') +
                        R"("}]})"),
                HasSubstr("sources[0].names_field"));
    EXPECT_THAT(problem(R"({"sources": [{"channel": "A B", "names_field": "n"}]})"),
                HasSubstr("is not a channel name"));
    EXPECT_THAT(problem(R"({"sources": [{"channel": "a", "names_field": "n", "tier": 0}]})"),
                HasSubstr("tier must be an integer from 1 to 9"));
    EXPECT_THAT(problem(R"({"sources": [{"channel": "a", "names_field": "n", "parent": {}}]})"),
                HasSubstr("sources[0].parent.field is required"));
    EXPECT_THAT(problem(R"({"sources": [{"channel": "a", "names_field": "n"}]})", "Bad Name"),
                HasSubstr("its name must be"));

    json many = {{"sources", json::array()}};
    for (int i = 0; i < 33; ++i)
        many["sources"].push_back({{"channel", "c" + std::to_string(i)}, {"names_field", "n"}});
    EXPECT_THAT(problem(many.dump()), HasSubstr("has 33 sources; at most 32"));
    json fields = json::object();
    for (int i = 0; i < 17; ++i)
        fields["l" + std::string(1, static_cast<char>('a' + i)) + "x"] = "n";
    json wide = {{"sources", {{{"channel", "a"}, {"name_fields", fields}}}}};
    EXPECT_THAT(problem(wide.dump()), HasSubstr("has more than 16 languages"));
}

// --- the real places ---

TEST_F(SearchTest, BangladeshPlacesAreFoundWithTheirPlaceInTheHierarchy) {
    publish_spec(db_, "portal", kPlacesSpec);  // the spec first, then the data page by page
    keep_all_places(db_);  // bench/search_bench measures how long it takes
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM core__search_entries WHERE idx = 'portal'"), 5106);

    std::vector<Hit> hits = find("Subil");
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].entry.name("en"), "Subil");
    EXPECT_EQ(hits[0].entry.name("bn"), "সুবিল");
    EXPECT_EQ(hits[0].entry.kind, "union");
    EXPECT_EQ(hits[0].match, Match::Exact);
    EXPECT_THAT(names_of(hits[0].path), ElementsAre("Chattagram", "Cumilla", "Debidwar"));

    // Fourteen unions are called Durgapur: each says where it is.
    hits = find("durgapur", 50);
    std::set<std::vector<std::string>> places;
    int unions = 0;
    for (const Hit& h : hits) {
        if (h.entry.kind != "union" || h.entry.name("en") != "Durgapur") continue;
        ++unions;
        EXPECT_EQ(h.path.size(), 3u);
        places.insert(names_of(h.path));
    }
    EXPECT_EQ(unions, 14);
    EXPECT_EQ(places.size(), 14u);

    // The upazila ranks above a union of the same name: a higher office tier on a tie.
    hits = find("debidwar");
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].entry.kind, "upazila");

    // Browsing: the divisions at the top, a district's upazilas under it.
    Search search(db_);
    std::vector<Entry> top = search.children("portal", std::nullopt);
    EXPECT_EQ(top.size(), 8u);
    EXPECT_EQ(top[0].name("en"), "Barisal");  // the dataset's spelling
    std::optional<Entry> cumilla = search.entry("portal", "geo.bd.districts", "1");
    ASSERT_TRUE(cumilla);
    EXPECT_EQ(cumilla->data.value("portal_url", ""), "www.comilla.gov.bd");
    std::vector<Entry> upazilas = search.children(
        "portal", std::make_pair(std::string("geo.bd.districts"), std::string("1")));
    EXPECT_EQ(upazilas.size(), 17u);

    std::vector<IndexStatus> status = search.status();
    ASSERT_EQ(status.size(), 1u);
    EXPECT_EQ(status[0].origin, "catalog");
    ASSERT_EQ(status[0].sources.size(), 4u);
    EXPECT_EQ(status[0].sources[3].records, 4540);
    EXPECT_EQ(status[0].sources[3].entries, 4540);
    EXPECT_FALSE(status[0].sources[3].updated_at.empty());
    EXPECT_THAT(indexed_channels(db_), ElementsAre("geo.bd.divisions", "geo.bd.districts",
                                                   "geo.bd.upazilas", "geo.bd.unions"));

    // Where a place's record says where it is (the districts' lat and lon), so does its entry.
    std::vector<Entry> located = Search(db_).located("portal");
    EXPECT_EQ(located.size(), 64u) << "every district, and nothing else";
    auto seat = std::find_if(located.begin(), located.end(),
                             [](const Entry& e) { return e.name("en") == "Cumilla"; });
    ASSERT_NE(seat, located.end());
    ASSERT_TRUE(seat->coordinates);
    EXPECT_NEAR(seat->coordinates->lat, 23.4682747, 1e-6);
    EXPECT_NEAR(seat->coordinates->lon, 91.1788135, 1e-6);
    EXPECT_FALSE(find("Subil")[0].entry.coordinates) << "a union's record has none";
}

TEST_F(SearchTest, ASpecArrivingAfterTheDataIndexesWhatIsKept) {
    keep_all_places(db_);
    EXPECT_TRUE(find("Subil").empty());
    publish_spec(db_, "portal", kPlacesSpec);
    ASSERT_FALSE(find("Subil").empty());
    EXPECT_THAT(names_of(find("Subil")[0].path), ElementsAre("Chattagram", "Cumilla", "Debidwar"));

    // The spec withdrawn: the index goes, and with it its entries.
    keep_changes(db_, std::string(kIndexesChannel), {{"portal", std::nullopt}});
    EXPECT_TRUE(find("Subil").empty());
    EXPECT_TRUE(Search(db_).indexes().empty());
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM core__search_entries"), 0);
}

TEST_F(SearchTest, ABadCatalogSpecIsSkippedAndSyncGoesOn) {
    keep_changes(db_, std::string(kIndexesChannel),
                 {{"portal", json{{"sources", "none"}}.dump()}, {"good", kPlacesSpec.dump()}});
    EXPECT_EQ(Search(db_).indexes(), std::vector<std::string>{"good"});
    EXPECT_EQ(catalog::size(db_, std::string(kIndexesChannel)), 2);
}

TEST_F(SearchTest, RemovedRecordsLeaveSearchInTheSameCommit) {
    publish_spec(db_, "portal", kPlacesSpec);
    keep_all_places(db_);
    ASSERT_EQ(named(find("Subil"), "Subil"), 1u);

    // A tombstone.
    keep_changes(db_, "geo.bd.unions", {{"1", std::nullopt}});
    EXPECT_EQ(named(find("Subil"), "Subil"), 0u);
    // A renamed record is found by its new name only.
    keep_changes(db_, "geo.bd.unions",
                 {{"2", json{{"upazila_id", "1"}, {"name_en", "Gunaighor Uttar"}}.dump()}});
    EXPECT_EQ(named(find("Gunaighor Uttar"), "Gunaighor Uttar"), 1u);
    EXPECT_EQ(named(find("North Gunaighor"), "North Gunaighor"), 0u);
    // A snapshot that no longer names a record sweeps it out.
    keep_snapshot(db_, "geo.bd.divisions",
                  {{"1", {{"name_en", "Chattagram"}}}, {"2", {{"name_en", "Rajshahi"}}}});
    for (const Hit& h : find("Khulna")) EXPECT_NE(h.entry.kind, "division");  // the district stays
    EXPECT_EQ(find("Rajshahi")[0].entry.kind, "division");
    EXPECT_EQ(scalar(db_,
                     "SELECT count(*) FROM core__search_entries WHERE channel = "
                     "'geo.bd.divisions'"),
              2);
}

TEST_F(SearchTest, AFailingPageRollsBackCatalogAndIndexTogether) {
    publish_spec(db_, "portal", kPlacesSpec);
    keep_all_places(db_);
    // The index's write fails midway through the page (after its tombstone was applied).
    db_.exec(
        "CREATE TRIGGER core__test_fail BEFORE INSERT ON core__search_entries "
        "WHEN new.key = '3' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    EXPECT_THAT(error_of([&] {
                    keep_changes(db_, "geo.bd.unions",
                                 {{"1", std::nullopt},
                                  {"3", json{{"upazila_id", "1"}, {"name_en", "Dokkhin"}}.dump()}});
                }),
                HasSubstr("disk trouble"));
    EXPECT_EQ(named(find("Subil"), "Subil"), 1u);
    EXPECT_EQ(named(find("South Gunaighor"), "South Gunaighor"), 1u);
    EXPECT_EQ(named(find("Dokkhin"), "Dokkhin"), 0u);
    EXPECT_TRUE(catalog::record(db_, "geo.bd.unions", "1"));
    EXPECT_EQ(catalog::record(db_, "geo.bd.unions", "3")->value("name_en", ""), "South Gunaighor");
}

// --- ranking ---

TEST_F(SearchTest, ExactBeforePrefixBeforeFuzzyThenTierThenShorterName) {
    publish_spec(db_, "portal", json::parse(R"({"sources": [
        {"channel": "t.offices", "tier": 2, "kind": "office", "names_field": "name"},
        {"channel": "t.regions", "tier": 1, "kind": "region", "names_field": "name"}]})"));
    auto named = [](const std::string& en) { return json{{"name", {{"en", en}}}}; };
    keep_snapshot(db_, "t.offices",
                  {{"a", named("Sonapur Union Office")},
                   {"b", named("Sonapur")},
                   {"c", named("Sonapurhat")},
                   {"d", named("Sonapurbazar Market")},
                   {"e", named("Sanapur")}});
    keep_snapshot(db_, "t.regions", {{"r", named("Sonapur")}});

    std::vector<Hit> hits = find("sonapur");
    std::vector<std::pair<std::string, std::string>> got;
    for (const Hit& h : hits) got.emplace_back(h.entry.name("en"), std::string(to_string(h.match)));
    EXPECT_THAT(got,
                ElementsAre(std::pair<std::string, std::string>{"Sonapur", "exact"},  // tier 1
                            std::pair<std::string, std::string>{"Sonapur", "exact"},
                            std::pair<std::string, std::string>{"Sonapur Union Office", "exact"},
                            std::pair<std::string, std::string>{"Sonapurhat", "prefix"},
                            std::pair<std::string, std::string>{"Sonapurbazar Market", "prefix"},
                            std::pair<std::string, std::string>{"Sanapur", "fuzzy"}));
    EXPECT_EQ(hits[0].entry.kind, "region");
    for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
    EXPECT_GT(hits[1].score, hits[3].score);
    EXPECT_GT(hits[4].score, hits[5].score);

    EXPECT_EQ(Search(db_).find("portal", Query{"sonapur", 20, "region"}).size(), 1u);
    EXPECT_EQ(find("sonapur", 2).size(), 2u);
    EXPECT_EQ(find("sonapur", 100000).size(), 6u);
    EXPECT_TRUE(Search(db_).find("nosuch", Query{"sonapur", 20, {}}).empty());
}

TEST_F(SearchTest, ATypoIsToleratedInWordsOfFourLettersOrMore) {
    publish_spec(db_, "portal", kPlacesSpec);
    keep_all_places(db_);
    std::vector<Hit> hits = find("Debidwer");
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].entry.name("en"), "Debidwar");
    EXPECT_EQ(hits[0].match, Match::Fuzzy);
    // While typing: the typo in the part typed so far.
    hits = find("Debidw");
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].entry.name("en"), "Debidwar");
    hits = find("Dbeidw");  // two letters swapped
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].entry.name("en"), "Debidwar");
    // Three letters are too few to guess from: "Fni" does not become Feni.
    for (const Hit& h : find("Fni")) EXPECT_NE(h.entry.name("en"), "Feni");
    EXPECT_TRUE(find("Fxni").size() >= 1u);  // four letters may
}

// --- input nobody planned for ---

TEST_F(SearchTest, AnyTextReturnsResultsOrNoneWithoutThrowing) {
    publish_spec(db_, "portal", kPlacesSpec);
    keep_all_places(db_);
    const std::vector<std::string> inputs = {"",
                                             " ",
                                             "d",
                                             std::string(1024, 'a'),
                                             std::string(1024, '"'),
                                             "\xF0\x9F\x98\x80\xF0\x9F\x8F\xA0",
                                             "Debidwar দেবিদ্বার Бухоро",
                                             "\"",
                                             "\"debidwar",
                                             "debidwar\"",
                                             "NEAR(debidwar subil)",
                                             "debidwar NEAR subil",
                                             "*",
                                             "deb*",
                                             "-debidwar",
                                             "debidwar -subil",
                                             "AND",
                                             "debidwar AND subil",
                                             "OR",
                                             "debidwar OR subil",
                                             "NOT subil",
                                             "(debidwar",
                                             "debidwar)",
                                             "^debidwar",
                                             "name_en:debidwar",
                                             "folded : x",
                                             "{loose}: deb",
                                             "'; DROP TABLE core__catalog; --",
                                             "\xff\xfe bad utf-8",
                                             std::string("nul\0byte", 8)};
    for (const std::string& text : inputs) {
        std::vector<Hit> hits;
        EXPECT_NO_THROW(hits = find(text)) << text;
    }
    EXPECT_TRUE(find("").empty());
    EXPECT_TRUE(find("\xF0\x9F\x98\x80").empty());
    // The syntax is read as words: these still find Debidwar first.
    for (const char* text : {"\"debidwar", "-debidwar", "^debidwar", "(debidwar", "debidwar*",
                             "debidwar:", "{debidwar}"})
        EXPECT_EQ(find(text).empty() ? "" : find(text)[0].entry.name("en"), "Debidwar") << text;
    // "AND" and "OR" are words to look for, not operators: no place has them.
    EXPECT_TRUE(find("debidwar OR subil").empty());
    EXPECT_EQ(catalog::size(db_, "geo.bd.unions"), 4540);
}

// --- from inside a plugin ---

TEST_F(SearchTest, APluginSearchesButStillCannotReadCoreTables) {
    publish_spec(db_, "portal", kPlacesSpec);
    keep_all_places(db_);
    Manifest m;
    m.id = "portal_view";
    PluginStore store(db_, m);
    std::vector<Hit> hits = store.search().find("portal", Query{"subil", 20, {}});
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].entry.name("en"), "Subil");
    EXPECT_EQ(hits[0].path.size(), 3u);
    EXPECT_TRUE(store.search().entry("portal", "geo.bd.unions", "1"));
    EXPECT_THAT(error_of([&] { store.prepare("SELECT count(*) FROM core__search_entries"); }),
                HasSubstr("may only use its own tables"));
    EXPECT_THAT(error_of([&] { store.prepare("SELECT * FROM core__search_fts"); }),
                HasSubstr("may only use its own tables"));
    EXPECT_THAT(error_of([&] { store.prepare("SELECT data FROM core__catalog"); }),
                HasSubstr("may only use its own tables"));
}

}  // namespace
}  // namespace seba::search
