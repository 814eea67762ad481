// SPDX-License-Identifier: Apache-2.0
// INTERIM (lead's contract commit): replaced by the guard's implementation.
#include "clock_guard.hpp"

namespace seba::nise {

std::span<const Migration> ClockGuard::migrations() { return {}; }
ClockGuard::ClockGuard(PluginStore& store, std::chrono::minutes utc_offset)
    : store_(store), utc_offset_(utc_offset) {}
std::string ClockGuard::today(const KioskTime& now) { return now.iso().substr(0, 10); }
std::string ClockGuard::trusted_until() const { return ""; }
std::optional<int> days_until(std::string_view, std::string_view) { return std::nullopt; }

}  // namespace seba::nise
