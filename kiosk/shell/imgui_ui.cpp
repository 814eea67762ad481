// SPDX-License-Identifier: Apache-2.0
#include "imgui_ui.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <qrencode.h>
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "palette.hpp"
#include "seba/ui/ui_state.hpp"
#include "seba/utf8.hpp"

namespace seba::kiosk {

namespace {

// Touch sizes at 1080p, scaled with the window: a target is never under 48 px.
constexpr float kTouchPx = 72.0f;
constexpr float kKeyWidthPx = 104.0f;
constexpr float kTileWidthPx = 500.0f;  // the narrowest a tile gets
constexpr int kTileLines = 3;           // a tile's label wraps to this many lines before it is cut
constexpr float kTileHeightPx = 160.0f;
// Text sizes at 1080p; large text multiplies them.
constexpr float kBodyPx = 30.0f;
constexpr float kHeadingPx = 44.0f;
constexpr float kLargeFactor = 1.35f;

// The widget's ImGui id, with no visible label: the TextRenderer draws the text.
std::string imgui_id(const ui::Node& node) {
    return "##" + node.id;
}

template <typename T>
void zero(ImVector<T>& v) {
    if (v.Data) sodium_memzero(v.Data, static_cast<std::size_t>(v.Capacity) * sizeof(T));
    v.clear();
}

ImU32 col(Rgb c) {
    return packed(c);
}

// The colour of text at `level` (0 body, 1 heading, 2.. a tone: info, success, warning, error).
ImU32 tone_color(int level, bool high_contrast) {
    const Palette& p = palette(high_contrast);
    switch (level) {
        case 2:
            return col(p.info);
        case 3:
            return col(p.success);
        case 4:
            return col(p.warning);
        case 5:
            return col(p.error);
        default:
            return col(p.text);
    }
}

// A banner's ground: a light tint of its tone.
ImU32 tint(ui::Tone tone, bool high_contrast) {
    const Palette& p = palette(high_contrast);
    switch (tone) {
        case ui::Tone::Success:
            return col(p.success_tint);
        case ui::Tone::Warning:
            return col(p.warning_tint);
        case ui::Tone::Error:
            return col(p.error_tint);
        case ui::Tone::Info:
            break;
    }
    return col(p.info_tint);
}

const char* tone_icon(ui::Tone tone) {
    switch (tone) {
        case ui::Tone::Success:
            return "check_circle";
        case ui::Tone::Warning:
            return "warning";
        case ui::Tone::Error:
            return "error";
        case ui::Tone::Info:
            break;
    }
    return "info";
}

// The sign of a tone, drawn (the kiosk's fonts have no symbols) in a square of `side` at
// `min`: a triangle with "!" for Warning and Error, a disc with "i" for Info, a disc with a
// tick for Success.
void draw_sign(ImDrawList* list, ImVec2 min, float side, ui::Tone tone, ImU32 color, ImU32 mark) {
    const float cx = min.x + side / 2;
    const float stroke = std::max(3.0f, side * 0.1f);
    if (tone == ui::Tone::Warning || tone == ui::Tone::Error) {
        list->AddTriangleFilled(ImVec2(cx, min.y + side * 0.04f),
                                ImVec2(min.x + side * 0.98f, min.y + side * 0.94f),
                                ImVec2(min.x + side * 0.02f, min.y + side * 0.94f), color);
        list->AddRectFilled(ImVec2(cx - stroke / 2, min.y + side * 0.34f),
                            ImVec2(cx + stroke / 2, min.y + side * 0.68f), mark, stroke / 2);
        list->AddCircleFilled(ImVec2(cx, min.y + side * 0.8f), stroke * 0.6f, mark);
        return;
    }
    const ImVec2 centre(cx, min.y + side / 2);
    list->AddCircleFilled(centre, side * 0.48f, color, 32);
    if (tone == ui::Tone::Info) {
        list->AddCircleFilled(ImVec2(cx, min.y + side * 0.28f), stroke * 0.6f, mark);
        list->AddRectFilled(ImVec2(cx - stroke / 2, min.y + side * 0.42f),
                            ImVec2(cx + stroke / 2, min.y + side * 0.76f), mark, stroke / 2);
        return;
    }
    const ImVec2 tick[] = {ImVec2(min.x + side * 0.27f, min.y + side * 0.52f),
                           ImVec2(min.x + side * 0.44f, min.y + side * 0.68f),
                           ImVec2(min.x + side * 0.74f, min.y + side * 0.34f)};
    list->AddPolyline(tick, 3, mark, ImDrawFlags_None, stroke);
}

}  // namespace

ImGuiUi::ImGuiUi(ui::UiState& state, TextRenderer& text, float scale, Memory& memory)
    : Ui(state), text_(text), scale_(std::max(scale, 48.0f / kTouchPx)), memory_(memory) {
}

float ImGuiUi::scale_for(int width, int height) {
    return static_cast<float>(std::min(width, height)) / 1080.0f;
}

void ImGuiUi::mark(ui::Node& node) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    node.box = {min.x, min.y, max.x - min.x, max.y - min.y};
}

void ImGuiUi::icon(std::string_view name, ImVec2 top_left, float side, unsigned int color) {
    if (name.empty()) return;
    text_.draw_icon(ImGui::GetWindowDrawList(), top_left, color, name, side);
}

