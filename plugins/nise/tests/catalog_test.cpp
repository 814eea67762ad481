// SPDX-License-Identifier: Apache-2.0
// The catalog as the screens read it, from NISE's channels kept in a real kiosk database:
// every rule of docs/nise.md "Catalog channels" refuses a record with its reason and keeps
// the rest; a channel is read again when its cursor moves; skills are found by the search
// index in any script.
#include "catalog.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "match_fixture.hpp"

namespace seba::nise::match_testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> ids(const auto& pointers) {
    std::vector<std::string> out;
    for (const auto* p : pointers) {
        if constexpr (requires { p->course; })
            out.push_back(p->course);
        else
            out.push_back(p->id);
    }
    return out;
}

class NiseCatalog : public KioskDatabase {
  protected:
    void SetUp() override {
        KioskDatabase::SetUp();
        keep_snapshot(kCategoriesChannel, demo_categories());
        keep_snapshot(kSkillsChannel, demo_skills());
    }
};

// Each rule a check, with the reason the operator reads.
TEST(NiseReadOpportunity, RefusesEachBrokenRuleWithItsReason) {
    struct Case {
        const char* field;
        json value;  // null: the field removed
        const char* why;
    };
    const std::vector<Case> cases = {
        {"kind", "internship", "kind is not job, training or apprenticeship"},
        {"title", nullptr, "no title"},
        {"title", json::object({{"en", ""}}), "no title"},
        {"title", "Data entry", "title is not {language: text}"},
        {"title", json::object({{"en", 5}}), "title.en is not text"},
        {"title", json::object({{"en", std::string(401, 'x')}}), "title.en is too long"},
        {"place", nullptr, "no place"},
        {"place", "upazila-1", "place is not <channel>/<key>"},
        {"place", "geo.bd.upazilas/", "place is not <channel>/<key>"},
        {"lat", nullptr, "lat without lon, or lon without lat"},
        {"lat", 91, "lat is out of range"},
        {"lon", "90.9", "lon is not a number"},
        {"skills", nullptr, "no skills"},
        {"skills", json::array(), "no skills"},
        {"skills", json::array({"spreadsheet"}), "a skill is not {skill, weight}"},
        {"skills", json::array({{{"skill", "Spread Sheet"}}}), "a skill is not a skill id"},
        {"skills", json::array({{{"skill", "spreadsheet"}, {"weight", 4}}}),
         "a skill's weight is not 1, 2 or 3"},
        {"skills", json::array({{{"skill", "spreadsheet"}, {"weight", 0}}}),
         "a skill's weight is not 1, 2 or 3"},
        {"skills", json::array({{{"skill", "spreadsheet"}, {"weight", 1.5}}}),
         "a skill's weight is not 1, 2 or 3"},
        {"skills", json::array({{{"skill", "spreadsheet"}}, {{"skill", "spreadsheet"}}}),
         "skill spreadsheet is listed twice"},
        {"education", "phd", "education is not an education level"},
        {"wage", json::object({{"amount", -1}, {"currency", "BDT"}, {"per", "month"}}),
         "wage.amount is out of range"},
        {"wage", json::object({{"amount", 100}, {"currency", "taka"}, {"per", "month"}}),
         "wage.currency is not an ISO 4217 code"},
        {"wage", json::object({{"amount", 100}, {"currency", "BDT"}, {"per", "week"}}),
         "wage.per is not month, day or hour"},
        {"cost", json::object({{"amount", 0}, {"currency", "BDT"}}), "only a training has a cost"},
        {"closes", nullptr, "no closing date"},
        {"closes", "2026-02-30", "closes is not a date (YYYY-MM-DD)"},
        {"closes", "20/12/2026", "closes is not a date (YYYY-MM-DD)"},
        {"opens", "2026-12-21", "opens after it closes"},
        {"opens", "soon", "opens is not a date (YYYY-MM-DD)"},
        {"seats", nullptr, "seats is not a number"},
        {"seats", -1, "seats is out of range"},
        {"seats", 2'000'000, "seats is out of range"},
        {"source", json::array(), "source is not text"},
    };
    for (const Case& c : cases) {
        json data = good_opportunity();
        if (c.value.is_null())
            data.erase(c.field);
        else
            data[c.field] = c.value;
        std::string why;
        EXPECT_FALSE(read_opportunity("op-1", data, &why)) << c.field << " = " << c.value;
        EXPECT_EQ(why, c.why) << c.field << " = " << c.value;
    }

    std::string why;
    json too_many = good_opportunity();
    too_many["skills"] = json::array();
    for (int i = 0; i < 21; ++i) too_many["skills"].push_back({{"skill", "s" + std::to_string(i)}});
    EXPECT_FALSE(read_opportunity("op-1", too_many, &why));
    EXPECT_EQ(why, "more than 20 skills");

    json training = good_opportunity();
    training["kind"] = "training";
    EXPECT_FALSE(read_opportunity("op-1", training, &why));
    EXPECT_EQ(why, "a training has a cost, not a wage");

    EXPECT_FALSE(read_opportunity("Op 1", good_opportunity(), &why));
    EXPECT_EQ(why, "the key is not an id ([a-z0-9._-]{1,64})");
    EXPECT_FALSE(read_opportunity("op-1", json::array({1, 2}), &why));
    EXPECT_EQ(why, "not an object");
}

