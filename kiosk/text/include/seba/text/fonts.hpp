// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kiosk's fonts: Noto Sans for Latin and Cyrillic (Uzbek's ʻ included), then the fonts
/// each language names for its scripts (Noto Sans Bengali for Bangla, Noto Sans Devanagari
/// for Nepali...), found through fontconfig, each opened once for HarfBuzz (shaping) and
/// FreeType (drawing); any installed font fontconfig finds for a character none of them has;
/// and Material Icons for the kit's pictograms, kept apart from them.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
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

/// The fonts one language wants for one of its scripts: the plain form of a language record's
/// `fonts` and `font_packages` (seba/ui/languages.hpp), so that this library needs no UI.
struct FontChoice {
    std::string script;                 ///< ISO 15924: "Beng", "Deva"
    std::vector<std::string> families;  ///< fontconfig family names, first choice first
    std::vector<std::string> packages;  ///< Debian packages that hold them
    std::string language;               ///< for messages: "नेपाली (ne)"
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

    /// Noto Sans (the default face: Latin, Cyrillic, digits, punctuation), then for each
    /// choice the first of its families that is installed, serving its script (a file two
    /// choices share is opened once), and Material Icons for pictograms, found through
    /// fontconfig. Characters none of them has are looked up among every installed font.
    /// Throws seba::Error (the text of missing_fonts()) naming the language, the families
    /// and the Debian packages to install when a choice has none of its families installed.
    static std::unique_ptr<FontSet> system(const std::vector<FontChoice>& choices);
    /// system() for the shipped languages' scripts: Noto Sans and Noto Sans Bengali.
    static std::unique_ptr<FontSet> system();
    /// What system(choices) would throw about a missing font, or "" when all are installed.
    static std::string missing_fonts(const std::vector<FontChoice>& choices);
    /// Faces from files: the first is the default, each further one serves the scripts
    /// it was given for (ISO 15924 tags, e.g. "Beng"). For tools and tests.
    void add(const std::filesystem::path& file, std::vector<std::string> scripts = {});
    /// The pictogram face from a file: a font whose ligatures turn a name into its glyph
    /// ("volume_up"), as Material Icons does. For tools and tests.
    void set_icons(const std::filesystem::path& file);

    /// The number of text faces (the pictogram face is not counted), fallbacks included.
    std::size_t size() const { return faces_.size(); }
    /// The number of faces added on purpose (system() or add()): the first ones. The faces
    /// after them were found for characters none of these has.
    std::size_t configured_size() const { return configured_; }
    /// A text face (index < size()), or the pictogram face (kIconFace).
    Face& face(std::size_t index);
    /// The pictogram face, or null when the set has none.
    Face* icons() const { return icons_.get(); }
    /// The face for a run of `script` (a HarfBuzz hb_script_t): the first that serves it,
    /// else the default face.
    std::size_t face_for_script(std::uint32_t script) const;
    /// The face that draws `code_point` in a run of `script` (hb_script_t): the first face
    /// serving the script that has it, else the default face, else any face that has it,
    /// else (when fallbacks are on) an installed font fontconfig finds for it, added once.
    /// When no face has it: face_for_script(script), which draws it as a box.
    std::size_t face_for(char32_t code_point, std::uint32_t script);
    /// Code points of `text` no face can draw (fallbacks included), each once, in order;
    /// controls, joiners, variation selectors and other invisible characters are not counted.
    std::vector<char32_t> missing(std::string_view text);

    /// Whether face_for() may look among all installed fonts (on for system(), off for a set
    /// made with add(), which draws with exactly the files it was given).
    void set_fallbacks(bool on) { fallbacks_ = on; }

  private:
    std::size_t fallback_for(char32_t code_point);
    std::vector<std::unique_ptr<Face>> faces_;
    std::vector<std::vector<std::uint32_t>> scripts_;  // per face
    std::size_t configured_ = 0;
    std::unique_ptr<Face> icons_;
    bool fallbacks_ = false;
    std::vector<char32_t> no_fallback_;  // code points fontconfig had no font for (bounded)
};

/// Whether `code_point` is drawn as nothing: a control, a format character (joiners,
/// direction marks), a variation selector or another Unicode default-ignorable.
bool is_invisible(char32_t code_point);

/// The file fontconfig resolves `family` to, or a seba::Error naming `package` when the
/// family is not installed (fontconfig's nearest other family does not count). Only a file
/// HarfBuzz reads will do: a WOFF copy of the family is passed over.
std::filesystem::path find_font_file(const std::string& family, const std::string& package);

}  // namespace seba::text
