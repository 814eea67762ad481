// SPDX-License-Identifier: Apache-2.0
// The portal in a whole kiosk (seba::testing::KioskHarness: the real host loading the built
// plugin, the shell drawn by the recorder, the print queue writing each paper as a PDF), with
// the demo country pack's channels kept in the kiosk's database as a pull keeps them: a
// citizen finds a union by typing its Bangla name on the on-screen keyboard and prints its
// citizen charter; another browses division > district > upazila > union.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "demo_pack.hpp"
#include "kiosk_harness.hpp"
#include "process.hpp"

namespace seba::portal::testing {
namespace {

using ::testing::HasSubstr;

class PortalKioskTest : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().languages = {"bn", "en"};
        config().default_language = "bn";
        config().enabled_plugins = {"portal"};
        config().printer.pdf_dir = dir() / "papers";
        start();
        std::optional<PluginInfo> plugin = host().find("portal");
        ASSERT_TRUE(plugin);
        ASSERT_EQ(plugin->state, PluginState::Running) << plugin->reason;
        keep_demo_pack(host().database(), kPortalChannels);
    }

    // The id of the first search result on screen, or "".
    std::string first_hit() const {
        for (const std::string& id : ids())
            if (id.starts_with("portal.hit.")) return id;
        return {};
    }

    // The text of the first paper the kiosk printed whose name starts with `prefix`, once
    // the print queue has written it (printing runs on a thread of its own).
    std::string printed_text(const std::string& prefix) {
        for (int i = 0; i < 1000; ++i) {
            std::error_code ec;
            for (const auto& f : std::filesystem::directory_iterator(dir() / "papers", ec))
                if (f.path().filename().string().starts_with(prefix) &&
                    f.path().extension() == ".pdf")
                    return seba::testing::run_process("'" + std::string(SEBA_PDFTOTEXT) + "' '" +
                                                      f.path().string() + "' -")
                        .output;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            run(R"([{"wait_s": 0.01}])");
        }
        return "(nothing printed)";
    }
};

TEST_F(PortalKioskTest, ABanglaNameTypedOnTheKeyboardFindsTheUnionAndItsCharterPrints) {
    run(R"([{"tap": "shell.home.portal"}, {"tap": "portal.query"}, {"keys": "সুবিল"}])");
    // The union first, told apart from others by its place.
    ASSERT_EQ(first_hit(), "portal.hit.geo.bd.unions/1");
    EXPECT_EQ(label("portal.hit.geo.bd.unions/1"), "সুবিল");
    EXPECT_EQ(node("portal.hit.geo.bd.unions/1")->value, "ইউনিয়ন · দেবিদ্বার › কুমিল্লা › চট্টগ্রাম");
    run(R"([{"tap": "portal.hit.geo.bd.unions/1"}])");
    EXPECT_EQ(label("portal.office.title"), "সুবিল");
    EXPECT_EQ(label("portal.charter"), "সেবা প্রদান প্রতিশ্রুতি");
    EXPECT_EQ(label("portal.charter.0"), "জন্ম নিবন্ধন");
    run(R"([{"tap": "portal.print_charter"}])");
    const std::string paper = printed_text("portal-charter-");
    EXPECT_THAT(paper, HasSubstr("সেবা প্রদান প্রতিশ্রুতি"));
    EXPECT_THAT(paper, HasSubstr("সুবিল"));
    EXPECT_THAT(paper, HasSubstr("জন্ম নিবন্ধন"));
    EXPECT_THAT(paper, HasSubstr("নাগরিকত্ব সনদ"));
    // Home, "finished": the query is gone when the next citizen opens the portal.
    run(R"([{"tap": "shell.home"}, {"tap": "shell.finish.yes"}, {"expect_screen": "home"},
            {"tap": "shell.home.portal"}])");
    EXPECT_EQ(first_hit(), "");
    ASSERT_TRUE(node("portal.query"));
    EXPECT_EQ(node("portal.query")->value, "");
}

TEST_F(PortalKioskTest, BrowsingDivisionDistrictUpazilaUnionReachesTheOffice) {
    run(R"([{"tap": "shell.home.portal"}, {"tap": "portal.top.geo.bd.divisions/1"},
            {"tap": "portal.place.geo.bd.districts/1"},
            {"tap": "portal.place.geo.bd.upazilas/1"}])");
    EXPECT_EQ(label("portal.browse.title"), "দেবিদ্বার");
    EXPECT_EQ(label("portal.browse.kind"), "উপজেলা · কুমিল্লা › চট্টগ্রাম");
    EXPECT_EQ(label("portal.place.geo.bd.unions/2"), "উত্তর গুনাইঘর");
    run(R"([{"tap": "portal.place.geo.bd.unions/2"}])");
    EXPECT_EQ(label("portal.office.title"), "উত্তর গুনাইঘর");
    EXPECT_TRUE(node("portal.charter.0"));
    // The language changes on the spot, the page stays.
    run(R"([{"language": "en"}])");
    EXPECT_EQ(label("portal.office.title"), "North Gunaighor");
    EXPECT_EQ(label("portal.office.kind"), "Union · Debidwar › Cumilla › Chattagram");
}

}  // namespace
}  // namespace seba::portal::testing
