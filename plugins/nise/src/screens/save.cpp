// SPDX-License-Identifier: Apache-2.0
// Keeping the profile: name, phone and the citizen's consent, in plain words what is kept, where
// it goes and for how long; then the new return code large, printed on a slip. A refusal is a
// banner in the citizen's language, and what they typed stays for another try.
#include <sodium.h>

#include <seba/ui/i18n.hpp>

#include "profile_ui.hpp"
#include "validators.hpp"

namespace seba::nise {

namespace {

constexpr const char* kName = "nise.save.name";
constexpr const char* kPhone = "nise.save.phone";
/// The return code's letters: no 0/O, 1/I/L, which are misread off paper (MuktoPaath's too).

class CodeScreen final : public ui::Screen {
  public:
    CodeScreen(Desk& desk, std::string code, std::function<void(Navigator&)> then)
        : desk_(desk), code_(std::move(code)), then_(std::move(then)) {}
    ~CodeScreen() override { sodium_memzero(code_.data(), code_.size()); }
    void draw(Ui& ui, Navigator& nav) override {
        ui.heading("nise.code.title", ui.tr("Your profile is saved"));
        ui.confirmation("nise.code.panel", ui.tr("Your return code"), return_code::grouped(code_));
        const std::string keep = ui.tr(
            "Keep the printed slip. With your phone number and this code you open your profile "
            "at any kiosk of this centre. Nobody from the centre will ask you for the code.");
        ui.paragraph("nise.code.keep", keep);
        if (printing_.empty()) {
            // Printed once, as the screen first shows; Print again is offered if it fails.
            print::Document slip = desk_.code_slip(ui, code_);
            printing_ = slip.reference;
            try {
                desk_.printer().queue(slip);
            } catch (const Error& e) {
                desk_.context().log().error("the return code's slip was not queued: {}", e.what());
            }
        }
        const print::Status status = desk_.printer().status(printing_);
        if (status == print::Status::Printing)
            ui.paragraph("nise.code.printing", ui.tr("Printing the slip…"));
        if (status == print::Status::Failed) {
            ui.message("nise.code.print_problem", ui::Tone::Warning,
                       ui.tr("The slip could not be printed. Write the code down, or ask the "
                             "operator to check the printer."));
            if (ui.button("nise.code.reprint", ui.tr("Print again"), ui::ButtonStyle::Secondary,
                          true, ui::icon::print))
                desk_.printer().retry(printing_);
        }
        read_page_aloud(ui, "nise.code.read_aloud", keep);
        if (ui.button("nise.code.next", ui.tr("Next"), ui::ButtonStyle::Primary, true,
                      ui::icon::forward)) {
            if (then_)
                then_(nav);
            else
                nav.home();
        }
    }

  private:
    Desk& desk_;
    std::string code_;
    std::function<void(Navigator&)> then_;
    std::string printing_;
};

class SaveScreen final : public ui::Screen {
  public:
    SaveScreen(Desk& desk, std::function<void(Navigator&)> then)
        : desk_(desk), then_(std::move(then)) {}
    void draw(Ui& ui, Navigator& nav) override {
        Citizen& citizen = desk_.citizen();
        const std::string title = ui.tr("Keep your profile");
        const std::string what = ui.tr(
            "We keep your skills, certificates, place and languages, locked with your phone "
            "number and a code we print for you. Your name and phone number are sent locked to "
            "the NISE office, and given to an employer or trainer only when you ask to be "
            "referred. Your profile is kept until you delete it.");
        ui.heading("nise.save.title", title);
        ui.paragraph("nise.save.what", what);
        if (!problem_.empty()) ui.banner("nise.save.problem", ui::Tone::Error, problem_);
        ui::FieldSpec name;
        name.kind = ui::FieldKind::Name;
        name.required = true;
        name.max_chars = kMaxNameChars;
        ui.field(kName, ui.tr("Your name"), name);
        ui::FieldSpec phone;
        phone.kind = ui::FieldKind::Phone;
        phone.required = true;
        phone.max_chars = 20;
        phone.validate = [this, &ui](std::string_view value) -> std::string {
            if (value.empty() || phone_e164(desk_, value)) return {};
            return ui.tr("Enter a mobile phone number of this country, e.g. 01711-223344");
        };
        ui.field(kPhone, ui.tr("Mobile phone number"), phone);
        ui.checkbox("nise.save.agree",
                    ui.tr("I agree that my profile is kept and sent as written above"), agreed_);
        read_page_aloud(ui, "nise.save.read_aloud", title + " " + what);
        const std::string_view typed_name = ui.field_text(kName);
        const std::optional<std::string> number = phone_e164(desk_, ui.field_text(kPhone));
        const bool ready = agreed_ && utf8::count(typed_name) >= 2 && number;
        if (!ui.button("nise.save.send", ui.tr("Save my profile"), ui::ButtonStyle::Primary, ready,
                       ui::icon::done))
            return;
        citizen.profile.name = std::string(typed_name);
        citizen.profile.phone = *number;
        citizen.consented = true;
        std::string code;
        try {
            code = desk_.profiles().save(citizen);
        } catch (const ProfileRefused& e) {
            desk_.context().log().warn("a profile was not saved: {}", e.what());
            problem_ = ui.tr(
                "Your profile was not saved. Check your name and phone number. If you deleted a "
                "profile with this phone number, it cannot be used again.");
            return;
        } catch (const sealing::NoServerKey& e) {
            desk_.context().log().error("a profile was not saved: {}", e.what());
            problem_ = ui.tr(
                "This kiosk cannot keep profiles yet: it is not connected to its server. Your "
                "profile is still here; please try again later.");
            return;
        } catch (const StorageError& e) {
            desk_.context().log().error("a profile was not saved: {}", e.what());
            problem_ = ui.tr(
                "Your profile was NOT saved: this kiosk cannot save it right now. Please try "
                "again later.");
            return;
        }
        ui.clear_field(kName);
        ui.clear_field(kPhone);
        desk_.context().log().info("a profile was saved");
        if (code.empty()) {
            if (then_)
                then_(nav);
            else
                nav.home();
            return;
        }
        nav.replace<CodeScreen>(desk_, std::move(code), then_);
        sodium_memzero(code.data(), code.size());
    }

  private:
    Desk& desk_;
    std::function<void(Navigator&)> then_;
    bool agreed_ = false;
    std::string problem_;
};

}  // namespace

std::unique_ptr<ui::Screen> save_screen(Desk& desk, std::function<void(ui::Navigator&)> then) {
    return std::make_unique<SaveScreen>(desk, std::move(then));
}

// -- The return code and the phone -----------------------------------------------------------

std::optional<std::string> phone_e164(Desk& desk, std::string_view typed) {
    if (typed.size() > 64) return std::nullopt;
    dc::FormRule rule;
    rule.id = "phone";
    rule.kind = dc::RuleKind::Phone;
    rule.region = desk.context().settings().text("phone_region");
    rule.types = {"mobile"};
    const dc::Checked checked = dc::check(rule, typed, true, kiosk_now().iso().substr(0, 10));
    if (!checked.ok) return std::nullopt;
    return checked.value;
}

}  // namespace seba::nise