void ImGuiUi::keep_in_view(float top, float bottom) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float view_top = window->InnerRect.Min.y;
    const float view_bottom = window->InnerRect.Max.y;
    const float margin = ImGui::GetStyle().ItemSpacing.y;
    if (bottom + margin > view_bottom && top - margin > view_top) {
        ImGui::SetScrollY(window->Scroll.y +
                          std::min(bottom + margin - view_bottom, top - margin - view_top));
        state_.want_redraw();  // a scroll shows in the next frame
    } else if (top - margin < view_top) {
        ImGui::SetScrollY(std::max(0.0f, window->Scroll.y - (view_top - top + margin)));
        state_.want_redraw();
    }
}

ImGuiUi::~ImGuiUi() = default;

TextRenderer::Style ImGuiUi::style(bool heading) const {
    return style_px(heading ? kHeadingPx : kBodyPx);
}

TextRenderer::Style ImGuiUi::style_px(float px_at_1080) const {
    float px = px_at_1080 * scale_;
    if (state_.large_text) px *= kLargeFactor;
    return {.size_px = px, .language = state_.language};
}

void ImGuiUi::text_block(std::string_view text, const TextRenderer::Style& style,
                         unsigned int color) {
    float max_width = std::max(ImGui::GetContentRegionAvail().x, style.size_px);
    const std::vector<ui::Line>& lines = text_.wrap(text, max_width, style);
    float line = text_.line_height(style.size_px);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    float widest = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view piece = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
        widest = std::max(
            widest, text_.draw(list, ImVec2(origin.x, origin.y + line * static_cast<float>(i)),
                               color, piece, style));
    }
    ImGui::Dummy(ImVec2(widest, line * static_cast<float>(lines.size())));
}

bool ImGuiUi::text_in_box(std::string_view text, const TextRenderer::Style& style,
                          unsigned int color, float min_x, float max_x, float top, bool centre) {
    float room = max_x - min_x;
    std::string shown = text_.elide(text, room, style);
    float width = text_.width(shown, style);
    float x = centre ? min_x + std::max(0.0f, (room - width) / 2) : min_x;
    text_.draw(ImGui::GetWindowDrawList(), ImVec2(std::round(x), std::round(top)), color, shown,
               style);
    return shown.size() != text.size();
}

ImGuiUi::Drawn ImGuiUi::lines_in_box(std::string_view text, const TextRenderer::Style& style,
                                     unsigned int color, float min_x, float max_x, float top,
                                     int max_lines, bool centre, bool measure_only) {
    Drawn drawn;
    const float room = std::max(max_x - min_x, style.size_px);
    const std::vector<ui::Line> lines = text_.wrap(text, room, style);  // a copy: elide reuses
    const float line = text_.line_height(style.size_px);
    const int count = std::min(static_cast<int>(lines.size()), max_lines);
    for (int i = 0; i < count; ++i) {
        const ui::Line& l = lines[static_cast<std::size_t>(i)];
        // The last line shown carries the rest of the text, elided.
        const std::size_t end = i == count - 1 ? text.size() : l.end;
        std::string_view piece = text.substr(l.begin, end - l.begin);
        while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
        const float y = top + line * static_cast<float>(i);
        if (measure_only)
            drawn.elided = drawn.elided || text_.width(piece, style) > room;
        else
            drawn.elided =
                text_in_box(piece, style, color, min_x, max_x, y, centre) || drawn.elided;
    }
    drawn.lines = count;
    return drawn;
}

float ImGuiUi::gap(const Group& g) const {
    return ImGui::GetStyle().ItemSpacing.x * (g.keys ? 0.6f : 2.0f);
}

