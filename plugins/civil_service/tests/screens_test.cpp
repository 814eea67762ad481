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

namespace seba::civil::testing {
namespace {

struct ScreenSize {
    int width, height;
};

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

class ScreensTest : public CivilServiceTest, public ::testing::WithParamInterface<ScreenSize> {
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
    const ScreenSize size = GetParam();
    const std::filesystem::path out =
        std::filesystem::path(SEBA_SCREENSHOT_DIR) / fmt::format("{}x{}", size.width, size.height);
    std::filesystem::create_directories(out);
    json steps = json::array();
    for (const char* language : {"bn", "ru"})
        for (const json& s : pages_in(language)) steps.push_back(s);
    seba::testing::write_file(dir() / "script.json", steps.dump());
    const seba::testing::ProcessResult r = seba::testing::run_process(fmt::format(
        "{} -a -s '-screen 0 {}x{}x24' '{}' --config '{}' --script '{}' --out '{}' --width {} "
        "--height {} 2>&1",
        SEBA_XVFB_RUN, size.width, size.height, SEBA_KIOSK_BIN, (dir() / "seba.toml").string(),
        (dir() / "script.json").string(), out.string(), size.width, size.height));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* language : {"bn", "ru"}) {
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
                // The details page is shot while the citizen types: the field is in view instead.
                if (std::string(page) == "details" && n.value("role", "") == "field" &&
                    n.value("focused", false)) {
                    headed = true;
                    EXPECT_GE(b[1].get<float>(), top - 1) << id << " above the view";
                }
                if (!headed && std::string(page) != "details" && n.value("role", "") == "heading" &&
                    id.starts_with("civil_service.")) {
                    headed = true;
                    EXPECT_GE(b[1].get<float>(), top - 1) << "the page did not open at its top";
                    EXPECT_LE(b[1].get<float>() + b[3].get<float>(), bottom + 1);
                }
            }
            EXPECT_TRUE(headed) << "a page has its heading";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Screens, ScreensTest,
                         ::testing::Values(ScreenSize{1920, 1080}, ScreenSize{1080, 1920}),
                         [](const ::testing::TestParamInfo<ScreenSize>& param) {
                             return fmt::format("{}x{}", param.param.width, param.param.height);
                         });

// Every msgid the sources pass to ui.tr() (and the categories' and phrases' words) has a
// translation in each catalog.
TEST(Translations, EveryTextIsTranslatedInEveryCatalog) {
    std::set<std::string> msgids;
    const std::regex call(R"re((?:ui\.tr|ui\.trn|tr_format\(ui,)\(?\s*"((?:[^"\\]|\\.)*)")re");
    const std::regex table_word(R"re(, "([A-Z][^"]*)"\})re");
    for (const auto& f : std::filesystem::recursive_directory_iterator(SEBA_CS_SOURCE_DIR)) {
        if (f.path().extension() != ".cpp") continue;
        std::ifstream in(f.path());
        std::stringstream s;
        s << in.rdbuf();
        std::string text = s.str();
        // Adjacent literals join: "a " "b" is "a b".
        text = std::regex_replace(text, std::regex(R"re("\s*\n\s*")re"), "");
        for (auto it = std::sregex_iterator(text.begin(), text.end(), call);
             it != std::sregex_iterator(); ++it)
            msgids.insert((*it)[1]);
        // The words of categories, phrases and statuses: every literal of those tables.
        if (f.path().filename() == "categories.cpp" || f.path().filename() == "check.cpp")
            for (auto it = std::sregex_iterator(text.begin(), text.end(), table_word);
                 it != std::sregex_iterator(); ++it)
                msgids.insert((*it)[1]);
    }
    EXPECT_GT(msgids.size(), 40u);
    for (const char* language : {"bn", "uz-Latn", "uz-Cyrl", "ru"}) {
        std::ifstream in(std::filesystem::path(SEBA_CS_LOCALE_DIR) /
                         (std::string(language) + ".po"));
        std::stringstream s;
        s << in.rdbuf();
        const std::string po = s.str();
        for (const std::string& id : msgids) {
            const std::string entry = "msgid \"" + id + "\"\nmsgstr \"";
            const std::size_t at = po.find(entry);
            const bool plural = po.find("msgid \"" + id + "\"\nmsgid_plural") != std::string::npos;
            EXPECT_TRUE(at != std::string::npos || plural) << language << " lacks: " << id;
            if (at != std::string::npos) {
                EXPECT_NE(po.compare(at + entry.size(), 1, "\""), 0)
                    << language << " leaves empty: " << id;
            }
        }
    }
}

}  // namespace
}  // namespace seba::civil::testing
