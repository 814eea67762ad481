// SPDX-License-Identifier: Apache-2.0
// The kiosk reading one response header line, as libcurl passes it, for the ETag.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sync_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using seba::detail::etag_from_header_line;
    std::string_view line(reinterpret_cast<const char*>(data), size);
    auto etag = etag_from_header_line(line);
    if (!etag) return 0;
    // Only an ETag line has one, and its value is a part of the line.
    SEBA_FUZZ_CHECK(line.size() > 5 && (line[0] | 0x20) == 'e' && (line[1] | 0x20) == 't' &&
                    (line[2] | 0x20) == 'a' && (line[3] | 0x20) == 'g' && line[4] == ':');
    SEBA_FUZZ_CHECK(line.find(*etag) != std::string_view::npos);
    // It goes back out in If-None-Match: no byte of it may end that header or start another.
    for (char c : *etag) {
        auto byte = static_cast<unsigned char>(c);
        SEBA_FUZZ_CHECK(byte >= 0x20 && byte != 0x7F);
    }
    SEBA_FUZZ_CHECK(etag->empty() || (etag->front() != ' ' && etag->back() != ' '));
    // The value read again is the same.
    SEBA_FUZZ_CHECK(etag_from_header_line("ETag: " + *etag + "\r\n") == etag);
    return 0;
}
