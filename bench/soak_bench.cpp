// SPDX-License-Identifier: Apache-2.0
// A day of citizens (docs/performance.md, "A day of citizens"): the real seba-kiosk in a real
// window under Xvfb (Mesa's software GL) plays N birth registrations in turn in every
// language, each ended by the idle timeout, sampling its RSS and PSS after each. Prints the
// growth per 100 requests after warm-up and writes the samples to OUT/memory.tsv (plotted by
// bench/soak). Not a test: 1,000 requests take about half an hour at 1080p on two cores.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "citizen_soak.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "virtual_screen.hpp"

namespace {

// Least-squares slope of RSS (or PSS) against the request number, over samples[from..].
double slope_kib_per_request(const std::vector<seba::testing::MemorySample>& samples,
                             std::size_t from, bool pss) {
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = from; i < samples.size(); ++i) {
        double x = static_cast<double>(i);
        double y = static_cast<double>(pss ? samples[i].pss_kib : samples[i].rss_kib);
        n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    double d = n * sxx - sx * sx;
    return d == 0 ? 0 : (n * sxy - sx * sy) / d;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"A day of citizens at the kiosk: memory over N requests"};
    int requests = 1000, width = 1920, height = 1080, warm_up = 50;
    std::string out = "soak", kiosk = SEBA_KIOSK_BIN;
    app.add_option("--requests", requests)->capture_default_str();
    app.add_option("--warm-up", warm_up, "requests before growth is counted")
        ->capture_default_str();
    app.add_option("--width", width)->capture_default_str();
    app.add_option("--height", height)->capture_default_str();
    app.add_option("--out", out, "where memory.tsv and the kiosk's folder go")
        ->capture_default_str();
    app.add_option("--kiosk", kiosk, "the seba-kiosk to run")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    std::filesystem::path dir = std::filesystem::absolute(out);
    std::filesystem::remove_all(dir / "kiosk");
    std::filesystem::create_directories(dir / "kiosk");
    seba::testing::CitizenSoak soak{.requests = requests};
    seba::testing::prepare_soak_kiosk(dir / "kiosk", soak, SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY,
                                      SEBA_DC_SERVICES);
    seba::testing::write_file(dir / "soak.json", seba::testing::citizen_soak_script(soak).dump());
    seba::testing::VirtualScreen screen(SEBA_XVFB, width, height);
    if (screen.display().empty()) {
        std::fprintf(stderr, "soak_bench: Xvfb did not start\n");
        return 1;
    }
    std::printf("soak: %d requests in %zu languages, %dx%d, Xvfb %s\n", requests,
                soak.languages.size(), width, height, screen.display().c_str());
    std::fflush(stdout);
    seba::testing::ProcessResult r = seba::testing::run_process(
        "DISPLAY=" + screen.display() + " " + kiosk + " --config " +
        (dir / "kiosk" / "seba.toml").string() + " --script " + (dir / "soak.json").string() +
        " --out " + dir.string() + " --width " + std::to_string(width) + " --height " +
        std::to_string(height) + " > " + (dir / "kiosk.log").string() + " 2>&1");
    auto samples = seba::testing::read_memory_samples(dir / "memory.tsv");
    if (r.exit_code != 0)
        std::fprintf(stderr, "soak_bench: the kiosk stopped after %zu requests (see %s)\n",
                     samples.empty() ? 0 : samples.size() - 1, (dir / "kiosk.log").c_str());
    auto from = static_cast<std::size_t>(warm_up);
    if (samples.size() <= from + 2) {
        std::fprintf(stderr, "soak_bench: too few samples after warm-up\n");
        return 1;
    }
    const auto& start = samples.front();
    const auto& warm = samples[from];
    const auto& last = samples.back();
    std::printf("| sample | RSS MiB | PSS MiB |\n|---|---|---|\n");
    for (const auto* s : {&start, &warm, &last})
        std::printf("| %s | %.1f | %.1f |\n", s->label.c_str(),
                    static_cast<double>(s->rss_kib) / 1024, static_cast<double>(s->pss_kib) / 1024);
    std::printf(
        "growth after warm-up (%s to %s), per 100 requests: RSS %.2f MiB (least squares), "
        "%.2f MiB (end points); PSS %.2f MiB\n",
        warm.label.c_str(), last.label.c_str(),
        slope_kib_per_request(samples, from, false) * 100 / 1024,
        static_cast<double>(last.rss_kib - warm.rss_kib) / 1024 * 100 /
            static_cast<double>(samples.size() - 1 - from),
        slope_kib_per_request(samples, from, true) * 100 / 1024);
    return r.exit_code == 0 ? 0 : 1;
}
