// SPDX-License-Identifier: Apache-2.0
#include "seba/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "seba/error.hpp"
#include "seba/kiosk_settings.hpp"
#include "temp_dir.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace fs = std::filesystem;

constexpr const char* kKeyLine = "RWQZ1RAmUqFcLoM+Y7XIqs0tXYmXzzCd63/kh34BcL5p74CZpFqyD+xx";
constexpr const char* kKeyId = "2E5CA1522610D519";
constexpr const char* kPubFile =
    "untrusted comment: minisign public key 2E5CA1522610D519\n"
    "RWQZ1RAmUqFcLoM+Y7XIqs0tXYmXzzCd63/kh34BcL5p74CZpFqyD+xx\n";

// The smallest file that passes; tests append to it or replace parts of it.
constexpr const char* kMinimalKiosk = R"(
[kiosk]
id = "demo-001"
centre = "dhaka-ctg-01"
languages = ["bn", "en"]
)";

constexpr const char* kMinimalPlugins = R"(
[plugins]
dirs = ["plugins"]
)";

std::string minimal(const std::string& extra = "") {
    return std::string(kMinimalKiosk) + kMinimalPlugins + extra;
}

class ConfigTest : public ::testing::Test {
  protected:
    fs::path config_path() const { return dir_ / "etc/seba.toml"; }

    seba::Config load(const std::string& text) const {
        seba::testing::write_file(config_path(), text);
        return seba::load_config(config_path());
    }

    // The ConfigError's message; fails the test if something else (or nothing) is thrown.
    std::string error_of(const std::string& text) const {
        seba::testing::write_file(config_path(), text);
        return error_of_file(config_path());
    }

    static std::string error_of_file(const fs::path& file) {
        try {
            seba::load_config(file);
        } catch (const seba::ConfigError& error) {
            return error.what();
        } catch (const std::exception& error) {
            ADD_FAILURE() << "expected ConfigError, got: " << error.what();
            return {};
        }
        ADD_FAILURE() << "expected ConfigError, but the config loaded";
        return {};
    }

    static std::string parse_error_of(const std::string& text) {
        try {
            seba::parse_config(text, "seba.toml");
        } catch (const seba::ConfigError& error) {
            return error.what();
        } catch (const std::exception& error) {
            ADD_FAILURE() << "expected ConfigError, got: " << error.what();
            return {};
        }
        ADD_FAILURE() << "expected ConfigError, but the config parsed";
        return {};
    }

    seba::testing::TempDir dir_;
};

TEST_F(ConfigTest, CompleteFileYieldsEveryField) {
    seba::testing::write_file(dir_ / "etc/keys/dev.pub", kPubFile);
    const auto config = load(R"(
[kiosk]
id = "demo-001"
centre = "dhaka-ctg-01"
languages = ["uz-Latn", "ru", "en"]
default_language = "ru"
idle_timeout_s = 120
data_dir = "../var/seba"
log_level = "debug"
mode = "development"

[server]
url = "https://seba.example.org:8443/api"

[plugins]
dirs = ["plugins", "/opt/seba/plugins"]
enabled = ["about", "queue_ticket"]
trusted_keys = ["keys/dev.pub", "RWQZ1RAmUqFcLoM+Y7XIqs0tXYmXzzCd63/kh34BcL5p74CZpFqyD+xx"]
allow_unsigned = true
quarantine_after_crashes = 5

[plugin.about]
greeting = "hi"
)");

    EXPECT_EQ(config.source, config_path());
    EXPECT_EQ(config.kiosk_id, "demo-001");
    EXPECT_EQ(config.centre, "dhaka-ctg-01");
    EXPECT_EQ(config.languages, (std::vector<std::string>{"uz-Latn", "ru", "en"}));
    EXPECT_EQ(config.default_language, "ru");
    EXPECT_EQ(config.idle_timeout_s, 120);
    EXPECT_EQ(config.data_dir, dir_ / "var/seba");
    EXPECT_EQ(config.database_path(), dir_ / "var/seba/seba.db");
    EXPECT_EQ(config.log_level, "debug");
    EXPECT_EQ(config.server_url, "https://seba.example.org:8443/api");
    EXPECT_EQ(config.plugin_dirs,
              (std::vector<fs::path>{dir_ / "etc/plugins", fs::path("/opt/seba/plugins")}));
    EXPECT_EQ(config.enabled_plugins, (std::vector<std::string>{"about", "queue_ticket"}));
    ASSERT_EQ(config.trusted_keys.size(), 2U);
    EXPECT_EQ(config.trusted_keys[0].key_id_hex(), kKeyId);
    EXPECT_EQ(config.trusted_keys[1].key_id_hex(), kKeyId);
    EXPECT_TRUE(config.development_mode);
    EXPECT_TRUE(config.allow_unsigned_plugins);
    EXPECT_EQ(config.quarantine_after_crashes, 5);
    ASSERT_EQ(config.plugin_settings.count("about"), 1U);
    EXPECT_EQ(config.plugin_settings.at("about"), nlohmann::json({{"greeting", "hi"}}));
}

