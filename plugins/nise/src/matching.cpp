// SPDX-License-Identifier: Apache-2.0
#include "matching.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clock_guard.hpp"
#include "profile.hpp"

namespace seba::nise {

namespace {

// A skill the citizen only says they have counts this much of one a certificate shows.
constexpr double kSaidShare = 0.8;
constexpr int kSoonDays = 7;
constexpr int kThisMonthDays = 30;
constexpr int kSeatsCounted = 10;

double nearness_value(Nearness n) {
    switch (n) {
        case Nearness::SamePlace:
            return 1.0;
        case Nearness::SameArea:
            return 0.8;
        case Nearness::SameDistrict:
            return 0.6;
        case Nearness::SameRegion:
            return 0.3;
        case Nearness::SameCountry:
            return 0.1;
        case Nearness::Elsewhere:
            return 0.1;  // a place unknown at either end
    }
    return 0.1;
}

// Where an opportunity is against the citizen, by its place; worked out once per place in a
// ranking.
struct Where {
    bool other_country = false;
    Nearness nearness = Nearness::Elsewhere;
    const PlaceChain* chain = nullptr;
};

Where where(const PlaceChain* seeker, std::string_view seeker_country, Places& places,
            const std::string& place) {
    Where w;
    w.chain = places.chain(place);
    // A place the directory lacks still names its country ("geo.bd.unions/999").
    const std::string country = w.chain ? w.chain->country : country_of(place);
    w.other_country = !seeker_country.empty() && !country.empty() && seeker_country != country;
    if (seeker && w.chain) w.nearness = nearness(*seeker, *w.chain);  // else unknown: least near
    return w;
}

std::string seeker_country_of(const Seeker& seeker, const PlaceChain* chain) {
    return chain ? chain->country : country_of(seeker.place);
}

enum class Verdict { Listed, Closed, NotOpen, Full, OtherCountry, NoSkill };

// Dates as days since 1970-01-01, read once: a ranking judges thousands.
constexpr int kNoDay = std::numeric_limits<int>::min();
int day_number(std::string_view date) {
    return date.empty() ? kNoDay : days_until("1970-01-01", date).value_or(kNoDay);
}

struct Today {
    int day = kNoDay;
    int education = -1;  // the citizen's, education_rank()
};

// The reasons for one opportunity but the missing skills (filled for those shown), or why
// it is not listed.
// `holds(k)`: how the citizen holds the opportunity's k-th skill: -1 not, 0 said, 1 verified.
template <typename Holds>
Verdict judge(const Holds& holds, const Opportunity& o, int closes, int opens, int education,
              const PlaceChain* seeker_chain, const Where& w, const Today& today, Reasons& why) {
    if (closes == kNoDay || today.day == kNoDay || closes < today.day) return Verdict::Closed;
    if (!o.opens.empty() && (opens == kNoDay || opens > today.day)) return Verdict::NotOpen;
    if (o.seats <= 0) return Verdict::Full;
    if (w.other_country) return Verdict::OtherCountry;

    double weight_all = 0, weight_had = 0;
    for (std::size_t k = 0; k < o.skills.size(); ++k) {
        const int weight = o.skills[k].weight;
        weight_all += weight;
        const int held = holds(k);
        if (held < 0) continue;
        ++why.have;
        if (held > 0) ++why.verified;
        weight_had += weight * (held > 0 ? 1.0 : kSaidShare);
    }
    if (why.have == 0) return Verdict::NoSkill;
    why.of = static_cast<int>(o.skills.size());
    why.coverage = weight_all > 0 ? weight_had / weight_all : 0;
    why.nearness = w.nearness;
    if (seeker_chain && w.chain) {
        // The workplace's own coordinates when the pack has them, else its place's.
        PlaceChain from, at;
        from.lat = seeker_chain->lat, from.lon = seeker_chain->lon;
        at.lat = o.lat && o.lon ? o.lat : w.chain->lat;
        at.lon = o.lat && o.lon ? o.lon : w.chain->lon;
        why.km = km_between(from, at);
    }
    why.days_left = closes - today.day;
    why.seats = o.seats;
    // An education the citizen has not said is not known to be met.
    why.education_met = o.education.empty() || today.education >= education;
    return Verdict::Listed;
}

// Heaviest first, equal weights as the record lists them, each with a course that teaches it.
void fill_missing(const Seeker& seeker, const Opportunity& o, const Matcher::CourseFor& course_for,
                  Reasons& why) {
    std::vector<const RequiredSkill*> lacking;
    for (const RequiredSkill& r : o.skills)
        if (std::none_of(seeker.skills.begin(), seeker.skills.end(),
                         [&](const Holding& h) { return h.skill == r.skill; }))
            lacking.push_back(&r);
    std::stable_sort(lacking.begin(), lacking.end(),
                     [](const auto* a, const auto* b) { return a->weight > b->weight; });
    for (const RequiredSkill* r : lacking)
        why.missing.emplace_back(r->skill, course_for ? course_for(r->skill) : std::string());
}

}  // namespace

Matcher::Matcher(const std::vector<Opportunity>& opportunities, CourseFor course_for)
    : opportunities_(opportunities), course_for_(std::move(course_for)) {
    // Full ones are never listed and stay full until the catalog changes (and the matcher
    // with it); dates are judged at ranking, by the guarded clock.
    days_.reserve(opportunities_.size());
    for (std::size_t i = 0; i < opportunities_.size(); ++i) {
        const Opportunity& o = opportunities_[i];
        days_.emplace_back(day_number(o.closes), day_number(o.opens));
        education_.push_back(education_rank(o.education));
        // Skills and places by number: a ranking compares numbers, not text.
        skills_from_.push_back(static_cast<std::uint32_t>(skill_of_.size()));
        for (const RequiredSkill& r : o.skills)
            skill_of_.push_back(
                skill_number_.emplace(r.skill, static_cast<std::uint32_t>(skill_number_.size()))
                    .first->second);
        auto place = place_number_.emplace(o.place, static_cast<std::uint32_t>(places_.size()));
        if (place.second) places_.push_back(o.place);
        place_of_.push_back(place.first->second);
        if (o.seats <= 0) continue;
        for (const RequiredSkill& r : o.skills) by_skill_[r.skill].push_back(i);
    }
    skills_from_.push_back(static_cast<std::uint32_t>(skill_of_.size()));
}

Matcher::Matcher(const Catalog& catalog)
    : Matcher(catalog.opportunities(), [&catalog](std::string_view skill) {
          auto courses = catalog.courses_teaching(skill);
          return courses.empty() ? std::string() : courses.front()->course;
      }) {
}

Ranking Matcher::rank(const Seeker& seeker, Places& places, std::string_view today,
                      std::size_t limit) const {
    Ranking ranking;
    // Those sharing a skill, each once, in catalog order.
    std::vector<unsigned char> shares(opportunities_.size(), 0);
    bool any = false;
    for (const Holding& h : seeker.skills)
        if (auto it = by_skill_.find(h.skill); it != by_skill_.end())
            for (std::size_t i : it->second) shares[i] = 1, any = true;
    if (!any) return ranking;

    const PlaceChain* seeker_chain = seeker.place.empty() ? nullptr : places.chain(seeker.place);
    const std::string seeker_country = seeker_country_of(seeker, seeker_chain);
    const Today now{day_number(today), education_rank(seeker.education)};
    // How the citizen holds each skill of the catalog, by number (the first mention counts).
    std::vector<signed char> held(skill_number_.size(), -1);
    for (const Holding& h : seeker.skills)
        if (auto it = skill_number_.find(h.skill);
            it != skill_number_.end() && held[it->second] < 0)
            held[it->second] = h.verified ? 1 : 0;
    // Where each place is against the citizen, worked out once per ranking.
    std::vector<std::optional<Where>> where_of(places_.size());

    auto judge_one = [&](std::size_t i, Reasons& why, bool with_km) {
        const Opportunity& o = opportunities_[i];
        std::optional<Where>& w = where_of[place_of_[i]];
        if (!w) w = where(seeker_chain, seeker_country, places, o.place);
        const std::uint32_t* numbers = skill_of_.data() + skills_from_[i];
        return judge([&](std::size_t k) { return int{held[numbers[k]]}; }, o, days_[i].first,
                     days_[i].second, education_[i], with_km ? seeker_chain : nullptr, *w, now,
                     why);
    };
    // First the scores of all, then the reasons of those shown.
    std::vector<std::pair<double, std::size_t>> scored;
    scored.reserve(1024);
    for (std::size_t i = 0; i < shares.size(); ++i) {
        if (!shares[i]) continue;
        Reasons why;
        switch (judge_one(i, why, false)) {
            case Verdict::Listed:
                scored.emplace_back(score(why), i);
                break;
            case Verdict::Closed:
                ++ranking.hidden_closed;
                break;
            default:
                break;
        }
    }
    ranking.considered = scored.size();
    const std::size_t keep = std::min(limit, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep),
                      scored.end(), [&](const auto& a, const auto& b) {
                          if (a.first != b.first) return a.first > b.first;
                          const Opportunity& x = opportunities_[a.second];
                          const Opportunity& y = opportunities_[b.second];
                          return x.closes != y.closes ? x.closes < y.closes : x.id < y.id;
                      });
    std::vector<Match> matches;
    matches.reserve(keep);
    for (std::size_t n = 0; n < keep; ++n) {
        Match m{&opportunities_[scored[n].second], scored[n].first, {}};
        judge_one(scored[n].second, m.why, true);
        fill_missing(seeker, *m.opportunity, course_for_, m.why);
        matches.push_back(std::move(m));
    }
    ranking.matches = std::move(matches);
    return ranking;
}

