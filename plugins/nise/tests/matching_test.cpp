// SPDX-License-Identifier: Apache-2.0
// Opportunities ranked for one citizen with reasons a person can check (docs/nise.md,
// "Matching"): a crafted catalog on Bangladesh's and Uzbekistan's place chains, then the
// whole path on a real kiosk database (catalog channels, the demo pack's directory, the
// guarded clock).
#include "matching.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog.hpp"
#include "match_fixture.hpp"

namespace seba::nise::match_testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using namespace std::chrono;

PlaceChain chain(std::vector<std::string> refs, std::optional<double> lat = {},
                 std::optional<double> lon = {}) {
    PlaceChain c;
    c.country = refs.front().substr(4, 2);
    c.refs = std::move(refs);
    c.lat = lat;
    c.lon = lon;
    return c;
}

// Real refs and district seats of the demo pack: Subil and North Gunaighor unions of
// Debidwar upazila, Barura upazila, all in Cumilla district; Dhaka district; a village of
// Andijon region.
Places crafted_places() {
    const std::string r1 = "geo.bd.divisions/1", d1 = "geo.bd.districts/1",
                      u1 = "geo.bd.upazilas/1";
    const double lat = 23.4682747, lon = 91.1788135;
    return Places(std::map<std::string, PlaceChain, std::less<>>{
        {"geo.bd.unions/1", chain({r1, d1, u1, "geo.bd.unions/1"}, lat, lon)},
        {"geo.bd.unions/2", chain({r1, d1, u1, "geo.bd.unions/2"}, lat, lon)},
        {"geo.bd.upazilas/2", chain({r1, d1, "geo.bd.upazilas/2"}, lat, lon)},
        {"geo.bd.districts/47",
         chain({"geo.bd.divisions/6", "geo.bd.districts/47"}, 23.7115253, 90.4111451)},
        {"geo.uz.villages/217",
         chain({"geo.uz.regions/2", "geo.uz.districts/16", "geo.uz.villages/217"})},
    });
}

Opportunity opportunity(std::string id, std::string place, std::vector<RequiredSkill> skills,
                        std::string closes, int seats, std::string education = "",
                        std::string opens = "") {
    Opportunity o;
    o.id = std::move(id);
    o.title = {{"en", o.id}};
    o.place = std::move(place);
    o.skills = std::move(skills);
    o.closes = std::move(closes);
    o.opens = std::move(opens);
    o.seats = seats;
    o.education = std::move(education);
    return o;
}

// Sorted by id, as Catalog::opportunities() is.
std::vector<Opportunity> crafted_catalog() {
    std::vector<Opportunity> all = {
        opportunity("a-near", "geo.bd.unions/1", {{"spreadsheet", 3}, {"typing-bangla", 2}},
                    "2026-12-15", 3, "secondary"),
        opportunity("b-district", "geo.bd.upazilas/2", {{"spreadsheet", 3}, {"accounts", 3}},
                    "2027-01-05", 10),
        opportunity("c-dhaka", "geo.bd.districts/47", {{"typing-bangla", 1}}, "2027-03-01", 1,
                    "tertiary"),
        opportunity("d-closed", "geo.bd.unions/1", {{"spreadsheet", 3}}, "2026-12-09", 5),
        opportunity("e-not-open", "geo.bd.unions/1", {{"spreadsheet", 3}}, "2026-12-31", 5, "",
                    "2026-12-11"),
        opportunity("f-full", "geo.bd.unions/1", {{"spreadsheet", 3}}, "2026-12-31", 0),
        opportunity("g-uzbekistan", "geo.uz.villages/217", {{"spreadsheet", 3}}, "2026-12-31", 5),
        opportunity("h-no-shared-skill", "geo.bd.unions/1", {{"sewing", 3}}, "2026-12-31", 5),
        opportunity("j-unknown-place", "geo.bd.unions/999", {{"spreadsheet", 1}}, "2027-06-30", 5),
        opportunity("tie-a", "geo.bd.unions/2", {{"spreadsheet", 1}}, "2026-12-31", 2),
        opportunity("tie-b", "geo.bd.unions/2", {{"spreadsheet", 1}}, "2026-12-31", 2),
        opportunity("tie-c", "geo.bd.unions/2", {{"spreadsheet", 1}}, "2026-12-30", 2),
    };
    return all;
}

