// SPDX-License-Identifier: Apache-2.0
// A citizen's complaint as citizens make it, in a whole kiosk: filing writes one row and one
// event whose words travel sealed only; the reference on the slip (screen and paper) is found
// again however it is typed back; the office's answer shows with the sign of its tone; an
// unknown or malformed reference is answered plainly; too many words are refused with a
// message; leaving at any step writes nothing.
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "cs_fixture.hpp"
#include "process.hpp"
#include "seba/kiosk_time.hpp"

namespace seba::civil::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The name and phone a citizen may well write in their complaint.
const std::string kWords =
    "আমি রহিম উদ্দিন, ফোন ০১৭১১২২৩৩৪৪। জন্ম নিবন্ধনের জন্য ৫০০ টাকা বেশি চেয়েছে।";

std::string bangla_digits(const std::string& ascii) {
    static const char* const kDigits[] = {"০", "১", "২", "৩", "৪", "৫", "৬", "৭", "৮", "৯"};
    std::string out;
    for (char c : ascii) out += (c >= '0' && c <= '9') ? kDigits[c - '0'] : std::string(1, c);
    return out;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string without(std::string text, char c) {
    text.erase(std::remove(text.begin(), text.end(), c), text.end());
    return text;
}

class GrievanceTest : public CivilServiceTest {
  protected:
    std::string printed_text(const std::string& reference) {
        const std::filesystem::path pdf = dir() / "slips" / (reference + ".pdf");
        for (int i = 0; i < 1000 && !std::filesystem::exists(pdf); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            run(R"([{"wait_s": 0.01}])");
        }
        return seba::testing::run_process("'" + std::string(SEBA_PDFTOTEXT) + "' '" + pdf.string() +
                                          "' -")
            .output;
    }
};

TEST_F(GrievanceTest, FilingWritesOneRowAndOneEventWithTheWordsSealed) {
    start();
    fill_complaint(kWords);
    // The review shows what will go, and sends nothing before consent.
    EXPECT_THAT(node("civil_service.review.category")->value, HasSubstr("বাড়তি টাকা"));
    EXPECT_EQ(node("civil_service.review.service")->value, "জন্ম নিবন্ধন");
    EXPECT_EQ(label("civil_service.review.text.full"), kWords);
    EXPECT_EQ(node("civil_service.review.phrase.asked_for_extra_money")->value,
              "রসিদের চেয়ে বেশি টাকা দিতে বলা হয়েছে");
    EXPECT_FALSE(node("civil_service.send")->enabled) << "consent first";
    EXPECT_EQ(rows(), 0);
    run(R"([{"tap": "civil_service.review.agree"}, {"tap": "civil_service.send"}])");
    ASSERT_TRUE(node("civil_service.slip.panel")) << state().tree_json().dump().substr(0, 3000);
    const std::string reference = node("civil_service.slip.panel")->value;
    const std::string day = kiosk_now().iso().substr(0, 10);
    const std::string yymmdd = day.substr(2, 2) + day.substr(5, 2) + day.substr(8, 2);
    EXPECT_TRUE(
        std::regex_match(reference, std::regex("DHK1-G" + yymmdd + "-[A-HJ-NP-Z2-9]{2}-0001")))
        << reference;
    EXPECT_EQ(node("civil_service.slip.qr")->value, reference);
    EXPECT_THAT(label("civil_service.slip.how"), HasSubstr("অভিযোগ দেখুন"));

    EXPECT_EQ(rows(), 1);
    EXPECT_EQ(events(), 1);
    Statement event = host().database().prepare(
        "SELECT payload FROM core__outbox WHERE type = 'civil_service.grievance'");
    ASSERT_TRUE(event.step());
    const json payload = json::parse(event.text(0));
    EXPECT_EQ(payload["reference"], reference);
    EXPECT_EQ(payload["category"], "extra_money");
    EXPECT_EQ(payload["service"], "birth_registration");
    EXPECT_EQ(payload["phrases"], json::array({"asked_for_extra_money"}));
    EXPECT_EQ(payload["language"], "bn");
    // The words only sealed: not in the outbox, not in the plugin's table.
    EXPECT_THAT(payload.dump(), Not(HasSubstr("রহিম")));
    EXPECT_THAT(payload.dump(), Not(HasSubstr("০১৭১১")));
    EXPECT_EQ(open_sealed(payload["sealed"])["fields"]["text"], kWords);
    EXPECT_EQ(scalar("SELECT count(*) FROM civil_service__grievances WHERE phrases LIKE '%রহিম%' "
                     "OR service LIKE '%রহিম%'"),
              0);
    // And gone from the kit once stored.
    EXPECT_EQ(typed("civil_service.text"), "");

    // The paper: the reference large, how to check it, never the words.
    const std::string paper = printed_text(reference);
    EXPECT_THAT(paper, HasSubstr(reference));
    EXPECT_THAT(paper, Not(HasSubstr("রহিম")));
}

TEST_F(GrievanceTest, WithoutWordsNothingIsSealedAndTheNextReferenceCountsOn) {
    start();
    const std::string first = file_complaint();
    const std::string second = file_complaint();
    EXPECT_THAT(first, ::testing::EndsWith("-0001"));
    EXPECT_THAT(second, ::testing::EndsWith("-0002"));
    Statement event = host().database().prepare(
        "SELECT payload FROM core__outbox WHERE type = 'civil_service.grievance'");
    ASSERT_TRUE(event.step());
    EXPECT_FALSE(json::parse(event.text(0)).contains("sealed"));
    EXPECT_EQ(rows(), 2);
    EXPECT_EQ(events(), 2);
}

TEST_F(GrievanceTest, TheReferenceIsFoundHoweverItIsTypedBack) {
    start();
    const std::string reference = file_complaint();
    for (const std::string& spelling :
         {lower(reference), without(reference, '-'), bangla_digits(reference),
          " " + bangla_digits(lower(without(reference, '-'))) + " "}) {
        SCOPED_TRACE(spelling);
        check(spelling);
        ASSERT_TRUE(node("civil_service.check.result"));
        EXPECT_EQ(node("civil_service.check.result")->value, "info");
        EXPECT_THAT(label("civil_service.check.result"), HasSubstr("গৃহীত"));
        EXPECT_THAT(label("civil_service.check.number"), HasSubstr(reference));
        EXPECT_THAT(node("civil_service.check.about")->value, HasSubstr("বাড়তি টাকা"));
    }
}

TEST_F(GrievanceTest, TheOfficesAnswerShowsWithTheSignOfItsToneAndItsNote) {
    start();
    const std::string reference = file_complaint();
    check(reference);
    for (const auto& [status, tone, words] : {std::tuple{"in_progress", "info", "খতিয়ে দেখছে"},
                                              std::tuple{"resolved", "success", "সমাধান"},
                                              std::tuple{"rejected", "error", "অপারেটর"}}) {
        SCOPED_TRACE(status);
        publish(
            "civil_service.grievances", reference,
            {{"status", status},
             {"answered_at", "2026-12-08T09:00:00Z"},
             {"note", {{"en", "The fee was refunded."}, {"bn", "বাড়তি টাকা ফেরত দেওয়া হয়েছে।"}}}});
        run(R"([{"wait_s": 1}])");
        EXPECT_EQ(node("civil_service.check.result")->value, tone);
        EXPECT_THAT(label("civil_service.check.result"), HasSubstr(words));
        EXPECT_EQ(node("civil_service.check.note")->value, "বাড়তি টাকা ফেরত দেওয়া হয়েছে।");
        EXPECT_TRUE(node("civil_service.check.answered"));
    }
    // In a language the note lacks, its English.
    run(R"([{"language": "ru"}])");
    check(reference);
    EXPECT_EQ(node("civil_service.check.note")->value, "The fee was refunded.");
    EXPECT_THAT(label("civil_service.check.result"), HasSubstr("Закрыта"));
}

TEST_F(GrievanceTest, UnknownAndMalformedReferencesAreAnsweredPlainly) {
    start();
    check("DHK1-G261128-A7-9999");
    EXPECT_EQ(node("civil_service.check.result")->value, "warning");
    EXPECT_THAT(label("civil_service.check.result"), HasSubstr("জানা নেই"));
    check("hello");
    EXPECT_EQ(node("civil_service.check.bad")->value, "error");
    EXPECT_THAT(label("civil_service.check.bad"), HasSubstr("DHK1-G"));
    expect_absent("civil_service.check.result");
    // A request's tracking number is told apart, and where to check it said.
    check("DHK1-261128-A7-0042");
    EXPECT_THAT(label("civil_service.check.bad"), HasSubstr("ট্র্যাকিং নম্বর"));
    EXPECT_THAT(label("civil_service.check.bad"), HasSubstr("DHK1-G"));
    // Nothing is said until Check, and typing again puts the answer away.
    run(R"([{"tap": "civil_service.check.reference"}, {"type": "1"}])");
    expect_absent("civil_service.check.bad");
}

TEST_F(GrievanceTest, TooManyWordsAreRefusedWithAMessageAndNothingIsWritten) {
    start();
    std::string long_text;
    while (long_text.size() < 501) long_text += "a";
    fill_complaint(long_text);
    // Next does not go on: the form says what is wrong, in the citizen's language.
    expect_absent("civil_service.review.title");
    ASSERT_TRUE(node("civil_service.details.form.errors"));
    const ui::Node* field = node("civil_service.text");
    ASSERT_TRUE(field);
    EXPECT_THAT(field->error, HasSubstr("৫০০"));
    EXPECT_THAT(field->error, HasSubstr("৫০১"));
    EXPECT_EQ(rows(), 0);
    EXPECT_EQ(events(), 0);
    // One character less and it goes.
    run(R"([{"tap": "civil_service.text"}, {"tap": "osk.backspace"},
            {"tap": "civil_service.details.next"}, {"tap": "civil_service.review.agree"},
            {"tap": "civil_service.send"}])");
    EXPECT_TRUE(node("civil_service.slip.panel"));
    EXPECT_EQ(rows(), 1);
}

