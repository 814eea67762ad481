// SPDX-License-Identifier: Apache-2.0
// The kiosk's own costs, in a real window (run under xvfb-run where there is no screen):
//  - one frame of the home screen, against an empty ImGui frame in the same window;
//  - CPU used while the home screen sits idle, against a loop that redraws every frame
//    (ImGui's default), both measured in this process over the same time.
// Run: make bench  (or xvfb-run -a build/bin/kiosk_bench --config build/demo/seba.toml)
#include <GLFW/glfw3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>

#include "seba/config.hpp"
#include "seba/host.hpp"
#include "seba/logging.hpp"
#include "shell.hpp"
#include "window.hpp"
#include "wiping_free.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

template <typename Work>
double seconds_per_call(int calls, Work&& work) {
    auto start = Clock::now();
    for (int i = 0; i < calls; ++i) work();
    return std::chrono::duration<double>(Clock::now() - start).count() / calls;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path =
        argc > 2 && std::string(argv[1]) == "--config" ? argv[2] : "build/demo/seba.toml";
    try {
        seba::Config config = seba::load_config(config_path);
        seba::logging::init(config.log_dir(), "warn", false);
        seba::Host host(config);
        host.start();
        seba::ui::UiState state;
        seba::kiosk::Shell shell(
            host, state,
            std::filesystem::path(argv[0]).parent_path() / ".." / "share" / "seba" / "locale",
            Clock::now());
        seba::kiosk::Window window({1920, 1080, false}, state);

        const int frames = 300;
        auto home = [&] {
            window.frame([&](seba::ui::Ui& ui) { shell.frame(ui, Clock::now()); });
            glFinish();
        };
        auto empty = [&] {
            window.frame([](seba::ui::Ui&) {});
            glFinish();
        };
        home();  // warm: fonts, first layouts
        double empty_s = seconds_per_call(frames, empty);
        double home_s = seconds_per_call(frames, home);
        std::printf("frame, empty ImGui window (baseline)   %8.3f ms\n", empty_s * 1e3);
        std::printf("frame, kiosk home screen               %8.3f ms   %.2fx the baseline\n",
                    home_s * 1e3, home_s / empty_s);

        // What zeroing every freed heap block costs (wiping_free.hpp), against the same frames
        // with it off, in this process: a frame of cached labels, and one right after a
        // session ended (every label shaped, wrapped and allocated anew).
        auto fresh = [&] {
            state.wipe();
            home();
        };
        for (bool wipe : {false, true}) {
            seba::kiosk::set_wipe_freed_memory(wipe);
            double cached_s = seconds_per_call(frames, home);
            double fresh_s = seconds_per_call(frames / 3, fresh);
            std::printf("frame, home screen, freed memory %s  %8.3f ms; after a session end %8.3f ms\n",
                        wipe ? "zeroed" : "as is ", cached_s * 1e3, fresh_s * 1e3);
        }
        seba::kiosk::set_wipe_freed_memory(true);

        const double idle_s = 10.0;
        double cpu = cpu_seconds();
        auto start = Clock::now();
        while (std::chrono::duration<double>(Clock::now() - start).count() < idle_s) {
            glfwPollEvents();
            home();  // the naive loop: redraw every frame whether or not anything changed
        }
        double busy = (cpu_seconds() - cpu) / idle_s;
        cpu = cpu_seconds();
        window.run(shell, idle_s);
        double idle = (cpu_seconds() - cpu) / idle_s;
        std::printf("idle home screen, redraw every frame  %7.1f %% CPU (baseline)\n", busy * 100);
        std::printf("idle home screen, seba-kiosk loop     %7.1f %% CPU   %.3fx the baseline\n",
                    idle * 100, idle / busy);
        host.stop();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kiosk_bench: %s\n", e.what());
        return 2;
    }
}
