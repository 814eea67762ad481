// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "seba/export.hpp"
#include "seba/kiosk_time.hpp"

/// The time as the kiosk knows it. Kiosks on small boards have no battery-backed clock,
/// boot offline after power cuts and often have no time server, so their own clock can be
/// off by minutes or days. The kiosk learns its offset to seba-server's clock from the Date
/// of every reply, keeps it across restarts, and stamps events, receipts and signed
/// requests with the corrected time (docs/protocol.md, "The kiosk's clock"). Everything
/// that records when something happened goes through kiosk_now().
namespace seba {

class Database;

/// The local clock corrected by its offset to the server's, with jumps of the local clock
/// (a stale clock set at boot, a manual change, a time server's step) detected by comparing
/// it with the monotonic clock since boot, logged, and kept out of the corrected time.
/// Thread-safe.
class SEBA_API KioskClock {
  public:
    using Clock = std::chrono::system_clock;

    /// Where the time comes from; tests give their own.
    struct Sources {
        std::function<Clock::time_point()> wall;
        std::function<std::chrono::nanoseconds()> since_boot;  ///< CLOCK_BOOTTIME
        std::string boot_id;  ///< changes at every boot (/proc/sys/kernel/random/boot_id)
    };
    /// How far the local clock may move against the monotonic clock before it counts as a
    /// jump rather than a time server's gentle slewing.
    static constexpr std::chrono::seconds kJumpThreshold{2};

    KioskClock();  ///< the system's clocks
    explicit KioskClock(Sources sources);
    ~KioskClock();
    KioskClock(const KioskClock&) = delete;
    KioskClock& operator=(const KioskClock&) = delete;

    /// The process's clock: the sync client teaches it, the outbox and the plugins read it.
    static KioskClock& instance();

    KioskTime now();
    /// The server's clock minus the local one (0 until known).
    std::chrono::milliseconds offset() const;
    /// Whether the offset was learned from the server since this boot.
    bool checked() const;

    /// A reply with the server's Date (whole seconds) came to a request sent at local time
    /// `sent` and answered at `received`. Returns true when the offset changed by more than
    /// the Date's own precision (it is then worth saving).
    bool learn(Clock::time_point date, Clock::time_point sent, Clock::time_point received);

    /// Reads what the kiosk last knew of its clock from its database (core__config
    /// "clock.state"), once per clock, and not after it learned better from the server. In the
    /// same boot a jump since then is detected as while running; after a reboot the offset
    /// is kept as a guess but is not checked until the server is reached again.
    void load(Database& db);
    /// Writes it when it changed since it was last loaded or saved.
    void save(Database& db);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace seba
