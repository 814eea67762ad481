// SPDX-License-Identifier: Apache-2.0
// The checks: what a citizen typed, read against one rule (validators.hpp).
#include "validators.hpp"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/normalizer2.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "rules_internal.hpp"
#include "seba/utf8.hpp"

namespace seba::dc {

using detail::Ymd;

namespace {

// --- default messages: English msgids, translated in assets/locale/*.po ----------------------

constexpr std::string_view kRequired = "This field is required";
constexpr std::string_view kUnreadable = "This text could not be read; type it again";
constexpr std::string_view kDigitsOnly = "Type digits only, without letters or symbols";
constexpr std::string_view kDigitsLength = "Check the number: it has too few or too many digits";
constexpr std::string_view kDigitsCheck = "This number is not valid; check each digit";
constexpr std::string_view kNumberTooLong = "Use at most {0} digits";
constexpr std::string_view kPhoneInvalid = "Enter a valid phone number, e.g. {0}";
constexpr std::string_view kPhoneLandline =
    "This is a landline number; enter a mobile number, e.g. {0}";
constexpr std::string_view kPhoneOtherRegion =
    "This number is from another country; enter a local number, e.g. {0}";
constexpr std::string_view kDateShape = "Enter the date as DD-MM-YYYY, e.g. {0}";
constexpr std::string_view kDateShapeYearFirst = "Enter the date as YYYY-MM-DD, e.g. {0}";
constexpr std::string_view kDateNotReal = "This date does not exist; check the day and month";
constexpr std::string_view kDateYear = "Enter a year between {0} and {1}";
constexpr std::string_view kDateFuture = "This date is in the future";
constexpr std::string_view kNameTooShort = "A name needs at least {0} letters";
constexpr std::string_view kNameTooLong = "A name can have at most {0} characters";
constexpr std::string_view kNameDigits = "A name cannot contain digits";
constexpr std::string_view kNameSymbols =
    "A name can have only letters, spaces, dots, hyphens and apostrophes";
constexpr std::string_view kNameScript = "Write the name in the alphabet this form asks for";
constexpr std::string_view kTextTooLong = "Use at most {0} characters";
constexpr std::string_view kTextControl =
    "This text has characters that cannot be used; type it again without them";

constexpr std::array kAllProblems = {
    kRequired,           kUnreadable,   kDigitsOnly,    kDigitsLength,     kDigitsCheck,
    kNumberTooLong,      kPhoneInvalid, kPhoneLandline, kPhoneOtherRegion, kDateShape,
    kDateShapeYearFirst, kDateNotReal,  kDateYear,      kDateFuture,       kNameTooShort,
    kNameTooLong,        kNameDigits,   kNameSymbols,   kNameScript,       kTextTooLong,
    kTextControl,
};

// The slots of each kind (what a record's "problems" may set), and which of them "problem"
// sets: the kind's main message.
constexpr std::string_view kTextSlots[] = {"required", "unreadable", "too_long", "control"};
constexpr std::string_view kLettersSlots[] = {"required", "unreadable", "too_short", "too_long",
                                              "digits",   "symbols",    "script"};
constexpr std::string_view kDigitsSlots[] = {"required", "unreadable", "digits_only", "length",
                                             "check"};
constexpr std::string_view kPhoneSlots[] = {"required", "unreadable", "invalid", "landline",
                                            "other_region"};
constexpr std::string_view kDateSlots[] = {"required", "unreadable", "shape",
                                           "not_real", "year",       "future"};
constexpr std::string_view kNumberSlots[] = {"required", "unreadable", "digits_only", "too_long"};
constexpr std::string_view kTextMain[] = {"too_long"};
constexpr std::string_view kLettersMain[] = {"symbols", "script"};
constexpr std::string_view kDigitsMain[] = {"length", "check"};
constexpr std::string_view kPhoneMain[] = {"invalid"};
constexpr std::string_view kDateMain[] = {"shape"};

std::string_view default_message(const FormRule& rule, std::string_view slot) {
    if (slot == "required") return kRequired;
    if (slot == "unreadable") return kUnreadable;
    switch (rule.kind) {
        case RuleKind::Text:
            return slot == "too_long" ? kTextTooLong : kTextControl;
        case RuleKind::Letters:
            if (slot == "too_short") return kNameTooShort;
            if (slot == "too_long") return kNameTooLong;
            if (slot == "digits") return kNameDigits;
            if (slot == "script") return kNameScript;
            return kNameSymbols;
        case RuleKind::Digits:
            if (slot == "digits_only") return kDigitsOnly;
            return slot == "check" ? kDigitsCheck : kDigitsLength;
        case RuleKind::Phone:
            if (slot == "landline") return kPhoneLandline;
            if (slot == "other_region") return kPhoneOtherRegion;
            return kPhoneInvalid;
        case RuleKind::Date:
            if (slot == "not_real") return kDateNotReal;
            if (slot == "year") return kDateYear;
            if (slot == "future") return kDateFuture;
            return rule.year_first ? kDateShapeYearFirst : kDateShape;
        case RuleKind::Number:
            return slot == "digits_only" ? kDigitsOnly : kNumberTooLong;
    }
    return kUnreadable;
}

// No field needs more than a few hundred bytes; anything beyond this is refused before any
// decoding or library call, so pasted junk costs nothing.
constexpr std::size_t kMaxInputBytes = 4096;
// E.164 allows 15 digits; an international prefix (00) and a stray trunk 0 add three.
constexpr std::size_t kMaxPhoneDigits = 18;

// {0}, {1}... replaced by args; any other brace is kept as written.
std::string fill(std::string_view text, const std::vector<std::string>& args) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9' &&
            text[i + 2] == '}') {
            const auto n = static_cast<std::size_t>(text[i + 1] - '0');
            if (n < args.size()) {
                out += args[n];
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

Checked pass(std::string value) {
    Checked c;
    c.ok = true;
    c.value = std::move(value);
    return c;
}

// What the slot's message fills {0}, {1} with: a limit where the message names one, else
// the rule's example.
std::vector<std::string> slot_args(const FormRule& rule, std::string_view slot) {
    if (rule.kind == RuleKind::Letters && slot == "too_short")
        return {std::to_string(rule.min_letters)};
    if ((rule.kind == RuleKind::Letters || rule.kind == RuleKind::Text) && slot == "too_long")
        return {std::to_string(rule.max_length)};
    if (rule.kind == RuleKind::Number && slot == "too_long")
        return {std::to_string(rule.max_digits)};
    if (rule.kind == RuleKind::Date && slot == "year")
        return {std::to_string(rule.min_year), std::to_string(rule.max_year)};
    return {rule.example};
}

Checked fail(const FormRule& rule, std::string_view slot) {
    Checked c;
    if (auto it = rule.problems.find(slot); it != rule.problems.end()) {
        c.message = it->second;
    } else {
        c.message.en = std::string(default_message(rule, slot));
    }
    c.args = slot_args(rule, slot);
    c.problem = fill(c.message.en, c.args);
    return c;
}

// --- character classes (ICU) ----------------------------------------------------------------

UChar32 icu(char32_t c) {
    return static_cast<UChar32>(c);
}
bool is_space(char32_t c) {
    return u_isUWhiteSpace(icu(c)) != 0;
}
bool is_ascii_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}
bool is_dash(char32_t c) {
    return u_charType(icu(c)) == U_DASH_PUNCTUATION;
}

// The digit's ASCII form for any Unicode decimal digit (Nd), else the character itself.
char32_t to_ascii_digit(char32_t c) {
    if (is_ascii_digit(c) || u_charType(icu(c)) != U_DECIMAL_DIGIT_NUMBER) return c;
    const int32_t value = u_charDigitValue(icu(c));
    return value >= 0 && value <= 9 ? static_cast<char32_t>(U'0' + value) : c;
}

bool is_letter(char32_t c) {
    switch (u_charType(icu(c))) {
        case U_UPPERCASE_LETTER:
        case U_LOWERCASE_LETTER:
        case U_TITLECASE_LETTER:
        case U_MODIFIER_LETTER:
        case U_OTHER_LETTER:
            break;
        default:
            return false;
    }
    // A letter of a writing system: ʻ and ʼ (Common) are apostrophes in a name, not letters.
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(icu(c), &status);
    return U_SUCCESS(status) && script != USCRIPT_COMMON && script != USCRIPT_INHERITED &&
           script != USCRIPT_UNKNOWN;
}

// Vowel signs, hasanta, chandrabindu, nukta, combining accents.
bool is_mark(char32_t c) {
    const int8_t type = u_charType(icu(c));
    return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

// In one of the rule's scripts (by the character's script or its Script_Extensions); marks
// of no script of their own (Inherited: combining accents) go with any.
bool in_scripts(char32_t c, const std::vector<int>& scripts) {
    if (scripts.empty()) return true;
    UErrorCode status = U_ZERO_ERROR;
    if (uscript_getScript(icu(c), &status) == USCRIPT_INHERITED) return true;
    return std::any_of(scripts.begin(), scripts.end(), [c](int script) {
        return uscript_hasScript(icu(c), static_cast<UScriptCode>(script)) != 0;
    });
}

constexpr char32_t kZwnj = 0x200C;
constexpr char32_t kZwj = 0x200D;

// Unicode NFC, so the same name typed on two keyboards is stored the same way. Returns the
// input unchanged if ICU's data is unavailable.
std::u32string nfc(const std::u32string& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || normalizer == nullptr) return text;
    const icu::UnicodeString normalized =
        normalizer->normalize(icu::UnicodeString::fromUTF8(utf8::from_utf32(text)), status);
    if (U_FAILURE(status)) return text;
    std::string bytes;
    normalized.toUTF8String(bytes);
    return utf8::to_utf32_strict(bytes).value_or(text);
}

bool is_printable(char32_t c) {
    switch (u_charType(icu(c))) {
        case U_CONTROL_CHAR:
        case U_UNASSIGNED:
        case U_PRIVATE_USE_CHAR:
        case U_SURROGATE:
        case U_LINE_SEPARATOR:
        case U_PARAGRAPH_SEPARATOR:
            return false;
        default:
            return true;
    }
}

// --- digits and their check digit ----------------------------------------------------------

int digit(char c) {
    return c - '0';
}

// Luhn: from the right, every second digit before the check digit doubled (9 subtracted when
// that makes two digits); the whole sum, check digit included, is a multiple of 10.
bool luhn_ok(std::string_view digits) {
    int sum = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        int d = digit(digits[digits.size() - 1 - i]);
        if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return sum % 10 == 0;
}

// Σ digit × weight over every digit but the last, weights from the first digit, repeated.
long weighted_sum(std::string_view digits, const std::vector<int>& weights) {
    long sum = 0;
    for (std::size_t i = 0; i + 1 < digits.size(); ++i)
        sum += static_cast<long>(digit(digits[i])) * weights[i % weights.size()];
    return sum;
}

bool check_digit_ok(const FormRule& rule, std::string_view digits) {
    if (digits.empty()) return false;
    const int last = digit(digits.back());
    switch (rule.check_digit) {
        case CheckDigit::None:
            return true;
        case CheckDigit::Luhn:
            return luhn_ok(digits);
        case CheckDigit::Mod11: {
            // (11 - sum mod 11) mod 11; a 10 cannot be written as one digit: never valid.
            const long expected = (11 - weighted_sum(digits, rule.weights) % 11) % 11;
            return expected == last;
        }
        case CheckDigit::Weighted: {
            long expected = weighted_sum(digits, rule.weights) % rule.modulus;
            if (rule.complement) expected = (rule.modulus - expected) % rule.modulus;
            return expected == last;
        }
    }
    return false;
}

// IDs: spaces and dashes are how people group digits; the rest must be digits.
Checked check_digits(const FormRule& rule, std::u32string_view text) {
    std::string digits;
    for (const char32_t c : text) {
        if (is_space(c) || is_dash(c)) continue;
        if (!is_ascii_digit(c)) return fail(rule, "digits_only");
        digits.push_back(static_cast<char>(c));
    }
    if (std::find(rule.lengths.begin(), rule.lengths.end(), static_cast<int>(digits.size())) ==
        rule.lengths.end()) {
        return fail(rule, "length");
    }
    if (!check_digit_ok(rule, digits)) return fail(rule, "check");
    return pass(std::move(digits));
}

Checked check_number(const FormRule& rule, std::u32string_view text) {
    if (!std::all_of(text.begin(), text.end(), is_ascii_digit)) return fail(rule, "digits_only");
    if (text.size() > static_cast<std::size_t>(rule.max_digits)) return fail(rule, "too_long");
    return pass(utf8::from_utf32(text));
}

// --- phones (libphonenumber) ----------------------------------------------------------------

// Digits and a leading + only, so libphonenumber never sees letters (it would read
// 1-800-FLOWERS style letters as digits) or extensions.
std::optional<std::string> phone_digits(std::u32string_view text) {
    std::string out;
    std::size_t digit_count = 0;
    for (const char32_t c : text) {
        if (is_ascii_digit(c)) {
            out.push_back(static_cast<char>(c));
            ++digit_count;
        } else if (c == U'+' && out.empty()) {
            out.push_back('+');
        } else if (!(is_space(c) || is_dash(c) || c == U'(' || c == U')' || c == U'.')) {
            return std::nullopt;
        }
    }
    if (digit_count == 0 || digit_count > kMaxPhoneDigits) return std::nullopt;
    // 00 is the usual international prefix, but some regions' metadata only know another
    // (Uzbekistan's the old 810); no national number here starts with 00.
    if (out.starts_with("00")) out.replace(0, 2, "+");
    return out;
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool type_allowed(const FormRule& rule, PhoneNumberUtil::PhoneNumberType type) {
    const auto named = [&](std::string_view name) {
        return std::find(rule.types.begin(), rule.types.end(), name) != rule.types.end();
    };
    switch (type) {
        case PhoneNumberUtil::FIXED_LINE:
            return named("fixed_line");
        case PhoneNumberUtil::MOBILE:
            return named("mobile");
        case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
            return named("mobile") || named("fixed_line");
        case PhoneNumberUtil::TOLL_FREE:
            return named("toll_free");
        case PhoneNumberUtil::PREMIUM_RATE:
            return named("premium_rate");
        case PhoneNumberUtil::SHARED_COST:
            return named("shared_cost");
        case PhoneNumberUtil::VOIP:
            return named("voip");
        case PhoneNumberUtil::PERSONAL_NUMBER:
            return named("personal_number");
        case PhoneNumberUtil::PAGER:
            return named("pager");
        case PhoneNumberUtil::UAN:
            return named("uan");
        case PhoneNumberUtil::VOICEMAIL:
            return named("voicemail");
        default:
            return false;
    }
}

bool valid_in(const PhoneNumberUtil& util, const std::string& digits, const std::string& region,
              PhoneNumber* number) {
    return util.Parse(digits, region, number) == PhoneNumberUtil::NO_PARSING_ERROR &&
           util.IsValidNumberForRegion(*number, region);
}

Checked check_phone(const FormRule& rule, std::u32string_view text) {
    const std::optional<std::string> digits = phone_digits(text);
    if (!digits) return fail(rule, "invalid");

    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (valid_in(util, *digits, rule.region, &number)) {
        const PhoneNumberUtil::PhoneNumberType type = util.GetNumberType(number);
        if (type_allowed(rule, type)) {
            std::string e164;
            util.Format(number, PhoneNumberUtil::E164, &e164);
            return pass(std::move(e164));
        }
        return fail(rule, type == PhoneNumberUtil::FIXED_LINE ? "landline" : "invalid");
    }
    // Typed in a neighbour's national form, or with its code but no +?
    for (const std::string& other : rule.other_regions) {
        PhoneNumber theirs;
        if (valid_in(util, *digits, other, &theirs)) return fail(rule, "other_region");
    }
    return fail(rule, "invalid");
}

// --- dates (ICU calendars) ------------------------------------------------------------------

std::optional<int> small_number(std::u32string_view digits) {
    int value = 0;
    for (const char32_t c : digits) {
        if (!is_ascii_digit(c)) return std::nullopt;
        value = value * 10 + static_cast<int>(c - U'0');
    }
    return value;
}

// Day first: DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY (day and month may have one digit) or
// YYYY-MM-DD. Year first: YYYY-MM-DD, YYYY.MM.DD or YYYY/MM/DD. The numbers are not
// range-checked here.
std::optional<Ymd> parse_date_shape(std::u32string_view text, bool year_first) {
    std::array<std::u32string_view, 3> parts;
    std::size_t part = 0;
    std::size_t start = 0;
    char32_t separator = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && is_ascii_digit(text[i])) continue;
        if (i < text.size()) {
            const char32_t c = text[i];
            if (c != U'-' && c != U'.' && c != U'/') return std::nullopt;
            if (separator != 0 && c != separator) return std::nullopt;
            separator = c;
        }
        if (part == parts.size() || i == start) return std::nullopt;
        parts[part++] = text.substr(start, i - start);
        start = i + 1;
    }
    if (part != parts.size()) return std::nullopt;
    const auto short_field = [](std::u32string_view p) { return p.size() == 1 || p.size() == 2; };
    std::u32string_view year, month, day;
    if (parts[0].size() == 4 && (year_first || separator == U'-') && short_field(parts[1]) &&
        short_field(parts[2])) {
        year = parts[0];
        month = parts[1];
        day = parts[2];
    } else if (!year_first && short_field(parts[0]) && short_field(parts[1]) &&
               parts[2].size() == 4) {
        day = parts[0];
        month = parts[1];
        year = parts[2];
    } else {
        return std::nullopt;
    }
    return Ymd{*small_number(year), *small_number(month), *small_number(day)};
}

bool is_real_gregorian(const Ymd& date) {
    const std::chrono::year_month_day ymd{std::chrono::year{date.year},
                                          std::chrono::month{static_cast<unsigned>(date.month)},
                                          std::chrono::day{static_cast<unsigned>(date.day)}};
    return ymd.ok();
}

Ymd parse_today(std::string_view today) {
    const std::optional<std::u32string> text = utf8::to_utf32_strict(today);
    const std::optional<Ymd> date = text ? parse_date_shape(*text, true) : std::nullopt;
    if (!date || today.size() != 10 || today[4] != '-' || !is_real_gregorian(*date)) {
        throw std::invalid_argument("seba::dc::check: today \"" + std::string(today) +
                                    "\" is not a YYYY-MM-DD date");
    }
    return *date;
}

Checked check_date(const FormRule& rule, std::u32string_view text,
                   const std::optional<Ymd>& not_after) {
    const std::optional<Ymd> typed = parse_date_shape(text, rule.year_first);
    if (!typed) return fail(rule, "shape");
    if (typed->year < rule.min_year || typed->year > rule.max_year) return fail(rule, "year");
    const std::optional<Ymd> date = detail::to_gregorian(rule.calendar, *typed);
    if (!date) return fail(rule, "not_real");
    if (not_after && *date > *not_after) return fail(rule, "future");
    return pass(detail::format_date(*date, true));
}

// --- names and text -------------------------------------------------------------------------

Checked check_letters(const FormRule& rule, const std::u32string& text) {
    // Runs of spaces (any Unicode space) become one ASCII space; the ends are already trimmed.
    std::u32string name;
    for (const char32_t c : nfc(text)) {
        if (!is_space(c)) {
            name.push_back(c);
        } else if (name.empty() || name.back() != U' ') {
            name.push_back(U' ');
        }
    }
    if (name.size() > static_cast<std::size_t>(rule.max_length)) return fail(rule, "too_long");
    if (std::any_of(name.begin(), name.end(), is_ascii_digit)) return fail(rule, "digits");

    int letters = 0;
    char32_t previous = U' ';
    bool after_letter = false;  // a mark needs a letter to sit on; alone it is a dotted circle
    for (const char32_t c : name) {
        if (is_letter(c)) {
            if (!in_scripts(c, rule.scripts)) return fail(rule, "script");
            ++letters;
            after_letter = true;
        } else if (is_mark(c)) {
            if (!after_letter && previous != kZwj && previous != kZwnj) {
                return fail(rule, "symbols");
            }
            if (!in_scripts(c, rule.scripts)) return fail(rule, "script");
            ++letters;
        } else if (c == kZwj || c == kZwnj) {
            // joiners shape Indic conjuncts; they keep the letter before them
        } else if (c == U' ' || rule.also.find(c) != std::u32string::npos) {
            after_letter = false;
        } else {
            return fail(rule, "symbols");
        }
        previous = c;
    }
    if (letters < rule.min_letters) return fail(rule, "too_short");
    return pass(utf8::from_utf32(name));
}

Checked check_text(const FormRule& rule, const std::u32string& text) {
    const std::u32string normalized = nfc(text);
    if (normalized.size() > static_cast<std::size_t>(rule.max_length)) {
        return fail(rule, "too_long");
    }
    if (!std::all_of(normalized.begin(), normalized.end(), is_printable)) {
        return fail(rule, "control");
    }
    return pass(utf8::from_utf32(normalized));
}

// What to say when the input is far too long to be read at all.
std::string_view too_long_slot(RuleKind kind) {
    switch (kind) {
        case RuleKind::Text:
        case RuleKind::Letters:
        case RuleKind::Number:
            return "too_long";
        case RuleKind::Digits:
            return "length";
        case RuleKind::Phone:
            return "invalid";
        case RuleKind::Date:
            return "shape";
    }
    return "too_long";
}

// An ICU calendar in UTC, strict about its fields.
std::unique_ptr<icu::Calendar> make_calendar(const std::string& name) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Calendar> calendar;
    if (name == "gregorian") {
        // Proleptic: ICU's default switches to the Julian calendar before 1582.
        auto gregorian = std::make_unique<icu::GregorianCalendar>(*icu::TimeZone::getGMT(), status);
        gregorian->setGregorianChange(-1.0e300, status);
        calendar = std::move(gregorian);
    } else {
        calendar.reset(icu::Calendar::createInstance(
            *icu::TimeZone::getGMT(), icu::Locale(("@calendar=" + name).c_str()), status));
    }
    if (U_FAILURE(status) || !calendar) return nullptr;
    calendar->setLenient(false);
    return calendar;
}

