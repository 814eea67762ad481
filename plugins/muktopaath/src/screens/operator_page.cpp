// SPDX-License-Identifier: Apache-2.0
// The operator's page: the courses enabled at this centre with their packs' downloads, the
// disk the packs take against the budget, and how many learners enrolled today (counts only).
#include "screens.hpp"

namespace seba::mp {

void draw_operator_page(Ui& ui, Academy& academy) {
    academy.refresh();
    ui.heading("muktopaath.op.title", ui.tr("MuktoPaath courses"));
    if (academy.centre().empty())
        ui.message("muktopaath.op.no_centre", ui::Tone::Warning,
                   ui.tr("This kiosk's centre is not set (setting \"centre\"): only courses for "
                         "every centre are offered."));
    const std::vector<const Course*> courses = academy.courses("", ui.language());
    std::int64_t used = 0;
    for (const Course* c : courses) {
        const PackState s = academy.pack_state(*c);
        used += s.have;
        std::string state = s.kind == PackState::Kind::Ready         ? ui.tr("Ready")
                            : s.kind == PackState::Kind::Downloading ? ui.tr("Downloading")
                            : s.kind == PackState::Kind::Waiting     ? ui.tr("Waiting")
                                                                     : ui.tr("Not available");
        state += " · " + ui.digits(std::to_string((s.have + 1023) / 1024)) + " / " +
                 ui.digits(std::to_string((s.size + 1023) / 1024)) + " KiB";
        if (!s.problem.empty()) state += " · " + s.problem;
        ui.answer(course_id("muktopaath.op.course.", *c), text_in(c->title, ui.language()), state,
                  false);
    }
    if (courses.empty())
        ui.message("muktopaath.op.none", ui::Tone::Info,
                   ui.tr("No course is enabled for this centre."));
    ui.answer("muktopaath.op.disk", ui.tr("Disk used by lessons"),
              ui.digits(std::to_string(used / (1024 * 1024))) + " / " +
                  ui.digits(std::to_string(academy.budget_bytes() / (1024 * 1024))) + " MiB",
              false);
    ui.answer(
        "muktopaath.op.enrolled_today", ui.tr("Learners enrolled today"),
        ui.digits(std::to_string(academy.book().enrolled_on(kiosk_now().iso().substr(0, 10)))),
        false);
}

}  // namespace seba::mp
