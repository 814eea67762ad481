// SPDX-License-Identifier: Apache-2.0
#include "service_watchdog.hpp"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace seba::kiosk {

namespace {

// An environment variable as an unsigned number; nullopt-like 0 when absent or malformed.
unsigned long long env_number(const char* name) {
    const char* text = std::getenv(name);
    if (!text) return 0;
    std::string_view view(text);
    unsigned long long value = 0;
    auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
    return error == std::errc() && end == view.data() + view.size() ? value : 0;
}

}  // namespace

ServiceWatchdog::ServiceWatchdog() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    active_ = socket && *socket;
    if (!active_) return;
    // sd_watchdog_enabled() refuses a WATCHDOG_PID other than ours; under cage, systemd's
    // main process is the compositor, our parent. Any other process's watchdog is not ours.
    const unsigned long long pid = env_number("WATCHDOG_PID");
    const bool ours = pid == 0 || pid == static_cast<unsigned long long>(getpid()) ||
                      pid == static_cast<unsigned long long>(getppid());
    const unsigned long long usec = env_number("WATCHDOG_USEC");
    if (ours && usec > 0) ping_every_ = std::chrono::microseconds(usec / 2);
}

void ServiceWatchdog::ready() {
    if (!active_ || ready_sent_) return;
    sd_notify(0, "READY=1\nSTATUS=Showing the kiosk");
    ready_sent_ = true;
}

void ServiceWatchdog::alive(Clock::time_point now) {
    if (!active_ || ping_every_ == Clock::duration::zero()) return;
    // At most every quarter of the timeout, so a busy loop does not flood the socket; the
    // loop itself comes round at least every half (ping_every()).
    if (now - last_ping_ < ping_every_ / 2) return;
    sd_notify(0, "WATCHDOG=1");
    last_ping_ = now;
}

}  // namespace seba::kiosk
