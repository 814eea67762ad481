// SPDX-License-Identifier: Apache-2.0
#include "text_renderer.hpp"

#include <GL/gl.h>
#include <imgui.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "language_fonts.hpp"
#include "seba/ui/languages.hpp"

namespace seba::kiosk {

namespace {

// Labels shaped and placed; a screen holds a few hundred.
constexpr std::size_t kPreparedEntries = 4096;

// Glyph ids of typed text spell it out: zeroed before they are freed.
void wipe(auto& prepared) {
    auto& glyphs = prepared.shaped.glyphs;
    if (!glyphs.empty()) sodium_memzero(glyphs.data(), glyphs.size() * sizeof glyphs[0]);
}

// Pictogram names looked up, found or not; a kiosk uses a few dozen. Past this many (names
// from a catalog gone wrong) the table starts over.
constexpr std::size_t kIconEntries = 1024;

// Labels wrapped at their widths; a screen holds a few dozen paragraphs.
constexpr std::size_t kWrapEntries = 1024;

// The atlas starts small (a screen of Latin fits) and doubles while a screen needs more;
// 2048 holds several screens of Bangla at body and heading sizes (a glyph of 44 px is about
// 40 x 50), so it starts over only when the language and text size change a few times.
constexpr int kAtlasFirstSide = 512;
constexpr int kAtlasMaxSide = 2048;

// One byte a pixel in the GPU, read as white with coverage as alpha (ImGui's shader
// multiplies by the vertex colour), needs texture swizzles (GL 3.3, or the extension, which
// every Mesa driver has). Without them the atlas goes up as four bytes a pixel.
bool has_texture_swizzle() {
    const char* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    int major = 0, minor = 0;
    if (version && std::sscanf(version, "%d.%d", &major, &minor) == 2 &&
        (major > 3 || (major == 3 && minor >= 3)))
        return true;
    const char* extensions = reinterpret_cast<const char*>(glGetString(GL_EXTENSIONS));
    return extensions && std::strstr(extensions, "GL_ARB_texture_swizzle");
}

}  // namespace

TextRenderer::TextRenderer() : TextRenderer(font_choices(ui::Languages::shipped().all())) {
}

TextRenderer::TextRenderer(const std::vector<text::FontChoice>& choices)
    : fonts_(text::FontSet::system(choices)),
      shaper_(std::make_unique<text::Shaper>(*fonts_)),
      atlas_(std::make_unique<text::GlyphAtlas>(*fonts_, kAtlasFirstSide, kAtlasMaxSide)) {
}

TextRenderer::~TextRenderer() {
    if (texture_) glDeleteTextures(1, &texture_);
}

const std::string& TextRenderer::key_for(std::string_view text, const Style& style,
                                         float max_width) {
    key_.clear();
    // Sizes in 1/64 px and widths in px, as integers: formatting floats cost more than the
    // rest of a cached label's drawing.
    char numbers[48];
    char* end = std::to_chars(numbers, numbers + 20, std::lround(style.size_px * 64.0f)).ptr;
    *end++ = '/';
    end = std::to_chars(end, numbers + 42, std::lround(max_width)).ptr;
    *end++ = '/';
    key_.append(numbers, end).append(style.language).append("\x1f");
    key_.append(text);
    return key_;
}

TextRenderer::Prepared& TextRenderer::prepare(std::string_view text, const Style& style,
                                              Prepared& scratch) {
    text::ShapeOptions options{.size_px = style.size_px, .language = style.language};
    if (style.secret) {
        scratch.shaped = shaper_->shape(text, options);
        scratch.generation = ~std::uint64_t{0};
        return scratch;
    }
    auto found = prepared_.find(key_for(text, style));
    if (found != prepared_.end()) return found->second;
    if (prepared_.size() >= kPreparedEntries) forget();
    Prepared p;
    p.shaped = shaper_->shape(text, options);
    return prepared_.emplace(key_, std::move(p)).first->second;
}

void TextRenderer::resolve(Prepared& p, float size_px) {
    std::uint64_t generation = atlas_->generation();
    if (p.generation == generation && p.sources.size() == p.shaped.glyphs.size()) return;
    p.sources.clear();
    p.sources.reserve(p.shaped.glyphs.size());
    for (const text::ShapedGlyph& g : p.shaped.glyphs)
        p.sources.push_back(atlas_->glyph(g.face, g.glyph, size_px));
    // If the atlas started over on the way, some places are stale: look again next time.
    p.generation = atlas_->generation() == generation ? generation : ~std::uint64_t{0};
}

float TextRenderer::width(std::string_view text, const Style& style) {
    Prepared scratch;
    float w = prepare(text, style, scratch).shaped.width_px();
    wipe(scratch);
    return w;
}

float TextRenderer::line_height(float size_px) const {
    float ascender = 0, descender = 0;
    // The configured faces only: a font found later for a rare character must not change
    // the height of every line already laid out.
    for (std::size_t i = 0; i < fonts_->configured_size(); ++i) {
        ascender = std::max(ascender, fonts_->face(i).ascender_px(size_px));
        descender = std::max(descender, fonts_->face(i).descender_px(size_px));
    }
    return std::ceil(ascender + descender);
}

float TextRenderer::ascender(float size_px) const {
    float ascender = 0;
    for (std::size_t i = 0; i < fonts_->configured_size(); ++i)
        ascender = std::max(ascender, fonts_->face(i).ascender_px(size_px));
    return std::round(ascender);
}

float TextRenderer::draw(ImDrawList* list, ImVec2 top_left, unsigned int color,
                         std::string_view text, const Style& style) {
    Prepared scratch;
    Prepared& p = prepare(text, style, scratch);
    resolve(p, style.size_px);
    float width = p.shaped.width_px();
    if (!texture_) glGenTextures(1, &texture_);  // filled by upload(); drawn with now
    float side = static_cast<float>(atlas_->side());
    list->PushTextureID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture_)));
    list->PrimReserve(static_cast<int>(p.sources.size()) * 6,
                      static_cast<int>(p.sources.size()) * 4);
    int unused = static_cast<int>(p.sources.size());
    text::place_glyphs(p.shaped, p.sources, top_left.x, top_left.y + ascender(style.size_px),
                       [&](const text::GlyphQuad& q) {
                           ImVec2 uv0(static_cast<float>(q.source.x) / side,
                                      static_cast<float>(q.source.y) / side);
                           ImVec2 uv1(static_cast<float>(q.source.x + q.source.width) / side,
                                      static_cast<float>(q.source.y + q.source.height) / side);
                           list->PrimRectUV(ImVec2(q.x0, q.y0), ImVec2(q.x1, q.y1), uv0, uv1,
                                            color);
                           --unused;
                       });
    list->PrimUnreserve(unused * 6, unused * 4);  // spaces have no quad
    list->PopTextureID();
    wipe(scratch);
    return width;
}

