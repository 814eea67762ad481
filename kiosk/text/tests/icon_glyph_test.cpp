// SPDX-License-Identifier: Apache-2.0
// Pictograms come from Material Icons through the same HarfBuzz and FreeType path as text: a
// name ("volume_up") becomes the one glyph the font's ligatures make of it, as hb-shape
// shapes it. The icon face stays apart from the text faces: a word is never drawn as a
// pictogram, and a name the font lacks is never drawn as its letters.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/glyph_atlas.hpp"
#include "seba/text/shaper.hpp"
#include "temp_dir.hpp"

namespace seba::text {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class IconGlyphs : public ::testing::Test {
  protected:
    void SetUp() override {
        fonts_ = FontSet::system();
        shaper_ = std::make_unique<Shaper>(*fonts_);
    }
    std::unique_ptr<FontSet> fonts_;
    std::unique_ptr<Shaper> shaper_;
};

TEST_F(IconGlyphs, ANameBecomesTheOneGlyphHbShapeGives) {
    ASSERT_NE(fonts_->icons(), nullptr);
    const std::string font = fonts_->icons()->file().string();
    EXPECT_THAT(font, HasSubstr(".ttf")) << "HarfBuzz reads TrueType, not the WOFF copies";
    for (const char* name : {"volume_up", "home", "arrow_back", "how_to_reg", "text_increase"}) {
        testing::ProcessResult reference = testing::run_process(fmt::format(
            "'{}' --no-glyph-names --output-format=json '{}' '{}'", SEBA_HB_SHAPE, font, name));
        ASSERT_EQ(reference.exit_code, 0) << reference.output;
        nlohmann::json glyphs = nlohmann::json::parse(reference.output);
        ASSERT_EQ(glyphs.size(), 1u) << name << ": " << reference.output;
        EXPECT_EQ(shaper_->icon_glyph(name), glyphs[0]["g"].get<std::uint32_t>()) << name;
    }
}

TEST_F(IconGlyphs, WhatIsNotAPictogramHasNoGlyph) {
    // "a" is one glyph in the font (its letter), "ab" two: neither is a pictogram.
    for (std::string_view name : std::initializer_list<std::string_view>{
             "a", "ab", "no_such_pictogram", "home_", "Home", "home icon", "volume-up", "", "домой",
             std::string_view("\0home", 5)})
        EXPECT_EQ(shaper_->icon_glyph(name), 0u) << name;
    EXPECT_EQ(shaper_->icon_glyph(std::string(49, 'a')), 0u) << "longer than a name may be";

    FontSet without_icons;  // a set made of text faces only draws no pictogram at all
    without_icons.add(fonts_->face(0).file());
    EXPECT_EQ(without_icons.icons(), nullptr);
    EXPECT_EQ(Shaper(without_icons).icon_glyph("home"), 0u);
}

TEST_F(IconGlyphs, TextNeverTakesTheIconFace) {
    std::string words = "home volume_up";
    ShapedText shaped = shaper_->shape(words, {.language = "en"});
    EXPECT_EQ(shaped.glyphs.size(), words.size()) << "letters, one glyph each";
    EXPECT_EQ(shaped.missing(), 0u);
    for (const ShapedGlyph& g : shaped.glyphs) EXPECT_LT(g.face, fonts_->size());
    // The house's own code point (Material Icons' private use U+E88A) in text: the text
    // faces lack it, and it is shown missing rather than taken from the icon face.
    ShapedText house = shaper_->shape("\uE88A", {.language = "en"});
    ASSERT_EQ(house.glyphs.size(), 1u);
    EXPECT_LT(house.glyphs[0].face, fonts_->size());
    EXPECT_EQ(house.missing(), 1u);
    // Nor does the icon face count among the faces whose metrics set a line's height.
    EXPECT_EQ(fonts_->size(), 2u);
}

TEST_F(IconGlyphs, APictogramIsRasterizedInsideItsSquare) {
    GlyphAtlas atlas(*fonts_, 256);
    for (float size : {24.0f, 48.0f}) {
        std::uint32_t glyph = shaper_->icon_glyph("volume_up");
        ASSERT_NE(glyph, 0u);
        AtlasGlyph placed = atlas.glyph(kIconFace, glyph, size);
        EXPECT_GT(placed.width, size / 2) << size;
        EXPECT_LE(placed.left + placed.width, size) << size;
        EXPECT_GE(placed.left, 0) << size;
        // Material Icons stands on the baseline, one em tall (a pixel of antialiasing aside).
        EXPECT_LE(placed.top, size) << size;
        EXPECT_GE(placed.top - placed.height, -1) << size;
        int covered = 0;
        for (int y = 0; y < placed.height; ++y)
            for (int x = 0; x < placed.width; ++x)
                covered += atlas.pixels()[static_cast<std::size_t>(placed.y + y) * atlas.side() +
                                          placed.x + x] > 127;
        EXPECT_GT(covered, placed.width * placed.height / 5) << size;
    }
    // The same glyph id in a text face is another bitmap: the faces do not share places.
    std::uint32_t glyph = shaper_->icon_glyph("home");
    AtlasGlyph icon = atlas.glyph(kIconFace, glyph, 30.0f);
    AtlasGlyph letter = atlas.glyph(0, glyph, 30.0f);
    EXPECT_FALSE(icon.x == letter.x && icon.y == letter.y && icon.width == letter.width);
}

// A kiosk without the icon font is told which package to install, and a WOFF copy of the
// family (fontconfig lists it as TrueType; HarfBuzz cannot read it) does not stand in for it.
TEST_F(IconGlyphs, AMissingIconFontIsNamedWithItsPackage) {
    testing::TempDir dir;
    std::filesystem::create_directories(dir / "fonts");
    std::filesystem::create_symlink(fonts_->face(0).file(), dir / "fonts" / "NotoSans.ttf");
    std::filesystem::create_symlink(fonts_->face(1).file(), dir / "fonts" / "NotoSansBengali.ttf");
    const std::filesystem::path woff2 =
        "/usr/share/fonts/woff/material-design-icons-iconfont/MaterialIcons-Regular.woff2";
    if (std::filesystem::exists(woff2))
        std::filesystem::create_symlink(woff2, dir / "fonts" / "MaterialIcons-Regular.woff2");
    testing::write_file(dir / "fonts.conf",
                        fmt::format("<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir>"
                                    "<cachedir>{}</cachedir></fontconfig>\n",
                                    (dir / "fonts").string(), (dir / "cache").string()));
    testing::ProcessResult r = testing::run_process(
        fmt::format("FONTCONFIG_FILE='{}' '{}' render --out '{}' 'ক' 2>&1",
                    (dir / "fonts.conf").string(), SEBA_TEXT_BIN, (dir / "out.png").string()));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("the font \"Material Icons\" is not installed; install the "
                                    "Debian package fonts-material-design-icons-iconfont"));
    EXPECT_THAT(r.output, Not(HasSubstr("fonts-noto-core"))) << "the Noto faces were found";

    // With the TrueType file beside the WOFF copy, the kiosk's fonts load.
    std::filesystem::create_symlink(fonts_->icons()->file(),
                                    dir / "fonts" / "MaterialIcons-Regular.ttf");
    r = testing::run_process(fmt::format("FONTCONFIG_FILE='{}' '{}' render --out '{}' 'ক' 2>&1",
                                         (dir / "fonts.conf").string(), SEBA_TEXT_BIN,
                                         (dir / "out.png").string()));
    EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace seba::text
