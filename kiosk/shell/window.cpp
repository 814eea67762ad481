// SPDX-License-Identifier: Apache-2.0
#include "window.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <sodium.h>
#include <stb_image_write.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fonts.hpp"
#include "language_fonts.hpp"
#include "seba/error.hpp"
#include "seba/utf8.hpp"
#include "shell.hpp"

namespace seba::kiosk {

namespace {

// Frames drawn after each input event: ImGui needs a couple to settle hover/active states.
constexpr int kFramesAfterEvent = 3;
// The one window; GLFW callbacks are plain functions. Atomic: wake() reads it from other
// threads, which may outlive the window.
std::atomic<Window*> g_window = nullptr;

}  // namespace

Window::Window(const WindowOptions& options, ui::UiState& state) : state_(state) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY"))
        throw Error("no display: run on the kiosk's screen, under xvfb-run, or with --headless");
    if (!glfwInit()) throw Error("cannot start GLFW: is the X server running and reachable?");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, kGlVersionMajor);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, kGlVersionMinor);
    // The kit draws flat 2D quads: no depth or stencil buffer (a screen-sized one each).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWmonitor* monitor = options.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    window_ = glfwCreateWindow(options.width, options.height, "Seba", monitor, nullptr);
    if (!window_) {
        glfwTerminate();
        throw Error(
            "cannot open a window with OpenGL 3.0; install the Debian package "
            "libgl1-mesa-dri for software rendering");
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);
    g_window = this;

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini beside the kiosk
    io.LogFilename = nullptr;
    // Nothing a citizen typed may reach the system clipboard.
    io.SetClipboardTextFn = [](void*, const char*) {};
    io.GetClipboardTextFn = [](void*) -> const char* { return ""; };
    ImGui_ImplGlfw_InitForOpenGL(window_, /*install_callbacks=*/false);
    ImGui_ImplOpenGL3_Init("#version 130");
    glfwSetMouseButtonCallback(window_, on_mouse);
    glfwSetCursorPosCallback(window_, [](GLFWwindow*, double, double) {
        g_window.load()->frames_wanted_ = kFramesAfterEvent;
    });
    glfwSetKeyCallback(window_, on_key);
    glfwSetCharCallback(window_, on_char);
    glfwSetScrollCallback(window_, ImGui_ImplGlfw_ScrollCallback);
    // Uncovered or resized: the screen lost what was drawn, equal frame or not.
    glfwSetWindowRefreshCallback(window_, [](GLFWwindow*) {
        g_window.load()->exposed_ = true;
        g_window.load()->frames_wanted_ = std::max(g_window.load()->frames_wanted_, 1);
    });

    int fb_width = options.width, fb_height = options.height;
    glfwGetFramebufferSize(window_, &fb_width, &fb_height);
    scale_ = ImGuiUi::scale_for(fb_width, fb_height);
    load_fonts();
    apply_theme(false, scale_);
}

Window::~Window() {
    wipe_imgui_text();
    text_.reset();    // its GL texture goes while the context lives
    images_.reset();  // so do the pictures'
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
    g_window = nullptr;
}

void Window::load_fonts() {
    load_imgui_font(scale_);
    load_text_fonts();
}

void Window::reload_fonts() {
    fonts_stale_ = true;  // taken at the next frame: this one may be drawing with them
    wake();
}

void Window::load_text_fonts() {
    fonts_stale_ = false;
    // Only the languages whose fonts are here: a pack's language this kiosk cannot show is
    // refused where it is offered (seba-kiosk's start, the fleet), and costs nothing else.
    std::vector<ui::Language> drawable;
    for (const ui::Language& language : ui::languages().all())
        if (text::FontSet::missing_fonts(font_choices({language})).empty())
            drawable.push_back(language);
    text_.reset();  // its GL texture first, while the context lives
    text_ = std::make_unique<TextRenderer>(font_choices(drawable));
}

void Window::frame(const std::function<void(ui::Ui&)>& draw) {
    prepare(draw);
    render();
}

void Window::prepare(const std::function<void(ui::Ui&)>& draw) {
    if (fonts_stale_) load_text_fonts();
    if (state_.high_contrast != high_contrast_applied_) {
        apply_theme(state_.high_contrast, scale_);
        high_contrast_applied_ = state_.high_contrast;
    }
    // The glyph atlas grew, or ran full and started over, while the frame was built: glyphs
    // placed before that point at old places, so it is built once more before it is drawn.
    for (int pass = 0; pass < 2; ++pass) {
        build(draw);
        if (!text_->take_redraw()) break;
    }
}

void Window::render() {
    int width = 0, height = 0;
    glfwGetFramebufferSize(window_, &width, &height);
    glViewport(0, 0, width, height);
    ImVec4 clear = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(clear.x, clear.y, clear.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frames_drawn_;
}

std::uint64_t Window::frame_hash() {
    // Everything the GPU is given: vertices, indices, and per draw command its clip, texture
    // and range. Equal hashes draw equal pixels (the textures' contents aside: the glyph
    // atlas only gains glyphs, and a glyph newly drawn changes the vertices too).
    std::uint64_t hash = 14695981039346656037ull;
    auto mix = [&](const void* data, std::size_t size) {
        hash ^=
            std::hash<std::string_view>{}(std::string_view(static_cast<const char*>(data), size));
        hash *= 1099511628211ull;
    };
    const ImDrawData* data = ImGui::GetDrawData();
    for (int i = 0; data && i < data->CmdListsCount; ++i) {
        const ImDrawList* list = data->CmdLists[i];
        mix(list->VtxBuffer.Data, static_cast<std::size_t>(list->VtxBuffer.size_in_bytes()));
        mix(list->IdxBuffer.Data, static_cast<std::size_t>(list->IdxBuffer.size_in_bytes()));
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            const auto fields = std::array{cmd.ClipRect.x,
                                           cmd.ClipRect.y,
                                           cmd.ClipRect.z,
                                           cmd.ClipRect.w,
                                           static_cast<float>(cmd.ElemCount),
                                           static_cast<float>(cmd.IdxOffset)};
            mix(fields.data(), sizeof fields);
            mix(&cmd.TextureId, sizeof cmd.TextureId);
        }
    }
    return hash;
}

