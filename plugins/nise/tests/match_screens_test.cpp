// SPDX-License-Identifier: Apache-2.0
// The matches as a citizen sees them, and the referral from a card to its printed slip, the
// answer checked by its reference, and the operator's page.
#include <fstream>
#include <regex>
#include <seba/ui/i18n.hpp>
#include <set>
#include <sstream>

#include "match_screens_fixture.hpp"

namespace seba::nise::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(MatchScreensTest, CardsComeBestFirstWithTheirReasonsInWords) {
    start();
    set_citizen();
    tap("nise.home.matches");
    expect("nise.matches.title");
    // Closed and full ones are never listed.
    EXPECT_THAT(cards(), ElementsAre("data-entry", "accounts-assistant", "tailoring-course"));

    EXPECT_EQ(label("nise.match.data-entry"), "Data entry operator");
    EXPECT_EQ(value("nise.match.data-entry"), "Job · Cumilla Textiles Ltd");
    EXPECT_EQ(icon("nise.match.data-entry"), "work");
    EXPECT_EQ(label("nise.match.data-entry.skills"), "You have 2 of 2 skills");
    EXPECT_EQ(value("nise.match.data-entry.skills"), "1 shown by a certificate");
    EXPECT_EQ(icon("nise.match.data-entry.skills"), "verified_user");
    EXPECT_EQ(label("nise.match.data-entry.place"), "Where you live");
    EXPECT_EQ(label("nise.match.data-entry.closes"), "Closes in 5 days");
    EXPECT_EQ(label("nise.match.data-entry.seats"), "3 places left");
    EXPECT_THAT(label("nise.match.data-entry.money"), HasSubstr("14,000"));
    EXPECT_THAT(label("nise.match.data-entry.money"), EndsWith(" a month"));

    EXPECT_EQ(label("nise.match.accounts-assistant.skills"), "You have 1 of 2 skills");
    EXPECT_EQ(value("nise.match.accounts-assistant.skills"), "1 shown by a certificate");
    EXPECT_EQ(label("nise.match.accounts-assistant.place"), "In your district");
    EXPECT_EQ(label("nise.match.accounts-assistant.seats"), "1 place left");

    EXPECT_EQ(icon("nise.match.tailoring-course"), "school");
    EXPECT_EQ(value("nise.match.tailoring-course"), "Training · Feni Youth Centre");
    EXPECT_THAT(label("nise.match.tailoring-course.place"), EndsWith(" km away"));
    EXPECT_EQ(label("nise.match.tailoring-course.money"), "Free of charge");

    // In Bangla, with Bangla digits.
    run(R"([{"language": "bn"}])");
    EXPECT_EQ(label("nise.match.data-entry"), "ডেটা এন্ট্রি অপারেটর");
    EXPECT_EQ(label("nise.match.data-entry.closes"), "আর ৫ দিন বাকি");
    EXPECT_EQ(label("nise.match.data-entry.skills"), "২টি দক্ষতার ২টি আপনার আছে");
    EXPECT_EQ(value("nise.match.data-entry.skills"), "১টি সনদে প্রমাণিত");
}

TEST_F(MatchScreensTest, AProfileWithNoSkillsIsGuidedNotShownAnEmptyList) {
    start();
    tap("nise.home.matches");
    EXPECT_TRUE(cards().empty());
    EXPECT_EQ(label("nise.guide.why"),
              "Tell us what you can do, and we will find jobs and training for you.");
    // The skill most asked near the citizen is the spreadsheet: its course comes first.
    ASSERT_TRUE(node("nise.guide.course.excel-basics"));
    EXPECT_EQ(label("nise.guide.course.excel-basics"), "Spreadsheets for work");
    EXPECT_EQ(value("nise.guide.course.excel-basics"), "Using a spreadsheet");
    tap("nise.guide.course.excel-basics");
    EXPECT_THAT(label("nise.guide.course_note"), HasSubstr("\"Spreadsheets for work\""));
    EXPECT_THAT(label("nise.guide.course_note"), HasSubstr("MuktoPaath"));
    // Add my skills opens the profile at its first step.
    tap("nise.guide.add_skills");
    expect("nise.edu.title");
}

TEST_F(MatchScreensTest, SkillsThatMatchNothingGetOtherGuidance) {
    start();
    set_citizen({"driving"}, false);
    tap("nise.home.matches");
    EXPECT_TRUE(cards().empty());
    EXPECT_THAT(label("nise.guide.why"), HasSubstr("Nothing open matches your skills"));
    EXPECT_EQ(label("nise.guide.add_skills"), "Add more skills");
    expect("nise.guide.course.excel-basics");
    expect("nise.guide.course.bookkeeping");
}

