// SPDX-License-Identifier: Apache-2.0
// The citizen's request, as a citizen sees it: seba-kiosk in a real window under Xvfb at a
// landscape 1920×1080, a small 1366×768 and a portrait 1080×1920 screen, in every language,
// with normal and with large text in high contrast. At each page the test reads where the
// renderer drew each widget (the tree's boxes) and checks what a citizen would notice:
//   - the header stays on one line, and nothing runs off the screen's sides;
//   - every page opens at its top, its heading in view;
//   - the field being typed into, its label and its error stay in view above the keyboard,
//     and every key of the keyboard is on the screen;
//   - no label is cut ("…") where two lines would hold it;
//   - pressing Review with a mistake brings the error summary into view.
#include <fmt/format.h>

#include <fstream>

#include "digital_centre_fixture.hpp"
#include "process.hpp"

namespace seba::kiosk {
namespace {

using json = nlohmann::json;

struct Screen {
    int width;
    int height;
};

struct Box {
    float x = 0, y = 0, w = 0, h = 0;
    float bottom() const { return y + h; }
};

std::optional<Box> box_of(const json& node) {
    if (!node.contains("box")) return std::nullopt;
    const json& b = node["box"];
    return Box{b[0].get<float>(), b[1].get<float>(), b[2].get<float>(), b[3].get<float>()};
}

const json* find(const json& tree, std::string_view id) {
    for (const json& n : tree)
        if (n.value("id", "") == id) return &n;
    return nullptr;
}

// The pages of one citizen's request in `language`, each dumped as "<language>-<page>".
json request_in(const std::string& language, bool large_and_contrast) {
    json steps = json::array();
    auto add = [&](const char* text) { steps.push_back(json::parse(text)); };
    auto dump = [&](const std::string& page) {
        steps.push_back({{"dump", language + "-" + page}});
    };
    steps.push_back({{"language", language}});
    if (large_and_contrast) {
        add(R"({"tap": "shell.large_text"})");
        add(R"({"tap": "shell.contrast"})");
    }
    dump("home");
    add(R"({"tap": "shell.home.digital_centre"})");
    dump("dc");
    add(R"({"tap": "dc.cat.certificates"})");
    dump("category");
    add(R"({"tap": "dc.svc.birth_registration"})");
    dump("detail");
    add(R"({"tap": "dc.apply"})");
    dump("form");
    // A name with a digit in it, then on to the last field: the keyboard is open on it.
    add(R"({"tap": "dc.f.birth_registration.child_name"})");
    add(R"({"type": "Ayesha7"})");
    add(R"({"tap": "dc.f.birth_registration.phone"})");
    add(R"({"type": "01711223344"})");
    dump("typing");
    add(R"({"tap": "dc.review"})");
    dump("errors");
    add(R"({"tap": "dc.f.birth_registration.child_name.problem"})");
    dump("fix");
    add(R"({"tap": "osk.backspace"})");
    add(R"({"tap": "dc.f.birth_registration.date_of_birth"})");
    add(R"({"type": "15-03-2018"})");
    add(R"({"tap": "dc.f.birth_registration.father_name"})");
    add(R"({"type": "Karim Uddin"})");
    add(R"({"tap": "dc.f.birth_registration.mother_name"})");
    add(R"({"type": "Rashida Khatun"})");
    add(R"({"tap": "dc.f.birth_registration.applicant_nid"})");
    add(R"({"type": "19902692613000012"})");
    dump("filled");
    add(R"({"tap": "osk.enter"})");
    add(R"({"tap": "dc.review"})");
    add(R"({"expect": "dc.review.title"})");
    dump("review");
    add(R"({"tap": "dc.confirm"})");
    add(R"({"expect": "dc.receipt.panel"})");
    dump("receipt");
    add(R"({"tap": "dc.done"})");
    add(R"({"tap": "shell.home"})");
    add(R"({"expect_screen": "home"})");
    return steps;
}

class DigitalCentreLayoutTest : public DigitalCentreTest,
                                public ::testing::WithParamInterface<std::tuple<Screen, bool>> {
  protected:
    static constexpr const char* kLanguages[] = {"bn", "uz-Latn", "uz-Cyrl", "ru", "en"};

    void SetUp() override {
        DigitalCentreTest::SetUp();
        start();
        publish_demo_services();
        stop();  // the database is the kiosk process's from here on
        seba::testing::write_file(
            dir() / "seba.toml",
            fmt::format(R"(
[kiosk]
id = "layout-kiosk"
centre = "test-centre"
languages = ["bn", "uz-Latn", "uz-Cyrl", "ru", "en"]
default_language = "bn"
idle_timeout_s = 600
data_dir = "{}"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]

[plugin.digital_centre]
centre_code = "LAY1"
{})",
                        (dir() / "data").string(), SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY,
                        printer_toml(dir() / "receipts")));
    }

