// SPDX-License-Identifier: Apache-2.0
#pragma once
// How configuration messages show names and values, shared by the TOML reader and the table
// of kiosk settings so that both say things alike.

#include <algorithm>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/utf8.hpp"

namespace seba::detail {

// Longer values are cut in messages so one bad line cannot flood the operator's screen.
constexpr std::size_t kMaxShownChars = 80;

/// What is_valid_plugin_id() accepts, in words.
constexpr std::string_view kPluginIdRule =
    "a plugin id: 2 to 32 characters of a-z, 0-9 and '_', starting with a letter, "
    "without \"__\", not \"core\"";

/// `text` in double quotes, JSON-escaped, cut after kMaxShownChars with "...".
inline std::string quote_text(std::string_view text) {
    // Cut between characters; the replace handler keeps a malformed byte in the file from
    // making dump() throw.
    return nlohmann::json(utf8::excerpt(text, kMaxShownChars, "..."))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A JSON value as found, for "(found ...)": cut like quote_text.
inline std::string shown_json(const nlohmann::json& value) {
    if (value.is_string()) return quote_text(value.get_ref<const std::string&>());
    std::string out = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (out.size() > kMaxShownChars) out = utf8::excerpt(out, kMaxShownChars, "...");
    return out;
}

/// "a, b, c".
template <typename Range>
std::string joined(const Range& items, std::string_view separator = ", ") {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// The closest known name within edit distance 3. A "match" that rewrites every character
/// of the unknown name is noise rather than a typo, so it is not offered.
inline std::optional<std::string_view> closest(std::string_view unknown,
                                               std::span<const std::string_view> known) {
    std::optional<std::string_view> best;
    std::size_t best_distance = 4;
    for (const auto candidate : known) {
        const std::size_t distance = edit_distance(unknown, candidate);
        if (distance < best_distance && distance < unknown.size()) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

}  // namespace seba::detail
