// SPDX-License-Identifier: Apache-2.0
// The Digital Centre: what a citizen comes to the kiosk for. Browse or search the services
// the centre offers, see what to bring and what it costs, fill in the service's form (its
// fields and rules come with the catalog), review, confirm, and leave with a receipt that
// carries a QR code of the tracking number. docs/digital-centre.md describes the catalog.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <seba/error.hpp>
#include <seba/kiosk_clock.hpp>
#include <seba/plugin.hpp>
#include <seba/plugin_store.hpp>
#include <seba/print.hpp>
#include <seba/sealing.hpp>
#include <seba/settings.hpp>
#include <seba/storage.hpp>
#include <seba/ui/ui.hpp>
#include <seba/ui/ui_state.hpp>
#include <string>

#include "old_print_jobs.hpp"
#include "request_book.hpp"
#include "service_catalog.hpp"
#include "validators.hpp"

namespace {

using seba::dc::Service;
using seba::ui::Ui;

enum class Screen { Home, Category, Search, Detail, Form, Review, Receipt, Status };

// The kit's field kind (which keyboard) for a validator rule.
seba::ui::FieldKind field_kind(std::string_view rule) {
    if (rule == "name") return seba::ui::FieldKind::Name;
    if (rule == "phone_bd" || rule == "phone_uz") return seba::ui::FieldKind::Phone;
    if (rule == "date" || rule == "past_date") return seba::ui::FieldKind::Date;
    if (rule == "nid_bd" || rule == "birth_reg_bd" || rule == "pinfl_uz" || rule == "number")
        return seba::ui::FieldKind::Number;
    return seba::ui::FieldKind::Text;
}

// Today by the kiosk's clock, corrected to the server's: what a date of birth is checked
// against.
std::string today_utc() {
    return seba::kiosk_now().iso().substr(0, 10);
}

class DigitalCentre final : public seba::Plugin,
                            public seba::ui::View,
                            public seba::ui::OperatorView {
  public:
    std::span<const seba::Migration> migrations() const override {
        return seba::dc::RequestBook::migrations();
    }

    void start(seba::PluginContext& context) override {
        context_ = &context;
        book_ = std::make_unique<seba::dc::RequestBook>(context.store(),
                                                        context.settings().text("centre_code"));
        load_catalog();
        // The kiosk prints; the request is marked printed with the end of its receipt's job.
        printer_ = &context.printer();
        printer_->on_printed(
            [this](const std::string& tracking) { book_->mark_printed(tracking); });
        seba::dc::move_old_print_jobs(context.store(), *printer_, context.log());
        context.log().info("started: {} categories", catalog_.categories().size());
    }

    void end_session() override { reset(); }

    bool back() override {
        switch (screen_) {
            case Screen::Home:
                return false;
            case Screen::Category:
            case Screen::Search:
            case Screen::Status:
                screen_ = Screen::Home;
                return true;
            case Screen::Detail:
                screen_ = category_.empty() ? Screen::Home : Screen::Category;
                return true;
            case Screen::Form:
                screen_ = Screen::Detail;
                return true;
            case Screen::Review:
                screen_ = Screen::Form;
                return true;
            case Screen::Receipt:
                reset();
                return true;
        }
        return false;
    }

    void reset() override {
        screen_ = Screen::Home;
        category_.clear();
        service_ = nullptr;
        tracking_.clear();
        payment_ = 0;
        arrived_.reset();
        started_.reset();
        confirm_problem_.clear();
    }

    void draw(Ui& ui) override {
        if (context_->store().catalog_cursor("dc.services") != catalog_cursor_) load_catalog();
        if (!arrived_) arrived_ = std::chrono::steady_clock::now();
        switch (screen_) {
            case Screen::Home:
                return home(ui);
            case Screen::Category:
                return category(ui);
            case Screen::Search:
                return search(ui);
            case Screen::Detail:
                return detail(ui);
            case Screen::Form:
                return form(ui);
            case Screen::Review:
                return review(ui);
            case Screen::Receipt:
                return receipt(ui);
            case Screen::Status:
                return status(ui);
        }
    }

    // [SECTION] operator: the day's requests and the cash book
    void draw_operator(Ui& ui) override {
        unprinted_receipts(ui);
        seba::dc::DayTotals t = book_->today();
        ui.heading("dc.op.title",
                   ui.tr("Today's requests") + ": " + ui.digits(std::to_string(t.requests)));
        for (const seba::dc::DayTotals::Line& line : t.by_service) {
            const Service* s = catalog_.find(line.service);
            std::string name = s ? s->name.in(ui.language()) : line.service;
            ui.list_row("dc.op.service." + line.service,
                        name + ": " + ui.digits(std::to_string(line.requests)),
                        ui.tr("Government fee") + " " + money(ui, line.government_fee, t.currency) +
                            ", " + ui.tr("Service charge") + " " +
                            money(ui, line.service_charge, t.currency));
        }
        ui.paragraph("dc.op.gov_fees",
                     ui.tr("Government fees") + ": " + money(ui, t.government_fee, t.currency));
        ui.paragraph("dc.op.charges",
                     ui.tr("Service charges") + ": " + money(ui, t.service_charge, t.currency));
        ui.paragraph("dc.op.mobile",
                     ui.tr("Mobile money") + ": " + money(ui, t.mobile, t.currency));
        ui.paragraph("dc.op.cash",
                     ui.tr("Cash the drawer should hold") + ": " + money(ui, t.cash, t.currency));

        if (std::optional<seba::dc::DayClose> closed = book_->closed_today()) {
            ui.message("dc.op.closed", close_tone(*closed), close_text(ui, *closed, t.currency));
            return;
        }
        seba::ui::FieldSpec spec;
        spec.kind = seba::ui::FieldKind::Number;
        spec.required = true;
        spec.max_chars = 12;
        seba::ui::FieldResult counted = ui.field("dc.op.counted", ui.tr("Cash counted"), spec);
        if (!close_problem_.empty())
            ui.message("dc.op.problem", seba::ui::Tone::Error, close_problem_);
        if (ui.button("dc.op.close", ui.tr("Close the day"), counted.valid)) {
            try {
                long long amount = std::stoll(seba::dc::ascii_digits(counted.text));
                book_->close_today(
                    amount, context_->settings().text("operator"),
                    [&](const seba::dc::DayClose& c, const seba::dc::DayTotals& totals) {
                        context_->audit("dc.day_closed", c.day,
                                        fmt::format("requests {}, cash expected {} {}, counted {}, "
                                                    "difference {}",
                                                    totals.requests, c.expected, totals.currency,
                                                    c.counted, c.difference()));
                    });
                close_problem_.clear();
                ui.state().field("dc.op.counted").wipe();
            } catch (const std::exception& e) {
                context_->log().error("closing the day failed: {}", e.what());
                close_problem_ =
                    ui.tr("The day could not be closed; nothing was saved.") + " " + e.what();
            }
        }
    }

  private:
    static seba::ui::Tone close_tone(const seba::dc::DayClose& c) {
        return c.difference() == 0 ? seba::ui::Tone::Success : seba::ui::Tone::Warning;
    }

    std::string close_text(Ui& ui, const seba::dc::DayClose& c, const std::string& currency) const {
        std::string text = ui.tr("Day closed") + ": " + ui.tr("counted") + " " +
                           money(ui, c.counted, currency) + ", " + ui.tr("expected") + " " +
                           money(ui, c.expected, currency) + " — ";
        if (c.difference() == 0) return text + ui.tr("The cash book balances.");
        if (c.difference() < 0)
            return text + ui.tr("Short by") + " " + money(ui, -c.difference(), currency);
        return text + ui.tr("Over by") + " " + money(ui, c.difference(), currency);
    }

    // [SECTION] catalog
    void load_catalog() {
        seba::PluginStore& store = context_->store();
        catalog_ = {};
        store.for_each_catalog_record(
            "dc.services", [&](std::string_view key, const nlohmann::json& data) {
                if (auto problem = catalog_.add(key, data))
                    context_->log().warn("dc.services record skipped: {}", *problem);
            });
        catalog_.finish();
        catalog_cursor_ = store.catalog_cursor("dc.services");
        // A catalog change may take the open service away.
        if (service_ && !catalog_.find(service_id_))
            reset();
        else if (service_)
            service_ = catalog_.find(service_id_);
    }

    std::string money(Ui& ui, long long amount, const std::string& currency) const {
        // Thousands apart with a space, as both countries write sums on receipts.
        std::string digits = std::to_string(amount), grouped;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0 && digits.size() > 4) grouped += ' ';
            grouped += digits[i];
        }
        std::string unit = currency == "BDT"   ? ui.tr("Tk")
                           : currency == "UZS" ? ui.tr("sum")
                                               : currency;
        return ui.digits(grouped) + " " + unit;
    }

    // [SECTION] screens
    void home(Ui& ui) {
        ui.heading("dc.title", ui.tr("Digital Centre services"));
        if (catalog_.empty()) {
            ui.message("dc.no_catalog", seba::ui::Tone::Warning,
                       ui.tr("The list of services has not reached this kiosk yet. Please ask the "
                             "operator."));
            return;
        }
        ui.begin_row("dc.actions");
        if (ui.button("dc.search", ui.tr("Search"))) screen_ = Screen::Search;
        if (ui.button("dc.status", ui.tr("Check a request"))) screen_ = Screen::Status;
        ui.end_row();
        ui.begin_tiles("dc.categories");
        for (const seba::dc::Category& c : catalog_.categories()) {
            std::size_t n = catalog_.in_category(c.id).size();
            if (n == 0) continue;
            if (ui.tile("dc.cat." + c.id, c.name.in(ui.language()),
                        ui.digits(std::to_string(n)) + " " + ui.tr("services"))) {
                category_ = c.id;
                screen_ = Screen::Category;
            }
        }
        ui.end_tiles();
    }

    void service_rows(Ui& ui, const std::vector<const Service*>& services) {
        for (const Service* s : services) {
            std::string fee = ui.tr("Total") + ": " +
                              money(ui, s->government_fee + s->service_charge, s->currency);
            if (ui.list_row("dc.svc." + s->id, s->name.in(ui.language()), fee)) open(*s);
        }
    }

    void category(Ui& ui) {
        for (const seba::dc::Category& c : catalog_.categories())
            if (c.id == category_) ui.heading("dc.category", c.name.in(ui.language()));
        service_rows(ui, catalog_.in_category(category_));
    }

    void search(Ui& ui) {
        ui.heading("dc.search.title", ui.tr("Search services"));
        seba::ui::FieldSpec spec;
        spec.max_chars = 40;
        seba::ui::FieldResult query =
            ui.field("dc.search.query", ui.tr("Name of the service"), spec);
        std::vector<const Service*> found = catalog_.search(query.text);
        if (!query.text.empty() && found.empty())
            ui.paragraph("dc.search.none", ui.tr("No service matches. Try fewer letters."));
        service_rows(ui, found);
    }

    void open(const Service& s) {
        service_ = &s;
        service_id_ = s.id;
        screen_ = Screen::Detail;
    }

    void detail(Ui& ui) {
        const Service& s = *service_;
        std::string_view lang = ui.language();
        ui.heading("dc.detail.title", s.name.in(lang));
        if (!s.documents.empty()) {
            ui.paragraph("dc.detail.bring", ui.tr("Bring with you:"));
            for (std::size_t i = 0; i < s.documents.size(); ++i)
                ui.paragraph("dc.detail.doc." + std::to_string(i), "• " + s.documents[i].in(lang));
        }
        ui.paragraph("dc.detail.gov_fee",
                     ui.tr("Government fee") + ": " + money(ui, s.government_fee, s.currency));
        ui.paragraph("dc.detail.charge",
                     ui.tr("Service charge") + ": " + money(ui, s.service_charge, s.currency));
        ui.paragraph(
            "dc.detail.total",
            ui.tr("Total") + ": " + money(ui, s.government_fee + s.service_charge, s.currency));
        if (!s.delivery.by_language.empty())
            ui.paragraph("dc.detail.time",
                         ui.tr("Ready in") + ": " + ui.digits(s.delivery.in(lang)));
        if (!s.office.by_language.empty())
            ui.paragraph("dc.detail.office", ui.tr("Delivered by") + ": " + s.office.in(lang));
        if (ui.button("dc.apply", ui.tr("Apply"))) {
            started_ = std::chrono::steady_clock::now();
            screen_ = Screen::Form;
        }
    }

    // Every field of the form drawn; true when all are valid.
    bool fields(Ui& ui) {
        bool all_valid = true;
        std::string today = today_utc();
        for (const seba::dc::FormField& f : service_->form) {
            seba::ui::FieldSpec spec;
            spec.kind = field_kind(f.rule);
            spec.required = f.required;
            spec.max_chars = f.rule == "text" ? 200 : 100;
            auto rule = seba::dc::rule_from_name(f.rule).value_or(seba::dc::Rule::Text);
            spec.validate = [&ui, rule, required = f.required, today](std::string_view value) {
                seba::dc::Checked checked = seba::dc::check(rule, value, required, today);
                return checked.ok ? std::string() : ui.tr(checked.problem);
            };
            seba::ui::FieldResult r = ui.field(field_id(f), f.label.in(ui.language()), spec);
            all_valid = all_valid && r.valid;
        }
        return all_valid;
    }

    std::string field_id(const seba::dc::FormField& f) const {
        return "dc.f." + service_->id + "." + f.id;
    }

    void form(Ui& ui) {
        ui.heading("dc.form.title", service_->name.in(ui.language()));
        bool valid = fields(ui);
        if (!valid) ui.paragraph("dc.form.hint", ui.tr("Fill in every field marked as needed."));
        if (ui.button("dc.review", ui.tr("Review"), valid)) screen_ = Screen::Review;
    }

    // The checked value of a field (normalised), from what the citizen typed.
    seba::dc::Checked checked(Ui& ui, const seba::dc::FormField& f) {
        const seba::ui::SecretText* typed = ui.state().find_field(field_id(f));
        auto rule = seba::dc::rule_from_name(f.rule).value_or(seba::dc::Rule::Text);
        return seba::dc::check(rule, typed ? typed->view() : std::string_view(), f.required,
                               today_utc());
    }

    void review(Ui& ui) {
        const Service& s = *service_;
        ui.heading("dc.review.title", ui.tr("Check your request"));
        ui.paragraph("dc.review.service", ui.tr("Service") + ": " + s.name.in(ui.language()));
        bool valid = true;
        for (const seba::dc::FormField& f : s.form) {
            seba::dc::Checked c = checked(ui, f);
            valid = valid && c.ok;
            ui.paragraph("dc.review." + f.id,
                         f.label.in(ui.language()) + ": " + ui.digits(c.value));
        }
        ui.paragraph(
            "dc.review.total",
            ui.tr("Total") + ": " + money(ui, s.government_fee + s.service_charge, s.currency));
        std::vector<std::string> payments = {ui.tr("Cash"), ui.tr("Mobile money")};
        ui.choice("dc.payment", ui.tr("Payment"), payments, payment_);
        if (!confirm_problem_.empty())
            ui.message("dc.confirm.problem", seba::ui::Tone::Error, confirm_problem_);
        ui.begin_row("dc.review.actions");
        if (ui.button("dc.edit", ui.tr("Change"))) screen_ = Screen::Form;
        // A request cannot be confirmed with an invalid field, whatever the screens did.
        if (ui.button("dc.confirm", ui.tr("Confirm"), valid)) confirm(ui);
        ui.end_row();
    }

    void confirm(Ui& ui) {
        seba::dc::Confirmation c;
        c.service = service_;
        c.payment = payment_ == 1 ? "mobile" : "cash";
        // The times of the visit (Time-Cost-Visit's evidence): the end by the kiosk's clock,
        // corrected to the server's; arrival and start before it by the monotonic clock, so
        // that the durations hold whatever the wall clock did meanwhile.
        const seba::KioskTime ended = seba::kiosk_now();
        const auto now = std::chrono::steady_clock::now();
        const auto arrived = arrived_.value_or(now);
        auto back = [&](std::chrono::steady_clock::time_point then) {
            return seba::KioskTime{
                ended.at -
                    std::chrono::duration_cast<std::chrono::system_clock::duration>(now - then),
                ended.checked}
                .iso();
        };
        c.arrived_at = back(arrived);
        c.started_at = back(started_.value_or(arrived));
        c.ended_at = ended.iso();
        c.clock_checked = ended.checked;
        c.operator_name = context_->settings().text("operator");
        for (const seba::dc::FormField& f : service_->form) {
            seba::dc::Checked v = checked(ui, f);
            if (!v.ok) return;  // the button was disabled; never store an invalid request
            if (f.identifies && c.identifier.empty()) c.identifier = v.value;
            (f.identifying ? c.sealed_fields : c.fields)[f.id] = v.value;
        }
        try {
            // The request, its event and its receipt's print job: together or not at all.
            context_->store().transaction([&] {
                tracking_ = book_->confirm(c);
                printer_->queue(receipt_for(ui));
            });
            confirm_problem_.clear();
            // Sent and stored: what the citizen typed is no longer needed on this kiosk.
            for (const seba::dc::FormField& f : service_->form)
                ui.state().field(field_id(f)).wipe();
            screen_ = Screen::Receipt;
            context_->log().info("request {} confirmed for {}", tracking_, service_->id);
        } catch (const seba::sealing::NoServerKey& e) {
            // Held, not stored in clear: the form stays filled for when the kiosk is enrolled.
            tracking_.clear();
            context_->log().error("a {} request was not stored: {}", service_->id, e.what());
            confirm_problem_ = ui.tr(
                "This kiosk cannot take requests yet: it is not connected to its server. "
                "Nothing was charged; please ask the operator.");
        } catch (const seba::StorageError& e) {
            // The disk is full or the database failed: the transaction rolled back whole, and
            // the citizen must not leave believing the request was made. Trying again will
            // not help until the operator frees space; the form stays filled for then.
            tracking_.clear();
            context_->log().error("a {} request was not stored: {}", service_->id, e.what());
            confirm_problem_ =
                e.disk_trouble()
                    ? ui.tr(
                          "Your request was NOT recorded: this kiosk cannot save requests right "
                          "now. Nothing was charged; please ask the operator.")
                    : ui.tr(
                          "The request could not be saved. Nothing was charged; please try "
                          "again.");
        } catch (const std::exception& e) {
            tracking_.clear();
            context_->log().error("confirming a {} request failed: {}", service_->id, e.what());
            confirm_problem_ =
                ui.tr("The request could not be saved. Nothing was charged; please try again.");
        }
    }

    seba::print::Document receipt_for(Ui& ui) const {
        const Service& s = *service_;
        seba::print::Document r;
        r.language = std::string(ui.language());
        r.reference = tracking_;
        r.copy_mark = ui.tr("Copy");
        r.title(s.name.in(ui.language())).heading(ui.tr("Digital Centre")).rule();
        r.row(ui.tr("Government fee"), money(ui, s.government_fee, s.currency))
            .row(ui.tr("Service charge"), money(ui, s.service_charge, s.currency))
            .row(ui.tr("Total"), money(ui, s.government_fee + s.service_charge, s.currency))
            .row(ui.tr("Payment"), payment_ == 1 ? ui.tr("Mobile money") : ui.tr("Cash"));
        if (!s.delivery.by_language.empty())
            r.row(ui.tr("Ready in"), ui.digits(s.delivery.in(ui.language())));
        r.rule().number(tracking_).qr(tracking_).footer(
            ui.tr("Keep this receipt. Scan the code or give the number to check your request."));
        return r;
    }

    // Print again: the queued job at once, or a copy of a receipt already printed. On a full
    // disk the request stays saved and the receipt says it could not be printed.
    void reprint(Ui& ui) {
        try {
            if (printer_->retry(tracking_)) return;
            printer_->print_copy(receipt_for(ui));
        } catch (const seba::StorageError& e) {
            if (!e.disk_trouble()) throw;
            context_->log().error("receipt {} not printed again: {}", tracking_, e.what());
        }
    }

    // [SECTION] operator: receipts not printed, so that none is silently lost
    void unprinted_receipts(Ui& ui) {
        int count = printer_->unprinted_count();
        if (count == 0) return;
        ui.message("dc.op.unprinted", seba::ui::Tone::Warning,
                   ui.tr("Receipts not printed") + ": " + ui.digits(std::to_string(count)));
        for (const seba::print::UnprintedJob& r : printer_->unprinted()) {
            std::string detail = r.failures == 0 ? ui.tr("Waiting for the printer")
                                                 : ui.tr("Printing failed") + ": " + r.last_error;
            ui.list_row("dc.op.unprinted." + r.reference, r.reference, detail);
            if (r.failures > 0 && ui.button("dc.op.reprint." + r.reference, ui.tr("Print again"))) {
                printer_->retry(r.reference);
                context_->audit("dc.receipt_reprinted", r.reference, "asked by the operator");
            }
        }
    }

    void receipt(Ui& ui) {
        const Service& s = *service_;
        ui.heading("dc.receipt.title", ui.tr("Request received"));
        ui.paragraph("dc.receipt.service", s.name.in(ui.language()));
        ui.paragraph("dc.receipt.tracking", ui.tr("Tracking number") + ": " + tracking_);
        ui.qr("dc.receipt.qr", tracking_);
        for (const seba::print::Block& line : receipt_for(ui).blocks)
            if (line.kind == seba::print::Block::Kind::Row)
                ui.paragraph("dc.receipt.line." + line.text, line.text + ": " + line.value);
        using Status = seba::print::Status;
        Status printing = printer_->status(tracking_);
        if (printing == Status::Printing)
            ui.paragraph("dc.receipt.printing", ui.tr("Printing the receipt…"));
        if (printing == Status::Failed) {
            ui.message("dc.receipt.print_problem", seba::ui::Tone::Warning,
                       ui.tr("The receipt could not be printed. Your request is saved; ask the "
                             "operator to check the printer."));
            if (ui.button("dc.reprint", ui.tr("Print again"))) reprint(ui);
        }
        if (ui.button("dc.done", ui.tr("Done"))) reset();
    }

    void status(Ui& ui) {
        ui.heading("dc.status.title", ui.tr("Check a request"));
        seba::ui::FieldSpec spec;
        spec.max_chars = 40;
        seba::ui::FieldResult typed =
            ui.field("dc.status.tracking", ui.tr("Tracking number"), spec);
        if (typed.text.empty()) return;
        std::optional<std::string> tracking = seba::dc::normalise_tracking(typed.text);
        if (!tracking) {
            ui.message("dc.status.bad", seba::ui::Tone::Error,
                       ui.tr("A tracking number looks like DHK1-261128-A7-0042."));
            return;
        }
        std::optional<nlohmann::json> sent =
            context_->store().catalog_record("dc.status", *tracking);
        if (sent && sent->contains("status")) {
            std::string state = sent->value("status", "");
            ui.message("dc.status.result", seba::ui::Tone::Info,
                       ui.tr("Status") + ": " + ui.tr(status_text(state)));
            return;
        }
        if (book_->find(*tracking))
            ui.message("dc.status.result", seba::ui::Tone::Info,
                       ui.tr("Status") + ": " + ui.tr("Received at this centre"));
        else
            ui.message("dc.status.result", seba::ui::Tone::Warning,
                       ui.tr("No request with this number is known yet."));
    }

    static std::string status_text(const std::string& state) {
        if (state == "received") return "Received at this centre";
        if (state == "in_progress") return "Being processed by the office";
        if (state == "ready") return "Ready: come and collect it";
        if (state == "delivered") return "Delivered";
        if (state == "rejected") return "Rejected: ask the operator why";
        return "Being processed by the office";
    }

    seba::PluginContext* context_ = nullptr;
    std::unique_ptr<seba::dc::RequestBook> book_;
    seba::dc::ServiceCatalog catalog_;
    std::string catalog_cursor_;
    Screen screen_ = Screen::Home;
    std::string category_;
    const Service* service_ = nullptr;
    std::string service_id_;
    int payment_ = 0;
    // When the citizen opened the service and started the form, by the monotonic clock.
    std::optional<std::chrono::steady_clock::time_point> arrived_, started_;
    std::string tracking_;
    std::string confirm_problem_, close_problem_;
    seba::print::Printer* printer_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(DigitalCentre)
