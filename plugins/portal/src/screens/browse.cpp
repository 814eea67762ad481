// SPDX-License-Identifier: Apache-2.0
// A place's page: where it sits, its office when it has one, and the places under it as
// large rows.
#include "screens.hpp"

namespace seba::portal {

void BrowseScreen::draw(Ui& ui, Navigator& nav) {
    std::optional<Place> place = portal_.directory().place(place_);
    if (!place) {  // a sync took it away
        ui.message("portal.browse.gone", ui::Tone::Warning,
                   ui.tr("This place is no longer in the directory."));
        return;
    }
    const std::string_view lang = ui.language();
    ui.heading("portal.browse.title", name_in(place->names, lang));
    std::vector<Place> path = portal_.directory().path(*place);
    ui.paragraph(
        "portal.browse.kind",
        kind_text(ui, place->kind) + (path.empty() ? "" : " · " + Portal::path_text(path, lang)));
    // The way back up, a step at a time.
    if (!path.empty()) {
        ui.begin_row("portal.browse.up");
        for (const Place& p : path)
            if (ui.button(place_id("portal.up.", p.ref), name_in(p.names, lang),
                          ui::ButtonStyle::Link))
                nav.replace<BrowseScreen>(portal_, p.ref);
        ui.end_row();
    }
    if (portal_.office(place_) && ui.button("portal.browse.office", ui.tr("Office page"),
                                            ui::ButtonStyle::Primary, true, ui::icon::bank))
        nav.push<OfficeScreen>(portal_, place_);
    for (const Place& child : portal_.directory().children(place_, lang))
        if (ui.list_row(place_id("portal.place.", child.ref), name_in(child.names, lang),
                        kind_text(ui, child.kind), kind_icon(child.kind)))
            open_place(portal_, nav, child);
}

}  // namespace seba::portal
