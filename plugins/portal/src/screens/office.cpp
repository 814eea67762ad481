// SPDX-License-Identifier: Apache-2.0
// An office's page: name, kind and place; its portal address with a QR code to open on a
// phone; contacts; the citizen charter; forms; notices still in force; and printing.
#include "screens.hpp"

namespace seba::portal {

void OfficeScreen::draw(Ui& ui, Navigator& /*nav*/) {
    std::optional<Place> place = portal_.directory().place(place_);
    std::optional<Office> office = portal_.office(place_);
    if (!place || !office) {
        ui.message("portal.office.gone", ui::Tone::Warning,
                   ui.tr("This office is no longer in the directory."));
        return;
    }
    const std::string_view lang = ui.language();
    std::vector<Place> path = portal_.directory().path(*place);
    ui.heading("portal.office.title", name_in(place->names, lang));
    ui.paragraph(
        "portal.office.kind",
        kind_text(ui, place->kind) + (path.empty() ? "" : " · " + Portal::path_text(path, lang)));
    if (!office->portal_url.empty()) {
        ui.paragraph("portal.office.portal", ui.tr("Portal") + ": " + office->portal_url);
        ui.qr("portal.office.qr", "https://" + office->portal_url);
    }
    if (!office->phone.empty())
        ui.paragraph("portal.office.phone", ui.tr("Phone") + ": " + ui.digits(office->phone));
    if (!office->email.empty())
        ui.paragraph("portal.office.email", ui.tr("Email") + ": " + office->email);
    if (!office->address.empty())
        ui.paragraph("portal.office.address",
                     ui.tr("Address") + ": " + ui.digits(name_in(office->address, lang)));
    if (!office->hours.empty())
        ui.paragraph("portal.office.hours",
                     ui.tr("Opening hours") + ": " + ui.digits(name_in(office->hours, lang)));

    // Printing: what happened to the last paper queued from here.
    if (!printing_.empty()) {
        print::Status status = portal_.printer().status(printing_);
        if (status == print::Status::Printing) ui.paragraph("portal.printing", ui.tr("Printing…"));
        if (status == print::Status::Failed) {
            ui.message("portal.print_problem", ui::Tone::Warning,
                       ui.tr("It could not be printed. Ask the operator to check the printer."));
            if (ui.button("portal.reprint", ui.tr("Print again"), ui::ButtonStyle::Secondary, true,
                          ui::icon::print))
                portal_.printer().retry(printing_);
        }
    }

    if (!office->charter.empty()) {
        ui.heading("portal.charter", ui.tr("Citizen charter"));
        if (ui.button("portal.print_charter", ui.tr("Print charter"), ui::ButtonStyle::Primary,
                      true, ui::icon::print))
            print(ui, portal_.charter_document(ui, *place, path, *office));
        for (std::size_t i = 0; i < office->charter.size(); ++i) {
            const CharterEntry& e = office->charter[i];
            const std::string id = "portal.charter." + std::to_string(i);
            std::string detail;
            if (e.fee) detail = ui.tr("Fee") + ": " + Portal::fee_text(ui, *e.fee);
            if (!e.time_limit.empty())
                detail += (detail.empty() ? "" : " · ") + ui.tr("Time limit") + ": " +
                          ui.digits(name_in(e.time_limit, lang));
            ui.list_row(id, name_in(e.service, lang), detail, ui::icon::description);
            if (!e.documents.empty()) {
                std::string docs;
                for (const Texts& d : e.documents)
                    docs += (docs.empty() ? "" : "; ") + name_in(d, lang);
                ui.paragraph(id + ".documents", ui.tr("Documents") + ": " + docs);
            }
            if (!e.officer.empty())
                ui.paragraph(id + ".officer",
                             ui.tr("Responsible officer") + ": " + name_in(e.officer, lang));
        }
    }
    if (!office->forms.empty()) {
        ui.heading("portal.forms", ui.tr("Forms"));
        for (std::size_t i = 0; i < office->forms.size(); ++i) {
            const FormRef& f = office->forms[i];
            const std::string id = "portal.form." + std::to_string(i);
            std::string detail;
            if (!f.version.empty()) detail = ui.tr("Version") + " " + ui.digits(f.version);
            if (!f.languages.empty()) {
                std::string langs;
                for (const std::string& l : f.languages) langs += (langs.empty() ? "" : ", ") + l;
                detail += (detail.empty() ? "" : " · ") + langs;
            }
            ui.list_row(id, name_in(f.title, lang), detail, ui::icon::description);
            if (ui.button(id + ".print", ui.tr("Print form"), ui::ButtonStyle::Secondary, true,
                          ui::icon::print))
                print(ui, portal_.form_document(ui, *place, f));
        }
    }
    std::vector<const Notice*> notices = office->current_notices(kiosk_now().iso().substr(0, 10));
    if (!notices.empty()) {
        ui.heading("portal.notices", ui.tr("Notices"));
        for (std::size_t i = 0; i < notices.size(); ++i)
            ui.message("portal.notice." + std::to_string(i), ui::Tone::Info,
                       (notices[i]->date.empty() ? "" : ui.date(notices[i]->date) + " · ") +
                           name_in(notices[i]->title, lang));
    }
}

// Queues the paper; a full disk says it could not be printed rather than failing the page.
void OfficeScreen::print(Ui& ui, const print::Document& document) {
    try {
        portal_.printer().queue(document);
        printing_ = document.reference;
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        ui.message("portal.print_problem", ui::Tone::Warning,
                   ui.tr("It could not be printed. Ask the operator to check the printer."));
    }
}

}  // namespace seba::portal
