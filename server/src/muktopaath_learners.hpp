// SPDX-License-Identifier: Apache-2.0
#pragma once

// The server's projection of MuktoPaath's events (docs/muktopaath.md, "The learners channel"):
// each newly accepted muktopaath.* event updates the learner's record on the per-centre channel
// muktopaath.learners, in the transaction that stores the event, so a re-sent event (a
// duplicate, never accepted twice) changes nothing. Merges are monotone (furthest page, done
// once done, most attempts, latest attempt, passed once passed), so events may come in any
// order; one about a learner whose enrolment has not arrived yet waits for it.

#include <optional>
#include <string>

#include "seba/server/store.hpp"
#include "seba/storage.hpp"

namespace seba::server::muktopaath {

/// The tables the projection keeps beside the channel (a server migration).
inline constexpr const char* kSchema = R"sql(
CREATE TABLE server__muktopaath_learners (
    centre TEXT NOT NULL,
    learner TEXT NOT NULL,
    login TEXT NOT NULL,
    PRIMARY KEY (centre, learner)
);
CREATE TABLE server__muktopaath_waiting (
    seq INTEGER PRIMARY KEY,
    centre TEXT NOT NULL,
    learner TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX server__muktopaath_waiting_by_learner ON server__muktopaath_waiting (centre, learner);
)sql";

/// Applies `event` if it is one of MuktoPaath's; returns why it was left out of the channel
/// (a payload it cannot read), or nullopt. Runs inside the caller's transaction.
std::optional<std::string> project(Database& db, const StoredEvent& event);

}  // namespace seba::server::muktopaath
