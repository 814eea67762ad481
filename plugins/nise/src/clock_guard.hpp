// SPDX-License-Identifier: Apache-2.0
#pragma once

// Today, for closing dates, on a kiosk whose clock may lie. An opportunity disappears on the
// day after its closing date even offline, by the kiosk's corrected clock (seba::kiosk_now);
// a clock set back (a dead battery at boot, a hand) must not bring closed ones back. So the
// kiosk remembers the latest time it trusted (a time corrected by the server since boot, kept
// in the plugin's table) and never counts an earlier day. A clock that jumps forward unchecked
// is not remembered, so it cannot hide everything for good once corrected.

#include <chrono>
#include <seba/sdk.hpp>
#include <span>
#include <string>

namespace seba::nise {

class ClockGuard {
  public:
    static std::span<const Migration> migrations();

    /// `utc_offset`: the country's time zone (setting utc_offset_minutes): a closing date is a
    /// local day.
    ClockGuard(PluginStore& store, std::chrono::minutes utc_offset);

    /// The local date YYYY-MM-DD at `now`, never before the latest trusted time seen. A
    /// checked `now` later than that is remembered (written at most once a minute).
    std::string today(const KioskTime& now);
    std::string today() { return today(kiosk_now()); }

    /// Whether the last today() was held back: the clock read earlier than a time already
    /// trusted (shown to the operator).
    bool held_back() const { return held_back_; }
    /// The latest trusted time, UTC ISO 8601, or "" when none yet.
    std::string trusted_until() const;

  private:
    PluginStore& store_;
    std::chrono::minutes utc_offset_;
    std::chrono::system_clock::time_point trusted_{};
    std::chrono::system_clock::time_point saved_{};
    bool held_back_ = false;
};

/// Days from `today` to `day` (both YYYY-MM-DD): 0 for the same day, negative when past;
/// nullopt when either is not a date.
std::optional<int> days_until(std::string_view today, std::string_view day);

}  // namespace seba::nise