void ImGuiUi::place(float width) {
    if (groups_.empty()) return;
    Group& g = groups_.back();
    if (g.grid) {
        if (g.column > 0) ImGui::SameLine();
        g.column = (g.column + 1) % g.columns;
    } else {
        if (!g.first) ImGui::SameLine(0.0f, gap(g));
        // Wrap a row that would run off the screen (long keyboards, many buttons).
        if (!g.first && ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
        g.first = false;
    }
}

void ImGuiUi::open_group(ui::Node& node, bool grid) {
    Group g;
    g.grid = grid;
    g.keys = node.id.starts_with("osk.");
    if (grid) {
        float avail = ImGui::GetContentRegionAvail().x;
        float spacing = ImGui::GetStyle().ItemSpacing.x;
        g.columns = std::max(1, static_cast<int>((avail + spacing) / (kTileWidthPx * scale_)));
        g.tile_width =
            (avail - spacing * static_cast<float>(g.columns - 1)) / static_cast<float>(g.columns);
    }
    if (!groups_.empty() && !groups_.back().grid) place(0);
    groups_.push_back(g);
    ImGui::BeginGroup();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    node.box = {at.x, at.y, ImGui::GetContentRegionAvail().x, 0.0f};
}

void ImGuiUi::close_group(bool) {
    ImGui::EndGroup();
    if (!groups_.empty()) groups_.pop_back();
}

void ImGuiUi::open_content(ui::Node& node, int bottom_rows) {
    float row = kTouchPx * scale_ + ImGui::GetStyle().ItemSpacing.y;
    // A new page starts at its top: the child is scrolled back before it begins, so the
    // first frame of the page already shows its heading.
    if (state_.take_scroll_to_top() || memory_.page != state_.page()) {
        memory_.page = state_.page();
        memory_.settle = 0;  // no field pulls the page back down
        ImGuiWindow* parent = ImGui::GetCurrentWindow();
        char name[256];
        ImFormatString(name, sizeof name, "%s/%s_%08X", parent->Name, node.id.c_str(),
                       parent->GetID(node.id.c_str()));
        if (ImGuiWindow* child = ImGui::FindWindowByName(name)) {
            child->Scroll = ImVec2(0.0f, 0.0f);
            child->ScrollTarget = ImVec2(FLT_MAX, FLT_MAX);
        }
    }
    ImGui::BeginChild(node.id.c_str(), ImVec2(0.0f, -static_cast<float>(bottom_rows) * row), false,
                      ImGuiWindowFlags_NoBackground);
    const ImGuiWindow* child = ImGui::GetCurrentWindow();
    node.box = {child->InnerRect.Min.x, child->InnerRect.Min.y, child->InnerRect.GetWidth(),
                child->InnerRect.GetHeight()};
}

void ImGuiUi::close_content() {
    ImGui::EndChild();
}

void ImGuiUi::draw_banner(ui::Node& node, ui::Tone tone) {
    place(0);
    const bool contrast = state_.high_contrast;
    const ImU32 color = tone_color(2 + static_cast<int>(tone), contrast);
    TextRenderer::Style st = style(false);
    const float width = std::max(ImGui::GetContentRegionAvail().x, kTouchPx * scale_);
    const float pad = 18.0f * scale_;
    const float sign = kTouchPx * scale_;
    const float text_width = std::max(width - sign - 3 * pad, st.size_px);
    const std::vector<ui::Line>& lines = text_.wrap(node.label, text_width, st);
    const float line = text_.line_height(st.size_px);
    const float text_height = line * static_cast<float>(lines.size());
    const float height = std::max(sign, text_height) + 2 * pad;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + width, min.y + height);
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float rounding = ImGui::GetStyle().FrameRounding;
    list->AddRectFilled(min, max, tint(tone, contrast), rounding);
    list->AddRect(min, max, color, rounding, ImDrawFlags_None, std::max(2.0f, 3.0f * scale_));
    if (text_.has_icon(tone_icon(tone)))
        icon(tone_icon(tone), ImVec2(min.x + pad, min.y + (height - sign) / 2), sign, color);
    else
        draw_sign(list, ImVec2(min.x + pad, min.y + (height - sign) / 2), sign, tone, color,
                  contrast ? IM_COL32_BLACK : IM_COL32_WHITE);
    const ImU32 ink = col(palette(contrast).text);
    const float x = min.x + 2 * pad + sign;
    const float top = std::round(min.y + (height - text_height) / 2);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view piece =
            std::string_view(node.label).substr(lines[i].begin, lines[i].end - lines[i].begin);
        text_.draw(list, ImVec2(x, top + line * static_cast<float>(i)), ink, piece, st);
    }
    ImGui::Dummy(ImVec2(width, height));
    mark(node);
    if (state_.scroll_target() == node.id) {
        ImGui::SetScrollHereY(0.0f);
        state_.scrolled();
        state_.want_redraw();
    }
}

bool ImGuiUi::draw_text(ui::Node& node, int level) {
    TextRenderer::Style st = style(level == 1);
    ImU32 color = tone_color(level, state_.high_contrast);
    bool in_row = !groups_.empty() && !groups_.back().grid;
    if (!in_row) {
        place(0);
        if (level >= 3) {
            // A message of a tone carries its sign, for those who read little.
            const float side = text_.line_height(st.size_px);
            const ImVec2 at = ImGui::GetCursorScreenPos();
            const char* name = tone_icon(static_cast<ui::Tone>(level - 2));
            if (text_.has_icon(name)) {
                icon(name, at, side, color);
                ImGui::Dummy(ImVec2(side, side));
                ImGui::SameLine();
            }
        }
        text_block(node.label, st, color);
        mark(node);
        if (state_.scroll_target() == node.id) {
            ImGui::SetScrollHereY(0.0f);
            state_.scrolled();
        }
        return false;
    }
    // Header text: one line, centred on the buttons' line, and never more than a share of
    // the row (the controls after it must stay on the line).
    float room = std::max(ImGui::GetContentRegionAvail().x * 0.4f, kTouchPx * scale_);
    float width = std::min(text_.width(node.label, st), room);
    place(width);
    float line = text_.line_height(st.size_px);
    float height = std::max(line, kTouchPx * scale_);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    node.elided = text_in_box(node.label, st, color, origin.x, origin.x + width,
                              std::round(origin.y + (height - line) / 2), false);
    ImGui::Dummy(ImVec2(width, height));
    mark(node);
    return false;
}

