// SPDX-License-Identifier: Apache-2.0
#pragma once

/// NISE on the server (docs/nise.md, "On the server"): the profiles kiosks save, published per
/// centre on "nise.profiles"; withdrawals that delete them for good; the referrals kiosks
/// send, kept once per (centre, reference) for the employers' list; and the answers an
/// administrator publishes on "nise.referrals". The events are checked and projected by the
/// store, in the transaction that stores them (see Store::why_rejected for the reasons).

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace seba::server {

class Store;
class SealKeys;

namespace nise {

/// One referral as the server keeps it.
struct Referral {
    std::string centre;
    std::string reference;  ///< as the kiosk made it: [A-Z0-9-]{1,40}
    std::string opportunity;
    std::string kind;         ///< job, training or apprenticeship
    std::string received_at;  ///< UTC ISO 8601, when the server stored it
    std::string status;       ///< "sent" until answered; then received, interview, ...
    std::string answered_at;  ///< "" until answered
    /// The event's payload as stored: its "profile" and "sealed" are gone once the citizen
    /// withdrew their profile.
    std::string payload;
};

/// What an administrator answers to a referral.
struct Answer {
    std::string centre;
    std::string reference;  ///< as typed: any case, spaces ignored
    std::string status;     ///< received, interview, accepted or rejected
    /// A note for the citizen by language tag: at most 8 languages, each 1 to 500 characters.
    std::map<std::string, std::string> note;
};

/// Publishes the answer on the centre's "nise.referrals" (replace=false), keeps its status for
/// the employers' list and audits it as "nise.referral_answered" by `actor` (the note stays out
/// of the audit log). Throws seba::Error for an unknown centre, a status that is not one, a
/// bad note, or a reference no referral received from that centre carries. Returns true for
/// a first answer, false when it updated one.
bool answer(Store& store, const Answer& answer, std::string_view actor);

/// Which referrals the employers' list shows: "" for any.
struct ListFilter {
    std::string centre;
    std::string opportunity;
};

/// The referrals `filter` selects, oldest first. Throws seba::Error for an unknown centre or
/// an opportunity id that is not one.
std::vector<Referral> referrals(Store& store, const ListFilter& filter);

/// The employers' list: reference, centre, opportunity, kind, received_at, status,
/// answered_at, education, skills (with verified marks), languages and place; with `contacts`
/// (the server's keys) also the name and phone opened from the sealed fields ("" when they do
/// not open or were withdrawn). A JSON array, one object per referral.
std::string referrals_json(const std::vector<Referral>& list, const SealKeys* contacts = nullptr);
/// The same as CSV (RFC 4180, CRLF, a header row; a cell a spreadsheet would read as a
/// formula starts with '). Skills are "id" or "id (verified)" joined by "; ".
std::string referrals_csv(const std::vector<Referral>& list, const SealKeys* contacts = nullptr);

}  // namespace nise
}  // namespace seba::server
