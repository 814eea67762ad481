// SPDX-License-Identifier: Apache-2.0
#include "sync_protocol.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
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
    return EnrollReply{*device, *centre};
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
