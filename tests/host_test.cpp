// SPDX-License-Identifier: Apache-2.0
// The host's lifecycle and operator actions: fault boundary on calls, enable/disable/order
// kept across restarts, settings checked against the manifest, all of it audited.
#include <stdexcept>

#include "host_fixture.hpp"
#include "seba/error.hpp"
#include "seba/logging.hpp"
#include "seba/plugin_store.hpp"

namespace seba::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> enabled_ids(const Host& host) {
    std::vector<std::string> ids;
    for (const PluginInfo& p : host.plugins())
        if (p.enabled) ids.push_back(p.id);
    return ids;
}

TEST_F(HostTest, ExceptionFromAHostCallMarksOnlyThatPluginFailed) {
    Host host(config_with({"good", "throws_later"}));
    host.start();
    bool ok = host.call("good", "draw", [](Plugin&) { throw std::runtime_error("bad frame"); });
    EXPECT_FALSE(ok);
    PluginInfo good = info(host, "good");
    EXPECT_EQ(good.state, PluginState::Failed);
    EXPECT_THAT(good.reason, HasSubstr("draw threw: bad frame"));
    EXPECT_EQ(info(host, "throws_later").state, PluginState::Running);
    // A failed plugin is not called again.
    bool called = false;
    EXPECT_FALSE(host.call("good", "draw", [&](Plugin&) { called = true; }));
    EXPECT_FALSE(called);
}

TEST_F(HostTest, NonStandardExceptionIsCaughtToo) {
    Host host(config_with({"good"}));
    host.start();
    EXPECT_FALSE(host.call("good", "draw", [](Plugin&) { throw 42; }));
    EXPECT_THAT(info(host, "good").reason, HasSubstr("not a std::exception"));
}

TEST_F(HostTest, OperatorReenablesAFailedPluginAndItRunsAgain) {
    Host host(config_with({"good"}));
    host.start();
    host.call("good", "draw", [](Plugin&) { throw std::runtime_error("bad frame"); });
    ASSERT_EQ(info(host, "good").state, PluginState::Failed);
    host.reenable("good", "operator");
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
    EXPECT_EQ(count(host, "SELECT count(*) FROM good__starts"), 2);
    EXPECT_EQ(count(host,
                    "SELECT count(*) FROM core__audit WHERE actor = 'operator' AND "
                    "action = 'plugin.reenable' AND subject = 'good'"),
              1);
}

TEST_F(HostTest, DisableEnableAndOrderAreAuditedAndKeptAcrossRestarts) {
    {
        Host host(config_with({"good", "throws_later"}));
        host.start();
        host.set_enabled("good", false, "operator");
        EXPECT_EQ(info(host, "good").state, PluginState::Disabled);
        EXPECT_THAT(enabled_ids(host), ElementsAre("throws_later"));
        host.set_enabled("newer_api", true, "operator");  // goes last; refused, still listed
        EXPECT_EQ(info(host, "newer_api").state, PluginState::Refused);
        host.set_enabled("good", true, "operator");
        EXPECT_EQ(info(host, "good").state, PluginState::Running);
        EXPECT_THAT(enabled_ids(host), ElementsAre("throws_later", "newer_api", "good"));
        host.move("good", 0, "operator");
        EXPECT_THAT(enabled_ids(host), ElementsAre("good", "throws_later", "newer_api"));
    }
    // The config file still says {good, throws_later}; the operator's choice wins.
    Host again(config_with({"good", "throws_later"}));
    again.start();
    EXPECT_THAT(enabled_ids(again), ElementsAre("good", "throws_later", "newer_api"));
    std::vector<std::string> actions;
    for (const AuditEntry& e : again.audit().recent(100))
        if (e.actor == "operator") actions.push_back(e.action + " " + e.subject);
    EXPECT_THAT(actions, ElementsAre("plugin.move good", "plugin.enable good",
                                     "plugin.enable newer_api", "plugin.disable good"));
    EXPECT_TRUE(again.audit().verify().ok);
}

TEST_F(HostTest, MovingADisabledPluginIsAnError) {
    Host host(config_with({"good"}));
    host.start();
    EXPECT_THROW(host.move("throws_later", 0, "operator"), Error);
    EXPECT_THROW(host.set_enabled("no_such_plugin", true, "operator"), Error);
}

