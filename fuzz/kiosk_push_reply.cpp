// SPDX-License-Identifier: Apache-2.0
// The kiosk reading seba-server's 200 reply to POST /v1/events.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_check.hpp"
#include "sync_protocol.hpp"

namespace {

using seba::detail::PushResult;

const char* status_word(PushResult::Status status) {
    switch (status) {
        case PushResult::Status::Accepted:
            return "accepted";
        case PushResult::Status::Duplicate:
            return "duplicate";
        case PushResult::Status::Conflict:
            return "conflict";
        case PushResult::Status::Rejected:
            return "rejected";
        case PushResult::Status::Other:
            break;
    }
    return "";  // a word the kiosk does not know reads as Other again
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using seba::detail::parse_push_reply;
    std::string_view body(reinterpret_cast<const char*>(data), size);
    auto reply = parse_push_reply(body);
    if (!reply) return 0;
    nlohmann::json results = nlohmann::json::array();
    for (const PushResult& r : reply->results) {
        results.push_back(
            {{"uuid", r.uuid}, {"status", status_word(r.status)}, {"reason", r.reason}});
    }
    // What was accepted reads the same once written again.
    std::string again = nlohmann::json{{"results", results}}.dump();
    SEBA_FUZZ_CHECK(parse_push_reply(again) == reply);
    return 0;
}
