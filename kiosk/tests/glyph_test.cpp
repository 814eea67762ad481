// Every string the kiosk shows, in every language, has a glyph for each of its characters
// in the fonts the kiosk loads: no "?" or empty box on screen (a Bangla danda once showed
// as "?"). Builds the real font atlas headless, without GL.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <imgui.h>

#include "fonts.hpp"
#include "seba/config.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/keyboard.hpp"

namespace seba::kiosk {
namespace {

class GlyphTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        fonts_ = load_kiosk_fonts(1.0f);
    }
    void TearDown() override { ImGui::DestroyContext(); }

    // Every font size, since each is its own set of glyphs.
    void expect_drawable(std::string_view text, const std::string& where) {
        for (const ImFont* font :
             {fonts_.body, fonts_.heading, fonts_.body_large, fonts_.heading_large}) {
            char32_t missing = first_missing_glyph(font, text);
            EXPECT_EQ(missing, 0u) << fmt::format("{}: no glyph for U+{:04X} in \"{}\"", where,
                                                  static_cast<unsigned>(missing), text);
            if (missing) return;
        }
    }

    void expect_catalog_drawable(const std::string& domain, const std::filesystem::path& dir) {
        ui::Catalog catalog = ui::Catalog::load(domain, dir);
        ASSERT_FALSE(catalog.msgids().empty()) << dir;
        for (const std::string& language : kSupportedLanguages)
            for (const std::string& id : catalog.msgids())
                expect_drawable(catalog.translate(language, id), domain + " " + language);
    }

    Fonts fonts_;
};

TEST_F(GlyphTest, EveryShellStringInEveryLanguageCanBeDrawn) {
    expect_catalog_drawable("seba", SEBA_KIOSK_LOCALE_DIR);
}

TEST_F(GlyphTest, EveryAboutPluginStringCanBeDrawn) {
    expect_catalog_drawable("about", SEBA_ABOUT_LOCALE_DIR);
}

TEST_F(GlyphTest, EveryKeyOfEveryKeyboardAndEveryLanguageNameCanBeDrawn) {
    for (const std::string& language : kSupportedLanguages) {
        expect_drawable(ui::language_endonym(language), "endonym");
        for (const auto& row : ui::keyboard_for_language(language).rows)
            for (const ui::Key& key : row) {
                expect_drawable(ui::key_label(ui::localize_digits(key.text, language)),
                                "keyboard " + language);
                expect_drawable(ui::key_label(key.shifted), "keyboard " + language + " shifted");
            }
    }
}

TEST_F(GlyphTest, UzbekRussianAndBanglaSamplesCanBeDrawn) {
    for (const char* text : {"Oʻzbekiston Respublikasi, Gʻijduvon tumani", "Ўзбекистон: ў қ ғ ҳ",
                             "Ёлкин, Щёлково, ъ ы э", "ক্ষিতি কর্ম স্কুল রাষ্ট্র ৳৫০।", "০১২৩৪৫৬৭৮৯",
                             "১৭ অঙ্কের জন্ম নিবন্ধন নম্বর"})
        expect_drawable(text, "sample");
}

TEST_F(GlyphTest, AMissingGlyphIsFoundAndNamed) {
    // A character no loaded font covers (a CJK ideograph): the check must see it.
    EXPECT_EQ(first_missing_glyph(fonts_.body, "ok 漢"), U'漢');
    EXPECT_EQ(first_missing_glyph(fonts_.body, "ক\u200Dষ"), 0u) << "a joiner is not drawn";
}

}  // namespace
}  // namespace seba::kiosk
