// SPDX-License-Identifier: Apache-2.0
#pragma once

// NISE's rules for a pushed nise.* event that need no store (docs/nise.md, "On the server"):
// what its payload must be, and the texts the store writes and answers. The SQLite store
// (nise.cpp) and the PostgreSQL store (pg_nise.cpp) both check and write through these, so
// that both refuse the same events with the same reasons and publish the same records.
// Pure: no SQL, no state.

#include <cstdint>
#include <string>
#include <string_view>

#include "event_payload.hpp"
#include "seba/server/store.hpp"

namespace seba::server::nise {

inline constexpr std::string_view kProfilesChannel = "nise.profiles";
inline constexpr std::string_view kReferralsChannel = "nise.referrals";
inline constexpr std::string_view kSaved = "nise.profile_saved";
inline constexpr std::string_view kWithdrawn = "nise.profile_withdrawn";
inline constexpr std::string_view kReferral = "nise.referral";

/// Whether NISE checks (and may refuse) `event`: its type is nise.*. The stores' take() and
/// rejection() look at nothing else first; the PostgreSQL store opens a savepoint only for
/// events a check like this one claims.
inline bool concerns_nise(const StoredEvent& event) {
    return event.type.starts_with("nise.");
}

/// What NISE refuses; the shared payload reader throws the same.
using Refused = payload::Unreadable;

/// A nise.* event whose content passed every check that needs no store.
struct Checked {
    enum class Kind { Saved, Withdrawn, Referral };
    Kind kind = Kind::Saved;
    std::string login;  ///< the kiosk's hash of phone + return code: 64 lower-case hex
    // A save:
    std::string box;
    std::string saved_at;    ///< as the kiosk wrote it
    std::string saved_when;  ///< comparable_time(saved_at)
    // A referral:
    std::string reference;
    std::string opportunity;
    std::string referral_kind;  ///< job, training or apprenticeship
};

/// Reads and checks a nise.* event's payload, in the order the checks have always run.
/// Throws Refused with the reason (or nlohmann's json::exception for a payload it cannot
/// read), as take() reports them.
Checked check_event(const StoredEvent& event);

/// A catalog id (a skill or an opportunity): [a-z0-9._-]{1,64}.
bool catalog_id(std::string_view s);
/// A referral's reference as the kiosk makes it: [A-Z0-9-]{1,40}.
bool reference_text(std::string_view s);
/// A BCP 47 tag as the kiosk's languages are written ("bn", "uz-Latn").
bool language_tag(std::string_view tag);

/// "YYYY-MM-DDTHH:MM:SS[.fraction]Z" made comparable as text (the fraction to 9 digits);
/// throws Refused otherwise. The newest save of a profile wins by this.
std::string comparable_time(const std::string& at);

/// Why an event about a withdrawn profile is refused.
std::string withdrawn_reason(std::string_view centre);
/// Why a referral is refused whose reference another referral of the centre took.
std::string reference_taken_reason(std::string_view reference, std::string_view centre);
/// Why an event of another type was handed to NISE.
std::string not_nise_reason(std::string_view type);

/// The record of a saved profile on nise.profiles.
std::string profile_record(std::string_view box, std::string_view saved_at);
/// The marker a withdrawal leaves on nise.profiles: no data of the citizen's.
std::string withdrawn_record(std::string_view at);
/// The audit log's detail of a withdrawal that cleared `cleared` events' citizen data.
std::string withdrawal_audit_detail(std::string_view centre, std::int64_t cleared);
/// The audit log's action of a withdrawal.
inline constexpr std::string_view kWithdrawalAction = "nise.profile_withdrawn";

}  // namespace seba::server::nise
