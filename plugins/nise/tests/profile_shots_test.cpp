// SPDX-License-Identifier: Apache-2.0
// Home and the profile as a citizen sees them: seba-kiosk in a real window under Xvfb,
// landscape 1920×1080 and portrait 1080×1920, in Bangla, Uzbek (Cyrillic) and Russian. Each
// page is a screenshot (in build/screenshots/nise, to look at) and a widget tree the test reads:
// nothing runs off the screen's sides, no label is cut short, each page opens at its heading.
#include <fmt/format.h>

#include <fstream>

#include "process.hpp"
#include "profile_kiosk_fixture.hpp"
#include "screen_checks.hpp"

namespace seba::nise::profile_testing {
namespace {

const char* const kPages[] = {"home", "education", "skills", "certificates"};
const char* const kLanguages[] = {"bn", "uz-Cyrl", "ru"};

json pages_in(const std::string& language) {
    json steps = json::array();
    auto add = [&](const char* text) { steps.push_back(json::parse(text)); };
    auto shot = [&](const std::string& page) {
        steps.push_back({{"screenshot", language + "-" + page}});
    };
    steps.push_back({{"language", language}});
    add(R"({"tap": "shell.home.nise"})");
    shot("home");
    add(R"({"tap": "nise.home.profile"})");
    add(R"({"tap": "nise.edu.secondary"})");
    shot("education");
    add(R"({"tap": "nise.edu.next"})");
    shot("skills");
    add(R"({"tap": "nise.skills.next"})");
    add(R"({"tap": "nise.cert.code"})");
    add(R"({"type": "SB1:not-a-certificate"})");
    add(R"({"tap": "osk.enter"})");
    add(R"({"tap": "nise.cert.add"})");
    shot("certificates");
    add(R"({"tap": "shell.home"})");
    add(R"({"expect_screen": "home"})");
    return steps;
}

class NiseProfileShots : public NiseKioskTest,
                         public ::testing::WithParamInterface<seba::testing::ScreenSize> {
  protected:
    void SetUp() override {
        NiseKioskTest::SetUp();
        start();  // the kiosk enrolled (a sealing key), the catalog kept
        stop();   // the database is the kiosk process's from here on
        seba::testing::write_file(dir() / "seba.toml",
                                  fmt::format(R"(
[kiosk]
id = "screens-kiosk"
centre = "test-centre"
languages = ["bn", "uz-Cyrl", "ru", "en"]
default_language = "bn"
idle_timeout_s = 600
data_dir = "{}"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["nise"]
trusted_keys = ["{}"]

[plugin.nise]
centre_code = "DHK1"
centre_place = "geo.bd.upazilas/156"

[printer]
pdf_dir = "{}"
)",
                                              (dir() / "data").string(), SEBA_PLUGIN_DIR,
                                              SEBA_DEV_PUBLIC_KEY, (dir() / "slips").string()));
    }
};

TEST_P(NiseProfileShots, EveryPageFitsAndOpensAtItsHeading) {
    const seba::testing::ScreenSize size = GetParam();
    const std::filesystem::path out =
        std::filesystem::path(SEBA_SCREENSHOT_DIR) / seba::testing::to_string(size);
    json steps = json::array();
    for (const char* language : kLanguages)
        for (const json& s : pages_in(language)) steps.push_back(s);
    const seba::testing::ProcessResult r = seba::testing::play_under_xvfb(
        SEBA_XVFB_RUN, SEBA_KIOSK_BIN, dir() / "seba.toml", steps, out, size);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* language : kLanguages)
        for (const std::string page : kPages) {
            seba::testing::PageOpening opening{"nise.", nullptr};
            // The certificates page is shot after typing: its result is in view instead.
            if (page == "certificates")
                opening.in_view_instead = [](const json& n) {
                    return n.value("id", "") == "nise.cert.result";
                };
            seba::testing::expect_page_fits(out, std::string(language) + "-" + page, size, opening);
        }
}

INSTANTIATE_TEST_SUITE_P(Screens, NiseProfileShots,
                         ::testing::Values(seba::testing::ScreenSize{1920, 1080},
                                           seba::testing::ScreenSize{1080, 1920}),
                         [](const ::testing::TestParamInfo<seba::testing::ScreenSize>& param) {
                             return fmt::format("{}x{}", param.param.width, param.param.height);
                         });

}  // namespace
}  // namespace seba::nise::profile_testing