TEST_F(ConfigTest, DefaultsApplyWhenOptionalKeysAreAbsent) {
    const auto config = load(minimal());

    EXPECT_EQ(config.default_language, "bn");
    EXPECT_EQ(config.idle_timeout_s, 60);
    EXPECT_EQ(config.data_dir, dir_ / "etc/data");
    EXPECT_EQ(config.log_level, "info");
    EXPECT_EQ(config.server_url, "");
    EXPECT_EQ(config.plugin_dirs, (std::vector<fs::path>{dir_ / "etc/plugins"}));
    EXPECT_TRUE(config.enabled_plugins.empty());
    EXPECT_TRUE(config.trusted_keys.empty());
    EXPECT_FALSE(config.development_mode) << "a kiosk is in production unless told otherwise";
    EXPECT_FALSE(config.allow_unsigned_plugins);
    EXPECT_EQ(config.quarantine_after_crashes, 3);
    EXPECT_TRUE(config.plugin_settings.empty());
}

TEST_F(ConfigTest, BareFileNameResolvesAgainstCurrentDirectory) {
    const auto config = seba::parse_config(minimal(), "seba.toml");
    EXPECT_EQ(config.source, fs::path("seba.toml"));
    EXPECT_EQ(config.data_dir, fs::path("data"));
    EXPECT_EQ(config.plugin_dirs, (std::vector<fs::path>{fs::path("plugins")}));
}

TEST_F(ConfigTest, MissingKioskIdIsNamed) {
    const auto message = error_of(R"(
[kiosk]
centre = "x"
languages = ["bn"]
)" + std::string(kMinimalPlugins));
    EXPECT_THAT(message, StartsWith(config_path().string() + ": "));
    EXPECT_THAT(message, HasSubstr("missing required key kiosk.id"));
}

TEST_F(ConfigTest, MessageStartsWithFileNameAsGiven) {
    const auto message = parse_error_of(std::string(kMinimalPlugins));
    EXPECT_EQ(message, "seba.toml: missing required table [kiosk]");
}

TEST_F(ConfigTest, WrongTypeSaysExpectedAndFound) {
    auto message = parse_error_of(minimal("[server]\nurl = 8470\n"));
    EXPECT_THAT(message, StartsWith("seba.toml: server.url must be an http:// or https:// URL"));
    EXPECT_THAT(message, HasSubstr("(found 8470)"));

    message = parse_error_of(R"(
[kiosk]
id = ["demo"]
centre = "x"
languages = ["bn"]
)" + std::string(kMinimalPlugins));
    EXPECT_EQ(message, "seba.toml: kiosk.id must be a string (found an array)");

    message = parse_error_of(minimal("allow_unsigned = \"yes\"\n"));
    EXPECT_EQ(message, "seba.toml: plugins.allow_unsigned must be true or false (found \"yes\")");
}

TEST_F(ConfigTest, LongValuesInMessagesAreCutBetweenCharacters) {
    std::string value;
    while (value.size() < 120) value += "নিবন্ধন";  // 21 bytes, three a code point
    // 80 bytes would end inside the 27th letter: the message shows 26 whole ones and no U+FFFD.
    EXPECT_EQ(parse_error_of(minimal("allow_unsigned = \"" + value + "\"\n")),
              "seba.toml: plugins.allow_unsigned must be true or false (found \"" +
                  value.substr(0, 78) + "...\")");
}

