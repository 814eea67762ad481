// SPDX-License-Identifier: Apache-2.0
// The outside first-paint timer of the start-up benchmark, and the process tree's cost after
// it. Launches a program (fork/exec in a session of its own, the launch time noted), watches
// the X screen until the program's window shows and holds still, then measures the whole
// process tree: PSS and RSS at --memory-at-s after launch, CPU over the --idle-cpu-s that
// follow. Then it stops the tree and prints what it measured, one "key<TAB>value" a line.
//
// "Shows": the screen is sampled (ScreenWatch: a few rows, read whenever the X server says
// something was drawn) before the launch and after it, and every distinct picture is kept
// with its time until the screen has held still for --settle-ms, and at least until the
// memory is measured. first_change is the first picture that differs from the empty screen.
// paint is the first picture from which on every picture is the final one, but for at most
// --same-below of the sampled pixels (a clock's minute, a status word): a window mapped
// blank, or cleared before its content is drawn, does not count. The same rule for every
// program. Times are launch -> when the screen was read after the X server's damage event.
// inside: --first-frame-file, when the program wrote one (Unix ns, as seba-kiosk and
// startup_floor do), minus the launch time.
//
// Run: first_paint [options] -- PROGRAM [ARGS...]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "process_tree.hpp"
#include "screen_watch.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using seba::bench::ScreenWatch;

struct Options {
    double settle_ms = 500;
    double timeout_s = 60;
    double memory_at_s = 5;
    double idle_cpu_s = 30;
    int rows = 40;
    double same_below = 0.01;  // share of sampled pixels that may differ in "the same" picture
    std::string first_frame_file;
    std::vector<char*> command;
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: first_paint [--settle-ms 500] [--timeout-s 60] "
                 "[--rows 40] [--same-below 0.01] [--memory-at-s 5] [--idle-cpu-s 30] "
                 "[--first-frame-file F] "
                 "-- PROGRAM [ARGS...]\n");
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    int i = 1;
    for (; i < argc && std::strcmp(argv[i], "--") != 0; i += 2) {
        if (i + 1 >= argc) usage();
        const std::string key = argv[i];
        const char* value = argv[i + 1];
        if (key == "--settle-ms")
            o.settle_ms = std::atof(value);
        else if (key == "--timeout-s")
            o.timeout_s = std::atof(value);
        else if (key == "--memory-at-s")
            o.memory_at_s = std::atof(value);
        else if (key == "--idle-cpu-s")
            o.idle_cpu_s = std::atof(value);
        else if (key == "--rows")
            o.rows = std::atoi(value);
        else if (key == "--same-below")
            o.same_below = std::atof(value);
        else if (key == "--first-frame-file")
            o.first_frame_file = value;
        else
            usage();
    }
    for (++i; i < argc; ++i) o.command.push_back(argv[i]);
    if (o.command.empty()) usage();
    o.command.push_back(nullptr);
    return o;
}

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

std::int64_t unix_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The distinct pictures the screen showed after the launch, in order, until it held still.
struct Paint {
    double first_change_ms = -1;
    double paint_ms = -1;
    int pictures = 0;
};

Paint watch(ScreenWatch& screen, const seba::bench::Picture& empty, Clock::time_point launched,
            pid_t child, const Options& o) {
    struct Seen {
        double ms;
        seba::bench::Picture picture;
    };
    std::vector<Seen> seen;
    Clock::time_point last_change = launched;
    const Clock::time_point memory_at =
        launched +
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.memory_at_s));
    while (true) {
        const double to_memory = std::max(0.0, ms_between(Clock::now(), memory_at));
        const bool drawn = screen.wait_for_drawing(std::clamp(to_memory, 1.0, 100.0));
        const Clock::time_point now = Clock::now();
        if (drawn) {
            seba::bench::Picture picture = screen.sample();
            if (picture != (seen.empty() ? empty : seen.back().picture)) {
                seen.push_back({ms_between(launched, now), std::move(picture)});
                last_change = now;
            }
        }
        if (!seen.empty() && ms_between(last_change, now) >= o.settle_ms && now >= memory_at) break;
        if (ms_between(launched, now) > o.timeout_s * 1000)
            throw std::runtime_error("nothing held still on screen before the timeout");
        int status = 0;
        if (::waitpid(child, &status, WNOHANG) == child)
            throw std::runtime_error("the program ended before it showed a window");
    }
    // Shown: the first picture from which on the screen stays the picture it settled on, but
    // for a few pixels (the clock's minute, a status word).
    Paint p;
    p.first_change_ms = seen.front().ms;
    p.pictures = static_cast<int>(seen.size());
    p.paint_ms = seen.back().ms;
    for (std::size_t i = seen.size(); i-- > 0;) {
        if (seba::bench::difference(seen[i].picture, seen.back().picture) > o.same_below) break;
        p.paint_ms = seen[i].ms;
    }
    return p;
}

