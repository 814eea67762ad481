// SPDX-License-Identifier: Apache-2.0
#include "seba/reference.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

#include "seba/error.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/utf8.hpp"

namespace seba::reference {

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

std::string make(std::string_view centre_code, char letter, std::string_view day,
                 std::string_view tag, long long seq) {
    const std::string yymmdd =
        fmt::format("{}{}{}", day.substr(2, 2), day.substr(5, 2), day.substr(8, 2));
    return fmt::format("{}-{}{}-{}-{:04}", centre_code, letter, yymmdd, tag, seq);
}

std::optional<std::string> read(std::string_view typed, std::string_view centre_code, char letter) {
    if (typed.size() > kMaxTypedBytes) return std::nullopt;
    std::optional<std::u32string> decoded = utf8::to_utf32_strict(ui::ascii_digits(typed));
    if (!decoded) return std::nullopt;
    // Letters and digits only, upper case; separators dropped, but the last group's length is
    // kept: "…-A7-42" is the 42nd.
    std::string compact;
    std::size_t last_group = 0;
    bool gap = false, separated = false;
    for (char32_t c : *decoded) {
        if (is_separator(c)) {
            gap = !compact.empty();
            continue;
        }
        if (c >= U'a' && c <= U'z') c = c - U'a' + U'A';
        if (!((c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9'))) return std::nullopt;
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
    // From the right: the sequence, the tag (2), the day (6 digits), the letter, the centre
    // (the rest).
    auto read_with = [&](std::size_t seq_length) -> std::optional<std::string> {
        if (compact.size() < seq_length + 2 + 6 + 1 + 1) return std::nullopt;
        const std::size_t seq_at = compact.size() - seq_length;
        std::optional<std::string> seq = digits_only(compact.substr(seq_at));
        std::optional<std::string> day = digits_only(compact.substr(seq_at - 8, 6));
        if (!seq || !day || !plausible_day(*day) || compact[seq_at - 9] != letter)
            return std::nullopt;
        if (seq->size() < 4) seq->insert(0, 4 - seq->size(), '0');
        std::string centre = compact.substr(0, seq_at - 9);
        if (!own.empty() && own == centre) centre = std::string(centre_code);
        return centre + "-" + letter + *day + "-" + compact.substr(seq_at - 2, 2) + "-" + *seq;
    };
    std::optional<std::string> result;
    if (separated && last_group != 4 && last_group <= 6) result = read_with(last_group);
    if (!result) result = read_with(4);
    return result;
}

Numbering::Numbering(PluginStore& store, std::string meta_table, std::string rows_table)
    : store_(store), meta_table_(std::move(meta_table)), rows_table_(std::move(rows_table)) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

std::optional<std::string> Numbering::known_tag() {
    Statement row =
        store_.prepare(fmt::format("SELECT value FROM {} WHERE key = 'tag'", meta_table_));
    if (row.step()) return row.text(0);
    return std::nullopt;
}

std::string Numbering::tag() {
    if (std::optional<std::string> known = known_tag()) return *known;
    std::string value;
    for (int i = 0; i < 2; ++i)
        value += kTagAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kTagAlphabet.size()))];
    store_.prepare(fmt::format("INSERT INTO {} (key, value) VALUES ('tag', ?)", meta_table_))
        .bind_all(value)
        .run();
    return value;
}

long long Numbering::next(std::string_view day) {
    Statement next = store_.prepare(
        fmt::format("SELECT coalesce(max(seq), 0) + 1 FROM {} WHERE day = ?", rows_table_));
    next.bind_all(std::string(day));
    next.step();
    return static_cast<long long>(next.integer(0));
}

std::optional<Answer> read_answer(const nlohmann::json& data,
                                  std::initializer_list<std::string_view> statuses) {
    if (!data.is_object()) return std::nullopt;
    auto status = data.find("status");
    if (status == data.end() || !status->is_string()) return std::nullopt;
    Answer a;
    a.status = status->get<std::string>();
    if (std::find(statuses.begin(), statuses.end(), a.status) == statuses.end())
        return std::nullopt;
    if (auto at = data.find("answered_at"); at != data.end() && at->is_string())
        a.answered_at = at->get<std::string>();
    if (auto note = data.find("note"); note != data.end()) {
        if (note->is_string()) a.note["en"] = note->get<std::string>();
        if (note->is_object())
            for (const auto& [language, text] : note->items())
                if (text.is_string() && language.size() <= 16)
                    a.note[language] = text.get<std::string>();
    }
    return a;
}

}  // namespace seba::reference
