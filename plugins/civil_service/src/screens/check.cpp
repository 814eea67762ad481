// SPDX-License-Identifier: Apache-2.0
// Check a complaint: its state by the reference on the slip, looked up when the citizen taps
// Check (a half-typed reference is not wrong yet). The office's answer comes on the centre's
// channel civil_service.grievances; before it, a complaint filed here is "received".
#include "../reference.hpp"
#include "screens.hpp"

namespace seba::civil {

namespace {

struct StatusLook {
    ui::Tone tone;
    const char* text;  // msgid
};

// The sign before it says at a glance whether it is done, going on or refused.
StatusLook look_of(const std::string& status) {
    if (status == "resolved") return {ui::Tone::Success, "Resolved"};
    if (status == "rejected")
        return {ui::Tone::Error, "Closed without action: ask the operator why"};
    if (status == "in_progress") return {ui::Tone::Info, "Being looked into by the office"};
    return {ui::Tone::Info, "Received: the office has not answered yet"};
}

}  // namespace

void CheckScreen::draw(Ui& ui, Navigator&) {
    ui.heading("civil_service.check.title", ui.tr("Check a complaint"));
    ui::FieldSpec spec;
    spec.max_chars = 40;
    ui::FieldResult typed =
        ui.field("civil_service.check.reference", ui.tr("Complaint reference"), spec);
    if (ui.button("civil_service.check.go", ui.tr("Check"), ui::ButtonStyle::Primary,
                  !typed.text.empty(), ui::icon::search))
        checked_ = std::string(typed.text);
    // An answer is about what was checked: typing again puts it away until the next Check.
    if (checked_.empty() || typed.text != checked_) return;
    GrievanceBook& book = desk_.book();
    const ReadReference read = read_reference(checked_, book.centre_code());
    if (!read.reference) {
        // In this kiosk's own format, so that the example looks like the citizen's slip.
        const std::string example = book.example_reference();
        ui.banner(
            "civil_service.check.bad", ui::Tone::Error,
            read.request_tracking
                ? tr_format(ui,
                            "This is the tracking number of a request, not of a complaint: "
                            "check it under Digital Centre services. A complaint "
                            "reference looks like {0}",
                            example)
                : tr_format(ui, "This is not a complaint reference. It looks like {0}", example));
        return;
    }
    const std::string& reference = *read.reference;
    ui.paragraph("civil_service.check.number", ui.tr("Complaint reference") + ": " + reference);
    std::optional<Answer> answer = book.answer(reference);
    std::optional<StoredGrievance> filed = book.find(reference);
    if (!answer && !filed) {
        ui.banner("civil_service.check.result", ui::Tone::Warning,
                  ui.tr("No complaint with this reference is known at this centre yet. Check "
                        "the reference on your slip and try again, or ask the operator."));
        return;
    }
    const std::string status = answer ? answer->status : "received";
    const StatusLook look = look_of(status);
    ui.banner("civil_service.check.result", look.tone, ui.tr("Status") + ": " + ui.tr(look.text));
    if (filed) {
        ui.answer("civil_service.check.about", ui.tr("About"), category_word(ui, filed->category),
                  false);
        ui.answer("civil_service.check.filed", ui.tr("Filed on"), date_of(ui, filed->filed_at),
                  false);
    }
    if (answer && !answer->answered_at.empty())
        ui.answer("civil_service.check.answered", ui.tr("Answered on"),
                  date_of(ui, answer->answered_at), false);
    if (answer && !answer->note.empty()) {
        auto note = answer->note.find(std::string(ui.language()));
        if (note == answer->note.end()) note = answer->note.find("en");
        if (note == answer->note.end()) note = answer->note.begin();
        ui.answer("civil_service.check.note", ui.tr("The office's answer"), note->second, false);
    }
}

}  // namespace seba::civil
