// SPDX-License-Identifier: Apache-2.0
#include "seba/kiosk_clock.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "seba/logging.hpp"
#include "seba/storage.hpp"

namespace seba {

namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using Clock = KioskClock::Clock;

constexpr const char* kStateKey = "clock.state";
// The Date header counts whole seconds, and the request took some time: an estimate this
// close to the offset already known says nothing new.
constexpr milliseconds kDatePrecision{1500};

nanoseconds boot_time() {
    timespec t{};
    ::clock_gettime(CLOCK_BOOTTIME, &t);  // counts suspend too, unlike CLOCK_MONOTONIC
    return std::chrono::seconds(t.tv_sec) + nanoseconds(t.tv_nsec);
}

std::string read_boot_id() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

std::string iso(Clock::time_point t) {
    auto ms = std::chrono::duration_cast<milliseconds>(t.time_since_epoch()) % 1000;
    if (ms.count() < 0) ms += milliseconds(1000);
    auto whole = std::chrono::floor<std::chrono::seconds>(t);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(Clock::to_time_t(whole)),
                       ms.count());
}

// "+2 h 0 min 3 s" style, for the log.
std::string span(milliseconds d) {
    long long s = std::llabs(d.count()) / 1000;
    return fmt::format("{}{} s ({}d {:02}:{:02}:{:02})", d.count() < 0 ? "-" : "+", s, s / 86400,
                       s / 3600 % 24, s / 60 % 60, s % 60);
}

}  // namespace

std::string KioskTime::iso() const {
    return seba::iso(at);
}

struct KioskClock::Impl {
    Sources sources;
    mutable std::mutex mutex;
    milliseconds offset{0};
    bool checked = false;
    bool learned_here = false;  // from a server reply in this process: fresher than any file
    bool loaded = false;        // the database was read once: the host and the sync client
                                // both ask, and a jump must be counted once
    bool dirty = false;
    bool has_anchor = false;
    nanoseconds anchor{0};  // wall clock minus time since boot, when last looked at

    nanoseconds wall_minus_boot() const {
        return sources.wall().time_since_epoch() - sources.since_boot();
    }

    // A wall clock that moved against the monotonic one by more than a slew jumped: what the
    // offset corrected is now off by the jump (when the offset was the server's word).
    void follow_jumps(nanoseconds now_anchor, const char* since) {
        if (has_anchor) {
            auto jump = std::chrono::duration_cast<milliseconds>(now_anchor - anchor);
            if (std::chrono::abs(jump) > kJumpThreshold) {
                logging::get("clock")->warn(
                    "the local clock jumped by {} {}; {}", span(jump), since,
                    checked ? "the kiosk keeps the server's time through it"
                            : "the kiosk's clock is not checked against the server's yet");
                if (checked) offset -= jump;
                dirty = true;
            }
        }
        anchor = now_anchor;
        has_anchor = true;
    }
};

KioskClock::KioskClock()
    : KioskClock(Sources{[] { return Clock::now(); }, boot_time, read_boot_id()}) {
}

KioskClock::KioskClock(Sources sources) : impl_(std::make_unique<Impl>()) {
    impl_->sources = std::move(sources);
}

KioskClock::~KioskClock() = default;

KioskClock& KioskClock::instance() {
    static KioskClock clock;
    return clock;
}

KioskTime KioskClock::now() {
    std::lock_guard lock(impl_->mutex);
    Clock::time_point wall = impl_->sources.wall();
    impl_->follow_jumps(wall.time_since_epoch() - impl_->sources.since_boot(), "while running");
    return {wall + impl_->offset, impl_->checked};
}

std::chrono::milliseconds KioskClock::offset() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->offset;
}

bool KioskClock::checked() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->checked;
}

