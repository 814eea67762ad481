// SPDX-License-Identifier: Apache-2.0
// INTERIM (lead's contract commit): replaced by the matcher's implementation.
#include "matching.hpp"

namespace seba::nise {

Matcher::Matcher(const std::vector<Opportunity>& opportunities, CourseFor course_for)
    : opportunities_(opportunities), course_for_(std::move(course_for)) {}
Matcher::Matcher(const Catalog& catalog)
    : Matcher(catalog.opportunities(), [&catalog](std::string_view skill) {
          auto courses = catalog.courses_teaching(skill);
          return courses.empty() ? std::string() : courses.front()->course;
      }) {}
Ranking Matcher::rank(const Seeker&, Places&, std::string_view, std::size_t) const { return {}; }
std::optional<Match> Matcher::explain(const Seeker&, const Opportunity&, Places&,
                                      std::string_view) const {
    return std::nullopt;
}
double score(const Reasons&) { return 0; }

}  // namespace seba::nise
