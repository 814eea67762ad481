// SPDX-License-Identifier: Apache-2.0
#include "sync_protocol.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iterator>
#include <nlohmann/json.hpp>

#include "seba/bounded_json.hpp"

namespace seba::detail {

namespace {

using nlohmann::json;

// A member that, when present, must be a string; `fallback` when absent. False when it is
// present with another type (null included).
bool optional_string(const json& doc, const char* name, std::string& out,
                     std::string_view fallback) {
    auto it = doc.find(name);
    if (it == doc.end()) {
        out = fallback;
        return true;
    }
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
}

}  // namespace

std::optional<EnrollReply> parse_enroll_reply(std::string_view body) {
    json doc = parse_bounded_json(body);
    if (!doc.is_object()) return std::nullopt;
    const std::string* device = json_string_member(doc, "device");
    const std::string* centre = json_string_member(doc, "centre");
    if (!device || !centre) return std::nullopt;
    EnrollReply reply{*device, *centre, std::nullopt, std::nullopt};
    if (auto key = doc.find("seal_key"); key != doc.end()) {
        reply.seal_key = sealing::from_json(*key);
        if (!reply.seal_key) return std::nullopt;  // named, but garbled: not a guess to keep
    }
    if (auto key = doc.find("trust_key"); key != doc.end()) {
        reply.trust_key = credentials::trust_key_from_json(*key);
        if (!reply.trust_key) return std::nullopt;
    }
    return reply;
}

std::optional<credentials::TrustKey> parse_trust_key_reply(std::string_view body) {
    return credentials::trust_key_from_json(parse_bounded_json(body));
}

std::optional<sealing::ServerKey> parse_seal_key_reply(std::string_view body) {
    return sealing::from_json(parse_bounded_json(body));
}

std::optional<PushReply> parse_push_reply(std::string_view body) {
    json doc = parse_bounded_json(body);
    if (!doc.is_object()) return std::nullopt;
    auto results = doc.find("results");
    if (results == doc.end() || !results->is_array()) return std::nullopt;
    PushReply reply;
    reply.results.reserve(results->size());
    for (const json& r : *results) {
        // A result of another shape is the server's mistake: refuse the reply, so that no
        // event leaves the outbox on a guess.
        if (!r.is_object()) return std::nullopt;
        PushResult result;
        std::string status;
        if (!optional_string(r, "uuid", result.uuid, "") ||
            !optional_string(r, "status", status, ""))
            return std::nullopt;
        if (status == "accepted") {
            result.status = PushResult::Status::Accepted;
        } else if (status == "duplicate") {
            result.status = PushResult::Status::Duplicate;
        } else if (status == "conflict") {
            result.status = PushResult::Status::Conflict;
        } else if (status == "rejected") {
            result.status = PushResult::Status::Rejected;
        }
        if (!optional_string(r, "reason", result.reason, status)) return std::nullopt;
        reply.results.push_back(std::move(result));
    }
    return reply;
}

// Pages are the bulk of a first pull (100,000 records are ~15 MB of JSON): simdjson parses
// them several times faster than building nlohmann trees, and each record's data is
// written back out compactly from its parsed form, so what is kept is checked JSON.
std::optional<PullPage> parse_pull_page(std::string_view body, std::string_view channel) {
    if (json_too_deep(body)) return std::nullopt;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return std::nullopt;
    simdjson::dom::object root;
    if (doc.get(root) != simdjson::SUCCESS) return std::nullopt;
    std::string_view page_channel, cursor;
    simdjson::dom::array changes;
    PullPage page;
    if (root["channel"].get(page_channel) != simdjson::SUCCESS || page_channel != channel ||
        root["changes"].get(changes) != simdjson::SUCCESS ||
        root["cursor"].get(cursor) != simdjson::SUCCESS ||
        root["has_more"].get(page.has_more) != simdjson::SUCCESS ||
        root["snapshot"].get(page.snapshot) != simdjson::SUCCESS ||
        root["reset"].get(page.reset) != simdjson::SUCCESS)
        return std::nullopt;
    page.cursor = std::string(cursor);
    page.changes.reserve(changes.size());
    for (simdjson::dom::element c : changes) {
        simdjson::dom::object change;
        std::string_view key;
        if (c.get(change) != simdjson::SUCCESS || change["key"].get(key) != simdjson::SUCCESS ||
            key.empty())
            return std::nullopt;
        simdjson::dom::object data;
        bool deleted = false;
        if (change["data"].get(data) == simdjson::SUCCESS)
            page.changes.push_back({std::string(key), simdjson::minify(data)});
        else if (change["deleted"].get(deleted) == simdjson::SUCCESS && deleted)
            page.changes.push_back({std::string(key), std::nullopt});
        else
            return std::nullopt;
    }
    return page;
}

std::string server_reason(long status, std::string_view body) {
    json doc = parse_bounded_json(body);
    const std::string* message = doc.is_object() ? json_string_member(doc, "message") : nullptr;
    if (message) return fmt::format("{} ({})", *message, status);
    return fmt::format("the server answered HTTP {}", status);
}

std::string server_error_code(std::string_view body) {
    json doc = parse_bounded_json(body);
    const std::string* code = doc.is_object() ? json_string_member(doc, "error") : nullptr;
    return code ? *code : std::string();
}

namespace {

// `digits` exactly, as a number; nullopt for anything but that many ASCII digits.
std::optional<int> fixed_digits(std::string_view text, std::size_t digits) {
    if (text.size() != digits) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// Whether `line` starts with the header name `name` ("date:"), in any case.
bool header_named(std::string_view line, std::string_view name) {
    return line.size() > name.size() &&
           std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
               return a == std::tolower(static_cast<unsigned char>(b));
           });
}

// The value of a header line: after the name, without the white space around it.
std::string_view header_value(std::string_view line, std::size_t name_size) {
    line.remove_prefix(name_size);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ' ||
                             line.back() == '\t'))
        line.remove_suffix(1);
    return line;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> date_from_header_line(std::string_view line) {
    constexpr std::string_view kName = "date:";
    if (!header_named(line, kName)) return std::nullopt;
    // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters in fixed places.
    std::string_view v = header_value(line, kName.size());
    static constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (v.size() != 29 || v.substr(3, 2) != ", " || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
        v[19] != ':' || v[22] != ':' || v.substr(25) != " GMT")
        return std::nullopt;
    auto weekday = std::find(std::begin(kDays), std::end(kDays), v.substr(0, 3));
    auto month = std::find(std::begin(kMonths), std::end(kMonths), v.substr(8, 3));
    auto day = fixed_digits(v.substr(5, 2), 2);
    auto year = fixed_digits(v.substr(12, 4), 4);
    auto hour = fixed_digits(v.substr(17, 2), 2);
    auto minute = fixed_digits(v.substr(20, 2), 2);
    auto second = fixed_digits(v.substr(23, 2), 2);
    if (weekday == std::end(kDays) || month == std::end(kMonths) || !day || !year || !hour ||
        !minute || !second || *hour > 23 || *minute > 59 || *second > 60)
        return std::nullopt;
    using namespace std::chrono;
    const year_month_day date{std::chrono::year(*year),
                              std::chrono::month(static_cast<unsigned>(month - kMonths + 1)),
                              std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return std::nullopt;
    const sys_days days{date};
    if (std::chrono::weekday(days).c_encoding() != static_cast<unsigned>(weekday - kDays))
        return std::nullopt;  // a weekday that is not that date's: not a date a server wrote
    // A leap second is read as the last second of its minute.
    return system_clock::time_point(days) + hours(*hour) + minutes(*minute) +
           seconds(std::min(*second, 59));
}

std::optional<std::string> etag_from_header_line(std::string_view line) {
    constexpr std::string_view kName = "etag:";
    if (line.size() <= kName.size() ||
        !std::equal(kName.begin(), kName.end(), line.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
        }))
        return std::nullopt;
    line.remove_prefix(kName.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
        line.remove_suffix(1);
    if (std::any_of(line.begin(), line.end(), [](char c) {
            auto byte = static_cast<unsigned char>(c);
            return byte < 0x20 || byte == 0x7F;
        }))
        return std::nullopt;
    return std::string(line);
}

}  // namespace seba::detail
