// SPDX-License-Identifier: Apache-2.0
#include "imgui_ui.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <qrencode.h>
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <string>

#include "seba/ui/ui_state.hpp"
#include "seba/utf8.hpp"

namespace seba::kiosk {

namespace {

// Touch sizes at 1080p, scaled with the window: a target is never under 48 px.
constexpr float kTouchPx = 72.0f;
constexpr float kKeyWidthPx = 104.0f;
constexpr float kTileWidthPx = 420.0f;
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

ImU32 tone_color(int level, bool high_contrast) {
    switch (level) {
        case 3:
            return high_contrast ? IM_COL32(120, 255, 120, 255) : IM_COL32(20, 110, 50, 255);
        case 4:
            return high_contrast ? IM_COL32(255, 230, 0, 255) : IM_COL32(150, 90, 0, 255);
        case 5:
            return high_contrast ? IM_COL32(255, 120, 120, 255) : IM_COL32(180, 20, 20, 255);
        default:
            return ImGui::GetColorU32(ImGuiCol_Text);
    }
}

// A banner's ground: a light tint of its tone, or black in high contrast.
ImU32 tint(ui::Tone tone, bool high_contrast) {
    if (high_contrast) return IM_COL32(0, 0, 0, 255);
    switch (tone) {
        case ui::Tone::Success:
            return IM_COL32(230, 244, 233, 255);
        case ui::Tone::Warning:
            return IM_COL32(255, 243, 214, 255);
        case ui::Tone::Error:
            return IM_COL32(252, 232, 230, 255);
        case ui::Tone::Info:
            break;
    }
    return IM_COL32(230, 238, 250, 255);
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

ImGuiUi::ImGuiUi(ui::UiState& state, TextRenderer& text, float scale)
    : Ui(state), text_(text), scale_(std::max(scale, 48.0f / kTouchPx)) {
}

ImGuiUi::~ImGuiUi() = default;

TextRenderer::Style ImGuiUi::style(bool heading) const {
    float px = (heading ? kHeadingPx : kBodyPx) * scale_;
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

void ImGuiUi::text_in_box(std::string_view text, const TextRenderer::Style& style,
                          unsigned int color, float min_x, float max_x, float top, bool centre) {
    float room = max_x - min_x;
    std::string shown = text_.elide(text, room, style);
    float width = text_.width(shown, style);
    float x = centre ? min_x + std::max(0.0f, (room - width) / 2) : min_x;
    text_.draw(ImGui::GetWindowDrawList(), ImVec2(std::round(x), std::round(top)), color, shown,
               style);
}

void ImGuiUi::place(float width) {
    if (groups_.empty()) return;
    Group& g = groups_.back();
    if (g.grid) {
        if (g.column > 0) ImGui::SameLine();
        g.column = (g.column + 1) % g.columns;
    } else {
        if (!g.first) ImGui::SameLine(0.0f, ImGui::GetStyle().ItemSpacing.x * 2.0f);
        // Wrap a row that would run off the screen (long keyboards, many buttons).
        if (!g.first && ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
        g.first = false;
    }
}

void ImGuiUi::open_group(const ui::Node&, bool grid) {
    Group g;
    g.grid = grid;
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
}

void ImGuiUi::close_group(bool) {
    ImGui::EndGroup();
    if (!groups_.empty()) groups_.pop_back();
}

void ImGuiUi::open_content(const ui::Node& node, int bottom_rows) {
    float row = kTouchPx * scale_ + ImGui::GetStyle().ItemSpacing.y;
    ImGui::BeginChild(node.id.c_str(), ImVec2(0.0f, -static_cast<float>(bottom_rows) * row), false,
                      ImGuiWindowFlags_NoBackground);
}

void ImGuiUi::close_content() {
    ImGui::EndChild();
}

void ImGuiUi::draw_banner(const ui::Node& node, ui::Tone tone) {
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
    draw_sign(list, ImVec2(min.x + pad, min.y + (height - sign) / 2), sign, tone, color,
              contrast ? IM_COL32_BLACK : IM_COL32_WHITE);
    const ImU32 ink = contrast ? IM_COL32_WHITE : ImGui::GetColorU32(ImGuiCol_Text);
    const float x = min.x + 2 * pad + sign;
    const float top = std::round(min.y + (height - text_height) / 2);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view piece =
            std::string_view(node.label).substr(lines[i].begin, lines[i].end - lines[i].begin);
        text_.draw(list, ImVec2(x, top + line * static_cast<float>(i)), ink, piece, st);
    }
    ImGui::Dummy(ImVec2(width, height));
}

bool ImGuiUi::draw_text(const ui::Node& node, int level) {
    TextRenderer::Style st = style(level == 1);
    ImU32 color = tone_color(level, state_.high_contrast);
    bool in_row = !groups_.empty() && !groups_.back().grid;
    if (!in_row) {
        place(0);
        text_block(node.label, st, color);
        return false;
    }
    // Status-bar text: one line, centred on the buttons' line.
    float width = text_.width(node.label, st);
    place(width);
    float line = text_.line_height(st.size_px);
    float height = std::max(line, kTouchPx * scale_);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    text_.draw(ImGui::GetWindowDrawList(),
               ImVec2(origin.x, std::round(origin.y + (height - line) / 2)), color, node.label, st);
    ImGui::Dummy(ImVec2(width, height));
    return false;
}

bool ImGuiUi::draw_button(const ui::Node& node, bool large) {
    TextRenderer::Style st = style(large);
    float padding = ImGui::GetStyle().FramePadding.x;
    ImVec2 size;
    if (large) {
        bool grid = !groups_.empty() && groups_.back().grid;
        size = ImVec2(grid ? groups_.back().tile_width : ImGui::GetContentRegionAvail().x,
                      kTileHeightPx * scale_);
    } else if (node.role == ui::Role::Key) {
        float key = kKeyWidthPx * scale_;
        float text = text_.width(node.label, st) + 32.0f * scale_;
        size = ImVec2(node.value == "wide" ? 5 * key : std::max(key, text), kTouchPx * scale_);
    } else if (node.role == ui::Role::ListRow) {
        size = ImVec2(ImGui::GetContentRegionAvail().x, kTouchPx * scale_ * 1.6f);
    } else {
        float text = text_.width(node.label, st);
        size = ImVec2(std::max(text + 48.0f * scale_, kTouchPx * scale_), kTouchPx * scale_);
        // A label longer than the screen is elided, not run off the edge.
        size.x = std::min(size.x, std::max(ImGui::GetContentRegionAvail().x, kTouchPx * scale_));
    }
    place(size.x);
    int colors = 0;
    if (node.focused) {
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(ImGuiCol_ButtonActive));
        ++colors;
    }
    if (!state_.high_contrast) {  // white on the green buttons
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32_WHITE);
        ++colors;
    }
    ImGui::BeginDisabled(!node.enabled);
    bool pressed = ImGui::Button(imgui_id(node).c_str(), size);
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);  // with the disabled alpha
    bool two_lines = (large || node.role == ui::Role::ListRow) && !node.value.empty();
    bool centre = node.role != ui::Role::ListRow;
    float line = text_.line_height(st.size_px);
    if (two_lines) {
        TextRenderer::Style detail = style(false);
        float detail_line = text_.line_height(detail.size_px);
        float top = std::round(min.y + (max.y - min.y - line - detail_line) / 2);
        text_in_box(node.label, st, color, min.x + padding, max.x - padding, top, centre);
        text_in_box(node.value, detail, color, min.x + padding, max.x - padding, top + line,
                    centre);
    } else {
        text_in_box(node.label, st, color, min.x + padding, max.x - padding,
                    min.y + (max.y - min.y - line) / 2, centre);
    }
    ImGui::EndDisabled();
    ImGui::PopStyleColor(colors);
    return pressed;
}

bool ImGuiUi::draw_field(const ui::Node& node, std::string_view text) {
    TextRenderer::Style label_style = style(false);
    text_block(node.label, label_style, ImGui::GetColorU32(ImGuiCol_Text));
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
    // A field looks like a field whatever the pointer does: no button colours.
    ImU32 frame = ImGui::GetColorU32(ImGuiCol_FrameBg);
    ImGui::PushStyleColor(ImGuiCol_Button, frame);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, frame);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, frame);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, node.focused ? 4.0f * scale_ : 2.0f);
    bool pressed = ImGui::Button(imgui_id(node).c_str(), ImVec2(width, kTouchPx * scale_));
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(3);
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
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
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);
    list->PushClipRect(ImVec2(min.x + padding / 2, min.y), ImVec2(max.x - padding / 2, max.y),
                       true);
    text_.draw(list, ImVec2(min.x + padding - scroll, top), color, shown, typed);
    if (node.focused) {
        float x = std::round(min.x + padding - scroll + caret_x);
        list->AddRectFilled(ImVec2(x, top), ImVec2(x + std::max(2.0f, 3.0f * scale_), top + line),
                            color);
    }
    list->PopClipRect();
    // Keep the field being typed into in view above the keyboard.
    if (node.focused && !ImGui::IsItemVisible()) ImGui::SetScrollHereY(0.5f);
    sodium_memzero(shown.data(), shown.size());
    if (!node.error.empty())
        text_block(node.error, label_style, tone_color(5, state_.high_contrast));
    return pressed;
}

