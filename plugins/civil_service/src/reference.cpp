// SPDX-License-Identifier: Apache-2.0
#include "reference.hpp"

#include "seba/reference.hpp"
#include "validators.hpp"  // normalise_tracking: the Digital Centre's own reading

namespace seba::civil {

namespace {
// A real month and day of a month (the year is any two digits).
bool plausible_day(const std::string& yymmdd) {
    const int month = std::stoi(yymmdd.substr(2, 2));
    const int day = std::stoi(yymmdd.substr(4, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
}  // namespace

std::string make_reference(std::string_view centre_code, std::string_view day, std::string_view tag,
                           long long seq) {
    return reference::make(centre_code, 'G', day, tag, seq);
}

ReadReference read_reference(std::string_view typed, std::string_view centre_code) {
    ReadReference result;
    result.reference = reference::read(typed, centre_code, 'G');
    if (!result.reference && typed.size() <= 200) {
        // A request's tracking number ("DHK1-261128-A7-0042"): a real day, and no G before it
        // (a complaint's reference with a mistyped day is not a request's number).
        if (std::optional<std::string> t = dc::normalise_tracking(typed)) {
            const std::size_t seq = t->rfind('-'), tag = t->rfind('-', seq - 1),
                              day = t->rfind('-', tag - 1);
            result.request_tracking = day != std::string::npos && day > 0 &&
                                      plausible_day(t->substr(day + 1, 6)) && (*t)[day - 1] != 'G';
        }
    }
    return result;
}

}  // namespace seba::civil
