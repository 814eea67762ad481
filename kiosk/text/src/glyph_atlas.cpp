// SPDX-License-Identifier: Apache-2.0
#include "seba/text/glyph_atlas.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>
#include <cstring>

#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"

namespace seba::text {

GlyphAtlas::GlyphAtlas(FontSet& fonts, int side, int max_side)
    : fonts_(fonts),
      side_(side),
      max_side_(std::max(side, max_side)),
      pixels_(static_cast<std::size_t>(side) * side, 0) {
}

AtlasGlyph GlyphAtlas::glyph(std::uint16_t face, std::uint32_t glyph, float size_px) {
    auto size64 = static_cast<std::uint64_t>(std::lround(size_px * 64.0f));
    // 16 bits of face (the pictogram face is 0xFFFF), 24 of size, 24 of glyph.
    std::uint64_t key = (std::uint64_t{face} << 48) ^ ((size64 & 0xFFFFFF) << 24) ^ glyph;
    auto found = glyphs_.find(key);
    if (found != glyphs_.end()) return found->second;

    AtlasGlyph placed;
    FT_Face ft = fonts_.face(face).ft_face();
    // Light hinting moves outlines vertically only: crisp stems, and HarfBuzz's advances
    // still hold.
    if (FT_Set_Char_Size(ft, 0, static_cast<FT_F26Dot6>(size64), 72, 72) == 0 &&
        FT_Load_Glyph(ft, glyph, FT_LOAD_RENDER | FT_LOAD_TARGET_LIGHT) == 0) {
        const FT_Bitmap& bitmap = ft->glyph->bitmap;
        int w = static_cast<int>(bitmap.width);
        int h = static_cast<int>(bitmap.rows);
        placed.left = static_cast<std::int16_t>(ft->glyph->bitmap_left);
        placed.top = static_cast<std::int16_t>(ft->glyph->bitmap_top);
        if (w > 0 && h > 0 && w + 2 <= side_ && h + 2 <= side_) {
            if (shelf_x_ + w + 1 > side_) {  // next shelf
                shelf_y_ += shelf_height_ + 1;
                shelf_x_ = 1;
                shelf_height_ = 0;
            }
            while (shelf_y_ + h + 1 > side_)
                if (!grow()) {
                    start_over();
                    break;
                }
            placed.x = static_cast<std::uint16_t>(shelf_x_);
            placed.y = static_cast<std::uint16_t>(shelf_y_);
            placed.width = static_cast<std::uint16_t>(w);
            placed.height = static_cast<std::uint16_t>(h);
            for (int row = 0; row < h; ++row)
                std::memcpy(&pixels_[static_cast<std::size_t>(shelf_y_ + row) * side_ + shelf_x_],
                            bitmap.buffer + static_cast<std::ptrdiff_t>(row) * bitmap.pitch,
                            static_cast<std::size_t>(w));
            if (dirty_first_ == dirty_last_) {
                dirty_first_ = shelf_y_;
                dirty_last_ = shelf_y_ + h;
            } else {
                dirty_first_ = std::min(dirty_first_, shelf_y_);
                dirty_last_ = std::max(dirty_last_, shelf_y_ + h);
            }
            shelf_x_ += w + 1;
            shelf_height_ = std::max(shelf_height_, h);
        }
    }
    return glyphs_.emplace(key, placed).first->second;
}

bool GlyphAtlas::grow() {
    if (side_ * 2 > max_side_) return false;
    int side = side_ * 2;
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(side) * side, 0);
    for (int row = 0; row < side_; ++row)
        std::memcpy(&pixels[static_cast<std::size_t>(row) * side],
                    &pixels_[static_cast<std::size_t>(row) * side_],
                    static_cast<std::size_t>(side_));
    pixels_ = std::move(pixels);
    side_ = side;
    dirty_first_ = 0;  // a texture of the new size takes every row
    dirty_last_ = side_;
    return true;
}

void GlyphAtlas::start_over() {
    std::fill(pixels_.begin(), pixels_.end(), 0);
    glyphs_.clear();
    shelf_x_ = shelf_y_ = 1;
    shelf_height_ = 0;
    dirty_first_ = 0;
    dirty_last_ = side_;
    ++generation_;
}

std::optional<std::pair<int, int>> GlyphAtlas::dirty_rows() const {
    if (dirty_first_ == dirty_last_) return std::nullopt;
    return std::pair{dirty_first_, dirty_last_};
}

void GlyphAtlas::mark_uploaded() {
    dirty_first_ = dirty_last_ = 0;
}

std::vector<GlyphQuad> place_glyphs(const ShapedText& shaped, GlyphAtlas& atlas, float size_px,
                                    float x, float baseline_y) {
    std::vector<AtlasGlyph> sources;
    sources.reserve(shaped.glyphs.size());
    for (const ShapedGlyph& g : shaped.glyphs)
        sources.push_back(atlas.glyph(g.face, g.glyph, size_px));
    std::vector<GlyphQuad> quads;
    quads.reserve(shaped.glyphs.size());
    place_glyphs(shaped, sources, x, baseline_y, [&](const GlyphQuad& q) { quads.push_back(q); });
    return quads;
}

}  // namespace seba::text