std::string course_for(std::string_view skill) {
    if (skill == "accounts") return "office-basics";
    if (skill == "sewing") return "tailoring";
    return "";
}

// Verified spreadsheets, said Bangla typing, secondary school, living in Subil union.
Seeker citizen() {
    return {{{"spreadsheet", true}, {"typing-bangla", false}}, "geo.bd.unions/1", "secondary"};
}

std::vector<std::string> ids(const Ranking& r) {
    std::vector<std::string> out;
    for (const Match& m : r.matches) out.push_back(m.opportunity->id);
    return out;
}

class NiseMatching : public ::testing::Test {
  protected:
    std::vector<Opportunity> catalog = crafted_catalog();
    Places places = crafted_places();
    Matcher matcher{catalog, course_for};
    const std::string today = "2026-12-10";
};

TEST_F(NiseMatching, RanksByScoreThenClosingDateThenId) {
    const Ranking r = matcher.rank(citizen(), places, today, 20);
    EXPECT_THAT(ids(r), ElementsAre("a-near", "tie-c", "tie-a", "tie-b", "j-unknown-place",
                                    "b-district", "c-dhaka"));
    EXPECT_EQ(r.considered, 7u);
    EXPECT_EQ(r.hidden_closed, 1u);  // d-closed; not yet open, full and foreign are not "closed"
    // The worked example of docs/nise.md, "Matching".
    EXPECT_NEAR(r.matches[0].score, 0.917, 1e-9);
    EXPECT_NEAR(r.matches[1].score, 0.86, 1e-9);
    EXPECT_EQ(r.matches[1].score, r.matches[3].score);
    EXPECT_NEAR(r.matches[4].score, 0.65, 1e-9);
    EXPECT_NEAR(r.matches[5].score, 0.55, 1e-9);
    EXPECT_NEAR(r.matches[6].score, 0.41, 1e-9);

    // The limit keeps the best; considered still counts them all.
    const Ranking top = matcher.rank(citizen(), places, today, 2);
    EXPECT_THAT(ids(top), ElementsAre("a-near", "tie-c"));
    EXPECT_EQ(top.considered, 7u);
    EXPECT_TRUE(matcher.rank(citizen(), places, today, 0).matches.empty());
}

TEST_F(NiseMatching, FillsTheReasonsExactly) {
    const Ranking r = matcher.rank(citizen(), places, today, 20);
    const Reasons& a = r.matches[0].why;
    EXPECT_NEAR(a.coverage, (3 * 1.0 + 2 * 0.8) / 5, 1e-12);
    EXPECT_EQ(a.have, 2);
    EXPECT_EQ(a.of, 2);
    EXPECT_EQ(a.verified, 1);
    EXPECT_TRUE(a.missing.empty());
    EXPECT_EQ(a.nearness, Nearness::SamePlace);
    ASSERT_TRUE(a.km);
    EXPECT_EQ(*a.km, 0.0);
    EXPECT_EQ(a.days_left, 5);
    EXPECT_EQ(a.seats, 3);
    EXPECT_TRUE(a.education_met);

    const Reasons& b = r.matches[5].why;
    EXPECT_DOUBLE_EQ(b.coverage, 0.5);
    EXPECT_EQ(b.have, 1);
    EXPECT_EQ(b.of, 2);
    EXPECT_EQ(b.verified, 1);
    EXPECT_THAT(b.missing, ElementsAre(Pair("accounts", "office-basics")));
    EXPECT_EQ(b.nearness, Nearness::SameDistrict);
    EXPECT_EQ(b.days_left, 26);
    EXPECT_EQ(b.seats, 10);
    EXPECT_TRUE(b.education_met);  // it asks none

    const Reasons& c = r.matches[6].why;
    EXPECT_DOUBLE_EQ(c.coverage, 0.8);  // said, not shown by a certificate
    EXPECT_EQ(c.verified, 0);
    EXPECT_EQ(c.nearness, Nearness::SameCountry);
    ASSERT_TRUE(c.km);
    EXPECT_NEAR(*c.km, 82.8, 0.5);  // Cumilla to Dhaka
    EXPECT_EQ(c.days_left, 81);
    EXPECT_FALSE(c.education_met);  // tertiary asked, secondary had

    const Reasons& j = r.matches[4].why;
    EXPECT_EQ(j.nearness, Nearness::Elsewhere);  // a place the directory does not know
    EXPECT_FALSE(j.km);

    EXPECT_EQ(r.matches[1].why.nearness, Nearness::SameArea);
}

