// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the checks (validators.cpp) and the rule records' reader (rule_records.cpp) share.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "validators.hpp"

namespace seba::dc::detail {

/// A day in some calendar, months from 1.
struct Ymd {
    int year = 0;
    int month = 0;
    int day = 0;
    auto operator<=>(const Ymd&) const = default;
};

/// The message slots a kind has ("length", "landline", ...), "required" and "unreadable"
/// included; and those that a record's "problem" sets (the kind's main message).
std::span<const std::string_view> slots(RuleKind kind);
std::span<const std::string_view> main_slots(RuleKind kind);

/// `date` (in `calendar`) as a Gregorian date, or nullopt when it does not exist there.
std::optional<Ymd> to_gregorian(const std::string& calendar, const Ymd& date);
/// The Gregorian `date` in `calendar`; nullopt if ICU cannot say.
std::optional<Ymd> from_gregorian(const std::string& calendar, const Ymd& date);
/// DD-MM-YYYY, or YYYY-MM-DD when `year_first`.
std::string format_date(const Ymd& date, bool year_first);

}  // namespace seba::dc::detail