void Window::build(const std::function<void(ui::Ui&)>& draw) {
    ImGui_ImplOpenGL3_NewFrame();
    // The backend has its font texture now: the atlas's pixels in memory are not needed.
    if (frames_drawn_ == 0) ImGui::GetIO().Fonts->ClearTexData();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::Begin("##seba", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (state_.sessions_wiped() != sessions_seen_) {
        text_->forget();  // the shapes of the last citizen's screens
        sessions_seen_ = state_.sessions_wiped();
    }
    {
        state_.begin_frame();
        ui_memory_.images = images_.get();
        images_->trim(++ui_memory_.frame);
        ImGuiUi ui(state_, *text_, scale_, ui_memory_);
        draw(ui);
        ui.recover();
    }
    ImGui::End();
    text_->upload();
    ImGui::Render();
}

void Window::present() {
    glfwSwapBuffers(window_);
}

void Window::screenshot(const std::filesystem::path& png) {
    int width = 0, height = 0;
    glfwGetFramebufferSize(window_, &width, &height);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // GL's rows run bottom-up; PNG's top-down.
    stbi_flip_vertically_on_write(1);
    if (!stbi_write_png(png.c_str(), width, height, 4, pixels.data(), width * 4))
        throw Error(fmt::format("{}: cannot write the screenshot", png.string()));
}

void Window::run(Shell& shell, double seconds) {
    shell_ = &shell;
    auto end = Shell::Clock::now() + std::chrono::duration_cast<Shell::Clock::duration>(
                                         std::chrono::duration<double>(seconds));
    while (!glfwWindowShouldClose(window_) && (seconds < 0 || Shell::Clock::now() < end)) {
        auto now = Shell::Clock::now();
        if (frames_wanted_ > 0) {
            glfwPollEvents();
        } else {
            double wait = shell.seconds_until_change(now);
            if (heartbeat_every_s_ > 0) wait = std::min(wait, heartbeat_every_s_);
            if (seconds >= 0)
                wait = std::min(wait, std::chrono::duration<double>(end - now).count());
            glfwWaitEventsTimeout(std::max(wait, 0.0));
            if (frames_wanted_ == 0) frames_wanted_ = 1;  // the clock or countdown moved
        }
        now = Shell::Clock::now();
        prepare([&](ui::Ui& ui) { shell.frame(ui, now); });
        // A frame equal to the one on screen is not drawn again: on llvmpipe each costs
        // about 10 ms of CPU, and most wake-ups (a sync pass, the clock's minute, a touch on
        // nothing) change nothing that shows.
        std::uint64_t hash = frame_hash();
        if (hash != shown_hash_ || exposed_) {
            render();
            glfwSwapBuffers(window_);
            shown_hash_ = hash;
            exposed_ = false;
            if (on_first_frame_) {
                glFinish();  // on screen, not queued
                std::exchange(on_first_frame_, nullptr)();
            }
        }
        --frames_wanted_;
        if (state_.take_redraw()) frames_wanted_ = std::max(frames_wanted_, 1);
        if (heartbeat_) heartbeat_();
    }
    shell_ = nullptr;
}

void Window::set_heartbeat(std::function<void()> beat, std::chrono::duration<double> every) {
    heartbeat_ = std::move(beat);
    heartbeat_every_s_ = every.count();
}

void Window::wake() {
    glfwPostEmptyEvent();
}

void Window::on_mouse(GLFWwindow* w, int button, int action, int mods) {
    ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
    g_window.load()->frames_wanted_ = kFramesAfterEvent;
    if (g_window.load()->shell_ && action == GLFW_PRESS)
        g_window.load()->shell_->touched(Shell::Clock::now());
}

void Window::on_key(GLFWwindow* w, int key, int scancode, int action, int mods) {
    ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
    g_window.load()->frames_wanted_ = kFramesAfterEvent;
    if (action == GLFW_RELEASE) return;
    if (g_window.load()->shell_) g_window.load()->shell_->touched(Shell::Clock::now());
    // A physical keyboard types through the kit, like the on-screen one.
    if (key == GLFW_KEY_BACKSPACE) g_window.load()->state_.backspace();
    if (key == GLFW_KEY_LEFT) g_window.load()->state_.move_cursor(-1);
    if (key == GLFW_KEY_RIGHT) g_window.load()->state_.move_cursor(1);
    if (key == GLFW_KEY_HOME) g_window.load()->state_.cursor_to_start();
    if (key == GLFW_KEY_END) g_window.load()->state_.cursor_to_end();
    if (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) g_window.load()->state_.blur();
}

void Window::on_char(GLFWwindow*, unsigned int codepoint) {
    g_window.load()->frames_wanted_ = kFramesAfterEvent;
    if (g_window.load()->shell_) g_window.load()->shell_->touched(Shell::Clock::now());
    std::string text = utf8::encode(codepoint);
    g_window.load()->state_.insert(text);
    sodium_memzero(text.data(), text.size());  // a typed character, left in no freed memory
}

}  // namespace seba::kiosk