TEST_F(NiseMatching, MissingSkillsHeaviestFirstWithACourseThatTeachesThem) {
    std::vector<Opportunity> one = {opportunity(
        "mixed", "geo.bd.unions/1",
        {{"sewing", 1}, {"accounts", 3}, {"welding", 2}, {"spreadsheet", 3}, {"ironing", 2}},
        "2026-12-31", 1)};
    Matcher m(one, course_for);
    const std::optional<Match> found = m.explain(citizen(), one[0], places, today);
    ASSERT_TRUE(found);
    EXPECT_THAT(found->why.missing,
                ElementsAre(Pair("accounts", "office-basics"), Pair("welding", ""),
                            Pair("ironing", ""), Pair("sewing", "tailoring")));
    EXPECT_EQ(found->why.have, 1);
    EXPECT_EQ(found->why.of, 5);
    EXPECT_DOUBLE_EQ(found->why.coverage, 3.0 / 11);
}

TEST_F(NiseMatching, ExplainGivesTheSameAsTheRankingOrNothing) {
    const Ranking r = matcher.rank(citizen(), places, today, 20);
    for (const Match& listed : r.matches) {
        const std::optional<Match> one =
            matcher.explain(citizen(), *listed.opportunity, places, today);
        ASSERT_TRUE(one) << listed.opportunity->id;
        EXPECT_EQ(one->score, listed.score);
        EXPECT_EQ(one->why.missing, listed.why.missing);
    }
    for (const char* hidden :
         {"d-closed", "e-not-open", "f-full", "g-uzbekistan", "h-no-shared-skill"}) {
        const auto o = std::find_if(catalog.begin(), catalog.end(),
                                    [&](const Opportunity& x) { return x.id == hidden; });
        EXPECT_FALSE(matcher.explain(citizen(), *o, places, today)) << hidden;
    }
}

TEST_F(NiseMatching, ClosedFromTheDayAfterItsClosingDate) {
    // a-near closes 2026-12-15: listed that day (0 days left), gone the next.
    Ranking r = matcher.rank(citizen(), places, "2026-12-15", 20);
    const auto a = std::find_if(r.matches.begin(), r.matches.end(),
                                [](const Match& m) { return m.opportunity->id == "a-near"; });
    ASSERT_NE(a, r.matches.end());
    EXPECT_EQ(a->why.days_left, 0);
    EXPECT_EQ(r.hidden_closed, 1u);
    r = matcher.rank(citizen(), places, "2026-12-16", 20);
    for (const Match& m : r.matches) EXPECT_NE(m.opportunity->id, "a-near");
    EXPECT_EQ(r.hidden_closed, 2u);  // d-closed and a-near
    // Not yet open the day before it opens; open on the day.
    EXPECT_THAT(ids(matcher.rank(citizen(), places, "2026-12-10", 20)),
                ::testing::Not(::testing::Contains("e-not-open")));
    EXPECT_THAT(ids(matcher.rank(citizen(), places, "2026-12-11", 20)),
                ::testing::Contains("e-not-open"));
}

