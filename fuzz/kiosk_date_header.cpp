// SPDX-License-Identifier: Apache-2.0
// The kiosk reading one response header line, as libcurl passes it, for the server's Date:
// the kiosk sets its clock by it (docs/protocol.md, "The kiosk's clock").
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sync_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using seba::detail::date_from_header_line;
    std::string_view line(reinterpret_cast<const char*>(data), size);
    auto date = date_from_header_line(line);
    if (!date) return 0;
    // Only a Date line has one.
    SEBA_FUZZ_CHECK(line.size() > 5 && (line[0] | 0x20) == 'd' && (line[1] | 0x20) == 'a' &&
                    (line[2] | 0x20) == 't' && (line[3] | 0x20) == 'e' && line[4] == ':');
    // A real moment of a four-digit year, in whole seconds.
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(date->time_since_epoch()).count();
    SEBA_FUZZ_CHECK(seconds >= -62167219200LL && seconds <= 253402300799LL);  // 0000 to 9999
    SEBA_FUZZ_CHECK(std::chrono::floor<std::chrono::seconds>(*date) == *date);
    // Written again as seba-server writes it (IMF-fixdate), it reads the same.
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm utc{};
    SEBA_FUZZ_CHECK(gmtime_r(&t, &utc) != nullptr);
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char text[64];
    std::snprintf(text, sizeof text, "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
                  kDays[utc.tm_wday], utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900,
                  utc.tm_hour, utc.tm_min, utc.tm_sec);
    SEBA_FUZZ_CHECK(date_from_header_line(text) == date);
    return 0;
}