bool ImGuiUi::draw_button(ui::Node& node, bool large) {
    const Palette& pal = palette(state_.high_contrast);
    const bool tile = large;
    const bool key = node.role == ui::Role::Key;
    const bool link = node.style == ui::ButtonStyle::Link || node.style == ui::ButtonStyle::Plain;
    TextRenderer::Style st = tile ? style_px(36.0f) : style(false);
    const float padding = ImGui::GetStyle().FramePadding.x;
    const float line = text_.line_height(st.size_px);
    const float icon_side = tile ? 88.0f * scale_ : line;
    const bool has_icon = !node.icon.empty() && text_.has_icon(node.icon);
    ImVec2 size;
    if (tile) {
        bool grid = !groups_.empty() && groups_.back().grid;
        size = ImVec2(grid ? groups_.back().tile_width : ImGui::GetContentRegionAvail().x,
                      kTileHeightPx * scale_);
        // Taller when the label needs more lines and the detail one more: wrapped, not cut.
        TextRenderer::Style detail = style(false);
        const float text_room = size.x - 2 * padding - (has_icon ? icon_side + padding : 0.0f);
        const int lines = static_cast<int>(text_.wrap(node.label, text_room, st).size());
        const float needed = static_cast<float>(std::min(lines, kTileLines)) * line +
                             (node.value.empty() ? 0.0f : text_.line_height(detail.size_px)) +
                             2 * ImGui::GetStyle().FramePadding.y;
        size.y = std::max(size.y, needed);
    } else if (key) {
        const float avail = ImGui::GetContentRegionAvail().x;
        const float spacing = groups_.empty() ? 0.0f : gap(groups_.back());
        // Keys share the screen's width: the widest row fills it, never wider.
        const float unit = key_units_ > 0
                               ? std::min(kKeyWidthPx * 1.4f * scale_,
                                          (avail - spacing * (key_units_ - 1)) / key_units_)
                               : kKeyWidthPx * scale_;
        const float units = node.value.empty() ? 1.0f : std::stof(node.value);
        size = ImVec2(std::floor(unit * units + spacing * (units - 1)), kTouchPx * scale_);
    } else if (node.role == ui::Role::ListRow) {
        size = ImVec2(ImGui::GetContentRegionAvail().x, kTouchPx * scale_ * 1.6f);
    } else if (node.style == ui::ButtonStyle::Link) {
        // A link wraps like the text it is (an error summary's entry can be long).
        const float room = ImGui::GetContentRegionAvail().x - 2 * padding;
        const auto lines = static_cast<float>(text_.wrap(node.label, room, st).size());
        size = ImVec2(
            ImGui::GetContentRegionAvail().x,
            std::max(kTouchPx * scale_, lines * line + 2 * ImGui::GetStyle().FramePadding.y));
    } else {
        float text = text_.width(node.label, st) + (has_icon ? icon_side + padding : 0.0f);
        size = ImVec2(std::max(text + 2 * padding + 16.0f * scale_, kTouchPx * scale_),
                      kTouchPx * scale_);
        // A label longer than the screen is elided, not run off the edge.
        size.x = std::min(size.x, std::max(ImGui::GetContentRegionAvail().x, kTouchPx * scale_));
    }
    place(size.x);
    // The style's colours: fill, label, border.
    Rgb fill = pal.secondary, ink = pal.on_secondary, border = pal.secondary_border;
    if (tile || node.role == ui::Role::ListRow) {
        fill = pal.tile, ink = pal.on_tile, border = pal.tile_border;
    } else if (key) {
        fill = pal.key, ink = pal.on_key, border = pal.key;
    } else if (node.style == ui::ButtonStyle::Primary) {
        fill = pal.primary, ink = pal.on_primary, border = pal.primary;
    } else if (node.style == ui::ButtonStyle::Danger) {
        fill = pal.danger, ink = pal.on_danger, border = pal.danger;
    } else if (link) {
        fill = pal.background, ink = node.style == ui::ButtonStyle::Link ? pal.error : pal.text;
        border = pal.background;
    }
    if (!node.enabled) fill = pal.disabled, ink = pal.on_disabled, border = pal.disabled;
    bool pressed = ImGui::InvisibleButton(imgui_id(node).c_str(), size);
    if (!node.enabled) pressed = false;
    mark(node);
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float rounding = ImGui::GetStyle().FrameRounding;
    const bool held = ImGui::IsItemActive() && node.enabled;
    if (!link) {
        list->AddRectFilled(min, max, packed(fill, held ? 200 : 255), rounding);
        list->AddRect(min, max, col(border), rounding, ImDrawFlags_None,
                      std::max(2.0f, 3.0f * scale_));
    }
    if (node.focused && node.role == ui::Role::Button)  // a chosen option: ringed
        list->AddRect(ImVec2(min.x - 3 * scale_, min.y - 3 * scale_),
                      ImVec2(max.x + 3 * scale_, max.y + 3 * scale_), col(pal.focus), rounding,
                      ImDrawFlags_None, 4.0f * scale_);
    const ImU32 color = col(ink);
    if (tile) {
        float x = min.x + padding;
        if (has_icon) {
            icon(node.icon, ImVec2(x, std::round(min.y + (max.y - min.y - icon_side) / 2)),
                 icon_side, color);
            x += icon_side + padding;
        }
        TextRenderer::Style detail = style(false);
        const float detail_line = node.value.empty() ? 0.0f : text_.line_height(detail.size_px);
        const float label_room = max.x - padding - x;
        const int lines =
            std::min(kTileLines, static_cast<int>(text_.wrap(node.label, label_room, st).size()));
        const float block = static_cast<float>(lines) * line + detail_line;
        const float top = std::round(min.y + (max.y - min.y - block) / 2);
        Drawn drawn =
            lines_in_box(node.label, st, color, x, max.x - padding, top, kTileLines, false);
        node.elided = drawn.elided;
        if (!node.value.empty())
            node.elided = text_in_box(node.value, detail, color, x, max.x - padding,
                                      top + static_cast<float>(drawn.lines) * line, false) ||
                          node.elided;
        return pressed;
    }
    const bool two_lines = node.role == ui::Role::ListRow && !node.value.empty();
    const bool centre = node.role != ui::Role::ListRow && !link;
    const float inset = key ? 4.0f * scale_ : padding;  // a letter needs its key's width
    float x = min.x + inset;
    float right = max.x - inset;
    if (has_icon) {
        const float text_width = key ? -padding : text_.width(node.label, st);
        if (centre) x = std::max(x, min.x + (max.x - min.x - icon_side - padding - text_width) / 2);
        icon(node.icon, ImVec2(x, std::round(min.y + (max.y - min.y - icon_side) / 2)), icon_side,
             color);
        x += icon_side + padding;
    }
    if (key && has_icon) return pressed;  // the pictogram says it (the label is for speech)
    const bool centred_label = centre && !has_icon;
    if (two_lines) {
        TextRenderer::Style detail = style(false);
        float detail_line = text_.line_height(detail.size_px);
        float top = std::round(min.y + (max.y - min.y - line - detail_line) / 2);
        node.elided = text_in_box(node.label, st, color, x, right, top, centred_label);
        node.elided =
            text_in_box(node.value, detail, col(pal.muted), x, right, top + line, centred_label) ||
            node.elided;
    } else if (node.style == ui::ButtonStyle::Link) {
        const std::vector<ui::Line> lines = text_.wrap(node.label, right - x, st);
        float top =
            std::round(min.y + (max.y - min.y - line * static_cast<float>(lines.size())) / 2);
        for (const ui::Line& l : lines) {
            std::string_view piece = std::string_view(node.label).substr(l.begin, l.end - l.begin);
            while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
            node.elided = text_in_box(piece, st, color, x, right, top, false) || node.elided;
            const float under = std::round(top + line - 2 * scale_);
            list->AddLine(ImVec2(x, under),
                          ImVec2(std::min(right, x + text_.width(piece, st)), under), color,
                          std::max(1.0f, 2.0f * scale_));
            top += line;
        }
    } else {
        const float top = min.y + (max.y - min.y - line) / 2;
        node.elided = text_in_box(node.label, st, color, x, right, top, centred_label);
    }
    return pressed;
}

