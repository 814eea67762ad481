// SPDX-License-Identifier: Apache-2.0
// The matches, a card's details, the referral's review and its slip as a citizen sees them:
// seba-kiosk in a real window under Xvfb, landscape 1920×1080 and portrait 1080×1920, in
// Bangla, Uzbek (Latin) and Russian. A citizen whose profile was saved signs in with phone and
// return code, opens the matches and applies (one opportunity per language). Each page is a
// screenshot (build/screenshots/nise, to look at) and a widget tree the test reads: nothing
// runs off the screen's sides, no label is cut short, each page opens at its heading.
#include <fmt/format.h>

#include <fstream>

#include "match_screens_fixture.hpp"
#include "screen_checks.hpp"

namespace seba::nise::testing {
namespace {

const char* const kPages[] = {"matches", "details", "review", "slip"};
const char* const kLanguages[] = {"bn", "uz-Latn", "ru"};

json pages_in(const std::string& language, const std::string& opportunity,
              const std::string& code) {
    json steps = json::array();
    auto shot = [&](const std::string& page) {
        steps.push_back({{"screenshot", language + "-" + page}});
    };
    steps.push_back({{"language", language}});
    for (const json& s : json::array({{{"tap", "shell.home.nise"}},
                                      {{"tap", "nise.home.return"}},
                                      {{"tap", "nise.return.phone"}},
                                      {{"type", "01712345678"}},
                                      {{"tap", "nise.return.code"}},
                                      {{"type", code}},
                                      {{"tap", "osk.enter"}},
                                      {{"tap", "nise.return.open"}},
                                      {{"tap", "nise.me.matches"}},
                                      {{"expect", "nise.match." + opportunity}}}))
        steps.push_back(s);
    shot("matches");
    steps.push_back({{"tap", "nise.match." + opportunity}});
    steps.push_back({{"expect", "nise.detail.refer"}});
    shot("details");
    steps.push_back({{"tap", "nise.detail.refer"}});
    steps.push_back({{"tap", "nise.refer.agree"}});
    shot("review");
    steps.push_back({{"tap", "nise.refer.send"}});
    steps.push_back({{"expect", "nise.slip.panel"}});
    shot("slip");
    steps.push_back({{"tap", "nise.slip.done"}});
    steps.push_back({{"tap", "shell.home"}});
    steps.push_back({{"expect_screen", "home"}});
    return steps;
}

class MatchScreenshots : public MatchScreensTest,
                         public ::testing::WithParamInterface<seba::testing::ScreenSize> {
  protected:
    void SetUp() override {
        MatchScreensTest::SetUp();
        start();  // the kiosk enrolled (a sealing key), the catalog and the places kept
        set_citizen();
        code_ = save_citizen();
        ASSERT_FALSE(code_.empty());
        stop();  // the database is the kiosk process's from here on
        seba::testing::write_file(dir() / "seba.toml",
                                  fmt::format(R"(
[kiosk]
id = "test-kiosk"
centre = "test-centre"
languages = ["bn", "uz-Latn", "ru", "en"]
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
centre_place = "geo.bd.upazilas/1"
utc_offset_minutes = 360

[printer]
pdf_dir = "{}"
)",
                                              (dir() / "data").string(), SEBA_PLUGIN_DIR,
                                              SEBA_DEV_PUBLIC_KEY, (dir() / "slips").string()));
    }
    std::string code_;
};

TEST_P(MatchScreenshots, EveryPageFitsAndOpensAtItsHeading) {
    const seba::testing::ScreenSize size = GetParam();
    const std::filesystem::path out =
        std::filesystem::path(SEBA_SCREENSHOT_DIR) / seba::testing::to_string(size);
    json steps = json::array();
    const char* const opportunities[] = {"data-entry", "accounts-assistant", "tailoring-course"};
    for (std::size_t i = 0; i < std::size(kLanguages); ++i)
        for (const json& s : pages_in(kLanguages[i], opportunities[i], code_)) steps.push_back(s);
    const seba::testing::ProcessResult r = seba::testing::play_under_xvfb(
        SEBA_XVFB_RUN, SEBA_KIOSK_BIN, dir() / "seba.toml", steps, out, size);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* language : kLanguages)
        for (const char* page : kPages)
            seba::testing::expect_page_fits(out, std::string(language) + "-" + page, size,
                                            {"nise.", nullptr});
}

INSTANTIATE_TEST_SUITE_P(Screens, MatchScreenshots,
                         ::testing::Values(seba::testing::ScreenSize{1920, 1080},
                                           seba::testing::ScreenSize{1080, 1920}),
                         [](const ::testing::TestParamInfo<seba::testing::ScreenSize>& param) {
                             return fmt::format("{}x{}", param.param.width, param.param.height);
                         });

}  // namespace
}  // namespace seba::nise::testing