TEST_F(ConfigTest, ModeIsProductionOrDevelopmentAndOnlyDevelopmentAllowsUnsignedPlugins) {
    const std::string kiosk = kMinimalKiosk;
    auto with_mode = [&](const std::string& mode, const std::string& plugins_extra = "") {
        return kiosk + "mode = " + mode + "\n" + kMinimalPlugins + plugins_extra;
    };
    EXPECT_TRUE(seba::parse_config(with_mode("\"development\""), "seba.toml").development_mode);
    EXPECT_FALSE(seba::parse_config(with_mode("\"production\""), "seba.toml").development_mode);
    EXPECT_EQ(parse_error_of(with_mode("\"test\"")),
              "seba.toml: kiosk.mode must be \"production\" or \"development\" (found \"test\")");

    // A kiosk in service cannot be talked into loading unsigned code by one line of config.
    EXPECT_EQ(parse_error_of(minimal("allow_unsigned = true\n")),
              "seba.toml: plugins.allow_unsigned = true needs kiosk.mode = \"development\": a "
              "kiosk in production never loads unsigned plugins");
    EXPECT_TRUE(
        seba::parse_config(with_mode("\"development\"", "allow_unsigned = true\n"), "seba.toml")
            .allow_unsigned_plugins);
}

TEST_F(ConfigTest, IdleTimeoutOutOfRangeOrNotAnInteger) {
    const std::string kiosk_without_timeout = kMinimalKiosk;
    auto with_timeout = [&](const std::string& value) {
        return kiosk_without_timeout + "idle_timeout_s = " + value + "\n" + kMinimalPlugins;
    };
    EXPECT_EQ(parse_error_of(with_timeout("\"soon\"")),
              "seba.toml: kiosk.idle_timeout_s must be an integer from 10 to 3600 "
              "(found \"soon\")");
    EXPECT_THAT(parse_error_of(with_timeout("9")),
                HasSubstr("kiosk.idle_timeout_s must be an integer from 10 to 3600 (found 9)"));
    EXPECT_THAT(parse_error_of(with_timeout("3601")), HasSubstr("(found 3601)"));
    EXPECT_THAT(parse_error_of(with_timeout("60.0")), HasSubstr("(found 60.0)"));
    EXPECT_EQ(seba::parse_config(with_timeout("3600"), "seba.toml").idle_timeout_s, 3600);
}

TEST_F(ConfigTest, ALanguageThatIsNoTagIsRejected) {
    const auto message = error_of(R"(
[kiosk]
id = "a"
centre = "b"
languages = ["bn", "French"]
)" + std::string(kMinimalPlugins));
    EXPECT_THAT(message, HasSubstr(config_path().string()));
    EXPECT_THAT(message, HasSubstr("kiosk.languages[1] must be a BCP 47 language tag such as "
                                   "\"bn\", \"uz-Latn\" or \"ne\" (found \"French\")"));
}

TEST_F(ConfigTest, EmptyOrRepeatedLanguagesAreRejected) {
    auto message = parse_error_of(R"(
[kiosk]
id = "a"
centre = "b"
languages = []
)" + std::string(kMinimalPlugins));
    EXPECT_THAT(message, HasSubstr("kiosk.languages must be a non-empty array"));
    EXPECT_THAT(message, HasSubstr("(found an empty array)"));

    message = parse_error_of(R"(
[kiosk]
id = "a"
centre = "b"
languages = ["en", "bn", "en"]
)" + std::string(kMinimalPlugins));
    EXPECT_THAT(message, HasSubstr("kiosk.languages[2] repeats \"en\""));
}

TEST_F(ConfigTest, DefaultLanguageMustBeOffered) {
    const auto message =
        error_of(std::string(kMinimalKiosk) + "default_language = \"ru\"\n" + kMinimalPlugins);
    EXPECT_THAT(message, HasSubstr(config_path().string()));
    EXPECT_THAT(message, HasSubstr("kiosk.default_language must be one of kiosk.languages "
                                   "(bn, en) (found \"ru\")"));
}

