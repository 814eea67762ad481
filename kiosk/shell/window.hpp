// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "imgui_ui.hpp"
#include "seba/ui/ui_state.hpp"

struct GLFWwindow;

namespace seba::kiosk {

class Shell;

/// The OpenGL context the kiosk draws with (ImGui's OpenGL 3 backend, GLSL 130); the doctor
/// asks for the same.
constexpr int kGlVersionMajor = 3;
constexpr int kGlVersionMinor = 0;

struct WindowOptions {
    int width = 1920;
    int height = 1080;
    bool fullscreen = false;
};

/// A GLFW window with Dear ImGui (OpenGL 3 backend) drawing the kit. Sleeps when nothing
/// changes: it waits for input with a timeout, draws a few frames after each event, and
/// worker threads wake it with wake().
class Window {
  public:
    /// Throws seba::Error when there is no display or no GL, or a font is missing (naming
    /// the Debian package to install).
    Window(const WindowOptions& options, ui::UiState& state);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    /// Draws one frame: `draw` fills it with the kit. (run() draws only frames that differ
    /// from the one on screen; this always draws, for scripts and benchmarks.)
    void frame(const std::function<void(ui::Ui&)>& draw);
    /// Shows the frame drawn last (swaps the buffers).
    void present();
    /// Writes the last drawn frame as a PNG. Throws seba::Error naming the file on failure.
    void screenshot(const std::filesystem::path& png);
    /// Runs the kiosk until the window is closed, or for `seconds` when given (benchmarks).
    void run(Shell& shell, double seconds = -1);
    /// Called by run() after every frame it draws; run() comes round at least every
    /// `every` to call it even when nothing changes on screen (the service watchdog).
    void set_heartbeat(std::function<void()> beat, std::chrono::duration<double> every);
    /// Called by run() once, when its first frame is on screen (drawn, swapped, finished).
    void on_first_frame(std::function<void()> call) { on_first_frame_ = std::move(call); }
    /// From any thread: redraw soon (new data arrived).
    static void wake();
    /// Draws from the next frame on with the fonts of every language the kiosk now knows
    /// (ui::languages()): called when a country pack's languages arrived, e.g. mid-frame.
    void reload_fonts();

    int frames_drawn() const { return frames_drawn_; }

  private:
    void load_fonts();
    void load_text_fonts();  // the TextRenderer, for the languages known now
    void prepare(const std::function<void(ui::Ui&)>& draw);  // ImGui's frame, not yet drawn
    void build(const std::function<void(ui::Ui&)>& draw);    // one pass of prepare()
    void render();                                           // the prepared frame, by GL
    static std::uint64_t frame_hash();                       // of the prepared frame
    static void on_mouse(GLFWwindow* w, int button, int action, int mods);
    static void on_key(GLFWwindow* w, int key, int scancode, int action, int mods);
    static void on_char(GLFWwindow* w, unsigned int codepoint);

    GLFWwindow* window_ = nullptr;
    ui::UiState& state_;
    std::unique_ptr<TextRenderer> text_;
    std::unique_ptr<ImageCache> images_ =
        std::make_unique<ImageCache>();  // lessons' pictures  // every string of the kit
    bool fonts_stale_ = false;           // reload_fonts() was called: new at the next frame
    std::uint64_t sessions_seen_ = 0;    // UiState::sessions_wiped() at the last frame
    float scale_ = 1.0f;
    ImGuiUi::Memory ui_memory_;  // what the renderer keeps between frames
    bool high_contrast_applied_ = false;
    int frames_drawn_ = 0;
    int frames_wanted_ = 3;         // frames still to draw after the last event
    std::uint64_t shown_hash_ = 0;  // frame_hash() of what run() put on screen
    bool exposed_ = true;           // the screen needs drawing even if the frame is equal
    Shell* shell_ = nullptr;        // for input callbacks while run() is active
    std::function<void()> heartbeat_;
    std::function<void()> on_first_frame_;
    double heartbeat_every_s_ = 0;  // 0: no heartbeat
};

}  // namespace seba::kiosk