bool ImGuiUi::draw_field(ui::Node& node, std::string_view text) {
    const Palette& pal = palette(state_.high_contrast);
    TextRenderer::Style label_style = style(false);
    place(0);
    const float top_of_block = ImGui::GetCursorScreenPos().y;
    const bool has_error = !node.error.empty();
    ImGui::BeginGroup();
    text_block(node.label, label_style, col(pal.text));
    // The error goes between the label and the box, as GOV.UK does: read before the value.
    if (has_error) {
        const float side = text_.line_height(label_style.size_px);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        if (text_.has_icon("error")) {
            icon("error", at, side, col(pal.error));
            ImGui::Dummy(ImVec2(side, side));
            ImGui::SameLine();
        }
        text_block(node.error, label_style, col(pal.error));
    }
    bool pin = state_.focused_kind() == ui::FieldKind::Pin && node.focused;
    const std::size_t chars = utf8::count(text);
    std::string shown;
    std::size_t caret = text.size();
    if (pin) {
        for (std::size_t i = 0; i < chars; ++i) shown += "\xE2\x80\xA2";  // •
        caret = shown.size();
    } else {
        // Digits as the citizen reads them (a number typed in Bangla shows in Bangla; the
        // field keeps ASCII), with the caret moved to match.
        shown = digits(text);
        if (node.focused) {
            std::string before = digits(text.substr(0, std::min(state_.cursor(), text.size())));
            caret = before.size();
            sodium_memzero(before.data(), before.size());
        }
    }
    float width = ImGui::GetContentRegionAvail().x;
    bool pressed = ImGui::InvisibleButton(imgui_id(node).c_str(), ImVec2(width, kTouchPx * scale_));
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float rounding = ImGui::GetStyle().FrameRounding;
    list->AddRectFilled(min, max, col(pal.field), rounding);
    const Rgb edge = has_error ? pal.error : pal.field_border;
    list->AddRect(min, max, col(edge), rounding, ImDrawFlags_None,
                  (has_error ? 4.0f : 2.0f) * std::max(scale_, 0.75f));
    if (node.focused)  // the focus ring, apart from the border
        list->AddRect(ImVec2(min.x - 4 * scale_, min.y - 4 * scale_),
                      ImVec2(max.x + 4 * scale_, max.y + 4 * scale_), col(pal.focus), rounding + 2,
                      ImDrawFlags_None, 5.0f * scale_);
    // What the citizen typed is shaped afresh every frame and never cached.
    TextRenderer::Style typed = label_style;
    typed.secret = true;
    float padding = ImGui::GetStyle().FramePadding.x;
    float room = max.x - min.x - 2 * padding;
    float line = text_.line_height(typed.size_px);
    float top = std::round(min.y + (max.y - min.y - line) / 2);
    float caret_x = node.focused ? text_.caret_x(shown, caret, typed) : 0.0f;
    // Long text scrolls so the caret stays in view.
    float scroll = std::max(0.0f, caret_x - room + 4.0f * scale_);
    ImU32 color = col(pal.on_field);
    list->PushClipRect(ImVec2(min.x + padding / 2, min.y), ImVec2(max.x - padding / 2, max.y),
                       true);
    text_.draw(list, ImVec2(min.x + padding - scroll, top), color, shown, typed);
    if (node.focused) {
        float x = std::round(min.x + padding - scroll + caret_x);
        list->AddRectFilled(ImVec2(x, top), ImVec2(x + std::max(2.0f, 3.0f * scale_), top + line),
                            color);
    }
    list->PopClipRect();
    ImGui::EndGroup();
    if (has_error) {  // a bar down the whole field, label to box
        const ImVec2 group_min = ImGui::GetItemRectMin();
        const ImVec2 group_max = ImGui::GetItemRectMax();
        const float bar = 5.0f * scale_;
        const float x = group_min.x - ImGui::GetStyle().WindowPadding.x / 2 - bar / 2;
        list->AddRectFilled(ImVec2(x, group_min.y), ImVec2(x + bar, group_max.y), col(pal.error));
    }
    mark(node);  // label, error and box: what must stay in view together
    // The field being typed into stays in view above the keyboard, its label and error too:
    // for a few frames after it gains focus or text (the keyboard docks meanwhile).
    if (node.focused) {
        if (memory_.focused != node.id || memory_.typed != text.size()) memory_.settle = 3;
        memory_.focused = node.id;
        memory_.typed = text.size();
        if (memory_.settle > 0) {
            --memory_.settle;
            keep_in_view(top_of_block, node.box.bottom());
        }
    }
    if (state_.scroll_target() == node.id) {
        keep_in_view(top_of_block, node.box.bottom());
        state_.scrolled();
    }
    sodium_memzero(shown.data(), shown.size());
    return pressed;
}

