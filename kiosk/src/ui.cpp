// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/ui.hpp"

#include <fmt/format.h>

#include "seba/ui/i18n.hpp"
#include "seba/ui/languages.hpp"
#include "seba/ui/locale.hpp"
#include "seba/ui/ui_state.hpp"
#include "seba/utf8.hpp"

namespace seba::ui {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::Heading:
            return "heading";
        case Role::Paragraph:
            return "paragraph";
        case Role::Message:
            return "message";
        case Role::Button:
            return "button";
        case Role::Tile:
            return "tile";
        case Role::ListRow:
            return "list_row";
        case Role::Field:
            return "field";
        case Role::Choice:
            return "choice";
        case Role::Key:
            return "key";
        case Role::Qr:
            return "qr";
        case Role::Progress:
            return "progress";
        case Role::Group:
            return "group";
        case Role::Banner:
            return "banner";
        case Role::Toggle:
            return "toggle";
        case Role::Checkbox:
            return "checkbox";
        case Role::Panel:
            return "panel";
        case Role::Answer:
            return "answer";
        case Role::Steps:
            return "steps";
        case Role::ErrorSummary:
            return "error_summary";
        case Role::Image:
            return "image";
    }
    return "unknown";
}

std::string_view to_string(ButtonStyle style) {
    switch (style) {
        case ButtonStyle::Primary:
            return "primary";
        case ButtonStyle::Secondary:
            return "secondary";
        case ButtonStyle::Danger:
            return "danger";
        case ButtonStyle::Link:
            return "link";
        case ButtonStyle::Plain:
            return "plain";
    }
    return "secondary";
}

Ui::Ui(UiState& state) : state_(state) {
}
Ui::~Ui() = default;
View::~View() = default;

OperatorView::~OperatorView() = default;

Node& Ui::record(Role role, std::string_view id, std::string_view label, std::string_view value) {
    Node& n = state_.tree().emplace_back();
    n.role = role;
    n.id = id;
    n.label = label;
    n.value = value;
    n.depth = depth_;
    return n;
}

bool Ui::tapped(Node& node, bool renderer_tapped) {
    if (!node.enabled) return false;
    if (!state_.pending_tap().empty() && state_.pending_tap() == node.id) {
        state_.consume_tap();
        return true;
    }
    return renderer_tapped;
}

void Ui::heading(std::string_view id, std::string_view text) {
    draw_text(record(Role::Heading, id, text), 1);
    state_.say_once(text);
}

void Ui::paragraph(std::string_view id, std::string_view text) {
    draw_text(record(Role::Paragraph, id, text), 0);
}

namespace {
constexpr std::string_view kTones[] = {"info", "success", "warning", "error"};
}

void Ui::message(std::string_view id, Tone tone, std::string_view text) {
    Node& n = record(Role::Message, id, text);
    n.value = kTones[static_cast<int>(tone)];
    draw_text(n, 2 + static_cast<int>(tone));
    if (tone != Tone::Info) state_.say_once(text);
}

void Ui::banner(std::string_view id, Tone tone, std::string_view text) {
    Node& n = record(Role::Banner, id, text);
    n.value = kTones[static_cast<int>(tone)];
    draw_banner(n, tone);
    state_.say_once(text);
}

bool Ui::button(std::string_view id, std::string_view label, bool enabled) {
    return button(id, label, ButtonStyle::Secondary, enabled);
}

bool Ui::button(std::string_view id, std::string_view label, ButtonStyle style, bool enabled,
                std::string_view icon) {
    Node& n = record(Role::Button, id, label);
    n.enabled = enabled;
    n.style = style;
    n.icon = icon;
    return tapped(n, draw_button(n, false));
}

bool Ui::toggle(std::string_view id, std::string_view label, bool& on, std::string_view icon) {
    Node& n = record(Role::Toggle, id, label, on ? "on" : "off");
    n.icon = icon;
    if (!tapped(n, draw_toggle(n, on))) return false;
    on = !on;
    return true;
}

bool Ui::checkbox(std::string_view id, std::string_view label, bool& ticked) {
    Node& n = record(Role::Checkbox, id, label, ticked ? "on" : "off");
    if (!tapped(n, draw_toggle(n, ticked))) return false;
    ticked = !ticked;
    return true;
}

void Ui::confirmation(std::string_view id, std::string_view title, std::string_view reference) {
    draw_panel(record(Role::Panel, id, title, reference));
}

void Ui::begin_tiles(std::string_view id) {
    open_group(record(Role::Group, id, {}, "tiles"), true);
    open_grids_.push_back(true);
    ++depth_;
}

bool Ui::tile(std::string_view id, std::string_view label, std::string_view detail,
              std::string_view icon) {
    Node& n = record(Role::Tile, id, label, detail);
    n.icon = icon;
    if (!tapped(n, draw_button(n, true))) return false;
    state_.say(label);
    return true;
}

