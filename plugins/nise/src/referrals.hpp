// SPDX-License-Identifier: Apache-2.0
#pragma once

// Referrals: a citizen with a saved, consented profile asks to be put forward for an
// opportunity. The referral is written with its event "nise.referral" (the profile's skills,
// education, languages and place; name and phone sealed) and the slip's print job in one
// transaction, under a reference the citizen keeps ("DEMO1-N261207-A7-0001"). The employer's
// or provider's answer (received, interview, accepted, rejected) comes back on the per-centre
// channel nise.referrals (docs/nise.md, "Referrals").

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <seba/sdk.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalog.hpp"
#include "profile.hpp"

namespace seba::nise {

/// Why a referral cannot be made (shown to the citizen).
class ReferralRefused : public std::runtime_error {
  public:
    enum class Why { NotSaved, NoConsent, Withdrawn, Closed, Full, AlreadyReferred };
    ReferralRefused(Why reason, const std::string& what) : std::runtime_error(what), why(reason) {}
    Why why;
};

struct Referral {
    std::string reference;
    std::string opportunity;
    std::string referred_at;  ///< UTC ISO 8601 by the kiosk's corrected clock
};

/// The answer an employer or provider sent back.
struct ReferralAnswer {
    std::string status;  ///< received, interview, accepted, rejected
    std::string answered_at;
    Names note;  ///< may be empty
    bool closed() const { return status == "accepted" || status == "rejected"; }
};
/// Reads a record of nise.referrals; nullopt when it is not an answer.
std::optional<ReferralAnswer> read_referral_answer(const nlohmann::json& data);

/// Referrals made here, for the operator.
struct ReferralSummary {
    std::vector<Referral> newest;  ///< newest first, at most the limit asked
    std::size_t total = 0;
    std::map<std::string, std::size_t, std::less<>> by_status;  ///< "sent" until answered
};

class ReferralBook {
  public:
    static std::span<const Migration> migrations();

    ReferralBook(PluginStore& store, ProfileBook& profiles, std::string centre_code);

    /// Refers `citizen` to `opportunity`, open on `today`: the row, its event and `also(ref)`
    /// (the slip's print job) in one transaction; returns the reference. Throws
    /// ReferralRefused, or what the store throws with nothing kept.
    std::string refer(const Citizen& citizen, const Opportunity& opportunity,
                      std::string_view today,
                      const std::function<void(const std::string&)>& also);

    std::optional<Referral> find(std::string_view reference);
    /// The citizen's referrals made at this kiosk, newest first.
    std::vector<Referral> of(std::string_view login);
    /// The answer to `reference`, if one came.
    std::optional<ReferralAnswer> answer(std::string_view reference);
    ReferralSummary summary(std::size_t limit);

    /// What the citizen typed, read as a reference of this centre (any case, spaces or
    /// dashes, native digits); nullopt when it is not one.
    std::optional<std::string> read_reference(std::string_view typed) const;
    const std::string& centre_code() const { return centre_code_; }

  private:
    PluginStore& store_;
    ProfileBook& profiles_;
    std::string centre_code_;
    reference::Numbering numbering_;  ///< this kiosk's tag and the day's sequence ("N")
};

}  // namespace seba::nise
