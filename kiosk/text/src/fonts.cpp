// SPDX-License-Identifier: Apache-2.0
#include "seba/text/fonts.hpp"

#include <fmt/format.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include <algorithm>
#include <mutex>

#include "seba/error.hpp"

namespace seba::text {

namespace {

// One FreeType library for the process; faces are used from the UI thread only.
FT_Library freetype() {
    static FT_Library library = [] {
        FT_Library l = nullptr;
        if (FT_Init_FreeType(&l) != 0) throw Error("FreeType failed to initialise");
        return l;
    }();
    return library;
}

// HarfBuzz reads TrueType and OpenType files, not their WOFF wrappers, which fontconfig
// lists under the same family and format (fonts-material-design-icons-iconfont has all three).
bool harfbuzz_reads(const char* file) {
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(file);
    if (!blob) return false;
    hb_face_t* face = hb_face_create(blob, 0);
    bool glyphs = hb_face_get_glyph_count(face) > 0;
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return glyphs;
}

// The file of a font fontconfig offered, when it is of `family` and HarfBuzz can read it.
std::string readable_file_of(FcPattern* font, const std::string& family) {
    FcChar8* found_family = nullptr;
    FcChar8* path = nullptr;
    if (FcPatternGetString(font, FC_FAMILY, 0, &found_family) != FcResultMatch ||
        FcPatternGetString(font, FC_FILE, 0, &path) != FcResultMatch ||
        family != reinterpret_cast<const char*>(found_family) ||
        !harfbuzz_reads(reinterpret_cast<const char*>(path)))
        return {};
    return reinterpret_cast<const char*>(path);
}

}  // namespace

Face::~Face() {
    if (hb_font_) hb_font_destroy(hb_font_);
    if (ft_face_) FT_Done_Face(ft_face_);
}

std::unique_ptr<Face> Face::open(const std::filesystem::path& file) {
    std::unique_ptr<Face> face(new Face);
    face->file_ = file;
    if (FT_New_Face(freetype(), file.c_str(), 0, &face->ft_face_) != 0) {
        face->ft_face_ = nullptr;
        throw Error(
            fmt::format("cannot open the font {}: not a font FreeType can read", file.string()));
    }
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(file.c_str());
    if (!blob) throw Error(fmt::format("cannot read the font {}", file.string()));
    hb_face_t* hb_face = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    face->units_per_em_ = static_cast<int>(hb_face_get_upem(hb_face));
    face->hb_font_ = hb_font_create(hb_face);  // OpenType functions, as hb-shape uses
    hb_face_destroy(hb_face);
    hb_font_set_scale(face->hb_font_, face->units_per_em_, face->units_per_em_);
    hb_font_extents_t extents{};
    hb_font_get_h_extents(face->hb_font_, &extents);
    face->ascender_ = extents.ascender;
    face->descender_ = -extents.descender;
    return face;
}

hb_font_t* Face::hb_font_scaled(std::int32_t scale) {
    hb_font_set_scale(hb_font_, scale, scale);
    return hb_font_;
}

float Face::ascender_px(float size_px) const {
    return static_cast<float>(ascender_) * size_px / static_cast<float>(units_per_em_);
}

float Face::descender_px(float size_px) const {
    return static_cast<float>(descender_) * size_px / static_cast<float>(units_per_em_);
}

bool Face::has_glyph(char32_t code_point) {
    hb_codepoint_t glyph = 0;
    return hb_font_get_nominal_glyph(hb_font_, code_point, &glyph) != 0;
}

FontSet::FontSet() = default;
FontSet::~FontSet() = default;

std::unique_ptr<FontSet> FontSet::system() {
    auto fonts = std::make_unique<FontSet>();
    fonts->add(find_font_file("Noto Sans", "fonts-noto-core"));
    fonts->add(find_font_file("Noto Sans Bengali", "fonts-noto-core"), {"Beng"});
    fonts->set_icons(find_font_file("Material Icons", "fonts-material-design-icons-iconfont"));
    return fonts;
}

void FontSet::set_icons(const std::filesystem::path& file) {
    icons_ = Face::open(file);
}

Face& FontSet::face(std::size_t index) {
    if (index == kIconFace) {
        if (!icons_) throw Error("this font set has no pictogram face");
        return *icons_;
    }
    return *faces_.at(index);
}

void FontSet::add(const std::filesystem::path& file, std::vector<std::string> scripts) {
    std::vector<std::uint32_t> served;
    for (const std::string& tag : scripts) {
        hb_script_t script = hb_script_from_string(tag.c_str(), static_cast<int>(tag.size()));
        if (script == HB_SCRIPT_INVALID || script == HB_SCRIPT_UNKNOWN)
            throw Error(fmt::format("\"{}\" is not an ISO 15924 script tag", tag));
        served.push_back(static_cast<std::uint32_t>(script));
    }
    faces_.push_back(Face::open(file));
    scripts_.push_back(std::move(served));
}

std::size_t FontSet::face_for_script(std::uint32_t script) const {
    for (std::size_t i = 1; i < scripts_.size(); ++i)
        if (std::find(scripts_[i].begin(), scripts_[i].end(), script) != scripts_[i].end())
            return i;
    return 0;
}

std::filesystem::path find_font_file(const std::string& family, const std::string& package) {
    static std::once_flag init;
    std::call_once(init, [] { FcInit(); });
    FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(family.c_str()));
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    std::string file;
    // fontconfig always answers with something; only the family asked for will do.
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    if (match) file = readable_file_of(match, family);
    if (match) FcPatternDestroy(match);
    if (file.empty()) {
        // The best match may be a WOFF copy of the family; another of its files may do.
        FcFontSet* sorted = FcFontSort(nullptr, pattern, FcFalse, nullptr, &result);
        for (int i = 0; sorted && i < sorted->nfont && file.empty(); ++i)
            file = readable_file_of(sorted->fonts[i], family);
        if (sorted) FcFontSetDestroy(sorted);
    }
    FcPatternDestroy(pattern);
    if (file.empty())
        throw Error(fmt::format("the font \"{}\" is not installed; install the Debian package {}",
                                family, package));
    return file;
}

}  // namespace seba::text
