// SPDX-License-Identifier: Apache-2.0
// The referral: what will be sent and to whom (education, skills, languages, place; name and
// phone locked for the NISE office), the citizen's yes, Send. Only Send writes: the referral,
// its event and its slip's print job together. Then the slip on screen while it prints.
#include <seba/ui/i18n.hpp>

#include "match_parts.hpp"
#include "screens.hpp"

namespace seba::nise {

using ui::Navigator;
using ui::Ui;

namespace {

using namespace match_ui;

std::string refused_words(Ui& ui, ReferralRefused::Why why) {
    using Why = ReferralRefused::Why;
    switch (why) {
        case Why::NotSaved:
            return ui.tr("Save your profile first, then send it.");
        case Why::NoConsent:
            return ui.tr(
                "You have not agreed that your profile is kept and sent. Save it again "
                "and agree.");
        case Why::Withdrawn:
            return ui.tr(
                "This profile was deleted at your request, so it cannot be sent. Make "
                "a new profile to apply.");
        case Why::Closed:
            return ui.tr("This one has closed. Choose another one.");
        case Why::Full:
            return ui.tr("No places are left. Choose another one.");
        case Why::AlreadyReferred:
            return ui.tr(
                "You have already applied for this one. Check the answer with the "
                "reference on your slip.");
    }
    return ui.tr("Your application was NOT sent. Please try again later.");
}

class SlipScreen final : public ui::Screen {
  public:
    SlipScreen(Desk& desk, std::string reference, std::string opportunity)
        : desk_(desk), reference_(std::move(reference)), opportunity_(std::move(opportunity)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Desk& desk_;
    const std::string reference_, opportunity_;
};

class ReviewScreen final : public ui::Screen {
  public:
    ReviewScreen(Desk& desk, std::string opportunity)
        : desk_(desk), opportunity_(std::move(opportunity)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    void send(Ui& ui, Navigator& nav, const Opportunity& o);
    Desk& desk_;
    const std::string opportunity_;
    bool agreed_ = false;
    std::string problem_;
};

void ReviewScreen::draw(Ui& ui, Navigator& nav) {
    const std::string_view language = ui.language();
    const Opportunity* o = desk_.catalog().opportunity(opportunity_);
    if (!o) {
        ui.heading("nise.refer.title", ui.tr("Apply"));
        ui.banner("nise.refer.problem", ui::Tone::Warning,
                  ui.tr("This opportunity is no longer listed. Choose another one."));
        return;
    }
    const std::string& organisation = name_in(o->organisation, language);
    ui.heading("nise.refer.title", say(ui, "Send your profile to {0}", organisation));
    ui.answer("nise.refer.for", kind_word(ui, o->kind), name_in(o->title, language), false);
    const Profile& p = desk_.citizen().profile;
    std::string education = ui.tr("Not given");
    for (const EducationLevel& level : education_levels())
        if (level.id == p.education) education = ui.tr(std::string(level.english));
    ui.answer("nise.refer.education", ui.tr("Schooling"), education, false);
    const Seeker seeker = p.seeker();
    for (std::size_t i = 0; i < seeker.skills.size(); ++i) {
        const Holding& h = seeker.skills[i];
        const Skill* s = desk_.catalog().skill(h.skill);
        std::string name = s ? name_in(s->names, language) : h.skill;
        if (h.verified) name += " · " + ui.tr("shown by a certificate");
        ui.answer("nise.refer.skill." + h.skill, i == 0 ? ui.tr("Skills") : std::string(), name,
                  false);
    }
    std::string languages;
    for (const std::string& tag : p.languages) {
        if (!languages.empty()) languages += ", ";
        languages += ui::language_endonym(tag);
    }
    ui.answer("nise.refer.languages", ui.tr("Languages"),
              languages.empty() ? ui.tr("Not given") : languages, false);
    const std::string place = place_words(ui, desk_, p.place);
    ui.answer("nise.refer.place", ui.tr("Place"), place.empty() ? ui.tr("Not given") : place,
              false);
    const std::string privacy =
        say(ui,
            "This goes to {0} through the NISE office. Your name and phone number are "
            "locked: only the NISE office opens them, to arrange an interview.",
            organisation);
    ui.paragraph("nise.refer.privacy", privacy);
    read_aloud_button(ui, "nise.refer.read_aloud",
                      say(ui, "Send your profile to {0}", organisation) + ". " +
                          name_in(o->title, language) + ". " + privacy);
    ui.checkbox("nise.refer.agree", ui.tr("I want to apply and send this"), agreed_);
    if (!problem_.empty()) ui.banner("nise.refer.problem", ui::Tone::Error, problem_);
    if (ui.button("nise.refer.send", ui.tr("Send"), ui::ButtonStyle::Primary, agreed_,
                  ui::icon::done))
        send(ui, nav, *o);
}

void ReviewScreen::send(Ui& ui, Navigator& nav, const Opportunity& o) {
    PluginContext& context = desk_.context();
    std::string reference;
    try {
        // The referral, its event and its slip's print job: together or not at all.
        reference = desk_.referrals().refer(
            desk_.citizen(), o, desk_.clock().today(), [&](const std::string& made) {
                std::optional<Referral> r = desk_.referrals().find(made);
                if (!r) r = Referral{made, o.id, kiosk_now().iso()};
                desk_.printer().queue(desk_.referral_slip(ui, *r));
            });
    } catch (const ReferralRefused& e) {
        context.log().info("a referral to {} was refused: {}", o.id, e.what());
        problem_ = refused_words(ui, e.why);
        return;
    } catch (const sealing::NoServerKey& e) {
        context.log().error("a referral was not stored: {}", e.what());
        problem_ = ui.tr(
            "This kiosk cannot send applications yet: it is not connected to its server. Please "
            "try again later or ask at another centre.");
        return;
    } catch (const std::exception& e) {
        context.log().error("a referral to {} was not stored: {}", o.id, e.what());
        problem_ = ui.tr(
            "Your application was NOT sent: this kiosk cannot save it right now. Please try "
            "again later.");
        return;
    }
    context.log().info("referral {} made ({})", reference, o.id);
    // The slip stands alone: Back or Done from it goes to the first screen.
    nav.home();
    nav.push<SlipScreen>(desk_, reference, o.id);
}

void SlipScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("nise.slip.title", ui.tr("Your application was sent"));
    ui.confirmation("nise.slip.panel", ui.tr("Your referral reference"), reference_);
    ui.qr("nise.slip.qr", reference_);
    if (const Opportunity* o = desk_.catalog().opportunity(opportunity_))
        ui.list_row("nise.slip.for", name_in(o->title, ui.language()),
                    name_in(o->organisation, ui.language()), kind_icon(o->kind));
    const std::string how = ui.tr(
        "Keep this slip. To see the answer, open Jobs and training on the kiosk, choose "
        "Check a referral and type this reference.");
    ui.paragraph("nise.slip.how", how);
    // The reference letter by letter, so that it can be written down as heard.
    std::string spelled;
    for (char c : reference_) spelled += c == '-' ? std::string(", ") : std::string{c, ' '};
    read_aloud_button(ui, "nise.slip.read_aloud",
                      ui.tr("Your referral reference") + ": " + spelled + ". " + how);
    using print::Status;
    const Status printing = desk_.printer().status(reference_);
    if (printing == Status::Printing)
        ui.paragraph("nise.slip.printing", ui.tr("Printing the slip…"));
    if (printing == Status::Failed) {
        ui.message("nise.slip.print_problem", ui::Tone::Warning,
                   ui.tr("The slip could not be printed. Your application is saved: write down "
                         "the reference, or ask the operator to check the printer."));
        if (ui.button("nise.slip.reprint", ui.tr("Print again"), ui::ButtonStyle::Secondary, true,
                      ui::icon::print)) {
            try {
                if (!desk_.printer().retry(reference_))
                    if (std::optional<Referral> r = desk_.referrals().find(reference_))
                        desk_.printer().print_copy(desk_.referral_slip(ui, *r));
            } catch (const StorageError& e) {
                if (!e.disk_trouble()) throw;
                desk_.context().log().error("slip {} not printed again: {}", reference_, e.what());
            }
        }
    }
    if (ui.button("nise.slip.done", ui.tr("Done"), ui::ButtonStyle::Primary, true, ui::icon::done))
        nav.home();
}

}  // namespace

std::unique_ptr<ui::Screen> match_ui::review_screen(Desk& desk, std::string opportunity) {
    return std::make_unique<ReviewScreen>(desk, std::move(opportunity));
}

}  // namespace seba::nise
