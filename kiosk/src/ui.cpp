// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/ui.hpp"

#include "seba/ui/i18n.hpp"
#include "seba/ui/ui_state.hpp"

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
}

void Ui::banner(std::string_view id, Tone tone, std::string_view text) {
    Node& n = record(Role::Banner, id, text);
    n.value = kTones[static_cast<int>(tone)];
    draw_banner(n, tone);
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
    return tapped(n, draw_button(n, true));
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

bool Ui::list_row(std::string_view id, std::string_view label, std::string_view detail) {
    Node& n = record(Role::ListRow, id, label, detail);
    return tapped(n, draw_button(n, false));
}

FieldResult Ui::field(std::string_view id, std::string_view label, const FieldSpec& spec) {
    SecretText& text = state_.field(id);
    Node& n = record(Role::Field, id, label, text.view());
    n.focused = state_.focused() == id;
    if (n.focused) state_.focus(id, spec);  // keeps the spec current for typing
    FieldResult result{text.view(), true};
    if (spec.validate && !text.empty()) n.error = spec.validate(text.view());
    if (spec.required && text.empty()) result.valid = false;
    if (!n.error.empty()) result.valid = false;
    if (tapped(n, draw_field(n, text.view()))) state_.focus(id, spec);
    return result;
}

bool Ui::choice(std::string_view id, std::string_view label, std::span<const std::string> options,
                int& selected) {
    Node& group = record(Role::Choice, id, label);
    if (selected >= 0 && static_cast<std::size_t>(selected) < options.size())
        group.value = options[static_cast<std::size_t>(selected)];
    bool changed = false;
    begin_row(std::string(id) + ".options");
    for (std::size_t i = 0; i < options.size(); ++i) {
        Node& option = record(Role::Button, std::string(id) + "." + std::to_string(i), options[i]);
        option.focused = static_cast<int>(i) == selected;
        if (tapped(option, draw_button(option, false)) && static_cast<int>(i) != selected) {
            selected = static_cast<int>(i);
            changed = true;
        }
    }
    end_row();
    return changed;
}

void Ui::qr(std::string_view id, std::string_view payload) {
    draw_qr(record(Role::Qr, id, {}, payload));
}

void Ui::progress(std::string_view id, float fraction, std::string_view label) {
    Node& n = record(Role::Progress, id, label);
    n.value = std::to_string(static_cast<int>(fraction * 100.0f + 0.5f)) + "%";
    draw_progress(n, fraction);
}

bool Ui::key(std::string_view id, std::string_view label, bool wide) {
    Node& n = record(Role::Key, id, label, wide ? "wide" : "");
    return tapped(n, draw_button(n, false));
}

std::string_view Ui::language() const {
    return state_.language;
}

const std::string& Ui::tr(const std::string& english) const {
    return state_.catalog ? state_.catalog->translate(state_.language, english) : english;
}

std::string Ui::digits(std::string_view text) const {
    return localize_digits(text, state_.language);
}

}  // namespace seba::ui
