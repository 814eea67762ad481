// SPDX-License-Identifier: Apache-2.0
// The citizen's matches: each a card (what it is, who offers it) with its reasons as a
// pictogram and a few words (skills, place, closing day, places left, pay or cost), so that a
// person who reads little sees why it is there. A profile with no skills, or one that matches
// nothing, gets guidance instead of an empty page. From a card: its details, with the skills
// it asks that the citizen lacks and a MuktoPaath course for each, and the referral.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "match_parts.hpp"
#include "screens.hpp"

namespace seba::nise {

using ui::Navigator;
using ui::Ui;

namespace match_ui {

std::string say(Ui& ui, const std::string& english, std::string_view a0, std::string_view a1) {
    try {
        return fmt::format(fmt::runtime(ui.tr(english)), a0, a1);
    } catch (const fmt::format_error&) {
        return fmt::format(fmt::runtime(english), a0, a1);
    }
}

std::string_view kind_icon(Kind kind) {
    switch (kind) {
        case Kind::Training:
            return ui::icon::school;
        case Kind::Apprenticeship:
            return "construction";
        case Kind::Job:
            break;
    }
    return ui::icon::work;
}

std::string kind_word(Ui& ui, Kind kind) {
    switch (kind) {
        case Kind::Training:
            return ui.tr("Training");
        case Kind::Apprenticeship:
            return ui.tr("Apprenticeship");
        case Kind::Job:
            break;
    }
    return ui.tr("Job");
}

void read_aloud_button(Ui& ui, std::string_view id, const std::string& text) {
    if (ui.can_read_aloud() && ui.button(id, ui.tr("Read this page aloud"),
                                         ui::ButtonStyle::Secondary, true, ui::icon::read_aloud))
        ui.read_aloud(text);
}

std::string place_words(Ui& ui, Desk& desk, std::string_view ref) {
    std::optional<PlaceName> place = desk.places().name(ref, ui.language());
    if (!place) return {};
    std::string words = name_in(place->names, ui.language());
    for (auto parent = place->path.rbegin(); parent != place->path.rend(); ++parent)
        if (!parent->empty()) words += ", " + *parent;
    return words;
}

}  // namespace match_ui

namespace {

using namespace match_ui;

constexpr std::size_t kShownMatches = 20;
constexpr std::size_t kGuideCourses = 4;

// What the citizen will find on MuktoPaath: another plugin cannot be opened from here.
std::string course_note(Ui& ui, const CourseSkills& course) {
    return say(ui,
               "Find it on this kiosk: go to the home screen, open MuktoPaath courses and choose "
               "\"{0}\".",
               name_in(course.title, ui.language()));
}

std::string skill_name(Ui& ui, Desk& desk, std::string_view id) {
    if (const Skill* s = desk.catalog().skill(id)) return name_in(s->names, ui.language());
    return std::string(id);
}

std::string number(Ui& ui, long long n) {
    return ui.digits(std::to_string(n));
}

// "You have 3 of 4 skills"; and apart (a row's second line), "2 shown by certificates".
std::string skills_reason(Ui& ui, const Reasons& why) {
    return say(ui, "You have {0} of {1} skills", number(ui, why.have), number(ui, why.of));
}

std::string verified_reason(Ui& ui, const Reasons& why) {
    if (why.verified <= 0) return {};
    return ui.trn("{0} shown by a certificate", "{0} shown by certificates",
                  static_cast<unsigned long>(why.verified));
}

std::string place_reason(Ui& ui, const Reasons& why) {
    // Kilometres only from 1 up: places without their own coordinates take their district
    // seat's, so two upazilas of a district are "0 km" apart, which says nothing.
    if (why.km && *why.km >= 0.5) return say(ui, "{0} km away", number(ui, std::llround(*why.km)));
    switch (why.nearness) {
        case Nearness::SamePlace:
            return ui.tr("Where you live");
        case Nearness::SameArea:
            return ui.tr("In your area");
        case Nearness::SameDistrict:
            return ui.tr("In your district");
        case Nearness::SameRegion:
            return ui.tr("In your region");
        case Nearness::SameCountry:
            return ui.tr("In another region of the country");
        case Nearness::Elsewhere:
            break;
    }
    return ui.tr("Its place is not known");
}

std::string closes_reason(Ui& ui, int days_left) {
    if (days_left <= 0) return ui.tr("Closes today");
    if (days_left == 1) return ui.tr("Closes tomorrow");
    return ui.trn("Closes in {0} day", "Closes in {0} days", static_cast<unsigned long>(days_left));
}

std::string seats_reason(Ui& ui, int seats) {
    return ui.trn("{0} place left", "{0} places left", static_cast<unsigned long>(seats));
}

// The pay of a job ("৳14,000 a month") or the cost of a training ("Free"); "" when unknown.
std::string money_words(Ui& ui, const Opportunity& o) {
    if (o.wage) {
        const std::string amount = ui.money(std::llround(o.wage->amount), o.wage->currency);
        if (o.wage->per == "day") return say(ui, "{0} a day", amount);
        if (o.wage->per == "hour") return say(ui, "{0} an hour", amount);
        return say(ui, "{0} a month", amount);
    }
    if (o.cost) {
        if (o.cost->amount <= 0) return ui.tr("Free of charge");
        return say(ui, "Costs {0}", ui.money(std::llround(o.cost->amount), o.cost->currency));
    }
    return {};
}

bool open_on(const Opportunity& o, std::string_view today) {
    if (o.seats <= 0) return false;
    if (!o.opens.empty() && std::string_view(o.opens) > today) return false;
    return std::string_view(o.closes) >= today;
}

// Courses for the skills most asked by the open opportunities, those near the citizen
// counting more; skills the citizen has left out.
std::vector<const CourseSkills*> courses_for_asked_skills(Desk& desk, const Seeker& seeker,
                                                          std::string_view today) {
    std::set<std::string, std::less<>> have;
    for (const Holding& h : seeker.skills) have.insert(h.skill);
    const PlaceChain* home = seeker.place.empty() ? nullptr : desk.places().chain(seeker.place);
    std::map<std::string, double, std::less<>> asked;
    for (const Opportunity& o : desk.catalog().opportunities()) {
        if (!open_on(o, today)) continue;
        double near = 1;
        if (home)
            if (const PlaceChain* there = desk.places().chain(o.place))
                near = nearness(*home, *there) <= Nearness::SameRegion ? 3 : 1;
        for (const RequiredSkill& r : o.skills)
            if (!have.contains(r.skill)) asked[r.skill] += near * r.weight;
    }
    std::vector<std::pair<std::string, double>> by_weight(asked.begin(), asked.end());
    std::stable_sort(by_weight.begin(), by_weight.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<const CourseSkills*> courses;
    for (const auto& [skill, weight] : by_weight) {
        for (const CourseSkills* c : desk.catalog().courses_teaching(skill)) {
            if (std::find(courses.begin(), courses.end(), c) != courses.end()) continue;
            courses.push_back(c);
            break;
        }
        if (courses.size() >= kGuideCourses) break;
    }
    return courses;
}

class DetailsScreen;

class MatchesScreen final : public ui::Screen {
  public:
    explicit MatchesScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    void guide(Ui& ui, Navigator& nav, const Seeker& seeker, std::string_view today,
               bool no_skills);
    Desk& desk_;
    std::string noted_;  // the course whose note shows
};

class DetailsScreen final : public ui::Screen {
  public:
    DetailsScreen(Desk& desk, std::string opportunity)
        : desk_(desk), opportunity_(std::move(opportunity)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Desk& desk_;
    const std::string opportunity_;
    std::string noted_;
};

void MatchesScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("nise.matches.title", ui.tr("Jobs and training for you"));
    const Seeker seeker = desk_.citizen().profile.seeker();
    const std::string today = desk_.clock().today();
    if (seeker.skills.empty()) {
        guide(ui, nav, seeker, today, true);
        return;
    }
    const Ranking ranking = desk_.matcher().rank(seeker, desk_.places(), today, kShownMatches);
    if (ranking.matches.empty()) {
        guide(ui, nav, seeker, today, false);
        return;
    }
    const std::string hint = ui.tr("The best for you first. Tap one to see more and to apply.");
    ui.paragraph("nise.matches.hint", hint);
    std::string aloud = hint;
    constexpr std::size_t kReadAloud = 5;  // the first ones: a list read whole is not heard
    for (const Match& m : ranking.matches) {
        const Opportunity& o = *m.opportunity;
        const std::string id = "nise.match." + o.id;
        bool open =
            ui.list_row(id, name_in(o.title, ui.language()),
                        kind_word(ui, o.kind) + " · " + name_in(o.organisation, ui.language()),
                        kind_icon(o.kind));
        open |= ui.list_row(id + ".skills", skills_reason(ui, m.why), verified_reason(ui, m.why),
                            m.why.verified > 0 ? ui::icon::verified : ui::icon::fact_check);
        open |= ui.list_row(id + ".place", place_reason(ui, m.why), {}, "place");
        open |=
            ui.list_row(id + ".closes", closes_reason(ui, m.why.days_left), {}, ui::icon::calendar);
        open |= ui.list_row(id + ".seats", seats_reason(ui, m.why.seats), {}, "event_seat");
        if (const std::string money = money_words(ui, o); !money.empty())
            open |= ui.list_row(id + ".money", money, {}, ui::icon::payments);
        if (!m.why.education_met)
            open |= ui.list_row(id + ".education", ui.tr("Asks for more schooling than yours"), {},
                                ui::icon::warning);
        if (open) nav.push<DetailsScreen>(desk_, o.id);
        if (&m - ranking.matches.data() < static_cast<std::ptrdiff_t>(kReadAloud))
            aloud += ". " + name_in(o.title, ui.language()) + ", " +
                     name_in(o.organisation, ui.language()) + ". " + skills_reason(ui, m.why) +
                     " " + verified_reason(ui, m.why) + ". " + place_reason(ui, m.why) + ". " +
                     closes_reason(ui, m.why.days_left);
    }
    read_aloud_button(ui, "nise.matches.read_aloud", aloud);
}

void MatchesScreen::guide(Ui& ui, Navigator& nav, const Seeker& seeker, std::string_view today,
                          bool no_skills) {
    const std::string why =
        no_skills ? ui.tr("Tell us what you can do, and we will find jobs and training for you.")
                  : ui.tr(
                        "Nothing open matches your skills right now. Add more skills, or learn "
                        "one that employers near you ask for.");
    ui.banner("nise.guide.why", ui::Tone::Info, why);
    std::string aloud = why;
    if (no_skills) {
        if (ui.button("nise.guide.add_skills", ui.tr("Add my skills"), ui::ButtonStyle::Primary,
                      true, ui::icon::add))
            nav.push(profile_screen(desk_));
        ui.paragraph("nise.guide.courses.title",
                     ui.tr("Or learn a skill that employers near you ask for:"));
    } else {
        if (ui.button("nise.guide.add_skills", ui.tr("Add more skills"), ui::ButtonStyle::Primary,
                      true, ui::icon::add))
            nav.push(profile_screen(desk_));
        ui.paragraph("nise.guide.courses.title", ui.tr("Courses for skills asked near you:"));
    }
    const std::vector<const CourseSkills*> courses = courses_for_asked_skills(desk_, seeker, today);
    if (courses.empty())
        ui.paragraph("nise.guide.no_courses",
                     ui.tr("No course is listed yet. Ask the operator for advice."));
    for (const CourseSkills* c : courses) {
        std::string taught;
        for (const std::string& skill : c->skills) {
            if (!taught.empty()) taught += ", ";
            taught += skill_name(ui, desk_, skill);
        }
        if (ui.list_row("nise.guide.course." + c->course, name_in(c->title, ui.language()), taught,
                        ui::icon::school))
            noted_ = noted_ == c->course ? std::string() : c->course;
        if (noted_ == c->course)
            ui.message("nise.guide.course_note", ui::Tone::Info, course_note(ui, *c));
        aloud += ". " + name_in(c->title, ui.language());
    }
    read_aloud_button(ui, "nise.guide.read_aloud", aloud);
}

void DetailsScreen::draw(Ui& ui, Navigator& nav) {
    const Opportunity* o = desk_.catalog().opportunity(opportunity_);
    if (!o) {
        ui.heading("nise.detail.title", ui.tr("Details"));
        ui.banner("nise.detail.gone", ui::Tone::Warning,
                  ui.tr("This opportunity is no longer listed. Choose another one."));
        return;
    }
    const std::string_view language = ui.language();
    ui.heading("nise.detail.title", name_in(o->title, language));
    ui.list_row("nise.detail.kind", name_in(o->organisation, language), kind_word(ui, o->kind),
                kind_icon(o->kind));
    if (const std::string& summary = name_in(o->summary, language); !summary.empty())
        ui.paragraph("nise.detail.summary", summary);
    const Seeker seeker = desk_.citizen().profile.seeker();
    const std::string today = desk_.clock().today();
    const std::optional<Match> match = desk_.matcher().explain(seeker, *o, desk_.places(), today);
    if (!open_on(*o, today))
        ui.banner("nise.detail.closed", ui::Tone::Warning,
                  o->seats <= 0 ? ui.tr("No places are left.") : ui.tr("It is not open now."));
    if (const std::string money = money_words(ui, *o); !money.empty())
        ui.answer("nise.detail.money", o->wage ? ui.tr("Pay") : ui.tr("Cost"), money, false);
    if (!o->opens.empty() && std::string_view(o->opens) > today)
        ui.answer("nise.detail.opens", ui.tr("Opens on"), ui.date(o->opens), false);
    ui.answer("nise.detail.closes", ui.tr("Apply by"),
              ui.date(o->closes) +
                  (match ? " · " + closes_reason(ui, match->why.days_left) : std::string()),
              false);
    ui.answer("nise.detail.seats", ui.tr("Places left"), number(ui, o->seats), false);
    std::string where = place_words(ui, desk_, o->place);
    if (match) {
        const std::string near = place_reason(ui, match->why);
        where = where.empty() ? near : where + " · " + near;
    }
    ui.answer("nise.detail.place", ui.tr("Where"), where.empty() ? o->place : where, false);
    if (!o->education.empty())
        for (const EducationLevel& level : education_levels())
            if (level.id == o->education)
                ui.answer("nise.detail.education", ui.tr("Schooling asked"),
                          ui.tr(std::string(level.english)), false);

    // Skills: the ones the citizen has first (a certificate's mark on those it shows), then
    // the missing ones, each with the course that teaches it.
    ui.heading("nise.detail.skills", match ? skills_reason(ui, match->why) : ui.tr("Skills asked"));
    std::map<std::string, bool, std::less<>> held;
    for (const Holding& h : seeker.skills) held[h.skill] = h.verified;
    std::set<std::string, std::less<>> shown_courses;
    for (const RequiredSkill& r : o->skills) {
        const auto h = held.find(r.skill);
        if (h == held.end()) continue;
        ui.list_row("nise.detail.have." + r.skill, skill_name(ui, desk_, r.skill),
                    h->second ? ui.tr("Shown by your certificate") : ui.tr("You said you have it"),
                    h->second ? ui::icon::verified : ui::icon::done);
    }
    for (const RequiredSkill& r : o->skills) {
        if (held.contains(r.skill)) continue;
        ui.list_row("nise.detail.missing." + r.skill, skill_name(ui, desk_, r.skill),
                    ui.tr("You do not have it yet"), ui::icon::remove);
        const std::vector<const CourseSkills*> courses = desk_.catalog().courses_teaching(r.skill);
        if (courses.empty()) continue;
        const CourseSkills& c = *courses.front();
        if (!shown_courses.insert(c.course).second) continue;
        if (ui.list_row("nise.detail.course." + c.course,
                        say(ui, "Learn it: {0}", name_in(c.title, language)),
                        ui.tr("A MuktoPaath course"), ui::icon::school))
            noted_ = noted_ == c.course ? std::string() : c.course;
        if (noted_ == c.course)
            ui.message("nise.detail.course_note", ui::Tone::Info, course_note(ui, c));
    }
    if (!o->source.empty()) ui.paragraph("nise.detail.source", say(ui, "Source: {0}", o->source));
    std::string aloud = name_in(o->title, language) + ", " + name_in(o->organisation, language) +
                        ". " + name_in(o->summary, language);
    if (match)
        aloud += ". " + skills_reason(ui, match->why) + ". " + place_reason(ui, match->why) + ". " +
                 closes_reason(ui, match->why.days_left);
    for (const RequiredSkill& r : o->skills)
        if (!held.contains(r.skill))
            aloud += ". " + ui.tr("You do not have it yet") + ": " + skill_name(ui, desk_, r.skill);
    read_aloud_button(ui, "nise.detail.read_aloud", aloud);

    if (ui.button("nise.detail.refer", ui.tr("Apply: send my profile"), ui::ButtonStyle::Primary,
                  open_on(*o, today), ui::icon::forward)) {
        const Citizen& citizen = desk_.citizen();
        if (citizen.login.empty() || !citizen.consented) {
            // Saved first (name, phone, consent, the return code's slip), then the review.
            Desk& desk = desk_;
            std::string id = opportunity_;
            nav.push(save_screen(
                desk_, [&desk, id](Navigator& then) { then.push(review_screen(desk, id)); }));
        } else {
            nav.push(review_screen(desk_, opportunity_));
        }
    }
}

}  // namespace

std::unique_ptr<ui::Screen> matches_screen(Desk& desk) {
    return std::make_unique<MatchesScreen>(desk);
}

}  // namespace seba::nise
