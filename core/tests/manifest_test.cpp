// SPDX-License-Identifier: Apache-2.0
// Manifest checks: each mistake a plugin author can make gets a message naming the file and
// the field.
#include "seba/manifest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "seba/error.hpp"

namespace seba {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;

json valid() {
    return json::parse(R"({
      "id": "digital_centre", "version": "1.2.0", "api": "1.0",
      "names": {"en": "Digital Centre", "bn": "ডিজিটাল সেন্টার", "uz-Cyrl": "Давлат хизматлари"},
      "capabilities": ["ui", "storage", "outbox", "printer"],
      "channels": ["catalog.services"],
      "events": ["digital_centre.request_created"],
      "settings": [
        {"key": "printer", "type": "choice", "choices": ["58mm", "80mm"], "default": "80mm",
         "label": {"en": "Receipt printer"}},
        {"key": "copies", "type": "integer", "min": 1, "max": 3, "default": 1,
         "label": {"en": "Copies"}},
        {"key": "api_token", "type": "string", "default": "", "secret": true,
         "label": {"en": "Token"}}
      ]})");
}

std::string error_of(const json& manifest) {
    try {
        parse_manifest(manifest.dump(), "plugins/dc/manifest.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Manifest, ValidManifestParsesEveryField) {
    Manifest m = parse_manifest(valid().dump(), "m.json");
    EXPECT_EQ(m.id, "digital_centre");
    EXPECT_EQ(m.api_major, 1u);
    EXPECT_EQ(m.api_minor, 0u);
    EXPECT_EQ(m.name("bn"), "ডিজিটাল সেন্টার");
    EXPECT_EQ(m.name("ru"), "Digital Centre") << "falls back to English";
    EXPECT_TRUE(m.has(Capability::Printer));
    EXPECT_TRUE(m.has(Capability::Ui));
    EXPECT_TRUE(m.pushes("digital_centre.request_created"));
    ASSERT_EQ(m.settings.size(), 3u);
    EXPECT_EQ(m.setting("copies")->check(json(5)), "must be an integer from 1 to 3 (found 5)");
    EXPECT_EQ(m.setting("printer")->check(json("A4")), "must be one of 58mm, 80mm (found \"A4\")");
    EXPECT_TRUE(m.setting("api_token")->secret);
}

TEST(Manifest, EachMistakeIsNamed) {
    struct Case {
        std::function<void(json&)> edit;
        const char* expected;
    };
    const Case cases[] = {
        {[](json& m) { m.erase("id"); }, "id is required"},
        {[](json& m) { m["id"] = "Digital-Centre"; }, "must be 2-32 lower-case letters"},
        {[](json& m) { m["id"] = "dc__x"; }, "have no \"__\""},
        {[](json& m) { m["id"] = "core"; }, "not be \"core\""},
        {[](json& m) { m["version"] = "one"; }, "must be a semantic version"},
        {[](json& m) { m["api"] = 1; }, "api must be a string (found 1)"},
        {[](json& m) { m["api"] = "v1"; }, "must be the Seba API version as major.minor"},
        {[](json& m) { m["names"].erase("en"); }, "names must have an \"en\" entry"},
        {[](json& m) { m["names"]["French"] = "Centre"; },
         "\"French\", which is not a BCP 47 language tag"},
        {[](json& m) { m["capabilities"].push_back("telepathy"); },
         "unknown capability \"telepathy\""},
        {[](json& m) { m["capabilities"].push_back("network"); },
         "asks for \"network\", which Seba does not offer: a plugin reaches the server only "
         "through its outbox"},
        {[](json& m) { m["capabilities"].push_back("raw_imgui"); },
         "asks for \"raw_imgui\", which Seba does not offer: a plugin draws only with the UI kit"},
        {[](json& m) { m["capabilities"].push_back("ui"); }, "lists \"ui\" twice"},
        {[](json& m) { m["events"] = {"request_created"}; }, "must start with the plugin id"},
        {[](json& m) { m["capabilities"] = {"ui"}; }, "\"outbox\" capability is not"},
        {[](json& m) { m["settings"][1]["default"] = 9; },
         "settings.copies.default must be an "
         "integer from 1 to 3 (found 9)"},
        {[](json& m) { m["settings"][0]["type"] = "colour"; }, "must be string, integer"},
        {[](json& m) { m["settings"].push_back(m["settings"][0]); }, "declares \"printer\" twice"},
        {[](json& m) { m["channel"] = {"x"}; }, "channel is not a known field"},
    };
    for (const Case& c : cases) {
        json m = valid();
        c.edit(m);
        EXPECT_THAT(error_of(m),
                    AllOf(HasSubstr("plugins/dc/manifest.json: "), HasSubstr(c.expected)))
            << m.dump();
    }
}

// A pictogram for the plugin's tile, for citizens who read little: optional, and a name the
// font's ligatures can spell or nothing (never a path, markup or capitals drawn as letters).
TEST(Manifest, AnIconIsOptionalAndABadOneIsNamed) {
    json with_icon = valid();
    with_icon["icon"] = "how_to_reg";
    EXPECT_EQ(parse_manifest(with_icon.dump(), "m.json").icon(), "how_to_reg");
    EXPECT_EQ(parse_manifest(valid().dump(), "m.json").icon(), "") << "absent: no pictogram";

    for (const json& bad : {json("Home"), json(""), json("arrow-back"), json("../icons/x.png"),
                            json("home icon"), json(std::string(49, 'a')), json("домой")}) {
        json m = valid();
        m["icon"] = bad;
        EXPECT_THAT(error_of(m), HasSubstr("plugins/dc/manifest.json: icon " + bad.dump() +
                                           " must be a Material Icons name: 1-48 lower-case "
                                           "letters, digits and _"))
            << bad.dump();
    }
    json number = valid();
    number["icon"] = 3;
    EXPECT_THAT(error_of(number), HasSubstr("plugins/dc/manifest.json: icon must be a string"));
    json longest = valid();
    longest["icon"] = std::string(48, 'a');
    EXPECT_NO_THROW(parse_manifest(longest.dump(), "m.json")) << "48 characters are allowed";
}

TEST(Manifest, IconNamesAreLowerCaseLettersDigitsAndUnderscores) {
    EXPECT_TRUE(is_valid_icon_name("volume_up"));
    EXPECT_TRUE(is_valid_icon_name("brightness_6"));
    EXPECT_TRUE(is_valid_icon_name("3d_rotation"));
    EXPECT_FALSE(is_valid_icon_name(""));
    EXPECT_FALSE(is_valid_icon_name("Volume_up"));
    EXPECT_FALSE(is_valid_icon_name("volume up"));
    EXPECT_FALSE(is_valid_icon_name("volume_up\n"));
    EXPECT_FALSE(is_valid_icon_name(std::string_view("home\0x", 6)));
}

TEST(Manifest, SearchIndexesAreNamedForThePluginAndChecked) {
    const json spec = {{"sources", {{{"channel", "catalog.services"}, {"names_field", "name"}}}}};
    json m = valid();
    m["search"] = {{"digital_centre", spec}, {"digital_centre.offices", spec}};
    Manifest parsed = parse_manifest(m.dump(), "m.json");
    EXPECT_EQ(parsed.search_indexes.size(), 2u);
    EXPECT_EQ(parsed.search_indexes.at("digital_centre.offices"), spec);

    m["search"] = {{"portal", spec}};
    EXPECT_THAT(error_of(m), AllOf(HasSubstr("plugins/dc/manifest.json"),
                                   HasSubstr("search.portal"), HasSubstr("\"digital_centre.\"")));
    m["search"] = {{"digital_centre", {{"sources", {{{"channel", "catalog.services"}}}}}}};
    EXPECT_THAT(error_of(m), AllOf(HasSubstr("plugins/dc/manifest.json"),
                                   HasSubstr("search.digital_centre is not a usable index spec"),
                                   HasSubstr("names no name")));
    m["search"] = json::array();
    EXPECT_THAT(error_of(m), HasSubstr("search must be {index name: spec}"));
}

// Civil Service Reform (docs/civil-service.md, API 1.7): which events are each a service
// delivered, and the "survey" capability that lets a plugin emit the exit survey's answers.
TEST(Manifest, ServiceEventsAreSomeOfTheEventsAndSurveyAllowsTheSurveyEvent) {
    json m = valid();
    m["api"] = "1.7";
    m["capabilities"].push_back("survey");
    m["service_events"] = {"digital_centre.request_created"};
    Manifest parsed = parse_manifest(m.dump(), "m.json");
    EXPECT_EQ(parsed.service_events, std::vector<std::string>{"digital_centre.request_created"});
    EXPECT_TRUE(parsed.has(Capability::Survey));
    EXPECT_TRUE(parsed.pushes("tcv.survey")) << "the survey's answers, with \"survey\"";
    EXPECT_TRUE(parsed.pushes("digital_centre.request_created"));
    EXPECT_FALSE(parsed.pushes("tcv.delivered"));

    Manifest without = parse_manifest(valid().dump(), "m.json");
    EXPECT_TRUE(without.service_events.empty()) << "optional";
    EXPECT_FALSE(without.has(Capability::Survey));
    EXPECT_FALSE(without.pushes("tcv.survey")) << "not without the capability";
}

TEST(Manifest, EachMistakeInServiceEventsAndSurveyIsNamed) {
    struct Case {
        std::function<void(json&)> edit;
        const char* expected;
    };
    const Case cases[] = {
        {[](json& m) { m["service_events"] = "digital_centre.request_created"; },
         "service_events must be a list of strings"},
        {[](json& m) { m["service_events"] = {7}; }, "service_events[0] must be a string"},
        {[](json& m) { m["service_events"] = {"digital_centre.request_paid"}; },
         "service_events lists \"digital_centre.request_paid\", which is not one of the "
         "plugin's \"events\""},
        {[](json& m) { m["service_events"] = {"tcv.survey"}; },
         "service_events lists \"tcv.survey\", which is not one of the plugin's \"events\""},
        {[](json& m) {
             m["service_events"] = {"digital_centre.request_created",
                                    "digital_centre.request_created"};
         },
         "service_events lists \"digital_centre.request_created\" twice"},
        {[](json& m) {
             m["capabilities"] = {"ui", "survey"};
         },
         "capability is not"},
        {[](json& m) {
             m.erase("events");
             m["capabilities"] = {"ui", "survey"};
         },
         "capabilities asks for \"survey\" without \"outbox\""},
        {[](json& m) { m["capabilities"].push_back("surveys"); },
         "unknown capability \"surveys\" (known: ui, storage, outbox, printer, credentials, "
         "files, camera, survey)"},
    };
    for (const Case& c : cases) {
        json m = valid();
        c.edit(m);
        EXPECT_THAT(error_of(m),
                    AllOf(HasSubstr("plugins/dc/manifest.json: "), HasSubstr(c.expected)))
            << m.dump();
    }
}

TEST(Manifest, BrokenJsonAndMissingFileAreNamed) {
    try {
        parse_manifest("{\"id\": \"dc\",", "plugins/dc/manifest.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), AllOf(HasSubstr("plugins/dc/manifest.json: not valid JSON at byte")));
    }
    try {
        load_manifest("/nonexistent/manifest.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("/nonexistent/manifest.json: cannot read the manifest"));
    }
}

}  // namespace
}  // namespace seba
