// SPDX-License-Identifier: Apache-2.0
// Referrals on a real kiosk database: the row, its event (the profile's skills, education,
// languages and place; name and phone sealed) and the slip's job in one transaction under a
// reference the citizen types back any way; each refusal; answers from the centre's channel.
#include <algorithm>
#include <regex>

#include "books_fixture.hpp"
#include "seba/ui/i18n.hpp"

namespace seba::nise::books_testing {
namespace {

using Referrals = Books;

Opportunity data_entry() {
    Opportunity o;
    o.id = "cumilla-data-entry";
    o.kind = Kind::Job;
    o.title["en"] = "Data entry operator";
    o.place = "geo.bd.upazilas/156";
    o.skills = {{"spreadsheet", 3}};
    o.opens = "2026-12-01";
    o.closes = "2026-12-20";
    o.seats = 3;
    return o;
}

class NiseReferrals : public Referrals {
  protected:
    void SetUp() override {
        Referrals::SetUp();
        citizen_.profile.name = kName;
        citizen_.profile.phone = kPhone;
        citizen_.profile.education = "secondary";
        citizen_.profile.skills = {"typing-bangla"};
        citizen_.profile.certificates.push_back(
            {"0123456789abcdef", "spreadsheets-101", "2026-12-02", {"spreadsheet"}});
        citizen_.profile.languages = {"bn"};
        citizen_.profile.place = "geo.bd.upazilas/156";
        citizen_.consented = true;
        code_ = a_->profiles.save(citizen_);
    }
    Citizen citizen_;
    std::string code_;
};

TEST_F(NiseReferrals, TheRowItsEventAndTheSlipInOneTransaction) {
    std::vector<std::string> slips;
    const std::string ref = a_->referrals.refer(citizen_, data_entry(), "2026-12-07",
                                                [&](const std::string& r) { slips.push_back(r); });
    const std::string today = kiosk_now().iso().substr(0, 10);
    const std::string yymmdd = today.substr(2, 2) + today.substr(5, 2) + today.substr(8, 2);
    EXPECT_TRUE(std::regex_match(ref, std::regex("DHK1-N" + yymmdd + "-[A-Z2-9]{2}-0001"))) << ref;
    EXPECT_EQ(slips, std::vector<std::string>{ref});

    json event = a_->last_event("nise.referral");
    ASSERT_FALSE(event.is_null());
    const json sealed = unseal(event["sealed"]);
    event.erase("sealed");
    EXPECT_EQ(event, json({{"reference", ref},
                           {"opportunity", "cumilla-data-entry"},
                           {"kind", "job"},
                           {"login", citizen_.login},
                           {"profile",
                            {{"education", "secondary"},
                             {"skills",
                              {{{"skill", "typing-bangla"}, {"verified", false}},
                               {{"skill", "spreadsheet"}, {"verified", true}}}},
                             {"languages", {"bn"}},
                             {"place", "geo.bd.upazilas/156"}}}}));
    EXPECT_EQ(sealed, json({{"fields", {{"name", kName}, {"phone", kPhone}}}}));

    std::optional<Referral> found = a_->referrals.find(ref);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->opportunity, "cumilla-data-entry");
    EXPECT_EQ(found->referred_at.substr(0, 10), today);
    ASSERT_EQ(a_->referrals.of(citizen_.login).size(), 1u);

    // The second referral of the day on this kiosk: the next sequence, the same tag.
    Opportunity other = data_entry();
    other.id = "tailoring-course";
    other.kind = Kind::Training;
    const std::string second = a_->referrals.refer(citizen_, other, "2026-12-07", nullptr);
    EXPECT_EQ(second.substr(0, second.size() - 4), ref.substr(0, ref.size() - 4));
    EXPECT_TRUE(second.ends_with("-0002"));
    EXPECT_EQ(a_->referrals.of(citizen_.login).size(), 2u);

