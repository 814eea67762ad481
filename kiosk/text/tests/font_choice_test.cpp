// SPDX-License-Identifier: Apache-2.0
// Fonts chosen by script, as a language record names them: a language in a script Seba does
// not ship (Nepali in Devanagari, Georgian, Amharic in Ethiopic) draws real glyphs, shaped as
// hb-shape shapes them, once its font is chosen; a font that is not installed is refused with
// the package to install; and a character no chosen face has is drawn from any installed
// font that has it rather than as an empty box.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "process.hpp"
#include "seba/error.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"

namespace seba::text {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const FontChoice kNepali{"Deva", {"Noto Sans Devanagari"}, {"fonts-noto-core"}, "नेपाली (ne)"};
const FontChoice kGeorgian{"Geor", {"Noto Sans Georgian"}, {"fonts-noto-core"}, "ქართული (ka)"};
const FontChoice kAmharic{"Ethi", {"Noto Sans Ethiopic"}, {"fonts-noto-core"}, "አማርኛ (am)"};

// The face a glyph of `shaped` came from, when all came from one; else "".
std::string only_face(FontSet& fonts, const ShapedText& shaped) {
    std::string file;
    for (const ShapedGlyph& g : shaped.glyphs) {
        std::string f = fonts.face(g.face).file().string();
        if (!file.empty() && f != file) return "mixed";
        file = f;
    }
    return file;
}

TEST(FontChoices, EachScriptIsDrawnWithTheFontItsLanguageChose) {
    std::unique_ptr<FontSet> fonts = FontSet::system({kNepali, kGeorgian, kAmharic});
    fonts->set_fallbacks(false);  // only what was chosen may draw them
    EXPECT_EQ(fonts->configured_size(), 4u) << "Noto Sans and one face per script";
    Shaper shaper(*fonts);
    struct Case {
        const char* text;
        const char* language;
        const FontChoice& choice;
    };
    for (const Case& c : {Case{"क्षत्रिय नेपाली", "ne", kNepali}, Case{"საქართველო", "ka", kGeorgian},
                          Case{"ኢትዮጵያ አማርኛ", "am", kAmharic}}) {
        ShapedText shaped = shaper.shape(c.text, {.language = c.language});
        ASSERT_FALSE(shaped.glyphs.empty()) << c.text;
        for (const ShapedGlyph& g : shaped.glyphs) EXPECT_NE(g.glyph, 0u) << c.text;
        EXPECT_EQ(only_face(*fonts, shaped), find_font_file(c.choice.families[0], "-").string())
            << c.text;
        EXPECT_THAT(fonts->missing(c.text), IsEmpty()) << c.text;
    }
    // Latin beside them still comes from the default face.
    ShapedText latin = shaper.shape("Nepal", {.language = "ne"});
    EXPECT_EQ(only_face(*fonts, latin), fonts->face(0).file().string());
}

TEST(FontChoices, DevanagariConjunctsShapeAsHbShapeShapesThem) {
    std::unique_ptr<FontSet> fonts = FontSet::system({kNepali});
    const std::string devanagari = find_font_file("Noto Sans Devanagari", "-").string();
    Shaper shaper(*fonts);
    const std::string text = "क्षत्रिय नेपाली";  // क्ष and त्र are conjuncts, ि is drawn first
    for (float size_px : {30.0f, 44.0f}) {
        int scale = static_cast<int>(std::lround(size_px * 64.0f));
        ShapedText shaped = shaper.shape(text, {.size_px = size_px, .language = "ne"});
        testing::ProcessResult reference = testing::run_process(
            fmt::format("'{}' --font-file='{}' --no-glyph-names --output-format=json --language=ne "
                        "--font-size={} '{}'",
                        SEBA_HB_SHAPE, devanagari, scale, text));
        ASSERT_EQ(reference.exit_code, 0) << reference.output;
        EXPECT_EQ(to_hb_shape_json(shaped, text) + "\n", reference.output) << size_px << " px";
        // Fewer glyphs than code points: the conjuncts really formed.
        EXPECT_LT(shaped.glyphs.size(), 15u);
    }
}

TEST(FontChoices, AFontThatIsNotInstalledIsRefusedWithItsPackage) {
    const FontChoice imaginary{"Deva", {"Noto Sans Imaginary"}, {"fonts-noto-extra"}, "Xx (xx)"};
    const std::string message = FontSet::missing_fonts({kNepali, imaginary});
    EXPECT_THAT(message, HasSubstr("Xx (xx)"));
    EXPECT_THAT(message, HasSubstr("\"Noto Sans Imaginary\""));
    EXPECT_THAT(message, HasSubstr("install the Debian package fonts-noto-extra"));
    EXPECT_THAT(message, Not(HasSubstr("नेपाली"))) << "Nepali's font is installed";
    try {
        FontSet::system({kNepali, imaginary});
        ADD_FAILURE() << "a language without its font must not start as empty boxes";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), message);
    }
    EXPECT_EQ(FontSet::missing_fonts({kNepali, kGeorgian}), "");
}

