// SPDX-License-Identifier: Apache-2.0
// Shaped text against ImGui's own, in a real window (run under xvfb-run where there is no
// screen): a screen of 200 mixed Bangla/Latin labels drawn through the kit (HarfBuzz runs,
// glyph atlas, cached shapes), against the same 200 strings drawn with ImGui's plain
// unshaped text (one glyph per code point) in the same window and run. Also: the first draw
// of 200 strings never seen before (shaping and rasterizing on the spot).
// Run: make bench  (or xvfb-run -a build/bin/text_bench)
#include <GL/gl.h>
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "seba/ui/ui_state.hpp"
#include "window.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <typename Work>
double seconds_per_call(int calls, Work&& work) {
    auto start = Clock::now();
    for (int i = 0; i < calls; ++i) work();
    return std::chrono::duration<double>(Clock::now() - start).count() / calls;
}

// "নাম (Name)" for every union in the geocode: Bangla with its Latin transliteration.
std::vector<std::string> union_labels() {
    std::ifstream in(std::string(SEBA_DATA_DIR) + "/bd-geocode/unions.csv");
    std::vector<std::string> labels;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> f(1);
        bool quoted = false;
        for (char c : line) {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                f.emplace_back();
            else
                f.back() += c;
        }
        if (f.size() > 3) labels.push_back(f[3] + " (" + f[2] + ")");
    }
    return labels;
}

}  // namespace

int main() {
    try {
        std::vector<std::string> labels = union_labels();
        if (labels.size() < 4000) throw std::runtime_error("the union names did not load");
        seba::ui::UiState state;
        state.language = "bn";
        seba::kiosk::Window window({1920, 1080, false}, state);
        constexpr std::size_t kLabels = 200;
        std::size_t first = 0;  // which 200 labels this frame shows
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < kLabels; ++i) ids.push_back("bench.l" + std::to_string(i));
        // Time inside the draw calls alone (layout, shaping, vertices), beside whole frames
        // (which include llvmpipe rasterizing the 1920x1080 window).
        double inside_s = 0;
        auto timed = [&](auto&& draw) {
            auto start = Clock::now();
            draw();
            inside_s += std::chrono::duration<double>(Clock::now() - start).count();
        };

        auto shaped = [&] {
            window.frame([&](seba::ui::Ui& ui) {
                timed([&] {
                    ui.begin_row("bench.row");
                    for (std::size_t i = 0; i < kLabels; ++i)
                        ui.paragraph(ids[i], labels[first + i]);
                    ui.end_row();
                });
            });
            glFinish();
        };
        auto plain = [&] {
            window.frame([&](seba::ui::Ui&) {
                timed([&] {
                    for (std::size_t i = 0; i < kLabels; ++i) {
                        if (i % 8) ImGui::SameLine();
                        ImGui::TextUnformatted(labels[first + i].c_str());
                    }
                });
            });
            glFinish();
        };
        const int frames = 200;
        shaped();
        plain();  // warm both
        auto measure = [&](auto&& draw, double& inside) {
            inside_s = 0;
            double frame = seconds_per_call(frames, draw);
            inside = inside_s / frames;
            return frame;
        };
        double plain_in = 0, shaped_in = 0, plain_again_in = 0;
        double plain_s = measure(plain, plain_in);
        double shaped_s = measure(shaped, shaped_in);
        double plain_again_s = measure(plain, plain_again_in);
        double baseline = std::min(plain_s, plain_again_s);
        double baseline_in = std::min(plain_in, plain_again_in);
        std::printf("%-52s %10s %18s\n", "", "frame", "drawing the labels");
        std::printf("%-52s %7.3f ms %10.3f ms\n",
                    "200 labels, ImGui plain unshaped text (baseline)", baseline * 1e3,
                    baseline_in * 1e3);
        std::printf("%-52s %7.3f ms %10.3f ms   %.2fx / %.2fx the baseline\n",
                    "200 labels, shaped (warm cache)", shaped_s * 1e3, shaped_in * 1e3,
                    shaped_s / baseline, shaped_in / baseline_in);
        // New strings every frame: each is shaped, wrapped and its new glyphs rasterized.
        int cold_frames = static_cast<int>(labels.size() / kLabels) - 1;
        inside_s = 0;
        double cold_s = seconds_per_call(cold_frames, [&] {
            first += kLabels;
            shaped();
        });
        double cold_in = inside_s / cold_frames;
        std::printf("%-52s %7.3f ms %10.3f ms   %.2fx / %.2fx the baseline (informative)\n",
                    "200 labels never drawn before (first draw)", cold_s * 1e3, cold_in * 1e3,
                    cold_s / baseline, cold_in / baseline_in);
        double worst = std::max(shaped_s / baseline, shaped_in / baseline_in);
        std::printf(
            "\nshaped, warm: %.2fx the plain text, frame or drawing alone, whichever is "
            "worse (target: at most 2x): %s\n",
            worst, worst <= 2.0 ? "met" : "NOT MET");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "text_bench: %s\n", e.what());
        return 2;
    }
}
