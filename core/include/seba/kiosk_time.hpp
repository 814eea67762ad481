// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The time to record things with: the kiosk's clock corrected to the server's
/// (docs/protocol.md, "The kiosk's clock"). The clock itself is the host's (seba/kiosk_clock.hpp).

#include <chrono>
#include <string>

#include "seba/export.hpp"

namespace seba {

/// A moment as the kiosk knows it.
struct SEBA_API KioskTime {
    std::chrono::system_clock::time_point at;  ///< the local clock, corrected by the offset
    /// false when no offset to the server's clock was known since this boot: `at` is then
    /// only the local clock's word, and whatever records it says so (it is not corrected
    /// later, since it cannot be told how wrong it was).
    bool checked = false;
    /// UTC ISO 8601 with milliseconds: "2026-11-28T01:02:03.456Z".
    std::string iso() const;
};

/// KioskClock::instance().now(): the time to record events, receipts and requests with.
SEBA_API KioskTime kiosk_now();


}  // namespace seba
