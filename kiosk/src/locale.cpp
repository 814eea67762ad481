// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/locale.hpp"

#include "seba/ui/i18n.hpp"

#include <unicode/calendar.h>
#include <unicode/curramt.h>
#include <unicode/dtptngen.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/numsys.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "seba/utf8.hpp"

namespace seba::ui {
namespace {

// --- ICU plumbing ---------------------------------------------------------------------------

std::string to_utf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

// ICU names (numbering systems, calendars) are short lowercase ASCII; anything else is refused
// before it reaches ICU, which would read a NUL or a long string as something else.
bool is_icu_keyword(std::string_view name) {
    if (name.empty() || name.size() > 32) return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

// The ten digits of a decimal numbering system, or nullopt for "latn", an unknown name or an
// algorithmic system.
std::optional<std::array<std::string, 10>> read_digits(std::string_view numbering) {
    if (numbering == "latn" || !is_icu_keyword(numbering)) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<icu::NumberingSystem> system(
        icu::NumberingSystem::createInstanceByName(std::string(numbering).c_str(), status));
    if (U_FAILURE(status) || !system || system->isAlgorithmic() || system->getRadix() != 10)
        return std::nullopt;
    const icu::UnicodeString description = system->getDescription();
    if (description.countChar32() != 10) return std::nullopt;
    std::array<std::string, 10> digits;
    int32_t at = 0;
    for (std::string& digit : digits) {
        const UChar32 code = description.char32At(at);
        digit = utf8::encode(static_cast<char32_t>(code));
        at = description.moveIndex32(at, 1);
    }
    return digits;
}

// The same, remembered: a handful of systems serve every language, and every label asks.
std::optional<std::array<std::string, 10>> digits_of(std::string_view numbering) {
    static std::mutex mutex;
    static std::map<std::string, std::optional<std::array<std::string, 10>>, std::less<>> known;
    const std::lock_guard lock(mutex);
    auto it = known.find(numbering);
    if (it == known.end()) it = known.emplace(std::string(numbering), read_digits(numbering)).first;
    return it->second;
}

// The ICU locale for `locale` (an ICU id or a BCP 47 tag) with the calendar and the digits
// asked for. Digits ICU cannot write (algorithmic, unknown) fall back to ASCII ones.
icu::Locale make_locale(std::string_view locale, std::string_view calendar,
                        std::string_view numbering) {
    UErrorCode status = U_ZERO_ERROR;
    const std::string id(locale.substr(0, locale.find('\0')));
    icu::Locale result = id.find('-') != std::string::npos ? icu::Locale::forLanguageTag(id, status)
                                                           : icu::Locale(id.c_str());
    if (U_FAILURE(status) || result.isBogus()) result = icu::Locale::getRoot();
    status = U_ZERO_ERROR;
    if (is_icu_keyword(calendar))
        result.setKeywordValue("calendar", std::string(calendar).c_str(), status);
    status = U_ZERO_ERROR;
    const std::string numbers = digits_of(numbering) ? std::string(numbering) : "latn";
    result.setKeywordValue("numbers", numbers.c_str(), status);
    return result;
}

// --- Gregorian days (proleptic, as ISO 8601 counts them) ------------------------------------

constexpr long long kMsPerDay = 86'400'000;

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 (H. Hinnant's days_from_civil).
long long days_from_civil(int year, int month, int day) {
    year -= month <= 2 ? 1 : 0;
    const long long era = (year >= 0 ? year : year - 399) / 400;
    const long long yoe = year - era * 400;
    const long long doy = (153LL * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Ymd {
    int year, month, day;
};

Ymd civil_from_days(long long days) {
    days += 719468;
    const long long era = (days >= 0 ? days : days - 146096) / 146097;
    const long long doe = days - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

bool all_ascii_digits(std::string_view text) {
    for (const char c : text)
        if (c < '0' || c > '9') return false;
    return !text.empty();
}

int to_int(std::string_view digits) {
    int value = 0;
    for (const char c : digits) value = value * 10 + (c - '0');
    return value;
}

// "YYYY-MM-DD", a real Gregorian date from year 1.
std::optional<UDate> parse_iso(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
    const std::string_view y = iso.substr(0, 4), m = iso.substr(5, 2), d = iso.substr(8, 2);
    if (!all_ascii_digits(y) || !all_ascii_digits(m) || !all_ascii_digits(d)) return std::nullopt;
    const int year = to_int(y), month = to_int(m), day = to_int(d);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return std::nullopt;
    return static_cast<UDate>(days_from_civil(year, month, day) * kMsPerDay);
}

std::string iso_from_udate(UDate date) {
    const auto days = static_cast<long long>(std::floor(date / kMsPerDay));
    const Ymd ymd = civil_from_days(days);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", ymd.year, ymd.month, ymd.day);
    return text;
}

// The locale's numeric date pattern ("d/M/y", "y/M/d"...). DateTimePatternGenerator loads a
// lot of data, and the kiosk draws every frame, so each pattern is made once.
icu::UnicodeString numeric_date_pattern(const icu::Locale& locale) {
    static std::mutex mutex;
    static auto* cache = new std::map<std::string, icu::UnicodeString>;
    const std::string key = locale.getName();
    const std::lock_guard lock(mutex);
    if (const auto found = cache->find(key); found != cache->end()) return found->second;
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<icu::DateTimePatternGenerator> generator(
        icu::DateTimePatternGenerator::createInstance(locale, status));
    icu::UnicodeString pattern;
    if (U_SUCCESS(status)) pattern = generator->getBestPattern(u"yMd", status);
    if (U_FAILURE(status) || pattern.isEmpty()) pattern = u"y-MM-dd";
    cache->emplace(key, pattern);
    return pattern;
}

enum class Part { Year, Month, Day };

// The order of year, month and day in an ICU pattern, skipping its quoted literal text.
std::optional<std::array<Part, 3>> order_of(const icu::UnicodeString& pattern) {
    std::array<Part, 3> order{};
    int found = 0;
    bool seen[3] = {false, false, false};
    bool quoted = false;
    for (int32_t i = 0; i < pattern.length(); ++i) {
        const char16_t c = pattern.charAt(i);
        if (c == u'\'') {
            quoted = !quoted;
            continue;
        }
        if (quoted) continue;
        std::optional<Part> part;
        if (c == u'y' || c == u'u' || c == u'Y') part = Part::Year;
        if (c == u'M' || c == u'L') part = Part::Month;
        if (c == u'd') part = Part::Day;
        if (!part || seen[static_cast<int>(*part)]) continue;
        seen[static_cast<int>(*part)] = true;
        if (found < 3) order[found++] = *part;
    }
    if (found != 3) return std::nullopt;
    return order;
}

bool is_date_separator(char c) {
    return c == '-' || c == '/' || c == '.' || c == ' ' || c == '\t';
}

}  // namespace

// --- digits ---------------------------------------------------------------------------------

std::string native_digits(std::string_view text, std::string_view numbering) {
    const auto digits = digits_of(numbering);
    if (!digits) return std::string(text);
    std::string out;
    out.reserve(text.size() * 3);
    for (const char c : text) {
        if (c >= '0' && c <= '9')
            out.append((*digits)[c - '0']);
        else
            out.push_back(c);
    }
    return out;
}


// --- dates ----------------------------------------------------------------------------------

std::string format_date(std::string_view iso, std::string_view locale, std::string_view calendar,
                        std::string_view numbering) {
    const std::optional<UDate> date = parse_iso(iso);
    if (!date) return std::string(iso);
    const icu::Locale icu_locale = make_locale(locale, calendar, numbering);
    UErrorCode status = U_ZERO_ERROR;
    icu::SimpleDateFormat format(numeric_date_pattern(icu_locale), icu_locale, status);
    if (U_FAILURE(status)) return std::string(iso);
    format.setTimeZone(*icu::TimeZone::getGMT());
    icu::UnicodeString out;
    format.format(*date, out);
    return to_utf8(out);
}

std::optional<std::string> parse_date(std::string_view typed, std::string_view locale,
                                      std::string_view calendar) {
    if (typed.size() > 64) return std::nullopt;
    const std::string ascii = ascii_digits(typed);
    // Three runs of digits with separators between them (and spaces around).
    std::vector<std::string_view> numbers;
    const std::string_view text = ascii;
    std::size_t at = 0;
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    std::size_t end = text.size();
    while (end > at && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
    while (at < end) {
        const std::size_t start = at;
        while (at < end && text[at] >= '0' && text[at] <= '9') ++at;
        if (at == start) return std::nullopt;
        numbers.push_back(text.substr(start, at - start));
        if (at == end) break;
        const std::size_t separators = at;
        while (at < end && is_date_separator(text[at])) ++at;
        if (at == separators || at == end) return std::nullopt;
    }
    if (numbers.size() != 3) return std::nullopt;

    const icu::Locale icu_locale = make_locale(locale, calendar, "latn");
    const auto order = order_of(numeric_date_pattern(icu_locale));
    if (!order) return std::nullopt;
    int year = 0, month = 0, day = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::string_view number = numbers[i];
        switch ((*order)[i]) {
            case Part::Year:
                if (number.size() != 4) return std::nullopt;
                year = to_int(number);
                break;
            case Part::Month:
                if (number.size() > 2) return std::nullopt;
                month = to_int(number);
                break;
            case Part::Day:
                if (number.size() > 2) return std::nullopt;
                day = to_int(number);
                break;
        }
    }
    if (year < 1 || month < 1 || day < 1) return std::nullopt;

    // ICU, not lenient, refuses a day or month the calendar does not have that year.
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<icu::Calendar> in_calendar(
        icu::Calendar::createInstance(icu::TimeZone::getGMT()->clone(), icu_locale, status));
    if (U_FAILURE(status)) return std::nullopt;
    in_calendar->setLenient(false);
    in_calendar->clear();
    in_calendar->set(UCAL_YEAR, year);
    in_calendar->set(UCAL_MONTH, month - 1);
    in_calendar->set(UCAL_DATE, day);
    const UDate date = in_calendar->getTime(status);
    if (U_FAILURE(status)) return std::nullopt;
    // ICU checks each field's range; a round trip also catches a month the year lacks.
    if (in_calendar->get(UCAL_YEAR, status) != year ||
        in_calendar->get(UCAL_MONTH, status) != month - 1 ||
        in_calendar->get(UCAL_DATE, status) != day || U_FAILURE(status))
        return std::nullopt;
    return iso_from_udate(date);
}

std::string date_example(std::string_view locale, std::string_view calendar,
                         std::string_view numbering, std::string_view iso_today) {
    return format_date(iso_today, locale, calendar, numbering);
}

// --- money ----------------------------------------------------------------------------------

std::string format_money(long long whole_units, std::string_view currency_iso4217,
                         std::string_view locale, std::string_view numbering) {
    const icu::Locale icu_locale = make_locale(locale, "", numbering);
    UErrorCode status = U_ZERO_ERROR;
    bool known = currency_iso4217.size() == 3;
    for (const char c : currency_iso4217) known = known && c >= 'A' && c <= 'Z';
    const char16_t code[4] = {known ? static_cast<char16_t>(currency_iso4217[0]) : u'\0',
                              known ? static_cast<char16_t>(currency_iso4217[1]) : u'\0',
                              known ? static_cast<char16_t>(currency_iso4217[2]) : u'\0', u'\0'};
    known = known && ucurr_isAvailable(code, U_DATE_MIN, U_DATE_MAX, &status) && U_SUCCESS(status);

    auto number = icu::number::NumberFormatter::withLocale(icu_locale)
                      .precision(icu::number::Precision::integer());
    status = U_ZERO_ERROR;
    if (known) {
        const icu::CurrencyUnit currency(code, status);
        if (U_SUCCESS(status)) {
            const icu::UnicodeString text = number.unit(currency)
                                                .unitWidth(UNUM_UNIT_WIDTH_SHORT)
                                                .formatInt(whole_units, status)
                                                .toString(status);
            if (U_SUCCESS(status)) return to_utf8(text);
        }
    }
    status = U_ZERO_ERROR;
    const icu::UnicodeString amount = number.formatInt(whole_units, status).toString(status);
    std::string out =
        U_SUCCESS(status) ? to_utf8(amount) : native_digits(std::to_string(whole_units), numbering);
    return out + " " + utf8::replace_invalid(currency_iso4217);
}

// --- plurals --------------------------------------------------------------------------------

namespace {

enum class Op : unsigned char {
    Number,
    N,
    Not,
    Choose,  // Choose: a ? b : c
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
};

struct Node {
    Op op;
    unsigned long value = 0;  // Number
    int a = -1, b = -1, c = -1;
    int depth = 1;
};

constexpr std::size_t kMaxExpressionBytes = 512;
constexpr int kMaxDepth = 64;
constexpr int kMaxPlurals = 16;

struct ParseFailed {};

// Recursive descent over gettext's grammar, C precedence. Each node records how deep it sits
// over its leaves; a node deeper than kMaxDepth is refused, which also bounds the recursion of
// both the parser (over parentheses and !) and the evaluator.
class ExpressionParser {
  public:
    explicit ExpressionParser(std::string_view text) : text_(text) {}

    std::vector<Node> parse(int& root) {
        root = choose(0);
        skip_space();
        if (at_ != text_.size()) throw ParseFailed{};
        return std::move(nodes_);
    }

  private:
    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' ||
                                      text_[at_] == '\n' || text_[at_] == '\r'))
            ++at_;
    }
    bool take(std::string_view token) {
        skip_space();
        if (text_.substr(at_, token.size()) != token) return false;
        at_ += token.size();
        return true;
    }
    // A one-character operator that must not be the start of a two-character one ("<" of "<=").
    bool take_single(char token, char not_followed_by) {
        skip_space();
        if (at_ >= text_.size() || text_[at_] != token) return false;
        if (at_ + 1 < text_.size() && text_[at_ + 1] == not_followed_by) return false;
        ++at_;
        return true;
    }
    int add(Op op, int a = -1, int b = -1, int c = -1, unsigned long value = 0) {
        Node node{op, value, a, b, c, 1};
        for (const int child : {a, b, c})
            if (child >= 0) node.depth = std::max(node.depth, nodes_[child].depth + 1);
        if (node.depth > kMaxDepth) throw ParseFailed{};
        nodes_.push_back(node);
        return static_cast<int>(nodes_.size()) - 1;
    }
    void enter(int nesting) {
        if (nesting > kMaxDepth) throw ParseFailed{};
    }

    int choose(int nesting) {
        enter(nesting);
        const int condition = logical_or(nesting);
        if (!take("?")) return condition;
        const int yes = choose(nesting + 1);
        if (!take(":")) throw ParseFailed{};
        const int no = choose(nesting + 1);
        return add(Op::Choose, condition, yes, no);
    }
    int logical_or(int nesting) {
        int left = logical_and(nesting);
        while (take("||")) left = add(Op::Or, left, logical_and(nesting));
        return left;
    }
    int logical_and(int nesting) {
        int left = equality(nesting);
        while (take("&&")) left = add(Op::And, left, equality(nesting));
        return left;
    }
    int equality(int nesting) {
        int left = relation(nesting);
        for (;;) {
            if (take("=="))
                left = add(Op::Eq, left, relation(nesting));
            else if (take("!="))
                left = add(Op::Ne, left, relation(nesting));
            else
                return left;
        }
    }
    int relation(int nesting) {
        int left = sum(nesting);
        for (;;) {
            if (take("<="))
                left = add(Op::Le, left, sum(nesting));
            else if (take(">="))
                left = add(Op::Ge, left, sum(nesting));
            else if (take("<"))
                left = add(Op::Lt, left, sum(nesting));
            else if (take(">"))
                left = add(Op::Gt, left, sum(nesting));
            else
                return left;
        }
    }
    int sum(int nesting) {
        int left = product(nesting);
        for (;;) {
            if (take("+"))
                left = add(Op::Add, left, product(nesting));
            else if (take("-"))
                left = add(Op::Sub, left, product(nesting));
            else
                return left;
        }
    }
    int product(int nesting) {
        int left = unary(nesting);
        for (;;) {
            if (take("*"))
                left = add(Op::Mul, left, unary(nesting));
            else if (take("/"))
                left = add(Op::Div, left, unary(nesting));
            else if (take("%"))
                left = add(Op::Mod, left, unary(nesting));
            else
                return left;
        }
    }
    int unary(int nesting) {
        if (take_single('!', '=')) {
            enter(nesting + 1);
            return add(Op::Not, unary(nesting + 1));
        }
        return primary(nesting);
    }
    int primary(int nesting) {
        skip_space();
        if (take("(")) {
            const int inner = choose(nesting + 1);
            if (!take(")")) throw ParseFailed{};
            return inner;
        }
        if (take("n")) return add(Op::N);
        if (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
            unsigned long value = 0;
            while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
                const unsigned long digit = static_cast<unsigned long>(text_[at_] - '0');
                if (value > (ULONG_MAX - digit) / 10) throw ParseFailed{};
                value = value * 10 + digit;
                ++at_;
            }
            return add(Op::Number, -1, -1, -1, value);
        }
        throw ParseFailed{};
    }

    std::string_view text_;
    std::size_t at_ = 0;
    std::vector<Node> nodes_;
};

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n'))
        text.remove_suffix(1);
    return text;
}

// `text` starts with `name`, spaces and '='; returns what follows.
std::optional<std::string_view> after_assignment(std::string_view text, std::string_view name) {
    text = trim(text);
    if (!text.starts_with(name)) return std::nullopt;
    text = trim(text.substr(name.size()));
    if (!text.starts_with('=')) return std::nullopt;
    return trim(text.substr(1));
}

}  // namespace

struct PluralRule::Program {
    std::vector<Node> nodes;
    int root = 0;

