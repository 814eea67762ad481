#include "imgui_ui.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <qrencode.h>
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <string>

#include "seba/ui/ui_state.hpp"

namespace seba::kiosk {

namespace {

// Touch sizes at 1080p, scaled with the window: a target is never under 48 px.
constexpr float kTouchPx = 72.0f;
constexpr float kKeyWidthPx = 104.0f;
constexpr float kTileWidthPx = 420.0f;
constexpr float kTileHeightPx = 160.0f;

std::string imgui_label(const ui::Node& node) {
    return node.label + "##" + node.id;
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

}  // namespace

ImGuiUi::ImGuiUi(ui::UiState& state, const Fonts& fonts, float scale)
    : Ui(state), fonts_(fonts), scale_(std::max(scale, 48.0f / kTouchPx)) {
}

ImGuiUi::~ImGuiUi() = default;

ImFont* ImGuiUi::font(bool heading) const {
    if (state_.large_text) return heading ? fonts_.heading_large : fonts_.body_large;
    return heading ? fonts_.heading : fonts_.body;
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

bool ImGuiUi::draw_text(const ui::Node& node, int level) {
    ImGui::PushFont(font(level == 1));
    float width = ImGui::CalcTextSize(node.label.c_str()).x;
    place(width);
    bool in_row = !groups_.empty() && !groups_.back().grid;
    ImGui::PushStyleColor(ImGuiCol_Text, tone_color(level, state_.high_contrast));
    if (in_row) {
        // Status-bar text sits centred on the buttons' line.
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(node.label.c_str());
    } else {
        ImGui::TextWrapped("%s", node.label.c_str());
    }
    ImGui::PopStyleColor();
    ImGui::PopFont();
    return false;
}

bool ImGuiUi::draw_button(const ui::Node& node, bool large) {
    ImGui::PushFont(font(large));
    ImVec2 size;
    if (large) {
        bool grid = !groups_.empty() && groups_.back().grid;
        size = ImVec2(grid ? groups_.back().tile_width : ImGui::GetContentRegionAvail().x,
                      kTileHeightPx * scale_);
    } else if (node.role == ui::Role::Key) {
        float key = kKeyWidthPx * scale_;
        float text = ImGui::CalcTextSize(node.label.c_str()).x + 32.0f * scale_;
        size = ImVec2(node.value == "wide" ? 5 * key : std::max(key, text), kTouchPx * scale_);
    } else if (node.role == ui::Role::ListRow) {
        size = ImVec2(ImGui::GetContentRegionAvail().x, kTouchPx * scale_ * 1.6f);
    } else {
        float text = ImGui::CalcTextSize(node.label.c_str()).x;
        size = ImVec2(std::max(text + 48.0f * scale_, kTouchPx * scale_), kTouchPx * scale_);
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
    bool two_lines = (large || node.role == ui::Role::ListRow) && !node.value.empty();
    std::string label =
        two_lines ? node.label + "\n" + node.value + "##" + node.id : imgui_label(node);
    if (node.role == ui::Role::ListRow)
        ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    bool pressed = ImGui::Button(label.c_str(), size);
    if (node.role == ui::Role::ListRow) ImGui::PopStyleVar();
    ImGui::EndDisabled();
    ImGui::PopStyleColor(colors);
    ImGui::PopFont();
    return pressed;
}

bool ImGuiUi::draw_field(const ui::Node& node, std::string_view text) {
    ImGui::PushFont(font(false));
    ImGui::TextUnformatted(node.label.c_str());
    std::string shown;
    if (state_.focused_kind() == ui::FieldKind::Pin && node.focused) {
        for (std::size_t i = 0,
                         n = std::count_if(
                             text.begin(), text.end(),
                             [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
             i < n; ++i)
            shown += "\xE2\x80\xA2";  // •
    } else {
        shown.assign(text);
    }
    if (node.focused) shown += "|";
    shown += "##" + node.id;
    float width = ImGui::GetContentRegionAvail().x;
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    // A field looks like a field whatever the pointer does: no button colours.
    ImU32 frame = ImGui::GetColorU32(ImGuiCol_FrameBg);
    ImGui::PushStyleColor(ImGuiCol_Button, frame);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, frame);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, frame);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, node.focused ? 4.0f * scale_ : 2.0f);
    bool pressed = ImGui::Button(shown.c_str(), ImVec2(width, kTouchPx * scale_));
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(3);
    // Keep the field being typed into in view above the keyboard.
    if (node.focused && !ImGui::IsItemVisible()) ImGui::SetScrollHereY(0.5f);
    sodium_memzero(shown.data(), shown.size());
    if (!node.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, tone_color(5, state_.high_contrast));
        ImGui::TextWrapped("%s", node.error.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PopFont();
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
    ImGui::PushFont(font(false));
    ImGui::ProgressBar(fraction, ImVec2(-1.0f, kTouchPx * scale_ * 0.6f), node.label.c_str());
    ImGui::PopFont();
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
