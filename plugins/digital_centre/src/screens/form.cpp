// SPDX-License-Identifier: Apache-2.0
// The service's form: its fields and their rules come with the catalog.
#include "screens.hpp"
#include "validators.hpp"

namespace seba::dc {

namespace {

// The kit's field kind (which keyboard) for a validator rule.
ui::FieldKind field_kind(std::string_view rule) {
    if (rule == "name") return ui::FieldKind::Name;
    if (rule == "phone_bd" || rule == "phone_uz") return ui::FieldKind::Phone;
    if (rule == "date" || rule == "past_date") return ui::FieldKind::Date;
    if (rule == "nid_bd" || rule == "birth_reg_bd" || rule == "pinfl_uz" || rule == "number")
        return ui::FieldKind::Number;
    return ui::FieldKind::Text;
}

// Every field of the form drawn; true when all are valid.
bool draw_fields(Ui& ui, const Service& s) {
    bool all_valid = true;
    std::string today = today_utc();
    for (const FormField& f : s.form) {
        ui::FieldSpec spec;
        spec.kind = field_kind(f.rule);
        spec.required = f.required;
        spec.max_chars = f.rule == "text" ? 200 : 100;
        Rule rule = rule_from_name(f.rule).value_or(Rule::Text);
        spec.validate = [&ui, rule, required = f.required, today](std::string_view value) {
            Checked checked = check(rule, value, required, today);
            return checked.ok ? std::string() : ui.tr(checked.problem);
        };
        ui::FieldResult r = ui.field(field_id(s, f), f.label.in(ui.language()), spec);
        all_valid = all_valid && r.valid;
    }
    return all_valid;
}

}  // namespace

std::string field_id(const Service& s, const FormField& f) {
    return "dc.f." + s.id + "." + f.id;
}

void FormScreen::draw(Ui& ui, Navigator& nav) {
    const Service* service = centre_.service(service_);
    if (!service) return nav.home();
    ui.heading("dc.form.title", service->name.in(ui.language()));
    // The kit's form: Review stays active, and pressing it with a problem lists each one
    // at the top and at its field.
    ui.begin_form("dc.form");
    draw_fields(ui, *service);
    if (ui.submit("dc.review", ui.tr("Review"), "arrow_forward"))
        nav.push<ReviewScreen>(centre_, service->id, started_);
    ui.end_form();
}

}  // namespace seba::dc
