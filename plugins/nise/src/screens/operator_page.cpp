// SPDX-License-Identifier: Apache-2.0
// The operator's page: referrals made at this kiosk by state and the newest ones, how many
// opportunities are open now (by the guarded clock, with a warning when the kiosk's clock
// reads earlier than a time it already trusted), records of the catalog left out, and
// profiles saved today. Never a citizen's name or phone: this kiosk does not keep them.
#include "match_parts.hpp"
#include "screens.hpp"

namespace seba::nise {

namespace {

using namespace match_ui;

constexpr std::size_t kNewest = 10;

std::string count(ui::Ui& ui, std::size_t n) {
    return ui.digits(std::to_string(n));
}

}  // namespace

void draw_operator_page(ui::Ui& ui, Desk& desk) {
    desk.refresh();
    ClockGuard& clock = desk.clock();
    const std::string today = clock.today();
    ui.heading("nise.op.title", ui.tr("Jobs and training"));
    if (clock.held_back())
        ui.banner("nise.op.clock", ui::Tone::Warning,
                  say(ui,
                      "The kiosk's clock reads earlier than a time it already trusted ({0}). "
                      "Closing dates are counted from that time: check the clock.",
                      clock.trusted_until()));

    ui.heading("nise.op.referrals", ui.tr("Referrals made here"));
    const ReferralSummary summary = desk.referrals().summary(kNewest);
    ui.answer("nise.op.total", ui.tr("All referrals"), count(ui, summary.total), false);
    for (const char* status : {"sent", "received", "interview", "accepted", "rejected"}) {
        const auto n = summary.by_status.find(status);
        ui.answer(std::string("nise.op.status.") + status, status_word(ui, status),
                  count(ui, n == summary.by_status.end() ? 0 : n->second), false);
    }
    if (!summary.newest.empty()) ui.heading("nise.op.newest", ui.tr("Newest first"));
    for (const Referral& r : summary.newest) {
        const std::optional<ReferralAnswer> answer = desk.referrals().answer(r.reference);
        std::string what = r.opportunity;
        if (const Opportunity* o = desk.catalog().opportunity(r.opportunity))
            what = name_in(o->title, ui.language());
        ui.answer("nise.op.r." + r.reference, r.reference,
                  what + " · " + ui.date(r.referred_at.substr(0, 10)) + " · " +
                      status_word(ui, answer ? answer->status : "sent"),
                  false);
    }

    ui.heading("nise.op.catalog", ui.tr("Opportunities"));
    std::size_t open = 0, closed = 0;
    for (const Opportunity& o : desk.catalog().opportunities()) {
        const bool started = o.opens.empty() || std::string_view(o.opens) <= today;
        if (started && o.seats > 0 && std::string_view(o.closes) >= today)
            ++open;
        else
            ++closed;
    }
    ui.answer("nise.op.open", ui.tr("Open now"), count(ui, open), false);
    ui.answer("nise.op.closed", ui.tr("Closed, full or not open yet"), count(ui, closed), false);
    ui.answer("nise.op.today", ui.tr("Today, for closing dates"), ui.date(today), false);
    const std::string trusted = clock.trusted_until();
    ui.answer("nise.op.trusted", ui.tr("Clock last checked with the server"),
              trusted.empty() ? ui.tr("Not yet") : trusted, false);
    ui.answer("nise.op.skipped", ui.tr("Catalog records left out as unreadable"),
              count(ui, desk.catalog().skipped()), false);
    ui.answer("nise.op.profiles", ui.tr("Profiles saved today"),
              count(ui, static_cast<std::size_t>(std::max(0, desk.profiles().saved_on(today)))),
              false);
}

}  // namespace seba::nise