TEST_F(ConfigTest, DuplicatePluginIdIsRejected) {
    const auto message = error_of(minimal("enabled = [\"about\", \"queue\", \"about\"]\n"));
    EXPECT_THAT(message, HasSubstr(config_path().string()));
    EXPECT_THAT(message, HasSubstr("plugins.enabled[2] repeats \"about\""));
}

TEST_F(ConfigTest, PluginIdWithDoubleUnderscoreIsRejected) {
    const auto message = error_of(minimal("enabled = [\"my__plugin\"]\n"));
    EXPECT_THAT(message, HasSubstr(config_path().string()));
    EXPECT_THAT(message, HasSubstr("plugins.enabled[0] must be a plugin id"));
    EXPECT_THAT(message, HasSubstr("(found \"my__plugin\")"));

    EXPECT_THAT(parse_error_of(minimal("enabled = [\"About\"]\n")),
                HasSubstr("plugins.enabled[0] must be a plugin id"));
    EXPECT_THAT(parse_error_of(minimal("[plugin.Bad]\nx = 1\n")),
                HasSubstr("[plugin.Bad] must be named by a plugin id"));
}

TEST_F(ConfigTest, UnknownKeySuggestsClosestKnownKey) {
    const auto message =
        error_of(std::string(kMinimalKiosk) + "idle_timout_s = 30\n" + kMinimalPlugins);
    EXPECT_EQ(message,
              config_path().string() +
                  ": unknown key kiosk.idle_timout_s (did you mean kiosk.idle_timeout_s?)");

    EXPECT_EQ(parse_error_of(minimal("[server]\nulr = \"http://x\"\n")),
              "seba.toml: unknown key server.ulr (did you mean server.url?)");
}

TEST_F(ConfigTest, UnknownKeyFarFromAnyKnownKeyHasNoSuggestion) {
    const auto message = parse_error_of(minimal("colour_scheme = \"dark\"\n"));
    EXPECT_EQ(message, "seba.toml: unknown key plugins.colour_scheme");
}

TEST_F(ConfigTest, UnknownTableIsRejected) {
    auto message = error_of(minimal("[plugin_settings]\nx = 1\n"));
    EXPECT_THAT(message, HasSubstr(config_path().string()));
    EXPECT_THAT(message, HasSubstr("unknown table [plugin_settings]"));

    message = parse_error_of(minimal("[kiosks]\nx = 1\n"));
    EXPECT_EQ(message, "seba.toml: unknown table [kiosks] (did you mean [kiosk]?)");
}

TEST_F(ConfigTest, SyntaxErrorGivesLineAndColumn) {
    const auto message = error_of("[kiosk]\nid = \"demo\"\ncentre = = \"x\"\n");
    EXPECT_THAT(message, StartsWith(config_path().string() + ":3:"));

    EXPECT_THAT(parse_error_of("\n\nid = \"unterminated\n"), StartsWith("seba.toml:3:"));
    // toml++ 3.3 debug builds once asserted on a line break inside a table header.
    EXPECT_THAT(parse_error_of("[\nkiosk]\n"), StartsWith("seba.toml:1:"));
}

TEST_F(ConfigTest, MissingFileSaysHowToStart) {
    const auto missing = dir_ / "nowhere/seba.toml";
    const auto message = error_of_file(missing);
    EXPECT_EQ(message, "cannot read config file " + missing.string() +
                           ": No such file or directory; copy assets/seba.example.toml to start "
                           "from an example");
}

TEST_F(ConfigTest, DirectoryInsteadOfFileIsUnreadable) {
    EXPECT_THAT(error_of_file(dir_.path()), StartsWith("cannot read config file "));
}

TEST_F(ConfigTest, GarbageInlineTrustedKeyIsRejected) {
    auto message =
        error_of(minimal("trusted_keys = [\"" + std::string(kKeyLine) + "\", \"RWQnotakey\"]\n"));
    EXPECT_THAT(message, HasSubstr(config_path().string()));
    EXPECT_THAT(message, HasSubstr("plugins.trusted_keys[1]"));
    EXPECT_THAT(message, HasSubstr("(found \"RWQnotakey\")"));

    message = parse_error_of(minimal("trusted_keys = [\"not a key!\"]\n"));
    EXPECT_THAT(message, StartsWith("seba.toml: plugins.trusted_keys[0] must be"));

    message = parse_error_of(minimal("trusted_keys = [42]\n"));
    EXPECT_THAT(message, StartsWith("seba.toml: plugins.trusted_keys[0] must be"));
}