TEST_F(MatchScreensTest, DetailsShowTheMissingSkillAndTheCourseThatTeachesIt) {
    start();
    set_citizen({"spreadsheet"});
    tap("nise.home.matches");
    tap("nise.match.accounts-assistant");
    EXPECT_EQ(label("nise.detail.title"), "Accounts assistant");
    EXPECT_EQ(label("nise.detail.have.spreadsheet"), "Using a spreadsheet");
    EXPECT_EQ(value("nise.detail.have.spreadsheet"), "Shown by your certificate");
    EXPECT_EQ(icon("nise.detail.have.spreadsheet"), "verified_user");
    EXPECT_EQ(label("nise.detail.missing.accounting"), "Keeping accounts");
    EXPECT_EQ(label("nise.detail.course.bookkeeping"), "Learn it: Bookkeeping basics");
    tap("nise.detail.course.bookkeeping");
    EXPECT_THAT(label("nise.detail.course_note"), HasSubstr("\"Bookkeeping basics\""));
    EXPECT_THAT(value("nise.detail.money"), HasSubstr("14,000"));
    EXPECT_THAT(value("nise.detail.place"), HasSubstr("Barura"));
    EXPECT_EQ(value("nise.detail.seats"), "1");
    EXPECT_TRUE(enabled("nise.detail.refer"));
}

TEST_F(MatchScreensTest, ApplyingWithoutASavedProfileAsksToSaveItFirst) {
    start();
    set_citizen();
    tap("nise.home.matches");
    tap("nise.match.data-entry");
    tap("nise.detail.refer");
    expect("nise.save.name");
    expect_absent("nise.refer.send");
    EXPECT_EQ(referral_events(), 0);
}

TEST_F(MatchScreensTest, ASavedCitizenAppliesAndLeavesWithAPrintedSlip) {
    start();
    set_citizen();
    save_citizen();
    tap("nise.home.matches");
    tap("nise.match.data-entry");
    tap("nise.detail.refer");
    EXPECT_EQ(label("nise.refer.title"), "Send your profile to Cumilla Textiles Ltd");
    EXPECT_EQ(value("nise.refer.skill.spreadsheet"),
              "Using a spreadsheet · shown by a certificate");
    EXPECT_FALSE(enabled("nise.refer.send"));  // not before the citizen agrees
    run(R"([{"tap": "nise.refer.agree"}, {"tap": "nise.refer.send"},
            {"expect": "nise.slip.panel"}])");
    ASSERT_TRUE(node("nise.slip.panel")) << "no slip";
    const std::string reference = value("nise.slip.qr");
    EXPECT_EQ(value("nise.slip.panel"), reference);
    EXPECT_THAT(reference, ::testing::StartsWith("DHK1-N"));
    EXPECT_EQ(referral_events(), 1);
    const std::string slip = printed_text(reference);
    EXPECT_THAT(slip, HasSubstr(reference));
    EXPECT_THAT(slip, HasSubstr("Data entry operator"));
    EXPECT_THAT(slip, HasSubstr("Cumilla Textiles Ltd"));
    EXPECT_THAT(slip, HasSubstr("Check a referral"));
    EXPECT_THAT(slip, Not(HasSubstr("Rahima")));
    EXPECT_THAT(slip, Not(HasSubstr("1712345678")));
    tap("nise.slip.done");
    expect_absent("nise.slip.panel");
    EXPECT_EQ(referral_events(), 1);  // once, whatever the taps after
}

TEST_F(MatchScreensTest, AReferralRefusedAsFullOrClosedSaysSoAndWritesNothing) {
    start();
    set_citizen();
    save_citizen();
    tap("nise.home.matches");
    tap("nise.match.data-entry");
    tap("nise.detail.refer");
    tap("nise.refer.agree");
    // The last place went while the citizen read the review.
    json full = data_entry();
    full["seats"] = 0;
    publish_opportunity("data-entry", full);
    tap("nise.refer.send");
    EXPECT_EQ(label("nise.refer.problem"), "No places are left. Choose another one.");
    json closed = data_entry();
    closed["closes"] = local_day(-1);
    publish_opportunity("data-entry", closed);
    tap("nise.refer.send");
    EXPECT_EQ(label("nise.refer.problem"), "This one has closed. Choose another one.");
    expect_absent("nise.slip.panel");
    EXPECT_EQ(referral_events(), 0);
    with_desk([](Desk& desk) { EXPECT_EQ(desk.referrals().summary(10).total, 0u); });
}