TEST(NiseReadOpportunity, ReadsEveryField) {
    std::optional<Opportunity> o = read_opportunity("dhk.data-entry_1", good_opportunity());
    ASSERT_TRUE(o);
    EXPECT_EQ(o->id, "dhk.data-entry_1");
    EXPECT_EQ(o->kind, Kind::Job);
    EXPECT_EQ(name_in(o->title, "bn"), "ডেটা এন্ট্রি অপারেটর");
    EXPECT_EQ(name_in(o->organisation, "bn"), "Cumilla Textiles Ltd");
    EXPECT_EQ(o->place, "geo.bd.upazilas/1");
    EXPECT_DOUBLE_EQ(*o->lat, 23.60);
    EXPECT_DOUBLE_EQ(*o->lon, 90.99);
    ASSERT_EQ(o->skills.size(), 2u);
    EXPECT_EQ(o->skills[0].skill, "spreadsheet");
    EXPECT_EQ(o->skills[0].weight, 3);
    EXPECT_EQ(o->education, "secondary");
    ASSERT_TRUE(o->wage);
    EXPECT_EQ(o->wage->amount, 14000);
    EXPECT_EQ(o->wage->currency, "BDT");
    EXPECT_EQ(o->wage->per, "month");
    EXPECT_FALSE(o->cost);
    EXPECT_EQ(o->opens, "2026-12-01");
    EXPECT_EQ(o->closes, "2026-12-20");
    EXPECT_EQ(o->seats, 3);
    EXPECT_EQ(o->source, "Illustrative: written for the tests.");

    // A training: a cost (0 is free), no wage; weight defaults to 1; optional fields absent.
    json t = json::parse(R"({"kind": "training", "title": {"en": "Tailoring"},
        "place": "geo.bd.unions/1", "skills": [{"skill": "sewing"}],
        "cost": {"amount": 0, "currency": "BDT"}, "closes": "2027-01-31", "seats": 0})");
    o = read_opportunity("tailoring", t);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->kind, Kind::Training);
    EXPECT_EQ(o->skills[0].weight, 1);
    ASSERT_TRUE(o->cost);
    EXPECT_EQ(o->cost->amount, 0);
    EXPECT_EQ(o->cost->per, "");
    EXPECT_FALSE(o->lat);
    EXPECT_EQ(o->opens, "");
    EXPECT_EQ(o->education, "");
    EXPECT_EQ(o->seats, 0);
}

TEST(NiseNameIn, FallsBackAsACitizenReadsBest) {
    const Names uz_latin = {{"uz-Latn", "Tikuvchi"}, {"ru", "Швея"}, {"en", "Tailor"}};
    EXPECT_EQ(name_in(uz_latin, "uz-Cyrl"), "Tikuvchi");
    const Names cyrillic = {{"uz-Cyrl", "Тикувчи"}, {"ru", "Швея"}, {"en", "Tailor"}};
    EXPECT_EQ(name_in(cyrillic, "uz-Latn"), "Тикувчи");
    const Names russian = {{"ru", "Швея"}, {"en", "Tailor"}};
    EXPECT_EQ(name_in(russian, "uz-Latn"), "Швея");
    EXPECT_EQ(name_in(russian, "uz-Cyrl"), "Швея");
    EXPECT_EQ(name_in(russian, "bn"), "Tailor");
    EXPECT_EQ(name_in(russian, "en"), "Tailor");
    const Names only_bangla = {{"bn", "দর্জি"}, {"en", ""}};
    EXPECT_EQ(name_in(only_bangla, "ru"), "দর্জি");
    EXPECT_EQ(name_in(Names{}, "en"), "");
}

