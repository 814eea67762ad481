// SPDX-License-Identifier: Apache-2.0
// The operator's page: the complaints filed at this kiosk that are not resolved or closed,
// newest first (reference, what about, how old, state), and how many there are of each kind.
// Never the citizen's words: this kiosk cannot read them.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "../categories.hpp"
#include "screens.hpp"

namespace seba::civil {

namespace {

constexpr std::size_t kShown = 50;

// Whole days since `iso` (UTC ISO 8601) by the kiosk's corrected clock.
long long days_since(std::string_view iso) {
    int y = 0;
    unsigned m = 0, d = 0;
    const std::string day(iso.substr(0, 10));
    if (std::sscanf(day.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return 0;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                          std::chrono::day(d)};
    if (!ymd.ok()) return 0;
    const std::chrono::sys_days then(ymd);
    const auto today = std::chrono::floor<std::chrono::days>(kiosk_now().at);
    return std::max<long long>(0, (today - then).count());
}

std::string status_word(Ui& ui, const std::string& status) {
    if (status == "in_progress") return ui.tr("Being looked into");
    return ui.tr("Received");
}

}  // namespace

void draw_operator_page(Ui& ui, Desk& desk) {
    ui.heading("civil_service.op.title", ui.tr("Open complaints"));
    const OpenGrievances open = desk.book().open(kShown);
    if (open.total == 0) {
        ui.message("civil_service.op.none", ui::Tone::Info,
                   ui.tr("No open complaints filed at this kiosk."));
        return;
    }
    ui.answer("civil_service.op.total", ui.tr("Open complaints"),
              ui.digits(std::to_string(open.total)), false);
    for (const Category& c : categories()) {
        auto n = open.by_category.find(c.id);
        if (n == open.by_category.end()) continue;
        ui.answer("civil_service.op.count." + std::string(c.id), ui.tr(std::string(c.name)),
                  ui.digits(std::to_string(n->second)), false);
    }
    ui.heading("civil_service.op.list", ui.tr("Newest first"));
    for (const OpenGrievance& o : open.newest) {
        const StoredGrievance& g = o.grievance;
        const std::string age =
            ui.trn("{0} day", "{0} days", static_cast<unsigned long>(days_since(g.filed_at)));
        ui.answer("civil_service.op.g." + g.reference, g.reference,
                  category_word(ui, g.category) + " · " + age + " · " + status_word(ui, o.status),
                  false);
    }
    if (open.total > open.newest.size())
        ui.paragraph("civil_service.op.more",
                     tr_format(ui, "and {0} older ones",
                               ui.digits(std::to_string(open.total - open.newest.size()))));
}

}  // namespace seba::civil