TEST_F(MatchScreensTest, CheckShowsTheAnswerThatCameBackInTheCitizensLanguage) {
    start();
    set_citizen();
    save_citizen();
    run(R"([{"tap": "nise.home.matches"}, {"tap": "nise.match.data-entry"},
            {"tap": "nise.detail.refer"}, {"tap": "nise.refer.agree"},
            {"tap": "nise.refer.send"}])");
    ASSERT_TRUE(node("nise.slip.panel")) << "no slip";
    const std::string reference = value("nise.slip.qr");
    tap("nise.slip.done");

    auto check = [&](const std::string& typed) {
        while (node("nise.check.title")) tap("shell.back");
        run(json::array({{{"tap", "nise.home.check"}},
                         {{"tap", "nise.check.ref"}},
                         {{"type", typed}},
                         {{"tap", "nise.check.go"}}}));
    };
    check(reference);
    EXPECT_EQ(label("nise.check.status"), "Sent: no answer yet");
    EXPECT_EQ(icon("nise.check.status"), "send");

    publish("nise.referrals", reference,
            {{"opportunity", "data-entry"},
             {"status", "interview"},
             {"answered_at", "2026-12-09T10:00:00Z"},
             {"note", {{"en", "Come on Monday at 10"}, {"bn", "সোমবার ১০টায় আসুন"}}}});
    std::string lower = reference;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    check(lower);
    EXPECT_EQ(label("nise.check.status"), "Invited to an interview: the NISE office will call you");
    EXPECT_EQ(value("nise.check.note"), "Come on Monday at 10");
    run(R"([{"language": "bn"}])");
    EXPECT_EQ(value("nise.check.note"), "সোমবার ১০টায় আসুন");
    run(R"([{"language": "en"}])");

    check("hello");
    EXPECT_THAT(label("nise.check.bad"), HasSubstr("not a referral reference"));
    std::string unknown = reference;
    unknown.replace(unknown.size() - 4, 4, "9999");
    check(unknown);
    expect("nise.check.unknown");
    expect_absent("nise.check.status");
}

TEST_F(MatchScreensTest, TheOperatorSeesReferralsByStateAndTheCatalogsCounts) {
    start();
    set_citizen();
    save_citizen();
    run(R"([{"tap": "nise.home.matches"}, {"tap": "nise.match.data-entry"},
            {"tap": "nise.detail.refer"}, {"tap": "nise.refer.agree"},
            {"tap": "nise.refer.send"}])");
    ASSERT_TRUE(node("nise.slip.panel")) << "no slip";
    const std::string reference = value("nise.slip.qr");
    run(R"([{"tap": "nise.slip.done"}, {"tap": "shell.home"}])");
    log_in_as_operator();
    tap("shell.op.open.nise");
    EXPECT_EQ(value("nise.op.total"), "1");
    EXPECT_EQ(value("nise.op.status.sent"), "1");
    EXPECT_EQ(value("nise.op.status.accepted"), "0");
    EXPECT_THAT(value("nise.op.r." + reference), HasSubstr("Data entry operator"));
    EXPECT_EQ(value("nise.op.open"), "3");
    EXPECT_EQ(value("nise.op.closed"), "2");
    EXPECT_EQ(value("nise.op.profiles"), "1");
    EXPECT_EQ(value("nise.op.skipped"), "0");
    expect_absent("nise.op.clock");
}

// "Saved today" is the country's day, not UTC's: CI once failed the test above between
// 18:00 and 24:00 UTC, when Dhaka's day has already turned. An offset that puts the local
// day on another date than UTC's right now makes the difference show at any hour.
TEST_F(MatchScreensTest, ProfilesSavedTodayCountTheCountrysDayWhateverDayItIsInUtc) {
    const auto now = std::chrono::floor<std::chrono::minutes>(kiosk_now().at);
    const auto utc_hour = std::chrono::duration_cast<std::chrono::hours>(
        now - std::chrono::floor<std::chrono::days>(now));
    const int offset = utc_hour.count() < 12 ? -720 : 840;
    config().plugin_settings["nise"]["utc_offset_minutes"] = offset;
    start();
    set_citizen();
    save_citizen();
    tap("shell.home");
    log_in_as_operator();
    tap("shell.op.open.nise");
    EXPECT_EQ(value("nise.op.profiles"), "1") << "UTC offset " << offset << " minutes";
}

}  // namespace
}  // namespace seba::nise::testing