TEST_F(NiseMatching, ACitizenWithNoSkillsGetsNoList) {
    Seeker none = citizen();
    none.skills.clear();
    const Ranking r = matcher.rank(none, places, today, 20);
    EXPECT_TRUE(r.matches.empty());
    EXPECT_EQ(r.considered, 0u);
    EXPECT_EQ(r.hidden_closed, 0u);

    Seeker unasked = citizen();
    unasked.skills = {{"juggling", true}};
    EXPECT_EQ(matcher.rank(unasked, places, today, 20).considered, 0u);
}

TEST_F(NiseMatching, AnotherCountrysOpportunityIsNeverListed) {
    // Even as the only one sharing a skill, with every seat free and closing soon.
    Seeker sewer = citizen();
    sewer.skills = {{"spreadsheet", true}};
    for (const char* day : {"2026-12-10", "2026-12-30"})
        EXPECT_THAT(ids(matcher.rank(sewer, places, day, 100)),
                    ::testing::Not(::testing::Contains("g-uzbekistan")));
    // A citizen of Andijon sees it, and not Bangladesh's.
    Seeker andijon = sewer;
    andijon.place = "geo.uz.villages/217";
    EXPECT_THAT(ids(matcher.rank(andijon, places, today, 100)), ElementsAre("g-uzbekistan"));
    // A citizen whose place is not known sees every country's, as least near.
    Seeker nowhere = sewer;
    nowhere.place = "";
    const Ranking r = matcher.rank(nowhere, places, today, 100);
    EXPECT_THAT(ids(r), ::testing::Contains("g-uzbekistan"));
    for (const Match& m : r.matches) EXPECT_EQ(m.why.nearness, Nearness::Elsewhere);
}

TEST_F(NiseMatching, UnknownEducationIsNotMet) {
    Seeker unsaid = citizen();
    unsaid.education = "";
    const std::optional<Match> a = matcher.explain(unsaid, catalog[0], places, today);
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->why.education_met);  // a-near asks secondary
    EXPECT_NEAR(a->score, 0.817, 1e-9);
    // One that asks none is met all the same.
    EXPECT_TRUE(matcher.explain(unsaid, catalog[1], places, today)->why.education_met);
}

TEST(NiseScore, WeighsSkillsNearnessClosingAndSeats) {
    Reasons why;
    why.coverage = 1;
    why.nearness = Nearness::SamePlace;
    why.days_left = 0;
    why.seats = 25;
    EXPECT_DOUBLE_EQ(score(why), 1.0);
    why.days_left = 8;
    EXPECT_NEAR(score(why), 0.95, 1e-12);
    why.days_left = 31;
    EXPECT_NEAR(score(why), 0.9, 1e-12);
    why.seats = 4;
    EXPECT_NEAR(score(why), 0.87, 1e-12);
    for (auto [n, value] : {std::pair{Nearness::SameArea, 0.8},
                            {Nearness::SameDistrict, 0.6},
                            {Nearness::SameRegion, 0.3},
                            {Nearness::SameCountry, 0.1},
                            {Nearness::Elsewhere, 0.1}}) {
        why.nearness = n;
        EXPECT_NEAR(score(why), 0.6 + 0.25 * value + 0.02, 1e-12) << to_string(n);
    }
    why.coverage = 0.05;
    why.education_met = false;
    why.seats = 0;
    EXPECT_DOUBLE_EQ(score(why), 0.0);  // never below 0
}

