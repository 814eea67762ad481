// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

namespace seba::kiosk {

/// The kiosk's side of systemd's Type=notify service with a watchdog (seba-kiosk.service):
/// "READY=1" once the first frame is on screen, then "WATCHDOG=1" from the render loop, so
/// a loop that hangs (a plugin stuck in a call, a wedged GL driver) stops the pings and
/// systemd kills and restarts the kiosk. Outside systemd (no NOTIFY_SOCKET) it does nothing.
class ServiceWatchdog {
  public:
    using Clock = std::chrono::steady_clock;

    /// Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment. The kiosk
    /// runs as the child of its compositor (cage), which systemd sees as the main process, so
    /// a WATCHDOG_PID naming the parent counts as ours too.
    ServiceWatchdog();

    /// True under a service manager that listens (NOTIFY_SOCKET is set).
    bool active() const { return active_; }
    /// How often the render loop must come round: half the watchdog's timeout; zero when
    /// there is no watchdog.
    Clock::duration ping_every() const { return ping_every_; }

    /// Once the kiosk is on screen: READY=1 (sent once).
    void ready();
    /// From the render loop, every frame: WATCHDOG=1 when ping_every() has passed.
    void alive(Clock::time_point now);

  private:
    bool active_ = false;
    bool ready_sent_ = false;
    Clock::duration ping_every_{};
    Clock::time_point last_ping_{};
};

}  // namespace seba::kiosk
