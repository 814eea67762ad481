// SPDX-License-Identifier: Apache-2.0
#include "seba/text/shaper.hpp"

#include <fmt/format.h>
#include <hb.h>
#include <sodium.h>
#include <unicode/ubidi.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "seba/manifest.hpp"
#include "seba/text/fonts.hpp"
#include "seba/utf8.hpp"

namespace seba::text {

namespace {

// Labels are drawn every frame; a screen holds a few hundred. Past this many the cache
// starts over rather than tracking recency: cheaper, and a screen refills it in a frame.
constexpr std::size_t kCacheEntries = 4096;

struct CodePoint {
    char32_t value;
    std::uint32_t offset;  // byte offset in the text
    std::uint32_t length;  // bytes
};

std::vector<CodePoint> decode(std::string_view s) {
    std::vector<CodePoint> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto [code, length] = utf8::decode(s, i);
        out.push_back({code, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(length)});
        i += length;
    }
    return out;
}

bool is_common(hb_script_t script) {
    return script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED ||
           script == HB_SCRIPT_UNKNOWN;
}

struct Run {
    std::uint32_t begin = 0, end = 0;  // bytes
    hb_script_t script = HB_SCRIPT_COMMON;
    std::size_t face = 0;
    std::uint8_t level = 0;  // bidi embedding level: odd is right-to-left
};

bool has_right_to_left(const std::vector<CodePoint>& cps) {
    hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
    return std::any_of(cps.begin(), cps.end(), [&](const CodePoint& c) {
        return hb_script_get_horizontal_direction(hb_unicode_script(unicode, c.value)) ==
               HB_DIRECTION_RTL;
    });
}

struct BidiDeleter {
    void operator()(UBiDi* bidi) const { ubidi_close(bidi); }
};

// The bidi level of each code point (Unicode's algorithm, ICU), the paragraph's direction
// taken from its first strong character. All zero for text with no right-to-left script,
// without asking ICU: the kiosk's own languages never pay for it.
std::vector<std::uint8_t> bidi_levels(const std::vector<CodePoint>& cps) {
    std::vector<std::uint8_t> levels(cps.size(), 0);
    if (!has_right_to_left(cps)) return levels;
    std::vector<UChar> utf16;
    std::vector<std::size_t> index_of;  // code point -> its first UTF-16 unit
    for (const CodePoint& c : cps) {
        index_of.push_back(utf16.size());
        if (c.value >= 0x10000) {
            utf16.push_back(static_cast<UChar>(0xD800 + ((c.value - 0x10000) >> 10)));
            utf16.push_back(static_cast<UChar>(0xDC00 + ((c.value - 0x10000) & 0x3FF)));
        } else {
            utf16.push_back(static_cast<UChar>(c.value));
        }
    }
    UErrorCode error = U_ZERO_ERROR;
    std::unique_ptr<UBiDi, BidiDeleter> bidi(ubidi_open());
    ubidi_setPara(bidi.get(), utf16.data(), static_cast<int32_t>(utf16.size()), UBIDI_DEFAULT_LTR,
                  nullptr, &error);
    if (U_FAILURE(error)) return levels;  // drawn left to right rather than not at all
    for (std::size_t i = 0; i < cps.size(); ++i)
        levels[i] = ubidi_getLevelAt(bidi.get(), static_cast<int32_t>(index_of[i]));
    return levels;
}

// The order runs are drawn in, left to right (Unicode's rule L2 over the runs' levels).
std::vector<std::size_t> visual_order(const std::vector<Run>& runs) {
    std::vector<std::size_t> order(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) order[i] = i;
    if (std::none_of(runs.begin(), runs.end(), [](const Run& r) { return r.level % 2; }))
        return order;
    std::vector<UBiDiLevel> levels;
    for (const Run& r : runs) levels.push_back(r.level);
    std::vector<int32_t> map(runs.size());
    ubidi_reorderVisual(levels.data(), static_cast<int32_t>(levels.size()), map.data());
    for (std::size_t i = 0; i < runs.size(); ++i) order[i] = static_cast<std::size_t>(map[i]);
    return order;
}

// Runs of one script and one face. Each character takes the first face serving its script
// that has it (FontSet::face_for: else the default face, else any face or installed font that
// has it). Spaces, punctuation, digits and marks (script Common or Inherited) stay in the run
// around them when its face has them, so a Bangla phrase with spaces and a danda is shaped
// as one run, as a browser would.
std::vector<Run> itemize(const std::vector<CodePoint>& cps, FontSet& fonts) {
    hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
    const std::vector<std::uint8_t> levels = bidi_levels(cps);
    std::vector<hb_script_t> scripts(cps.size());
    for (std::size_t i = 0; i < cps.size(); ++i)
        scripts[i] = hb_unicode_script(unicode, cps[i].value);
    // Common before the first real script takes the script after it.
    hb_script_t carried = HB_SCRIPT_COMMON;
    for (hb_script_t s : scripts)
        if (!is_common(s)) {
            carried = s;
            break;
        }
    std::vector<Run> runs;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        hb_script_t script = scripts[i];
        const char32_t c = cps[i].value;
        std::size_t face;
        if (is_common(script)) {
            script = carried;
            // Invisible characters (joiners, direction marks) stay with their run: HarfBuzz
            // hides them. Others stay when the run's face has them (the danda । alone is in
            // Noto Sans Bengali only, so it goes there).
            if (!runs.empty() && runs.back().script == script && runs.back().level == levels[i] &&
                (is_invisible(c) || fonts.face(runs.back().face).has_glyph(c)))
                face = runs.back().face;
            else if (is_invisible(c))
                face = fonts.face_for_script(static_cast<std::uint32_t>(script));
            else
                face = fonts.face_for(c, static_cast<std::uint32_t>(script));
        } else {
            carried = script;
            face = fonts.face_for(c, static_cast<std::uint32_t>(script));
        }
        if (runs.empty() || runs.back().script != script || runs.back().face != face ||
            runs.back().level != levels[i])
            runs.push_back({cps[i].offset, cps[i].offset, script, face, levels[i]});
        runs.back().end = cps[i].offset + cps[i].length;
    }
    return runs;
}

}  // namespace

