// SPDX-License-Identifier: Apache-2.0
// Home and the profile as a citizen sees them: seba-kiosk in a real window under Xvfb,
// landscape 1920×1080 and portrait 1080×1920, in Bangla, Uzbek (Cyrillic) and Russian. Each
// page is a screenshot (in build/screenshots/nise, to look at) and a widget tree the test reads:
// nothing runs off the screen's sides, no label is cut short, each page opens at its heading.
#include <fmt/format.h>

#include <fstream>

#include "profile_kiosk_fixture.hpp"
#include "process.hpp"

namespace seba::nise::profile_testing {
namespace {

struct ScreenSize {
    int width, height;
};

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

class NiseProfileShots : public NiseKioskTest, public ::testing::WithParamInterface<ScreenSize> {
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
    const ScreenSize size = GetParam();
    const std::filesystem::path out =
        std::filesystem::path(SEBA_SCREENSHOT_DIR) / fmt::format("{}x{}", size.width, size.height);
    std::filesystem::create_directories(out);
    json steps = json::array();
    for (const char* language : kLanguages)
        for (const json& s : pages_in(language)) steps.push_back(s);
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
                // The certificates page is shot after typing: its field is in view instead.
                if (std::string(page) == "certificates") {
                    if (id == "nise.cert.result") {
                        headed = true;
                        EXPECT_GE(b[1].get<float>(), top - 1) << "the result is in view";
                        EXPECT_LE(b[1].get<float>() + b[3].get<float>(), bottom + 1);
                    }
                    continue;
                }
                if (!headed && n.value("role", "") == "heading" && id.starts_with("nise.")) {
                    headed = true;
                    EXPECT_GE(b[1].get<float>(), top - 1) << "the page did not open at its top";
                    EXPECT_LE(b[1].get<float>() + b[3].get<float>(), bottom + 1);
                }
            }
            EXPECT_TRUE(headed) << "a page has its heading (or its result) in view";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Screens, NiseProfileShots,
                         ::testing::Values(ScreenSize{1920, 1080}, ScreenSize{1080, 1920}),
                         [](const ::testing::TestParamInfo<ScreenSize>& param) {
                             return fmt::format("{}x{}", param.param.width, param.param.height);
                         });

}  // namespace
}  // namespace seba::nise::profile_testing