    // A slip that cannot be queued undoes the referral.
    Opportunity third = data_entry();
    third.id = "third";
    EXPECT_THROW(a_->referrals.refer(citizen_, third, "2026-12-07",
                                     [](const std::string&) { throw Error("printer queue full"); }),
                 Error);
    EXPECT_EQ(a_->count("SELECT count(*) FROM nise__referrals"), 2);
    EXPECT_EQ(a_->count("SELECT count(*) FROM core__outbox WHERE type = 'nise.referral'"), 2);
}

TEST_F(NiseReferrals, EachRefusalSaysWhy) {
    using Why = ReferralRefused::Why;
    auto why = [&](const Citizen& c, const Opportunity& o, const char* today) {
        try {
            a_->referrals.refer(c, o, today, nullptr);
        } catch (const ReferralRefused& e) {
            return std::optional<Why>(e.why);
        }
        return std::optional<Why>();
    };
    Citizen unsaved;
    unsaved.profile = citizen_.profile;
    unsaved.consented = true;
    EXPECT_EQ(why(unsaved, data_entry(), "2026-12-07"), Why::NotSaved);
    Citizen no_consent;
    no_consent.profile = citizen_.profile;
    no_consent.login = citizen_.login;
    EXPECT_EQ(why(no_consent, data_entry(), "2026-12-07"), Why::NoConsent);
    EXPECT_EQ(why(citizen_, data_entry(), "2026-12-21"), Why::Closed) << "after its last day";
    EXPECT_EQ(why(citizen_, data_entry(), "2026-11-30"), Why::Closed) << "before it opens";
    Opportunity full = data_entry();
    full.seats = 0;
    EXPECT_EQ(why(citizen_, full, "2026-12-07"), Why::Full);
    EXPECT_EQ(a_->count("SELECT count(*) FROM core__outbox WHERE type = 'nise.referral'"), 0);

    EXPECT_FALSE(why(citizen_, data_entry(), "2026-12-20")) << "open on its last day";
    EXPECT_EQ(why(citizen_, data_entry(), "2026-12-07"), Why::AlreadyReferred);

    // Withdrawn: refused, with the citizen as a kiosk still holding them.
    Citizen kept = citizen_;
    a_->profiles.withdraw(citizen_);
    EXPECT_EQ(why(kept, data_entry(), "2026-12-07"), Why::Withdrawn);
    Opportunity another = data_entry();
    another.id = "another";
    EXPECT_EQ(why(kept, another, "2026-12-07"), Why::Withdrawn);
    EXPECT_EQ(a_->count("SELECT count(*) FROM core__outbox WHERE type = 'nise.referral'"), 1);
}

TEST_F(NiseReferrals, TheReferenceIsReadBackTypedInLowerCaseWithBanglaDigits) {
    const std::string ref = a_->referrals.refer(citizen_, data_entry(), "2026-12-07", nullptr);
    std::string typed;
    for (char c : ref) typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    typed = ui::localize_digits(typed, "bn");
    ASSERT_NE(typed.find("০০০১"), std::string::npos) << typed;
    EXPECT_EQ(a_->referrals.read_reference(typed), ref);
    EXPECT_EQ(a_->referrals.read_reference("  " + typed + " "), ref);
    std::string spaced = ref;
    std::replace(spaced.begin(), spaced.end(), '-', ' ');
    EXPECT_EQ(a_->referrals.read_reference(spaced), ref);
    // A complaint's reference (G) or a request's tracking number is not a referral's.
    std::string complaint = ref;
    complaint[5] = 'G';
    EXPECT_FALSE(a_->referrals.read_reference(complaint));
    EXPECT_FALSE(a_->referrals.read_reference("DHK1-261207-A7-0001"));
    EXPECT_FALSE(a_->referrals.read_reference(""));
    EXPECT_FALSE(a_->referrals.read_reference(std::string(300, 'N')));
}

TEST_F(NiseReferrals, AnswersComeBackOnTheCentresChannel) {
    const std::string ref = a_->referrals.refer(citizen_, data_entry(), "2026-12-07", nullptr);
    Opportunity other = data_entry();
    other.id = "other";
    const std::string second = a_->referrals.refer(citizen_, other, "2026-12-07", nullptr);
    EXPECT_FALSE(a_->referrals.answer(ref));
    ReferralSummary s = a_->referrals.summary(1);
    EXPECT_EQ(s.total, 2u);
    ASSERT_EQ(s.newest.size(), 1u);
    EXPECT_EQ(s.newest[0].reference, second) << "newest first";
    EXPECT_EQ(s.by_status["sent"], 2u);

    a_->keep(kReferralsChannel, ref,
             {{"opportunity", "cumilla-data-entry"},
              {"status", "interview"},
              {"answered_at", "2026-12-08T10:00:00.000Z"},
              {"note", {{"en", "Come on Monday at 10"}, {"bn", "সোমবার ১০টায় আসুন"}}}});
    std::optional<ReferralAnswer> a = a_->referrals.answer(ref);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, "interview");
    EXPECT_FALSE(a->closed());
    EXPECT_EQ(a->note.at("bn"), "সোমবার ১০টায় আসুন");
    s = a_->referrals.summary(10);
    EXPECT_EQ(s.by_status["sent"], 1u);
    EXPECT_EQ(s.by_status["interview"], 1u);

    EXPECT_FALSE(read_referral_answer(json({{"status", "hired"}})));
    EXPECT_FALSE(read_referral_answer(json::array()));
    EXPECT_TRUE(read_referral_answer(json({{"status", "accepted"}}))->closed());
}

}  // namespace
}  // namespace seba::nise::books_testing
