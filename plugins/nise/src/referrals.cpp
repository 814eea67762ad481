// SPDX-License-Identifier: Apache-2.0
#include "referrals.hpp"

#include <set>
#include <vector>

namespace seba::nise {

namespace {

using json = nlohmann::json;

// Numbered on from the profile book's (profile.cpp, ProfileBook::migrations()).
constexpr Migration kMigrations[] = {
    {1, "referrals made at this kiosk, and its tag on their references", R"sql(
CREATE TABLE nise__referrals (
    reference TEXT PRIMARY KEY,
    day TEXT NOT NULL,              -- YYYY-MM-DD, UTC
    seq INTEGER NOT NULL,           -- the day's sequence on this kiosk
    opportunity TEXT NOT NULL,
    kind TEXT NOT NULL,
    login TEXT NOT NULL,            -- the profile's login; never a name or phone
    referred_at TEXT NOT NULL,
    UNIQUE (day, seq),
    UNIQUE (login, opportunity)
);
CREATE INDEX nise__referrals_by_login ON nise__referrals (login, referred_at);
CREATE TABLE nise__meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql"},
};

constexpr char kLetter = 'N';

Referral read_row(Statement& row) {
    return {row.text(0), row.text(1), row.text(2)};
}

}  // namespace

std::optional<ReferralAnswer> read_referral_answer(const json& data) {
    std::optional<reference::Answer> read =
        reference::read_answer(data, {"received", "interview", "accepted", "rejected"});
    if (!read) return std::nullopt;
    return ReferralAnswer{std::move(read->status), std::move(read->answered_at),
                          std::move(read->note)};
}

std::span<const Migration> ReferralBook::migrations() {
    static const std::vector<Migration> numbered = [] {
        std::vector<Migration> out(std::begin(kMigrations), std::end(kMigrations));
        const std::span<const Migration> before = ProfileBook::migrations();
        const int last = before.empty() ? 0 : before.back().version;
        for (Migration& m : out) m.version += last;
        return out;
    }();
    return numbered;
}

ReferralBook::ReferralBook(PluginStore& store, ProfileBook& profiles, std::string centre_code)
    : store_(store),
      profiles_(profiles),
      centre_code_(std::move(centre_code)),
      numbering_(store, "nise__meta", "nise__referrals") {
}

std::string ReferralBook::refer(const Citizen& citizen, const Opportunity& opportunity,
                                std::string_view today,
                                const std::function<void(const std::string&)>& also) {
    using Why = ReferralRefused::Why;
    if (citizen.login.empty())
        throw ReferralRefused(Why::NotSaved, "the profile is not saved: save it first");
    if (!citizen.consented)
        throw ReferralRefused(Why::NoConsent, "the citizen has not agreed to be referred");
    if (profiles_.withdrawn(citizen.login))
        throw ReferralRefused(Why::Withdrawn, "this profile was withdrawn");
    if (opportunity.closes.empty() || today > opportunity.closes ||
        (!opportunity.opens.empty() && today < opportunity.opens))
        throw ReferralRefused(Why::Closed, "it is not open for applications today");
    if (opportunity.seats <= 0) throw ReferralRefused(Why::Full, "it has no places left");
    {
        Statement row =
            store_.prepare("SELECT 1 FROM nise__referrals WHERE login = ? AND opportunity = ?");
        row.bind_all(citizen.login, opportunity.id);
        if (row.step())
            throw ReferralRefused(Why::AlreadyReferred, "already referred to this opportunity");
    }

    const Profile& p = citizen.profile;
    json skills = json::array();
    for (const Holding& h : p.seeker().skills)
        skills.push_back({{"skill", h.skill}, {"verified", h.verified}});
    const std::string referred_at = kiosk_now().iso();
    const std::string day = referred_at.substr(0, 10);
    std::string ref;
    store_.transaction([&] {
        const long long seq = numbering_.next(day);
        ref = reference::make(centre_code_, kLetter, day, numbering_.tag(), seq);
        store_
            .prepare(
                "INSERT INTO nise__referrals (reference, day, seq, opportunity, kind, login, "
                "referred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind_all(ref, day, static_cast<std::int64_t>(seq), opportunity.id,
                      std::string(to_string(opportunity.kind)), citizen.login, referred_at)
            .run();
        store_.emit("nise.referral",
                    {{"reference", ref},
                     {"opportunity", opportunity.id},
                     {"kind", to_string(opportunity.kind)},
                     {"login", citizen.login},
                     {"profile",
                      {{"education", p.education},
                       {"skills", skills},
                       {"languages", p.languages},
                       {"place", p.place}}}},
                    {{"fields", {{"name", p.name}, {"phone", p.phone}}}});
        if (also) also(ref);
    });
    return ref;
}

std::optional<Referral> ReferralBook::find(std::string_view reference) {
    Statement row = store_.prepare(
        "SELECT reference, opportunity, referred_at FROM nise__referrals WHERE reference = ?");
    row.bind_all(std::string(reference));
    if (!row.step()) return std::nullopt;
    return read_row(row);
}

std::vector<Referral> ReferralBook::of(std::string_view login) {
    std::vector<Referral> out;
    Statement rows = store_.prepare(
        "SELECT reference, opportunity, referred_at FROM nise__referrals WHERE login = ? "
        "ORDER BY referred_at DESC, reference DESC");
    rows.bind_all(std::string(login));
    while (rows.step()) out.push_back(read_row(rows));
    return out;
}

std::optional<ReferralAnswer> ReferralBook::answer(std::string_view reference) {
    std::optional<json> record = store_.catalog_record(kReferralsChannel, reference);
    if (!record) return std::nullopt;
    return read_referral_answer(*record);
}

ReferralSummary ReferralBook::summary(std::size_t limit) {
    std::map<std::string, std::string, std::less<>> status;
    store_.for_each_catalog_record(kReferralsChannel, [&](std::string_view key, const json& data) {
        if (std::optional<ReferralAnswer> a = read_referral_answer(data))
            status.emplace(std::string(key), a->status);
    });
    ReferralSummary summary;
    Statement rows = store_.prepare(
        "SELECT reference, opportunity, referred_at FROM nise__referrals "
        "ORDER BY referred_at DESC, reference DESC");
    while (rows.step()) {
        Referral r = read_row(rows);
        auto answered = status.find(r.reference);
        ++summary.by_status[answered == status.end() ? "sent" : answered->second];
        ++summary.total;
        if (summary.newest.size() < limit) summary.newest.push_back(std::move(r));
    }
    return summary;
}

std::optional<std::string> ReferralBook::read_reference(std::string_view typed) const {
    return reference::read(typed, centre_code_, kLetter);
}

}  // namespace seba::nise
