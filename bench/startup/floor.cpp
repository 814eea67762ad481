// SPDX-License-Identifier: Apache-2.0
// The floor of the start-up benchmark: what any GLFW + OpenGL program pays before it can
// show anything. A bare window with the context seba-kiosk asks for (kiosk/shell/window.cpp:
// GL 3.0, no depth or stencil buffer, swap interval 1), cleared to the kiosk's background
// colour and swapped once, then idle in glfwWaitEvents as the kiosk idles.
// Run: startup_floor [--width W] [--height H] [--first-frame-file F]
//   F gets the Unix time in ns (CLOCK_REALTIME) when the frame was swapped and finished,
//   as seba-kiosk --first-frame-file writes it.
#include <GLFW/glfw3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// ImGuiCol_WindowBg of the kiosk's light theme (kiosk/shell/imgui_ui.cpp).
constexpr float kBackground[3] = {0.97f, 0.97f, 0.95f};

bool write_now_ns(const std::string& file) {
    const long long ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    std::FILE* out = std::fopen(file.c_str(), "w");
    if (!out) return false;
    std::fprintf(out, "%lld\n", ns);
    return std::fclose(out) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    int width = 1920, height = 1080;
    std::string first_frame_file;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--width")) {
            width = std::atoi(argv[i + 1]);
        } else if (!std::strcmp(argv[i], "--height")) {
            height = std::atoi(argv[i + 1]);
        } else if (!std::strcmp(argv[i], "--first-frame-file")) {
            first_frame_file = argv[i + 1];
        } else {
            std::fprintf(stderr, "startup_floor: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!glfwInit()) {
        std::fprintf(stderr, "startup_floor: cannot start GLFW (no display?)\n");
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* window = glfwCreateWindow(width, height, "Seba floor", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "startup_floor: cannot open a window with OpenGL 3.0\n");
        glfwTerminate();
        return 2;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    int fb_width = 0, fb_height = 0;
    glfwGetFramebufferSize(window, &fb_width, &fb_height);
    glViewport(0, 0, fb_width, fb_height);
    glClearColor(kBackground[0], kBackground[1], kBackground[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glfwSwapBuffers(window);
    glFinish();  // on screen, not queued: the moment the kiosk reports too
    if (!first_frame_file.empty() && !write_now_ns(first_frame_file)) {
        std::fprintf(stderr, "startup_floor: cannot write %s\n", first_frame_file.c_str());
        return 2;
    }
    // A window that is uncovered is drawn again, as the kiosk's loop would.
    while (!glfwWindowShouldClose(window)) {
        glfwWaitEvents();
        glClear(GL_COLOR_BUFFER_BIT);
        glfwSwapBuffers(window);
    }
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
