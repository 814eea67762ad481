// SPDX-License-Identifier: Apache-2.0
// The kiosk reading seba-server's error body ({"error": ..., "message": ...}) for the operator.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sync_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    std::string reason = seba::detail::server_reason(503, body);
    // The operator always learns the status, with the server's message or without one.
    SEBA_FUZZ_CHECK(reason.ends_with(" (503)") || reason == "the server answered HTTP 503");
    return 0;
}
