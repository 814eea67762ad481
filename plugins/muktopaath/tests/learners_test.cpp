// SPDX-License-Identifier: Apache-2.0
// The learner book on a real kiosk database: enrolment writes its row and event in one
// transaction with nothing identifying in clear; the return code; signing in with phone +
// code here and, from the learners channel, at another kiosk of the centre; a wrong code or
// phone refused; progress kept across a course's new version.
#include <gmock/gmock.h>

#include <regex>

#include "mp_fixture.hpp"

namespace seba::mp::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr const char* kName = "রহিম উদ্দিন";
constexpr const char* kPhone = "+8801711223344";

class Learners : public KioskDb {
  protected:
    // Every text the plugin's tables and the outbox hold, to look for what must not be there.
    std::string everything_stored() {
        std::string all;
        for (const char* sql :
             {"SELECT learner || login || box FROM muktopaath__learners",
              "SELECT learner || course || login || box FROM muktopaath__enrolments",
              "SELECT learner || lesson FROM muktopaath__progress",
              "SELECT learner || credential || box FROM muktopaath__certificates",
              "SELECT payload FROM core__outbox"}) {
            Statement q = db.prepare(sql);
            while (q.step()) all += q.text(0) + "\n";
        }
        return all;
    }
    json last_event(const std::string& type) {
        Statement q =
            db.prepare("SELECT payload FROM core__outbox WHERE type = ? ORDER BY seq DESC");
        q.bind_all(type);
        if (!q.step()) return nullptr;
        return json::parse(q.text(0));
    }

    LearnerBook book{store, "debidwar-1"};
    Course course = test_course();
};

TEST(ReturnCode, EightUnambiguousCharactersGroupedFourAndFour) {
    for (int i = 0; i < 50; ++i) {
        const std::string code = return_code::make();
        EXPECT_TRUE(std::regex_match(code, std::regex("[A-HJKMNP-Z2-9]{8}"))) << code;
        EXPECT_TRUE(
            std::regex_match(return_code::grouped(code), std::regex("[A-Z2-9]{4}-[A-Z2-9]{4}")));
        EXPECT_EQ(return_code::normalise(return_code::grouped(code)), code);
    }
    EXPECT_EQ(return_code::normalise("k7qp 2m9x"), "K7QP2M9X");
    EXPECT_EQ(return_code::normalise("K7QP-২M৯X"), "K7QP2M9X") << "Bangla digits typed";
    EXPECT_FALSE(return_code::normalise("K7QP-2M9")) << "too short";
    EXPECT_FALSE(return_code::normalise("O7QP-2M9X")) << "O is not in the alphabet";
    EXPECT_FALSE(return_code::normalise("17QP-2M9X")) << "nor 1";
}

TEST(LearnerKeys, LoginsAreByteForByteThoseMadeBeforeTheCodeWasShared) {
    // Computed apart from this code (libsodium through Python's ctypes): Argon2id of
    // "+8801711223344|K7QP2M9X" salted by the centre's hash, subkey 1 of context "mp_login".
    EXPECT_EQ(derive_keys(kPhone, "K7QP2M9X", "debidwar-1").login,
              "b8b7e7e6f1ab4e4863b9683ad75f7371d82a84027947a7392a1079cfeb332b82");
    EXPECT_EQ(
        return_code::derive_keys(kPhone, "K7QP2M9X", "debidwar-1", {"ns_login", "ns_box__"}).login,
        "bfe2f84abbe511f122a1b302cd50cfee7cd224f82558b3a687e06e027059fc44")
        << "NISE's own contexts";
    EXPECT_THROW(return_code::derive_keys(kPhone, "K7QP2M9X", "debidwar-1", {"short", "box"}),
                 Error);
}

