// SPDX-License-Identifier: Apache-2.0
#pragma once

// A language as data: a BCP 47 tag and what a kiosk needs to show, read, type and say it.
// The five Seba ships are records of assets/languages/languages.json; a country pack adds
// its own on the channel "i18n.languages" (docs/country-packs.md). The server checks a
// pack's records with the same rules the kiosk reads them with; the kiosk's registry of
// known languages is seba/ui/languages.hpp.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "seba/export.hpp"

namespace seba {

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
    SEBA_API static Language from_json(const nlohmann::json& record);
    SEBA_API nlohmann::json to_json() const;
};

}  // namespace seba
