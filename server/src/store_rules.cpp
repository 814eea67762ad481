// SPDX-License-Identifier: Apache-2.0
#include "store_rules.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <span>

#include "seba/error.hpp"
#include "seba/manifest.hpp"
#include "seba/storage.hpp"
#include "seba/tcv.hpp"
#include "seba/utf8.hpp"

namespace seba::server::rules {

namespace {

std::string hex(std::span<const unsigned char> bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

}  // namespace

bool valid_centre_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
}

void check_new_centre(std::string_view id, std::string_view name) {
    if (!valid_centre_id(id))
        throw Error(fmt::format(
            "centre id \"{}\" is not valid: use 1 to 64 letters, digits, '.', '_' or '-'", id));
    if (name.empty()) throw Error(fmt::format("centre {} needs a name", id));
}

void check_place(std::string_view name) {
    if (name.size() > 64 || !utf8::is_valid(name) ||
        std::any_of(name.begin(), name.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        throw Error(
            fmt::format("a region or district is 0 to 64 characters of text, not \"{}\"", name));
}

bool valid_dashboard_user(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

void check_dashboard_user(std::string_view name) {
    if (!valid_dashboard_user(name))
        throw Error(
            fmt::format("\"{}\" is not a valid user name: use 1 to 64 small letters, digits, '.', "
                        "'_' or '-'",
                        name));
}

void check_credential_id(std::string_view id) {
    if (id.size() != 16 || !std::all_of(id.begin(), id.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
        throw Error(fmt::format(
            "\"{}\" is not a credential id: 16 hex digits, as printed on the certificate", id));
}

std::string login_failure_field(std::string_view text) {
    return std::string(text.substr(0, 64));
}

std::int64_t unix_seconds(Clock::time_point t) {
    return static_cast<std::int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

Clock::time_point from_unix_seconds(std::int64_t s) {
    return Clock::time_point(std::chrono::seconds(s));
}

std::string iso_time(Clock::time_point t) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()) % 1000;
    if (ms.count() < 0) ms += std::chrono::milliseconds(1000);
    auto whole = std::chrono::floor<std::chrono::seconds>(t);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(Clock::to_time_t(whole)),
                       ms.count());
}

void check_purge_before(std::string_view before) {
    static const std::regex kTime(R"(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z)?)");
    if (!std::regex_match(before.begin(), before.end(), kTime))
        throw Error(fmt::format("\"{}\" is not a date (YYYY-MM-DD, UTC)", before));
}

std::string hash_hex(std::string_view text) {
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), nullptr, 0);
    return hex(digest);
}

std::string new_device_id() {
    unsigned char bytes[8];
    randombytes_buf(bytes, sizeof bytes);
    return "dev-" + hex(bytes);
}

std::string new_enrollment_code() {
    std::string code;
    for (std::size_t i = 0; i < kCodeLength; ++i)
        code +=
            kCodeAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kCodeAlphabet.size()))];
    return code;
}

std::string display_code(std::string_view code) {
    const std::size_t half = code.size() / 2;
    return std::string(code.substr(0, half)) + "-" + std::string(code.substr(half));
}

std::string normalise_code(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == '-' || std::isspace(static_cast<unsigned char>(c))) continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string code_hash(std::string_view typed) {
    return hash_hex(normalise_code(typed));
}

void check_code_validity(std::chrono::seconds valid_for) {
    if (valid_for <= std::chrono::seconds::zero())
        throw Error("an enrollment code must be valid for a positive time");
}

std::string failure_scope(std::string_view claimed_centre, bool centre_exists) {
    return !claimed_centre.empty() && centre_exists ? std::string(claimed_centre) : std::string();
}

std::int64_t failure_window_start(Clock::time_point now) {
    return unix_seconds(now) - kEnrollFailureWindow.count();
}

std::optional<std::chrono::seconds> enrollment_wait(const RecentFailures& recent,
                                                    Clock::time_point now) {
    if (recent.count < kEnrollFailuresPerWindow) return std::nullopt;
    return std::chrono::seconds(std::max<std::int64_t>(
        1, recent.oldest_at + kEnrollFailureWindow.count() - unix_seconds(now)));
}

EnrollDecision decide_enrollment(const EnrollmentRows& rows,
                                 const std::array<std::uint8_t, 32>& public_key,
                                 std::string_view scope, Clock::time_point now) {
    using Action = EnrollDecision::Action;
    const std::optional<CodeRow>& code = rows.code;
    const bool live = code && unix_seconds(now) < code->expires_at;
    // The same code and key again: the device it made, whose reply was lost.
    if (live && code->used && rows.code_device && rows.code_device->id == code->device &&
        rows.code_device->public_key == public_key && !rows.code_device->revoked)
        return {Action::ReturnDevice, *rows.code_device, ""};
    if (rows.key_enrolled) return {Action::RefuseKeyEnrolled, {}, kKeyEnrolledMessage};
    if (!live || code->used || (!scope.empty() && code->centre != scope))
        return {Action::RefuseBadCode, {}, kBadCodeMessage};
    return {Action::BindNew,
            Device{.id = {},
                   .centre = code->centre,
                   .public_key = public_key,
                   .revoked = false,
                   .enrolled_at = iso_time(now),
                   .revoked_at = {}},
            ""};
}

EventContent content_of(const StoredEvent& event) {
    return {event.type, hash_hex(event.payload)};
}

