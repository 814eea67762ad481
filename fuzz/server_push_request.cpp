// SPDX-License-Identifier: Apache-2.0
// seba-server reading the body of POST /v1/events (signed, but a device may be broken).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_check.hpp"
#include "requests.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using nlohmann::json;
    using seba::server::detail::parse_push_request;
    std::string_view body(reinterpret_cast<const char*>(data), size);
    auto request = parse_push_request(body);
    if (!request) return 0;
    json events = json::array();
    for (const auto& event : request->events) {
        if (!event.valid) {
            // A rejected event is answered with its uuid alone; nothing of it is stored.
            SEBA_FUZZ_CHECK(event.type.empty() && event.payload.empty() &&
                            event.created_at.empty() && !event.clock_checked);
            events.push_back({{"uuid", event.uuid}});
            continue;
        }
        // docs/protocol.md: a uuid of 36 characters, a type, and a payload that is not null.
        SEBA_FUZZ_CHECK(event.uuid.size() == 36 && !event.type.empty());
        // Duplicates are told from conflicts by the payload's text: it must be canonical.
        json payload = json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
        SEBA_FUZZ_CHECK(!payload.is_discarded() && !payload.is_null());
        SEBA_FUZZ_CHECK(payload.dump() == event.payload);
        json e = {{"uuid", event.uuid}, {"type", event.type}, {"payload", payload}};
        if (!event.created_at.empty()) e["created_at"] = event.created_at;
        if (event.clock_checked) e["clock_checked"] = *event.clock_checked;
        events.push_back(std::move(e));
    }
    // What was accepted reads the same once written again the way the kiosk writes it.
    std::string again = json{{"centre", request->centre}, {"events", events}}.dump();
    SEBA_FUZZ_CHECK(parse_push_request(again) == request);
    return 0;
}
