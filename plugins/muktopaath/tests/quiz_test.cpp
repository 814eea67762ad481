// SPDX-License-Identifier: Apache-2.0
// The quiz: scoring single and multiple choice (right only when exactly its answers are
// chosen), a new order of questions and options each attempt, the pass mark and score bands,
// and limited attempts with the wait between them.
#include "quiz.hpp"

#include <gmock/gmock.h>

#include <algorithm>
#include <set>

#include "mp_fixture.hpp"

namespace seba::mp::testing {
namespace {

using namespace std::chrono_literals;

std::vector<Question> questions() {
    std::string refused;
    return read_content(test_course_json(), refused)->questions;
}

TEST(Quiz, ScoresSingleAndMultipleChoice) {
    const std::vector<Question> qs = questions();
    EXPECT_EQ(score_percent(qs, {{"q1", {"b"}}, {"q2", {"a", "c"}}, {"q3", {"a"}}}), 100);
    // A multiple-choice question is right only when exactly its answers are chosen.
    EXPECT_EQ(score_percent(qs, {{"q1", {"b"}}, {"q2", {"a"}}, {"q3", {"a"}}}), 66);
    EXPECT_EQ(score_percent(qs, {{"q1", {"b"}}, {"q2", {"a", "b", "c"}}, {"q3", {"a"}}}), 66);
    EXPECT_EQ(score_percent(qs, {{"q1", {"a"}}, {"q2", {"a", "c"}}}), 33);
    EXPECT_EQ(score_percent(qs, {}), 0);
    EXPECT_EQ(score_percent(qs, {{"q9", {"a"}}}), 0) << "answers to no question count nothing";
    EXPECT_EQ(score_band(60), "pass");
    EXPECT_EQ(score_band(75), "merit");
    EXPECT_EQ(score_band(90), "distinction");
}

TEST(Quiz, EachAttemptShufflesQuestionsAndOptions) {
    const std::vector<Question> qs = questions();
    std::set<std::vector<std::size_t>> question_orders, option_orders;
    for (int i = 0; i < 40; ++i) {
        QuizOrder o = shuffled(qs);
        // Every question once, every option of each once.
        std::vector<std::size_t> sorted = o.questions;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(sorted, (std::vector<std::size_t>{0, 1, 2}));
        ASSERT_EQ(o.options.size(), qs.size());
        for (std::size_t q = 0; q < qs.size(); ++q) {
            std::vector<std::size_t> opts = o.options[q];
            std::sort(opts.begin(), opts.end());
            EXPECT_EQ(opts.size(), qs[q].options.size());
            EXPECT_EQ(std::adjacent_find(opts.begin(), opts.end()), opts.end());
        }
        question_orders.insert(o.questions);
        option_orders.insert(o.options[1]);
    }
    // 6 orders of 3 questions, 6 of q2's options: 40 tries see several of each.
    EXPECT_GE(question_orders.size(), 3u);
    EXPECT_GE(option_orders.size(), 3u);
}

TEST(Quiz, AttemptsAreLimitedWithAWaitBetweenThem) {
    Course c = test_course();  // 3 attempts, 30 minutes apart
    const auto now = std::chrono::system_clock::now();
    AttemptHistory h;
    EXPECT_EQ(check_attempt(c, h, now).outcome, AttemptCheck::Outcome::Allowed);
    EXPECT_EQ(check_attempt(c, h, now).left, 3);
    h.used = 1;
    h.last_at = now - 10min;
    AttemptCheck wait = check_attempt(c, h, now);
    EXPECT_EQ(wait.outcome, AttemptCheck::Outcome::Wait);
    EXPECT_EQ(wait.wait, 20min);
    EXPECT_EQ(check_attempt(c, h, now + 20min).outcome, AttemptCheck::Outcome::Allowed);
    h.used = 3;
    h.last_at = now - 2h;
    EXPECT_EQ(check_attempt(c, h, now).outcome, AttemptCheck::Outcome::NoAttemptsLeft);
    h.passed = true;
    EXPECT_EQ(check_attempt(c, h, now).outcome, AttemptCheck::Outcome::AlreadyPassed);
}

TEST(Quiz, ReadsKioskTimes) {
    auto t = parse_iso("2026-11-28T01:02:03.456Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count(),
              1795827723456LL);
    EXPECT_TRUE(parse_iso("2026-11-28T01:02:03Z"));
    EXPECT_FALSE(parse_iso("2026-11-28 01:02:03"));
    EXPECT_FALSE(parse_iso("yesterday"));
}

}  // namespace
}  // namespace seba::mp::testing
