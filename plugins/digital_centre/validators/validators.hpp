// SPDX-License-Identifier: Apache-2.0
#pragma once
// Checks for what a citizen types into a Digital Centre form: IDs, phones, dates, names.
// UI-free and locale-free: a problem is an English sentence that is also the msgid in the
// plugin's catalogs (assets/locale/*.po), so the kiosk shows ui.tr(problem).

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace seba::dc {

/// Which rule a form field follows; names as a service catalog writes them.
enum class Rule {
    Text,
    Name,
    NidBd,
    BirthRegBd,
    PinflUz,
    PhoneBd,
    PhoneUz,
    Date,
    PastDate,
    Number
};

/// The rule a catalog names: "text", "name", "nid_bd", "birth_reg_bd", "pinfl_uz", "phone_bd",
/// "phone_uz", "date", "past_date", "number"; nullopt for anything else (names are exact).
std::optional<Rule> rule_from_name(std::string_view name);

/// The outcome of one check.
struct Checked {
    bool ok = false;
    /// Normalised when ok: ASCII digits, E.164 phones, dates as YYYY-MM-DD, names and text in
    /// Unicode NFC with spaces trimmed (names also with runs of spaces collapsed).
    std::string value;
    /// When not ok: an English sentence, the msgid of the plugin's catalog (the kiosk shows
    /// ui.tr(problem)); empty when ok.
    std::string problem;
};

/// Checks `value` (UTF-8, as typed: Bangla digits, spaces and hyphens are fine) against `rule`.
/// Empty (after trimming) is ok with value "" unless `required`. `today` is YYYY-MM-DD and is
/// only read by Rule::PastDate, which throws std::invalid_argument if it is not a real date.
/// Never throws for any `value`, including invalid UTF-8 and very long input.
Checked check(Rule rule, std::string_view value, bool required, std::string_view today);

/// Every problem check() can return, for catalog completeness checks.
std::span<const std::string_view> all_problems();

/// Bangla digits (০-৯, U+09E6..U+09EF) and every other Unicode decimal digit (Nd) as ASCII
/// 0-9; everything else, invalid UTF-8 included, passes through unchanged.
std::string ascii_digits(std::string_view text);

/// A tracking number ("DHK1-261128-A7-0042": centre code, day YYMMDD, the kiosk's two-letter
/// tag, the day's sequence) as it was made, from what a citizen typed: any case, spaces or
/// dashes in place of hyphens or none at all, native digits, O and I for 0 and 1 where digits
/// belong. `centre_code` (this kiosk's) is given back as configured when what was typed
/// names it. nullopt when it cannot be one.
std::optional<std::string> normalise_tracking(std::string_view typed,
                                              std::string_view centre_code = {});

}  // namespace seba::dc
