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
#include "seba/utf8.hpp"

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

// The default face and the pictogram face, and where to find them.
constexpr const char* kDefaultFamily = "Noto Sans";
constexpr const char* kDefaultPackage = "fonts-noto-core";
constexpr const char* kIconFamily = "Material Icons";
constexpr const char* kIconPackage = "fonts-material-design-icons-iconfont";
// Fonts found for characters no chosen face has: enough for a few scripts on one screen,
// bounded so text full of rare characters cannot open every font installed.
constexpr std::size_t kMaxFallbackFaces = 16;
constexpr std::size_t kMaxRememberedMisses = 1024;

std::uint32_t script_of_tag(const std::string& tag) {
    hb_script_t script = hb_script_from_string(tag.c_str(), static_cast<int>(tag.size()));
    if (script == HB_SCRIPT_INVALID || script == HB_SCRIPT_UNKNOWN)
        throw Error(fmt::format("\"{}\" is not an ISO 15924 script tag", tag));
    return static_cast<std::uint32_t>(script);
}

void init_fontconfig() {
    static std::once_flag init;
    std::call_once(init, [] { FcInit(); });
}

// The file fontconfig has for exactly `family`, readable by HarfBuzz, or "".
std::string file_of_family(const std::string& family) {
    init_fontconfig();
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
    return file;
}

std::string not_installed(const std::string& family, const std::string& package) {
    return fmt::format("the font \"{}\" is not installed; install the Debian package {}", family,
                       package);
}

std::string not_installed(const FontChoice& choice) {
    std::string packages = choice.packages.empty()
                               ? std::string("that holds one of them")
                               : fmt::format("{}", fmt::join(choice.packages, " "));
    return fmt::format(
        "{}: no font for the script {} is installed (looked for \"{}\"); install the Debian "
        "package{} {}",
        choice.language.empty() ? std::string("a language") : choice.language, choice.script,
        fmt::join(choice.families, "\", \""), choice.packages.size() > 1 ? "s" : "", packages);
}

// The first of `choice`'s families that is installed, or "".
std::string file_of_choice(const FontChoice& choice) {
    for (const std::string& family : choice.families)
        if (std::string file = file_of_family(family); !file.empty()) return file;
    return {};
}

// What is missing for system(choices): one sentence each, "" when nothing is.
std::string missing_sentences(const std::vector<FontChoice>& choices) {
    std::vector<std::string> missing;
    if (file_of_family(kDefaultFamily).empty())
        missing.push_back(not_installed(kDefaultFamily, kDefaultPackage));
    for (const FontChoice& choice : choices)
        if (file_of_choice(choice).empty()) missing.push_back(not_installed(choice));
    if (file_of_family(kIconFamily).empty())
        missing.push_back(not_installed(kIconFamily, kIconPackage));
    return fmt::format("{}", fmt::join(missing, "; "));
}

}  // namespace

bool is_invisible(char32_t code_point) {
    switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), code_point)) {
        case HB_UNICODE_GENERAL_CATEGORY_CONTROL:
        case HB_UNICODE_GENERAL_CATEGORY_FORMAT:  // joiners, direction marks, soft hyphen
        case HB_UNICODE_GENERAL_CATEGORY_LINE_SEPARATOR:
        case HB_UNICODE_GENERAL_CATEGORY_PARAGRAPH_SEPARATOR:
            return true;
        default:
            break;
    }
    // The rest of Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt).
    const auto in = [code_point](char32_t first, char32_t last) {
        return code_point >= first && code_point <= last;
    };
    return code_point == 0x034F || in(0x115F, 0x1160) || in(0x17B4, 0x17B5) || in(0x180B, 0x180F) ||
           code_point == 0x3164 || in(0xFE00, 0xFE0F) || code_point == 0xFFA0 ||
           in(0xFFF0, 0xFFF8) || in(0xE0000, 0xE0FFF);
}

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
    return system({{"Beng", {"Noto Sans Bengali"}, {"fonts-noto-core"}, "বাংলা (bn)"}});
}

std::unique_ptr<FontSet> FontSet::system(const std::vector<FontChoice>& choices) {
    if (std::string missing = missing_sentences(choices); !missing.empty()) throw Error(missing);
    auto fonts = std::make_unique<FontSet>();
    fonts->add(find_font_file(kDefaultFamily, kDefaultPackage));
    for (const FontChoice& choice : choices) {
        std::filesystem::path file = file_of_choice(choice);
        if (file.empty()) throw Error(not_installed(choice));  // uninstalled since checked
        auto same = std::find_if(fonts->faces_.begin(), fonts->faces_.end(),
                                 [&](const auto& face) { return face->file() == file; });
        if (same == fonts->faces_.end()) {
            fonts->add(file, {choice.script});
        } else {
            // Noto Sans serves Latin and Cyrillic: one face, several scripts.
            auto index = static_cast<std::size_t>(same - fonts->faces_.begin());
            fonts->scripts_[index].push_back(script_of_tag(choice.script));
        }
    }
    fonts->set_icons(find_font_file(kIconFamily, kIconPackage));
    fonts->fallbacks_ = true;
    return fonts;
}

