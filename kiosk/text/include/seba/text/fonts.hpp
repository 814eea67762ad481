// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kiosk's fonts: Noto Sans for Latin and Cyrillic (Uzbek's ʻ included) and Noto Sans
/// Bengali for Bangla, found through fontconfig, each opened once for HarfBuzz (shaping)
/// and FreeType (drawing).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct hb_font_t;
struct FT_FaceRec_;

namespace seba::text {

/// One font file: its HarfBuzz font (OpenType metrics, unscaled) and its FreeType face.
class Face {
  public:
    Face(const Face&) = delete;
    Face& operator=(const Face&) = delete;
    ~Face();

    const std::filesystem::path& file() const { return file_; }
    /// HarfBuzz's font with its scale set to `scale` units an em (size in pixels times the
    /// units a pixel); the caller shapes with it right away (one thread).
    hb_font_t* hb_font_scaled(std::int32_t scale);
    FT_FaceRec_* ft_face() const { return ft_face_; }
    /// Glyph ascender and descender of the font at `size_px` (both positive).
    float ascender_px(float size_px) const;
    float descender_px(float size_px) const;
    bool has_glyph(char32_t code_point);

    static std::unique_ptr<Face> open(const std::filesystem::path& file);

  private:
    Face() = default;
    std::filesystem::path file_;
    hb_font_t* hb_font_ = nullptr;
    FT_FaceRec_* ft_face_ = nullptr;
    int units_per_em_ = 1000;
    int ascender_ = 0;
    int descender_ = 0;
};

/// The faces text is drawn with, in fallback order, and which script each one serves.
class FontSet {
  public:
    FontSet();
    ~FontSet();
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    /// Noto Sans (the default face: Latin, Cyrillic, digits, punctuation) and Noto Sans
    /// Bengali (Bangla), found through fontconfig. Throws seba::Error naming the Debian
    /// package to install (fonts-noto-core) when either is missing.
    static std::unique_ptr<FontSet> system();
    /// Faces from files: the first is the default, each further one serves the scripts
    /// it was given for (ISO 15924 tags, e.g. "Beng"). For tools and tests.
    void add(const std::filesystem::path& file, std::vector<std::string> scripts = {});

    std::size_t size() const { return faces_.size(); }
    Face& face(std::size_t index) { return *faces_.at(index); }
    /// The face for a run of `script` (a HarfBuzz hb_script_t): the first that serves it,
    /// else the default face.
    std::size_t face_for_script(std::uint32_t script) const;

  private:
    std::vector<std::unique_ptr<Face>> faces_;
    std::vector<std::vector<std::uint32_t>> scripts_;  // per face
};

/// The file fontconfig resolves `family` to, or a seba::Error naming `package` when the
/// family is not installed (fontconfig's nearest other family does not count).
std::filesystem::path find_font_file(const std::string& family, const std::string& package);

}  // namespace seba::text
