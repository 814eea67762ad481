// SPDX-License-Identifier: Apache-2.0
// The in-tree About plugin, loaded from its build folder through the real host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "seba/host.hpp"
#include "temp_dir.hpp"

namespace {

TEST(AboutPlugin, CountsSessionsOfTheDay) {
    seba::testing::TempDir dir;
    std::filesystem::path plugin_dir = SEBA_PLUGIN_DIR;
    seba::Config config;
    config.source = dir / "seba.toml";
    config.languages = {"en"};
    config.data_dir = dir / "data";
    config.plugin_dirs = {plugin_dir.parent_path()};
    config.enabled_plugins = {"about"};
    config.trusted_keys = {seba::minisign::load_public_key(plugin_dir.parent_path().parent_path() /
                                                           "keys" / "seba-dev.pub")};
    config.development_mode = true;  // the build's plugins carry development signatures
    config.plugin_settings["about"] = {{"helpline", "16345"}};

    seba::Host host(config);
    host.start();
    std::optional<seba::PluginInfo> about = host.find("about");
    ASSERT_TRUE(about);
    ASSERT_EQ(about->state, seba::PluginState::Running) << about->reason;
    EXPECT_EQ(about->manifest->name("bn"), "এই কিয়স্ক সম্পর্কে");
    host.end_session();
    host.end_session();
    seba::Statement q =
        host.database().prepare("SELECT count FROM about__sessions WHERE day = date('now')");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.integer(0), 2);
    seba::Statement events = host.database().prepare(
        "SELECT count(*), min(payload) FROM core__outbox WHERE type = 'about.session_counted'");
    ASSERT_TRUE(events.step());
    EXPECT_EQ(events.integer(0), 2) << "each counted session is reported to the centre";
    EXPECT_EQ(events.text(1).find("day"), 2u) << events.text(1);
}

}  // namespace