struct Shaper::Buffer {
    hb_buffer_t* hb = hb_buffer_create();
    ~Buffer() { hb_buffer_destroy(hb); }
};

std::size_t ShapedText::missing() const {
    std::size_t n = 0;
    for (const ShapedGlyph& g : glyphs) n += g.glyph == 0;
    return n;
}

Shaper::Shaper(FontSet& fonts) : fonts_(fonts), buffer_(new Buffer) {
}

Shaper::~Shaper() {
    clear_cache();
    delete buffer_;
}

ShapedText Shaper::shape(std::string_view utf8, const ShapeOptions& options) {
    ShapedText out;
    out.units_per_px = options.units_per_px;
    if (utf8.empty()) return out;
    auto scale = static_cast<std::int32_t>(
        std::lround(options.size_px * static_cast<float>(options.units_per_px)));
    hb_language_t language =
        hb_language_from_string(options.language.data(), static_cast<int>(options.language.size()));
    std::vector<CodePoint> cps = decode(utf8);
    hb_buffer_t* buffer = buffer_->hb;
    const std::vector<Run> runs = itemize(cps, fonts_);
    for (std::size_t index : visual_order(runs)) {
        const Run& run = runs[index];
        hb_buffer_clear_contents(buffer);
        // The whole text goes in as context, so a run's edges shape as they would inside it.
        hb_buffer_add_utf8(buffer, utf8.data(), static_cast<int>(utf8.size()), run.begin,
                           static_cast<int>(run.end - run.begin));
        // A right-to-left run comes out of HarfBuzz in visual order too (its last letter first).
        hb_buffer_set_direction(buffer, run.level % 2 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        hb_buffer_set_script(buffer, run.script);
        hb_buffer_set_language(buffer, language);
        hb_shape(fonts_.face(run.face).hb_font_scaled(scale), buffer, nullptr, 0);
        unsigned int count = 0;
        hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer, &count);
        hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buffer, &count);
        for (unsigned int i = 0; i < count; ++i) {
            out.glyphs.push_back({info[i].codepoint, info[i].cluster, pos[i].x_advance,
                                  pos[i].y_advance, pos[i].x_offset, pos[i].y_offset,
                                  static_cast<std::uint16_t>(run.face)});
            out.advance += pos[i].x_advance;
        }
    }
    hb_buffer_clear_contents(buffer);
    return out;
}

