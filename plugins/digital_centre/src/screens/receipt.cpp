// SPDX-License-Identifier: Apache-2.0
// The citizen's receipt on screen, while it prints: the tracking number and its QR code,
// the fees, and Print again when the printer failed.
#include "screens.hpp"

namespace seba::dc {

void ReceiptScreen::draw(Ui& ui, Navigator& nav) {
    const Service* service = centre_.service(service_);
    if (!service) return nav.home();
    const Service& s = *service;
    ui.heading("dc.receipt.title", ui.tr("Request received"));
    // The reference the citizen must keep, large, before anything else.
    ui.confirmation("dc.receipt.panel", ui.tr("Your tracking number"), tracking_);
    ui.paragraph("dc.receipt.service", s.name.in(ui.language()));
    ui.qr("dc.receipt.qr", tracking_);
    for (const print::Block& line : Centre::receipt_for(ui, s, tracking_, payment_).blocks)
        if (line.kind == print::Block::Kind::Row)
            ui.paragraph("dc.receipt.line." + line.text, line.text + ": " + line.value);
    using print::Status;
    Status printing = centre_.printer().status(tracking_);
    if (printing == Status::Printing)
        ui.paragraph("dc.receipt.printing", ui.tr("Printing the receipt…"));
    if (printing == Status::Failed) {
        ui.message("dc.receipt.print_problem", ui::Tone::Warning,
                   ui.tr("The receipt could not be printed. Your request is saved; ask the "
                         "operator to check the printer."));
        if (ui.button("dc.reprint", ui.tr("Print again"), ui::ButtonStyle::Secondary, true,
                      "print"))
            reprint(ui, s);
    }
    // The exit survey (docs/civil-service.md): the request is stored whatever the citizen
    // answers there, or whether they answer at all.
    if (ui.button("dc.survey", ui.kit_tr("Tell us about your visit"), ui::ButtonStyle::Secondary,
                  true, ui::icon::survey))
        if (std::optional<tcv::Delivered> delivered = centre_.book().delivered(tracking_))
            nav.push(
                ui::exit_survey(centre_.context().store(), *delivered, s.name.in(ui.language())));
    if (ui.button("dc.done", ui.tr("Done"), ui::ButtonStyle::Primary, true, "done")) nav.home();
}

// Print again: the queued job at once, or a copy of a receipt already printed. On a full
// disk the request stays saved and the receipt says it could not be printed.
void ReceiptScreen::reprint(Ui& ui, const Service& s) {
    print::Printer& printer = centre_.printer();
    try {
        if (printer.retry(tracking_)) return;
        printer.print_copy(Centre::receipt_for(ui, s, tracking_, payment_));
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        centre_.context().log().error("receipt {} not printed again: {}", tracking_, e.what());
    }
}

}  // namespace seba::dc