// The whole path on a real kiosk database: the catalog read from its channels, the
// directory's real chains, the course from muktopaath.courses, and today by the guarded clock.
class NiseMatchingOnAKiosk : public KioskDatabase {
  protected:
    void SetUp() override {
        KioskDatabase::SetUp();
        keep_places();
        keep_snapshot(kSkillsChannel, demo_skills());
        json near = good_opportunity();  // Debidwar upazila, closes 2026-12-20
        near.erase("opens");
        json barura = good_opportunity();
        barura["place"] = "geo.bd.upazilas/2";
        barura.erase("lat");
        barura.erase("lon");
        barura["skills"] = json::parse(R"([{"skill": "spreadsheet", "weight": 1},
                                           {"skill": "accounts", "weight": 3}])");
        barura["closes"] = "2027-02-01";
        keep_snapshot(kOpportunitiesChannel, {{"debidwar", near}, {"barura", barura}});
        keep_snapshot(kCoursesChannel, json::parse(R"({
            "bookkeeping-elsewhere": {"title": {"en": "Bookkeeping"}, "skills": ["accounts"],
                                      "centres": ["far-away-1"]},
            "bookkeeping-here": {"title": {"en": "Bookkeeping"}, "skills": ["accounts"],
                                 "centres": ["debidwar-1"]}
        })"));
        catalog.emplace(store, "debidwar-1");
        clock.emplace(store, minutes(360));
    }
    KioskTime dhaka_noon(int y, unsigned m, unsigned d, bool checked) {
        return {sys_days(year_month_day(year(y), month(m), day(d))) + hours(6), checked};
    }

    // Made once the tables and channels are there.
    std::optional<Catalog> catalog;
    std::optional<ClockGuard> clock;
    Places places{store};
};

TEST_F(NiseMatchingOnAKiosk, RanksTheCatalogOnTheRealDirectory) {
    Matcher matcher(*catalog);
    const Seeker seeker{{{"spreadsheet", true}}, "geo.bd.unions/1", "secondary"};
    const Ranking r =
        matcher.rank(seeker, places, clock->today(dhaka_noon(2026, 12, 10, true)), 20);
    ASSERT_THAT(ids(r), ElementsAre("debidwar", "barura"));
    EXPECT_EQ(r.matches[0].why.nearness, Nearness::SamePlace);  // Subil is in Debidwar
    // Its own coordinates, against Cumilla's seat.
    ASSERT_TRUE(r.matches[0].why.km);
    EXPECT_NEAR(*r.matches[0].why.km, 24.2, 0.5);
    EXPECT_EQ(r.matches[1].why.nearness, Nearness::SameDistrict);
    EXPECT_EQ(*r.matches[1].why.km, 0.0);  // both on Cumilla's seat
    // The course enabled at this centre is the one suggested.
    EXPECT_THAT(r.matches[1].why.missing, ElementsAre(Pair("accounts", "bookkeeping-here")));
}

TEST_F(NiseMatchingOnAKiosk, AClockSetBackKeepsAClosedOpportunityHidden) {
    Matcher matcher(*catalog);
    const Seeker seeker{{{"spreadsheet", true}}, "geo.bd.unions/1", "secondary"};
    // Debidwar's closes 2026-12-20: the server vouched for the 21st.
    Ranking r = matcher.rank(seeker, places, clock->today(dhaka_noon(2026, 12, 21, true)), 20);
    EXPECT_THAT(ids(r), ElementsAre("barura"));
    EXPECT_EQ(r.hidden_closed, 1u);
    // A power cut later the clock reads the 15th, and no server is in reach.
    r = matcher.rank(seeker, places, clock->today(dhaka_noon(2026, 12, 15, false)), 20);
    EXPECT_THAT(ids(r), ElementsAre("barura"));
    EXPECT_TRUE(clock->held_back());
    // Nor after a restart of the kiosk.
    ClockGuard restarted(store, minutes(360));
    r = matcher.rank(seeker, places, restarted.today(dhaka_noon(2026, 12, 15, false)), 20);
    EXPECT_THAT(ids(r), ElementsAre("barura"));
}

