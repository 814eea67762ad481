// SPDX-License-Identifier: Apache-2.0
// The portal's first screen: a search field whose results follow what the citizen types,
// the top of the hierarchy as tiles, and the offices near this centre.
#include <algorithm>

#include "screens.hpp"

namespace seba::portal {

void open_place(Portal& portal, Navigator& nav, const Place& place) {
    if (place.kind == "office" ||
        (portal.directory().children(place.ref, "en").empty() && portal.office(place.ref)))
        nav.push<OfficeScreen>(portal, place.ref);
    else
        nav.push<BrowseScreen>(portal, place.ref);
}

void HomeScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("portal.title", ui.tr("Offices and services"));
    ui::FieldSpec spec;
    spec.max_chars = 64;
    const std::string query(
        ui.field("portal.query", ui.tr("Search an office or place"), spec).text);
    if (!query.empty()) {
        std::vector<Found> found = portal_.directory().find(query, 20);
        if (found.empty())
            ui.message("portal.nothing_found", ui::Tone::Info,
                       ui.tr("Nothing found. Try fewer letters, or browse below."));
        for (const Found& f : found)
            if (ui.list_row(
                    place_id("portal.hit.", f.place.ref), name_in(f.place.names, ui.language()),
                    kind_text(ui, f.place.kind) +
                        (f.path.empty() ? "" : " · " + Portal::path_text(f.path, ui.language())),
                    kind_icon(f.place.kind)))
                open_place(portal_, nav, f.place);
    }
    if (portal_.centre() && ui.button("portal.near", ui.tr("Offices near this centre"),
                                      ui::ButtonStyle::Secondary, true, "near_me"))
        nav.push<NearScreen>(portal_);
    std::vector<Place> top = portal_.directory().children(std::nullopt, ui.language());
    // The country whose language the citizen reads first (a pack may hold several).
    std::stable_partition(top.begin(), top.end(), [&](const Place& p) {
        auto name = p.names.find(std::string(ui.language()));
        return name != p.names.end() && !name->second.empty();
    });
    if (top.empty()) {
        ui.message("portal.no_directory", ui::Tone::Warning,
                   ui.tr("The directory has not reached this kiosk yet. Please ask the operator."));
        return;
    }
    ui.heading("portal.browse_heading", ui.tr("Browse"));
    ui.begin_tiles("portal.top");
    for (const Place& p : top)
        if (ui.tile(place_id("portal.top.", p.ref), name_in(p.names, ui.language()),
                    kind_text(ui, p.kind), kind_icon(p.kind)))
            nav.push<BrowseScreen>(portal_, p.ref);
    ui.end_tiles();
}

}  // namespace seba::portal
