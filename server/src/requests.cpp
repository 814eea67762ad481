// SPDX-License-Identifier: Apache-2.0
#include "requests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "seba/bounded_json.hpp"
#include "seba/signing.hpp"

namespace seba::server::detail {

namespace {

using nlohmann::json;

}  // namespace

std::optional<EnrollRequest> parse_enroll_request(std::string_view body) {
    json doc = parse_bounded_json(body);
    if (!doc.is_object()) return std::nullopt;
    const std::string* code = json_string_member(doc, "code");
    const std::string* public_key = json_string_member(doc, "public_key");
    if (!code || !public_key) return std::nullopt;
    std::string centre;
    if (auto it = doc.find("centre"); it != doc.end()) {
        if (!it->is_string()) return std::nullopt;
        centre = it->get<std::string>();
    }
    return EnrollRequest{*code, *public_key, std::move(centre)};
}

std::optional<std::array<std::uint8_t, 32>> parse_public_key(std::string_view base64) {
    auto bytes = signing::from_base64(base64);
    if (!bytes || bytes->size() != 32) return std::nullopt;
    std::array<std::uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    // libsodium 1.0.18 (Debian 12) decodes every byte above 0x7F as '/': accept only the one
    // spelling to_base64() writes.
    if (signing::to_base64(key) != base64) return std::nullopt;
    return key;
}

std::optional<PushRequest> parse_push_request(std::string_view body) {
    json doc = parse_bounded_json(body);
    if (!doc.is_object()) return std::nullopt;
    const std::string* centre = json_string_member(doc, "centre");
    auto events = doc.find("events");
    if (!centre || events == doc.end() || !events->is_array()) return std::nullopt;
    PushRequest request{*centre, {}};
    request.events.reserve(events->size());
    for (const json& e : *events) {
        PushedEvent event;
        if (!e.is_object()) {
            request.events.push_back(std::move(event));
            continue;
        }
        if (const std::string* uuid = json_string_member(e, "uuid")) event.uuid = *uuid;
        const std::string* type = json_string_member(e, "type");
        auto payload = e.find("payload");
        event.valid = event.uuid.size() == 36 && type && !type->empty() && payload != e.end() &&
                      !payload->is_null();
        if (event.valid) {
            event.type = *type;
            event.payload = payload->dump();
            if (const std::string* created_at = json_string_member(e, "created_at"))
                event.created_at = *created_at;
            if (auto checked = e.find("clock_checked"); checked != e.end() && checked->is_boolean())
                event.clock_checked = checked->get<bool>();
        }
        request.events.push_back(std::move(event));
    }
    return request;
}

StoredEvent stored_event(const Device& device, PushedEvent&& event) {
    return StoredEvent{.device = device.id,
                       .centre = device.centre,
                       .uuid = std::move(event.uuid),
                       .type = std::move(event.type),
                       .payload = std::move(event.payload),
                       .received_at = {},
                       .created_at = std::move(event.created_at),
                       .clock_checked = event.clock_checked,
                       .citizen = {},
                       .purged_at = {}};
}

std::optional<std::int64_t> parse_decimal(std::string_view digits) {
    // One spelling per number ("7", never "007"), so a cursor reads back as it was written.
    if (digits.empty() || digits.size() > 18 || (digits.size() > 1 && digits[0] == '0'))
        return std::nullopt;
    std::int64_t value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<std::optional<ChannelCursor>> parse_cursor(std::string_view text) {
    if (text.empty()) return std::optional<ChannelCursor>();
    ChannelCursor cursor;
    if (text[0] == 's') {
        std::size_t dot = text.find('.');
        if (dot == std::string_view::npos) return std::nullopt;
        auto horizon = parse_decimal(text.substr(1, dot - 1));
        auto after = parse_decimal(text.substr(dot + 1));
        if (!horizon || !after) return std::nullopt;
        cursor = {.after = *after, .snapshot = true, .snapshot_horizon = *horizon};
    } else {
        auto after = parse_decimal(text);
        if (!after) return std::nullopt;
        cursor.after = *after;
    }
    return std::optional<ChannelCursor>(cursor);
}

std::string format_cursor(const ChannelCursor& cursor) {
    return cursor.snapshot ? fmt::format("s{}.{}", cursor.snapshot_horizon, cursor.after)
                           : std::to_string(cursor.after);
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    // One spelling per number: the one the signature covers, read as verify_request reads it.
    if (text.empty() || (text.size() > 1 && text.front() == '0')) return std::nullopt;
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool timestamp_fresh(std::int64_t sent_s, Clock::time_point now, std::chrono::seconds skew) {
    // The clock counts nanoseconds in 64 bits (to 2262): a later time would overflow it.
    constexpr std::int64_t kMaxSeconds =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count();
    if (sent_s > kMaxSeconds || sent_s < -kMaxSeconds) return false;
    auto sent = Clock::time_point(std::chrono::seconds(sent_s));
    return sent >= now - skew && sent <= now + skew;
}

}  // namespace seba::server::detail