// SIGTERM to every process of the tree, then SIGKILL to what is left after 5 s.
void stop_tree(pid_t leader) {
    for (pid_t pid : seba::bench::process_tree(leader)) ::kill(pid, SIGTERM);
    const Clock::time_point give_up = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < give_up) {
        ::waitpid(leader, nullptr, WNOHANG);
        if (seba::bench::process_tree(leader).empty()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (pid_t pid : seba::bench::process_tree(leader)) ::kill(pid, SIGKILL);
    ::waitpid(leader, nullptr, 0);
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    try {
        ScreenWatch screen("", o.rows);
        const seba::bench::Picture empty = screen.sample();
        if (!o.first_frame_file.empty()) std::remove(o.first_frame_file.c_str());

        const std::int64_t launch_ns = unix_ns();
        const Clock::time_point launched = Clock::now();
        const pid_t child = ::fork();
        if (child < 0) throw std::runtime_error("fork failed");
        if (child == 0) {
            ::setsid();  // the tree is this session: helpers that re-parent still count
            ::execvp(o.command[0], o.command.data());
            std::fprintf(stderr, "first_paint: cannot run %s: %s\n", o.command[0],
                         std::strerror(errno));
            std::_Exit(127);
        }
        Paint paint;
        try {
            paint = watch(screen, empty, launched, child, o);
        } catch (...) {
            stop_tree(child);
            throw;
        }

        auto at = [&](double s) {
            return launched +
                   std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
        };
        const seba::bench::TreeMemory memory = seba::bench::tree_memory(child);
        const seba::bench::CpuSample before = seba::bench::cpu_sample(child);
        const Clock::time_point cpu_from = Clock::now();
        std::this_thread::sleep_until(at(o.memory_at_s + o.idle_cpu_s));
        const seba::bench::CpuSample after = seba::bench::cpu_sample(child);
        const double cpu_s = std::chrono::duration<double>(Clock::now() - cpu_from).count();
        const double idle_cpu_pct =
            100.0 * static_cast<double>(seba::bench::cpu_ns_between(before, after)) / 1e9 / cpu_s;
        int status = 0;
        const bool ended_early = ::waitpid(child, &status, WNOHANG) == child;
        stop_tree(child);
        if (ended_early) throw std::runtime_error("the program ended while it was measured");

        double inside_ms = -1;
        if (!o.first_frame_file.empty()) {
            std::ifstream in(o.first_frame_file);
            std::int64_t frame_ns = 0;
            if (in >> frame_ns) inside_ms = static_cast<double>(frame_ns - launch_ns) / 1e6;
        }
        std::printf("launch_ns\t%lld\n", static_cast<long long>(launch_ns));
        std::printf("first_change_ms\t%.1f\n", paint.first_change_ms);
        std::printf("paint_ms\t%.1f\n", paint.paint_ms);
        std::printf("pictures\t%d\n", paint.pictures);
        std::printf("inside_ms\t%.1f\n", inside_ms);
        std::printf("pss_kib\t%lld\n", static_cast<long long>(memory.pss_kib));
        std::printf("rss_kib\t%lld\n", static_cast<long long>(memory.rss_kib));
        std::printf("anon_kib\t%lld\n", static_cast<long long>(memory.anon_kib));
        std::printf("processes\t%d\n", memory.processes);
        std::printf("idle_cpu_pct\t%.3f\n", idle_cpu_pct);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "first_paint: %s\n", e.what());
        return 1;
    }
}
