// SPDX-License-Identifier: Apache-2.0
// The request as it will be stored, the payment, and Confirm: the request, its event and
// its receipt's print job stored together, or nothing and a clear word why.
#include "screens.hpp"
#include "validators.hpp"

namespace seba::dc {

namespace {

// The checked value of a field (normalised), from what the citizen typed.
Checked checked(Ui& ui, const ServiceCatalog& catalog, const Service& s, const FormField& f) {
    return check(rule_of(catalog, f), ui.field_text(field_id(s, f)), f.required, today_utc());
}

const char* payment_name(int payment) {
    return payment == 1 ? "mobile" : "cash";
}

// A number that says who the citizen is (an ID of a digits rule): shown back with all but
// its end hidden.
bool identity_number(const ServiceCatalog& catalog, const FormField& f) {
    return rule_of(catalog, f).kind == RuleKind::Digits;
}

}  // namespace

void ReviewScreen::draw(Ui& ui, Navigator& nav) {
    const Service* service = centre_.service(service_);
    if (!service) return nav.home();
    const Service& s = *service;
    ui.heading("dc.review.title", ui.tr("Check your request"));
    ui.answer("dc.review.service", ui.tr("Service"), s.name.in(ui.language()), false);
    bool valid = true;
    for (const FormField& f : s.form) {
        Checked c = checked(ui, centre_.catalog(), s, f);
        valid = valid && c.ok;
        // Shown back as the citizen typed it (a date as they wrote it, not as it is stored),
        // an identity number mostly hidden; Change goes back to that very field.
        std::string typed(ui.field_text(field_id(s, f)));
        std::string shown =
            ui.digits(identity_number(centre_.catalog(), f) ? ui::masked(typed) : typed);
        if (ui.answer("dc.review." + f.id, f.label.in(ui.language()),
                      shown.empty() ? "—" : shown)) {
            ui.focus(field_id(s, f));
            nav.back();
        }
    }
    ui.answer("dc.review.total", ui.tr("Total"),
              Centre::money(ui, s.government_fee + s.service_charge, s.currency), false);
    std::vector<std::string> payments = {ui.tr("Cash"), ui.tr("Mobile money")};
    ui.choice("dc.payment", ui.tr("Payment"), payments, payment_);
    if (!problem_.empty()) ui.banner("dc.confirm.problem", ui::Tone::Error, problem_);
    // A request cannot be confirmed with an invalid field, whatever the screens did.
    if (ui.button("dc.confirm", ui.tr("Confirm"), ui::ButtonStyle::Primary, valid, "check"))
        confirm(ui, nav, s);
}

void ReviewScreen::confirm(Ui& ui, Navigator& nav, const Service& s) {
    PluginContext& context = centre_.context();
    Confirmation c;
    c.service = &s;
    c.payment = payment_name(payment_);
    // The times of the visit (Time-Cost-Visit's evidence): the end by the kiosk's clock,
    // corrected to the server's; arrival and start before it by the monotonic clock, so
    // that the durations hold whatever the wall clock did meanwhile.
    const KioskTime ended = kiosk_now();
    const auto now = std::chrono::steady_clock::now();
    auto back = [&](Centre::Time then) {
        return KioskTime{
            ended.at - std::chrono::duration_cast<std::chrono::system_clock::duration>(now - then),
            ended.checked}
            .iso();
    };
    c.arrived_at = back(centre_.arrived());
    c.started_at = back(started_);
    c.ended_at = ended.iso();
    c.clock_checked = ended.checked;
    c.operator_name = context.settings().text("operator");
    for (const FormField& f : s.form) {
        Checked v = checked(ui, centre_.catalog(), s, f);
        if (!v.ok) return;  // the button was disabled; never store an invalid request
        if (f.identifies && c.identifier.empty()) c.identifier = v.value;
        (f.identifying ? c.sealed_fields : c.fields)[f.id] = v.value;
    }
    std::string tracking;
    try {
        // The request, its event and its receipt's print job: together or not at all.
        context.store().transaction([&] {
            tracking = centre_.book().confirm(c);
            centre_.printer().queue(Centre::receipt_for(ui, s, tracking, c.payment));
        });
    } catch (const sealing::NoServerKey& e) {
        // Held, not stored in clear: the form stays filled for when the kiosk is enrolled.
        context.log().error("a {} request was not stored: {}", s.id, e.what());
        problem_ = ui.tr(
            "This kiosk cannot take requests yet: it is not connected to its server. "
            "Nothing was charged; please ask the operator.");
        return;
    } catch (const StorageError& e) {
        // The disk is full or the database failed: the transaction rolled back whole, and
        // the citizen must not leave believing the request was made. Trying again will
        // not help until the operator frees space; the form stays filled for then.
        context.log().error("a {} request was not stored: {}", s.id, e.what());
        problem_ = e.disk_trouble()
                       ? ui.tr(
                             "Your request was NOT recorded: this kiosk cannot save requests "
                             "right now. Nothing was charged; please ask the operator.")
                       : ui.tr(
                             "The request could not be saved. Nothing was charged; please "
                             "try again.");
        return;
    } catch (const std::exception& e) {
        context.log().error("confirming a {} request failed: {}", s.id, e.what());
        problem_ = ui.tr("The request could not be saved. Nothing was charged; please try again.");
        return;
    }
    // Stored: what the citizen typed is no longer needed on this kiosk.
    for (const FormField& f : s.form) ui.clear_field(field_id(s, f));
    context.log().info("request {} confirmed for {}", tracking, s.id);
    // The receipt stands alone: Back or Done from it goes to the first screen.
    nav.home();
    nav.push<ReceiptScreen>(centre_, s.id, tracking, c.payment);
}

}  // namespace seba::dc