TEST_F(HostTest, SettingsFromConfigReachThePluginAndBadOnesRefuseIt) {
    Config config = config_with({"good"});
    config.plugin_settings["good"] = {{"greeting", "assalomu alaykum"}};
    {
        Host host(config);
        host.start();
        host.end_session();
        Statement q = host.database().prepare("SELECT greeting FROM good__sessions");
        ASSERT_TRUE(q.step());
        EXPECT_EQ(q.text(0), "assalomu alaykum");
    }
    config.plugin_settings["good"] = {{"greeting", 5}};
    Host host(config);
    host.start();
    PluginInfo p = info(host, "good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("seba.toml: plugin.good.greeting must be text (found 5)"));

    config.plugin_settings["good"] = {{"greting", "hi"}};
    Host typo(config);
    typo.start();
    EXPECT_THAT(info(typo, "good").reason,
                HasSubstr("plugin.good.greting is not a setting of good (it has: greeting)"));
}

TEST_F(HostTest, KioskSettingsChangedOnTheKioskOverrideTheFileAcrossRestarts) {
    {
        Host host(config_with({"good"}));
        host.change_setting("kiosk.idle_timeout_s", 120, "operator");
        host.change_setting("server.url", "https://seba.example.uz", "operator");
        EXPECT_THROW(host.change_setting("kiosk.idle_timeout_s", 2, "operator"), ConfigError);
        EXPECT_THROW(host.change_setting("kiosk.languages", nlohmann::json::array(), "operator"),
                     ConfigError);
        EXPECT_THROW(host.change_setting("kiosk.data_dir", "/tmp", "operator"), ConfigError);
        EXPECT_EQ(host.config().idle_timeout_s, 120);
    }
    Host again(config_with({"good"}));
    EXPECT_EQ(again.config().idle_timeout_s, 120);
    EXPECT_EQ(again.config().server_url, "https://seba.example.uz");
    std::vector<std::string> details;
    for (const AuditEntry& e : again.audit().recent(10))
        if (e.action == "kiosk.setting") details.push_back(e.subject + " " + e.detail);
    // Each names the setting as the operator screen does (the table's label).
    EXPECT_THAT(details, ElementsAre("server.url Server URL: (none) -> https://seba.example.uz",
                                     "kiosk.idle_timeout_s Idle timeout (seconds): 60 -> 120"));
}

TEST_F(HostTest, PluginSettingChangeRestartsThePluginWithTheNewValue) {
    Host host(config_with({"good"}));
    host.start();
    host.change_plugin_setting("good", "greeting", "salom", "operator");
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
    EXPECT_EQ(count(host, "SELECT count(*) FROM good__starts"), 2) << "restarted";
    host.end_session();
    Statement q = host.database().prepare("SELECT greeting FROM good__sessions");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.text(0), "salom");
    EXPECT_EQ(host.plugin_settings("good")["greeting"], "salom");
    EXPECT_THROW(host.change_plugin_setting("good", "greeting", std::string(50, 'x'), "operator"),
                 ConfigError);
    EXPECT_THROW(host.change_plugin_setting("good", "colour", "red", "operator"), ConfigError);
    std::vector<std::string> changes;
    for (const AuditEntry& e : host.audit().recent(10))
        if (e.action == "plugin.setting") changes.push_back(e.actor + " " + e.detail);
    EXPECT_THAT(changes, ElementsAre("operator greeting: \"hello\" -> \"salom\""));
}

TEST_F(HostTest, LogsNeverCarryEventPayloads) {
    logging::init(dir_ / "logs", "trace", /*to_stderr=*/false);
    const std::string citizen_nid = "19875512345678901";
    {
        Host host(config_with({"good", "throws_in_start"}));
        host.start();
        Manifest manifest = *info(host, "good").manifest;
        PluginStore store(host.database(), manifest);
        store.transaction([&] { store.emit("good.session_ended", {{"nid", citizen_nid}}); });
        EXPECT_THROW(store.transaction([&] {
            store.emit("good.session_ended", {{"nid", citizen_nid}});
            throw std::runtime_error("citizen cancelled");
        }),
                     std::runtime_error);
        host.end_session();
        host.stop();
    }
    logging::flush();
    std::string log = read_file(dir_ / "logs" / "seba.log");
    EXPECT_THAT(log, HasSubstr("plugin good running")) << "the log file is being written";
    EXPECT_THAT(log, ::testing::Not(HasSubstr(citizen_nid)));
}

TEST_F(HostTest, UnwritableDataFolderGivesAClearError) {
    Config config = config_with({"good"});
    write_file(dir_ / "file", "x");
    config.data_dir = dir_ / "file" / "data";
    try {
        Host host(config);
        FAIL() << "expected an error";
    } catch (const StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("cannot create the data folder"));
        EXPECT_THAT(e.what(), HasSubstr("kiosk.data_dir"));
    }
}

}  // namespace
}  // namespace seba::testing
