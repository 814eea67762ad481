// SPDX-License-Identifier: Apache-2.0
// seba-server reading the body of POST /v1/enroll (not signed: anyone can send it).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_check.hpp"
#include "requests.hpp"
#include "seba/signing.hpp"

namespace {

// A key is read from one spelling only: the one to_base64() writes.
void check_key(std::string_view text) {
    auto key = seba::server::detail::parse_public_key(text);
    if (key) SEBA_FUZZ_CHECK(seba::signing::to_base64(*key) == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using seba::server::detail::parse_enroll_request;
    std::string_view body(reinterpret_cast<const char*>(data), size);
    check_key(body);
    auto request = parse_enroll_request(body);
    if (!request) return 0;
    check_key(request->public_key);
    // What was accepted reads the same once written again the way the kiosk writes it.
    nlohmann::json written = {{"code", request->code}, {"public_key", request->public_key}};
    if (!request->centre.empty()) written["centre"] = request->centre;
    std::string again = written.dump();
    SEBA_FUZZ_CHECK(parse_enroll_request(again) == request);
    return 0;
}
