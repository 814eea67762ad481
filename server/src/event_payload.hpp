// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading the members of a pushed event's payload with limits, for the store's projections
// (NISE, MuktoPaath): one reader, so that "missing", "too long" and "out of range" mean the same
// everywhere. Pure: no SQL, no state.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace seba::server::payload {

/// Why a payload cannot be read, for the kiosk's operator and the logs (never its content).
struct Unreadable {
    std::string why;
};

/// Exactly `length` digits 0-9 and a-f (lower case).
bool is_lower_hex(std::string_view s, std::size_t length);
/// 1 to 64 of a-z, 0-9 and the characters of `punctuation`.
bool is_id(std::string_view s, std::string_view punctuation);

/// The member `key` of the object `p` as text; Unreadable "<key> is missing" when it is absent or
/// not text.
const std::string& text(const nlohmann::json& p, const char* key);
/// The same, at most `max_bytes` long; Unreadable "<key> is missing or too long" otherwise.
std::string text(const nlohmann::json& p, const char* key, std::size_t max_bytes);
/// The member `key` as a whole number from `low` to `high`; Unreadable "<key> is missing or out
/// of range" otherwise.
std::int64_t integer(const nlohmann::json& p, const char* key, std::int64_t low, std::int64_t high);
/// The member `key` as true or false; Unreadable "<key> is not true/false" otherwise.
bool flag(const nlohmann::json& p, const char* key);

}  // namespace seba::server::payload
