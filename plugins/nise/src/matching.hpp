// SPDX-License-Identifier: Apache-2.0
#pragma once

// Opportunities ranked for one citizen, each with the reasons a person can check: how many of
// the skills it asks the citizen has (verified by a certificate or said), how near it is, how
// soon it closes, how many seats are left, and what is missing, with a MuktoPaath course that
// teaches a missing skill. docs/nise.md, "Matching", gives the score.
//
// Closed, not yet open, full and other-country opportunities are never listed; nor are those
// sharing no skill with the citizen (a profile with no skills gets guidance, not a list).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog.hpp"
#include "places.hpp"

namespace seba::nise {

/// A skill the citizen has.
struct Holding {
    std::string skill;
    bool verified = false;  ///< a certificate shows it
};

/// What the matcher needs of a profile.
struct Seeker {
    std::vector<Holding> skills;
    std::string place;      ///< "<channel>/<key>" of the directory, or "" (unknown)
    std::string education;  ///< an education level id (profile.hpp), or ""
};

struct Reasons {
    /// The weighted share of the skills it asks that the citizen has: a verified skill counts
    /// its full weight, one only said counts 0.8 of it. 0..1.
    double coverage = 0;
    int have = 0;      ///< required skills the citizen has
    int of = 0;        ///< required skills
    int verified = 0;  ///< of `have`, shown by a certificate
    /// Required skills the citizen lacks, heaviest first, each with the id of a course that
    /// teaches it ("" when no course does; one enabled at this centre preferred).
    std::vector<std::pair<std::string, std::string>> missing;
    Nearness nearness = Nearness::Elsewhere;
    std::optional<double> km;
    int days_left = 0;  ///< until its closing date: 0 closes today
    int seats = 0;
    bool education_met = true;  ///< the citizen has at least the education it asks
};

struct Match {
    const Opportunity* opportunity = nullptr;
    double score = 0;  ///< 0..1, higher first
    Reasons why;
};

struct Ranking {
    std::vector<Match> matches;  ///< best first, at most the limit asked
    std::size_t considered = 0;  ///< open opportunities sharing a skill with the citizen
    std::size_t hidden_closed = 0;  ///< past their closing date (by the guarded clock)
};

/// Ranks a catalog's opportunities. Built once per catalog generation: it indexes the open
/// opportunities by skill, so a citizen's ranking reads only those sharing a skill.
class Matcher {
  public:
    /// The course teaching a skill, or "": Catalog::courses_teaching's first.
    using CourseFor = std::function<std::string(std::string_view skill)>;
    /// `opportunities` must outlive the matcher (Catalog::opportunities()).
    Matcher(const std::vector<Opportunity>& opportunities, CourseFor course_for);
    /// The catalog's opportunities and courses.
    explicit Matcher(const Catalog& catalog);
    /// `today`: ClockGuard::today(). `limit`: how many to return.
    Ranking rank(const Seeker& seeker, Places& places, std::string_view today,
                 std::size_t limit) const;

    /// The same for one opportunity (its details page); nullopt when it would not be listed.
    std::optional<Match> explain(const Seeker& seeker, const Opportunity& opportunity,
                                 Places& places, std::string_view today) const;

  private:
    const std::vector<Opportunity>& opportunities_;
    CourseFor course_for_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_skill_;  // -> opportunities()
    std::vector<std::pair<int, int>> days_;  // closes and opens of each, as day numbers
    std::vector<int> education_;             // each one's education_rank()
    std::unordered_map<std::string_view, std::uint32_t> skill_number_;  // views into opportunities_
    std::vector<std::uint32_t> skill_of_;     // every opportunity's skills, numbered, in order
    std::vector<std::uint32_t> skills_from_;  // opportunity i's: [skills_from_[i], [i + 1])
    std::unordered_map<std::string_view, std::uint32_t> place_number_;
    std::vector<std::string_view> places_;  // by number
    std::vector<std::uint32_t> place_of_;   // each opportunity's place number
};

/// The score's parts (docs/nise.md): skills 0.6, nearness 0.25, closing soon 0.1, seats 0.05.
double score(const Reasons& why);

}  // namespace seba::nise
