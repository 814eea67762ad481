// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include "seba/ui/ui.hpp"
#include "text_renderer.hpp"

namespace seba::kiosk {

/// The UI kit drawn with Dear ImGui: touch-sized buttons and tiles (never under 48 px at
/// 1080p), every string shaped by HarfBuzz and drawn by the TextRenderer (so Bangla reads
/// as in a browser), wrapped at word boundaries and elided at cluster boundaries; our own
/// text fields (typing goes through the kit, not ImGui's InputText, so no
/// character is lost when a key steals focus), QR codes, a theme with a high-contrast
/// variant and large text. Draw between ImGui::NewFrame() and ImGui::Render().
class ImGuiUi final : public ui::Ui {
  public:
    ImGuiUi(ui::UiState& state, TextRenderer& text, float scale);
    ~ImGuiUi() override;

  private:
    bool draw_text(const ui::Node& node, int level) override;
    bool draw_button(const ui::Node& node, bool large) override;
    bool draw_field(const ui::Node& node, std::string_view text) override;
    void draw_qr(const ui::Node& node) override;
    void draw_progress(const ui::Node& node, float fraction) override;
    void open_group(const ui::Node& node, bool grid) override;
    void close_group(bool grid) override;
    void open_content(const ui::Node& node, int bottom_rows) override;
    void close_content() override;
    void draw_banner(const ui::Node& node, ui::Tone tone) override;

    void place(float width);  // lays the next item out in the open row or grid
    TextRenderer::Style style(bool heading) const;
    // Wrapped lines of `text` in the available width, as one item.
    void text_block(std::string_view text, const TextRenderer::Style& style, unsigned int color);
    // One line centred (or left-aligned) in [min, max], elided to fit.
    void text_in_box(std::string_view text, const TextRenderer::Style& style, unsigned int color,
                     float min_x, float max_x, float top, bool centre);

    struct Group {
        bool grid = false;
        int column = 0;
        int columns = 1;
        float tile_width = 0;
        bool first = true;
    };
    std::vector<Group> groups_;
    TextRenderer& text_;
    float scale_;
};

/// Zeroes the text ImGui keeps of its own (InputText's edit and undo buffers, queued
/// characters, clipboard copy, scratch buffer), for a plugin that used raw ImGui input.
void wipe_imgui_text();

/// The end of a citizen's session in ImGui: wipe_imgui_text(), and every window scrolled
/// back to the top, so the next citizen does not start halfway down the last one's screen.
void end_imgui_session();

/// Applies the kiosk theme to ImGui's style.
void apply_theme(bool high_contrast, float scale);

}  // namespace seba::kiosk
