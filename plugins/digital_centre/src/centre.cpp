// SPDX-License-Identifier: Apache-2.0
#include "centre.hpp"


#include "old_print_jobs.hpp"

namespace seba::dc {

std::string today_utc() {
    return kiosk_now().iso().substr(0, 10);
}

Centre::Centre(PluginContext& context)
    : context_(context),
      book_(context.store(), context.settings().text("centre_code")),
      printer_(context.printer()) {
    // The kiosk prints; a request is marked printed when its receipt's job ends.
    printer_.on_printed([this](const std::string& tracking) { book_.mark_printed(tracking); });
    move_old_print_jobs(context.store(), printer_, context.log());
    load_catalog();
}

Centre::~Centre() = default;

void Centre::refresh() {
    if (context_.store().catalog_cursor("dc.services") != catalog_cursor_) load_catalog();
}

void Centre::load_catalog() {
    PluginStore& store = context_.store();
    catalog_ = {};
    store.for_each_catalog_record(
        "dc.services", [&](std::string_view key, const nlohmann::json& data) {
            if (auto problem = catalog_.add(key, data))
                context_.log().warn("dc.services record skipped: {}", *problem);
        });
    for (const std::string& warning : catalog_.warnings())
        context_.log().warn("dc.services: {}", warning);
    for (const std::string& problem : catalog_.finish())
        context_.log().warn("dc.services record skipped: {}", problem);
    catalog_cursor_ = store.catalog_cursor("dc.services");
}

std::vector<const Service*> Centre::search(std::string_view query) {
    // The screen asks every frame; the index is asked again only when something changed.
    std::string cursor = context_.store().catalog_cursor("dc.services");
    if (query == searched_ && cursor == searched_cursor_) return found_;
    searched_ = query;
    searched_cursor_ = cursor;
    search::Query q;
    q.text = std::string(query);
    q.kind = "service";
    q.limit = 40;
    std::vector<const Service*>& found = found_;
    found.clear();
    for (const search::Hit& hit : context_.store().search().find("digital_centre", q)) {
        // The index may be a page ahead of the catalog read at the last frame.
        std::string_view id = std::string_view(hit.entry.key).substr(std::size("service/") - 1);
        if (const Service* s = catalog_.find(id)) found.push_back(s);
    }
    return found;
}

Centre::Time Centre::arrived() {
    if (!arrived_) arrived_ = std::chrono::steady_clock::now();
    return *arrived_;
}

std::string Centre::money(Ui& ui, long long amount, const std::string& currency) {
    // A currency's name as people say it ("৫০ টাকা", "80 soʻm") where the catalog, or a
    // country pack's, translates its ISO code; else ICU's form for any ISO 4217 code in the
    // citizen's language ("रू ८०", "KES 80").
    const std::string& word = ui.tr(currency);
    if (word != currency) {
        // Thousands apart with a space, as both countries write sums on receipts.
        std::string digits = std::to_string(amount), grouped;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0 && digits.size() > 4) grouped += ' ';
            grouped += digits[i];
        }
        return ui.digits(grouped) + " " + word;
    }
    return ui.money(amount, currency);
}

print::Document Centre::receipt_for(Ui& ui, const Service& s, const std::string& tracking,
                                    const std::string& payment) {
    print::Document r;
    r.language = std::string(ui.language());
    r.reference = tracking;
    r.copy_mark = ui.tr("Copy");
    r.title(s.name.in(ui.language())).heading(ui.tr("Digital Centre")).rule();
    r.row(ui.tr("Government fee"), money(ui, s.government_fee, s.currency))
        .row(ui.tr("Service charge"), money(ui, s.service_charge, s.currency))
        .row(ui.tr("Total"), money(ui, s.government_fee + s.service_charge, s.currency))
        .row(ui.tr("Payment"), payment == "mobile" ? ui.tr("Mobile money") : ui.tr("Cash"));
    if (!s.delivery.by_language.empty())
        r.row(ui.tr("Ready in"), ui.digits(s.delivery.in(ui.language())));
    r.rule().number(tracking).qr(tracking).footer(
        ui.tr("Keep this receipt. Scan the code or give the number to check your request."));
    return r;
}

}  // namespace seba::dc
