// SPDX-License-Identifier: Apache-2.0
#include "centre.hpp"

namespace seba::dc {

namespace {

PrintTarget print_target(const Settings& settings) {
    PrintTarget target;
    target.printer = settings.text("printer");
    target.pdf_dir = settings.text("receipt_dir");
    target.paper = settings.text("paper") == "58" ? Paper::Thermal58 : Paper::Thermal80;
    return target;
}

}  // namespace

std::string today_utc() {
    return kiosk_now().iso().substr(0, 10);
}

Centre::Centre(PluginContext& context)
    : context_(context),
      book_(context.store(), context.settings().text("centre_code")),
      // Receipts a previous run left (an exit, a crash) are taken up now.
      printer_(std::make_unique<PrintQueue>(context.store(), print_target(context.settings()),
                                            context.log())) {
    load_catalog();
}

Centre::~Centre() = default;  // waits for a receipt being written

void Centre::refresh() {
    if (context_.store().catalog_cursor("dc.services") != catalog_cursor_) load_catalog();
}

void Centre::load_catalog() {
    PluginStore& store = context_.store();
    catalog_ = {};
    store.for_each_catalog_record("dc.services",
                                  [&](std::string_view key, const nlohmann::json& data) {
                                      if (auto problem = catalog_.add(key, data))
                                          context_.log().warn("dc.services record skipped: {}",
                                                              *problem);
                                  });
    catalog_.finish();
    catalog_cursor_ = store.catalog_cursor("dc.services");
}

Centre::Time Centre::arrived() {
    if (!arrived_) arrived_ = std::chrono::steady_clock::now();
    return *arrived_;
}

std::string Centre::money(Ui& ui, long long amount, const std::string& currency) {
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

Receipt Centre::receipt_for(Ui& ui, const Service& s, const std::string& tracking,
                            const std::string& payment) {
    Receipt r;
    r.language = std::string(ui.language());
    r.title = s.name.in(ui.language());
    r.centre = ui.tr("Digital Centre");
    r.tracking = tracking;
    r.qr_payload = tracking;
    r.lines = {{ui.tr("Government fee"), money(ui, s.government_fee, s.currency)},
               {ui.tr("Service charge"), money(ui, s.service_charge, s.currency)},
               {ui.tr("Total"), money(ui, s.government_fee + s.service_charge, s.currency)},
               {ui.tr("Payment"), payment == "mobile" ? ui.tr("Mobile money") : ui.tr("Cash")}};
    if (!s.delivery.by_language.empty())
        r.lines.push_back({ui.tr("Ready in"), ui.digits(s.delivery.in(ui.language()))});
    r.footer = ui.tr("Keep this receipt. Scan the code or give the number to check your request.");
    return r;
}

}  // namespace seba::dc
