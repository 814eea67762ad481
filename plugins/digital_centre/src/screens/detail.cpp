// SPDX-License-Identifier: Apache-2.0
// One service: what to bring, the fees, how long it takes, who delivers it; Apply.
#include "screens.hpp"

namespace seba::dc {

void DetailScreen::draw(Ui& ui, Navigator& nav) {
    const Service* service = centre_.service(service_);
    if (!service) return nav.home();  // a sync took it away
    const Service& s = *service;
    std::string_view lang = ui.language();
    ui.heading("dc.detail.title", s.name.in(lang));
    if (!s.documents.empty()) {
        ui.paragraph("dc.detail.bring", ui.tr("Bring with you:"));
        for (std::size_t i = 0; i < s.documents.size(); ++i)
            ui.paragraph("dc.detail.doc." + std::to_string(i), "• " + s.documents[i].in(lang));
    }
    ui.paragraph("dc.detail.gov_fee",
                 ui.tr("Government fee") + ": " + Centre::money(ui, s.government_fee, s.currency));
    ui.paragraph("dc.detail.charge",
                 ui.tr("Service charge") + ": " + Centre::money(ui, s.service_charge, s.currency));
    ui.paragraph(
        "dc.detail.total",
        ui.tr("Total") + ": " + Centre::money(ui, s.government_fee + s.service_charge, s.currency));
    if (!s.delivery.by_language.empty())
        ui.paragraph("dc.detail.time", ui.tr("Ready in") + ": " + ui.digits(s.delivery.in(lang)));
    if (!s.office.by_language.empty())
        ui.paragraph("dc.detail.office", ui.tr("Delivered by") + ": " + s.office.in(lang));
    if (ui.button("dc.apply", ui.tr("Apply"), ui::ButtonStyle::Primary, true, "arrow_forward"))
        nav.push<FormScreen>(centre_, s.id, std::chrono::steady_clock::now());
}

}  // namespace seba::dc
