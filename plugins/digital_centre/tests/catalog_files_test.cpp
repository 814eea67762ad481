// SPDX-License-Identifier: Apache-2.0
// The demo country packs' service catalogs, read the way the plugin reads them: no record
// is skipped, every text is there in all five languages, every form field follows a rule
// the validators know, and every service says where its fees come from.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "service_catalog.hpp"
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
    catalog.finish();
    EXPECT_GE(services, 7) << path;
    for (const Category& c : catalog.categories()) {
        expect_every_language(c.name, "category " + c.id);
        for (const Service* s : catalog.in_category(c.id)) {
            std::string where = "service " + s->id;
            expect_every_language(s->name, where);
            expect_every_language(s->delivery, where + " delivery");
            expect_every_language(s->office, where + " office");
            for (const Translated& d : s->documents) expect_every_language(d, where + " document");
            EXPECT_EQ(s->currency, currency) << where;
            EXPECT_FALSE(s->source.empty()) << where << ": every figure needs its source";
            EXPECT_FALSE(s->form.empty()) << where;
            for (const FormField& f : s->form) {
                expect_every_language(f.label, where + " field " + f.id);
                EXPECT_TRUE(rule_from_name(f.rule)) << where << " field " << f.id << ": " << f.rule;
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

TEST(DemoCatalogs, SearchFindsAServiceByAnyLanguagesNameIgnoringCase) {
    std::ifstream in(SEBA_DC_SERVICES);
    ServiceCatalog catalog;
    for (const nlohmann::json& r : nlohmann::json::parse(in))
        catalog.add(r["key"].get<std::string>(), r);
    catalog.finish();
    for (const char* query : {"জন্ম", "BIRTH", "рождения", "tugʻilgan"}) {
        std::vector<const Service*> found = catalog.search(query);
        ASSERT_FALSE(found.empty()) << query;
        EXPECT_EQ(found.front()->id, "birth_registration") << query;
    }
    EXPECT_TRUE(catalog.search("xyz-no-such").empty());
}

}  // namespace
}  // namespace seba::dc
