// SPDX-License-Identifier: Apache-2.0
// The service's form: its fields and their rules come with the catalog.
#include "screens.hpp"
#include "validators.hpp"

namespace seba::dc {

namespace {

// The kit's field kind (which keyboard) for a rule.
ui::FieldKind field_kind(const FormRule& rule) {
    switch (rule.kind) {
        case RuleKind::Letters:
            return ui::FieldKind::Name;
        case RuleKind::Phone:
            return ui::FieldKind::Phone;
        case RuleKind::Date:
            return ui::FieldKind::Date;
        case RuleKind::Digits:
        case RuleKind::Number:
            return ui::FieldKind::Number;
        case RuleKind::Text:
            break;
    }
    return ui::FieldKind::Text;
}

// Every field of the form drawn; true when all are valid.
bool draw_fields(Ui& ui, const ServiceCatalog& catalog, const Service& s) {
    bool all_valid = true;
    std::string today = today_utc();
    for (const FormField& f : s.form) {
        const FormRule& rule = rule_of(catalog, f);
        ui::FieldSpec spec;
        spec.kind = field_kind(rule);
        spec.required = f.required;
        spec.max_chars =
            rule.kind == RuleKind::Text || rule.kind == RuleKind::Letters ? rule.max_length : 100;
        // Called within ui.field(), while `rule` is the catalog's.
        spec.validate = [&ui, &rule, required = f.required, today](std::string_view value) {
            Checked checked = check(rule, value, required, today);
            if (checked.ok) return std::string();
            return problem_in(
                checked, ui.language(), [&ui](const std::string& msgid) { return ui.tr(msgid); },
                [&ui](const std::string& arg) { return ui.digits(arg); });
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

const FormRule& rule_of(const ServiceCatalog& catalog, const FormField& f) {
    // The catalog keeps no service whose rule is missing; plain text is the safe reading.
    const FormRule* rule = catalog.rule(f.rule);
    return rule ? *rule : *builtin_rule("text");
}

void FormScreen::draw(Ui& ui, Navigator& nav) {
    const Service* service = centre_.service(service_);
    if (!service) return nav.home();
    ui.heading("dc.form.title", service->name.in(ui.language()));
    // The kit's form: Review stays active, and pressing it with a problem lists each one
    // at the top and at its field.
    ui.begin_form("dc.form");
    draw_fields(ui, centre_.catalog(), *service);
    if (ui.submit("dc.review", ui.tr("Review"), "arrow_forward"))
        nav.push<ReviewScreen>(centre_, service->id, started_);
    ui.end_form();
}

}  // namespace seba::dc