TEST_F(ConfigTest, MissingTrustedKeyFileIsRejected) {
    const auto message = error_of(minimal("trusted_keys = [\"keys/missing.pub\"]\n"));
    EXPECT_THAT(message, StartsWith(config_path().string() + ": plugins.trusted_keys[0]"));
    EXPECT_THAT(message, HasSubstr((dir_ / "etc/keys/missing.pub").string()));
}

TEST_F(ConfigTest, InlineTrustedKeyIsParsed) {
    const auto config = load(minimal("trusted_keys = [\"" + std::string(kKeyLine) + "\"]\n"));
    ASSERT_EQ(config.trusted_keys.size(), 1U);
    EXPECT_EQ(config.trusted_keys[0].key_id_hex(), kKeyId);
}

TEST_F(ConfigTest, TrustedKeyFileIsReadRelativeToConfig) {
    seba::testing::write_file(dir_ / "etc/keys/dev.pub", kPubFile);
    const auto config = load(minimal("trusted_keys = [\"keys/dev.pub\"]\n"));
    ASSERT_EQ(config.trusted_keys.size(), 1U);
    EXPECT_EQ(config.trusted_keys[0].key_id_hex(), kKeyId);
}

TEST_F(ConfigTest, PluginTablesArriveAsTypedJson) {
    const auto config = load(minimal(R"(
[plugin.about]
greeting = "hi"
count = 3
ratio = 0.5
shown = true
tags = ["a", 1]

[plugin.about.colours]
fg = "#fff"

[plugin.queue_ticket]
)"));
    ASSERT_EQ(config.plugin_settings.size(), 2U);
    const auto& about = config.plugin_settings.at("about");
    ASSERT_TRUE(about.is_object());
    EXPECT_TRUE(about.at("greeting").is_string());
    EXPECT_EQ(about.at("greeting"), "hi");
    EXPECT_TRUE(about.at("count").is_number_integer());
    EXPECT_EQ(about.at("count").get<std::int64_t>(), 3);
    EXPECT_TRUE(about.at("ratio").is_number_float());
    EXPECT_DOUBLE_EQ(about.at("ratio").get<double>(), 0.5);
    EXPECT_TRUE(about.at("shown").is_boolean());
    EXPECT_EQ(about.at("tags"), nlohmann::json::parse(R"(["a", 1])"));
    EXPECT_EQ(about.at("colours"), nlohmann::json({{"fg", "#fff"}}));
    EXPECT_EQ(config.plugin_settings.at("queue_ticket"), nlohmann::json::object());
}

TEST_F(ConfigTest, ServerUrlNeedsSchemeAndHost) {
    for (const char* url : {"ftp://x", "http://", "http:///path", "127.0.0.1:8470",
                            "https://host:notaport", "https://host:0"}) {
        EXPECT_THAT(parse_error_of(minimal(std::string("[server]\nurl = \"") + url + "\"\n")),
                    HasSubstr("server.url must be an http:// or https:// URL"))
            << url;
    }
    for (const char* url :
         {"https://seba.example.org", "https://[::1]:8443/x", "https://user@host/path"}) {
        EXPECT_EQ(seba::parse_config(minimal(std::string("[server]\nurl = \"") + url + "\"\n"),
                                     "seba.toml")
                      .server_url,
                  url);
    }
}

TEST_F(ConfigTest, CitizensDataGoesToTheServerOnlyOverTls) {
    auto with = [](const std::string& mode, const std::string& url) {
        return std::string(kMinimalKiosk) + "mode = \"" + mode + "\"\n" + kMinimalPlugins +
               "[server]\nurl = \"" + url + "\"\n";
    };
    // Plain HTTP to another machine: never, not even on a test kiosk.
    for (const char* mode : {"production", "development"})
        EXPECT_THAT(parse_error_of(with(mode, "http://seba.example.org")),
                    HasSubstr("server.url must be an https:// URL: a kiosk sends citizens' data "
                              "to its server only over TLS"))
            << mode;
    // Plain HTTP to this machine: a test kiosk only.
    EXPECT_THAT(parse_error_of(with("production", "http://127.0.0.1:8470")),
                HasSubstr("plain http:// to this machine needs kiosk.mode = \"development\""));
    for (const char* url : {"http://127.0.0.1:8470", "http://localhost:8470", "http://[::1]:8470"})
        EXPECT_EQ(seba::parse_config(with("development", url), "seba.toml").server_url, url);

    // The operator screen applies the same rule.
    seba::Config config = seba::parse_config(minimal(), "seba.toml");
    EXPECT_THROW(seba::apply_setting(config, "server.url", "http://10.0.0.5:8470"),
                 seba::ConfigError);
    seba::apply_setting(config, "server.url", "https://10.0.0.5");
    EXPECT_EQ(config.server_url, "https://10.0.0.5");
}

TEST_F(ConfigTest, TheServersCertificateAuthorityAndKeyPin) {
    seba::testing::write_file(dir_ / "etc/tls/server.crt", "-----BEGIN CERTIFICATE-----\n");
    const std::string pin = "sha256//" + std::string(43, 'A') + "=";
    auto server = [](const std::string& lines) {
        return minimal("[server]\nurl = \"https://seba.example.org\"\n" + lines);
    };
    seba::Config config = load(server("ca_file = \"tls/server.crt\"\npin = \"" + pin + "\"\n"));
    EXPECT_EQ(config.server_ca_file, dir_ / "etc/tls/server.crt");
    EXPECT_EQ(config.server_pin, pin);

    EXPECT_THAT(error_of(server("ca_file = \"tls/missing.crt\"\n")),
                HasSubstr("server.ca_file: " + (dir_ / "etc/tls/missing.crt").string() +
                          " is not there; copy the server's certificate"));
    for (const char* bad : {"sha1//AAAA", "sha256//short=", "deadbeef"})
        EXPECT_THAT(parse_error_of(server(std::string("pin = \"") + bad + "\"\n")),
                    HasSubstr("server.pin must be \"sha256//\" and the base64 SHA-256"))
            << bad;
}

// Every key set to every wrong kind of value must give a ConfigError naming that key,
// never a crash or another exception type.
TEST_F(ConfigTest, ThePrinterIsTheKiosksAndAnOlderDigitalCentreSettingStillNamesIt) {
    seba::Config none = load(minimal());
    EXPECT_TRUE(none.printer.device.empty());
    EXPECT_TRUE(none.printer.pdf_dir.empty());
    EXPECT_EQ(none.printer.paper_mm, 80);

    seba::Config c =
        load(minimal("[printer]\ndevice = \"/dev/usb/lp0\"\npaper = 58\n"
                     "pdf_dir = \"printed\"\n"));
    EXPECT_EQ(c.printer.device, "/dev/usb/lp0");
    EXPECT_EQ(c.printer.pdf_dir, dir_ / "etc/printed") << "relative to the file";
    EXPECT_EQ(c.printer.paper_mm, 58);
    EXPECT_EQ(error_of(minimal("[printer]\npaper = 57\n")),
              config_path().string() +
                  ": printer.paper must be 58 or 80 (the thermal paper's width in mm) (found 57)");
    EXPECT_EQ(
        error_of(minimal("[printer]\ndevise = \"/dev/usb/lp0\"\n")),
        config_path().string() + ": unknown key printer.devise (did you mean printer.device?)");

    // An installed seba.toml of before [printer]: the Digital Centre's settings say it, and
    // are gone from the plugin's (which no longer declares them); [printer] comes first.
    const std::string older =
        "[plugin.digital_centre]\ncentre_code = \"DHK1\"\nprinter = \"/dev/usb/lp1\"\n"
        "receipt_dir = \"/var/lib/seba-kiosk/receipts\"\npaper = \"58\"\n";
    seba::Config old = load(minimal(older));
    EXPECT_EQ(old.printer.device, "/dev/usb/lp1");
    EXPECT_EQ(old.printer.pdf_dir, "/var/lib/seba-kiosk/receipts");
    EXPECT_EQ(old.printer.paper_mm, 58);
    EXPECT_EQ(old.plugin_settings["digital_centre"], nlohmann::json({{"centre_code", "DHK1"}}));
    seba::Config both = load(minimal(older + "[printer]\ndevice = \"/dev/usb/lp0\"\n"));
    EXPECT_EQ(both.printer.device, "/dev/usb/lp0");
    EXPECT_TRUE(both.printer.pdf_dir.empty());
    EXPECT_EQ(both.printer.paper_mm, 80);
    EXPECT_EQ(both.plugin_settings["digital_centre"], nlohmann::json({{"centre_code", "DHK1"}}));
}

TEST_F(ConfigTest, TheCameraIsADeviceOrATestImageAndNoneWhenLeftOut) {
    seba::Config none = load(minimal());
    EXPECT_TRUE(none.camera.device.empty());
    EXPECT_TRUE(none.camera.image.empty());

    seba::Config c = load(minimal("[camera]\ndevice = \"/dev/video0\"\nimage = \"qr.png\"\n"));
    EXPECT_EQ(c.camera.device, "/dev/video0");
    EXPECT_EQ(c.camera.image, dir_ / "etc/qr.png") << "relative to the file";
    EXPECT_EQ(error_of(minimal("[camera]\ndevice = 0\n"))
                  .rfind(config_path().string() + ": camera.device must be ", 0),
              0u);
    EXPECT_EQ(error_of(minimal("[camera]\nimages = \"qr.png\"\n")),
              config_path().string() + ": unknown key camera.images (did you mean camera.image?)");
}

TEST_F(ConfigTest, WrongTypesEverywhereGiveConfigError) {
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"kiosk", "id"},
        {"kiosk", "centre"},
        {"kiosk", "languages"},
        {"kiosk", "default_language"},
        {"kiosk", "idle_timeout_s"},
        {"kiosk", "data_dir"},
        {"kiosk", "log_level"},
        {"server", "url"},
        {"server", "ca_file"},
        {"server", "pin"},
        {"plugins", "dirs"},
        {"plugins", "enabled"},
        {"plugins", "trusted_keys"},
        {"plugins", "allow_unsigned"},
        {"plugins", "quarantine_after_crashes"},
    };
    const std::vector<std::string> values = {"\"\"",
                                             "-1",
                                             "1e300",
                                             "nan",
                                             "false",
                                             "[]",
                                             "[1, [2]]",
                                             "{ a = 1 }",
                                             "1979-05-27",
                                             "07:32:00",
                                             "1979-05-27T07:32:00Z",
                                             "[\"" + std::string(300, 'x') + "\"]"};
    for (const auto& [table, key] : keys) {
        for (const auto& value : values) {
            std::string text;
            for (const char* name : {"kiosk", "server", "plugins"}) {
                text += std::string("[") + name + "]\n";
                if (name == std::string("kiosk")) {
                    if (key != "id") text += "id = \"a\"\n";
                    if (key != "centre") text += "centre = \"b\"\n";
                    if (key != "languages") text += "languages = [\"bn\"]\n";
                }
                if (name == std::string("plugins") && key != "dirs") text += "dirs = [\"p\"]\n";
                if (name == table) text += key + " = " + value + "\n";
            }
            try {
                seba::parse_config(text, "seba.toml");
                // A few values are legitimately valid (an empty enabled list, say).
            } catch (const seba::ConfigError& error) {
                EXPECT_THAT(error.what(), StartsWith("seba.toml: " + table + "." + key)) << text;
            } catch (const std::exception& error) {
                ADD_FAILURE() << "not a ConfigError: " << error.what() << "\n" << text;
            }
        }
    }
    // Top-level sections of the wrong kind.
    EXPECT_EQ(parse_error_of("kiosk = 5\n"), "seba.toml: kiosk must be a table (found 5)");
    EXPECT_THAT(parse_error_of(minimal("[[server]]\nurl = \"http://x\"\n")),
                HasSubstr("server must be a table (found an array)"));
    EXPECT_THAT(parse_error_of(minimal("[plugin]\nabout = 1\n")),
                HasSubstr("plugin.about must be a table of plugin settings (found 1)"));
    EXPECT_THAT(parse_error_of(""), HasSubstr("missing required table [kiosk]"));
    EXPECT_THAT(parse_error_of(std::string(kMinimalKiosk)),
                HasSubstr("missing required table [plugins]"));
}

}  // namespace
