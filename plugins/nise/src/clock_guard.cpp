// SPDX-License-Identifier: Apache-2.0
#include "clock_guard.hpp"

#include <charconv>

namespace seba::nise {

namespace {

using std::chrono::system_clock;

// Version 1 of the plugin's namespace: Desk::migrations() puts the guard's first.
constexpr Migration kMigrations[] = {
    {1, "the latest time the kiosk trusted, so a clock set back cannot reopen what closed", R"sql(
CREATE TABLE nise__clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    trusted_ms INTEGER NOT NULL,  -- Unix milliseconds of a time corrected by the server
    trusted_at TEXT NOT NULL      -- the same, UTC ISO 8601, for a person reading the table
);
)sql"},
};

// A trusted time is written at most this often: today() is asked every frame.
constexpr auto kSaveEvery = std::chrono::minutes(1);

std::optional<std::chrono::sys_days> parse_day(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
        int value = 0;
        const char* first = text.data() + from;
        for (std::size_t i = 0; i < length; ++i)
            if (first[i] < '0' || first[i] > '9') return std::nullopt;
        std::from_chars(first, first + length, value);
        return value;
    };
    auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
    if (!y || !m || !d) return std::nullopt;
    const std::chrono::year_month_day day{std::chrono::year(*y),
                                          std::chrono::month(static_cast<unsigned>(*m)),
                                          std::chrono::day(static_cast<unsigned>(*d))};
    if (!day.ok()) return std::nullopt;  // 2026-02-30, month 13
    return std::chrono::sys_days(day);
}

std::int64_t unix_ms(system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::span<const Migration> ClockGuard::migrations() {
    return kMigrations;
}

ClockGuard::ClockGuard(PluginStore& store, std::chrono::minutes utc_offset)
    : store_(store), utc_offset_(utc_offset) {
    Statement q = store_.prepare("SELECT trusted_ms FROM nise__clock WHERE id = 1");
    if (q.step()) {
        trusted_ = system_clock::time_point(std::chrono::milliseconds(q.integer(0)));
        saved_ = trusted_;
    }
}

std::string ClockGuard::today(const KioskTime& now) {
    // Only a time corrected by the server since boot is remembered: an unchecked clock that
    // jumped forward would otherwise hide every opportunity for good.
    if (now.checked && now.at > trusted_) {
        trusted_ = now.at;
        if (trusted_ - saved_ >= kSaveEvery) {
            const KioskTime stamp{trusted_, true};
            try {
                store_.transaction([&] {
                    store_
                        .prepare(
                            "INSERT INTO nise__clock (id, trusted_ms, trusted_at) VALUES (1, ?, ?) "
                            "ON CONFLICT (id) DO UPDATE SET trusted_ms = excluded.trusted_ms, "
                            "trusted_at = excluded.trusted_at")
                        .bind_all(unix_ms(trusted_), stamp.iso())
                        .run();
                });
            } catch (const Error&) {
                // A full or busy disk: the time is still trusted in memory, and tried again
                // a minute later rather than every frame.
            }
            saved_ = trusted_;
        }
    }
    held_back_ = now.at < trusted_;
    const system_clock::time_point at = held_back_ ? trusted_ : now.at;
    const auto local = std::chrono::floor<std::chrono::days>(at + utc_offset_);
    const std::chrono::year_month_day day{local};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return text;
}

std::string ClockGuard::trusted_until() const {
    if (trusted_ == system_clock::time_point{}) return "";
    return KioskTime{trusted_, true}.iso();
}

std::optional<int> days_until(std::string_view today, std::string_view day) {
    const auto from = parse_day(today), to = parse_day(day);
    if (!from || !to) return std::nullopt;
    return static_cast<int>((*to - *from).count());
}

}  // namespace seba::nise
