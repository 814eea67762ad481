// SPDX-License-Identifier: Apache-2.0
// Status lookup: a request's state by its tracking number, looked up when the citizen taps
// Check (not while typing: a half-typed number is not wrong yet).
#include <fmt/format.h>

#include "screens.hpp"
#include "validators.hpp"

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

// The sign before it says at a glance whether to come, wait or ask.
ui::Tone status_tone(const std::string& state) {
    if (state == "ready" || state == "delivered") return ui::Tone::Success;
    if (state == "rejected") return ui::Tone::Error;
    return ui::Tone::Info;
}

// ui.tr(english) with {0} filled in; English if a translation broke the {0}.
std::string format(Ui& ui, const std::string& english, std::string_view arg) {
    try {
        return fmt::format(fmt::runtime(ui.tr(english)), arg);
    } catch (const fmt::format_error&) {
        return fmt::format(fmt::runtime(english), arg);
    }
}

}  // namespace

void StatusScreen::draw(Ui& ui, Navigator&) {
    ui.heading("dc.status.title", ui.tr("Check a request"));
    ui::FieldSpec spec;
    spec.max_chars = 40;
    ui::FieldResult typed = ui.field("dc.status.tracking", ui.tr("Tracking number"), spec);
    if (ui.button("dc.status.check", ui.tr("Check"), ui::ButtonStyle::Primary, !typed.text.empty(),
                  "search")) {
        checked_ = std::string(typed.text);
        tracking_ = normalise_tracking(typed.text, centre_.book().centre_code());
    }
    // An answer is about what was checked: typing again puts it away until the next Check.
    if (checked_.empty() || typed.text != checked_) return;
    if (!tracking_) {
        // In this kiosk's own format, so that the example looks like the citizen's receipt.
        ui.banner(
            "dc.status.bad", ui::Tone::Error,
            format(ui, "A tracking number looks like {0}", centre_.book().example_tracking()));
        return;
    }
    ui.paragraph("dc.status.number", ui.tr("Tracking number") + ": " + *tracking_);
    // The office's answer (channel dc.status), else this kiosk's own book.
    std::string state;
    std::optional<nlohmann::json> sent =
        centre_.context().store().catalog_record("dc.status", *tracking_);
    if (sent && sent->is_object() && sent->contains("status") && (*sent)["status"].is_string())
        state = (*sent)["status"].get<std::string>();
    else if (centre_.book().find(*tracking_))
        state = "received";
    if (state.empty()) {
        ui.banner("dc.status.result", ui::Tone::Warning,
                  ui.tr("No request with this number is known yet. Check the number on your "
                        "receipt and try again, or ask the operator."));
        return;
    }
    ui.banner("dc.status.result", status_tone(state),
              ui.tr("Status") + ": " + ui.tr(status_text(state)));
}

}  // namespace seba::dc
