// SPDX-License-Identifier: Apache-2.0
#pragma once

// The languages a kiosk can speak, as data. A language is a BCP 47 tag and what the kiosk
// needs to show, read, type and say it: its name in itself, its scripts, direction, digits,
// the xkb layout of its on-screen keyboard, its fonts per script, its ICU locale and
// calendar, and its read-aloud voice. The five Seba ships (bn, uz-Latn, uz-Cyrl, ru, en)
// are records of assets/languages.json, compiled in; a country pack adds its own on the
// catalog channel "i18n.languages" (docs/country-packs.md), so a new language needs no build.

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "seba/ui/export.hpp"

// Tags are checked with seba::is_language_tag (seba/config.hpp).
namespace seba::ui {

/// The fonts that draw one script (ISO 15924: "Beng", "Deva", "Latn"), by fontconfig family
/// name, first choice first.
struct ScriptFonts {
    std::string script;
    std::vector<std::string> families;
};

struct Language {
    std::string tag;           ///< BCP 47: "bn", "uz-Latn", "ne"
    std::string name;          ///< in the language itself: "বাংলা", "नेपाली"
    std::string english_name;  ///< "Bangla", "Nepali": for operators and messages
    std::vector<std::string> scripts;  ///< ISO 15924, the main one first: {"Deva"}
    bool right_to_left = false;
    /// ICU numbering system of the digits it shows and reads: "latn", "beng", "deva",
    /// "arabext"... A citizen may type these or ASCII digits in any numeric field.
    std::string digits = "latn";
    /// ICU locale for numbers, dates and money: "bn_BD", "ne_NP". Defaults to the tag.
    std::string locale;
    /// ICU calendar dates are shown and typed in: "gregorian", "persian", "ethiopic"...
    std::string calendar = "gregorian";
    std::string keyboard_layout;   ///< xkb layout of the on-screen keyboard: "np"
    std::string keyboard_variant;  ///< its variant, or empty
    std::vector<ScriptFonts> fonts;
    /// Debian packages that hold its fonts, named when one is missing: "fonts-noto-core".
    std::vector<std::string> font_packages;
    /// espeak-ng voice that reads it aloud ("bn", "uz", "ne"), or empty: none.
    std::string voice;

    /// Reads one record (assets/languages.json's or the channel's). Throws seba::Error
    /// naming the field that is missing or wrong.
    static Language from_json(const nlohmann::json& record);
    nlohmann::json to_json() const;
};

/// The languages a process knows: the shipped ones, then a country pack's (which may also
/// redefine a shipped one). Immutable once built; the shell swaps in a new set after a sync.
class SEBA_UI_API Languages {
  public:
    /// The five of assets/languages.json.
    static Languages shipped();
    /// A record added over any of the same tag. Throws seba::Error (see Language::from_json).
    void add(Language language);
    const Language* find(std::string_view tag) const;
    const std::vector<Language>& all() const { return languages_; }

  private:
    std::vector<Language> languages_;
};

/// The process's languages (the shipped ones until set_languages is called). Safe from any
/// thread; the pointer stays valid while held.
SEBA_UI_API std::shared_ptr<const Languages> languages();
SEBA_UI_API void set_languages(Languages languages);

}  // namespace seba::ui