std::optional<Ymd> read_fields(icu::Calendar& calendar) {
    UErrorCode status = U_ZERO_ERROR;
    Ymd out{calendar.get(UCAL_EXTENDED_YEAR, status), calendar.get(UCAL_MONTH, status) + 1,
            calendar.get(UCAL_DATE, status)};
    if (U_FAILURE(status)) return std::nullopt;
    return out;
}

// `date` in `from` as a moment, or nullopt when `from` has no such day.
std::optional<UDate> moment(icu::Calendar& from, const Ymd& date) {
    UErrorCode status = U_ZERO_ERROR;
    from.clear();
    from.set(UCAL_EXTENDED_YEAR, date.year);
    from.set(UCAL_MONTH, date.month - 1);
    from.set(UCAL_DATE, date.day);
    const UDate at = from.getTime(status);
    if (U_FAILURE(status)) return std::nullopt;
    // Read back: a strict calendar refuses day 31 of a 30-day month, and this makes sure.
    if (read_fields(from) != date) return std::nullopt;
    return at;
}

std::optional<Ymd> convert(const std::string& from_name, const std::string& to_name,
                           const Ymd& date) {
    const std::unique_ptr<icu::Calendar> from = make_calendar(from_name);
    const std::unique_ptr<icu::Calendar> to = make_calendar(to_name);
    if (!from || !to || date.month < 1 || date.month > 13 || date.day < 1 || date.day > 31)
        return std::nullopt;
    const std::optional<UDate> at = moment(*from, date);
    if (!at) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    to->setTime(*at, status);
    if (U_FAILURE(status)) return std::nullopt;
    return read_fields(*to);
}

}  // namespace

