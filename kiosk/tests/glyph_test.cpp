// SPDX-License-Identifier: Apache-2.0
// Every string the kiosk shows, in every language, has a glyph for each of its characters
// in the faces the kiosk shapes it with: no "?" or empty box on screen (a Bangla danda once
// showed as "?", and once more as a box on the Bangla keyboard when it stood alone). Each
// language is checked with the fonts its own record names (seba/ui/languages.hpp), without
// the fallbacks the kiosk would also try, so a record that names the wrong font fails here.
// A language a country pack adds in a script Seba does not ship draws once its font is
// named, and is refused with its package when that font is not installed. Uses the
// renderer's own shaping (fontconfig, HarfBuzz), headless, without GL.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "language_fonts.hpp"
#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/keyboard.hpp"
#include "seba/ui/languages.hpp"
#include "seba/utf8.hpp"

namespace seba::kiosk {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// The fonts `language`'s record names, and nothing else.
std::unique_ptr<text::FontSet> fonts_of(const ui::Language& language) {
    auto fonts = text::FontSet::system(font_choices({language}));
    fonts->set_fallbacks(false);
    return fonts;
}

// A language a country pack could add, as its record would read (assets/languages).
ui::Language made_up(const char* tag, const char* name, const char* script, const char* family,
                     const char* package = "fonts-noto-core") {
    ui::Language language;
    language.tag = tag;
    language.name = name;
    language.english_name = tag;
    language.scripts = {script};
    language.keyboard_layout = "us";
    language.fonts = {{script, {family}}};
    language.font_packages = {package};
    return language;
}

class GlyphTest : public ::testing::Test {
  protected:
    // The code point of the first glyph `fonts` lacks in `s`, shaped as the kiosk shapes it,
    // or 0.
    static char32_t first_missing(text::FontSet& fonts, std::string_view s,
                                  std::string_view language) {
        text::Shaper shaper(fonts);
        text::ShapedText shaped = shaper.shape(s, {.language = language});
        for (const text::ShapedGlyph& g : shaped.glyphs)
            if (g.glyph == 0) return utf8::decode(s, g.cluster).code;
        std::vector<char32_t> missing = fonts.missing(s);
        return missing.empty() ? 0 : missing.front();
    }

    static void expect_drawable(text::FontSet& fonts, std::string_view s, const std::string& where,
                                std::string_view language) {
        char32_t missing = first_missing(fonts, s, language);
        EXPECT_EQ(missing, 0u) << fmt::format("{}: no glyph for U+{:04X} in \"{}\"", where,
                                              static_cast<unsigned>(missing), s);
    }

