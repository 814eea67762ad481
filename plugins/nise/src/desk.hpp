// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every NISE screen shares: the plugin's context, the catalog and directory, the guarded
// clock, the matcher (rebuilt when the catalog changes), the books, the printer, and the
// citizen of this session (wiped at its end). Screens hold only what they show.

#include <memory>
#include <optional>
#include <seba/sdk.hpp>
#include <string>

#include "catalog.hpp"
#include "clock_guard.hpp"
#include "matching.hpp"
#include "places.hpp"
#include "profile.hpp"
#include "referrals.hpp"

namespace seba::nise {

class Desk {
  public:
    /// Every table the plugin keeps (the books' and the clock guard's), in order.
    static std::span<const Migration> migrations();

    explicit Desk(PluginContext& context);

    PluginContext& context() { return context_; }
    Catalog& catalog() { return catalog_; }
    Places& places() { return places_; }
    ClockGuard& clock() { return clock_; }
    ProfileBook& profiles() { return profiles_; }
    ReferralBook& referrals() { return referrals_; }
    print::Printer& printer() { return context_.printer(); }

    /// Wrong phone-and-code tries at this kiosk, over sessions: the next citizen does not
    /// start a guesser's count again.
    return_code::SignInLimit& sign_in_limit() { return sign_in_limit_; }

    /// Reads changed channels again and rebuilds the matcher then (every frame).
    void refresh();
    const Matcher& matcher();

    /// The citizen of this session: made empty on first use (their place this centre's).
    Citizen& citizen();
    bool has_citizen() const { return citizen_.has_value(); }
    /// Replaces the session's citizen (a returning citizen signed in).
    void set_citizen(Citizen citizen);
    /// Wipes the citizen (session end, withdrawal).
    void forget_citizen();

    /// The slip of a referral, in the citizen's language: the reference large, its QR code,
    /// the opportunity and its organisation, and how to check the answer.
    print::Document referral_slip(ui::Ui& ui, const Referral& referral);
    /// The slip with a new return code: how to find the profile again. No name on it.
    print::Document code_slip(ui::Ui& ui, std::string_view code);

  private:
    PluginContext& context_;
    Catalog catalog_;
    Places places_;
    ClockGuard clock_;
    ProfileBook profiles_;
    ReferralBook referrals_;
    std::unique_ptr<Matcher> matcher_;
    std::size_t matcher_generation_ = static_cast<std::size_t>(-1);
    std::optional<Citizen> citizen_;
    return_code::SignInLimit sign_in_limit_;
};

/// What the plugin object is beside its views: the owner of the desk. Tests reach the session's
/// citizen through Host::call and this (a cross-cast from seba::Plugin).
class HasDesk {
  public:
    virtual ~HasDesk() = default;
    virtual Desk& desk() = 0;
};

}  // namespace seba::nise
