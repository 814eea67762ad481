// SPDX-License-Identifier: Apache-2.0
// Every string the kiosk shows, in every language, has a glyph for each of its characters
// in the faces the kiosk shapes it with: no "?" or empty box on screen (a Bangla danda once
// showed as "?", and once more as a box on the Bangla keyboard when it stood alone). Uses
// the renderer's own shaping (fontconfig, HarfBuzz), headless, without GL.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "seba/config.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/keyboard.hpp"
#include "seba/ui/languages.hpp"
#include "seba/utf8.hpp"

namespace seba::kiosk {
namespace {

class GlyphTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fonts_ = text::FontSet::system();
        shaper_ = std::make_unique<text::Shaper>(*fonts_);
    }

    // The code point of the first glyph the faces lack, or 0.
    char32_t first_missing(std::string_view s, std::string_view language) {
        text::ShapedText shaped = shaper_->shape(s, {.language = language});
        for (const text::ShapedGlyph& g : shaped.glyphs)
            if (g.glyph == 0) return utf8::decode(s, g.cluster).code;
        return 0;
    }

    void expect_drawable(std::string_view s, const std::string& where,
                         std::string_view language = "bn") {
        char32_t missing = first_missing(s, language);
        EXPECT_EQ(missing, 0u) << fmt::format("{}: no glyph for U+{:04X} in \"{}\"", where,
                                              static_cast<unsigned>(missing), s);
    }

    void expect_catalog_drawable(const std::string& domain, const std::filesystem::path& dir) {
        ui::Catalog catalog = ui::Catalog::load(domain, dir);
        ASSERT_FALSE(catalog.msgids().empty()) << dir;
        for (const ui::Language& l : ui::languages()->all())
            for (const std::string& language = l.tag; const std::string& id : catalog.msgids())
                expect_drawable(catalog.translate(language, id), domain + " " + language, language);
    }

    std::unique_ptr<text::FontSet> fonts_;
    std::unique_ptr<text::Shaper> shaper_;
};

TEST_F(GlyphTest, EveryShellStringInEveryLanguageCanBeDrawn) {
    expect_catalog_drawable("seba", SEBA_KIOSK_LOCALE_DIR);
}

TEST_F(GlyphTest, EveryAboutPluginStringCanBeDrawn) {
    expect_catalog_drawable("about", SEBA_ABOUT_LOCALE_DIR);
}

TEST_F(GlyphTest, EveryKeyOfEveryKeyboardAndEveryLanguageNameCanBeDrawn) {
    for (const ui::Language& l : ui::languages()->all()) {
        const std::string& language = l.tag;
        expect_drawable(ui::language_endonym(language), "endonym", language);
        for (const auto& row : ui::keyboard_for_language(language).rows)
            for (const ui::Key& key : row) {
                expect_drawable(ui::key_label(ui::localize_digits(key.text, language)),
                                "keyboard " + language, language);
                expect_drawable(ui::key_label(key.shifted), "keyboard " + language + " shifted",
                                language);
            }
    }
}

TEST_F(GlyphTest, UzbekRussianAndBanglaSamplesCanBeDrawn) {
    for (const char* text : {"Oʻzbekiston Respublikasi, Gʻijduvon tumani", "Ўзбекистон: ў қ ғ ҳ",
                             "Ёлкин, Щёлково, ъ ы э", "ক্ষিতি কর্ম স্কুল রাষ্ট্র ৳৫০।", "০১২৩৪৫৬৭৮৯",
                             "১৭ অঙ্কের জন্ম নিবন্ধন নম্বর", "‹ ›"})
        expect_drawable(text, "sample");
}

TEST_F(GlyphTest, AMissingGlyphIsFoundAndNamed) {
    // A character no face covers (a CJK ideograph): the check must see it.
    EXPECT_EQ(first_missing("ok 漢", "en"), U'漢');
    EXPECT_EQ(first_missing("ক\u200Dষ", "bn"), 0u) << "a joiner is not drawn";
}

}  // namespace
}  // namespace seba::kiosk
