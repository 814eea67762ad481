// SPDX-License-Identifier: Apache-2.0
#include "validators.hpp"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <tuple>

#include "seba/utf8.hpp"

namespace seba::dc {
namespace {

// --- problems: English msgids, translated in assets/locale/*.po -----------------------------

constexpr std::string_view kRequired = "This field is required";
constexpr std::string_view kUnreadable = "This text could not be read; type it again";
constexpr std::string_view kDigitsOnly = "Type digits only, without letters or symbols";
constexpr std::string_view kNidLength = "A national ID number has 10, 13 or 17 digits";
constexpr std::string_view kBirthRegLength = "A birth registration number has 17 digits";
constexpr std::string_view kPinflLength = "A PINFL has 14 digits";
constexpr std::string_view kNumberTooLong = "Use at most 30 digits";
constexpr std::string_view kPhoneBd = "Enter a Bangladesh mobile number, e.g. 01711-223344";
constexpr std::string_view kPhoneBdGotUz =
    "This is an Uzbekistan number; enter a Bangladesh mobile number, e.g. 01711-223344";
constexpr std::string_view kPhoneBdLandline =
    "This is a landline number; enter a Bangladesh mobile number, e.g. 01711-223344";
constexpr std::string_view kPhoneUz = "Enter an Uzbekistan phone number, e.g. 90 123 45 67";
constexpr std::string_view kPhoneUzGotBd =
    "This is a Bangladesh number; enter an Uzbekistan phone number, e.g. 90 123 45 67";
constexpr std::string_view kPhoneUzLandline =
    "This is a landline number; enter an Uzbekistan mobile number, e.g. 90 123 45 67";
constexpr std::string_view kDateShape = "Enter the date as DD-MM-YYYY, e.g. 21-02-2024";
constexpr std::string_view kDateNotReal = "This date does not exist; check the day and month";
constexpr std::string_view kDateYear = "Enter a year between 1900 and 2100";
constexpr std::string_view kDateFuture = "This date is in the future";
constexpr std::string_view kNameTooShort = "A name needs at least 2 letters";
constexpr std::string_view kNameTooLong = "A name can have at most 100 characters";
constexpr std::string_view kNameDigits = "A name cannot contain digits";
constexpr std::string_view kNameSymbols =
    "A name can have only letters, spaces, dots, hyphens and apostrophes";
constexpr std::string_view kTextTooLong = "Use at most 200 characters";
constexpr std::string_view kTextControl =
    "This text has characters that cannot be used; type it again without them";

constexpr std::array kAllProblems = {
    kRequired,        kUnreadable, kDigitsOnly,   kNidLength,       kBirthRegLength, kPinflLength,
    kNumberTooLong,   kPhoneBd,    kPhoneBdGotUz, kPhoneBdLandline, kPhoneUz,        kPhoneUzGotBd,
    kPhoneUzLandline, kDateShape,  kDateNotReal,  kDateYear,        kDateFuture,     kNameTooShort,
    kNameTooLong,     kNameDigits, kNameSymbols,  kTextTooLong,     kTextControl,
};

// No field needs more than a few hundred bytes; anything beyond this is refused before any
// decoding or library call, so pasted junk costs nothing.
constexpr std::size_t kMaxInputBytes = 4096;
constexpr std::size_t kMaxTextCodePoints = 200;
constexpr std::size_t kMinNameLetters = 2;
constexpr std::size_t kMaxNameCodePoints = 100;
constexpr std::size_t kMaxNumberDigits = 30;
// E.164 allows 15 digits; an international prefix (00) and a stray trunk 0 add three.
constexpr std::size_t kMaxPhoneDigits = 18;
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2100;

Checked pass(std::string value) {
    return {true, std::move(value), {}};
}
Checked fail(std::string_view problem) {
    return {false, {}, std::string(problem)};
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

bool in_name_script(char32_t c, bool allow_inherited) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(icu(c), &status);
    if (U_FAILURE(status)) return false;
    return script == USCRIPT_BENGALI || script == USCRIPT_LATIN || script == USCRIPT_CYRILLIC ||
           (allow_inherited && script == USCRIPT_INHERITED);
}

bool is_name_letter(char32_t c) {
    switch (u_charType(icu(c))) {
        case U_UPPERCASE_LETTER:
        case U_LOWERCASE_LETTER:
        case U_TITLECASE_LETTER:
        case U_MODIFIER_LETTER:
        case U_OTHER_LETTER:
            return in_name_script(c, false);
        default:
            return false;
    }
}

// Vowel signs, hasanta, chandrabindu, nukta, and combining accents on Latin or Cyrillic.
bool is_name_mark(char32_t c) {
    const int8_t type = u_charType(icu(c));
    return (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK) &&
           in_name_script(c, true);
}

constexpr char32_t kZwnj = 0x200C;
constexpr char32_t kZwj = 0x200D;

// ' and ’ as in D'Costa; ʻ (U+02BB) in Oʻgʻiloy; ʼ (U+02BC) in Uzbek; ‘ (U+2018), which
// Uzbek official texts print for ʻ.
bool is_name_punctuation(char32_t c) {
    return c == U' ' || c == U'-' || c == U'.' || c == U'\'' || c == 0x2019 || c == 0x02BB ||
           c == 0x02BC || c == 0x2018;
}

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

// --- rules ----------------------------------------------------------------------------------

// IDs: spaces and dashes are how people group digits; the rest must be digits.
Checked check_id(std::u32string_view text, std::initializer_list<std::size_t> lengths,
                 std::string_view length_problem) {
    std::string digits;
    for (const char32_t c : text) {
        if (is_space(c) || is_dash(c)) continue;
        if (!is_ascii_digit(c)) return fail(kDigitsOnly);
        digits.push_back(static_cast<char>(c));
    }
    if (std::find(lengths.begin(), lengths.end(), digits.size()) == lengths.end()) {
        return fail(length_problem);
    }
    return pass(std::move(digits));
}

Checked check_number(std::u32string_view text) {
    if (!std::all_of(text.begin(), text.end(), is_ascii_digit)) return fail(kDigitsOnly);
    if (text.size() > kMaxNumberDigits) return fail(kNumberTooLong);
    return pass(utf8::from_utf32(text));
}

struct PhoneRegion {
    const char* code;
    const char* other_code;
    std::string_view shape_problem;
    std::string_view other_country_problem;
    std::string_view landline_problem;
};

constexpr PhoneRegion kBangladesh{"BD", "UZ", kPhoneBd, kPhoneBdGotUz, kPhoneBdLandline};
constexpr PhoneRegion kUzbekistan{"UZ", "BD", kPhoneUz, kPhoneUzGotBd, kPhoneUzLandline};

// Digits and a leading + only, so libphonenumber never sees letters (it would read
// 1-800-FLOWERS style letters as digits) or extensions.
std::optional<std::string> phone_digits(std::u32string_view text) {
    std::string out;
    std::size_t digit_count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
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
    // 00 is the international prefix in both countries, but Uzbekistan's metadata only knows
    // the old 810; neither country's national numbers start with 00.
    if (out.starts_with("00")) out.replace(0, 2, "+");
    return out;
}

Checked check_phone(std::u32string_view text, const PhoneRegion& region) {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const std::optional<std::string> digits = phone_digits(text);
    if (!digits) return fail(region.shape_problem);

    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(*digits, region.code, &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
        util.IsValidNumberForRegion(number, region.code)) {
        const PhoneNumberUtil::PhoneNumberType type = util.GetNumberType(number);
        if (type == PhoneNumberUtil::MOBILE || type == PhoneNumberUtil::FIXED_LINE_OR_MOBILE) {
            std::string e164;
            util.Format(number, PhoneNumberUtil::E164, &e164);
            return pass(std::move(e164));
        }
        return fail(type == PhoneNumberUtil::FIXED_LINE ? region.landline_problem
                                                        : region.shape_problem);
    }
    // Typed in the other country's national form (or with its code but no +)?
    PhoneNumber other;
    if (util.Parse(*digits, region.other_code, &other) == PhoneNumberUtil::NO_PARSING_ERROR &&
        util.IsValidNumberForRegion(other, region.other_code)) {
        return fail(region.other_country_problem);
    }
    return fail(region.shape_problem);
}

struct Ymd {
    int year = 0;
    int month = 0;
    int day = 0;
    auto operator<=>(const Ymd&) const = default;
};

std::optional<int> small_number(std::u32string_view digits) {
    int value = 0;
    for (const char32_t c : digits) {
        if (!is_ascii_digit(c)) return std::nullopt;
        value = value * 10 + static_cast<int>(c - U'0');
    }
    return value;
}

// DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY (day and month may have one digit) or YYYY-MM-DD; the
// numbers are not range-checked here.
std::optional<Ymd> parse_date_shape(std::u32string_view text) {
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
    if (parts[0].size() == 4 && separator == U'-' && short_field(parts[1]) &&
        short_field(parts[2])) {
        year = parts[0];
        month = parts[1];
        day = parts[2];
    } else if (short_field(parts[0]) && short_field(parts[1]) && parts[2].size() == 4) {
        day = parts[0];
        month = parts[1];
        year = parts[2];
    } else {
        return std::nullopt;
    }
    return Ymd{*small_number(year), *small_number(month), *small_number(day)};
}

bool is_real_date(const Ymd& date) {
    const std::chrono::year_month_day ymd{std::chrono::year{date.year},
                                          std::chrono::month{static_cast<unsigned>(date.month)},
                                          std::chrono::day{static_cast<unsigned>(date.day)}};
    return ymd.ok();
}

std::string format_date(const Ymd& date) {
    const auto padded = [](int value, std::size_t width) {
        std::string s = std::to_string(value);
        return std::string(width > s.size() ? width - s.size() : 0, '0') + s;
    };
    return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2);
}

Checked check_date(std::u32string_view text, const std::optional<Ymd>& not_after) {
    const std::optional<Ymd> date = parse_date_shape(text);
    if (!date) return fail(kDateShape);
    if (date->year < kMinYear || date->year > kMaxYear) return fail(kDateYear);
    if (!is_real_date(*date)) return fail(kDateNotReal);
    if (not_after && *date > *not_after) return fail(kDateFuture);
    return pass(format_date(*date));
}

Ymd parse_today(std::string_view today) {
    const std::optional<std::u32string> text = utf8::to_utf32_strict(today);
    const std::optional<Ymd> date = text ? parse_date_shape(*text) : std::nullopt;
    if (!date || today.size() != 10 || today[4] != '-' || !is_real_date(*date)) {
        throw std::invalid_argument("seba::dc::check: today \"" + std::string(today) +
                                    "\" is not a YYYY-MM-DD date");
    }
    return *date;
}

Checked check_name(const std::u32string& text) {
    // Runs of spaces (any Unicode space) become one ASCII space; the ends are already trimmed.
    std::u32string name;
    for (const char32_t c : nfc(text)) {
        if (!is_space(c)) {
            name.push_back(c);
        } else if (name.empty() || name.back() != U' ') {
            name.push_back(U' ');
        }
    }
    if (name.size() > kMaxNameCodePoints) return fail(kNameTooLong);
    if (std::any_of(name.begin(), name.end(), is_ascii_digit)) return fail(kNameDigits);

    std::size_t letters = 0;
    char32_t previous = U' ';
    for (const char32_t c : name) {
        if (is_name_letter(c)) {
            ++letters;
        } else if (is_name_mark(c)) {
            // A mark needs a letter to sit on; alone it shows as a dotted circle.
            if (!is_name_letter(previous) && !is_name_mark(previous) && previous != kZwj &&
                previous != kZwnj) {
                return fail(kNameSymbols);
            }
            ++letters;
        } else if (!is_name_punctuation(c) && c != kZwj && c != kZwnj) {
            return fail(kNameSymbols);
        }
        previous = c;
    }
    if (letters < kMinNameLetters) return fail(kNameTooShort);
    return pass(utf8::from_utf32(name));
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

Checked check_text(const std::u32string& text) {
    const std::u32string normalized = nfc(text);
    if (normalized.size() > kMaxTextCodePoints) return fail(kTextTooLong);
    if (!std::all_of(normalized.begin(), normalized.end(), is_printable)) {
        return fail(kTextControl);
    }
    return pass(utf8::from_utf32(normalized));
}

// What to say when the input is far too long to be read at all.
std::string_view too_long_problem(Rule rule) {
    switch (rule) {
        case Rule::Text:
            return kTextTooLong;
        case Rule::Name:
            return kNameTooLong;
        case Rule::NidBd:
            return kNidLength;
        case Rule::BirthRegBd:
            return kBirthRegLength;
        case Rule::PinflUz:
            return kPinflLength;
        case Rule::PhoneBd:
            return kPhoneBd;
        case Rule::PhoneUz:
            return kPhoneUz;
        case Rule::Date:
        case Rule::PastDate:
            return kDateShape;
        case Rule::Number:
            return kNumberTooLong;
    }
    return kTextTooLong;
}

}  // namespace

std::optional<Rule> rule_from_name(std::string_view name) {
    static constexpr std::pair<std::string_view, Rule> kNames[] = {
        {"text", Rule::Text},          {"name", Rule::Name},
        {"nid_bd", Rule::NidBd},       {"birth_reg_bd", Rule::BirthRegBd},
        {"pinfl_uz", Rule::PinflUz},   {"phone_bd", Rule::PhoneBd},
        {"phone_uz", Rule::PhoneUz},   {"date", Rule::Date},
        {"past_date", Rule::PastDate}, {"number", Rule::Number},
    };
    for (const auto& [known, rule] : kNames) {
        if (known == name) return rule;
    }
    return std::nullopt;
}

std::span<const std::string_view> all_problems() {
    return kAllProblems;
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

Checked check(Rule rule, std::string_view value, bool required, std::string_view today) {
    std::optional<Ymd> not_after;
    if (rule == Rule::PastDate) not_after = parse_today(today);

    if (value.size() > kMaxInputBytes) return fail(too_long_problem(rule));
    std::optional<std::u32string> decoded = utf8::to_utf32_strict(value);
    if (!decoded) return fail(kUnreadable);

    // Trim, and read every kind of decimal digit as ASCII.
    std::u32string& text = *decoded;
    const auto first = std::find_if_not(text.begin(), text.end(), is_space);
    const auto last = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
    text = first < last ? std::u32string(first, last) : std::u32string();
    std::transform(text.begin(), text.end(), text.begin(), to_ascii_digit);

    if (text.empty()) return required ? fail(kRequired) : pass({});

    switch (rule) {
        case Rule::Text:
            return check_text(text);
        case Rule::Name:
            return check_name(text);
        case Rule::NidBd:
            return check_id(text, {10, 13, 17}, kNidLength);
        case Rule::BirthRegBd:
            return check_id(text, {17}, kBirthRegLength);
        case Rule::PinflUz:
            return check_id(text, {14}, kPinflLength);
        case Rule::PhoneBd:
            return check_phone(text, kBangladesh);
        case Rule::PhoneUz:
            return check_phone(text, kUzbekistan);
        case Rule::Date:
        case Rule::PastDate:
            return check_date(text, not_after);
        case Rule::Number:
            return check_number(text);
    }
    return fail(kUnreadable);
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