TEST_F(Learners, EnrolmentWritesTheRowAndItsEventTogetherWithNothingIdentifyingInClear) {
    LearnerBook::Enrolled e = book.enrol(kName, kPhone, "19901234567890123", course);
    EXPECT_EQ(e.code.size(), 8u);
    EXPECT_EQ(e.learner.name, kName);
    EXPECT_EQ(count("SELECT count(*) FROM muktopaath__learners"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM core__outbox WHERE type = 'muktopaath.enrolled'"), 1);
    const json event = last_event("muktopaath.enrolled");
    EXPECT_EQ(event["learner"], e.learner.learner);
    EXPECT_EQ(event["login"], e.learner.login);
    EXPECT_EQ(event["course"], "test-course");
    EXPECT_EQ(event["version"], "1.0");
    EXPECT_TRUE(event.contains("sealed")) << "name, phone and ID sealed to the server";
    EXPECT_TRUE(std::regex_match(event["login"].get<std::string>(), std::regex("[0-9a-f]{64}")));
    const std::string stored = everything_stored();
    EXPECT_THAT(stored, Not(HasSubstr(kName)));
    EXPECT_THAT(stored, Not(HasSubstr("1711223344")));
    EXPECT_THAT(stored, Not(HasSubstr("19901234567890123")));
    EXPECT_THAT(stored, Not(HasSubstr(e.code)));
    EXPECT_EQ(book.enrolled_on(kiosk_now().iso().substr(0, 10)), 1);
}

TEST_F(Learners, AnEnrolmentTheKioskCannotSealLeavesNeitherRowNorEvent) {
    seba::testing::TempDir other;
    Database never_enrolled = Database::open(other / "seba.db");
    migrate_core(never_enrolled);
    apply_migrations(never_enrolled, "muktopaath", LearnerBook::migrations());
    PluginStore s{never_enrolled, manifest};
    LearnerBook b{s, "debidwar-1"};
    EXPECT_THROW(b.enrol(kName, kPhone, "", course), sealing::NoServerKey);
    Statement rows = never_enrolled.prepare(
        "SELECT (SELECT count(*) FROM muktopaath__learners) + (SELECT count(*) FROM core__outbox)");
    rows.step();
    EXPECT_EQ(rows.integer(0), 0);
}

TEST_F(Learners, SignInFindsTheLearnerHereAndRefusesAWrongCodeOrPhone) {
    LearnerBook::Enrolled e = book.enrol(kName, kPhone, "", course);
    std::optional<Learner> back = book.sign_in(kPhone, e.code);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->learner, e.learner.learner);
    EXPECT_EQ(back->name, kName) << "opened from the box with phone + code";
    std::string wrong = e.code;
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(book.sign_in(kPhone, wrong));
    EXPECT_FALSE(book.sign_in("+8801711223345", e.code));
    LearnerBook other_centre{store, "tashkent-1"};
    EXPECT_FALSE(other_centre.sign_in(kPhone, e.code)) << "the login is salted by the centre";
}

TEST_F(Learners, AnotherKioskOfTheCentreFindsTheLearnerInTheLearnersChannel) {
    LearnerBook::Enrolled e = book.enrol(kName, kPhone, "", course);
    book.record_progress(e.learner, course, "l1", 1, true);
    const json enrolled = last_event("muktopaath.enrolled");
    // The record the server's projection publishes for the centre (docs/muktopaath.md).
    const json record = {{"learner", enrolled["learner"]},
                         {"box", enrolled["box"]},
                         {"courses",
                          {{"test-course",
                            {{"version", "1.0"},
                             {"lessons", {{"l1", {{"page", 1}, {"done", true}}}}},
                             {"attempts", 1},
                             {"last_attempt_at", "2026-11-28T01:02:03.000Z"},
                             {"passed", false}}}}}};

    seba::testing::TempDir second;
    Database db2 = Database::open(second / "seba.db");
    migrate_core(db2);
    apply_migrations(db2, "muktopaath", LearnerBook::migrations());
    PluginStore store2{db2, manifest};
    LearnerBook kiosk2{store2, "debidwar-1"};
    EXPECT_FALSE(kiosk2.sign_in(kPhone, e.code)) << "before the sync";
    catalog::Page page;
    page.cursor = "1";
    page.changes.push_back({enrolled["login"].get<std::string>(), record.dump()});
    catalog::keep_page(db2, "muktopaath.learners", page);
    std::optional<Learner> there = kiosk2.sign_in(kPhone, e.code);
    ASSERT_TRUE(there);
    EXPECT_EQ(there->name, kName);
    EXPECT_EQ(there->learner, e.learner.learner);
    LearnerRecord r = kiosk2.record(*there);
    ASSERT_TRUE(r.courses.contains("test-course"));
    EXPECT_TRUE(r.courses["test-course"].lessons["l1"].done);
    EXPECT_EQ(r.courses["test-course"].attempts.used, 1);
    // Studying on there: this kiosk's rows merge with the channel's.
    kiosk2.record_progress(*there, course, "l2", 0, true);
    r = kiosk2.record(*there);
    EXPECT_TRUE(r.courses["test-course"].lessons["l1"].done);
    EXPECT_TRUE(r.courses["test-course"].lessons["l2"].done);
    std::string wrong = e.code;
    wrong[7] = wrong[7] == '2' ? '3' : '2';
    EXPECT_FALSE(kiosk2.sign_in(kPhone, wrong));
}

TEST_F(Learners, ProgressAttemptsAndCertificatesAreAppendOnlyEvents) {
    LearnerBook::Enrolled e = book.enrol(kName, kPhone, "", course);
    book.record_progress(e.learner, course, "l1", 0, false);
    book.record_progress(e.learner, course, "l1", 1, true);
    book.record_attempt(e.learner, course, 33, false, 1);
    book.record_attempt(e.learner, course, 100, true, 2);
    book.record_certificate(e.learner, course, "0123456789abcdef", "distinction", "SB1:TEXT");
    EXPECT_EQ(count("SELECT count(*) FROM muktopaath__progress"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM core__outbox WHERE type = 'muktopaath.progress'"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM core__outbox WHERE type = 'muktopaath.quiz_attempt'"), 2);
    const json certified = last_event("muktopaath.certified");
    EXPECT_EQ(certified["credential"], "0123456789abcdef");
    EXPECT_EQ(certified["score_band"], "distinction");
    EXPECT_EQ(return_code::open_box(e.learner.keys.box_key, certified["box"].get<std::string>()),
              "SB1:TEXT");
    LearnerRecord r = book.record(e.learner);
    const CourseRecord& c = r.courses["test-course"];
    EXPECT_EQ(c.lessons.at("l1").page, 1);
    EXPECT_TRUE(c.lessons.at("l1").done);
    EXPECT_EQ(c.attempts.used, 2);
    EXPECT_TRUE(c.attempts.passed);
    EXPECT_EQ(c.score_band, "distinction");
    EXPECT_THAT(everything_stored(), Not(HasSubstr(kName)));
}

TEST_F(Learners, ACoursesNewVersionKeepsTheLearnersProgress) {
    LearnerBook::Enrolled e = book.enrol(kName, kPhone, "", course);
    book.record_progress(e.learner, course, "l1", 1, true);
    const Course v2 = test_course("2.0");
    book.record_progress(e.learner, v2, "l2", 0, false);
    LearnerRecord r = book.record(e.learner);
    const CourseRecord& c = r.courses["test-course"];
    EXPECT_TRUE(c.lessons.at("l1").done) << "kept by lesson id, whatever the version";
    EXPECT_FALSE(c.lessons.at("l2").done);
}

TEST(LearnerMerge, TwiceIsOnceAndOrderDoesNotMatter) {
    CourseRecord a, b;
    a.lessons["l1"] = {2, false};
    a.attempts.used = 1;
    b.lessons["l1"] = {1, true};
    b.lessons["l2"] = {0, false};
    b.attempts.used = 2;
    b.attempts.passed = true;
    CourseRecord ab = a, ba = b;
    merge(ab, b);
    merge(ab, b);
    merge(ba, a);
    for (const CourseRecord* r : {&ab, &ba}) {
        EXPECT_EQ(r->lessons.at("l1").page, 2);
        EXPECT_TRUE(r->lessons.at("l1").done);
        EXPECT_EQ(r->attempts.used, 2);
        EXPECT_TRUE(r->attempts.passed);
    }
}

}  // namespace
}  // namespace seba::mp::testing
