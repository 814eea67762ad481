// SPDX-License-Identifier: Apache-2.0
// Status lookup: a request's state by its tracking number.
#include "validators.hpp"
#include "screens.hpp"

namespace seba::dc {

namespace {

std::string status_text(const std::string& state) {
    if (state == "received") return "Received at this centre";
    if (state == "in_progress") return "Being processed by the office";
    if (state == "ready") return "Ready: come and collect it";
    if (state == "delivered") return "Delivered";
    if (state == "rejected") return "Rejected: ask the operator why";
    return "Being processed by the office";
}

}  // namespace

void StatusScreen::draw(Ui& ui, Navigator&) {
    ui.heading("dc.status.title", ui.tr("Check a request"));
    ui::FieldSpec spec;
    spec.max_chars = 40;
    ui::FieldResult typed = ui.field("dc.status.tracking", ui.tr("Tracking number"), spec);
    if (typed.text.empty()) return;
    std::optional<std::string> tracking = normalise_tracking(typed.text);
    if (!tracking) {
        ui.message("dc.status.bad", ui::Tone::Error,
                   ui.tr("A tracking number looks like DHK1-261128-A7-0042."));
        return;
    }
    std::optional<nlohmann::json> sent =
        centre_.context().store().catalog_record("dc.status", *tracking);
    if (sent && sent->contains("status")) {
        std::string state = sent->value("status", "");
        ui.message("dc.status.result", ui::Tone::Info,
                   ui.tr("Status") + ": " + ui.tr(status_text(state)));
        return;
    }
    if (centre_.book().find(*tracking))
        ui.message("dc.status.result", ui::Tone::Info,
                   ui.tr("Status") + ": " + ui.tr("Received at this centre"));
    else
        ui.message("dc.status.result", ui::Tone::Warning,
                   ui.tr("No request with this number is known yet."));
}

}  // namespace seba::dc
