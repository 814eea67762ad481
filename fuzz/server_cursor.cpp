// SPDX-License-Identifier: Apache-2.0
// seba-server reading the cursor and limit query parameters of GET /v1/channels/NAME.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "requests.hpp"

namespace {

using seba::server::ChannelCursor;

bool same(const ChannelCursor& a, const ChannelCursor& b) {
    return a.after == b.after && a.snapshot == b.snapshot &&
           a.snapshot_horizon == b.snapshot_horizon;
}

// Digits without a leading zero: the only spelling format_cursor() writes.
bool canonical_number(std::string_view digits) {
    return digits.size() == 1 || digits.front() != '0';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace seba::server::detail;
    std::string_view text(reinterpret_cast<const char*>(data), size);

    if (auto number = parse_decimal(text)) {
        SEBA_FUZZ_CHECK(*number >= 0);
        // The number is the digits read, leading zeros aside.
        std::string_view significant =
            text.substr(std::min(text.find_first_not_of('0'), text.size() - 1));
        SEBA_FUZZ_CHECK(std::to_string(*number) == significant);
    }

    auto cursor = parse_cursor(text);
    if (!cursor) return 0;
    if (!*cursor) {
        SEBA_FUZZ_CHECK(text.empty());  // only "" means "from the start"
        return 0;
    }
    const ChannelCursor& c = **cursor;
    SEBA_FUZZ_CHECK(c.after >= 0 && c.snapshot_horizon >= 0);
    SEBA_FUZZ_CHECK(c.snapshot || c.snapshot_horizon == 0);
    // Every accepted cursor means what its canonical text means, and the canonical text is
    // read back as itself. Leading zeros are accepted ("007" is 7), so only canonical texts
    // round-trip byte for byte.
    std::string written = format_cursor(c);
    auto reread = parse_cursor(written);
    SEBA_FUZZ_CHECK(reread && *reread && same(**reread, c));
    SEBA_FUZZ_CHECK(format_cursor(**reread) == written);
    bool canonical = false;
    if (c.snapshot) {
        std::size_t dot = text.find('.');
        canonical =
            canonical_number(text.substr(1, dot - 1)) && canonical_number(text.substr(dot + 1));
    } else {
        canonical = canonical_number(text);
    }
    if (canonical) SEBA_FUZZ_CHECK(written == text);
    return 0;
}
