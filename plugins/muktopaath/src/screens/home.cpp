// SPDX-License-Identifier: Apache-2.0
// The first screen: search as the citizen types, the categories as pictogram tiles, sign in
// with a return code (or the learner's courses once signed in), and checking a certificate.
#include "screens.hpp"

namespace seba::mp {

namespace {

void course_row(Ui& ui, Navigator& nav, Academy& academy, const Course& c,
                std::string_view prefix) {
    const std::string detail = duration_text(ui, c.duration_minutes) + " · " +
                               language_name(c.language) + " · " +
                               text_in(c.provider, ui.language());
    if (ui.list_row(course_id(prefix, c), text_in(c.title, ui.language()), detail, "school"))
        nav.push<CourseScreen>(academy, c.id);
}

}  // namespace

void HomeScreen::draw(Ui& ui, Navigator& nav) {
    academy_.refresh();
    ui.heading("muktopaath.title", ui.tr("Free courses (MuktoPaath)"));
    if (Learner* learner = academy_.learner()) {
        ui.message("muktopaath.signed_in", ui::Tone::Info,
                   ui.tr("Signed in as") + " " + learner->name);
        if (ui.button("muktopaath.my_courses", ui.tr("My courses"), ui::ButtonStyle::Primary, true,
                      "school"))
            nav.push<MyCoursesScreen>(academy_);
    } else if (ui.button("muktopaath.sign_in", ui.tr("I have a return code: continue"),
                         ui::ButtonStyle::Secondary, true, "login")) {
        nav.push<SignInScreen>(academy_, "");
    }
    ui::FieldSpec spec;
    spec.max_chars = 64;
    const std::string query(ui.field("muktopaath.query", ui.tr("Search a course"), spec).text);
    if (!query.empty()) {
        std::vector<const Course*> found = academy_.search(query);
        if (found.empty())
            ui.message("muktopaath.nothing_found", ui::Tone::Info,
                       ui.tr("No course found. Try fewer letters, or browse below."));
        for (const Course* c : found) course_row(ui, nav, academy_, *c, "muktopaath.hit.");
    }
    if (academy_.courses("", ui.language()).empty())
        ui.message("muktopaath.no_courses", ui::Tone::Warning,
                   ui.tr("No course has reached this kiosk yet. Please ask the operator."));
    ui.begin_tiles("muktopaath.categories");
    for (const Category& c : academy_.categories()) {
        const std::size_t n = academy_.courses(c.id, ui.language()).size();
        if (n == 0) continue;
        if (ui.tile("muktopaath.category." + c.id, text_in(c.names, ui.language()),
                    ui.trn("{0} course", "{0} courses", n), c.icon))
            nav.push<CategoryScreen>(academy_, c.id);
    }
    if (ui.tile("muktopaath.verify", ui.tr("Verify a certificate"),
                ui.tr("Check a MuktoPaath certificate"), "verified"))
        nav.push<VerifyScreen>(academy_);
    ui.end_tiles();
}

void CategoryScreen::draw(Ui& ui, Navigator& nav) {
    academy_.refresh();
    std::string name;
    for (const Category& c : academy_.categories())
        if (c.id == category_) name = text_in(c.names, ui.language());
    ui.heading("muktopaath.category.title", name);
    std::vector<const Course*> courses = academy_.courses(category_, ui.language());
    if (courses.empty())
        ui.message("muktopaath.category.empty", ui::Tone::Info,
                   ui.tr("No course of this kind is offered here now."));
    for (const Course* c : courses) course_row(ui, nav, academy_, *c, "muktopaath.course.");
}

void MyCoursesScreen::draw(Ui& ui, Navigator& nav) {
    academy_.refresh();
    ui.heading("muktopaath.mine.title", ui.tr("My courses"));
    Learner* learner = academy_.learner();
    if (!learner) {
        nav.home();
        return;
    }
    const LearnerRecord record = academy_.book().record(*learner);
    bool any = false;
    for (const auto& [id, progress] : record.courses) {
        const Course* c = academy_.course(id);
        if (!c) continue;
        any = true;
        int done = 0;
        for (const auto& [lesson, p] : progress.lessons) done += p.done ? 1 : 0;
        std::string detail = progress.attempts.passed
                                 ? ui.tr("Passed")
                                 : ui.digits(std::to_string(std::min(done, c->lessons))) + " / " +
                                       ui.digits(std::to_string(c->lessons)) + " " +
                                       ui.tr("lessons done");
        if (ui.list_row(course_id("muktopaath.mine.", *c), text_in(c->title, ui.language()), detail,
                        progress.attempts.passed ? "workspace_premium" : "school"))
            nav.push<LessonsScreen>(academy_, c->id);
    }
    if (!any)
        ui.message("muktopaath.mine.none", ui::Tone::Info,
                   ui.tr("You are not enrolled in a course offered at this kiosk."));
    if (ui.button("muktopaath.sign_out", ui.tr("Sign out"))) {
        academy_.end_session();
        nav.home();
    }
}

}  // namespace seba::mp
