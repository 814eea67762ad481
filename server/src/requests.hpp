// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/bounded_json.hpp"
#include "seba/server/store.hpp"

/// Reading what kiosks send seba-server (docs/protocol.md), apart from cpp-httplib so that
/// each reader can be tested and fuzzed alone (fuzz/). Every function here takes untrusted
/// text and never throws anything but std::bad_alloc: a request that is not what the
/// protocol says is std::nullopt, and the caller answers 400.
namespace seba::server::detail {

/// POST /v1/enroll: {"code": "...", "public_key": "<base64>", "centre": "..."}; the centre
/// is optional (kiosks before it did not send one).
struct EnrollRequest {
    std::string code;
    std::string public_key;  ///< as sent; parse_public_key() reads it
    std::string centre;      ///< "" when not sent
    friend bool operator==(const EnrollRequest&, const EnrollRequest&) = default;
};

std::optional<EnrollRequest> parse_enroll_request(std::string_view body);

/// An Ed25519 public key: exactly 32 bytes of standard, padded base64.
std::optional<std::array<std::uint8_t, 32>> parse_public_key(std::string_view base64);

/// One element of "events", checked alone: a bad event is rejected, the rest stored.
struct PushedEvent {
    std::string uuid;  ///< as sent; "" when missing or not a string
    /// A 36-character uuid, a type that is a non-empty string, and a payload that is not
    /// null (docs/protocol.md).
    bool valid = false;
    std::string type;
    std::string payload;  ///< its canonical JSON text, what duplicates are compared by
    /// The kiosk's time of the event and whether its clock was checked then; kept as they
    /// come (empty, none: not sent, or not a string and a boolean), never compared.
    std::string created_at;
    std::optional<bool> clock_checked;
    friend bool operator==(const PushedEvent&, const PushedEvent&) = default;
};

/// POST /v1/events: {"centre": "...", "events": [...]}.
struct PushRequest {
    std::string centre;
    std::vector<PushedEvent> events;  ///< in the order sent
    friend bool operator==(const PushRequest&, const PushRequest&) = default;
};

std::optional<PushRequest> parse_push_request(std::string_view body);

/// A valid pushed event as the store keeps it, from `device`.
StoredEvent stored_event(const Device& device, PushedEvent&& event);

/// A decimal number of 1 to 18 digits (leading zeros allowed): the limit of a pull.
std::optional<std::int64_t> parse_decimal(std::string_view digits);

/// A cursor's text: "" (from the start: an empty optional), "N" (after version N) or "sH.N"
/// (in a snapshot that began at horizon H, after version N). Kiosks keep it as it is; only
/// the server reads it. The outer nullopt: not a cursor.
std::optional<std::optional<ChannelCursor>> parse_cursor(std::string_view text);

std::string format_cursor(const ChannelCursor& cursor);

/// X-Seba-Timestamp: Unix seconds as canonical_request() prints them (digits, no sign, no
/// leading zeros); nullopt for any other text.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

/// Whether `sent_s` is within `skew` of `now`, without overflow for any timestamp.
bool timestamp_fresh(std::int64_t sent_s, Clock::time_point now, std::chrono::seconds skew);

}  // namespace seba::server::detail
