// SPDX-License-Identifier: Apache-2.0
// The services of one category, and the rows every list of services is drawn with.
#include "screens.hpp"

namespace seba::dc {

void service_rows(Ui& ui, Navigator& nav, Centre& centre,
                  const std::vector<const Service*>& services) {
    for (const Service* s : services) {
        std::string fee = ui.tr("Total") + ": " +
                          Centre::money(ui, s->government_fee + s->service_charge, s->currency);
        if (ui.list_row("dc.svc." + s->id, s->name.in(ui.language()), fee, s->icon))
            nav.push<DetailScreen>(centre, s->id);
    }
}

void CategoryScreen::draw(Ui& ui, Navigator& nav) {
    for (const Category& c : centre_.catalog().categories())
        if (c.id == category_) ui.heading("dc.category", c.name.in(ui.language()));
    service_rows(ui, nav, centre_, centre_.catalog().in_category(category_));
}

}  // namespace seba::dc
