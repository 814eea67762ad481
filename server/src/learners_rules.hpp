// SPDX-License-Identifier: Apache-2.0
#pragma once

// MuktoPaath's learners projection without its storage (docs/muktopaath.md, "The learners
// channel"): reading an event, and merging it into a learner's record. The SQLite store
// (muktopaath_learners.cpp) and the PostgreSQL store (pg_learners.cpp) keep the records and
// the waiting events; both merge through these, so both publish the same records.
// Pure: no SQL, no state.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "event_payload.hpp"
#include "seba/server/store.hpp"

namespace seba::server::muktopaath {

inline constexpr std::string_view kChannel = "muktopaath.learners";
/// Events that wait for their learner's enrolment, per centre.
inline constexpr std::size_t kMaxWaiting = 10000;
inline constexpr std::string_view kEnrolled = "muktopaath.enrolled";

/// Whether the learners projection reads `event` (and may leave it out): its type is
/// muktopaath.*. The stores' project() look at nothing else first.
inline bool concerns_learners(const StoredEvent& event) {
    return event.type.starts_with("muktopaath.");
}

/// A muktopaath.* event read far enough to find its learner.
struct Read {
    nlohmann::json payload;
    std::string learner;  ///< 32 lower-case hex
    // An enrolment:
    std::string login;  ///< 64 lower-case hex: the record's key on the channel
    std::string box;
};
/// Reads an event's payload and learner (and, for an enrolment, its login and box); throws
/// payload::Unreadable (or nlohmann's json::exception) with why it is left out.
Read read_event(const StoredEvent& event);

/// Applies one event to a learner's record: monotone merges (furthest page, done once done,
/// most attempts, latest attempt, passed once passed, the best certificate). Throws
/// payload::Unreadable for an event it cannot apply.
void apply(nlohmann::json& record, std::string_view type, const nlohmann::json& p,
           std::string_view created_at);

/// A record as the channel keeps it (nullopt: absent, a tombstone or not an object).
std::optional<nlohmann::json> record_from(const std::optional<std::string>& data);
/// An enrolment's record: the one the learner had (if any) with its learner, box and courses
/// filled in where missing.
nlohmann::json enrolled_record(std::optional<nlohmann::json> had, const Read& enrolment);
/// The record's text as published; throws payload::Unreadable when too large for a record.
std::string record_text(const nlohmann::json& record);
/// Why the projection cannot write its channel.
std::string channel_not_per_centre_reason();

}  // namespace seba::server::muktopaath
