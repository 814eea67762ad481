// SPDX-License-Identifier: Apache-2.0
// Services found by name as the citizen types, in any of the catalog's languages.
#include "screens.hpp"

namespace seba::dc {

void SearchScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("dc.search.title", ui.tr("Search services"));
    ui::FieldSpec spec;
    spec.max_chars = 40;
    ui::FieldResult query = ui.field("dc.search.query", ui.tr("Name of the service"), spec);
    std::vector<const Service*> found = centre_.search(query.text);
    if (!query.text.empty() && found.empty())
        ui.paragraph("dc.search.none", ui.tr("No service matches. Try fewer letters."));
    service_rows(ui, nav, centre_, found);
}

}  // namespace seba::dc
