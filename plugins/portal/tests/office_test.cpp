// SPDX-License-Identifier: Apache-2.0
// Office records read defensively; names in the citizen's language with the fallbacks a
// reader of that language manages best; distances on the globe.
#include "office.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "directory.hpp"
#include "portal.hpp"

namespace seba::portal {
namespace {

using nlohmann::json;

TEST(PortalOffice, ABadRecordIsRefusedWithItsReason) {
    std::string refused;
    std::vector<std::string> warnings;
    EXPECT_FALSE(read_office(json::array(), refused, warnings));
    EXPECT_EQ(refused, "the record is not an object");
    EXPECT_FALSE(read_office(json{{"charter", "free"}}, refused, warnings));
    EXPECT_EQ(refused, "charter must be a list");
    EXPECT_FALSE(read_office(json{{"lat", 123.0}, {"lon", 90.0}}, refused, warnings));
    EXPECT_EQ(refused, "lat is out of range");
    EXPECT_FALSE(read_office(json{{"hours", 9}}, refused, warnings));
}

TEST(PortalOffice, ABadCharterEntryIsLeftOutAndTheRestKept) {
    std::string refused;
    std::vector<std::string> warnings;
    json record = {
        {"charter",
         {{{"service", {{"en", "Trade licence"}}}, {"fee", {{"amount", 500}, {"currency", "BDT"}}}},
          {{"fee", 50}},  // no service
          "not an entry",
          {{"service", {{"en", "Citizenship certificate"}}}, {"fee", true}}}},
        {"notices", {{{"date", "2026-01-01"}}}}};
    std::optional<Office> office = read_office(record, refused, warnings);
    ASSERT_TRUE(office) << refused;
    ASSERT_EQ(office->charter.size(), 1u);
    EXPECT_EQ(office->charter[0].service.at("en"), "Trade licence");
    EXPECT_EQ(*office->charter[0].fee->amount, 500);
    EXPECT_TRUE(office->notices.empty());
    ASSERT_EQ(warnings.size(), 4u);
    EXPECT_EQ(warnings[0], "charter #2 left out: has no service");
    EXPECT_EQ(warnings[3], "notices #1 left out: has no title");
}

TEST(PortalOffice, NoticesPastTheirExpiryAreNotCurrent) {
    Office o;
    o.notices = {{{{"en", "old"}}, "2024-04-01", "2024-04-09"},
                 {{{"en", "today"}}, "2026-03-01", "2026-03-10"},
                 {{{"en", "open-ended"}}, "2026-01-01", ""}};
    std::vector<const Notice*> current = o.current_notices("2026-03-10");
    ASSERT_EQ(current.size(), 2u);
    EXPECT_EQ(current[0]->title.at("en"), "today");
    EXPECT_EQ(current[1]->title.at("en"), "open-ended");
    EXPECT_EQ(o.current_notices("2026-03-11").size(), 1u);
}

TEST(PortalOffice, NamesFallBackAsTheCitizenReadsBest) {
    const std::map<std::string, std::string> uz = {
        {"uz-Latn", "Buxoro"}, {"ru", "Бухара"}, {"en", "Bukhara"}};
    EXPECT_EQ(name_in(uz, "uz-Cyrl"), "Buxoro") << "Cyrillic readers read Latin Uzbek first";
    EXPECT_EQ(name_in({{"ru", "Бухара"}, {"en", "Bukhara"}}, "uz-Cyrl"), "Бухара");
    EXPECT_EQ(name_in({{"uz-Cyrl", "Бухоро"}, {"en", "Bukhara"}}, "uz-Latn"), "Бухоро");
    EXPECT_EQ(name_in({{"en", "Cumilla"}, {"bn", "কুমিল্লা"}}, "bn"), "কুমিল্লা");
    EXPECT_EQ(name_in({{"en", "Cumilla"}, {"bn", ""}}, "bn"), "Cumilla");
    EXPECT_EQ(name_in({{"uz-Latn", "Buxoro"}}, "bn"), "Buxoro") << "any name beats none";
    EXPECT_EQ(name_in({{"ru", "Бухара"}, {"uz-Latn", "Buxoro"}}, "bn"), "Buxoro")
        << "a Bangla reader reads Latin letters before Cyrillic";
    EXPECT_EQ(name_in({{"ru", "Бухара"}, {"uz-Latn", "Buxoro"}}, "en"), "Buxoro");
    EXPECT_EQ(name_in({}, "en"), "");
}

TEST(PortalOffice, DetailsDoNotOverrideThePlacesOwnPortalAddress) {
    json merged =
        merge_details({{"portal_url", "debidwar.comilla.gov.bd"}, {"lat", "23.6"}},
                      {{"portal_url", "elsewhere.gov.bd"}, {"lat", 23.61}, {"phone", "1"}});
    EXPECT_EQ(merged["portal_url"], "debidwar.comilla.gov.bd");
    EXPECT_EQ(merged["lat"], 23.61);
    EXPECT_EQ(merged["phone"], "1");
    EXPECT_EQ(merge_details({}, {{"portal_url", "x.gov.bd"}})["portal_url"], "x.gov.bd");
}

TEST(PortalOffice, DistanceIsGreatCircle) {
    // Dhaka to Cumilla: about 80 km as the crow flies.
    EXPECT_NEAR(distance_km(23.8103, 90.4125, 23.4607, 91.1809), 87, 5);
    EXPECT_NEAR(distance_km(0, 0, 0, 180), 20015, 1);
    EXPECT_EQ(km_text(3.14159), "3.1");
    EXPECT_EQ(km_text(87.4), "87");
    EXPECT_TRUE(parse_coordinates("23.6016", "90.9917"));
    EXPECT_FALSE(parse_coordinates("", "90.9917"));
    EXPECT_FALSE(parse_coordinates("north", "90"));
    EXPECT_FALSE(parse_coordinates("91", "90"));
}

// The demo pack's offices file reads without a refusal or a part left out, and every record
// says where its figures come from.
TEST(PortalOffice, TheDemoPacksOfficesReadWholeWithASourceEach) {
    std::ifstream in(SEBA_PORTAL_OFFICES);
    json records = json::parse(in);
    ASSERT_GE(records.size(), 6u);
    for (const json& record : records) {
        SCOPED_TRACE(record.value("key", "?"));
        std::string refused;
        std::vector<std::string> warnings;
        std::optional<Office> office = read_office(record, refused, warnings);
        ASSERT_TRUE(office) << refused;
        EXPECT_TRUE(warnings.empty()) << warnings.front();
        EXPECT_FALSE(office->source.empty());
        for (const CharterEntry& e : office->charter) {
            EXPECT_FALSE(e.source.empty()) << e.service.begin()->second;
            EXPECT_TRUE(e.fee) << e.service.begin()->second;
        }
    }
}

}  // namespace
}  // namespace seba::portal