void Ui::end_tiles() {
    if (open_grids_.empty()) return;
    open_grids_.pop_back();
    --depth_;
    close_group(true);
}

void Ui::begin_row(std::string_view id) {
    open_group(record(Role::Group, id, {}, "row"), false);
    open_grids_.push_back(false);
    ++depth_;
}

void Ui::end_row() {
    if (open_grids_.empty()) return;
    open_grids_.pop_back();
    --depth_;
    close_group(false);
}

void Ui::recover() {
    while (!open_grids_.empty()) {
        bool grid = open_grids_.back();
        open_grids_.pop_back();
        --depth_;
        close_group(grid);
    }
}

std::string_view Ui::field_text(std::string_view id) const {
    const SecretText* text = state_.find_field(id);
    return text ? text->view() : std::string_view();
}

void Ui::clear_field(std::string_view id) {
    state_.field(id).wipe();
}

void Ui::begin_content(std::string_view id, int bottom_rows) {
    open_content(record(Role::Group, id, {}, "content"), bottom_rows);
}

void Ui::end_content() {
    close_content();
}

bool Ui::list_row(std::string_view id, std::string_view label, std::string_view detail,
                  std::string_view icon) {
    Node& n = record(Role::ListRow, id, label, detail);
    n.icon = icon;
    return tapped(n, draw_button(n, false));
}

FieldResult Ui::field(std::string_view id, std::string_view label, const FieldSpec& spec) {
    SecretText& text = state_.field(id);
    std::string shown(label);
    if (!form_.empty() && !spec.required) shown += " (" + kit_tr("optional") + ")";
    Node& n = record(Role::Field, id, shown, text.view());
    const bool asked = state_.requested_focus() == id;
    if (asked) {
        state_.request_focus({});
        state_.focus(id, spec);
        state_.scroll_to(id);
    }
    n.focused = state_.focused() == id;
    if (n.focused) state_.focus(id, spec);  // keeps the spec current for typing
    std::string error;
    if (spec.validate && !text.empty()) error = spec.validate(text.view());
    if (error.empty() && spec.required && text.empty()) error = kit_tr("Fill in this field.");
    const FieldResult result{text.view(), error.empty()};
    // No error while the citizen is still typing: once they left the field (a wrong value)
    // or pressed the form's button (a missing one too).
    const bool submitted = !form_.empty() && state_.form(form_).submitted;
    if (submitted || (state_.left(id) && !text.empty())) n.error = error;
    if (!form_.empty() && !error.empty())
        state_.form(form_).problems.push_back({std::string(id), std::string(label), error});
    const bool tap = tapped(n, draw_field(n, text.view()));
    if (tap && !n.focused) state_.focus(id, spec);
    if (tap || asked) state_.say(n.error.empty() ? shown : shown + ". " + n.error);
    return result;
}

void Ui::begin_form(std::string_view id) {
    form_ = id;
    UiState::Form& form = state_.form(id);
    std::vector<UiState::Problem> problems = std::move(form.problems);
    form.problems.clear();
    if (!form.submitted || problems.empty()) return;
    // The summary of what the last frame found wrong: one link per field.
    const std::string summary = std::string(id) + ".errors";
    Node& title = record(Role::ErrorSummary, summary, kit_tr("There is a problem"));
    title.icon = "error";
    draw_banner(title, Tone::Error);
    ++depth_;
    for (const UiState::Problem& p : problems) {
        Node& link = record(Role::Button, p.field + ".problem", p.label + ": " + p.error);
        link.style = ButtonStyle::Link;
        if (tapped(link, draw_button(link, false))) state_.request_focus(p.field);
    }
    --depth_;
}

bool Ui::submit(std::string_view id, std::string_view label, std::string_view icon) {
    if (!button(id, label, ButtonStyle::Primary, true, icon)) return false;
    state_.blur();  // done typing: the keyboard goes, the whole page shows
    if (form_.empty()) return true;
    UiState::Form& form = state_.form(form_);
    form.submitted = true;
    if (form.problems.empty()) return true;
    state_.scroll_to_top();  // where the summary appears
    std::string said = kit_tr("There is a problem");
    for (const UiState::Problem& p : form.problems) said += ". " + p.label + ": " + p.error;
    state_.say(said);
    return false;
}

void Ui::end_form() {
    form_.clear();
}

void Ui::focus(std::string_view field_id) {
    state_.request_focus(field_id);
}

bool Ui::answer(std::string_view id, std::string_view label, std::string_view value,
                bool changeable) {
    const std::size_t at = state_.tree().size();
    record(Role::Answer, id, label, value);
    if (changeable) {
        Node& change = record(Role::Button, std::string(id) + ".change", kit_tr("Change"));
        change.icon = "edit";
        change.depth = depth_ + 1;
    }
    Node& row = state_.tree()[at];
    Node* change = changeable ? &state_.tree()[at + 1] : nullptr;
    const bool drawn_tap = draw_answer(row, change);
    return change && tapped(*change, drawn_tap);
}

