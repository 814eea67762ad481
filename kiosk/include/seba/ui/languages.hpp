// SPDX-License-Identifier: Apache-2.0
#pragma once

// The languages a kiosk can speak, as data. A language is a BCP 47 tag and what the kiosk
// needs to show, read, type and say it: its name in itself, its scripts, direction, digits,
// the xkb layout of its on-screen keyboard, its fonts per script, its ICU locale and
// calendar, and its read-aloud voice. The five Seba ships (bn, uz-Latn, uz-Cyrl, ru, en)
// are records of assets/languages.json, compiled in; a country pack adds its own on the
// catalog channel "i18n.languages" (docs/country-packs.md), so a new language needs no build.

#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "seba/language.hpp"
#include "seba/storage.hpp"
#include "seba/ui/export.hpp"

namespace seba::ui {

using seba::Language;
using seba::ScriptFonts;

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

/// The catalog channels a country pack's languages arrive on (docs/country-packs.md): a
/// language record keyed by its tag; and translations, "<domain>/<tag>" -> {"po": "<text
/// of a .po file>"}, so a country translates the shell and any plugin with no build.
inline constexpr std::string_view kLanguagesChannel = "i18n.languages";
inline constexpr std::string_view kTranslationsChannel = "i18n.translations";

/// The shipped languages with the channel's over them. A record that does not read is left
/// out and why added to `problems` (for the log), so one bad record costs only itself.
SEBA_UI_API Languages languages_from(Database& db, std::vector<std::string>* problems);

/// Writes the translations channel's catalogs as <dir>/<domain>/<tag>.po (the kiosk user's
/// alone), and removes the ones the channel no longer holds, so that
/// Catalog::load(domain, {plugin's, dir / domain}) reads a country's translations over a
/// plugin's own. A record that does not read is skipped and why added to `problems`.
SEBA_UI_API void export_translations(Database& db, const std::filesystem::path& dir,
                                     std::vector<std::string>* problems);

/// The process's languages (the shipped ones until set_languages is called). Safe from any
/// thread; the set, and every Language in it, stays valid until the process exits, even
/// after another set replaces it.
SEBA_UI_API const Languages& languages();
SEBA_UI_API void set_languages(Languages languages);

}  // namespace seba::ui
