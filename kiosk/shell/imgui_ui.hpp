// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image_cache.hpp"
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
    /// What the renderer remembers between frames (an ImGuiUi lives for one frame).
    struct Memory {
        std::uint64_t page = ~std::uint64_t{0};  // the page the content was last scrolled for
        std::string focused;                     // the field focused last frame
        std::size_t typed = 0;                   // its length then
        int settle = 0;                          // frames left to bring the focused field into view
        ImageCache* images = nullptr;            // the window's pictures (null: drawn as their alt)
        std::uint64_t frame = 0;                 // counts frames, for the pictures
    };

    ImGuiUi(ui::UiState& state, TextRenderer& text, float scale, Memory& memory);
    ~ImGuiUi() override;

    /// The scale of a window: its shorter side against 1080 px, so that a portrait
    /// 1080×1920 screen draws as a landscape 1920×1080 one does, and 1366×768 smaller.
    static float scale_for(int width, int height);

  private:
    bool draw_text(ui::Node& node, int level) override;
    bool draw_button(ui::Node& node, bool large) override;
    bool draw_field(ui::Node& node, std::string_view text) override;
    void draw_qr(ui::Node& node) override;
    void draw_progress(ui::Node& node, float fraction) override;
    void open_group(ui::Node& node, bool grid) override;
    void close_group(bool grid) override;
    void open_content(ui::Node& node, int bottom_rows) override;
    void close_content() override;
    void keyboard_columns(float units) override { key_units_ = units; }
    void draw_banner(ui::Node& node, ui::Tone tone) override;
    bool draw_toggle(ui::Node& node, bool on) override;
    bool draw_answer(ui::Node& answer, ui::Node* change) override;
    void draw_steps(ui::Node& node, int number, int of) override;
    bool draw_radio(ui::Node& node, bool selected) override;
    void draw_panel(ui::Node& node) override;
    void draw_image(ui::Node& node) override;

    void place(float width);  // lays the next item out in the open row or grid
    TextRenderer::Style style(bool heading) const;
    TextRenderer::Style style_px(float px) const;
    // Wrapped lines of `text` in the available width, as one item.
    void text_block(std::string_view text, const TextRenderer::Style& style, unsigned int color);
    // One line centred (or left-aligned) in [min, max], elided to fit; true when elided.
    bool text_in_box(std::string_view text, const TextRenderer::Style& style, unsigned int color,
                     float min_x, float max_x, float top, bool centre);
    // Up to `max_lines` wrapped lines in [min_x, max_x] from `top` (the last one elided when
    // the text needs more); returns the lines drawn and whether any text was cut.
    struct Drawn {
        int lines = 0;
        bool elided = false;
    };
    Drawn lines_in_box(std::string_view text, const TextRenderer::Style& style, unsigned int color,
                       float min_x, float max_x, float top, int max_lines, bool centre,
                       bool measure_only = false);
    // A pictogram in a `side` square at `top_left` (nothing for an unknown name).
    void icon(std::string_view name, ImVec2 top_left, float side, unsigned int color);
    // The item just drawn becomes the node's box.
    static void mark(ui::Node& node);
    // Brings [top, bottom] (screen y) into the content's view over the next frames.
    void keep_in_view(float top, float bottom);

    struct Group {
        bool grid = false;
        int column = 0;
        int columns = 1;
        float tile_width = 0;
        bool first = true;
        bool keys = false;  // a keyboard's row: keys closer together
    };
    float gap(const Group& g) const;  // between the items of a row
    std::vector<Group> groups_;
    TextRenderer& text_;
    float scale_;
    Memory& memory_;
    float key_units_ = 0;  // the keyboard's widest row, in letter keys
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