void Ui::steps(std::string_view id, int number, int of) {
    std::string text = kit_tr("Step {0} of {1}");
    auto put = [&](std::string_view mark, int value) {
        if (std::size_t at = text.find(mark); at != std::string::npos)
            text.replace(at, mark.size(), digits(std::to_string(value)));
    };
    put("{0}", number);
    put("{1}", of);
    Node& n = record(Role::Steps, id, text, std::to_string(number) + "/" + std::to_string(of));
    draw_steps(n, number, of);
}

const std::string& Ui::kit_tr(const std::string& english) const {
    return state_.kit_catalog ? state_.kit_catalog->translate(state_.language, english) : english;
}

std::string masked(std::string_view value, std::size_t keep) {
    // Counted in code points, as shown: a Bangla digit is three bytes and one character.
    auto separator = [](std::string_view piece) { return piece == " " || piece == "-"; };
    std::size_t shown = 0;
    for (std::size_t i = 0; i < value.size(); i = utf8::next_boundary(value, i))
        shown += !separator(value.substr(i, utf8::next_boundary(value, i) - i));
    std::string out;
    std::size_t seen = 0;
    for (std::size_t i = 0; i < value.size();) {
        std::size_t end = utf8::next_boundary(value, i);
        std::string_view piece = value.substr(i, end - i);
        i = end;
        if (separator(piece)) {
            out += piece;
            continue;
        }
        ++seen;
        out += seen + keep > shown ? std::string(piece) : std::string("\xE2\x80\xA2");
    }
    return out;
}

bool Ui::choice(std::string_view id, std::string_view label, std::span<const std::string> options,
                int& selected) {
    Node& group = record(Role::Choice, id, label);
    if (selected >= 0 && static_cast<std::size_t>(selected) < options.size())
        group.value = options[static_cast<std::size_t>(selected)];
    draw_text(group, 0);
    bool changed = false;
    ++depth_;
    for (std::size_t i = 0; i < options.size(); ++i) {
        Node& option = record(Role::Button, std::string(id) + "." + std::to_string(i), options[i]);
        const bool chosen = static_cast<int>(i) == selected;
        option.focused = chosen;  // "selected", as scripts read it
        option.value = chosen ? "selected" : "";
        if (tapped(option, draw_radio(option, chosen)) && !chosen) {
            selected = static_cast<int>(i);
            changed = true;
            state_.say(options[i]);
        }
    }
    --depth_;
    return changed;
}

void Ui::qr(std::string_view id, std::string_view payload) {
    draw_qr(record(Role::Qr, id, {}, payload));
}

void Ui::image(std::string_view id, std::string_view path, std::string_view alt) {
    draw_image(record(Role::Image, id, alt, path));
}

bool Ui::can_read_aloud() const {
    return !language_voice(language()).empty();
}

void Ui::read_aloud(std::string_view text) {
    if (can_read_aloud()) state_.say_asked(text);
}

void Ui::progress(std::string_view id, float fraction, std::string_view label) {
    Node& n = record(Role::Progress, id, label);
    n.value = std::to_string(static_cast<int>(fraction * 100.0f + 0.5f)) + "%";
    draw_progress(n, fraction);
}

bool Ui::key(std::string_view id, std::string_view label, float units, std::string_view icon) {
    Node& n = record(Role::Key, id, label, units == 1.0f ? "" : fmt::format("{:g}", units));
    n.icon = icon;
    return tapped(n, draw_button(n, false));
}

std::string_view Ui::language() const {
    return state_.language;
}

const std::string& Ui::tr(const std::string& english) const {
    return state_.catalog ? state_.catalog->translate(state_.language, english) : english;
}

std::string Ui::trn(const std::string& singular, const std::string& plural, unsigned long n) const {
    std::string text = state_.catalog
                           ? state_.catalog->translate_plural(state_.language, singular, plural, n)
                           : (n == 1 ? singular : plural);
    // Every {0}: some languages name the count twice, or not at all in the singular.
    const std::string count = digits(std::to_string(n));
    for (std::size_t at = text.find("{0}"); at != std::string::npos;
         at = text.find("{0}", at + count.size())) {
        text.replace(at, 3, count);
    }
    return text;
}

std::string Ui::digits(std::string_view text) const {
    return localize_digits(text, state_.language);
}

std::string Ui::money(long long whole_units, std::string_view currency) const {
    const Languages& known = languages();
    const Language* language = known.find(state_.language);
    if (language == nullptr) return std::to_string(whole_units) + " " + std::string(currency);
    return format_money(whole_units, currency, language->locale, language->digits);
}

std::string Ui::date(std::string_view iso) const {
    const Languages& known = languages();
    const Language* language = known.find(state_.language);
    if (language == nullptr) return std::string(iso);
    return format_date(iso, language->locale, language->calendar, language->digits);
}

}  // namespace seba::ui
