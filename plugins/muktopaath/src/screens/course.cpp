// SPDX-License-Identifier: Apache-2.0
// A course's page: what you will learn, how long, in which language, from whom, under which
// licence, and whether its lessons are on this kiosk yet; then enrol, or continue.
#include "screens.hpp"

namespace seba::mp {

void draw_pack_state(Ui& ui, Academy& academy, const Course& course) {
    const PackState state = academy.pack_state(course);
    switch (state.kind) {
        case PackState::Kind::Ready:
            ui.message("muktopaath.pack.ready", ui::Tone::Success,
                       ui.tr("The lessons are on this kiosk."));
            break;
        case PackState::Kind::Downloading:
            ui.progress("muktopaath.pack.progress", state.fraction(),
                        ui.tr("Downloading the lessons"));
            ui.message("muktopaath.pack.soon", ui::Tone::Info,
                       ui.tr("Available soon: the lessons are on their way to this kiosk."));
            break;
        case PackState::Kind::Waiting:
            ui.message("muktopaath.pack.soon", ui::Tone::Info,
                       ui.tr("Available soon: the lessons are on their way to this kiosk."));
            break;
        case PackState::Kind::Unavailable:
            ui.message("muktopaath.pack.unavailable", ui::Tone::Warning,
                       ui.tr("This kiosk cannot hold the lessons. Please ask the operator."));
            break;
    }
}

void CourseScreen::draw(Ui& ui, Navigator& nav) {
    academy_.refresh();
    const Course* c = academy_.course(course_);
    if (!c) {
        ui.heading("muktopaath.course.title", ui.tr("Course"));
        ui.message("muktopaath.course.gone", ui::Tone::Warning,
                   ui.tr("This course is no longer offered here."));
        return;
    }
    const std::string_view lang = ui.language();
    ui.heading("muktopaath.course.title", text_in(c->title, lang));
    if (const std::string& summary = text_in(c->summary, lang); !summary.empty())
        ui.paragraph("muktopaath.course.summary", summary);
    auto outcomes = c->outcomes.find(lang);
    if (outcomes == c->outcomes.end()) outcomes = c->outcomes.find("en");
    if (outcomes != c->outcomes.end() && !outcomes->second.empty()) {
        ui.heading("muktopaath.course.learn", ui.tr("What you will learn"));
        for (std::size_t i = 0; i < outcomes->second.size(); ++i)
            ui.paragraph("muktopaath.course.outcome." + std::to_string(i),
                         "• " + outcomes->second[i]);
    }
    ui.answer("muktopaath.course.duration", ui.tr("Duration"),
              duration_text(ui, c->duration_minutes), false);
    ui.answer("muktopaath.course.language", ui.tr("Language"), language_name(c->language), false);
    ui.answer("muktopaath.course.provider", ui.tr("Provider"), text_in(c->provider, lang), false);
    ui.answer("muktopaath.course.lessons", ui.tr("Lessons"), ui.digits(std::to_string(c->lessons)),
              false);
    ui.answer("muktopaath.course.pass_mark", ui.tr("Pass mark"),
              ui.digits(std::to_string(c->pass_mark)) + "%", false);
    if (!c->licence.empty())
        ui.answer("muktopaath.course.licence", ui.tr("Licence"), c->licence, false);
    draw_pack_state(ui, academy_, *c);
    if (!problem_.empty()) ui.message("muktopaath.course.problem", ui::Tone::Error, problem_);
    if (Learner* learner = academy_.learner()) {
        const bool enrolled = academy_.book().record(*learner).courses.contains(c->id);
        if (enrolled) {
            if (ui.button("muktopaath.course.continue", ui.tr("Continue learning"),
                          ui::ButtonStyle::Primary, true, "play_arrow"))
                nav.push<LessonsScreen>(academy_, c->id);
        } else if (ui.button("muktopaath.course.enrol", ui.tr("Enrol in this course"),
                             ui::ButtonStyle::Primary, true, "how_to_reg")) {
            try {
                academy_.book().enrol(*learner, *c);
                nav.push<LessonsScreen>(academy_, c->id);
            } catch (const StorageError& e) {
                if (!e.disk_trouble()) throw;
                problem_ = ui.tr(
                    "Nothing was recorded: this kiosk cannot save now. Please ask "
                    "the operator.");
            }
        }
        return;
    }
    if (ui.button("muktopaath.course.enrol", ui.tr("Enrol in this course"),
                  ui::ButtonStyle::Primary, true, "how_to_reg"))
        nav.push<EnrolScreen>(academy_, c->id);
    if (ui.button("muktopaath.course.sign_in", ui.tr("I have a return code: continue"),
                  ui::ButtonStyle::Secondary, true, "login"))
        nav.push<SignInScreen>(academy_, c->id);
}

}  // namespace seba::mp
