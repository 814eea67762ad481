// SPDX-License-Identifier: Apache-2.0
// seba-server reading X-Seba-Timestamp and judging its freshness.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "requests.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace seba::server::detail;
    using std::chrono::seconds;
    constexpr std::int64_t kNow = 1796000000;
    const auto now = seba::server::Clock::time_point(seconds(kNow));
    const seconds skew(300);
    auto fresh_is_near = [&](std::int64_t sent) {
        // Fresh exactly when within the skew; no timestamp may overflow the clock.
        bool fresh = timestamp_fresh(sent, now, skew);
        bool near = sent >= kNow - skew.count() && sent <= kNow + skew.count();
        SEBA_FUZZ_CHECK(fresh == near);
    };

    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto sent = parse_timestamp(text)) {
        // One spelling per number: the one the kiosk signs.
        SEBA_FUZZ_CHECK(std::to_string(*sent) == text);
        fresh_is_near(*sent);
    }
    // Any 64-bit number, negative and huge included.
    if (size >= sizeof(std::int64_t)) {
        std::int64_t sent = 0;
        std::memcpy(&sent, data, sizeof sent);
        fresh_is_near(sent);
    }
    return 0;
}