PushOutcome compare_pushed(const EventContent& kept, const StoredEvent& incoming) {
    const EventContent now = content_of(incoming);
    return kept.payload_hash == now.payload_hash && kept.type == now.type ? PushOutcome::Duplicate
                                                                          : PushOutcome::Conflict;
}

std::string received_at(const StoredEvent& event) {
    return event.received_at.empty() ? utc_now_iso() : event.received_at;
}

std::optional<std::string> tcv_tracking(const StoredEvent& event) {
    // Most events carry neither a survey nor a `tcv` member: skip parsing them.
    const bool survey = event.type == tcv::kSurveyEvent;
    if (!survey && event.payload.find("\"tcv\"") == std::string::npos) return std::nullopt;
    const nlohmann::json payload = nlohmann::json::parse(event.payload, nullptr, false);
    if (!payload.is_object()) return std::nullopt;
    const nlohmann::json* holder = &payload;
    if (!survey) {
        auto member = payload.find("tcv");
        if (member == payload.end() || !member->is_object()) return std::nullopt;
        holder = &*member;
    }
    auto tracking = holder->find("tracking");
    if (tracking == holder->end() || !tracking->is_string()) return std::nullopt;
    return tracking->get<std::string>();
}

bool nonce_replayed(std::int64_t seen_at, Clock::time_point keep_since) {
    return seen_at >= unix_seconds(keep_since);
}

void check_channel_name(std::string_view channel) {
    if (!is_valid_channel_name(channel))
        throw Error(
            fmt::format("channel name \"{}\" is not valid: use a lower-case letter, then up to 63 "
                        "lower-case letters, digits, '_' or '.'",
                        channel));
}

CanonicalRecords canonical_records(std::string_view channel,
                                   const std::vector<ChannelRecord>& records) {
    CanonicalRecords out;
    for (const ChannelRecord& r : records) {
        if (r.key.empty() || r.key.size() > kMaxKeyBytes)
            throw Error(fmt::format("{}: a record key must be 1 to {} bytes (\"{}\")", channel,
                                    kMaxKeyBytes, utf8::truncated(r.key, 40)));
        nlohmann::json data = nlohmann::json::parse(r.data, nullptr, false);
        if (!data.is_object())
            throw Error(fmt::format("{}: record {} is not a JSON object", channel, r.key));
        std::string text = data.dump();
        if (text.size() > kMaxRecordBytes)
            throw Error(fmt::format("{}: record {} is {} bytes; at most {} are allowed", channel,
                                    r.key, text.size(), kMaxRecordBytes));
        std::string hash = hash_hex(text);
        if (!out.emplace(r.key, CanonicalRecord{std::move(text), std::move(hash)}).second)
            throw Error(fmt::format("{}: key {} appears twice", channel, r.key));
    }
    return out;
}

void check_scope(std::string_view channel, bool per_centre, std::string_view scope) {
    if (per_centre != !scope.empty())
        throw Error(fmt::format("channel {} is {}; publish it {}", channel,
                                per_centre ? "per centre" : "for every centre",
                                per_centre ? "with a centre" : "without a centre"));
}

PublishPlan plan_publish(const std::map<std::string, std::string, std::less<>>& live,
                         const CanonicalRecords& incoming, bool replace, std::int64_t head) {
    PublishPlan plan;
    for (const auto& [key, record] : incoming) {
        auto old = live.find(key);
        if (old != live.end() && old->second == record.hash) {
            ++plan.report.unchanged;
            continue;
        }
        ++(old == live.end() ? plan.report.added : plan.report.changed);
        plan.writes.push_back({key, &record});
    }
    if (replace) {
        for (const auto& [key, hash] : live) {
            if (incoming.count(key)) continue;
            ++plan.report.removed;
            plan.writes.push_back({key, nullptr});
        }
    }
    plan.report.head = head + static_cast<std::int64_t>(plan.writes.size());
    return plan;
}

std::int64_t compaction_bound(std::int64_t up_to, std::int64_t head) {
    return std::min(up_to, head);
}

std::int64_t visible_head(bool per_centre, std::int64_t head, std::int64_t horizon,
                          std::int64_t own_last) {
    return per_centre ? std::max(own_last, horizon) : head;
}

PageBuilder::PageBuilder(const std::optional<ChannelCursor>& cursor, std::int64_t head,
                         std::int64_t horizon, std::size_t limit, std::size_t max_bytes)
    : from_(cursor.value_or(ChannelCursor{})), limit_(limit), max_bytes_(max_bytes) {
    page_.head = head;
    page_.horizon = horizon;
    const bool restart =
        !cursor || (from_.snapshot ? from_.snapshot_horizon != horizon : from_.after < horizon) ||
        from_.after > head;
    if (restart) from_ = {.after = 0, .snapshot = true, .snapshot_horizon = horizon};
    page_.reset = restart;
    page_.snapshot = from_.snapshot;
    last_ = from_.after;
}

bool PageBuilder::add(ChannelChange change) {
    if (page_.changes.size() == limit_ || (bytes_ >= max_bytes_ && !page_.changes.empty())) {
        page_.has_more = true;
        return false;
    }
    bytes_ += change.key.size() + (change.data ? change.data->size() : 0);
    last_ = change.version;
    page_.changes.push_back(std::move(change));
    return true;
}

ChannelPage PageBuilder::finish() && {
    page_.next = from_;
    page_.next.after = page_.has_more ? last_ : std::max(last_, page_.head);
    if (!page_.has_more) page_.next.snapshot = false;
    return std::move(page_);
}

}  // namespace seba::server::rules