std::uint32_t TextRenderer::icon_glyph(std::string_view name) {
    key_.assign(name);
    auto found = icons_.find(key_);
    if (found != icons_.end()) return found->second;
    if (icons_.size() >= kIconEntries) icons_.clear();
    return icons_.emplace(key_, shaper_->icon_glyph(name)).first->second;
}

bool TextRenderer::has_icon(std::string_view name) {
    return icon_glyph(name) != 0;
}

float TextRenderer::draw_icon(ImDrawList* list, ImVec2 top_left, unsigned int color,
                              std::string_view name, float size_px) {
    std::uint32_t glyph = icon_glyph(name);
    if (glyph == 0 || size_px <= 0) return 0;
    text::Face& face = fonts_->face(text::kIconFace);
    text::AtlasGlyph source = atlas_->glyph(text::kIconFace, glyph, size_px);
    if (source.width == 0) return size_px;  // a blank pictogram: its room, nothing to draw
    // The font's ascent and descent span the square (Material Icons: the em, all above the
    // baseline); whole pixels, as the bitmap was rasterized on the pixel grid.
    float ascent = face.ascender_px(size_px), descent = face.descender_px(size_px);
    float baseline = top_left.y + size_px * ascent / std::max(ascent + descent, 1.0f);
    float x0 = std::round(top_left.x) + static_cast<float>(source.left);
    float y0 = std::round(baseline) - static_cast<float>(source.top);
    if (!texture_) glGenTextures(1, &texture_);  // filled by upload(); drawn with now
    float side = static_cast<float>(atlas_->side());
    list->PushTextureID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture_)));
    list->PrimReserve(6, 4);
    list->PrimRectUV(
        ImVec2(x0, y0),
        ImVec2(x0 + static_cast<float>(source.width), y0 + static_cast<float>(source.height)),
        ImVec2(static_cast<float>(source.x) / side, static_cast<float>(source.y) / side),
        ImVec2(static_cast<float>(source.x + source.width) / side,
               static_cast<float>(source.y + source.height) / side),
        color);
    list->PopTextureID();
    return size_px;
}