TEST_F(NiseCatalog, ReadsCategoriesSkillsOpportunitiesAndCourses) {
    keep_snapshot(kOpportunitiesChannel, {{"data-entry", good_opportunity()}});
    keep_snapshot(kCoursesChannel, json::parse(R"({
        "spreadsheets-101": {"title": {"en": "Spreadsheets"}, "skills": ["spreadsheet"],
                             "centres": ["elsewhere-1"]},
        "office-basics": {"title": {"en": "Office basics"},
                          "skills": ["spreadsheet", "typing-bangla", "no-such-skill"]},
        "history": {"title": {"en": "History"}}
    })"));
    Catalog catalog(store, "debidwar-1");

    EXPECT_THAT(ids(std::vector<const SkillCategory*>{
                    &catalog.categories()[0], &catalog.categories()[1], &catalog.categories()[2]}),
                ElementsAre("digital", "zz-first", "garments"));
    ASSERT_TRUE(catalog.category("garments"));
    EXPECT_EQ(catalog.category("garments")->icon, "checkroom");
    ASSERT_TRUE(catalog.skill("spreadsheet"));
    EXPECT_EQ(catalog.skill("spreadsheet")->isco, "4132");
    EXPECT_FALSE(catalog.skill("welding"));
    // By English name: Bookkeeping, Typing in Bangla, Using a spreadsheet.
    EXPECT_THAT(ids(catalog.skills_in("digital")),
                ElementsAre("accounts", "typing-bangla", "spreadsheet"));

    ASSERT_EQ(catalog.opportunities().size(), 1u);
    ASSERT_TRUE(catalog.opportunity("data-entry"));
    EXPECT_EQ(catalog.opportunity("data-entry")->seats, 3);
    EXPECT_FALSE(catalog.opportunity("nothing"));

    // The course enabled here (no "centres": everywhere) before the one enabled elsewhere; a
    // course without skills is MuktoPaath's alone; an unknown skill is dropped.
    EXPECT_THAT(ids(catalog.courses_teaching("spreadsheet")),
                ElementsAre("office-basics", "spreadsheets-101"));
    ASSERT_TRUE(catalog.course("office-basics"));
    EXPECT_THAT(catalog.course("office-basics")->skills,
                ElementsAre("spreadsheet", "typing-bangla"));
    EXPECT_TRUE(catalog.course("office-basics")->here);
    EXPECT_FALSE(catalog.course("spreadsheets-101")->here);
    EXPECT_FALSE(catalog.course("history"));
    EXPECT_EQ(catalog.skipped(), 0u);
}

TEST_F(NiseCatalog, LeavesOutBrokenRecordsCountsAndLogsThemAndShowsTheRest) {
    json bad_weight = good_opportunity();
    bad_weight["skills"][0]["weight"] = 7;
    json unknown_skills = good_opportunity();
    unknown_skills["skills"] = json::parse(R"([{"skill": "welding"}, {"skill": "plumbing"}])");
    json some_unknown = good_opportunity();
    some_unknown["skills"] =
        json::parse(R"([{"skill": "welding", "weight": 3}, {"skill": "sewing", "weight": 1}])");
    keep_snapshot(kOpportunitiesChannel, {{"good", good_opportunity()},
                                          {"bad-weight", bad_weight},
                                          {"unknown-skills", unknown_skills},
                                          {"some-unknown", some_unknown}});
    keep_change(kSkillsChannel, "no-names", {{"category", "digital"}});
    keep_change(kCategoriesChannel, "no-names", {{"icon", "star"}});

    std::vector<std::string> logged;
    Catalog catalog(store, "debidwar-1");
    catalog.on_problem([&](const std::string& line) { logged.push_back(line); });
    // Logged as read: a new cursor makes the channels be read again.
    keep_change(kOpportunitiesChannel, "another-good", good_opportunity());
    ASSERT_TRUE(catalog.refresh());

    EXPECT_THAT(
        ids(std::vector<const Opportunity*>{
            &catalog.opportunities()[0], &catalog.opportunities()[1], &catalog.opportunities()[2]}),
        ElementsAre("another-good", "good", "some-unknown"));
    // The unknown skill is dropped; the record stays with the one the taxonomy has.
    ASSERT_EQ(catalog.opportunity("some-unknown")->skills.size(), 1u);
    EXPECT_EQ(catalog.opportunity("some-unknown")->skills[0].skill, "sewing");
    EXPECT_EQ(catalog.skipped(), 4u);  // 2 opportunities, a skill, a category
    EXPECT_THAT(catalog.problems(),
                ::testing::UnorderedElementsAre(
                    "nise.opportunities/bad-weight: a skill's weight is not 1, 2 or 3",
                    "nise.opportunities/unknown-skills: none of its skills is in nise.skills",
                    "nise.skills/no-names: no names", "nise.skill_categories/no-names: no names"));
    EXPECT_THAT(
        logged,
        ElementsAre("nise.opportunities/bad-weight: a skill's weight is not 1, 2 or 3",
                    "nise.opportunities/unknown-skills: none of its skills is in nise.skills"));
}