namespace detail {

std::span<const std::string_view> slots(RuleKind kind) {
    switch (kind) {
        case RuleKind::Text:
            return kTextSlots;
        case RuleKind::Letters:
            return kLettersSlots;
        case RuleKind::Digits:
            return kDigitsSlots;
        case RuleKind::Phone:
            return kPhoneSlots;
        case RuleKind::Date:
            return kDateSlots;
        case RuleKind::Number:
            return kNumberSlots;
    }
    return {};
}

std::span<const std::string_view> main_slots(RuleKind kind) {
    switch (kind) {
        case RuleKind::Text:
        case RuleKind::Number:
            return kTextMain;  // "too_long"
        case RuleKind::Letters:
            return kLettersMain;
        case RuleKind::Digits:
            return kDigitsMain;
        case RuleKind::Phone:
            return kPhoneMain;
        case RuleKind::Date:
            return kDateMain;
    }
    return {};
}

std::optional<Ymd> to_gregorian(const std::string& calendar, const Ymd& date) {
    if (calendar == "gregorian") {
        if (!is_real_gregorian(date)) return std::nullopt;
        return date;
    }
    return convert(calendar, "gregorian", date);
}

std::optional<Ymd> from_gregorian(const std::string& calendar, const Ymd& date) {
    if (calendar == "gregorian") return date;
    return convert("gregorian", calendar, date);
}

std::string format_date(const Ymd& date, bool year_first) {
    const auto padded = [](int value, std::size_t width) {
        std::string s = std::to_string(value);
        return std::string(width > s.size() ? width - s.size() : 0, '0') + s;
    };
    if (year_first)
        return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2);
    return padded(date.day, 2) + "-" + padded(date.month, 2) + "-" + padded(date.year, 4);
}

}  // namespace detail