bool ImGuiUi::draw_toggle(ui::Node& node, bool on) {
    const Palette& pal = palette(state_.high_contrast);
    TextRenderer::Style st = style(false);
    const float touch = kTouchPx * scale_;
    const bool in_row = !groups_.empty() && !groups_.back().grid;
    const bool has_icon = !node.icon.empty() && text_.has_icon(node.icon);
    const float rounding = ImGui::GetStyle().FrameRounding;
    if (in_row && has_icon) {
        // In the header: a square with the pictogram, filled when on, outlined when off.
        place(touch);
        const bool pressed = ImGui::InvisibleButton(imgui_id(node).c_str(), ImVec2(touch, touch));
        mark(node);
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        ImDrawList* list = ImGui::GetWindowDrawList();
        list->AddRectFilled(min, max, col(on ? pal.primary : pal.secondary), rounding);
        list->AddRect(min, max, col(on ? pal.focus : pal.secondary_border), rounding,
                      ImDrawFlags_None, (on ? 4.0f : 2.0f) * scale_);
        const float side = touch * 0.6f;
        icon(node.icon, ImVec2(min.x + (touch - side) / 2, min.y + (touch - side) / 2), side,
             col(on ? pal.on_primary : pal.on_secondary));
        return pressed;
    }
    // On a page: a box or a switch, then the label; the whole row is the target. In a row
    // without a pictogram, as wide as its label.
    const float line = text_.line_height(st.size_px);
    const float box_side = touch * 0.6f;
    const float width = in_row ? box_side * (node.role == ui::Role::Checkbox ? 1.0f : 1.9f) +
                                     20 * scale_ + text_.width(node.label, st)
                               : ImGui::GetContentRegionAvail().x;
    place(in_row ? width : 0.0f);
    const float height = std::max(touch, line + 2 * ImGui::GetStyle().FramePadding.y);
    const bool pressed = ImGui::InvisibleButton(imgui_id(node).c_str(), ImVec2(width, height));
    mark(node);
    const ImVec2 min = ImGui::GetItemRectMin();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float box = touch * 0.6f;
    const ImVec2 b0(min.x, min.y + (height - box) / 2);
    float text_x = min.x + box + 16 * scale_;
    if (node.role == ui::Role::Checkbox) {
        list->AddRectFilled(b0, ImVec2(b0.x + box, b0.y + box), col(pal.field));
        list->AddRect(b0, ImVec2(b0.x + box, b0.y + box), col(pal.field_border), 0,
                      ImDrawFlags_None, 3 * scale_);
        if (on) {
            const ImVec2 tick[] = {ImVec2(b0.x + box * 0.2f, b0.y + box * 0.52f),
                                   ImVec2(b0.x + box * 0.42f, b0.y + box * 0.74f),
                                   ImVec2(b0.x + box * 0.82f, b0.y + box * 0.28f)};
            list->AddPolyline(tick, 3, col(pal.mark), ImDrawFlags_None, 5 * scale_);
        }
    } else {
        const float track_w = box * 1.9f;
        const ImVec2 t1(b0.x + track_w, b0.y + box);
        list->AddRectFilled(b0, t1, col(on ? pal.mark : pal.field), box / 2);
        list->AddRect(b0, t1, col(pal.field_border), box / 2, ImDrawFlags_None, 2 * scale_);
        const float knob_x = on ? t1.x - box / 2 : b0.x + box / 2;
        list->AddCircleFilled(ImVec2(knob_x, b0.y + box / 2), box * 0.38f,
                              col(on ? pal.field : pal.field_border), 24);
        text_x = b0.x + track_w + 16 * scale_;
    }
    node.elided = text_in_box(node.label, st, col(pal.text), text_x, min.x + width,
                              std::round(min.y + (height - line) / 2), false);
    return pressed;
}

