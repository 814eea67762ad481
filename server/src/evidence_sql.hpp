// SPDX-License-Identifier: Apache-2.0
#pragma once

// The evidence's SQL over the SQLite store's tables (docs/civil-service.md), apart from the
// store so that the queries read as one piece.

#include <string>

#include "seba/server/evidence.hpp"
#include "seba/server/store.hpp"
#include "seba/storage.hpp"

namespace seba::server {

/// The figures of a filter that check() accepted, from `db` (a connection of the store).
Evidence compute_evidence(Database& db, EvidenceLevel level, const EvidenceFilter& filter);

/// What is wrong with a pushed event's content for the evidence: a `tcv` member that
/// seba::tcv::read_delivered refuses, or a "tcv.survey" payload read_survey refuses; "" when
/// nothing is (most events: they carry neither).
std::string evidence_content_problem(const StoredEvent& event);

/// Whether `event`, just inserted in `db`'s open transaction, may stay: its content passes
/// evidence_content_problem() and, for a survey, a service with its tracking number was
/// delivered (stored before it, in this batch too) at its centre.
bool fit_for_evidence(Database& db, const StoredEvent& event);

}  // namespace seba::server
