// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Glyph bitmaps rasterized by FreeType on first use, at the exact pixel size they are drawn
/// at, packed into one coverage texture. Nothing is rasterized up front: a screen of Bangla
/// costs the glyphs it shows.

#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "seba/text/shaper.hpp"

namespace seba::text {

class FontSet;

/// Where a glyph's bitmap sits in the atlas, and how to place it at a pen position.
struct AtlasGlyph {
    std::uint16_t x = 0, y = 0;  ///< top-left in the atlas, pixels
    std::uint16_t width = 0, height = 0;
    std::int16_t left = 0;  ///< bitmap's left edge from the pen, pixels
    std::int16_t top = 0;   ///< bitmap's top edge above the baseline, pixels
};

class GlyphAtlas {
  public:
    /// A square atlas of `side` pixels. With a larger `max_side`, a full atlas doubles its
    /// side (its glyphs keep their places) until it reaches `max_side`: a screen of Latin
    /// costs a small texture, and only many scripts and sizes at once need the big one.
    explicit GlyphAtlas(FontSet& fonts, int side = 1024, int max_side = 0);
    GlyphAtlas(const GlyphAtlas&) = delete;
    GlyphAtlas& operator=(const GlyphAtlas&) = delete;

    /// The glyph of `face` at `size_px`, rasterized now if it is not yet in the atlas.
    /// When the atlas is full and cannot grow, it starts over empty (generation() changes)
    /// and the glyph goes into the fresh one; a frame that sees the generation change draws
    /// again. A frame that sees side() change draws again too (its coordinates scaled).
    AtlasGlyph glyph(std::uint16_t face, std::uint32_t glyph, float size_px);

    int side() const { return side_; }
    /// Coverage, one byte a pixel, row by row.
    const std::vector<std::uint8_t>& pixels() const { return pixels_; }
    /// Rows changed since the last mark_uploaded(), as [first, last) or nothing.
    std::optional<std::pair<int, int>> dirty_rows() const;
    void mark_uploaded();
    std::uint64_t generation() const { return generation_; }
    std::size_t glyph_count() const { return glyphs_.size(); }

  private:
    void start_over();
    bool grow();
    FontSet& fonts_;
    int side_;
    int max_side_;
    std::vector<std::uint8_t> pixels_;
    std::unordered_map<std::uint64_t, AtlasGlyph> glyphs_;
    int shelf_x_ = 1, shelf_y_ = 1, shelf_height_ = 0;  // 1 px border: no bleeding
    int dirty_first_ = 0, dirty_last_ = 0;
    std::uint64_t generation_ = 0;
};

/// One glyph's bitmap, placed on screen: the rectangle to fill, in pixels, and the atlas
/// rectangle to fill it from.
struct GlyphQuad {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    AtlasGlyph source;
};

/// Where the glyphs of `shaped` land when its baseline starts at (x, baseline_y): each at
/// HarfBuzz's position (offsets included: marks sit where their base puts them), snapped
/// to whole pixels. Rasterizes what the atlas lacks. Glyphs with no pixels (spaces) are
/// left out. The kiosk and `seba-text render` both draw from this.
std::vector<GlyphQuad> place_glyphs(const ShapedText& shaped, GlyphAtlas& atlas, float size_px,
                                    float x, float baseline_y);

/// The same with each glyph's atlas place already looked up (`sources`, one per glyph, as
/// GlyphAtlas::glyph gave them in the current generation): for callers that keep them.
/// Calls `emit` with each quad instead of building a vector.
template <typename Emit>
void place_glyphs(const ShapedText& shaped, const std::vector<AtlasGlyph>& sources, float x,
                  float baseline_y, Emit&& emit);

template <typename Emit>
void place_glyphs(const ShapedText& shaped, const std::vector<AtlasGlyph>& sources, float x,
                  float baseline_y, Emit&& emit) {
    float per_px = static_cast<float>(shaped.units_per_px);
    std::int64_t pen = 0;
    for (std::size_t i = 0; i < shaped.glyphs.size() && i < sources.size(); ++i) {
        const AtlasGlyph& source = sources[i];
        const auto& g = shaped.glyphs[i];
        if (source.width > 0) {
            // Whole pixels: bitmaps were rasterized on the pixel grid.
            float origin_x = std::round(x + static_cast<float>(pen + g.x_offset) / per_px);
            float origin_y = std::round(baseline_y - static_cast<float>(g.y_offset) / per_px);
            GlyphQuad q;
            q.x0 = origin_x + static_cast<float>(source.left);
            q.y0 = origin_y - static_cast<float>(source.top);
            q.x1 = q.x0 + static_cast<float>(source.width);
            q.y1 = q.y0 + static_cast<float>(source.height);
            q.source = source;
            emit(q);
        }
        pen += g.x_advance;
    }
}

}  // namespace seba::text