TEST(FontChoices, TheFirstInstalledFamilyIsTakenAndASharedFileIsOpenedOnce) {
    const FontChoice second{"Deva", {"Noto Sans Imaginary", "Noto Serif Devanagari"}, {}, "ne"};
    std::unique_ptr<FontSet> fonts = FontSet::system({second});
    ASSERT_EQ(fonts->configured_size(), 2u);
    EXPECT_EQ(fonts->face(1).file(), find_font_file("Noto Serif Devanagari", "-"));

    const FontChoice latin{"Latn", {"Noto Sans"}, {"fonts-noto-core"}, "uz-Latn"};
    const FontChoice cyrillic{"Cyrl", {"Noto Sans"}, {"fonts-noto-core"}, "ru"};
    fonts = FontSet::system({latin, cyrillic});
    EXPECT_EQ(fonts->configured_size(), 1u) << "Noto Sans serves Latin and Cyrillic at once";
}

TEST(FontChoices, ACharacterNoChosenFaceHasComesFromAnInstalledFont) {
    // The shipped set (Noto Sans, Noto Sans Bengali) has no Georgian; Noto has.
    std::unique_ptr<FontSet> fonts = FontSet::system();
    const std::size_t chosen = fonts->size();
    Shaper shaper(*fonts);
    ShapedText shaped = shaper.shape("საქართველო", {.language = "ka"});
    EXPECT_EQ(shaped.missing(), 0u);
    EXPECT_EQ(fonts->size(), chosen + 1) << "one font found, once";
    EXPECT_GE(shaped.glyphs.front().face, chosen);
    shaper.shape("თბილისი", {.language = "ka"});
    EXPECT_EQ(fonts->size(), chosen + 1) << "the font found is kept, not found again";
    EXPECT_EQ(fonts->configured_size(), chosen);

    // What no installed font has is named; invisible characters are not missing.
    EXPECT_THAT(fonts->missing("ok \u0378 ক\u200Dষ \uFE0F\n"), ElementsAre(U'\u0378'));
    EXPECT_THAT(fonts->missing("Oʻzbek ক্ষ Россия ქ"), IsEmpty());

    // A set made of given files draws with those alone.
    FontSet exact;
    exact.add(fonts->face(0).file());
    EXPECT_THAT(exact.missing("Aქ"), ElementsAre(U'ქ'));
    EXPECT_EQ(exact.size(), 1u);
}

TEST(FontChoices, AnArabicLineIsDrawnRightToLeft) {
    const FontChoice arabic{"Arab", {"Noto Sans Arabic"}, {"fonts-noto-core"}, "العربية (ar)"};
    std::unique_ptr<FontSet> fonts = FontSet::system({arabic});
    const std::string file = find_font_file("Noto Sans Arabic", "-").string();
    Shaper shaper(*fonts);
    // Alone, as hb-shape shapes it (which takes the direction from the script): joined
    // letters, the last one leftmost.
    const std::string text = "مرحبا بالعالم";
    ShapedText shaped = shaper.shape(text, {.size_px = 30.0f, .units_per_px = 1, .language = "ar"});
    testing::ProcessResult reference = testing::run_process(
        fmt::format("'{}' --font-file='{}' --no-glyph-names --output-format=json --language=ar "
                    "--font-size=30 '{}'",
                    SEBA_HB_SHAPE, file, text));
    ASSERT_EQ(reference.exit_code, 0) << reference.output;
    EXPECT_EQ(to_hb_shape_json(shaped, text) + "\n", reference.output);
    ASSERT_FALSE(shaped.glyphs.empty());
    EXPECT_GT(shaped.glyphs.front().cluster, shaped.glyphs.back().cluster) << "right to left";

    // In a left-to-right line, the Arabic phrase keeps its own order inside: "Tk 50" is left
    // of it, the Arabic words read from the right, the first word rightmost.
    const std::string mixed = "Tk 50 مرحبا بالعالم";
    ShapedText line = shaper.shape(mixed, {.language = "en"});
    EXPECT_EQ(line.missing(), 0u);
    ASSERT_GE(line.glyphs.size(), 3u);
    EXPECT_EQ(line.glyphs.front().cluster, 0u) << "T first";
    std::int64_t x = 0, first_word_x = -1, second_word_x = -1;
    const std::uint32_t second = static_cast<std::uint32_t>(mixed.find("بالعالم"));
    for (const ShapedGlyph& g : line.glyphs) {
        if (g.cluster >= mixed.find("مرحبا") && g.cluster < second && first_word_x < 0)
            first_word_x = x;
        if (g.cluster >= second && second_word_x < 0) second_word_x = x;
        x += g.x_advance;
    }
    EXPECT_GT(first_word_x, second_word_x) << "the first Arabic word is drawn right of the second";
    EXPECT_GT(second_word_x, 0);
}

}  // namespace
}  // namespace seba::text
