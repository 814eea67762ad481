// SPDX-License-Identifier: Apache-2.0
#pragma once

// The store's side of NISE (docs/nise.md, "On the server"): the tables beside the events,
// the checks a nise.* event must pass to be stored, and its projection, run in the
// transaction that stores the event so that a re-sent event (a duplicate, never accepted
// twice) changes nothing.

#include <optional>
#include <string>
#include <vector>

#include "seba/server/nise.hpp"
#include "seba/server/store.hpp"
#include "seba/storage.hpp"

namespace seba::server::nise {

/// The tables (a server migration). Logins are the kiosk's hashes of phone + return code;
/// nothing here names a citizen.
inline constexpr const char* kSchema = R"sql(
CREATE TABLE server__nise_profiles (
    centre TEXT NOT NULL,
    login TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    device TEXT NOT NULL,
    uuid TEXT NOT NULL,
    PRIMARY KEY (centre, login)
);
CREATE TABLE server__nise_withdrawn (
    centre TEXT NOT NULL,
    login TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (centre, login)
);
CREATE TABLE server__nise_referrals (
    centre TEXT NOT NULL,
    reference TEXT NOT NULL,
    opportunity TEXT NOT NULL,
    kind TEXT NOT NULL,
    login TEXT NOT NULL,
    received_at TEXT NOT NULL,
    device TEXT NOT NULL,
    uuid TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'sent',
    answered_at TEXT,
    PRIMARY KEY (centre, reference)
);
CREATE INDEX server__nise_referrals_by_opportunity ON server__nise_referrals (opportunity);
CREATE INDEX server__nise_referrals_by_login ON server__nise_referrals (centre, login);
)sql";

/// Checks a newly inserted nise.* event and applies it, inside the caller's transaction.
/// Returns why it must be rejected (the caller rolls back), or nullopt: stored and projected.
/// Other events: nullopt, nothing done.
std::optional<std::string> take(Database& db, const StoredEvent& event);

/// Why take() rejected `event`, asked after its transaction (a withdrawal and a referral stay
/// once made, so the answer is the same); "" when it would not reject it now.
std::string rejection(Database& db, const StoredEvent& event);

/// The referrals of `centre` ("" any) for `opportunity` ("" any), oldest first.
std::vector<Referral> list(Database& db, std::string_view centre, std::string_view opportunity);
/// The referral of `centre` with this reference (as made), if one was received.
std::optional<Referral> find(Database& db, std::string_view centre, std::string_view reference);
/// Notes an answer's status for the employers' list.
void set_status(Database& db, std::string_view centre, std::string_view reference,
                std::string_view status, std::string_view answered_at);

}  // namespace seba::server::nise
