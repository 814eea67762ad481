// SPDX-License-Identifier: Apache-2.0
// The complaint's slip on screen, while it prints: the reference large with its QR code, how
// to check it later, and Print again when the printer failed.
#include "screens.hpp"

namespace seba::civil {

void SlipScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("civil_service.slip.title", ui.tr("Complaint received"));
    ui.confirmation("civil_service.slip.panel", ui.tr("Your complaint reference"), reference_);
    ui.qr("civil_service.slip.qr", reference_);
    ui.paragraph("civil_service.slip.how",
                 ui.tr("Keep this slip. To see the answer, open Complaints and feedback on the "
                       "kiosk, choose Check a complaint and type this reference."));
    using print::Status;
    const Status printing = desk_.printer().status(reference_);
    if (printing == Status::Printing)
        ui.paragraph("civil_service.slip.printing", ui.tr("Printing the slip…"));
    if (printing == Status::Failed) {
        ui.message("civil_service.slip.print_problem", ui::Tone::Warning,
                   ui.tr("The slip could not be printed. Your complaint is saved: write down "
                         "the reference, or ask the operator to check the printer."));
        if (ui.button("civil_service.reprint", ui.tr("Print again"), ui::ButtonStyle::Secondary,
                      true, ui::icon::print)) {
            try {
                if (!desk_.printer().retry(reference_))
                    if (std::optional<StoredGrievance> g = desk_.book().find(reference_))
                        desk_.printer().print_copy(desk_.slip_for(ui, *g));
            } catch (const StorageError& e) {
                if (!e.disk_trouble()) throw;
                desk_.context().log().error("slip {} not printed again: {}", reference_, e.what());
            }
        }
    }
    if (ui.button("civil_service.done", ui.tr("Done"), ui::ButtonStyle::Primary, true,
                  ui::icon::done))
        nav.home();
}

}  // namespace seba::civil
