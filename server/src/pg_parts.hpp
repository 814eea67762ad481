// SPDX-License-Identifier: Apache-2.0
#pragma once

// The PostgreSQL store's parts that live apart from pg_store.cpp, as the SQLite store's do
// (evidence_sql.hpp, nise_events.hpp, muktopaath_learners.hpp): each runs inside the
// caller's transaction, so that what a push stores and what it projects commit together.
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "evidence_rules.hpp"
#include "learners_rules.hpp"
#include "nise_rules.hpp"
#include "seba/server/evidence.hpp"
#include "seba/server/nise.hpp"
#include "seba/server/store.hpp"

namespace seba::server::pg {

// --- pg_store.cpp ---

/// Whether a newly inserted `event` goes through a part below that may reject it
/// (fit_for_evidence, nise::take) or leave it out of a projection (muktopaath::project): each
/// part's own first test, so this cannot drift from them. The push opens a savepoint only for
/// these; every other event is stored as it comes, many in one statement.
inline bool checked_on_push(const StoredEvent& event) {
    return may_concern_evidence(event) || server::nise::concerns_nise(event) ||
           server::muktopaath::concerns_learners(event);
}

/// Writes one record of a per-centre channel (`data` none: a tombstone) as the channel's
/// next version, creating the channel as per-centre if it is new; nothing when the record
/// is already so. Throws seba::Error when the channel is published for every centre.
/// Takes the channel's row lock, so versions commit in order.
void put_centre_record(pqxx::work& tx, std::string_view channel, std::string_view centre,
                       std::string_view key, const std::optional<std::string>& data);
/// The data of one record of a channel in `scope` (none: absent or a tombstone).
std::optional<std::string> centre_record(pqxx::work& tx, std::string_view channel,
                                         std::string_view scope, std::string_view key);

// --- pg_evidence.cpp (the evidence's SQL, as evidence_sql.hpp's) ---

/// The figures of a filter that check() accepted.
Evidence compute_evidence(pqxx::work& tx, EvidenceLevel level, const EvidenceFilter& filter);
/// Whether `event`, just inserted in tx, may stay (as seba::server::fit_for_evidence).
bool fit_for_evidence(pqxx::work& tx, const StoredEvent& event);

// --- pg_nise.cpp (as nise_events.hpp's) ---
namespace nise {
/// The tables (a migration of the PostgreSQL store).
extern const char* const kSchema;
std::optional<std::string> take(pqxx::work& tx, const StoredEvent& event);
std::string rejection(pqxx::work& tx, const StoredEvent& event);
std::vector<server::nise::Referral> list(pqxx::work& tx, std::string_view centre,
                                         std::string_view opportunity);
std::optional<server::nise::Referral> find(pqxx::work& tx, std::string_view centre,
                                           std::string_view reference);
void set_status(pqxx::work& tx, std::string_view centre, std::string_view reference,
                std::string_view status, std::string_view answered_at);
}  // namespace nise

// --- pg_learners.cpp (as muktopaath_learners.hpp's) ---
namespace muktopaath {
/// The tables (a migration of the PostgreSQL store).
extern const char* const kSchema;
/// Applies `event` if it is one of MuktoPaath's; why it was left out, or nullopt.
std::optional<std::string> project(pqxx::work& tx, const StoredEvent& event);
}  // namespace muktopaath

}  // namespace seba::server::pg
