// SPDX-License-Identifier: Apache-2.0
#include "cash_book.hpp"

#include <fmt/format.h>

#include "validators.hpp"

namespace seba::dc {

namespace {

constexpr const char* kCounted = "dc.op.counted";

// Short is money missing from the drawer; over is money no request explains: both need the
// operator's eye, short the more.
ui::Tone difference_tone(long long difference) {
    if (difference == 0) return ui::Tone::Success;
    return difference < 0 ? ui::Tone::Error : ui::Tone::Warning;
}

std::string difference_text(Ui& ui, long long difference, const std::string& currency) {
    if (difference == 0) return ui.tr("The cash book balances.");
    if (difference < 0) return ui.tr("Short by") + " " + Centre::money(ui, -difference, currency);
    return ui.tr("Over by") + " " + Centre::money(ui, difference, currency);
}

std::string close_text(Ui& ui, const DayClose& c, const std::string& currency) {
    return ui.tr("Day closed") + ": " + ui.tr("counted") + " " +
           Centre::money(ui, c.counted, currency) + ", " + ui.tr("expected") + " " +
           Centre::money(ui, c.expected, currency) + " — " +
           difference_text(ui, c.difference(), currency);
}

// The day's currency; on a day without requests, the catalog's (a centre works in one).
std::string currency_of(const DayTotals& t, const ServiceCatalog& catalog) {
    if (!t.currency.empty()) return t.currency;
    for (const Category& c : catalog.categories())
        for (const Service* s : catalog.in_category(c.id))
            if (!s->currency.empty()) return s->currency;
    return {};
}

}  // namespace

void CashBookPage::draw(Ui& ui) {
    unprinted_receipts(ui);
    DayTotals t = centre_.book().today();
    const std::string currency = currency_of(t, centre_.catalog());
    ui.heading("dc.op.title",
               ui.tr("Today's requests") + ": " + ui.digits(std::to_string(t.requests)));
    for (const DayTotals::Line& line : t.by_service) {
        const Service* s = centre_.service(line.service);
        std::string name = s ? s->name.in(ui.language()) : line.service;
        ui.list_row(
            "dc.op.service." + line.service, name + ": " + ui.digits(std::to_string(line.requests)),
            ui.tr("Government fee") + " " + Centre::money(ui, line.government_fee, currency) +
                ", " + ui.tr("Service charge") + " " +
                Centre::money(ui, line.service_charge, currency));
    }
    ui.paragraph("dc.op.gov_fees",
                 ui.tr("Government fees") + ": " + Centre::money(ui, t.government_fee, currency));
    ui.paragraph("dc.op.charges",
                 ui.tr("Service charges") + ": " + Centre::money(ui, t.service_charge, currency));
    ui.paragraph("dc.op.mobile",
                 ui.tr("Mobile money") + ": " + Centre::money(ui, t.mobile, currency));
    ui.paragraph("dc.op.cash",
                 ui.tr("Cash the drawer should hold") + ": " + Centre::money(ui, t.cash, currency));
    if (std::optional<DayClose> closed = centre_.book().closed_today()) {
        ui.banner("dc.op.closed", difference_tone(closed->difference()),
                  close_text(ui, *closed, currency));
        return;
    }
    close_form(ui, t, currency);
}

void CashBookPage::close_form(Ui& ui, const DayTotals& t, const std::string& currency) {
    const std::string typed(ui.field_text(kCounted));
    if (!confirming_.empty() && confirming_ == typed) {
        try {
            confirm_close(ui, t, currency, std::stoll(ascii_digits(typed)));
            return;
        } catch (const std::logic_error&) {  // no number after all: ask for it again
        }
    }
    confirming_.clear();
    ui::FieldSpec spec;
    spec.kind = ui::FieldKind::Number;
    spec.required = true;
    spec.max_chars = 12;
    ui::FieldResult counted = ui.field(kCounted, ui.tr("Cash counted"), spec);
    if (!problem_.empty() && problem_for_ == counted.text)
        ui.banner("dc.op.problem", ui::Tone::Error, problem_);
    if (ui.button("dc.op.close", ui.tr("Close the day"), ui::ButtonStyle::Primary, counted.valid))
        confirming_ = std::string(counted.text);
}

void CashBookPage::confirm_close(Ui& ui, const DayTotals& t, const std::string& currency,
                                 long long counted) {
    ui.heading("dc.op.confirm.title", ui.tr("Close the day?"));
    ui.paragraph("dc.op.confirm.counted",
                 ui.tr("Cash counted") + ": " + Centre::money(ui, counted, currency));
    ui.paragraph("dc.op.confirm.expected",
                 ui.tr("Cash the drawer should hold") + ": " + Centre::money(ui, t.cash, currency));
    const long long difference = counted - t.cash;
    ui.banner("dc.op.confirm.difference", difference_tone(difference),
              difference_text(ui, difference, currency));
    // The close goes to the centre with the next sync, and a day closes once.
    ui.paragraph("dc.op.confirm.final",
                 ui.tr("This cannot be undone: the day's totals are sent to the centre, and "
                       "today's cash book cannot be closed again."));
    ui.begin_row("dc.op.confirm.actions");
    const bool yes =
        ui.button("dc.op.close.confirm", ui.tr("Close the day"), ui::ButtonStyle::Danger);
    const bool no = ui.button("dc.op.close.cancel", ui.tr("Cancel"), ui::ButtonStyle::Secondary);
    ui.end_row();
    if (no) confirming_.clear();  // the count stays typed, to be corrected
    if (yes) close(ui, counted);
}

void CashBookPage::close(Ui& ui, long long counted) {
    PluginContext& context = centre_.context();
    const std::string typed = confirming_;
    confirming_.clear();
    try {
        centre_.book().close_today(
            counted, context.settings().text("operator"),
            [&](const DayClose& c, const DayTotals& totals) {
                context.audit("dc.day_closed", c.day,
                              fmt::format("requests {}, cash expected {} {}, counted {}, "
                                          "difference {}",
                                          totals.requests, c.expected, totals.currency, c.counted,
                                          c.difference()));
            });
        problem_.clear();
        ui.clear_field(kCounted);
    } catch (const std::exception& e) {
        context.log().error("closing the day failed: {}", e.what());
        problem_ = ui.tr("The day could not be closed; nothing was saved.") + " " + e.what();
        problem_for_ = typed;
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
