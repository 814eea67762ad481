// SPDX-License-Identifier: Apache-2.0
// INTERIM (lead's contract commit): replaced by the referral book's implementation.
#include "referrals.hpp"

namespace seba::nise {

std::optional<ReferralAnswer> read_referral_answer(const nlohmann::json&) { return std::nullopt; }
std::span<const Migration> ReferralBook::migrations() { return {}; }
ReferralBook::ReferralBook(PluginStore& store, ProfileBook& profiles, std::string centre_code)
    : store_(store), profiles_(profiles), centre_code_(std::move(centre_code)) {}
std::string ReferralBook::refer(const Citizen&, const Opportunity&, std::string_view,
                                const std::function<void(const std::string&)>&) {
    throw ReferralRefused(ReferralRefused::Why::NotSaved, "not built yet");
}
std::optional<Referral> ReferralBook::find(std::string_view) { return std::nullopt; }
std::vector<Referral> ReferralBook::of(std::string_view) { return {}; }
std::optional<ReferralAnswer> ReferralBook::answer(std::string_view) { return std::nullopt; }
ReferralSummary ReferralBook::summary(std::size_t) { return {}; }
std::optional<std::string> ReferralBook::read_reference(std::string_view) const { return std::nullopt; }

}  // namespace seba::nise