    unsigned long eval(int at, unsigned long n) const {
        const Node& node = nodes[at];
        switch (node.op) {
            case Op::Number:
                return node.value;
            case Op::N:
                return n;
            case Op::Not:
                return eval(node.a, n) == 0 ? 1 : 0;
            case Op::Choose:
                return eval(node.a, n) != 0 ? eval(node.b, n) : eval(node.c, n);
            case Op::Or:
                return eval(node.a, n) != 0 || eval(node.b, n) != 0 ? 1 : 0;
            case Op::And:
                return eval(node.a, n) != 0 && eval(node.b, n) != 0 ? 1 : 0;
            default:
                break;
        }
        const unsigned long a = eval(node.a, n), b = eval(node.b, n);
        switch (node.op) {
            case Op::Eq:
                return a == b;
            case Op::Ne:
                return a != b;
            case Op::Lt:
                return a < b;
            case Op::Gt:
                return a > b;
            case Op::Le:
                return a <= b;
            case Op::Ge:
                return a >= b;
            case Op::Add:
                return a + b;
            case Op::Sub:
                return a - b;
            case Op::Mul:
                return a * b;
            case Op::Div:
                return b == 0 ? 0 : a / b;
            case Op::Mod:
                return b == 0 ? 0 : a % b;
            default:
                return 0;
        }
    }
};

PluralRule::PluralRule() : program_(parse("nplurals=2; plural=(n != 1);")->program_) {
}

std::optional<PluralRule> PluralRule::parse(std::string_view header_value) {
    // nplurals=N; plural=EXPRESSION;
    const auto count_text = after_assignment(header_value, "nplurals");
    if (!count_text) return std::nullopt;
    std::size_t at = 0;
    int count = 0;
    while (at < count_text->size() && (*count_text)[at] >= '0' && (*count_text)[at] <= '9') {
        count = count * 10 + ((*count_text)[at] - '0');
        if (count > kMaxPlurals) return std::nullopt;
        ++at;
    }
    if (at == 0 || count < 1) return std::nullopt;
    std::string_view rest = trim(count_text->substr(at));
    if (!rest.starts_with(';')) return std::nullopt;
    const auto expression_text = after_assignment(rest.substr(1), "plural");
    if (!expression_text) return std::nullopt;
    std::string_view expression = *expression_text;
    if (const std::size_t end = expression.find(';'); end != std::string_view::npos) {
        if (!trim(expression.substr(end + 1)).empty()) return std::nullopt;
        expression = expression.substr(0, end);
    }
    if (expression.size() > kMaxExpressionBytes) return std::nullopt;

    auto program = std::make_shared<Program>();
    try {
        program->nodes = ExpressionParser(expression).parse(program->root);
    } catch (const ParseFailed&) {
        return std::nullopt;
    }
    PluralRule rule(Private{});
    rule.nplurals_ = count;
    rule.program_ = std::move(program);
    return rule;
}

int PluralRule::index(unsigned long n) const {
    const unsigned long form = program_->eval(program_->root, n);
    const auto last = static_cast<unsigned long>(nplurals_ - 1);
    return static_cast<int>(form > last ? last : form);
}

}  // namespace seba::ui