std::span<const std::string_view> all_problems() {
    return kAllProblems;
}

std::string problem_in(const Checked& checked, std::string_view language,
                       const std::function<std::string(const std::string&)>& translate,
                       const std::function<std::string(const std::string&)>& digits) {
    const Message& m = checked.message;
    std::string text;
    if (m.by_language.empty()) {
        text = translate(m.en);
    } else if (auto it = m.by_language.find(language); it != m.by_language.end()) {
        text = it->second;
    } else {
        text = m.en;
    }
    // A translation that lost a placeholder would hide the example or the limit.
    for (std::size_t n = 0; n < checked.args.size() && n < 10; ++n) {
        const std::string placeholder = "{" + std::to_string(n) + "}";
        if (m.en.find(placeholder) != std::string::npos &&
            text.find(placeholder) == std::string::npos) {
            text = m.en;
            break;
        }
    }
    std::vector<std::string> shown;
    for (const std::string& arg : checked.args) shown.push_back(digits(arg));
    return fill(text, shown);
}

std::string ascii_digits(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const std::optional<utf8::CodePoint> one = utf8::decode_strict(text, at);
        if (!one) {
            out.push_back(text[at++]);
            continue;
        }
        const char32_t mapped = to_ascii_digit(one->code);
        if (mapped != one->code) {
            out.push_back(static_cast<char>(mapped));
        } else {
            out.append(text.substr(at, one->length));
        }
        at += one->length;
    }
    return out;
}