const std::vector<ui::Line>& TextRenderer::wrap(std::string_view text, float max_width,
                                                const Style& style) {
    // Measures are shaped without the cache: a paragraph measures many prefixes once.
    auto measure = [&](std::string_view piece) {
        return shaper_->shape(piece, {.size_px = style.size_px, .language = style.language})
            .width_px();
    };
    if (style.secret) {
        scratch_lines_ = ui::wrap_lines(text, max_width, measure, style.language);
        return scratch_lines_;
    }
    const std::string& key = key_for(text, style, max_width);
    auto found = wrapped_.find(key);
    if (found != wrapped_.end()) return found->second;
    if (wrapped_.size() >= kWrapEntries) forget();
    return wrapped_.emplace(key, ui::wrap_lines(text, max_width, measure, style.language))
        .first->second;
}

std::string TextRenderer::elide(std::string_view text, float max_width, const Style& style) {
    if (width(text, style) <= max_width) return std::string(text);
    return ui::elide(text, max_width, [&](std::string_view piece) {
        return shaper_->shape(piece, {.size_px = style.size_px, .language = style.language})
            .width_px();
    });
}

float TextRenderer::caret_x(std::string_view text, std::size_t offset, const Style& style) {
    Prepared scratch;
    const text::ShapedText& glyphs = prepare(text, style, scratch).shaped;
    // Left to right, clusters rise: the caret sits after every glyph of an earlier cluster.
    std::int64_t x = 0;
    for (const text::ShapedGlyph& g : glyphs.glyphs)
        if (g.cluster < offset) x += g.x_advance;
    float px = static_cast<float>(x) / static_cast<float>(glyphs.units_per_px);
    wipe(scratch);
    return px;
}

void TextRenderer::upload() {
    if (!texture_) return;
    std::optional<std::pair<int, int>> rows = atlas_->dirty_rows();
    if (!rows) return;
    int side = atlas_->side();
    const std::vector<std::uint8_t>& coverage = atlas_->pixels();
    glBindTexture(GL_TEXTURE_2D, texture_);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (texture_side_ != side) {  // first upload, or the atlas grew: a texture of its size
        if (texture_side_ == 0) {
            swizzled_ = has_texture_swizzle();
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
            if (swizzled_) {
                const GLint white_with_alpha[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
                glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, white_with_alpha);
            }
        }
        if (swizzled_)
            glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, side, side, 0, GL_RED, GL_UNSIGNED_BYTE,
                         coverage.data());
        else
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, side, side, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                         nullptr);
        texture_side_ = side;
        if (swizzled_)
            rows = std::nullopt;  // all sent
        else
            rows = std::pair{0, side};
    }
    if (rows) {
        auto [first, last] = *rows;
        const std::uint8_t* from = coverage.data() + static_cast<std::size_t>(first) * side;
        if (swizzled_) {
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, first, side, last - first, GL_RED,
                            GL_UNSIGNED_BYTE, from);
        } else {
            std::vector<std::uint32_t> rgba(static_cast<std::size_t>(last - first) * side);
            for (std::size_t i = 0; i < rgba.size(); ++i)
                rgba[i] = 0x00FFFFFFu | (std::uint32_t{from[i]} << 24);
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, first, side, last - first, GL_RGBA,
                            GL_UNSIGNED_BYTE, rgba.data());
        }
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    atlas_->mark_uploaded();
}

bool TextRenderer::take_redraw() {
    bool redraw = atlas_->generation() != seen_generation_ || atlas_->side() != seen_side_;
    seen_generation_ = atlas_->generation();
    seen_side_ = atlas_->side();
    return redraw;
}

void TextRenderer::forget() {
    shaper_->clear_cache();
    // The reused key buffer: a shorter key overwrote only the start of a longer one, whose
    // tail (often the value a label ends with) is still there up to the capacity.
    key_.assign(key_.capacity(), '\0');
    key_.clear();
    while (!prepared_.empty()) {
        auto node = prepared_.extract(prepared_.begin());
        sodium_memzero(node.key().data(), node.key().size());
    }
    while (!wrapped_.empty()) {
        auto node = wrapped_.extract(wrapped_.begin());
        sodium_memzero(node.key().data(), node.key().size());
    }
}

}  // namespace seba::kiosk