TEST_F(NiseCatalog, ReadsAChannelAgainOnlyWhenItsCursorMoves) {
    keep_snapshot(kOpportunitiesChannel, {{"good", good_opportunity()}});
    Catalog catalog(store, "debidwar-1");
    const std::size_t generation = catalog.generation();
    EXPECT_FALSE(catalog.refresh());
    EXPECT_EQ(catalog.generation(), generation);

    json full = good_opportunity();
    full["seats"] = 0;
    keep_change(kOpportunitiesChannel, "good", full);
    EXPECT_TRUE(catalog.refresh());
    EXPECT_NE(catalog.generation(), generation);
    EXPECT_EQ(catalog.opportunity("good")->seats, 0);

    // A removed skill takes the opportunities that asked only for it, at the next refresh.
    keep_change(kSkillsChannel, "spreadsheet", nullptr);
    keep_change(kSkillsChannel, "typing-bangla", nullptr);
    EXPECT_TRUE(catalog.refresh());
    EXPECT_FALSE(catalog.skill("spreadsheet"));
    EXPECT_FALSE(catalog.opportunity("good"));
    EXPECT_EQ(catalog.skipped(), 1u);

    // A tombstone removes; the count of left-out records follows what is left.
    keep_change(kOpportunitiesChannel, "good", nullptr);
    EXPECT_TRUE(catalog.refresh());
    EXPECT_TRUE(catalog.opportunities().empty());
    EXPECT_EQ(catalog.skipped(), 0u);
}

TEST_F(NiseCatalog, FindsSkillsInAnyScriptThroughTheSearchIndex) {
    Catalog catalog(store, "debidwar-1");
    EXPECT_THAT(ids(catalog.find_skills("spread", 10)), ElementsAre("spreadsheet"));
    EXPECT_THAT(ids(catalog.find_skills("স্প্রেড", 10)), ElementsAre("spreadsheet"));
    EXPECT_THAT(ids(catalog.find_skills("বাংলা টা", 10)), ElementsAre("typing-bangla"));
    EXPECT_THAT(ids(catalog.find_skills("Машинное", 10)), ElementsAre("sewing"));
    EXPECT_THAT(ids(catalog.find_skills("spreadshet", 10)), ElementsAre("spreadsheet"));  // a typo
    EXPECT_TRUE(catalog.find_skills("", 10).empty());
    EXPECT_TRUE(catalog.find_skills("\" OR 1 NEAR(*", 10).empty());
    EXPECT_EQ(catalog.find_skills("a", 1).size(), 1u);

    // A skill added later is found once pulled.
    keep_change(kSkillsChannel, "welding",
                {{"category", "trades"}, {"names", {{"en", "Welding"}, {"bn", "ওয়েল্ডিং"}}}});
    catalog.refresh();
    EXPECT_THAT(ids(catalog.find_skills("weld", 10)), ElementsAre("welding"));
}

TEST_F(NiseCatalog, RefusesPastItsLimits) {
    json many = json::object();
    for (int i = 0; i < 205; ++i)
        many["c" + std::to_string(1000 + i)] = {{"names", {{"en", "Category"}}}, {"order", i}};
    keep_snapshot(kCategoriesChannel, many);
    Catalog catalog(store, "debidwar-1");
    EXPECT_EQ(catalog.categories().size(), 200u);
    EXPECT_EQ(catalog.skipped(), 5u);
    EXPECT_EQ(catalog.problems().size(), 5u);
}

}  // namespace
}  // namespace seba::nise::match_testing
