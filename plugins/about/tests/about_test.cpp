// SPDX-License-Identifier: Apache-2.0
// The in-tree About plugin, loaded from its build folder into a whole kiosk (the harness).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kiosk_harness.hpp"
#include "seba/host.hpp"

namespace {

TEST(AboutPlugin, CountsSessionsOfTheDay) {
    seba::testing::KioskHarness kiosk;
    kiosk.config().enabled_plugins = {"about"};
    kiosk.config().plugin_settings["about"] = {{"helpline", "16345"}};
    kiosk.start();
    std::optional<seba::PluginInfo> about = kiosk.host().find("about");
    ASSERT_TRUE(about);
    ASSERT_EQ(about->state, seba::PluginState::Running) << about->reason;
    EXPECT_EQ(about->manifest->name("bn"), "এই কিয়স্ক সম্পর্কে");
    // Two citizens open About and leave with Home: two sessions end.
    for (int citizen = 0; citizen < 2; ++citizen)
        kiosk.run(R"([{"tap": "shell.home.about"}, {"expect": "about.helpline"},
                      {"tap": "shell.home"}, {"expect_screen": "home"}])");
    seba::Statement q = kiosk.host().database().prepare(
        "SELECT count FROM about__sessions WHERE day = date('now')");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.integer(0), 2);
    seba::Statement events = kiosk.host().database().prepare(
        "SELECT count(*), min(payload) FROM core__outbox WHERE type = 'about.session_counted'");
    ASSERT_TRUE(events.step());
    EXPECT_EQ(events.integer(0), 2) << "each counted session is reported to the centre";
    EXPECT_EQ(events.text(1).find("day"), 2u) << events.text(1);
}

}  // namespace