    // Every string of `domain` in every language it has a catalog for (and English), each
    // with the fonts of its language.
    static void expect_catalog_drawable(const std::string& domain, const fs::path& dir) {
        ui::Catalog catalog = ui::Catalog::load(domain, dir);
        ASSERT_FALSE(catalog.msgids().empty()) << dir;
        std::vector<std::string> tags = catalog.languages();
        tags.push_back("en");
        for (const std::string& tag : tags) {
            const ui::Language* language = ui::languages().find(tag);
            ASSERT_NE(language, nullptr) << domain << " has a catalog for unknown " << tag;
            std::unique_ptr<text::FontSet> fonts = fonts_of(*language);
            for (const std::string& id : catalog.msgids())
                expect_drawable(*fonts, catalog.translate(tag, id), domain + " " + tag, tag);
        }
    }
};

TEST_F(GlyphTest, EveryStringOfEveryDomainInEveryLanguageCanBeDrawnWithItsFonts) {
    expect_catalog_drawable("seba", SEBA_KIOSK_LOCALE_DIR);
    std::size_t plugins = 0;
    for (const fs::directory_entry& plugin :
         fs::directory_iterator(fs::path(SEBA_SOURCE_DIR) / "plugins")) {
        const fs::path locale = plugin.path() / "assets" / "locale";
        if (!fs::is_directory(locale)) continue;
        expect_catalog_drawable(plugin.path().filename().string(), locale);
        ++plugins;
    }
    EXPECT_GE(plugins, 2u) << "about and digital_centre have catalogs";
}

TEST_F(GlyphTest, EveryKeyOfEveryKeyboardAndEveryLanguageNameCanBeDrawn) {
    for (const ui::Language& l : ui::languages().all()) {
        const std::string& language = l.tag;
        std::unique_ptr<text::FontSet> fonts = fonts_of(l);
        expect_drawable(*fonts, ui::language_endonym(language), "endonym", language);
        for (const auto& row : ui::keyboard_for_language(language).rows)
            for (const ui::Key& key : row) {
                expect_drawable(*fonts, ui::key_label(ui::localize_digits(key.text, language)),
                                "keyboard " + language, language);
                expect_drawable(*fonts, ui::key_label(key.shifted),
                                "keyboard " + language + " shifted", language);
            }
    }
}

TEST_F(GlyphTest, UzbekRussianAndBanglaSamplesCanBeDrawn) {
    std::unique_ptr<text::FontSet> fonts =
        text::FontSet::system(font_choices(ui::Languages::shipped().all()));
    fonts->set_fallbacks(false);
    for (const char* text : {"Oʻzbekiston Respublikasi, Gʻijduvon tumani", "Ўзбекистон: ў қ ғ ҳ",
                             "Ёлкин, Щёлково, ъ ы э", "ক্ষিতি কর্ম স্কুল রাষ্ট্র ৳৫০।", "০১২৩৪৫৬৭৮৯",
                             "১৭ অঙ্কের জন্ম নিবন্ধন নম্বর", "‹ ›"})
        expect_drawable(*fonts, text, "sample", "bn");
}

TEST_F(GlyphTest, AMissingGlyphIsFoundAndNamed) {
    // A character no face covers (a CJK ideograph): the check must see it.
    std::unique_ptr<text::FontSet> fonts = fonts_of(*ui::languages().find("bn"));
    EXPECT_EQ(first_missing(*fonts, "ok 漢", "en"), U'漢');
    EXPECT_EQ(first_missing(*fonts, "ক\u200Dষ", "bn"), 0u) << "a joiner is not drawn";
    // Georgian is not among Bangla's fonts: the check sees that too.
    EXPECT_EQ(first_missing(*fonts, "ok ქ", "ka"), U'ქ');
}

TEST_F(GlyphTest, ALanguageACountryPackAddsDrawsWithTheFontItNames) {
    ui::Languages languages = ui::Languages::shipped();
    languages.add(made_up("ne", "नेपाली", "Deva", "Noto Sans Devanagari"));
    languages.add(made_up("ka", "ქართული", "Geor", "Noto Sans Georgian"));
    languages.add(made_up("am", "አማርኛ", "Ethi", "Noto Sans Ethiopic"));
    ui::set_languages(languages);
    const std::map<std::string, std::string> samples = {
        {"ne", "क्षत्रिय नेपाली, काठमाडौं"}, {"ka", "საქართველო, თბილისი"}, {"am", "ኢትዮጵያ, አዲስ አበባ"}};
    for (const auto& [tag, sample] : samples) {
        const ui::Language* language = ui::languages().find(tag);
        ASSERT_NE(language, nullptr) << tag;
        std::unique_ptr<text::FontSet> fonts = fonts_of(*language);
        expect_drawable(*fonts, language->name, "endonym", tag);
        expect_drawable(*fonts, sample, "sample", tag);
        text::Shaper shaper(*fonts);
        text::ShapedText shaped = shaper.shape(sample, {.language = tag});
        for (const text::ShapedGlyph& g : shaped.glyphs) {
            EXPECT_NE(g.glyph, 0u) << sample;
            if (g.cluster < sample.find(',')) {
                EXPECT_EQ(fonts->face(g.face).file(),
                          text::find_font_file(language->fonts[0].families[0], "-"))
                    << sample << ": drawn with the font its language names";
            }
        }
    }
    // The kiosk's whole set, as the shell builds it for these languages, finds every font.
    EXPECT_EQ(text::FontSet::missing_fonts(font_choices(ui::languages().all())), "");
    ui::set_languages(ui::Languages::shipped());
}

TEST_F(GlyphTest, ALanguageWhoseFontIsNotInstalledIsRefusedNamingThePackage) {
    const ui::Language imaginary =
        made_up("sa", "संस्कृतम्", "Deva", "Noto Sans Imaginary", "fonts-noto-extra");
    const std::vector<text::FontChoice> choices = font_choices({imaginary});
    ASSERT_EQ(choices.size(), 1u);
    EXPECT_EQ(choices[0].language, "संस्कृतम् (sa)");
    try {
        text::FontSet::system(choices);
        ADD_FAILURE() << "a language whose font is missing would show empty boxes";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("fonts-noto-extra"));
        EXPECT_THAT(e.what(), HasSubstr("Noto Sans Imaginary"));
        EXPECT_THAT(e.what(), HasSubstr("संस्कृतम् (sa)"));
    }
    EXPECT_THAT(text::FontSet::missing_fonts(choices), HasSubstr("fonts-noto-extra"));
}

TEST_F(GlyphTest, TheShellsChoicesCoverEveryScriptOnceAndPrintingNamesEveryFamily) {
    const std::vector<text::FontChoice> choices = font_choices(ui::Languages::shipped().all());
    // Bangla, Latin and Cyrillic: Russian's Cyrillic is Uzbek's, given once.
    ASSERT_EQ(choices.size(), 3u);
    EXPECT_EQ(choices[0].script, "Beng");
    EXPECT_EQ(choices[0].families, std::vector<std::string>{"Noto Sans Bengali"});
    EXPECT_EQ(choices[0].packages, std::vector<std::string>{"fonts-noto-core"});
    EXPECT_EQ(choices[0].language, "বাংলা (bn)");
    EXPECT_EQ(print_font_families(ui::Languages::shipped().all()),
              (std::vector<std::string>{"Noto Sans", "Noto Sans Bengali"}));
}

}  // namespace
}  // namespace seba::kiosk