    // Plays every language's request at this screen size; the trees land in out/.
    void play(const Screen& screen, bool large_and_contrast) {
        json steps = json::array();
        for (const char* language : kLanguages)
            for (const json& s : request_in(language, large_and_contrast)) steps.push_back(s);
        seba::testing::write_file(dir() / "script.json", steps.dump());
        seba::testing::ProcessResult r = seba::testing::run_process(fmt::format(
            "{} -a -s '-screen 0 {}x{}x24' '{}' --config '{}' --script '{}' --out '{}' --width {} "
            "--height {}",
            SEBA_XVFB_RUN, screen.width, screen.height, SEBA_KIOSK_BIN,
            (dir() / "seba.toml").string(), (dir() / "script.json").string(),
            (dir() / "out").string(), screen.width, screen.height));
        ASSERT_EQ(r.exit_code, 0) << r.output;
    }

    json tree(const std::string& name) {
        std::ifstream in(dir() / "out" / (name + ".json"));
        if (!in) {
            ADD_FAILURE() << "no dump " << name;
            return json::array();
        }
        return json::parse(in);
    }
};

TEST_P(DigitalCentreLayoutTest, EveryPageFitsTheScreenAndKeepsWhatMattersInView) {
    const auto& [screen, large] = GetParam();
    play(screen, large);
    const float right = static_cast<float>(screen.width) + 1;
    const char* pages[] = {"home",   "dc",  "category", "detail", "form",   "typing",
                           "errors", "fix", "filled",   "review", "receipt"};
    // The pages a tap just opened: each must show its top.
    const std::set<std::string> opened = {"home", "dc",     "category", "detail",
                                          "form", "review", "receipt"};
    for (const char* language : kLanguages) {
        for (const char* page : pages) {
            const std::string name = std::string(language) + "-" + page;
            SCOPED_TRACE(name);
            const json t = tree(name);
            const json* content = find(t, "shell.content");
            ASSERT_TRUE(content && box_of(*content)) << "the page has a content area";
            const Box view = *box_of(*content);

            // One line of header, and nothing off the screen's sides; no label cut short.
            float header_top = 1e9f, header_bottom = 0;
            std::optional<float> keyboard_top;
            const json* heading = nullptr;
            const json* focused = nullptr;
            bool in_header = false;
            for (const json& n : t) {
                const std::string id = n.value("id", "");
                const std::string role = n.value("role", "");
                if (id == "shell.header") in_header = true;
                if (id == "shell.content") in_header = false;
                std::optional<Box> b = box_of(n);
                if (!b) continue;
                EXPECT_GE(b->x, -1.0f) << id;
                EXPECT_LE(b->x + b->w, right) << id << " runs off the screen's right side";
                EXPECT_FALSE(n.value("elided", false))
                    << id << " is cut short: \"" << n.value("label", "") << "\"";
                if (in_header && id != "shell.header") {
                    header_top = std::min(header_top, b->y);
                    header_bottom = std::max(header_bottom, b->bottom());
                }
                if (role == "key") {
                    keyboard_top = std::min(keyboard_top.value_or(1e9f), b->y);
                    EXPECT_LE(b->bottom(), static_cast<float>(screen.height) + 1)
                        << id << " is below the screen";
                }
                if (role == "heading" && !heading) heading = &n;
                if (role == "field" && n.value("focused", false)) focused = &n;
            }
            const float scale = static_cast<float>(std::min(screen.width, screen.height)) / 1080.0f;
            EXPECT_LT(header_bottom - header_top, 120.0f * scale * (large ? 1.5f : 1.0f))
                << "the header wrapped onto more lines";

            if (opened.count(page)) {
                ASSERT_TRUE(heading) << "a page has a heading";
                const Box h = *box_of(*heading);
                EXPECT_GE(h.y, view.y - 1) << "the page did not open at its top";
                EXPECT_LE(h.bottom(), view.bottom() + 1) << "the heading is below the fold";
            }
            if (focused) {
                ASSERT_TRUE(keyboard_top) << "a focused field opens the keyboard";
                const Box f = *box_of(*focused);
                EXPECT_GE(f.y, view.y - 1) << focused->value("id", "") << " above the view";
                EXPECT_LE(f.bottom(), std::min(view.bottom(), *keyboard_top) + 1)
                    << focused->value("id", "") << " (its label, error and box) is hidden "
                    << "behind the keyboard";
            }
            if (std::string(page) == "errors") {
                const json* summary = find(t, "dc.form.errors");
                ASSERT_TRUE(summary) << "Review with a mistake lists it";
                const Box s = *box_of(*summary);
                EXPECT_GE(s.y, view.y - 1) << "the error summary is scrolled away";
                EXPECT_LE(s.bottom(), view.bottom() + 1) << "the error summary is out of view";
            }
            if (std::string(page) == "fix") {
                ASSERT_TRUE(focused) << "the summary's entry focused the field";
                EXPECT_EQ(focused->value("id", ""), "dc.f.birth_registration.child_name");
                EXPECT_FALSE(focused->value("error", "").empty()) << "with its error";
            }
        }
    }
}

std::string name_of(const ::testing::TestParamInfo<std::tuple<Screen, bool>>& info) {
    const auto& [screen, large] = info.param;
    return fmt::format("{}x{}{}", screen.width, screen.height, large ? "_large_contrast" : "");
}

INSTANTIATE_TEST_SUITE_P(Screens, DigitalCentreLayoutTest,
                         ::testing::Combine(::testing::Values(Screen{1920, 1080}, Screen{1366, 768},
                                                              Screen{1080, 1920}),
                                            ::testing::Bool()),
                         name_of);

}  // namespace
}  // namespace seba::kiosk