bool ImGuiUi::draw_radio(ui::Node& node, bool selected) {
    const Palette& pal = palette(state_.high_contrast);
    TextRenderer::Style st = style(false);
    place(0);
    const float touch = kTouchPx * scale_;
    const float line = text_.line_height(st.size_px);
    const float width = ImGui::GetContentRegionAvail().x;
    const bool pressed = ImGui::InvisibleButton(imgui_id(node).c_str(), ImVec2(width, touch));
    mark(node);
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float rounding = ImGui::GetStyle().FrameRounding;
    // The chosen option is told by a dot and a ring, not by a shade.
    if (selected)
        list->AddRect(min, max, col(pal.focus), rounding, ImDrawFlags_None, 3.0f * scale_);
    const float r = touch * 0.28f;
    const ImVec2 centre(min.x + ImGui::GetStyle().FramePadding.x + r, min.y + touch / 2);
    list->AddCircleFilled(centre, r, col(pal.field), 32);
    list->AddCircle(centre, r, col(pal.field_border), 32, 3.0f * scale_);
    if (selected) list->AddCircleFilled(centre, r * 0.55f, col(pal.mark), 32);
    const float x = centre.x + r + 16 * scale_;
    node.elided = text_in_box(node.label, st, col(pal.text), x, max.x,
                              std::round(min.y + (touch - line) / 2), false);
    return pressed;
}

bool ImGuiUi::draw_answer(ui::Node& answer, ui::Node* change) {
    const Palette& pal = palette(state_.high_contrast);
    place(0);
    TextRenderer::Style label = style(false);
    TextRenderer::Style value = style_px(34.0f);
    value.secret = true;  // what the citizen typed: not cached
    const float width = ImGui::GetContentRegionAvail().x;
    const float padding = ImGui::GetStyle().FramePadding.x;
    // As wide as draw_button makes it: label, pictogram, padding.
    const float button_w =
        change
            ? text_.width(change->label, label) + 2 * padding + 16.0f * scale_ +
                  (text_.has_icon(change->icon) ? text_.line_height(label.size_px) + padding : 0.0f)
            : 0.0f;
    const float text_room = width - button_w - 2 * padding;
    const float label_line = text_.line_height(label.size_px);
    const float value_line = text_.line_height(value.size_px);
    const int label_lines =
        std::min(2, static_cast<int>(text_.wrap(answer.label, text_room, label).size()));
    const float height =
        std::max(kTouchPx * scale_, static_cast<float>(label_lines) * label_line + value_line +
                                        2 * ImGui::GetStyle().FramePadding.y);
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, height));
    mark(answer);
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float top = min.y + ImGui::GetStyle().FramePadding.y;
    Drawn drawn = lines_in_box(answer.label, label, col(pal.muted), min.x + padding,
                               min.x + padding + text_room, top, 2, false);
    std::string shown = digits(answer.value);
    answer.elided =
        text_in_box(shown, value, col(pal.text), min.x + padding, min.x + padding + text_room,
                    top + static_cast<float>(drawn.lines) * label_line, false) ||
        drawn.elided;
    sodium_memzero(shown.data(), shown.size());
    list->AddLine(ImVec2(min.x, min.y + height), ImVec2(min.x + width, min.y + height),
                  col(pal.field_border), std::max(1.0f, 2.0f * scale_));
    if (!change) return false;
    // Change, at the row's right, as a button of its own.
    const ImVec2 saved = ImGui::GetCursorScreenPos();
    const float touch = kTouchPx * scale_;
    ImGui::SetCursorScreenPos(ImVec2(min.x + width - button_w, min.y + (height - touch) / 2));
    const std::vector<Group> outer = std::exchange(groups_, {});
    const bool pressed = draw_button(*change, false);
    groups_ = outer;
    ImGui::SetCursorScreenPos(saved);
    ImGui::Dummy(ImVec2(0, 0));
    return pressed;
}

void ImGuiUi::draw_steps(ui::Node& node, int number, int of) {
    const Palette& pal = palette(state_.high_contrast);
    place(0);
    TextRenderer::Style st = style(false);
    const float width = ImGui::GetContentRegionAvail().x;
    const float line = text_.line_height(st.size_px);
    const float bar = 12.0f * scale_;
    const float gap = 8.0f * scale_;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, line + gap + bar));
    mark(node);
    text_in_box(node.label, st, col(pal.text), min.x, min.x + width, min.y, false);
    // One segment per step: done and current filled, the rest outlined.
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float segment = std::min(width, 640.0f * scale_);
    const float each = (segment - gap * static_cast<float>(of - 1)) / static_cast<float>(of);
    for (int i = 0; i < of; ++i) {
        const ImVec2 a(min.x + static_cast<float>(i) * (each + gap), min.y + line + gap);
        const ImVec2 b(a.x + each, a.y + bar);
        if (i < number)
            list->AddRectFilled(a, b, col(pal.primary), bar / 2);
        else
            list->AddRect(a, b, col(pal.field_border), bar / 2, ImDrawFlags_None, 2 * scale_);
    }
}