void ImGuiUi::draw_qr(const ui::Node& node) {
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
}

void ImGuiUi::draw_progress(const ui::Node& node, float fraction) {
    place(0);
    ImGui::ProgressBar(fraction, ImVec2(-1.0f, kTouchPx * scale_ * 0.6f), "");
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
    ImGuiStyle style;
    if (high_contrast) {
        ImGui::StyleColorsDark(&style);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 1);
        style.Colors[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
        style.Colors[ImGuiCol_Button] = ImVec4(0.1f, 0.1f, 0.1f, 1);
        style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.25f, 0.25f, 0.0f, 1);
        style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.45f, 0.45f, 0.0f, 1);
        style.Colors[ImGuiCol_Border] = ImVec4(1, 0.9f, 0, 1);
        style.Colors[ImGuiCol_FrameBg] = ImVec4(0, 0, 0, 1);
        style.FrameBorderSize = 3.0f;
    } else {
        ImGui::StyleColorsLight(&style);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.95f, 1);
        style.Colors[ImGuiCol_Button] = ImVec4(0.0f, 0.42f, 0.31f, 1);  // a2i green
        style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.0f, 0.52f, 0.38f, 1);
        style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.0f, 0.32f, 0.24f, 1);
        style.Colors[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
        style.Colors[ImGuiCol_Border] = ImVec4(0.2f, 0.2f, 0.2f, 1);
        style.FrameBorderSize = 1.0f;
    }
    style.FrameRounding = 10.0f;
    style.FramePadding = ImVec2(16, 10);
    style.ItemSpacing = ImVec2(14, 14);
    style.WindowPadding = ImVec2(24, 18);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
    if (!high_contrast) {
        // White text on green buttons; dark text elsewhere.
        ImGui::GetStyle().Colors[ImGuiCol_Text] = ImVec4(0.08f, 0.08f, 0.08f, 1);
    }
}

}  // namespace seba::kiosk
