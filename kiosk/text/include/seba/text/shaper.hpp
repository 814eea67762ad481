// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Text shaped with HarfBuzz, the way a browser shapes it: Bangla conjuncts, reph, vowel
/// signs before their consonant and marks placed by their base. Text is split into runs
/// by script and each run is shaped with the face that serves its script.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace seba::text {

class FontSet;

/// One glyph as HarfBuzz placed it. Positions are in units of 1/`units_per_px` pixel.
struct ShapedGlyph {
    std::uint32_t glyph = 0;    ///< glyph id in its face (0: the face lacks the character)
    std::uint32_t cluster = 0;  ///< byte offset in the text of the cluster it belongs to
    std::int32_t x_advance = 0;
    std::int32_t y_advance = 0;
    std::int32_t x_offset = 0;
    std::int32_t y_offset = 0;
    std::uint16_t face = 0;  ///< index in the FontSet
};

struct ShapedText {
    std::vector<ShapedGlyph> glyphs;  ///< in visual (left-to-right) order
    std::int32_t units_per_px = 64;
    std::int64_t advance = 0;  ///< the sum of x advances, in units
    float width_px() const {
        return static_cast<float>(advance) / static_cast<float>(units_per_px);
    }
    /// Glyphs whose face lacks the character (drawn as boxes).
    std::size_t missing() const;
};

struct ShapeOptions {
    float size_px = 30.0f;
    /// Positions come out in 1/units_per_px pixels; 64 draws with sub-pixel precision, 1
    /// gives whole pixels as `hb-shape --font-size=PX` prints them.
    std::int32_t units_per_px = 64;
    std::string_view language = "en";  ///< BCP 47 ("bn", "uz-Latn", ...)
};

/// Shapes text. Not thread-safe: one per UI thread.
class Shaper {
  public:
    explicit Shaper(FontSet& fonts);
    ~Shaper();
    Shaper(const Shaper&) = delete;
    Shaper& operator=(const Shaper&) = delete;

    /// Shapes `utf8` without keeping anything of it: for text a citizen types.
    ShapedText shape(std::string_view utf8, const ShapeOptions& options);
    /// The same, from a cache of recent results (labels are drawn every frame). The
    /// reference stays valid until the next call.
    const ShapedText& shape_cached(std::string_view utf8, const ShapeOptions& options);
    /// Drops the cache (and zeroes its keys).
    void clear_cache();

    /// The glyph of pictogram `name` in the pictogram face (kIconFace): the one glyph its
    /// ligatures turn the name into ("volume_up"). 0 when the name is not a valid icon name
    /// (seba::is_valid_icon_name), the face has no such pictogram (the name would come out
    /// as letters), or the set has no pictogram face.
    std::uint32_t icon_glyph(std::string_view name);
    std::size_t cache_size() const { return cache_.size(); }

    FontSet& fonts() { return fonts_; }

  private:
    FontSet& fonts_;
    struct Buffer;
    Buffer* buffer_;  // HarfBuzz buffer reused between calls
    std::unordered_map<std::string, ShapedText> cache_;
};

/// hb-shape's JSON for `shaped` (`--no-glyph-names --output-format=json`): g, cl (code
/// point index, as hb-shape counts by default), dx, dy, ax, ay, one object per glyph.
std::string to_hb_shape_json(const ShapedText& shaped, std::string_view utf8);

}  // namespace seba::text
