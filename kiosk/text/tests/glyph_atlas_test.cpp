// SPDX-License-Identifier: Apache-2.0
// Glyphs are rasterized on first use at the size they are drawn, placed where HarfBuzz
// put them, and an atlas that fills up starts over rather than failing.
#include "seba/text/glyph_atlas.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"

namespace seba::text {
namespace {

class Atlas : public ::testing::Test {
  protected:
    void SetUp() override { fonts_ = FontSet::system(); }
    ShapedText shape(std::string_view s, float px = 30.0f) {
        return Shaper(*fonts_).shape(s, {.size_px = px, .language = "bn"});
    }
    std::unique_ptr<FontSet> fonts_;
};

TEST_F(Atlas, GlyphsAreRasterizedOnceOnFirstUseAtTheirSize) {
    GlyphAtlas atlas(*fonts_);
    EXPECT_EQ(atlas.glyph_count(), 0u) << "nothing up front";
    ShapedText word = shape("স্কুল");
    place_glyphs(word, atlas, 30.0f, 0, 40);
    std::size_t after_first = atlas.glyph_count();
    EXPECT_EQ(after_first, word.glyphs.size());
    ASSERT_TRUE(atlas.dirty_rows().has_value()) << "new glyphs need uploading";
    atlas.mark_uploaded();
    place_glyphs(word, atlas, 30.0f, 0, 40);
    EXPECT_EQ(atlas.glyph_count(), after_first) << "drawn again: nothing new";
    EXPECT_FALSE(atlas.dirty_rows().has_value());
    place_glyphs(shape("স্কুল", 44.0f), atlas, 44.0f, 0, 40);
    EXPECT_EQ(atlas.glyph_count(), 2 * after_first) << "another size is another bitmap";
    // Bigger size, bigger bitmaps: the ক of the heading is taller than the body's.
    AtlasGlyph body = atlas.glyph(1, shape("ক").glyphs[0].glyph, 30.0f);
    AtlasGlyph heading = atlas.glyph(1, shape("ক").glyphs[0].glyph, 44.0f);
    EXPECT_GT(heading.height, body.height);
}

TEST_F(Atlas, TheVowelSignOfKiIsDrawnLeftOfItsConsonant) {
    GlyphAtlas atlas(*fonts_);
    std::vector<GlyphQuad> ki = place_glyphs(shape("কি"), atlas, 30.0f, 100, 100);
    ASSERT_EQ(ki.size(), 2u);
    // ি (first glyph) starts left of ক and reaches over it.
    EXPECT_LT(ki[0].x0, ki[1].x0);
    EXPECT_LT(ki[0].y0, ki[1].y0) << "its loop rises above the consonant";
}

TEST_F(Atlas, RephSitsAboveTheLineAfterItsConsonant) {
    GlyphAtlas atlas(*fonts_);
    ShapedText karma = shape("কর্ম");
    std::vector<GlyphQuad> quads = place_glyphs(karma, atlas, 30.0f, 100, 100);
    ASSERT_GE(quads.size(), 3u);
    // The reph (র্ drawn as a hook over ম) is the smallest glyph and lies wholly above
    // the baseline, right of where ক begins.
    auto reph = std::min_element(quads.begin(), quads.end(), [](const auto& a, const auto& b) {
        return (a.x1 - a.x0) * (a.y1 - a.y0) < (b.x1 - b.x0) * (b.y1 - b.y0);
    });
    EXPECT_LT(reph->y1, 100.0f - 10.0f) << "the reph is above the headline's bottom";
    EXPECT_GT(reph->x0, quads.front().x0);
}

TEST_F(Atlas, AFullAtlasStartsOverAndKeepsDrawing) {
    GlyphAtlas atlas(*fonts_, 96);  // room for a handful of big glyphs
    std::uint64_t generation = atlas.generation();
    ShapedText text = shape("আমার সোনার বাংলা আমি তোমায় ভালোবাসি", 40.0f);
    place_glyphs(text, atlas, 40.0f, 0, 50);
    EXPECT_GT(atlas.generation(), generation) << "it overflowed and started over";
    // The frame that saw the atlas start over draws again: then everything it shows is in
    // the fresh atlas, and a third draw adds nothing.
    ShapedText last = shape("ভালোবাসি", 40.0f);
    place_glyphs(last, atlas, 40.0f, 0, 50);
    generation = atlas.generation();
    std::size_t count = atlas.glyph_count();
    std::vector<GlyphQuad> quads = place_glyphs(last, atlas, 40.0f, 0, 50);
    EXPECT_EQ(atlas.generation(), generation);
    EXPECT_EQ(atlas.glyph_count(), count);
    EXPECT_FALSE(quads.empty());
    // A glyph bigger than the whole atlas is skipped, not a crash.
    GlyphAtlas tiny(*fonts_, 16);
    EXPECT_TRUE(place_glyphs(shape("ক", 60.0f), tiny, 60.0f, 0, 60).empty());
}

TEST_F(Atlas, AFullAtlasGrowsFirstAndItsGlyphsKeepTheirPlacesAndPixels) {
    GlyphAtlas atlas(*fonts_, 64, 256);
    ShapedText first = shape("ক", 40.0f);
    std::vector<GlyphQuad> before = place_glyphs(first, atlas, 40.0f, 0, 50);
    ASSERT_EQ(before.size(), 1u);
    const AtlasGlyph& k = before[0].source;
    auto pixel_at = [&](int x, int y) {
        return atlas.pixels()[static_cast<std::size_t>(y) * atlas.side() + x];
    };
    std::vector<std::uint8_t> k_pixels;
    for (int y = 0; y < k.height; ++y)
        for (int x = 0; x < k.width; ++x) k_pixels.push_back(pixel_at(k.x + x, k.y + y));
    atlas.mark_uploaded();

    std::uint64_t generation = atlas.generation();
    place_glyphs(shape("আমার সোনার বাংলা", 40.0f), atlas, 40.0f, 0, 50);
    EXPECT_GT(atlas.side(), 64) << "it grew";
    EXPECT_EQ(atlas.generation(), generation) << "it did not start over while it could grow";
    ASSERT_TRUE(atlas.dirty_rows().has_value());
    EXPECT_EQ(*atlas.dirty_rows(), std::make_pair(0, atlas.side())) << "a new texture is sent";
    std::vector<GlyphQuad> after = place_glyphs(first, atlas, 40.0f, 0, 50);
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].source.x, k.x);
    EXPECT_EQ(after[0].source.y, k.y);
    std::vector<std::uint8_t> moved;
    for (int y = 0; y < k.height; ++y)
        for (int x = 0; x < k.width; ++x) moved.push_back(pixel_at(k.x + x, k.y + y));
    EXPECT_EQ(moved, k_pixels) << "the glyph's bitmap came along";

    // At its largest it starts over, as an atlas that cannot grow does.
    place_glyphs(shape("আমার সোনার বাংলা আমি তোমায় ভালোবাসি চিরদিন তোমার আকাশ", 60.0f), atlas,
                 60.0f, 0, 70);
    EXPECT_LE(atlas.side(), 256);
    EXPECT_GT(atlas.generation(), generation) << "full at 256: started over";
}

}  // namespace
}  // namespace seba::text
