// SPDX-License-Identifier: Apache-2.0
#pragma once

// A complaint's reference, "DHK1-G261128-A7-0003": this centre's code, G and the day it was
// filed (YYMMDD), this kiosk's two-letter tag, the day's sequence. Like the Digital Centre's
// tracking numbers ("DHK1-261128-A7-0042") but told apart by the G, so that neither is ever
// taken for the other. A citizen reads it off the slip and types it back in any case, with
// spaces, dashes or nothing between the groups, and in Bangla or other native digits.

#include <optional>
#include <string>
#include <string_view>

namespace seba::civil {

/// The reference of the day's `seq`th complaint on the kiosk tagged `tag` at centre
/// `centre_code`, filed on `day` (YYYY-MM-DD).
std::string make_reference(std::string_view centre_code, std::string_view day, std::string_view tag,
                           long long seq);

/// What a citizen typed, read as a reference.
struct ReadReference {
    /// The reference as it was made, when what was typed is one. `centre_code` (this
    /// kiosk's) is given back as configured when what was typed names it.
    std::optional<std::string> reference;
    /// Not a reference, but a Digital Centre request's tracking number: say where to check it.
    bool request_tracking = false;
};

/// Reads `typed` (at most 200 bytes are looked at; more is not a reference). Letters in any
/// case; spaces, dashes, dots, slashes or nothing between groups; any Unicode decimal digits;
/// O and I for 0 and 1 where digits belong.
ReadReference read_reference(std::string_view typed, std::string_view centre_code);

}  // namespace seba::civil
