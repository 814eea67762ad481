// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Reading what seba-server answers a kiosk (docs/protocol.md), apart from the transfers so
/// that each reader can be tested and fuzzed alone (fuzz/). Internal: not installed, not
/// exported. Every function here takes untrusted text and never throws anything but
/// std::bad_alloc: a reply that is not what the protocol says is std::nullopt.
#include "seba/bounded_json.hpp"
#include "seba/catalog.hpp"
#include "seba/credential_keys.hpp"
#include "seba/sealing.hpp"

namespace seba::detail {

/// 201 to POST /v1/enroll.
struct EnrollReply {
    std::string device;
    std::string centre;
    /// The server's key for sealing citizens' data; none from a server before it.
    std::optional<sealing::ServerKey> seal_key;
    /// The key the server signs its trust list of credential keys with, and its public
    /// verification page; none from a server before it.
    std::optional<credentials::TrustKey> trust_key;
    friend bool operator==(const EnrollReply&, const EnrollReply&) = default;
};

std::optional<EnrollReply> parse_enroll_reply(std::string_view body);

/// 200 to GET /v1/seal-key: the server's sealing key (sealing::to_json()).
std::optional<sealing::ServerKey> parse_seal_key_reply(std::string_view body);

/// 200 to GET /v1/credentials/trust-key (credentials::to_json()).
std::optional<credentials::TrustKey> parse_trust_key_reply(std::string_view body);

/// One result of POST /v1/events.
struct PushResult {
    enum class Status { Accepted, Duplicate, Conflict, Rejected, Other };
    std::string uuid;  ///< "" when the server named none
    Status status = Status::Other;
    std::string reason;  ///< Conflict and Rejected: the server's reason, else the status word
    friend bool operator==(const PushResult&, const PushResult&) = default;
};

/// 200 to POST /v1/events: the results in the order of the events sent.
struct PushReply {
    std::vector<PushResult> results;
    friend bool operator==(const PushReply&, const PushReply&) = default;
};

std::optional<PushReply> parse_push_reply(std::string_view body);

/// 200 to GET /v1/channels/NAME, checked field by field before anything of it is applied
/// (catalog::keep_page keeps it).
using PullPage = catalog::Page;

/// nullopt also when the page is of another channel than `channel`.
std::optional<PullPage> parse_pull_page(std::string_view body, std::string_view channel);

/// The server's message from an error body with its status, or what the status means.
std::string server_reason(long status, std::string_view body);

/// The stable `error` code of an error body ("stale_timestamp"), or "" when there is none.
std::string server_error_code(std::string_view body);

/// The time in one Date header line as libcurl passes it ("Date: Sun, 06 Nov 1994 08:49:37
/// GMT\r\n"), or nullopt when the line is another header or not an RFC 9110 IMF-fixdate (the
/// only form seba-server and its front send). The kiosk sets its clock by it, so a value
/// that is not a real date and time (30 February, 25:00) is refused rather than normalised.
std::optional<std::chrono::system_clock::time_point> date_from_header_line(std::string_view line);

/// The value of one header line as libcurl passes it ("ETag: W/\"7.0\"\r\n"), or nullopt when
/// the line is another header or its value holds control characters (it is sent back in
/// If-None-Match, where a line break would start a header of the server's choosing).
std::optional<std::string> etag_from_header_line(std::string_view line);

}  // namespace seba::detail
