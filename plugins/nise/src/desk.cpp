// SPDX-License-Identifier: Apache-2.0
// INTERIM (lead's contract commit): the screens' helper completes the slips.
// code_slip: the profile screens' part (H4); referral_slip: still interim (H5).
#include "desk.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <vector>

namespace seba::nise {

std::span<const Migration> Desk::migrations() {
    static const std::vector<Migration> all = [] {
        std::vector<Migration> out;
        for (auto part :
             {ClockGuard::migrations(), ProfileBook::migrations(), ReferralBook::migrations()})
            out.insert(out.end(), part.begin(), part.end());
        return out;
    }();
    return all;
}

Desk::Desk(PluginContext& context)
    : context_(context),
      catalog_(context.store(), context.centre()),
      places_(context.store()),
      clock_(context.store(),
             std::chrono::minutes(context.settings().integer("utc_offset_minutes"))),
      profiles_(context.store(), context.centre(), [this] { return clock_.today(); }),
      referrals_(context.store(), profiles_, context.settings().text("centre_code")) {
}

void Desk::refresh() {
    catalog_.refresh();
}

const Matcher& Desk::matcher() {
    if (!matcher_ || matcher_generation_ != catalog_.generation()) {
        matcher_ = std::make_unique<Matcher>(catalog_);
        matcher_generation_ = catalog_.generation();
    }
    return *matcher_;
}

Citizen& Desk::citizen() {
    if (!citizen_) {
        citizen_.emplace();
        citizen_->profile.place = context_.settings().text("centre_place");
    }
    return *citizen_;
}

void Desk::set_citizen(Citizen citizen) {
    forget_citizen();
    citizen_.emplace(std::move(citizen));
}

void Desk::forget_citizen() {
    if (citizen_) citizen_->wipe();
    citizen_.reset();
}

print::Document Desk::referral_slip(ui::Ui& ui, const Referral& referral) {
    const std::string_view language = ui.language();
    print::Document slip;
    slip.language = std::string(language);
    slip.reference = referral.reference;
    slip.copy_mark = ui.tr("Copy");
    slip.title(ui.tr("Application sent")).heading(ui.tr("Jobs and training")).rule();
    if (const Opportunity* o = catalog_.opportunity(referral.opportunity)) {
        slip.row(ui.tr("For"), name_in(o->title, language));
        slip.row(ui.tr("With"), name_in(o->organisation, language));
    }
    if (referral.referred_at.size() >= 10)
        slip.row(ui.tr("Sent on"), ui.date(referral.referred_at.substr(0, 10)));
    slip.rule()
        .number(referral.reference)
        .qr(referral.reference)
        .paragraph(ui.tr("Your profile goes to them through the NISE office, which will call "
                         "you if they want to meet you."))
        .footer(ui.tr("Keep this slip. To see the answer, open Jobs and training on the kiosk, "
                      "choose Check a referral and type this reference."));
    return slip;
}

print::Document Desk::code_slip(ui::Ui& ui, std::string_view code) {
    // The job's reference names its PDF file: never the code itself.
    std::array<std::uint8_t, 6> random{};
    randombytes_buf(random.data(), random.size());
    std::string tag;
    for (std::uint8_t b : random) tag += fmt::format("{:02x}", b);
    std::string stamp;
    for (char c : kiosk_now().iso().substr(0, 19))
        if (c >= '0' && c <= '9') stamp += c;
    const std::string grouped =
        code.size() == 8 ? std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4))
                         : std::string(code);
    print::Document d;
    d.language = std::string(ui.language());
    d.reference = "nise-code-" + stamp + "-" + tag;
    d.copy_mark = ui.tr("Copy");
    d.title(ui.tr("Jobs and training"))
        .heading(ui.tr("Your profile is saved"))
        .rule()
        .paragraph(ui.tr("Your return code. With your phone number and this code you open your "
                         "profile at any kiosk of this centre."))
        .number(grouped)
        .rule()
        .footer(ui.tr("Keep this slip. Nobody from the centre will ask you for the code."));
    return d;
}

}  // namespace seba::nise
