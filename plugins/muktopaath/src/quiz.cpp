// SPDX-License-Identifier: Apache-2.0
#include "quiz.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <numeric>

namespace seba::mp {

std::uint32_t secure_random(std::uint32_t bound) {
    return randombytes_uniform(bound);
}

namespace {

// Fisher-Yates with the given source.
void shuffle(std::vector<std::size_t>& v, const Random& random) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const std::size_t j = random(static_cast<std::uint32_t>(i));
        std::swap(v[i - 1], v[j]);
    }
}

std::vector<std::size_t> iota_of(std::size_t n) {
    std::vector<std::size_t> v(n);
    std::iota(v.begin(), v.end(), std::size_t{0});
    return v;
}

}  // namespace

QuizOrder shuffled(const std::vector<Question>& questions, const Random& random) {
    QuizOrder order;
    order.questions = iota_of(questions.size());
    shuffle(order.questions, random);
    for (const Question& q : questions) {
        order.options.push_back(iota_of(q.options.size()));
        shuffle(order.options.back(), random);
    }
    return order;
}

int score_percent(const std::vector<Question>& questions, const Answers& answers) {
    if (questions.empty()) return 0;
    std::size_t right = 0;
    for (const Question& q : questions) {
        auto given = answers.find(q.id);
        if (given == answers.end()) continue;
        const std::set<std::string> expected(q.answer.begin(), q.answer.end());
        if (given->second == expected) ++right;
    }
    return static_cast<int>(right * 100 / questions.size());
}

std::string score_band(int percent) {
    if (percent >= 90) return "distinction";
    if (percent >= 75) return "merit";
    return "pass";
}

AttemptCheck check_attempt(const Course& course, const AttemptHistory& history,
                           std::chrono::system_clock::time_point now) {
    AttemptCheck check;
    check.left = std::max(0, course.attempts - history.used);
    if (history.passed) {
        check.outcome = AttemptCheck::Outcome::AlreadyPassed;
    } else if (check.left <= 0) {
        check.outcome = AttemptCheck::Outcome::NoAttemptsLeft;
    } else if (history.last_at && course.retry_wait_minutes > 0) {
        const auto ready = *history.last_at + std::chrono::minutes(course.retry_wait_minutes);
        if (now < ready) {
            check.outcome = AttemptCheck::Outcome::Wait;
            check.wait = std::chrono::ceil<std::chrono::seconds>(ready - now);
        }
    }
    return check;
}

std::optional<std::chrono::system_clock::time_point> parse_iso(std::string_view iso) {
    if (iso.size() < 20 || iso.size() > 40) return std::nullopt;
    std::string s(iso);
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) !=
            6 ||
        used != 19)
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    int millis = 0;
    std::size_t at = 19;
    if (at < s.size() && s[at] == '.') {
        ++at;
        int digits = 0;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
            if (digits < 3) millis = millis * 10 + (s[at] - '0');
            ++digits;
            ++at;
        }
        for (; digits < 3; ++digits) millis *= 10;
    }
    if (at + 1 != s.size() || s[at] != 'Z') return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
}

}  // namespace seba::mp
