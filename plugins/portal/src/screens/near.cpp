// SPDX-License-Identifier: Apache-2.0
// Offices near this centre, by great-circle distance from the centre's coordinates.
#include "screens.hpp"

namespace seba::portal {

void NearScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("portal.near.title", ui.tr("Offices near this centre"));
    const auto near = portal_.near(30);
    if (near.empty())
        ui.message("portal.near.none", ui::Tone::Info,
                   ui.tr("No office with a known location near this centre yet."));
    for (const auto& [located, km] : near) {
        const Place& p = located.place;
        std::string detail = ui.digits(km_text(km)) + " " + ui.tr("km");
        std::vector<Place> path = portal_.directory().path(p);
        if (!path.empty()) detail += " · " + Portal::path_text(path, ui.language());
        if (ui.list_row(place_id("portal.near.", p.ref), name_in(p.names, ui.language()), detail,
                        kind_icon(p.kind)))
            nav.push<OfficeScreen>(portal_, p.ref);
    }
}

}  // namespace seba::portal