Checked check(const FormRule& rule, std::string_view value, bool required, std::string_view today) {
    std::optional<Ymd> not_after;
    if (rule.kind == RuleKind::Date && rule.not_after_today) not_after = parse_today(today);

    if (value.size() > kMaxInputBytes) return fail(rule, too_long_slot(rule.kind));
    std::optional<std::u32string> decoded = utf8::to_utf32_strict(value);
    if (!decoded) return fail(rule, "unreadable");

    // Trim, and read every kind of decimal digit as ASCII.
    std::u32string& text = *decoded;
    const auto first = std::find_if_not(text.begin(), text.end(), is_space);
    const auto last = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
    text = first < last ? std::u32string(first, last) : std::u32string();
    std::transform(text.begin(), text.end(), text.begin(), to_ascii_digit);

    if (text.empty()) return required ? fail(rule, "required") : pass({});

    switch (rule.kind) {
        case RuleKind::Text:
            return check_text(rule, text);
        case RuleKind::Letters:
            return check_letters(rule, text);
        case RuleKind::Digits:
            return check_digits(rule, text);
        case RuleKind::Phone:
            return check_phone(rule, text);
        case RuleKind::Date:
            return check_date(rule, text, not_after);
        case RuleKind::Number:
            return check_number(rule, text);
    }
    return fail(rule, "unreadable");
}

