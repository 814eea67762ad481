// SPDX-License-Identifier: Apache-2.0
// Fleet configuration: what the server publishes for a centre (channel "fleet", record
// "config") sets the kiosk's plugins, order and settings over its config file; the
// operator's own changes stay on top, are named in the audit log, and can be dropped.
// The record is kept here as the sync client keeps a page it pulled, by catalog::keep_page
// (the pull itself is tested against the real server in server/tests/pull_test.cpp; the
// demo runs the whole way).
#include "host_fixture.hpp"
#include "publish.hpp"

namespace seba::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FleetTest : public HostTest {
  protected:
    static void publish(Host& host, const nlohmann::json& config) {
        seba::testing::publish(host.database(), "fleet", "config", config);
    }

    static std::vector<std::string> enabled(const Host& host) {
        std::vector<std::string> ids;
        for (const PluginInfo& p : host.plugins())
            if (p.enabled) ids.push_back(p.id);
        return ids;
    }

    static std::string greeting(Host& host) {
        return host.plugin_settings("good").value("greeting", "");
    }

    std::vector<std::string> audit_lines(Host& host, const std::string& action) {
        std::vector<std::string> out;
        for (const AuditEntry& e : host.audit().recent(100))
            if (e.action == action) out.push_back(e.actor + ": " + e.detail);
        return out;
    }
};

TEST_F(FleetTest, TheFleetsPluginsOrderAndSettingsReplaceTheFilesWhileRunning) {
    Host host(config_with({"good"}));
    host.start();
    EXPECT_FALSE(host.apply_fleet_config()) << "nothing published yet";
    publish(host, {{"plugins", {"throws_later", "good"}},
                   {"settings", {{"kiosk.idle_timeout_s", 90}}},
                   {"plugin_settings", {{"good", {{"greeting", "assalomu alaykum"}}}}},
                   {"channels", {"geo.uz.regions", "Not A Channel"}}});
    EXPECT_TRUE(host.apply_fleet_config());
    EXPECT_THAT(enabled(host), ElementsAre("throws_later", "good"));
    EXPECT_EQ(info(host, "throws_later").state, PluginState::Running) << "started at once";
    EXPECT_EQ(host.config().idle_timeout_s, 90);
    EXPECT_EQ(greeting(host), "assalomu alaykum");
    EXPECT_EQ(count(host, "SELECT count(*) FROM good__starts"), 2) << "restarted for it";
    EXPECT_THAT(host.channels(),
                ElementsAre("fleet", "i18n.languages", "i18n.translations", "geo.uz.regions",
                            "search.indexes", "credentials.trust"))
        << "an invalid channel name is skipped";
    EXPECT_FALSE(host.apply_fleet_config()) << "the same record again changes nothing";
    EXPECT_THAT(audit_lines(host, "fleet.applied"),
                ElementsAre("fleet: no operator changes on this kiosk"));

    // The fleet takes a plugin away: it stops.
    publish(host, {{"plugins", {"good"}}});
    EXPECT_TRUE(host.apply_fleet_config());
    EXPECT_THAT(enabled(host), ElementsAre("good"));
    EXPECT_EQ(info(host, "throws_later").state, PluginState::Disabled);
    EXPECT_EQ(host.config().idle_timeout_s, 60) << "back to the file's value";
    EXPECT_EQ(greeting(host), "hello");
}

TEST_F(FleetTest, AfterARestartTheKioskStartsWithTheFleetsConfiguration) {
    {
        Host host(config_with({"good"}));
        publish(host, {{"plugins", {"good", "throws_later"}},
                       {"plugin_settings", {{"good", {{"greeting", "salom"}}}}}});
    }
    Host host(config_with({"good"}));
    host.start();
    EXPECT_THAT(enabled(host), ElementsAre("good", "throws_later"));
    EXPECT_EQ(greeting(host), "salom");
}

TEST_F(FleetTest, OperatorChangesStayOverTheFleetAreAuditedAndCanBeDropped) {
    Host host(config_with({"good", "throws_later"}));
    host.start();
    host.change_setting("kiosk.idle_timeout_s", 45, "operator");
    host.change_plugin_setting("good", "greeting", "xush kelibsiz", "operator");
    host.move("throws_later", 0, "operator");
    publish(host, {{"plugins", {"good"}},
                   {"settings", {{"kiosk.idle_timeout_s", 90}}},
                   {"plugin_settings", {{"good", {{"greeting", "assalomu alaykum"}}}}}});
    EXPECT_TRUE(host.apply_fleet_config());
    EXPECT_EQ(host.config().idle_timeout_s, 45) << "the operator's value stays";
    EXPECT_EQ(greeting(host), "xush kelibsiz");
    EXPECT_THAT(enabled(host), ElementsAre("throws_later", "good")) << "and the operator's order";
    EXPECT_THAT(host.overrides(), ElementsAre("plugin.good.settings", "plugins.enabled",
                                              "setting.kiosk.idle_timeout_s"));
    EXPECT_THAT(audit_lines(host, "fleet.applied"),
                ElementsAre(HasSubstr("the operator's changes stay over it: plugin.good.settings, "
                                      "plugins.enabled, setting.kiosk.idle_timeout_s")));

    host.clear_overrides("operator");
    EXPECT_TRUE(host.overrides().empty());
    EXPECT_EQ(host.config().idle_timeout_s, 90);
    EXPECT_EQ(greeting(host), "assalomu alaykum");
    EXPECT_THAT(enabled(host), ElementsAre("good"));
    EXPECT_THAT(audit_lines(host, "kiosk.overrides_cleared"),
                ElementsAre("operator: plugin.good.settings, plugins.enabled, "
                            "setting.kiosk.idle_timeout_s"));
}

TEST_F(FleetTest, BadFleetValuesAreSkippedAndTheRestApplied) {
    Host host(config_with({"good"}));
    host.start();
    publish(host, {{"plugins", {"good", "not_installed"}},
                   {"settings", {{"kiosk.idle_timeout_s", 2}, {"kiosk.languages", {"en"}}}},
                   {"plugin_settings",
                    {{"good", {{"greeting", std::string(200, 'x')}, {"colour", "red"}}}}}});
    EXPECT_TRUE(host.apply_fleet_config());
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
    EXPECT_EQ(host.config().idle_timeout_s, 60) << "2 s is refused; the file's value stays";
    EXPECT_THAT(host.config().languages, ElementsAre("en"));
    EXPECT_EQ(greeting(host), "hello") << "too long for its declaration";
    // A record that is not an object at all is as good as none.
    publish(host, nlohmann::json::array({1, 2}));
    EXPECT_TRUE(host.apply_fleet_config());
    EXPECT_THAT(enabled(host), ElementsAre("good"));
}

TEST_F(FleetTest, OperatorPluginSettingsSurviveARestart) {
    {
        Host host(config_with({"good"}));
        host.start();
        host.change_plugin_setting("good", "greeting", "salom", "operator");
    }
    Host host(config_with({"good"}));
    host.start();
    EXPECT_EQ(greeting(host), "salom");
}

}  // namespace
}  // namespace seba::testing
