// SPDX-License-Identifier: Apache-2.0
// The desk's first screen: two large tiles with pictograms, read aloud when asked.
#include "screens.hpp"

namespace seba::civil {

void HomeScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("civil_service.title", ui.tr("Complaints and feedback"));
    const std::string intro = ui.tr(
        "Tell the office that oversees this centre what went wrong. You do not have to "
        "give your name.");
    ui.paragraph("civil_service.intro", intro);
    ui.begin_tiles("civil_service.actions");
    const std::string file = ui.tr("File a complaint");
    const std::string check = ui.tr("Check a complaint");
    if (ui.tile("civil_service.file", file, {}, "rate_review")) nav.push<CategoryScreen>(desk_);
    if (ui.tile("civil_service.check", check, {}, "manage_search")) nav.push<CheckScreen>(desk_);
    // Here the lead adds "Give feedback on a past service" (the kit's exit survey,
    // seba/ui/exit_survey.hpp) once it is merged: a third tile of this grid.
    ui.end_tiles();
    if (ui.can_read_aloud() && ui.button("civil_service.read_aloud", ui.tr("Read this page aloud"),
                                         ui::ButtonStyle::Secondary, true, ui::icon::read_aloud))
        ui.read_aloud(intro + " " + file + ". " + check + ".");
}

}  // namespace seba::civil