std::optional<std::string> normalise_tracking(std::string_view typed,
                                              std::string_view centre_code) {
    if (typed.size() > kMaxInputBytes) return std::nullopt;
    std::optional<std::u32string> decoded = utf8::to_utf32_strict(typed);
    if (!decoded) return std::nullopt;
    // Letters and digits only, upper case, ASCII digits; separators (spaces, any dash, the
    // dots and slashes of a number read out in groups) are dropped, but the last group's
    // length is kept: "…-A7-42" is the 42nd request.
    std::string compact;
    std::size_t last_group = 0;  // characters since the last separator
    bool gap = false, separated = false;
    for (char32_t c : *decoded) {
        c = to_ascii_digit(c);
        if (is_space(c) || is_dash(c) || c == U'.' || c == U'/' || c == U'_') {
            gap = !compact.empty();
            continue;
        }
        if (c >= U'a' && c <= U'z') c = c - U'a' + U'A';
        if (!((c >= U'A' && c <= U'Z') || is_ascii_digit(c))) return std::nullopt;
        if (gap) {
            separated = true;
            last_group = 0;
            gap = false;
        }
        compact += static_cast<char>(c);
        ++last_group;
    }
    // This kiosk's own code as it is configured (its case, its hyphens), when it was meant.
    std::string own;
    for (char c : centre_code) {
        if (c == '-' || c == ' ') continue;
        own += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    auto digits_only = [](std::string part) -> std::optional<std::string> {
        for (char& c : part) {
            if (c == 'O') c = '0';  // the tag's alphabet has no O or I: these were digits
            if (c == 'I') c = '1';
            if (c < '0' || c > '9') return std::nullopt;
        }
        return part;
    };
    // From the right: the sequence (`seq_length` digits), the tag (2), the day (6 digits),
    // and the centre code (the rest).
    auto read = [&](std::size_t seq_length) -> std::optional<std::string> {
        if (compact.size() < seq_length + 2 + 6 + 1) return std::nullopt;
        const std::size_t seq_at = compact.size() - seq_length;
        std::optional<std::string> seq = digits_only(compact.substr(seq_at));
        std::optional<std::string> day = digits_only(compact.substr(seq_at - 8, 6));
        if (!seq || !day) return std::nullopt;
        if (seq->size() < 4) seq->insert(0, 4 - seq->size(), '0');
        std::string centre = compact.substr(0, seq_at - 8);
        if (!own.empty() && own == centre) centre = std::string(centre_code);
        return centre + "-" + *day + "-" + compact.substr(seq_at - 2, 2) + "-" + *seq;
    };
    // The last group as typed apart ("…-A7-42", "…-A7-12345"), else the usual 4 digits.
    if (separated && last_group != 4 && last_group <= 6)
        if (std::optional<std::string> apart = read(last_group)) return apart;
    return read(4);
}

}  // namespace seba::dc