bool KioskClock::learn(Clock::time_point date, Clock::time_point sent, Clock::time_point received) {
    std::lock_guard lock(impl_->mutex);
    impl_->follow_jumps(impl_->wall_minus_boot(), "while waiting for the server");
    // The server wrote its Date somewhere in the half second after a whole second, while the
    // request was on its way: compare it with the middle of the exchange.
    const Clock::time_point local = sent + (received - sent) / 2;
    const auto estimate =
        std::chrono::duration_cast<milliseconds>(date + milliseconds(500) - local);
    const bool news =
        !impl_->checked || std::chrono::abs(estimate - impl_->offset) > kDatePrecision;
    if (news) {
        auto log = logging::get("clock");
        if (std::chrono::abs(estimate) > kDatePrecision)
            log->info("this kiosk's clock is {} off the server's; it stamps the server's time",
                      span(-estimate));
        else if (impl_->checked)
            log->info("this kiosk's clock agrees with the server's again");
        impl_->offset = estimate;
        impl_->dirty = true;
    }
    impl_->checked = true;
    impl_->learned_here = true;
    return news;
}

void KioskClock::load(Database& db) {
    std::optional<std::string> text = read_core_value(db, kStateKey);
    std::lock_guard lock(impl_->mutex);
    if (impl_->learned_here || impl_->loaded) return;
    impl_->loaded = true;
    if (!text) return;
    // Written by this code, but a database can be damaged or edited: what cannot be read is
    // as if nothing were known.
    nlohmann::json state = nlohmann::json::parse(*text, nullptr, false);
    milliseconds stored_offset{0}, stored_anchor{0};
    bool stored_checked = false;
    std::string stored_boot, last_known;
    try {
        if (!state.is_object()) return;
        stored_offset = milliseconds(state.value("offset_ms", std::int64_t{0}));
        stored_anchor = milliseconds(state.value("anchor_ms", std::int64_t{0}));
        stored_checked = state.value("checked", false);
        stored_boot = state.value("boot_id", "");
        last_known = state.value("server_time", "");
    } catch (const nlohmann::json::exception&) {
        return;
    }
    const bool same_boot = stored_boot == impl_->sources.boot_id && !stored_boot.empty();
    impl_->offset = stored_offset;
    impl_->checked = same_boot && stored_checked;
    auto log = logging::get("clock");
    if (same_boot) {
        // The anchor then: the same clocks, so any difference is the wall clock's doing.
        impl_->anchor = stored_anchor;
        impl_->has_anchor = state.contains("anchor_ms");
        impl_->follow_jumps(impl_->wall_minus_boot(), "since the kiosk last ran");
        return;
    }
    impl_->follow_jumps(impl_->wall_minus_boot(), "");
    // A new boot: the offset stays as the best guess, unchecked. A clock now earlier than the
    // last time the server stated was surely reset at boot.
    const std::string now = iso(impl_->sources.wall() + impl_->offset);
    if (!last_known.empty() && now < last_known)
        log->warn(
            "the local clock is earlier than the last time the server stated ({}): it was "
            "probably reset at boot; times are marked unchecked until the server is reached",
            last_known);
    else if (stored_checked)
        log->info(
            "a new boot: the clock's offset ({} ms) is kept as a guess until the server "
            "is reached",
            stored_offset.count());
}

void KioskClock::save(Database& db) {
    nlohmann::json state;
    {
        std::lock_guard lock(impl_->mutex);
        // A jump since the last look belongs to the offset saved with the new anchor.
        impl_->follow_jumps(impl_->wall_minus_boot(), "while running");
        if (!impl_->dirty) return;
        const Clock::time_point wall = impl_->sources.wall();
        state = {{"offset_ms", impl_->offset.count()},
                 {"checked", impl_->checked},
                 {"boot_id", impl_->sources.boot_id},
                 {"anchor_ms", std::chrono::duration_cast<milliseconds>(wall.time_since_epoch() -
                                                                        impl_->sources.since_boot())
                                   .count()},
                 {"server_time", impl_->checked ? iso(wall + impl_->offset) : ""}};
        impl_->dirty = false;
    }
    write_core_value(db, kStateKey, state.dump(), "system");
}

KioskTime kiosk_now() {
    return KioskClock::instance().now();
}

}  // namespace seba
