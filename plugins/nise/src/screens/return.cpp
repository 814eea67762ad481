// SPDX-License-Identifier: Apache-2.0
// A returning citizen: phone and return code open their saved profile (nothing said of which
// was wrong), then "My profile": what it holds, edit, matches, and withdrawal with a plain
// confirmation.
#include <algorithm>
#include <seba/ui/i18n.hpp>

#include "profile_ui.hpp"

namespace seba::nise {

namespace {

constexpr const char* kPhone = "nise.return.phone";
constexpr const char* kCode = "nise.return.code";

class DeletedScreen final : public ui::Screen {
  public:
    void draw(Ui& ui, Navigator& nav) override {
        ui.heading("nise.deleted.title", ui.tr("Your profile is deleted"));
        ui.banner("nise.deleted.done", ui::Tone::Success,
                  ui.tr("Your profile is deleted from this kiosk. The server deletes it when the "
                        "kiosk next connects. Nobody can refer you with it any more."));
        if (ui.button("nise.deleted.home", ui.tr("Done"), ui::ButtonStyle::Primary, true,
                      ui::icon::home))
            nav.home();
    }
};

class WithdrawScreen final : public ui::Screen {
  public:
    explicit WithdrawScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override {
        if (!desk_.has_citizen() || desk_.citizen().login.empty()) return nav.home();
        const std::string title = ui.tr("Delete your profile?");
        const std::string what = ui.tr(
            "Your skills, certificates, name and phone number are deleted here and on the "
            "server. Your return code stops working. Referrals already sent stay with the "
            "employers, but nobody can refer you again. This cannot be undone.");
        ui.heading("nise.withdraw.title", title);
        ui.paragraph("nise.withdraw.what", what);
        if (!problem_.empty()) ui.banner("nise.withdraw.problem", ui::Tone::Error, problem_);
        read_page_aloud(ui, "nise.withdraw.read_aloud", title + " " + what);
        if (ui.button("nise.withdraw.no", ui.tr("No, keep my profile"), ui::ButtonStyle::Primary,
                      true, ui::icon::back))
            return nav.back();
        if (!ui.button("nise.withdraw.yes", ui.tr("Yes, delete my profile"),
                       ui::ButtonStyle::Danger, true, ui::icon::erase))
            return;
        try {
            desk_.profiles().withdraw(desk_.citizen());
        } catch (const sealing::NoServerKey& e) {
            desk_.context().log().error("a withdrawal was not stored: {}", e.what());
            problem_ = ui.tr(
                "This kiosk is not connected to its server yet. Nothing was deleted. Please "
                "try again later.");
            return;
        } catch (const StorageError& e) {
            desk_.context().log().error("a withdrawal was not stored: {}", e.what());
            problem_ =
                ui.tr("Nothing was deleted: this kiosk cannot save now. Please ask the operator.");
            return;
        }
        desk_.forget_citizen();
        desk_.context().log().info("a profile was withdrawn");
        nav.home();
        nav.push<DeletedScreen>();
    }

  private:
    Desk& desk_;
    std::string problem_;
};

class MyProfileScreen final : public ui::Screen {
  public:
    explicit MyProfileScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override {
        if (!desk_.has_citizen()) return nav.home();
        const Profile& p = desk_.citizen().profile;
        ui.heading("nise.me.title", ui.tr("My profile"));
        const std::string none = ui.tr("Not given");
        const std::string education = education_words(ui, p.education);
        ui.answer("nise.me.education", ui.tr("Education"), education.empty() ? none : education,
                  false);
        const std::vector<std::string> skills = profile_skills(p);
        ui.answer("nise.me.skills", ui.tr("Skills"),
                  skills.empty() ? none : ui.digits(std::to_string(skills.size())), false);
        ui.begin_tiles("nise.me.skill_chips");
        for (const std::string& s : skills) {
            const bool shown = verified(p, s);
            ui.tile("nise.me.skill." + s, skill_name(desk_, ui, s),
                    shown ? ui.tr("Shown by a certificate") : std::string(),
                    shown ? ui::icon::verified : ui::icon::done);
        }
        ui.end_tiles();
        ui.answer("nise.me.place", ui.tr("Your place"),
                  p.place.empty() ? none : place_words(desk_, ui, p.place), false);
        std::string languages;
        for (const std::string& tag : p.languages)
            languages += (languages.empty() ? "" : ", ") + ui::language_endonym(tag);
        ui.answer("nise.me.languages", ui.tr("Languages"), languages.empty() ? none : languages,
                  false);
        if (ui.button("nise.me.matches", ui.tr("Jobs and training for me"),
                      ui::ButtonStyle::Primary, true, ui::icon::work))
            nav.push(matches_screen(desk_));
        if (ui.button("nise.me.edit", ui.tr("Change my profile"), ui::ButtonStyle::Secondary, true,
                      ui::icon::edit))
            nav.push(profile_screen(desk_));
        if (ui.button("nise.me.withdraw", ui.tr("Delete my profile"), ui::ButtonStyle::Danger, true,
                      ui::icon::erase))
            nav.push<WithdrawScreen>(desk_);
    }

  private:
    Desk& desk_;
};

class ReturnScreen final : public ui::Screen {
  public:
    explicit ReturnScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override {
        ui.heading("nise.return.title", ui.tr("Open my profile"));
        ui.paragraph("nise.return.how",
                     ui.tr("Enter your phone number and the return code on your slip."));
        if (desk_.sign_in_limit().locked()) {
            ui.message("nise.return.locked", ui::Tone::Warning,
                       ui.tr("Too many wrong tries. Please wait a minute and try again."));
            return;
        }
        if (!problem_.empty()) ui.banner("nise.return.problem", ui::Tone::Error, problem_);
        ui.begin_form("nise.return");
        ui::FieldSpec phone;
        phone.kind = ui::FieldKind::Phone;
        phone.required = true;
        phone.max_chars = 20;
        ui.field(kPhone, ui.tr("Mobile phone number"), phone);
        ui::FieldSpec code;
        code.required = true;
        code.max_chars = 12;
        code.validate = [&ui](std::string_view value) -> std::string {
            if (value.empty() || return_code::normalise(value)) return {};
            return ui.tr("A return code has 8 letters and digits, e.g. K7QP-2M9X");
        };
        ui.field(kCode, ui.tr("Return code"), code);
        if (ui.submit("nise.return.open", ui.tr("Open"), ui::icon::unlocked)) {
            const std::optional<std::string> number = phone_e164(desk_, ui.field_text(kPhone));
            const std::optional<std::string> typed = return_code::normalise(ui.field_text(kCode));
            std::optional<Citizen> found;
            if (number && typed) found = desk_.profiles().sign_in(*number, *typed);
            if (!found) {
                desk_.sign_in_limit().failed();
                // The same words whichever was wrong: nothing tells whether a phone has a profile.
                problem_ = ui.tr(
                    "We could not open a profile with this phone number and code. Check both and "
                    "try again.");
            } else {
                desk_.sign_in_limit().succeeded();
                desk_.set_citizen(std::move(*found));
                ui.clear_field(kPhone);
                ui.clear_field(kCode);
                desk_.context().log().info("a saved profile was opened");
                nav.replace<MyProfileScreen>(desk_);
            }
        }
        ui.end_form();
    }

  private:
    Desk& desk_;
    std::string problem_;
};

}  // namespace

std::unique_ptr<ui::Screen> return_screen(Desk& desk) {
    return std::make_unique<ReturnScreen>(desk);
}

}  // namespace seba::nise
