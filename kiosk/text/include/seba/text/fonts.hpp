// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kiosk's fonts: Noto Sans for Latin and Cyrillic (Uzbek's ʻ included) and Noto Sans
/// Bengali for Bangla, found through fontconfig, each opened once for HarfBuzz (shaping)
/// and FreeType (drawing); and Material Icons for the kit's pictograms, kept apart from them.

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

/// The index of the pictogram face, in glyphs and in the atlas. It is not one of the text
/// faces (size() leaves it out): text never falls back to it, so a name is never drawn as a
/// pictogram nor a pictogram's name as letters.
inline constexpr std::uint16_t kIconFace = 0xFFFF;

/// The faces text is drawn with, in fallback order, and which script each one serves; and,
/// apart from them, the face pictograms are drawn with.
class FontSet {
  public:
    FontSet();
    ~FontSet();
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    /// Noto Sans (the default face: Latin, Cyrillic, digits, punctuation) and Noto Sans
    /// Bengali (Bangla), and Material Icons for pictograms, found through fontconfig. Throws
    /// seba::Error naming the Debian package to install (fonts-noto-core,
    /// fonts-material-design-icons-iconfont) when one is missing.
    static std::unique_ptr<FontSet> system();
    /// Faces from files: the first is the default, each further one serves the scripts
    /// it was given for (ISO 15924 tags, e.g. "Beng"). For tools and tests.
    void add(const std::filesystem::path& file, std::vector<std::string> scripts = {});
    /// The pictogram face from a file: a font whose ligatures turn a name into its glyph
    /// ("volume_up"), as Material Icons does. For tools and tests.
    void set_icons(const std::filesystem::path& file);

    /// The number of text faces (the pictogram face is not counted).
    std::size_t size() const { return faces_.size(); }
    /// A text face (index < size()), or the pictogram face (kIconFace).
    Face& face(std::size_t index);
    /// The pictogram face, or null when the set has none.
    Face* icons() const { return icons_.get(); }
    /// The face for a run of `script` (a HarfBuzz hb_script_t): the first that serves it,
    /// else the default face.
    std::size_t face_for_script(std::uint32_t script) const;

  private:
    std::vector<std::unique_ptr<Face>> faces_;
    std::vector<std::vector<std::uint32_t>> scripts_;  // per face
    std::unique_ptr<Face> icons_;
};

/// The file fontconfig resolves `family` to, or a seba::Error naming `package` when the
/// family is not installed (fontconfig's nearest other family does not count). Only a file
/// HarfBuzz reads will do: a WOFF copy of the family is passed over.
std::filesystem::path find_font_file(const std::string& family, const std::string& package);

}  // namespace seba::text
