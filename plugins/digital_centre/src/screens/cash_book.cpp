// SPDX-License-Identifier: Apache-2.0
#include "cash_book.hpp"

#include <fmt/format.h>

#include "validators.hpp"

namespace seba::dc {

namespace {

ui::Tone close_tone(const DayClose& c) {
    return c.difference() == 0 ? ui::Tone::Success : ui::Tone::Warning;
}

std::string close_text(Ui& ui, const DayClose& c, const std::string& currency) {
    std::string text = ui.tr("Day closed") + ": " + ui.tr("counted") + " " +
                       Centre::money(ui, c.counted, currency) + ", " + ui.tr("expected") + " " +
                       Centre::money(ui, c.expected, currency) + " — ";
    if (c.difference() == 0) return text + ui.tr("The cash book balances.");
    if (c.difference() < 0)
        return text + ui.tr("Short by") + " " + Centre::money(ui, -c.difference(), currency);
    return text + ui.tr("Over by") + " " + Centre::money(ui, c.difference(), currency);
}

}  // namespace

void CashBookPage::draw(Ui& ui) {
    unprinted_receipts(ui);
    DayTotals t = centre_.book().today();
    ui.heading("dc.op.title",
               ui.tr("Today's requests") + ": " + ui.digits(std::to_string(t.requests)));
    for (const DayTotals::Line& line : t.by_service) {
        const Service* s = centre_.service(line.service);
        std::string name = s ? s->name.in(ui.language()) : line.service;
        ui.list_row("dc.op.service." + line.service,
                    name + ": " + ui.digits(std::to_string(line.requests)),
                    ui.tr("Government fee") + " " +
                        Centre::money(ui, line.government_fee, t.currency) + ", " +
                        ui.tr("Service charge") + " " +
                        Centre::money(ui, line.service_charge, t.currency));
    }
    ui.paragraph("dc.op.gov_fees", ui.tr("Government fees") + ": " +
                                       Centre::money(ui, t.government_fee, t.currency));
    ui.paragraph("dc.op.charges", ui.tr("Service charges") + ": " +
                                      Centre::money(ui, t.service_charge, t.currency));
    ui.paragraph("dc.op.mobile",
                 ui.tr("Mobile money") + ": " + Centre::money(ui, t.mobile, t.currency));
    ui.paragraph("dc.op.cash", ui.tr("Cash the drawer should hold") + ": " +
                                   Centre::money(ui, t.cash, t.currency));
    if (std::optional<DayClose> closed = centre_.book().closed_today()) {
        ui.message("dc.op.closed", close_tone(*closed), close_text(ui, *closed, t.currency));
        return;
    }
    close_form(ui, t);
}

void CashBookPage::close_form(Ui& ui, const DayTotals&) {
    ui::FieldSpec spec;
    spec.kind = ui::FieldKind::Number;
    spec.required = true;
    spec.max_chars = 12;
    ui::FieldResult counted = ui.field("dc.op.counted", ui.tr("Cash counted"), spec);
    if (!problem_.empty()) ui.message("dc.op.problem", ui::Tone::Error, problem_);
    if (!ui.button("dc.op.close", ui.tr("Close the day"), counted.valid)) return;
    PluginContext& context = centre_.context();
    try {
        long long amount = std::stoll(ascii_digits(counted.text));
        centre_.book().close_today(
            amount, context.settings().text("operator"),
            [&](const DayClose& c, const DayTotals& totals) {
                context.audit("dc.day_closed", c.day,
                              fmt::format("requests {}, cash expected {} {}, counted {}, "
                                          "difference {}",
                                          totals.requests, c.expected, totals.currency, c.counted,
                                          c.difference()));
            });
        problem_.clear();
        ui.clear_field("dc.op.counted");
    } catch (const std::exception& e) {
        context.log().error("closing the day failed: {}", e.what());
        problem_ = ui.tr("The day could not be closed; nothing was saved.") + " " + e.what();
    }
}

// So that none is silently lost: every receipt not printed, and Print again for those that
// failed.
void CashBookPage::unprinted_receipts(Ui& ui) {
    print::Printer& printer = centre_.printer();
    int count = printer.unprinted_count();
    if (count == 0) return;
    ui.message("dc.op.unprinted", ui::Tone::Warning,
               ui.tr("Receipts not printed") + ": " + ui.digits(std::to_string(count)));
    for (const print::UnprintedJob& r : printer.unprinted()) {
        std::string detail = r.failures == 0 ? ui.tr("Waiting for the printer")
                                             : ui.tr("Printing failed") + ": " + r.last_error;
        ui.list_row("dc.op.unprinted." + r.reference, r.reference, detail);
        if (r.failures > 0 && ui.button("dc.op.reprint." + r.reference, ui.tr("Print again"))) {
            printer.retry(r.reference);
            centre_.context().audit("dc.receipt_reprinted", r.reference, "asked by the operator");
        }
    }
}

}  // namespace seba::dc