TEST_F(GrievanceTest, LeavingAtAnyStepWritesNothingAndForgetsTheWords) {
    start();
    // Back, Home or the citizen walking away, from each step of filing.
    const std::vector<std::string> steps = {
        R"([{"tap": "shell.home.civil_service"}, {"tap": "civil_service.file"}])",
        R"([{"tap": "shell.home.civil_service"}, {"tap": "civil_service.file"},
            {"tap": "civil_service.cat.delay"}])",
        R"([{"tap": "shell.home.civil_service"}, {"tap": "civil_service.file"},
            {"tap": "civil_service.cat.delay"}, {"tap": "civil_service.service.none"},
            {"tap": "civil_service.text"}, {"type": "আমার নাম করিম"}])",
        R"([{"tap": "shell.home.civil_service"}, {"tap": "civil_service.file"},
            {"tap": "civil_service.cat.delay"}, {"tap": "civil_service.service.none"},
            {"tap": "civil_service.text"}, {"type": "আমার নাম করিম"},
            {"tap": "civil_service.details.next"}, {"tap": "civil_service.review.agree"}])",
    };
    for (const char* leave : {"back", "home", "walk_away"}) {
        for (const std::string& to : steps) {
            SCOPED_TRACE(std::string(leave) + " after " + to);
            run(to);
            if (std::string(leave) == "back") {
                for (int i = 0; i < 8 && screen() == "plugin"; ++i) tap("shell.back");
            } else if (std::string(leave) == "home") {
                tap("shell.home");
                if (node("shell.finish.yes")) tap("shell.finish.yes");
            } else {
                run(R"([{"wait_s": 200}])");
            }
            expect_screen("home");
            EXPECT_EQ(typed("civil_service.text"), "") << "the words are wiped";
            EXPECT_EQ(rows(), 0);
            EXPECT_EQ(events(), 0);
        }
    }
}

TEST_F(GrievanceTest, AKioskNotEnrolledKeepsTheWordsAndWritesNothing) {
    start(/*with_server_key=*/false);
    fill_complaint("আমার নাম করিম");
    run(R"([{"tap": "civil_service.review.agree"}, {"tap": "civil_service.send"}])");
    ASSERT_TRUE(node("civil_service.review.problem"));
    EXPECT_THAT(label("civil_service.review.problem"), HasSubstr("সার্ভার"));
    EXPECT_EQ(rows(), 0);
    EXPECT_EQ(events(), 0);
    EXPECT_EQ(node("civil_service.review.text")->value, "আমার নাম করিম") << "kept for a retry";
}

}  // namespace
}  // namespace seba::civil::testing
