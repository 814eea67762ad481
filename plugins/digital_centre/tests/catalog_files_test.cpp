// SPDX-License-Identifier: Apache-2.0
// The demo country packs' service catalogs, read the way the plugin reads them: no record
// is skipped, every text is there in all five languages, every form field follows a rule
// the catalog has (its own record or a built-in one), every service says where its fees come from,
// and every category and service has a pictogram for citizens who read little.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "seba/catalog.hpp"
#include "seba/manifest.hpp"
#include "seba/search_index.hpp"
#include "seba/storage.hpp"
#include "service_catalog.hpp"
#include "temp_dir.hpp"
#include "validators.hpp"

namespace seba::dc {
namespace {

const char* const kLanguages[] = {"en", "bn", "uz-Latn", "uz-Cyrl", "ru"};

void expect_every_language(const Translated& t, const std::string& where) {
    for (const char* language : kLanguages)
        EXPECT_TRUE(t.by_language.count(language)) << where << " lacks " << language;
}

void check_file(const char* path, const std::string& currency) {
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    nlohmann::json records = nlohmann::json::parse(in);
    ServiceCatalog catalog;
    int services = 0;
    for (const nlohmann::json& r : records) {
        std::optional<std::string> problem = catalog.add(r.at("key").get<std::string>(), r);
        EXPECT_FALSE(problem) << *problem;
        services += r["key"].get<std::string>().starts_with("service/");
    }
    const std::vector<std::string> dropped = catalog.finish();
    EXPECT_TRUE(dropped.empty()) << dropped.front();
    EXPECT_TRUE(catalog.warnings().empty()) << catalog.warnings().front();
    EXPECT_GE(services, 7) << path;
    for (const Category& c : catalog.categories()) {
        expect_every_language(c.name, "category " + c.id);
        EXPECT_FALSE(c.icon.empty()) << "category " << c.id << " has no pictogram";
        for (const Service* s : catalog.in_category(c.id)) {
            std::string where = "service " + s->id;
            expect_every_language(s->name, where);
            EXPECT_FALSE(s->icon.empty()) << where << " has no pictogram";
            expect_every_language(s->delivery, where + " delivery");
            expect_every_language(s->office, where + " office");
            for (const Translated& d : s->documents) expect_every_language(d, where + " document");
            EXPECT_EQ(s->currency, currency) << where;
            EXPECT_FALSE(s->source.empty()) << where << ": every figure needs its source";
            EXPECT_FALSE(s->form.empty()) << where;
            for (const FormField& f : s->form) {
                expect_every_language(f.label, where + " field " + f.id);
                EXPECT_TRUE(catalog.rule(f.rule)) << where << " field " << f.id << ": " << f.rule;
            }
        }
    }
    // Every service sits in a category that exists.
    int listed = 0;
    for (const Category& c : catalog.categories())
        listed += static_cast<int>(catalog.in_category(c.id).size());
    EXPECT_EQ(listed, services) << path << ": a service in an unknown category";
}

TEST(DemoCatalogs, BangladeshServicesReadCompletely) {
    check_file(SEBA_DC_SERVICES, "BDT");
}

TEST(DemoCatalogs, UzbekistanServicesReadCompletely) {
    check_file(SEBA_DC_SERVICES_UZ, "UZS");
}

// The search the plugin declares in its manifest, over the demo catalog kept as sync keeps
// it, in a real database: what the citizen types in any language, script or spelling finds
// the service, best first.
TEST(DemoCatalogs, SearchFindsAServiceByAnyLanguagesNameInAnyScript) {
    testing::TempDir dir;
    Database db = Database::open(dir / "kiosk.db");
    migrate_core(db);
    Manifest manifest = load_manifest(SEBA_DC_MANIFEST);
    ASSERT_EQ(manifest.search_indexes.count("digital_centre"), 1u);
    search::declare(db,
                    search::IndexSpec::from_json("digital_centre",
                                                 manifest.search_indexes.at("digital_centre")),
                    "digital_centre");
    std::ifstream in(SEBA_DC_SERVICES);
    catalog::Page page;
    for (const nlohmann::json& r : nlohmann::json::parse(in))
        page.changes.push_back({r["key"].get<std::string>(), r.dump()});
    page.cursor = "1";
    catalog::keep_page(db, "dc.services", page);

    search::Search search(db);
    // Bangla, upper-case English, Russian's second word, Uzbek Latin with each letter mark,
    // Uzbek Cyrillic, and a typo.
    for (const char* query : {"জন্ম", "BIRTH", "рождения", "tugʻilgan", "tug'ilgan", "tug`ilgan",
                              "tug’ilgan", "Туғилган", "regsitration"}) {
        search::Query q;
        q.text = query;
        std::vector<search::Hit> found = search.find("digital_centre", q);
        ASSERT_FALSE(found.empty()) << query;
        EXPECT_EQ(found.front().entry.key, "service/birth_registration") << query;
    }
    search::Query none;
    none.text = "xyz-no-such";
    EXPECT_TRUE(search.find("digital_centre", none).empty());
}

// A pictogram is read with its record; a bad name costs the pictogram only, never the
// service, and is kept as a warning for the log.
TEST(CatalogIcons, AGoodNameIsKeptAndABadOneIsLeftOutWithAWarning) {
    ServiceCatalog catalog;
    auto record = [](std::string_view extra) {
        return nlohmann::json::parse(fmt::format(
            R"({{"category": "certificates", "names": {{"en": "A service"}},
                "fees": {{"government": 0, "service": 10, "currency": "BDT"}}{}}})",
            extra));
    };
    EXPECT_FALSE(catalog.add("category/certificates",
                             nlohmann::json::parse(R"({"names": {"en": "Certificates"},
                                                       "icon": "description"})")));
    EXPECT_FALSE(catalog.add("category/land", nlohmann::json::parse(R"({"names": {"en": "Land"},
                                                                       "icon": "Land.png"})")));
    EXPECT_FALSE(catalog.add("service/good", record(R"(, "icon": "child_care")")));
    EXPECT_FALSE(catalog.add("service/plain", record("")));
    EXPECT_FALSE(catalog.add("service/spaced", record(R"(, "icon": "child care")")));
    EXPECT_FALSE(catalog.add("service/number", record(R"(, "icon": 7)")));
    EXPECT_FALSE(
        catalog.add("service/long", record(", \"icon\": \"" + std::string(49, 'a') + "\"")));
    // A record skipped for another reason leaves no warning about its pictogram.
    EXPECT_TRUE(catalog.add("service/broken",
                            nlohmann::json::parse(R"({"names": {"en": "Broken"}, "icon": "X"})")));
    catalog.finish();

    ASSERT_EQ(catalog.categories().size(), 2u) << "a bad pictogram never costs the record";
    EXPECT_EQ(catalog.categories()[0].icon, "description");
    EXPECT_EQ(catalog.categories()[1].icon, "");
    EXPECT_EQ(catalog.find("good")->icon, "child_care");
    EXPECT_EQ(catalog.find("plain")->icon, "") << "no icon: none";
    for (const char* id : {"spaced", "number", "long"}) {
        ASSERT_NE(catalog.find(id), nullptr) << id;
        EXPECT_EQ(catalog.find(id)->icon, "") << id;
    }
    ASSERT_EQ(catalog.warnings().size(), 4u) << ::testing::PrintToString(catalog.warnings());
    EXPECT_EQ(catalog.warnings()[0],
              "category/land: icon \"Land.png\" is not a Material Icons name (1-48 lower-case "
              "letters, digits and _); shown without a pictogram");
    EXPECT_EQ(catalog.warnings()[1].rfind("service/spaced: icon \"child care\"", 0), 0u);
    EXPECT_EQ(catalog.warnings()[2].rfind("service/number: icon 7 ", 0), 0u);
    EXPECT_EQ(catalog.warnings()[3].rfind("service/long: ", 0), 0u);
}

// Rule records sit in the same channel: a malformed one is refused with its reason, a service
// whose field names a rule that exists nowhere is dropped with its reason, and a record may
// narrow a built-in rule.
TEST(CatalogRules, RuleRecordsAreReadAndCheckedAgainstTheServices) {
    ServiceCatalog catalog;
    auto service = [](std::string_view rule) {
        return nlohmann::json::parse(fmt::format(
            R"({{"category": "c", "names": {{"en": "A service"}},
                "fees": {{"government": 0, "service": 10, "currency": "NPR"}},
                "form": [{{"id": "f", "rule": "{}", "label": {{"en": "Field"}}}}]}})",
            rule));
    };
    EXPECT_FALSE(catalog.add("category/c", nlohmann::json::parse(R"({"names": {"en": "C"}})")));
    // A service may come before its rule's record: the channel is read in key order, a
    // file in its own.
    EXPECT_FALSE(catalog.add("service/with_id", service("nid_np")));
    EXPECT_FALSE(catalog.add("rule/nid_np", nlohmann::json::parse(R"({"kind": "digits",
        "lengths": [10], "check": {"method": "weighted", "weights": [7, 3, 1]}})")));
    EXPECT_FALSE(catalog.add("rule/name",
                             nlohmann::json::parse(R"({"kind": "letters", "scripts": ["Deva"]})")));
    EXPECT_EQ(catalog.add("rule/phone_np", nlohmann::json::parse(R"({"kind": "phone",
                                                                     "region": "XX"})")),
              "rule/phone_np: region \"XX\" is not a region libphonenumber knows");
    EXPECT_FALSE(catalog.add("service/with_phone", service("phone_np")));
    EXPECT_FALSE(catalog.add("service/with_name", service("name")));
    EXPECT_FALSE(catalog.add("service/with_text", service("text")));
    EXPECT_FALSE(catalog.add("rule/later", nlohmann::json::parse(R"({"kind": "text", "hue": 1})")));

    const std::vector<std::string> dropped = catalog.finish();
    ASSERT_EQ(dropped.size(), 1u) << ::testing::PrintToString(dropped);
    EXPECT_EQ(dropped[0],
              "service/with_phone: field f follows rule \"phone_np\", which is neither a "
              "rule/phone_np record nor a built-in rule (text, name, number, date, past_date)");
    EXPECT_EQ(catalog.find("with_phone"), nullptr);
    ASSERT_NE(catalog.find("with_id"), nullptr);
    EXPECT_NE(catalog.find("with_text"), nullptr);
    EXPECT_EQ(catalog.warnings(),
              std::vector<std::string>{"rule/later: unknown field \"hue\" ignored"});

    // The catalog's rules check what is typed; its "name" is Devanagari only.
    EXPECT_TRUE(check(*catalog.rule("nid_np"), "१२३४५६७८९७", true, "2024-06-15").ok);
    EXPECT_FALSE(check(*catalog.rule("nid_np"), "१२३४५६७८९८", true, "2024-06-15").ok);
    EXPECT_TRUE(check(*catalog.rule("name"), "राम थापा", true, "2024-06-15").ok);
    EXPECT_FALSE(check(*catalog.rule("name"), "Ram Thapa", true, "2024-06-15").ok);
    EXPECT_EQ(catalog.rule("phone_np"), nullptr);
    EXPECT_EQ(catalog.rule("date"), builtin_rule("date"));
}

}  // namespace
}  // namespace seba::dc
