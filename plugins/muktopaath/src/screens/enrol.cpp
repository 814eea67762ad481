// SPDX-License-Identifier: Apache-2.0
// Enrolment (name, phone, optional national ID, written with its event in one transaction),
// the slip with the return code, and signing in again with phone + code.
#include <seba/ui/i18n.hpp>

#include "screens.hpp"

namespace seba::mp {

namespace {

constexpr const char* kName = "muktopaath.enrol.name";
constexpr const char* kPhone = "muktopaath.enrol.phone";
constexpr const char* kNid = "muktopaath.enrol.nid";
constexpr const char* kSignPhone = "muktopaath.sign_in.phone";
constexpr const char* kSignCode = "muktopaath.sign_in.code";

ui::FieldSpec phone_spec(Ui& ui, Academy& academy) {
    ui::FieldSpec spec;
    spec.kind = ui::FieldKind::Phone;
    spec.required = true;
    spec.max_chars = 20;
    spec.validate = [&ui, &academy](std::string_view value) -> std::string {
        if (value.empty() || academy.phone(value)) return {};
        return ui.tr("Enter a mobile phone number of this country, e.g. 01711-223344");
    };
    return spec;
}

}  // namespace

void EnrolScreen::draw(Ui& ui, Navigator& nav) {
    const Course* c = academy_.course(course_);
    ui.heading("muktopaath.enrol.title", ui.tr("Enrol"));
    if (!c) {
        ui.message("muktopaath.enrol.gone", ui::Tone::Warning,
                   ui.tr("This course is no longer offered here."));
        return;
    }
    ui.paragraph("muktopaath.enrol.course", text_in(c->title, ui.language()));
    ui.paragraph("muktopaath.enrol.why",
                 ui.tr("Your name is printed on your certificate. Your phone number and a code we "
                       "give you let you continue at any kiosk of this centre."));
    if (!problem_.empty()) ui.message("muktopaath.enrol.problem", ui::Tone::Error, problem_);
    ui.begin_form("muktopaath.enrol");
    ui::FieldSpec name;
    name.kind = ui::FieldKind::Name;
    name.required = true;
    name.max_chars = 100;
    name.validate = [&ui](std::string_view value) -> std::string {
        if (value.empty()) return {};
        if (utf8::count(value) < 2) return ui.tr("Enter your name as it should be printed");
        return {};
    };
    ui.field(kName, ui.tr("Your name (as it should be printed)"), name);
    ui.field(kPhone, ui.tr("Mobile phone number"), phone_spec(ui, academy_));
    ui::FieldSpec nid;
    nid.kind = ui::FieldKind::Number;
    nid.max_chars = 20;
    nid.validate = [&ui](std::string_view value) -> std::string {
        const std::string digits = ui::ascii_digits(value);
        if (digits.empty()) return {};
        for (char ch : digits)
            if (ch < '0' || ch > '9') return ui.tr("Enter digits only");
        if (digits.size() < 8) return ui.tr("Enter digits only");
        return {};
    };
    ui.field(kNid, ui.tr("National ID number"), nid);
    if (ui.submit("muktopaath.enrol.submit", ui.tr("Enrol"), "how_to_reg")) {
        const std::string typed_name(ui.field_text(kName));
        const std::optional<std::string> phone = academy_.phone(ui.field_text(kPhone));
        const std::string id = ui::ascii_digits(ui.field_text(kNid));
        if (phone) {
            try {
                LearnerBook::Enrolled enrolled = academy_.book().enrol(typed_name, *phone, id, *c);
                academy_.fresh_code() = enrolled.code;
                academy_.sign_in(std::move(enrolled.learner));
                ui.clear_field(kName);
                ui.clear_field(kPhone);
                ui.clear_field(kNid);
                nav.replace<SlipScreen>(academy_, c->id);
            } catch (const sealing::NoServerKey&) {
                problem_ = ui.tr("This kiosk cannot take enrolments yet. Please ask the operator.");
            } catch (const StorageError& e) {
                if (!e.disk_trouble()) throw;
                problem_ = ui.tr(
                    "Nothing was recorded: this kiosk cannot save now. Please ask "
                    "the operator.");
            }
        }
    }
    ui.end_form();
}

void SlipScreen::draw(Ui& ui, Navigator& nav) {
    const Course* c = academy_.course(course_);
    const std::string& code = academy_.fresh_code();
    if (!c || code.empty()) {
        nav.home();
        return;
    }
    ui.confirmation("muktopaath.slip.code", ui.tr("You are enrolled. Your return code:"),
                    return_code::grouped(code));
    ui.paragraph("muktopaath.slip.keep",
                 ui.tr("Write it down or keep the printed slip. With your phone number and this "
                       "code you continue at any kiosk of this centre."));
    if (printing_.empty()) {
        // Printed once, as the screen first shows; Print again is offered if it fails.
        print::Document slip = academy_.slip(ui, *c, code);
        printing_ = slip.reference;
        academy_.printer().queue(slip);
    }
    print_status(ui, academy_, "muktopaath.slip", printing_);
    if (ui.button("muktopaath.slip.start", ui.tr("Start learning"), ui::ButtonStyle::Primary, true,
                  "play_arrow"))
        nav.replace<LessonsScreen>(academy_, c->id);
}

void SignInScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("muktopaath.sign_in.title", ui.tr("Continue a course"));
    ui.paragraph(
        "muktopaath.sign_in.how",
        ui.tr("Enter the phone number you enrolled with and the return code on your slip."));
    std::chrono::seconds wait{0};
    if (academy_.sign_in_locked(&wait)) {
        ui.message("muktopaath.sign_in.locked", ui::Tone::Warning,
                   ui.tr("Too many wrong tries. Please wait a minute and try again."));
        return;
    }
    if (!problem_.empty()) ui.message("muktopaath.sign_in.problem", ui::Tone::Error, problem_);
    ui.begin_form("muktopaath.sign_in");
    ui.field(kSignPhone, ui.tr("Mobile phone number"), phone_spec(ui, academy_));
    ui::FieldSpec code;
    code.kind = ui::FieldKind::Text;
    code.required = true;
    code.max_chars = 12;
    code.validate = [&ui](std::string_view value) -> std::string {
        if (value.empty() || return_code::normalise(value)) return {};
        return ui.tr("A return code has 8 letters and digits, e.g. K7QP-2M9X");
    };
    ui.field(kSignCode, ui.tr("Return code"), code);
    if (ui.submit("muktopaath.sign_in.submit", ui.tr("Continue"), "login")) {
        const std::optional<std::string> phone = academy_.phone(ui.field_text(kSignPhone));
        const std::optional<std::string> typed = return_code::normalise(ui.field_text(kSignCode));
        std::optional<Learner> learner;
        if (phone && typed) learner = academy_.book().sign_in(*phone, *typed);
        if (!learner) {
            academy_.sign_in_failed();
            problem_ = ui.tr(
                "We could not find you with this phone number and code. Check both "
                "and try again.");
        } else {
            academy_.sign_in_succeeded();
            academy_.sign_in(std::move(*learner));
            ui.clear_field(kSignPhone);
            ui.clear_field(kSignCode);
            if (!then_.empty())
                nav.replace<CourseScreen>(academy_, then_);
            else
                nav.replace<MyCoursesScreen>(academy_);
        }
    }
    ui.end_form();
}

}  // namespace seba::mp
