#include "sync_protocol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "seba/bounded_json.hpp"

namespace seba::detail {

namespace {

using nlohmann::json;

// The member `name` of object `doc` if it is a string. Looked up, not copied with value():
// a copy of a large member costs its size.
const std::string* string_member(const json& doc, const char* name) {
    auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

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
    const std::string* device = string_member(doc, "device");
    const std::string* centre = string_member(doc, "centre");
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

std::optional<PullPage> parse_pull_page(std::string_view body, std::string_view channel) {
    json doc = parse_bounded_json(body);
    if (!doc.is_object()) return std::nullopt;
    auto is = [&](const char* field, auto check) {
        auto it = doc.find(field);
        return it != doc.end() && check(*it);
    };
    if (!is("channel",
            [&](const json& v) {
                return v.is_string() && v.get_ref<const std::string&>() == channel;
            }) ||
        !is("changes", [](const json& v) { return v.is_array(); }) ||
        !is("cursor", [](const json& v) { return v.is_string(); }) ||
        !is("has_more", [](const json& v) { return v.is_boolean(); }) ||
        !is("snapshot", [](const json& v) { return v.is_boolean(); }) ||
        !is("reset", [](const json& v) { return v.is_boolean(); }))
        return std::nullopt;
    PullPage page;
    page.cursor = doc["cursor"].get<std::string>();
    page.has_more = doc["has_more"].get<bool>();
    page.snapshot = doc["snapshot"].get<bool>();
    page.reset = doc["reset"].get<bool>();
    const json& changes = doc["changes"];
    page.changes.reserve(changes.size());
    for (const json& c : changes) {
        if (!c.is_object()) return std::nullopt;
        const std::string* key = string_member(c, "key");
        if (!key || key->empty()) return std::nullopt;
        PullPage::Change change{*key, std::nullopt};
        auto data = c.find("data");
        auto deleted = c.find("deleted");
        if (data != c.end() && data->is_object())
            change.data = data->dump();
        else if (deleted == c.end() || !deleted->is_boolean() || !deleted->get<bool>())
            return std::nullopt;
        page.changes.push_back(std::move(change));
    }
    return page;
}

std::string server_reason(long status, std::string_view body) {
    json doc = parse_bounded_json(body);
    const std::string* message = doc.is_object() ? string_member(doc, "message") : nullptr;
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
