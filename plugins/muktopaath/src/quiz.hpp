// SPDX-License-Identifier: Apache-2.0
#pragma once

// The quiz: questions and options shuffled for each attempt, scored against the pass mark (a
// multiple-choice question is right only when exactly its answers are chosen), and the
// attempts a learner has, with the wait between two of them.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "course.hpp"

namespace seba::mp {

/// One attempt's order: which question comes when, and its options' order.
struct QuizOrder {
    std::vector<std::size_t> questions;             ///< indexes into Content::questions
    std::vector<std::vector<std::size_t>> options;  ///< per question (by its index), the order
};

/// A random number below `bound` (libsodium's by default); a test may give its own.
using Random = std::function<std::uint32_t(std::uint32_t bound)>;
std::uint32_t secure_random(std::uint32_t bound);

/// A fresh order for an attempt: questions and each question's options shuffled.
QuizOrder shuffled(const std::vector<Question>& questions, const Random& random = secure_random);

/// Chosen option ids by question id.
using Answers = std::map<std::string, std::set<std::string>, std::less<>>;

/// The percentage of questions answered right, rounded down (0 to 100).
int score_percent(const std::vector<Question>& questions, const Answers& answers);

/// "pass", "merit" (75 or more) or "distinction" (90 or more) for a passing score.
std::string score_band(int percent);

/// What is known of a learner's attempts at a course (from every kiosk that synced).
struct AttemptHistory {
    int used = 0;  ///< the highest attempt number recorded
    std::optional<std::chrono::system_clock::time_point> last_at;
    bool passed = false;
};

/// Whether the learner may start an attempt now, and if not why.
struct AttemptCheck {
    enum class Outcome { Allowed, AlreadyPassed, NoAttemptsLeft, Wait };
    Outcome outcome = Outcome::Allowed;
    std::chrono::seconds wait{0};  ///< Wait: how long still
    int left = 0;                  ///< attempts left, this one included
};
AttemptCheck check_attempt(const Course& course, const AttemptHistory& history,
                           std::chrono::system_clock::time_point now);

/// UTC ISO 8601 ("2026-11-28T01:02:03.456Z" or without the fraction) to a time; nullopt when
/// it is not one.
std::optional<std::chrono::system_clock::time_point> parse_iso(std::string_view iso);

}  // namespace seba::mp