const ShapedText& Shaper::shape_cached(std::string_view utf8, const ShapeOptions& options) {
    std::string key = fmt::format("{}\x1f{}\x1f{}\x1f{}", options.size_px, options.units_per_px,
                                  options.language, utf8);
    auto found = cache_.find(key);
    if (found != cache_.end()) return found->second;
    if (cache_.size() >= kCacheEntries) clear_cache();
    return cache_.emplace(std::move(key), shape(utf8, options)).first->second;
}

void Shaper::clear_cache() {
    // Keys hold the text; a label may have carried what a citizen typed (a review screen).
    while (!cache_.empty()) {
        auto node = cache_.extract(cache_.begin());
        sodium_memzero(node.key().data(), node.key().size());
    }
    // HarfBuzz's buffer keeps the code points of the last texts shaped (and their context) in
    // arrays it only ever grows; a new buffer lets them go (the kiosk's free() zeroes them).
    delete buffer_;
    buffer_ = new Buffer;
}

std::uint32_t Shaper::icon_glyph(std::string_view name) {
    Face* icons = fonts_.icons();
    if (!icons || !is_valid_icon_name(name)) return 0;
    hb_font_t* font = icons->hb_font_scaled(1024);  // glyph ids do not depend on the size
    hb_buffer_t* buffer = buffer_->hb;
    hb_buffer_clear_contents(buffer);
    hb_buffer_add_utf8(buffer, name.data(), static_cast<int>(name.size()), 0,
                       static_cast<int>(name.size()));
    hb_buffer_set_direction(buffer, HB_DIRECTION_LTR);
    hb_buffer_set_script(buffer, HB_SCRIPT_LATIN);
    hb_buffer_set_language(buffer, hb_language_from_string("en", 2));
    hb_shape(font, buffer, nullptr, 0);  // the ligatures (liga) are on by default
    unsigned int count = 0;
    hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer, &count);
    std::uint32_t glyph = count == 1 ? info[0].codepoint : 0;
    hb_buffer_clear_contents(buffer);
    // One glyph that is the first letter's own ("a") is a letter, not a pictogram.
    hb_codepoint_t letter = 0;
    if (glyph != 0 &&
        hb_font_get_nominal_glyph(font, static_cast<unsigned char>(name[0]), &letter) &&
        letter == glyph)
        return 0;
    return glyph;
}

std::string to_hb_shape_json(const ShapedText& shaped, std::string_view utf8) {
    // hb-shape numbers clusters by code point unless --utf8-clusters.
    std::vector<std::uint32_t> index_of_byte(utf8.size() + 1, 0);
    std::uint32_t index = 0;
    for (const CodePoint& cp : decode(utf8)) {
        for (std::uint32_t b = 0; b < cp.length; ++b) index_of_byte[cp.offset + b] = index;
        ++index;
    }
    index_of_byte[utf8.size()] = index;
    std::string json = "[";
    for (const ShapedGlyph& g : shaped.glyphs) {
        if (json.size() > 1) json += ',';
        json += fmt::format(R"({{"g":{},"cl":{},"dx":{},"dy":{},"ax":{},"ay":{}}})", g.glyph,
                            index_of_byte[std::min<std::size_t>(g.cluster, utf8.size())],
                            g.x_offset, g.y_offset, g.x_advance, g.y_advance);
    }
    return json + "]";
}

}  // namespace seba::text
