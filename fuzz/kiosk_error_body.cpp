// SPDX-License-Identifier: Apache-2.0
// The kiosk reading seba-server's error body ({"error": ..., "message": ...}) for the operator.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sync_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    std::string reason = seba::detail::server_reason(503, body);
    // The operator always learns the status, with the server's message or without one.
    SEBA_FUZZ_CHECK(reason.ends_with(" (503)") || reason == "the server answered HTTP 503");
    // The stable code the kiosk acts on (a stale timestamp, a refused key) is the body's own
    // "error" text, or nothing.
    std::string code = seba::detail::server_error_code(body);
    SEBA_FUZZ_CHECK(code.empty() || body.find('"') != std::string_view::npos);
    if (!code.empty())
        SEBA_FUZZ_CHECK(seba::detail::server_error_code(
                            nlohmann::json{{"error", code}, {"message", "m"}}.dump()) == code);
    return 0;
}