void ImGuiUi::draw_panel(ui::Node& node) {
    const Palette& pal = palette(state_.high_contrast);
    place(0);
    TextRenderer::Style title = style(true);
    TextRenderer::Style reference = style_px(64.0f);
    const float width = ImGui::GetContentRegionAvail().x;
    const float pad = 32.0f * scale_;
    const float side = 96.0f * scale_;
    const float title_line = text_.line_height(title.size_px);
    const float ref_line = text_.line_height(reference.size_px);
    const int title_lines =
        std::min(2, static_cast<int>(text_.wrap(node.label, width - 2 * pad, title).size()));
    const float height =
        side + title_line * static_cast<float>(title_lines) + ref_line + 2 * pad + 16 * scale_;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, height));
    mark(node);
    ImDrawList* list = ImGui::GetWindowDrawList();
    // A ground of the success colour with the text in its "on" colour (the primary's pair).
    list->AddRectFilled(min, ImVec2(min.x + width, min.y + height), col(pal.primary),
                        ImGui::GetStyle().FrameRounding);
    icon("check_circle", ImVec2(min.x + (width - side) / 2, min.y + pad), side,
         col(pal.on_primary));
    float y = min.y + pad + side + 8 * scale_;
    Drawn drawn = lines_in_box(node.label, title, col(pal.on_primary), min.x + pad,
                               min.x + width - pad, y, 2, true);
    y += static_cast<float>(drawn.lines) * title_line + 8 * scale_;
    // A reference is a code, read back and typed as printed: its digits stay as they are.
    node.elided = text_in_box(node.value, reference, col(pal.on_primary), min.x + pad,
                              min.x + width - pad, y, true) ||
                  drawn.elided;
}

void ImGuiUi::draw_qr(ui::Node& node) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(node.value.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) return;
    float module = std::max(4.0f, 8.0f * scale_);
    float quiet = 4 * module;  // the white margin scanners need
    float side = static_cast<float>(code->width) * module + 2 * quiet;
    place(side);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32_WHITE);
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            if (code->data[y * code->width + x] & 1) {
                ImVec2 a(origin.x + quiet + static_cast<float>(x) * module,
                         origin.y + quiet + static_cast<float>(y) * module);
                draw->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32_BLACK);
            }
    ImGui::Dummy(ImVec2(side, side));
    mark(node);
}

void ImGuiUi::draw_image(ui::Node& node) {
    const ImageCache::Image* image =
        memory_.images ? &memory_.images->get(node.value, memory_.frame) : nullptr;
    if (!image || !image->texture) {  // what it shows, in words
        if (!node.label.empty())
            text_block("[" + node.label + "]", style(false), ImGui::GetColorU32(ImGuiCol_Text));
        mark(node);
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    float width = std::min(avail, static_cast<float>(image->width) * scale_);
    float height = width * static_cast<float>(image->height) / static_cast<float>(image->width);
    const float max_height = 540.0f * scale_;
    if (height > max_height) {
        width *= max_height / height;
        height = max_height;
    }
    place(width);
    ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(image->texture)),
                 ImVec2(width, height));
    mark(node);
}

void ImGuiUi::draw_progress(ui::Node& node, float fraction) {
    place(0);
    ImGui::ProgressBar(fraction, ImVec2(-1.0f, kTouchPx * scale_ * 0.6f), "");
    mark(node);
    TextRenderer::Style st = style(false);
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    text_in_box(node.label, st, ImGui::GetColorU32(ImGuiCol_Text), min.x, max.x,
                min.y + (max.y - min.y - text_.line_height(st.size_px)) / 2, true);
}

void wipe_imgui_text() {
    if (!ImGui::GetCurrentContext()) return;
    ImGuiContext& g = *GImGui;
    ImGuiInputTextState& edit = g.InputTextState;
    zero(edit.TextW);
    zero(edit.TextA);
    zero(edit.InitialTextA);
    sodium_memzero(&edit.Stb, sizeof edit.Stb);  // includes the undo buffer of typed chars
    edit.CurLenA = edit.CurLenW = 0;
    edit.ID = 0;
    zero(g.ClipboardHandlerData);
    zero(g.IO.InputQueueCharacters);
    sodium_memzero(g.TempBuffer, sizeof g.TempBuffer);
}

void end_imgui_session() {
    wipe_imgui_text();
    if (!ImGui::GetCurrentContext()) return;
    for (ImGuiWindow* window : GImGui->Windows) {
        window->Scroll = ImVec2(0.0f, 0.0f);
        window->ScrollTarget = ImVec2(FLT_MAX, FLT_MAX);
    }
}

void apply_theme(bool high_contrast, float scale) {
    const Palette& p = palette(high_contrast);
    auto vec = [](Rgb c) { return ImGui::ColorConvertU32ToFloat4(packed(c)); };
    ImGuiStyle style;
    if (high_contrast)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    style.Colors[ImGuiCol_WindowBg] = vec(p.background);
    style.Colors[ImGuiCol_ChildBg] = vec(p.background);
    style.Colors[ImGuiCol_Text] = vec(p.text);
    style.Colors[ImGuiCol_Button] = vec(p.primary);
    style.Colors[ImGuiCol_ButtonHovered] = vec(p.primary);
    style.Colors[ImGuiCol_ButtonActive] = vec(p.primary);
    style.Colors[ImGuiCol_Border] = vec(p.field_border);
    style.Colors[ImGuiCol_FrameBg] = vec(p.field);
    style.Colors[ImGuiCol_PlotHistogram] = vec(p.primary);
    style.Colors[ImGuiCol_ScrollbarGrab] = vec(p.muted);
    style.FrameBorderSize = high_contrast ? 3.0f : 1.0f;
    style.FrameRounding = 10.0f;
    style.FramePadding = ImVec2(16, 10);
    style.ItemSpacing = ImVec2(14, 14);
    style.WindowPadding = ImVec2(24, 18);
    style.ScrollbarSize = 24.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

}  // namespace seba::kiosk