std::string FontSet::missing_fonts(const std::vector<FontChoice>& choices) {
    return missing_sentences(choices);
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
    for (const std::string& tag : scripts) served.push_back(script_of_tag(tag));
    // Appended, never inserted: glyphs and atlas entries name faces by index.
    bool no_fallbacks_yet = configured_ == faces_.size();
    faces_.push_back(Face::open(file));
    scripts_.push_back(std::move(served));
    if (no_fallbacks_yet) ++configured_;
}

std::size_t FontSet::face_for_script(std::uint32_t script) const {
    for (std::size_t i = 0; i < scripts_.size(); ++i)
        if (std::find(scripts_[i].begin(), scripts_[i].end(), script) != scripts_[i].end())
            return i;
    return 0;
}

std::size_t FontSet::face_for(char32_t code_point, std::uint32_t script) {
    for (std::size_t i = 0; i < faces_.size(); ++i)
        if (std::find(scripts_[i].begin(), scripts_[i].end(), script) != scripts_[i].end() &&
            faces_[i]->has_glyph(code_point))
            return i;
    for (std::size_t i = 0; i < faces_.size(); ++i)
        if (faces_[i]->has_glyph(code_point)) return i;
    if (fallbacks_)
        if (std::size_t found = fallback_for(code_point); found < faces_.size()) return found;
    return face_for_script(script);
}

std::size_t FontSet::fallback_for(char32_t code_point) {
    constexpr std::size_t kNone = ~std::size_t{0};
    if (faces_.size() - configured_ >= kMaxFallbackFaces || is_invisible(code_point)) return kNone;
    if (std::find(no_fallback_.begin(), no_fallback_.end(), code_point) != no_fallback_.end())
        return kNone;
    init_fontconfig();
    FcCharSet* wanted = FcCharSetCreate();
    FcCharSetAddChar(wanted, code_point);
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddCharSet(pattern, FC_CHARSET, wanted);
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    // Sorted by how well each font covers the character (then fontconfig's preferences); the
    // charset is a preference, not a filter, so each candidate is checked.
    FcFontSet* sorted = FcFontSort(nullptr, pattern, FcFalse, nullptr, &result);
    std::size_t found = kNone;
    for (int i = 0; sorted && i < sorted->nfont && found == kNone; ++i) {
        FcPattern* font = sorted->fonts[i];
        FcCharSet* covered = nullptr;
        FcChar8* path = nullptr;
        int index = 0;
        FcBool color = FcFalse;
        if (FcPatternGetCharSet(font, FC_CHARSET, 0, &covered) != FcResultMatch ||
            !FcCharSetHasChar(covered, code_point) ||
            FcPatternGetString(font, FC_FILE, 0, &path) != FcResultMatch)
            continue;
        // Face::open reads a file's first face; colour (emoji) bitmaps are not coverage.
        if (FcPatternGetInteger(font, FC_INDEX, 0, &index) == FcResultMatch && index != 0) continue;
        if (FcPatternGetBool(font, FC_COLOR, 0, &color) == FcResultMatch && color) continue;
        const char* file = reinterpret_cast<const char*>(path);
        // Never the pictogram font: text is not drawn with pictograms.
        bool known = std::any_of(faces_.begin(), faces_.end(),
                                 [&](const auto& face) { return face->file() == file; }) ||
                     (icons_ && icons_->file() == file);
        if (known || !harfbuzz_reads(file)) continue;
        std::unique_ptr<Face> face = Face::open(file);
        if (!face->has_glyph(code_point)) continue;
        std::vector<std::uint32_t> served;
        hb_script_t script = hb_unicode_script(hb_unicode_funcs_get_default(), code_point);
        if (script != HB_SCRIPT_COMMON && script != HB_SCRIPT_INHERITED &&
            script != HB_SCRIPT_UNKNOWN)
            served.push_back(static_cast<std::uint32_t>(script));
        faces_.push_back(std::move(face));
        scripts_.push_back(std::move(served));
        found = faces_.size() - 1;
    }
    if (sorted) FcFontSetDestroy(sorted);
    FcPatternDestroy(pattern);
    FcCharSetDestroy(wanted);
    if (found == kNone) {
        if (no_fallback_.size() >= kMaxRememberedMisses) no_fallback_.clear();
        no_fallback_.push_back(code_point);
    }
    return found;
}

std::vector<char32_t> FontSet::missing(std::string_view text) {
    std::vector<char32_t> out;
    hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
    for (std::size_t at = 0; at < text.size();) {
        utf8::CodePoint c = utf8::decode(text, at);
        at += c.length;
        if (is_invisible(c.code) || std::find(out.begin(), out.end(), c.code) != out.end())
            continue;
        auto script = static_cast<std::uint32_t>(hb_unicode_script(unicode, c.code));
        if (faces_.empty() || !faces_[face_for(c.code, script)]->has_glyph(c.code))
            out.push_back(c.code);
    }
    return out;
}

std::filesystem::path find_font_file(const std::string& family, const std::string& package) {
    std::string file = file_of_family(family);
    if (file.empty()) throw Error(not_installed(family, package));
    return file;
}

}  // namespace seba::text
