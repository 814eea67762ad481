// SPDX-License-Identifier: Apache-2.0
#pragma once

// The evidence's SQL over the SQLite store's tables (docs/civil-service.md), apart from the
// store so that the queries read as one piece.

#include "seba/server/evidence.hpp"
#include "seba/storage.hpp"

namespace seba::server {

/// The figures of a filter that check() accepted, from `db` (a connection of the store).
Evidence compute_evidence(Database& db, EvidenceLevel level, const EvidenceFilter& filter);

}  // namespace seba::server