std::optional<Match> Matcher::explain(const Seeker& seeker, const Opportunity& opportunity,
                                      Places& places, std::string_view today) const {
    const PlaceChain* seeker_chain = seeker.place.empty() ? nullptr : places.chain(seeker.place);
    Match m{&opportunity, 0, {}};
    const Where w =
        where(seeker_chain, seeker_country_of(seeker, seeker_chain), places, opportunity.place);
    const Today now{day_number(today), education_rank(seeker.education)};
    const auto holds = [&](std::size_t k) {
        const std::string& skill = opportunity.skills[k].skill;
        for (const Holding& h : seeker.skills)
            if (h.skill == skill) return h.verified ? 1 : 0;
        return -1;
    };
    if (judge(holds, opportunity, day_number(opportunity.closes), day_number(opportunity.opens),
              education_rank(opportunity.education), seeker_chain, w, now,
              m.why) != Verdict::Listed)
        return std::nullopt;
    m.score = score(m.why);
    fill_missing(seeker, opportunity, course_for_, m.why);
    return m;
}

double score(const Reasons& why) {
    const double closing = why.days_left <= kSoonDays        ? 1.0
                           : why.days_left <= kThisMonthDays ? 0.5
                                                             : 0.0;
    const double seats = std::min(why.seats, kSeatsCounted) / double(kSeatsCounted);
    const double total = 0.6 * why.coverage + 0.25 * nearness_value(why.nearness) + 0.1 * closing +
                         0.05 * seats - (why.education_met ? 0.0 : 0.1);
    // To 9 decimals: scores equal on paper tie exactly (then closing date, then id) whatever
    // order the skills were summed in.
    return std::round(std::clamp(total, 0.0, 1.0) * 1e9) / 1e9;
}

}  // namespace seba::nise
