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

namespace seba::nise::testing {
namespace {

struct ScreenSize {
    int width, height;
};

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

class MatchScreenshots : public MatchScreensTest, public ::testing::WithParamInterface<ScreenSize> {
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
    const ScreenSize size = GetParam();
    const std::filesystem::path out =
        std::filesystem::path(SEBA_SCREENSHOT_DIR) / fmt::format("{}x{}", size.width, size.height);
    std::filesystem::create_directories(out);
    json steps = json::array();
    const char* const opportunities[] = {"data-entry", "accounts-assistant", "tailoring-course"};
    for (std::size_t i = 0; i < std::size(kLanguages); ++i)
        for (const json& s : pages_in(kLanguages[i], opportunities[i], code_)) steps.push_back(s);
    seba::testing::write_file(dir() / "script.json", steps.dump());
    const seba::testing::ProcessResult r = seba::testing::run_process(fmt::format(
        "{} -a -s '-screen 0 {}x{}x24' '{}' --config '{}' --script '{}' --out '{}' --width {} "
        "--height {} 2>&1",
        SEBA_XVFB_RUN, size.width, size.height, SEBA_KIOSK_BIN, (dir() / "seba.toml").string(),
        (dir() / "script.json").string(), out.string(), size.width, size.height));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* language : kLanguages) {
        for (const char* page : kPages) {
            const std::string name = std::string(language) + "-" + page;
            SCOPED_TRACE(name);
            EXPECT_GT(std::filesystem::file_size(out / (name + ".png")), 10000u);
            std::ifstream in(out / (name + ".json"));
            ASSERT_TRUE(in) << "no tree";
            const json tree = json::parse(in);
            bool headed = false;
            float top = 0, bottom = 0;
            for (const json& n : tree) {
                const std::string id = n.value("id", "");
                if (id == "shell.content" && n.contains("box")) {
                    top = n["box"][1].get<float>();
                    bottom = top + n["box"][3].get<float>();
                }
                if (!n.contains("box")) continue;
                const json& b = n["box"];
                EXPECT_GE(b[0].get<float>(), -1.0f) << id;
                EXPECT_LE(b[0].get<float>() + b[2].get<float>(), static_cast<float>(size.width) + 1)
                    << id << " runs off the screen's right side";
                EXPECT_FALSE(n.value("elided", false))
                    << id << " is cut short: \"" << n.value("label", "") << "\"";
                if (!headed && n.value("role", "") == "heading" && id.starts_with("nise.")) {
                    headed = true;
                    EXPECT_GE(b[1].get<float>(), top - 1) << "the page did not open at its top";
                    EXPECT_LE(b[1].get<float>() + b[3].get<float>(), bottom + 1);
                }
            }
            EXPECT_TRUE(headed) << "a page has its heading";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Screens, MatchScreenshots,
                         ::testing::Values(ScreenSize{1920, 1080}, ScreenSize{1080, 1920}),
                         [](const ::testing::TestParamInfo<ScreenSize>& param) {
                             return fmt::format("{}x{}", param.param.width, param.param.height);
                         });

}  // namespace
}  // namespace seba::nise::testing