TEST_F(NiseMatchingOnAKiosk, AnUncheckedJumpForwardHidesOnlyWhileItLasts) {
    Matcher matcher(*catalog);
    const Seeker seeker{{{"spreadsheet", true}}, "geo.bd.unions/1", "secondary"};
    EXPECT_EQ(matcher.rank(seeker, places, clock->today(dhaka_noon(2026, 12, 10, true)), 20)
                  .matches.size(),
              2u);
    // The clock jumps to March unchecked: both look closed while it does...
    EXPECT_TRUE(matcher.rank(seeker, places, clock->today(dhaka_noon(2027, 3, 1, false)), 20)
                    .matches.empty());
    // ...and once it reads right again (here, or after a restart) both are back.
    EXPECT_EQ(matcher.rank(seeker, places, clock->today(dhaka_noon(2026, 12, 11, false)), 20)
                  .matches.size(),
              2u);
    ClockGuard restarted(store, minutes(360));
    EXPECT_EQ(restarted.today(dhaka_noon(2026, 12, 11, false)), "2026-12-11");
}

}  // namespace
}  // namespace seba::nise::match_testing

namespace seba::nise::match_testing {
namespace {

// The demo country pack's NISE channels, kept as a pull keeps them, read whole and ranked.
class NiseDemoPack : public KioskDatabase {
  protected:
    void SetUp() override {
        KioskDatabase::SetUp();
        std::vector<std::string> channels = kPlaceChannels;
        for (const char* c :
             {kCategoriesChannel, kSkillsChannel, kOpportunitiesChannel, kCoursesChannel})
            channels.emplace_back(c);
        keep_places(channels);
        catalog.emplace(store, "debidwar-1");
    }
    std::optional<Catalog> catalog;
    Places places{store};
};

TEST_F(NiseDemoPack, IsReadWholeAndRankedWithinItsCountry) {
    EXPECT_EQ(catalog->categories().size(), 8u);
    EXPECT_EQ(catalog->opportunities().size(), 41u);
    EXPECT_EQ(catalog->skipped(), 0u) << ::testing::PrintToString(catalog->problems());
    EXPECT_FALSE(catalog->courses_teaching("smartphone-basics").empty());

    Matcher matcher(*catalog);
    // A tailor of Subil union, Debidwar, who also says they weld.
    const Seeker tailor{{{"sewing-machine", true}, {"tailoring", false}, {"welding", false}},
                        "geo.bd.unions/1",
                        "primary"};
    const Ranking r = matcher.rank(tailor, places, "2026-12-10", 20);
    ASSERT_FALSE(r.matches.empty());
    EXPECT_EQ(r.considered, r.matches.size());
    EXPECT_EQ(r.hidden_closed, 2u);  // the closed tailor's and welder's jobs
    EXPECT_EQ(r.matches[0].why.nearness, Nearness::SamePlace);
    EXPECT_TRUE(r.matches[0].opportunity->id.starts_with("bd-debidwar-"));
    for (const Match& m : r.matches) {
        EXPECT_TRUE(m.opportunity->id.starts_with("bd-")) << m.opportunity->id;
        EXPECT_FALSE(m.opportunity->id.ends_with("-closed")) << m.opportunity->id;
    }
    EXPECT_THAT(ids(r),
                ::testing::IsSupersetOf({"bd-debidwar-sewing-operator", "bd-savar-sewing-operator",
                                         "bd-muradnagar-welding-apprentice"}));

    // A seamstress of Fergana sees Uzbekistan's only.
    const Seeker seamstress{{{"sewing-machine", true}}, "geo.uz.districts/185", "secondary"};
    const Ranking uz = matcher.rank(seamstress, places, "2026-12-10", 20);
    ASSERT_FALSE(uz.matches.empty());
    for (const Match& m : uz.matches)
        EXPECT_TRUE(m.opportunity->id.starts_with("uz-")) << m.opportunity->id;
    EXPECT_EQ(uz.matches[0].opportunity->id, "uz-fergana-seamstress");
}

}  // namespace
}  // namespace seba::nise::match_testing
