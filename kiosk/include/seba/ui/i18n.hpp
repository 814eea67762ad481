// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "seba/ui/export.hpp"
#include "seba/ui/locale.hpp"

namespace seba::ui {

/// Translations for one domain ("seba" for the shell, a plugin's id for a plugin) in every
/// language, read from gettext .po catalogs: <dir>/<language>.po, e.g. locale/bn.po. The
/// msgid is the English text. A string missing from a language (absent, empty or fuzzy)
/// falls back to English, and is remembered for the missing-strings report.
class SEBA_UI_API Catalog {
  public:
    Catalog() = default;
    /// Reads every <language>.po in `dir`, for any BCP 47 tag (bn.po, ne.po...). A malformed
    /// catalog throws seba::Error naming the file and line.
    static Catalog load(std::string_view domain, const std::filesystem::path& dir);
    /// The same over several folders, a later one's translations over an earlier one's: a
    /// plugin's own, then what a country pack sent (Shell: <data>/locale/<domain>).
    static Catalog load(std::string_view domain, const std::vector<std::filesystem::path>& dirs);
    /// The languages with a catalog, English left out.
    std::vector<std::string> languages() const;

    /// The translation of `english` into `language`, or `english` itself.
    const std::string& translate(std::string_view language, const std::string& english) const;
    /// The same, with a msgctxt (for short strings whose meaning depends on where they are).
    const std::string& translate(std::string_view language, std::string_view context,
                                 const std::string& english) const;

    /// The form of a message with a count (msgid `singular`, msgid_plural `plural`) that
    /// `language`'s Plural-Forms picks for `n`, or English: n == 1 ? singular : plural. The
    /// caller puts the count into its {0}.
    const std::string& translate_plural(std::string_view language, const std::string& singular,
                                        const std::string& plural, unsigned long n) const;

    /// Every msgid of the English source that `language` does not translate.
    std::vector<std::string> missing(std::string_view language) const;
    /// Every msgid in any catalog of this domain.
    std::vector<std::string> msgids() const;
    const std::string& domain() const { return domain_; }

    /// One language's catalog, as load() reads it (public only so that the reader in i18n.cpp
    /// can fill it; nothing else needs it).
    struct Messages {
        /// (context + '\x04' + msgid) -> msgstr; a plural message's first form.
        std::map<std::string, std::string, std::less<>> texts;
        /// A plural message's msgid -> every msgstr[i].
        std::map<std::string, std::vector<std::string>, std::less<>> plurals;
        PluralRule rule;  ///< from the header's Plural-Forms (English's without one)
    };

  private:
    std::string domain_;
    std::map<std::string, Messages, std::less<>> strings_;  // by language
    std::vector<std::string> all_ids_;
};

/// The {0}-style placeholders in `text`; a translation must keep the English ones.
SEBA_UI_API std::set<std::string> placeholders(std::string_view text);

/// Writes ASCII digits in the digits of `language` (seba/ui/languages.hpp: Bangla ০-৯ for
/// "bn", Devanagari for "ne"...); other characters pass through, as does everything for a
/// language that writes ASCII digits or that the kiosk does not know.
SEBA_UI_API std::string localize_digits(std::string_view text, std::string_view language);

/// Turns every Unicode decimal digit (Bangla, Devanagari, Arabic-Indic...) into ASCII 0-9;
/// other text, malformed UTF-8 too, passes through. Applied to what a citizen types in
/// numeric fields.
SEBA_UI_API std::string ascii_digits(std::string_view text);

/// The language's own name for itself, for the language switcher ("বাংলা", "Oʻzbekcha",
/// "Ўзбекча", "Русский", "English", or a country pack's); the tag for an unknown one.
SEBA_UI_API std::string language_endonym(std::string_view language);

/// The espeak-ng voice that reads `language` aloud ("bn", "uz" for both Uzbek scripts, "ru",
/// "en"); empty for a language the kiosk has no voice for.
SEBA_UI_API std::string language_voice(std::string_view language);

}  // namespace seba::ui
