// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "seba/text/fonts.hpp"
#include "seba/text/glyph_atlas.hpp"
#include "seba/text/shaper.hpp"
#include "seba/ui/text_breaks.hpp"

struct ImDrawList;
struct ImVec2;

namespace seba::kiosk {

/// Shaped text in the ImGui frame: HarfBuzz places the glyphs (libseba_text), the glyph
/// atlas lives in a GL texture of its own, and each string becomes a run of textured quads
/// in the window's draw list. Labels are shaped once and cached; what a citizen types is
/// shaped afresh each frame and never kept. Use from the UI thread, with a GL context.
class TextRenderer {
  public:
    /// Finds the fonts of `choices` (language_fonts.hpp: font_choices()); throws seba::Error
    /// naming the language and the package when one is missing.
    explicit TextRenderer(const std::vector<text::FontChoice>& choices);
    /// The same for the languages Seba ships.
    TextRenderer();
    ~TextRenderer();
    TextRenderer(const TextRenderer&) = delete;
    TextRenderer& operator=(const TextRenderer&) = delete;

    struct Style {
        float size_px = 30.0f;
        std::string_view language = "en";
        bool secret = false;  ///< typed by a citizen: not cached
    };

    /// Width of `text` in pixels.
    float width(std::string_view text, const Style& style);
    /// Line height: the tallest ascender plus the deepest descender of the faces.
    float line_height(float size_px) const;
    /// Ascender: from a line's top to its baseline.
    float ascender(float size_px) const;
    /// Draws `text` with its line's top-left at `top_left`. Returns its width.
    float draw(ImDrawList* list, ImVec2 top_left, unsigned int color, std::string_view text,
               const Style& style);
    /// `text` broken into lines no wider than `max_width` at word boundaries, never inside a
    /// cluster (ICU). Cached for labels; valid until the next call.
    const std::vector<ui::Line>& wrap(std::string_view text, float max_width, const Style& style);
    /// `text`, or as much of it as fits `max_width` with "…", cut at a cluster boundary.
    std::string elide(std::string_view text, float max_width, const Style& style);
    /// The x offset of byte `offset` of `text` (a cursor before that byte), in pixels.
    float caret_x(std::string_view text, std::size_t offset, const Style& style);

    /// Whether pictogram `name` (a Material Icons name: [a-z0-9_]{1,48}, "volume_up") is in
    /// the icon font.
    bool has_icon(std::string_view name);
    /// Draws pictogram `name` filling a `size_px` square whose top-left is `top_left`, in
    /// `color`. Returns size_px; for a name the font lacks, draws nothing and returns 0 (never
    /// the name's letters).
    float draw_icon(ImDrawList* list, ImVec2 top_left, unsigned int color, std::string_view name,
                    float size_px);

    /// Sends new glyphs to the GPU; call after drawing, before rendering the frame.
    void upload();
    /// True once after the atlas ran full and started over, or grew: the frame must be drawn
    /// again (glyphs drawn before it moved or were scaled).
    bool take_redraw();
    /// Forgets every cached label (at the end of a citizen's session).
    void forget();

    text::Shaper& shaper() { return *shaper_; }
    std::size_t atlas_glyphs() const { return atlas_->glyph_count(); }
    /// Labels and wrapped paragraphs held in the caches (tests).
    std::size_t cached() const {
        return prepared_.size() + wrapped_.size() + shaper_->cache_size();
    }

  private:
    // A label, shaped once, with its glyphs' atlas places (looked up again only when the
    // atlas starts over).
    struct Prepared {
        text::ShapedText shaped;
        std::vector<text::AtlasGlyph> sources;
        std::uint64_t generation = ~std::uint64_t{0};
    };
    Prepared& prepare(std::string_view text, const Style& style, Prepared& scratch);
    void resolve(Prepared& p, float size_px);
    const std::string& key_for(std::string_view text, const Style& style, float max_width = 0);
    std::uint32_t icon_glyph(std::string_view name);
    std::unique_ptr<text::FontSet> fonts_;
    std::unique_ptr<text::Shaper> shaper_;
    std::unique_ptr<text::GlyphAtlas> atlas_;
    std::unordered_map<std::string, Prepared> prepared_;
    std::unordered_map<std::string, std::vector<ui::Line>> wrapped_;
    // Pictogram name -> glyph (0: the font lacks it); names are not what a citizen typed.
    std::unordered_map<std::string, std::uint32_t> icons_;
    std::string key_;  // reused: a lookup allocates nothing
    std::vector<ui::Line> scratch_lines_;
    unsigned int texture_ = 0;  // GL name, made on the first draw
    int texture_side_ = 0;      // 0: nothing uploaded yet
    bool swizzled_ = false;     // one byte a pixel (else four)
    std::uint64_t seen_generation_ = 0;
    int seen_side_ = 0;
};

}  // namespace seba::kiosk
