// SPDX-License-Identifier: Apache-2.0
#pragma once
// Checks for what a citizen types into a Digital Centre form, as a small rule language that
// a country pack writes in the service catalog ("rule/<id>" records, docs/digital-centre.md
// "Form rules"): ID numbers with their check digits, phones, dates in any ICU calendar,
// names in given scripts, free text and numbers. UI-free and locale-free: a problem is an
// English msgid of the plugin's catalogs (assets/locale/*.po) or the rule's own texts by
// language, with {0}-style placeholders.

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seba::dc {

/// What a rule checks.
enum class RuleKind { Text, Letters, Digits, Phone, Date, Number };

/// How the last digit of a `digits` rule is checked.
enum class CheckDigit { None, Luhn, Mod11, Weighted };

/// A problem as a rule states it.
struct Message {
    /// English; the msgid translated through the plugin's catalogs when `by_language` is empty.
    std::string en;
    /// The rule record's own texts by BCP 47 tag ("en" always among them), or empty.
    std::map<std::string, std::string, std::less<>> by_language;
};

/// One rule: a built-in one or a "rule/<id>" record read by parse_rule().
struct FormRule {
    std::string id;
    RuleKind kind = RuleKind::Text;
    std::string example;  ///< shown in messages as {0} (phones and dates have a default)
    // digits
    std::vector<int> lengths;
    CheckDigit check_digit = CheckDigit::None;
    std::vector<int> weights;  ///< mod11 and weighted, from the first digit, repeated
    int modulus = 10;          ///< weighted
    bool complement = false;   ///< weighted: the check is (modulus - sum % modulus) % modulus
    // letters
    std::vector<int> scripts;  ///< UScriptCode values; empty: letters of any script
    int min_letters = 2;
    int max_length = 200;  ///< letters and text, in characters (code points) after NFC
    std::u32string also;   ///< letters: what may stand between letters besides spaces
    // phone
    std::string region;                      ///< libphonenumber region ("BD")
    std::vector<std::string> types;          ///< "mobile", "fixed_line", "toll_free", ...
    std::vector<std::string> other_regions;  ///< recognised to say "this is another country's"
    // date
    std::string calendar = "gregorian";  ///< an ICU calendar name
    bool year_first = false;             ///< "order": "ymd"
    bool not_after_today = false;
    int min_year = 1900;  ///< in `calendar`
    int max_year = 2100;
    // number
    int max_digits = 30;
    /// Messages the record sets, by slot ("length", "landline", ...); the rest are defaults.
    std::map<std::string, Message, std::less<>> problems;
};

/// Reads the record "rule/<id>"; throws std::invalid_argument saying what is wrong. Fields it
/// does not know are ignored and named in `warnings` (a newer pack on an older kiosk).
FormRule parse_rule(std::string_view id, const nlohmann::json& data,
                    std::vector<std::string>* warnings = nullptr);

/// The rules every catalog has without a record: "text", "name" (letters of any script),
/// "number", "date", "past_date"; null for any other id.
const FormRule* builtin_rule(std::string_view id);

/// The outcome of one check.
struct Checked {
    bool ok = false;
    /// Normalised when ok: ASCII digits, E.164 phones, dates as Gregorian YYYY-MM-DD, names
    /// and text in Unicode NFC with spaces trimmed (names also with runs of spaces collapsed).
    std::string value;
    /// When not ok: the problem in English with its placeholders filled (logs, tests).
    std::string problem;
    /// When not ok: the problem as the rule states it, and what fills {0}, {1}...
    Message message;
    std::vector<std::string> args;
};

/// Checks `value` (UTF-8 as typed: any Unicode decimal digits, spaces and hyphens are fine)
/// against `rule`. Empty (after trimming) is ok with value "" unless `required`. `today` is
/// Gregorian YYYY-MM-DD, read only by a date rule with not_after_today, which throws
/// std::invalid_argument if it is not a real date. Never throws for any `value`.
Checked check(const FormRule& rule, std::string_view value, bool required, std::string_view today);

/// The problem for a citizen reading `language`: the rule's own text in that language (else
/// its "en"), or `translate(msgid)`; each {n} replaced by args[n] passed through `digits`
/// (the citizen's digits). A translation that lost a placeholder shows the English.
std::string problem_in(const Checked& checked, std::string_view language,
                       const std::function<std::string(const std::string&)>& translate,
                       const std::function<std::string(const std::string&)>& digits);

/// Every default message (msgid) a rule can give, for catalog completeness checks.
std::span<const std::string_view> all_problems();

/// Every Unicode decimal digit (Nd: Bangla, Devanagari, Arabic-Indic...) as ASCII 0-9;
/// everything else, invalid UTF-8 included, passes through unchanged.
std::string ascii_digits(std::string_view text);

/// A tracking number ("DHK1-261128-A7-0042": centre code, day YYMMDD, the kiosk's two-letter
/// tag, the day's sequence) as it was made, from what a citizen typed: any case, spaces or
/// dashes in place of hyphens or none at all, native digits, O and I for 0 and 1 where digits
/// belong. `centre_code` (this kiosk's) is given back as configured when what was typed
/// names it. nullopt when it cannot be one.
std::optional<std::string> normalise_tracking(std::string_view typed,
                                              std::string_view centre_code = {});

}  // namespace seba::dc
