// SPDX-License-Identifier: Apache-2.0
// The table of kiosk settings is the one place a key's rule is written: the config file's
// reader, a fleet configuration (the server's check at publish calls refuse_setting too,
// tested in server/tests/pack_test.cpp) and the operator's change (apply_setting) accept
// and refuse the same values with the same words.
#include "seba/kiosk_settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "seba/error.hpp"

namespace seba {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kFleetMay =
    "may set: kiosk.centre, kiosk.languages, kiosk.idle_timeout_s, server.url";

// The smallest config file, with `key` set to `value` (written as TOML: JSON numbers, strings
// and arrays are TOML too).
std::string file_with(const std::string& key, const json& value) {
    std::map<std::string, std::map<std::string, std::string>> sections = {
        {"kiosk", {{"id", "\"k1\""}, {"centre", "\"c1\""}, {"languages", "[\"bn\", \"en\"]"}}},
        {"plugins", {{"dirs", "[\"plugins\"]"}}},
    };
    const auto dot = key.find('.');
    sections[key.substr(0, dot)][key.substr(dot + 1)] = value.dump();
    std::string text;
    for (const auto& [section, lines] : sections) {
        text += "[" + section + "]\n";
        for (const auto& [name, written] : lines) text += name + " = " + written + "\n";
    }
    return text;
}

Config base() {
    return parse_config(file_with("kiosk.id", "k1"), "seba.toml");
}

// What each layer says of one value: "" when it takes it.
struct Said {
    std::string file, fleet, operator_screen;
};

Said say(const std::string& key, const json& value) {
    Said said;
    try {
        Config config = parse_config(file_with(key, value), "seba.toml");
        if (const KioskSetting* setting = find_kiosk_setting(key)) {
            EXPECT_EQ(setting->field.get(config), value) << key << " read back from the file";
        }
    } catch (const ConfigError& e) {
        said.file = e.what();
    }
    said.fleet = refuse_setting(key, value, SettingLayer::Fleet, base());
    Config config = base();
    const Config before = config;
    try {
        apply_setting(config, key, value, SettingLayer::Operator);
        EXPECT_EQ(find_kiosk_setting(key)->field.get(config), value) << key << " as applied";
    } catch (const ConfigError& e) {
        said.operator_screen = e.what();
        EXPECT_EQ(config.idle_timeout_s, before.idle_timeout_s) << "a refusal changes nothing";
        EXPECT_EQ(config.languages, before.languages) << "a refusal changes nothing";
    }
    return said;
}

// Each rule once, on every path: the ends of a range, past them, the wrong type.
TEST(KioskSettings, ARangeIsTheSameForTheFileTheFleetAndTheOperator) {
    for (const json& value : {json(10), json(3600)}) {
        Said said = say("kiosk.idle_timeout_s", value);
        EXPECT_EQ(said.file, "") << value;
        EXPECT_EQ(said.fleet, "") << value;
        EXPECT_EQ(said.operator_screen, "") << value;
    }
    const std::pair<json, std::string> refused[] = {{9, "(found 9)"},
                                                    {3601, "(found 3601)"},
                                                    {"soon", "(found \"soon\")"},
                                                    {60.0, "(found 60.0)"}};
    for (const auto& [value, found] : refused) {
        const std::string message =
            "kiosk.idle_timeout_s must be an integer from 10 to 3600 " + found;
        Said said = say("kiosk.idle_timeout_s", value);
        EXPECT_EQ(said.file, "seba.toml: " + message);
        EXPECT_EQ(said.fleet, message);
        EXPECT_EQ(said.operator_screen, message);
    }
}

TEST(KioskSettings, AListOfChoicesIsTheSameForTheFileTheFleetAndTheOperator) {
    Said taken = say("kiosk.languages", {"uz-Cyrl", "ru"});
    EXPECT_EQ(taken.file + taken.fleet + taken.operator_screen, "");

    const std::string not_offered =
        "kiosk.languages[1] must be a BCP 47 language tag such as \"bn\", \"uz-Latn\" or \"ne\" (found \"French\")";
    Said said = say("kiosk.languages", {"bn", "French"});
    EXPECT_EQ(said.file, "seba.toml: " + not_offered);
    EXPECT_EQ(said.fleet, not_offered);
    EXPECT_EQ(said.operator_screen, not_offered);

    said = say("kiosk.languages", {"en", "en"});
    for (const std::string& message : {said.file, said.fleet, said.operator_screen})
        EXPECT_THAT(message,
                    HasSubstr("kiosk.languages[1] repeats \"en\"; list each language once"));

    // The wrong type, and an empty list; the file says what it found as TOML calls it.
    const std::string rule =
        "kiosk.languages must be a non-empty array of languages";
    said = say("kiosk.languages", json::array());
    EXPECT_EQ(said.file, "seba.toml: " + rule + " (found an empty array)");
    EXPECT_EQ(said.fleet, rule + " (found [])");
    EXPECT_EQ(said.operator_screen, rule + " (found [])");
    said = say("kiosk.languages", "bn");
    EXPECT_EQ(said.fleet, rule + " (found \"bn\")");
    EXPECT_EQ(said.operator_screen, said.fleet);
    EXPECT_EQ(said.file, "seba.toml: " + said.fleet);
}

TEST(KioskSettings, ANamePatternIsTheSameForTheFileTheFleetAndTheOperator) {
    Said longest = say("kiosk.centre", std::string(64, 'c'));
    EXPECT_EQ(longest.file + longest.fleet + longest.operator_screen, "");
    const std::string rule =
        "kiosk.centre must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' "
        "and '-' (found ";
    for (const std::string& bad : {std::string(65, 'c'), std::string("Centre one")}) {
        Said said = say("kiosk.centre", bad);
        EXPECT_THAT(said.file, StartsWith("seba.toml: " + rule));
        EXPECT_THAT(said.fleet, StartsWith(rule));
        EXPECT_THAT(said.operator_screen, StartsWith(rule));
    }
    Said said = say("kiosk.centre", 5);
    EXPECT_EQ(said.fleet, "kiosk.centre must be a string (found 5)");
    EXPECT_EQ(said.operator_screen, said.fleet);
    EXPECT_EQ(said.file, "seba.toml: " + said.fleet);
}

// A value only the kiosk's own file may set, and a key that is none.
TEST(KioskSettings, UnknownKeysAndFileOnlyKeysAreRefusedByTheFleetAndTheOperator) {
    Said said = say("kiosk.retention_days", 365);
    EXPECT_EQ(said.file, "");
    EXPECT_EQ(said.fleet,
              "kiosk.retention_days is not among the settings a fleet configuration " + kFleetMay);
    EXPECT_EQ(said.operator_screen,
              "kiosk.retention_days is not among the settings the operator " + kFleetMay);
    EXPECT_THAT(say("kiosk.retention_days", 366).file,
                HasSubstr("kiosk.retention_days must be an integer from 1 to 365 (found 366)"));

    said = say("kiosk.colour", "red");
    EXPECT_EQ(said.file, "seba.toml: unknown key kiosk.colour");
    EXPECT_EQ(said.fleet,
              "kiosk.colour is not among the settings a fleet configuration " + kFleetMay);
    EXPECT_EQ(said.operator_screen,
              "kiosk.colour is not among the settings the operator " + kFleetMay);
    EXPECT_EQ(say("kiosk.idle_timout_s", 60).file,
              "seba.toml: unknown key kiosk.idle_timout_s (did you mean kiosk.idle_timeout_s?)");

    // Whatever a fleet file holds, the message stays one short line.
    EXPECT_THAT(refuse_setting(std::string(500, 'x') + "\n", 1, SettingLayer::Fleet, base()),
                StartsWith("\"xxxxxxxx"));
    EXPECT_LT(refuse_setting(std::string(500, 'x'), 1, SettingLayer::Fleet, base()).size(), 300U);
}

// A rule that depends on another key: server.url over plain http only to this machine, and
// only on a kiosk in development mode; a fleet and an operator meet the kiosk's mode.
TEST(KioskSettings, TheServerUrlRuleReadsTheKiosksMode) {
    Config development = base();
    development.development_mode = true;
    EXPECT_EQ(
        refuse_setting("server.url", "http://127.0.0.1:8470", SettingLayer::Fleet, development),
        "");
    EXPECT_THAT(refuse_setting("server.url", "http://127.0.0.1:8470", SettingLayer::Fleet, base()),
                HasSubstr("plain http:// to this machine needs kiosk.mode = \"development\""));
    EXPECT_THAT(say("server.url", "http://seba.example.org").operator_screen,
                HasSubstr("only over TLS"));
}

// The defaults are the table's; Config's own (for a Config made in code) agree with them, and
// each default passes its own rule.
TEST(KioskSettings, DefaultsAgreeWithConfigAndPassTheirOwnRule) {
    const Config made;
    const Config read = base();
    for (const KioskSetting& setting : kiosk_settings()) {
        if (!setting.fallback || setting.fallback->is_null()) continue;
        EXPECT_EQ(setting.field.get(read), *setting.fallback) << setting.key << " from a file";
        if (setting.rule.type != SettingType::Path) {  // Config's own is relative to nothing
            EXPECT_EQ(setting.field.get(made), *setting.fallback) << setting.key << " in Config";
        }
        EXPECT_TRUE(setting.check(*setting.fallback, {SettingLayer::File, read, "."}).empty())
            << setting.key;
    }
}

TEST(KioskSettings, EveryKeyIsOnceInATableOfTheFileAndEveryOperatorKeyHasALabel) {
    std::set<std::string_view> keys;
    for (const KioskSetting& setting : kiosk_settings()) {
        EXPECT_TRUE(keys.insert(setting.key).second) << setting.key << " twice";
        EXPECT_NE(setting.key.find('.'), std::string_view::npos) << setting.key;
        EXPECT_TRUE(setting.settable_by(SettingLayer::File)) << setting.key;
        EXPECT_FALSE(setting.label.empty()) << setting.key;
        EXPECT_EQ(find_kiosk_setting(setting.key), &setting);
    }
    EXPECT_EQ(find_kiosk_setting("kiosk.colour"), nullptr);
}

}  // namespace
}  // namespace seba
