// SPDX-License-Identifier: Apache-2.0
// The Digital Centre's first screen: its categories as tiles, search, and status lookup.
#include "screens.hpp"

namespace seba::dc {

void HomeScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("dc.title", ui.tr("Digital Centre services"));
    const ServiceCatalog& catalog = centre_.catalog();
    if (catalog.empty()) {
        ui.message("dc.no_catalog", ui::Tone::Warning,
                   ui.tr("The list of services has not reached this kiosk yet. Please ask the "
                         "operator."));
        return;
    }
    ui.begin_row("dc.actions");
    if (ui.button("dc.search", ui.tr("Search"), ui::ButtonStyle::Secondary, true, ui::icon::search))
        nav.push<SearchScreen>(centre_);
    if (ui.button("dc.status", ui.tr("Check a request"), ui::ButtonStyle::Secondary, true,
                  ui::icon::waiting))
        nav.push<StatusScreen>(centre_);
    ui.end_row();
    ui.begin_tiles("dc.categories");
    for (const Category& c : catalog.categories()) {
        std::size_t n = catalog.in_category(c.id).size();
        if (n == 0) continue;
        if (ui.tile("dc.cat." + c.id, c.name.in(ui.language()),
                    ui.digits(std::to_string(n)) + " " + ui.tr("services"), c.icon))
            nav.push<CategoryScreen>(centre_, c.id);
    }
    ui.end_tiles();
}

}  // namespace seba::dc
