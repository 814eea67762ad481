// SPDX-License-Identifier: Apache-2.0
#include "reference.hpp"

#include <fmt/format.h>

#include "seba/utf8.hpp"
#include "validators.hpp"  // ascii_digits, normalise_tracking: the Digital Centre's own reading

namespace seba::civil {

namespace {

constexpr std::size_t kMaxTypedBytes = 200;

bool is_separator(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\u00A0' || c == U'-' || c == U'\u2010' ||
           c == U'\u2011' || c == U'\u2012' || c == U'\u2013' || c == U'\u2014' || c == U'\u2212' ||
           c == U'.' || c == U'/' || c == U'_';
}

// O and I where digits belong: the tag's alphabet has neither, so they were meant as 0 and 1.
std::optional<std::string> digits_only(std::string part) {
    for (char& c : part) {
        if (c == 'O') c = '0';
        if (c == 'I') c = '1';
        if (c < '0' || c > '9') return std::nullopt;
    }
    return part;
}

// A real month and day of a month (the year is any two digits).
bool plausible_day(const std::string& yymmdd) {
    const int month = std::stoi(yymmdd.substr(2, 2));
    const int day = std::stoi(yymmdd.substr(4, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

std::string make_reference(std::string_view centre_code, std::string_view day, std::string_view tag,
                           long long seq) {
    const std::string yymmdd =
        fmt::format("{}{}{}", day.substr(2, 2), day.substr(5, 2), day.substr(8, 2));
    return fmt::format("{}-G{}-{}-{:04}", centre_code, yymmdd, tag, seq);
}

ReadReference read_reference(std::string_view typed, std::string_view centre_code) {
    ReadReference result;
    if (typed.size() > kMaxTypedBytes) return result;
    std::optional<std::u32string> decoded = utf8::to_utf32_strict(dc::ascii_digits(typed));
    if (!decoded) return result;
    // Letters and digits only, upper case; separators dropped, but the last group's length is
    // kept: "…-A7-42" is the 42nd complaint.
    std::string compact;
    std::size_t last_group = 0;
    bool gap = false, separated = false, other = false;
    for (char32_t c : *decoded) {
        if (is_separator(c)) {
            gap = !compact.empty();
            continue;
        }
        if (c >= U'a' && c <= U'z') c = c - U'a' + U'A';
        if (!((c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9'))) {
            other = true;
            break;
        }
        if (gap) {
            separated = true;
            last_group = 0;
            gap = false;
        }
        compact += static_cast<char>(c);
        ++last_group;
    }
    std::string own;
    for (char c : centre_code) {
        if (c == '-' || c == ' ') continue;
        own += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    // From the right: the sequence, the tag (2), the day (6 digits), G, the centre (the rest).
    auto read = [&](std::size_t seq_length) -> std::optional<std::string> {
        if (compact.size() < seq_length + 2 + 6 + 1 + 1) return std::nullopt;
        const std::size_t seq_at = compact.size() - seq_length;
        std::optional<std::string> seq = digits_only(compact.substr(seq_at));
        std::optional<std::string> day = digits_only(compact.substr(seq_at - 8, 6));
        if (!seq || !day || !plausible_day(*day) || compact[seq_at - 9] != 'G') return std::nullopt;
        if (seq->size() < 4) seq->insert(0, 4 - seq->size(), '0');
        std::string centre = compact.substr(0, seq_at - 9);
        if (!own.empty() && own == centre) centre = std::string(centre_code);
        return centre + "-G" + *day + "-" + compact.substr(seq_at - 2, 2) + "-" + *seq;
    };
    if (!other) {
        if (separated && last_group != 4 && last_group <= 6) result.reference = read(last_group);
        if (!result.reference) result.reference = read(4);
    }
    if (!result.reference) {
        // A request's tracking number ("DHK1-261128-A7-0042"): a real day, and no G before it
        // (a complaint's reference with a mistyped day is not a request's number).
        if (std::optional<std::string> t = dc::normalise_tracking(typed)) {
            const std::size_t seq = t->rfind('-'), tag = t->rfind('-', seq - 1),
                              day = t->rfind('-', tag - 1);
            result.request_tracking = day != std::string::npos && day > 0 &&
                                      plausible_day(t->substr(day + 1, 6)) && (*t)[day - 1] != 'G';
        }
    }
    return result;
}

}  // namespace seba::civil
