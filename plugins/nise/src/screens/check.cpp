// SPDX-License-Identifier: Apache-2.0
// Check a referral: its state by the reference on the slip, looked up when the citizen taps
// Check (a half-typed reference is not wrong yet). The employer's or provider's answer comes on
// the centre's channel nise.referrals; before it, a referral made here is "sent".
#include "match_parts.hpp"
#include "screens.hpp"

namespace seba::nise {

using ui::Navigator;
using ui::Ui;

std::string match_ui::status_word(Ui& ui, std::string_view status) {
    if (status == "received") return ui.tr("Received: they have your profile");
    if (status == "interview")
        return ui.tr("Invited to an interview: the NISE office will call you");
    if (status == "accepted") return ui.tr("Accepted");
    if (status == "rejected") return ui.tr("Not chosen this time");
    return ui.tr("Sent: no answer yet");
}

std::string_view match_ui::status_icon(std::string_view status) {
    if (status == "received") return "mark_email_read";
    if (status == "interview") return "groups";
    if (status == "accepted") return ui::icon::success;
    if (status == "rejected") return ui::icon::cancel;
    return "send";
}

namespace {

using namespace match_ui;

class CheckScreen final : public ui::Screen {
  public:
    explicit CheckScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Desk& desk_;
    std::string checked_;  // what the field held when Check was tapped
};

void CheckScreen::draw(Ui& ui, Navigator&) {
    ui.heading("nise.check.title", ui.tr("Check a referral"));
    ui::FieldSpec spec;
    spec.max_chars = 40;
    const ui::FieldResult typed = ui.field("nise.check.ref", ui.tr("Referral reference"), spec);
    if (ui.button("nise.check.go", ui.tr("Check"), ui::ButtonStyle::Primary, !typed.text.empty(),
                  ui::icon::search))
        checked_ = std::string(typed.text);
    // An answer is about what was checked: typing again puts it away until the next Check.
    if (checked_.empty() || typed.text != checked_) return;
    ReferralBook& book = desk_.referrals();
    const std::optional<std::string> reference = book.read_reference(checked_);
    if (!reference) {
        ui.banner("nise.check.bad", ui::Tone::Error,
                  say(ui, "This is not a referral reference. It looks like {0}",
                      book.centre_code() + "-N261207-A7-0001"));
        return;
    }
    ui.paragraph("nise.check.number", ui.tr("Referral reference") + ": " + *reference);
    const std::optional<ReferralAnswer> answer = book.answer(*reference);
    const std::optional<Referral> made = book.find(*reference);
    if (!answer && !made) {
        ui.banner("nise.check.unknown", ui::Tone::Warning,
                  ui.tr("No referral with this reference is known at this centre yet. Check the "
                        "reference on your slip and try again, or ask the operator."));
        return;
    }
    const std::string status = answer ? answer->status : "sent";
    ui.list_row("nise.check.status", status_word(ui, status), ui.tr("Status"), status_icon(status));
    std::string aloud = ui.tr("Status") + ": " + status_word(ui, status);
    if (made)
        if (const Opportunity* o = desk_.catalog().opportunity(made->opportunity))
            ui.answer(
                "nise.check.for", kind_word(ui, o->kind),
                name_in(o->title, ui.language()) + " · " + name_in(o->organisation, ui.language()),
                false);
    if (made && made->referred_at.size() >= 10)
        ui.answer("nise.check.sent", ui.tr("Sent on"), ui.date(made->referred_at.substr(0, 10)),
                  false);
    if (answer && answer->answered_at.size() >= 10)
        ui.answer("nise.check.answered", ui.tr("Answered on"),
                  ui.date(answer->answered_at.substr(0, 10)), false);
    if (answer)
        if (const std::string& note = name_in(answer->note, ui.language()); !note.empty()) {
            ui.answer("nise.check.note", ui.tr("Their message"), note, false);
            aloud += ". " + ui.tr("Their message") + ": " + note;
        }
    read_aloud_button(ui, "nise.check.read_aloud", aloud);
}

}  // namespace

std::unique_ptr<ui::Screen> check_screen(Desk& desk) {
    return std::make_unique<CheckScreen>(desk);
}

}  // namespace seba::nise
