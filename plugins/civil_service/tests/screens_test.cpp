// SPDX-License-Identifier: Apache-2.0
// The desk as a citizen sees it: seba-kiosk in a real window under Xvfb, landscape 1920×1080
// and portrait 1080×1920, in Bangla and Russian. Each page is a screenshot (in
// build/screenshots/civil_service, to look at) and a widget tree the test reads: nothing runs
// off the screen's sides, no label is cut short, each page opens at its heading; and every
// text the plugin shows is translated in all four catalogs.
#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cs_fixture.hpp"
#include "process.hpp"
#include "screen_checks.hpp"

namespace seba::civil::testing {
namespace {

const char* const kPages[] = {"desk", "category", "service", "details", "review", "slip", "check"};

json pages_in(const std::string& language) {
    json steps = json::array();
    auto add = [&](const char* text) { steps.push_back(json::parse(text)); };
    auto shot = [&](const std::string& page) {
        steps.push_back({{"screenshot", language + "-" + page}});
    };
    steps.push_back({{"language", language}});
    add(R"({"tap": "shell.home.civil_service"})");
    shot("desk");
    add(R"({"tap": "civil_service.file"})");
    shot("category");
    add(R"({"tap": "civil_service.cat.extra_money"})");
    shot("service");
    add(R"({"tap": "civil_service.svc.birth_registration"})");
    add(R"({"tap": "civil_service.phrase.asked_for_extra_money"})");
    add(R"({"tap": "civil_service.phrase.no_receipt"})");
    add(R"({"tap": "civil_service.text"})");
    steps.push_back({{"type", language == "ru" ? "Попросили 500 сверх квитанции, и это уже "
                                                 "третий мой приход за одной справкой."
                                               : "৫০০ টাকা বেশি চেয়েছে"}});
    shot("details");
    add(R"({"tap": "osk.enter"})");
    add(R"({"tap": "civil_service.details.next"})");
    add(R"({"tap": "civil_service.review.agree"})");
    shot("review");
    add(R"({"tap": "civil_service.send"})");
    add(R"({"expect": "civil_service.slip.panel"})");
    shot("slip");
    add(R"({"tap": "civil_service.done"})");
    add(R"({"tap": "civil_service.check"})");
    add(R"({"tap": "civil_service.check.reference"})");
    add(R"({"type": "DHK1-G261128-A7-0001"})");
    add(R"({"tap": "osk.enter"})");
    add(R"({"tap": "civil_service.check.go"})");
    shot("check");
    add(R"({"tap": "shell.home"})");
    add(R"({"tap": "shell.finish.yes"})");
    add(R"({"expect_screen": "home"})");
    return steps;
}

class ScreensTest : public CivilServiceTest,
                    public ::testing::WithParamInterface<seba::testing::ScreenSize> {
  protected:
    void SetUp() override {
        CivilServiceTest::SetUp();
        start();  // the kiosk enrolled (a sealing key), the services kept
        stop();   // the database is the kiosk process's from here on
        seba::testing::write_file(dir() / "seba.toml",
                                  fmt::format(R"(
[kiosk]
id = "screens-kiosk"
centre = "test-centre"
languages = ["bn", "ru", "en"]
default_language = "bn"
idle_timeout_s = 600
data_dir = "{}"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["civil_service"]
trusted_keys = ["{}"]

[plugin.civil_service]
centre_code = "DHK1"

[printer]
pdf_dir = "{}"
)",
                                              (dir() / "data").string(), SEBA_PLUGIN_DIR,
                                              SEBA_DEV_PUBLIC_KEY, (dir() / "slips").string()));
    }
};

TEST_P(ScreensTest, EveryPageFitsAndOpensAtItsHeading) {
    const seba::testing::ScreenSize size = GetParam();
    const std::filesystem::path out =
        std::filesystem::path(SEBA_SCREENSHOT_DIR) / seba::testing::to_string(size);
    json steps = json::array();
    for (const char* language : {"bn", "ru"})
        for (const json& s : pages_in(language)) steps.push_back(s);
    const seba::testing::ProcessResult r = seba::testing::play_under_xvfb(
        SEBA_XVFB_RUN, SEBA_KIOSK_BIN, dir() / "seba.toml", steps, out, size);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* language : {"bn", "ru"})
        for (const std::string page : kPages) {
            seba::testing::PageOpening opening{"civil_service.", nullptr};
            // The details page is shot while the citizen types: the field is in view instead.
            if (page == "details")
                opening.in_view_instead = [](const json& n) {
                    return n.value("role", "") == "field" && n.value("focused", false);
                };
            seba::testing::expect_page_fits(out, std::string(language) + "-" + page, size, opening);
        }
}

INSTANTIATE_TEST_SUITE_P(Screens, ScreensTest,
                         ::testing::Values(seba::testing::ScreenSize{1920, 1080},
                                           seba::testing::ScreenSize{1080, 1920}),
                         [](const ::testing::TestParamInfo<seba::testing::ScreenSize>& param) {
                             return fmt::format("{}x{}", param.param.width, param.param.height);
                         });

// Every msgid the sources pass to ui.tr() (and the categories' and phrases' words) has a
// translation in each catalog.
TEST(Translations, EveryTextIsTranslatedInEveryCatalog) {
    std::vector<std::filesystem::path> sources, tables;
    for (const auto& f : std::filesystem::recursive_directory_iterator(SEBA_CS_SOURCE_DIR)) {
        if (f.path().extension() != ".cpp") continue;
        sources.push_back(f.path());
        // The words of categories, phrases and statuses: every literal of those tables.
        if (f.path().filename() == "categories.cpp" || f.path().filename() == "check.cpp")
            tables.push_back(f.path());
    }
    std::set<std::string> msgids = seba::testing::msgids_in(
        sources, std::regex(R"re((?:ui\.tr|ui\.trn|tr_format\(ui,)\(?\s*"((?:[^"\\]|\\.)*)")re"));
    msgids.merge(seba::testing::msgids_in(tables, std::regex(R"re(, "([A-Z][^"]*)"\})re")));
    EXPECT_GT(msgids.size(), 40u);
    seba::testing::expect_translated(msgids, SEBA_CS_LOCALE_DIR,
                                     {"bn", "uz-Latn", "uz-Cyrl", "ru"});
}

}  // namespace
}  // namespace seba::civil::testing
