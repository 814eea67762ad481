// SPDX-License-Identifier: Apache-2.0
// The kiosk reading seba-server's 201 reply to POST /v1/enroll.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_check.hpp"
#include "sync_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using seba::detail::parse_enroll_reply;
    std::string_view body(reinterpret_cast<const char*>(data), size);
    auto reply = parse_enroll_reply(body);
    if (!reply) return 0;
    // What was accepted reads the same once written again the way the server writes it.
    std::string again = nlohmann::json{{"device", reply->device}, {"centre", reply->centre}}.dump();
    SEBA_FUZZ_CHECK(parse_enroll_reply(again) == reply);
    return 0;
}
