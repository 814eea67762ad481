// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Time, Cost and Visits (TCV): what a citizen spends to get a service, the evidence Civil
/// Service Reform measures (docs/civil-service.md). Two contracts, read alike by kiosks and
/// seba-server:
///
///  - A *service delivered*: a plugin lists in its manifest's "service_events" which of its
///    events are one, and each such event's payload carries a "tcv" member made by
///    delivered_member(). PluginStore::emit refuses a declared event without a valid one.
///  - An *exit survey*: the citizen's answers about that service, linked to it by its
///    tracking number only, never by who they are; emitted as "tcv.survey" by any plugin
///    with the "survey" capability (record_survey(); the kit's exit_survey screen asks).

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "seba/export.hpp"

namespace seba {
class PluginStore;
}

namespace seba::tcv {

/// The event type of an exit survey's answers.
inline constexpr std::string_view kSurveyEvent = "tcv.survey";

/// One service a citizen received, as its service event says.
struct Delivered {
    std::string tracking;  ///< what the citizen's receipt says; 1-64 printable ASCII
    std::string service;   ///< the catalog's service id: [a-z0-9_.-]{1,64}
    /// UTC ISO 8601 by the kiosk's corrected clock (seba::kiosk_now()); arrived <= ended.
    std::string arrived_at;
    std::string ended_at;
    std::int64_t cost = 0;  ///< what the citizen paid at the centre, whole units of currency
    std::string currency;   ///< ISO 4217, 3 letters; "" when cost is 0
};

/// The "tcv" member a service event's payload carries.
SEBA_API nlohmann::json delivered_member(const Delivered& delivered);
/// Reads a "tcv" member; nullopt with `problem` set (English, for logs and the server's
/// rejection reason) when it is not one.
SEBA_API std::optional<Delivered> read_delivered(const nlohmann::json& member,
                                                 std::string* problem = nullptr);

/// Limits on what a citizen may answer: beyond them an answer is a typo, not a fact.
inline constexpr int kMaxVisits = 30;              ///< visits made for this one service
inline constexpr int kMaxTravelMinutes = 24 * 60;  ///< one way, to the centre today
/// The most a journey or an extra payment may plausibly cost, in whole units of `currency`
/// (BDT 100,000; UZS 10,000,000; others 1,000,000); nullopt for a code that is not 3 letters.
SEBA_API std::optional<std::int64_t> max_plausible_cost(std::string_view currency);

/// A citizen's answers. Every question may be skipped (nullopt); none is required.
struct Survey {
    std::string tracking;  ///< of the service delivered it is about
    std::string service;
    std::optional<int> visits;                 ///< 1..kMaxVisits, this one included
    std::optional<int> travel_minutes;         ///< 0..kMaxTravelMinutes, one way
    std::optional<std::int64_t> travel_cost;   ///< one way, 0..max_plausible_cost
    std::optional<bool> paid_extra;            ///< paid anyone beyond the receipt's fees
    std::optional<std::int64_t> extra_amount;  ///< when paid_extra; 0..max_plausible_cost
    std::optional<int> rating;                 ///< 1 (very bad) .. 5 (very good)
    std::string currency;                      ///< of the costs: the centre's
    std::string language;                      ///< the survey was taken in (a BCP 47 tag)
};

/// What is wrong with an answer, for the citizen (a message id the kit translates).
enum class Problem {
    None,
    VisitsOutOfRange,     ///< "Enter how many times you came: 1 to 30"
    MinutesOutOfRange,    ///< "Enter the minutes of your journey: 0 to 1440"
    CostOutOfRange,       ///< "This amount is too large; check it"
    ExtraWithoutPayment,  ///< an extra amount while paid_extra is not true
    RatingOutOfRange,
    NoTracking,  ///< not linked to a service delivered
};
SEBA_API Problem check(const Survey& survey);
/// The English text of a problem (the msgid the kit and plugins translate).
SEBA_API std::string_view describe(Problem problem);

SEBA_API nlohmann::json survey_payload(const Survey& survey);
/// Reads a "tcv.survey" payload (seba-server); nullopt with `problem` set when it is not
/// one or check() finds a problem.
SEBA_API std::optional<Survey> read_survey(const nlohmann::json& payload,
                                           std::string* problem = nullptr);

/// Emits the survey as "tcv.survey" in one transaction of `store`. Throws seba::Error for
/// answers check() refuses, or when the plugin lacks the "survey" capability.
SEBA_API std::string record_survey(PluginStore& store, const Survey& survey);

}  // namespace seba::tcv
