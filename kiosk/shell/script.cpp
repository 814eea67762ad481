// SPDX-License-Identifier: Apache-2.0
#include "script.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sodium.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include "process_memory.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/keyboard.hpp"
#include "seba/utf8.hpp"

namespace seba::kiosk {

namespace {

// The key that shows `label`, or its digit in the citizen's script (২ for 2 in Bangla).
const ui::Node* find_key(const ui::UiState& state, std::string_view label) {
    std::string shown = ui::key_label(ui::localize_digits(label, state.language));
    for (const ui::Node& n : state.tree())
        if (n.role == ui::Role::Key && (n.label == label || n.label == shown)) return &n;
    return nullptr;
}

}  // namespace

nlohmann::json load_script(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw ScriptError(fmt::format("{}: cannot read the script", file.string()));
    try {
        nlohmann::json steps = nlohmann::json::parse(in);
        if (!steps.is_array()) throw ScriptError(file.string() + ": a script is a JSON array");
        return steps;
    } catch (const nlohmann::json::parse_error& e) {
        throw ScriptError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
    }
}

ScriptRunner::ScriptRunner(Shell& shell, ui::UiState& state, DrawFrame draw, Screenshot screenshot,
                           std::filesystem::path out_dir)
    : shell_(shell),
      state_(state),
      draw_(std::move(draw)),
      screenshot_(std::move(screenshot)),
      out_dir_(std::move(out_dir)),
      now_(Clock::now()) {
}

void ScriptRunner::run(const nlohmann::json& steps) {
    if (!out_dir_.empty() && out_dir_ != "-") std::filesystem::create_directories(out_dir_);
    frame();
    for (std::size_t i = 0; i < steps.size(); ++i) step(steps[i], i + 1);
}

void ScriptRunner::frame() {
    draw_(now_);
    for (int more = 0; more < 3 && state_.take_redraw(); ++more) draw_(now_);
}

void ScriptRunner::tap(const std::string& id, const std::string& where) {
    // Two tries: a widget may appear only once the previous tap's frame settled.
    for (int attempt = 0; attempt < 2; ++attempt) {
        state_.tap(id);
        frame();
        if (state_.pending_tap().empty()) {
            shell_.touched(now_);
            frame();  // show the result of the tap
            return;
        }
    }
    state_.tap("");
    const ui::Node* node = state_.node(id);
    if (node && !node->enabled)
        throw ScriptError(fmt::format("{}: \"{}\" is on screen but disabled", where, id));
    throw ScriptError(fmt::format("{}: no widget with id \"{}\" on screen; ids on screen: {}",
                                  where, id, fmt::join(state_.ids(), ", ")));
}

void ScriptRunner::keys(const std::string& text, const std::string& where) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t end = utf8::next_boundary(text, i);
        std::string character = text.substr(i, end - i);
        i = end;
        if (character == " ") {
            tap("osk.space", where);
            continue;
        }
        const ui::Node* key = find_key(state_, character);
        if (!key && state_.node("osk.shift")) {  // a capital: shift first
            tap("osk.shift", where);
            key = find_key(state_, character);
        }
        if (!key) {
            std::vector<std::string> labels;
            for (const ui::Node& node : state_.tree())
                if (node.role == ui::Role::Key) labels.push_back(node.label);
            throw ScriptError(fmt::format("{}: no on-screen key types \"{}\"; keys on screen: {}",
                                          where, character, fmt::join(labels, " ")));
        }
        tap(key->id, where);
    }
}

void ScriptRunner::step(const nlohmann::json& s, std::size_t number) {
    std::string where = fmt::format("step {} ({})", number, s.dump());
    if (!s.is_object() || s.size() != 1)
        throw ScriptError(where + ": each step is an object with one key");
    const std::string verb = s.begin().key();
    const nlohmann::json& arg = s.begin().value();
    auto text = [&]() -> std::string {
        if (!arg.is_string()) throw ScriptError(where + ": expects a string");
        return arg.get<std::string>();
    };
    auto write_tree = [&](const std::string& name) {
        if (out_dir_ == "-") {
            // One line each, for a reader that has no files: a kiosk that cannot write any.
            std::printf("tree %s: %s\n", name.c_str(), state_.tree_json().dump().c_str());
            std::fflush(stdout);
            return;
        }
        std::ofstream out(out_dir_ / (name + ".json"));
        out << state_.tree_json().dump(2) << "\n";
        if (!out) throw ScriptError(fmt::format("{}: cannot write {}", where, name + ".json"));
    };

    if (verb == "tap") {
        tap(text(), where);
    } else if (verb == "keys") {
        keys(text(), where);
    } else if (verb == "type") {
        shell_.touched(now_);
        if (!state_.insert(text()))
            throw ScriptError(where + ": no field has focus; tap a field first");
        frame();
    } else if (verb == "type_file") {
        std::ifstream in(text(), std::ios::binary);
        std::string typed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in && !in.eof()) throw ScriptError(where + ": cannot read the file");
        shell_.touched(now_);
        bool focused = state_.insert(typed);
        sodium_memzero(typed.data(), typed.size());
        if (!focused) throw ScriptError(where + ": no field has focus; tap a field first");
        frame();
    } else if (verb == "wait_s") {
        if (!arg.is_number() || arg.get<double>() < 0)
            throw ScriptError(where + ": expects a number of seconds");
        double left = arg.get<double>();
        while (left > 0) {
            double dt = std::min(left, 1.0);
            now_ += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(dt));
            left -= dt;
            frame();
        }
    } else if (verb == "wait_sync_s") {
        if (!arg.is_number() || arg.get<double>() < 0)
            throw ScriptError(where + ": expects a number of seconds");
        if (!shell_.sync_status)
            throw ScriptError(where + ": this kiosk has no server to sync with");
        auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(arg.get<double>()));
        // A pass that finished after this step began, with nothing left to send.
        const std::string before = shell_.sync_status().last_sync;
        if (shell_.sync_now) shell_.sync_now();
        for (SyncStatus sync = shell_.sync_status();
             sync.last_sync == before || sync.pending > 0 || !sync.pulling.empty();
             sync = shell_.sync_status()) {
            if (std::chrono::steady_clock::now() > deadline)
                throw ScriptError(fmt::format(
                    "{}: the background sync did not finish; {} event(s) waiting{}", where,
                    sync.pending, sync.last_error.empty() ? "" : ": " + sync.last_error));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            frame();
        }
    } else if (verb == "pause") {
        std::printf("paused: %s\n", text().c_str());
        std::fflush(stdout);
        std::raise(SIGSTOP);
    } else if (verb == "language") {
        // The picker opens under the header's language button.
        if (!state_.node("shell.lang." + text())) tap("shell.language", where);
        tap("shell.lang." + text(), where);
    } else if (verb == "expect" || verb == "absent") {
        std::string id = arg.is_object() ? arg.value("id", "") : text();
        const ui::Node* node = state_.node(id);
        if (verb == "absent") {
            if (node) throw ScriptError(fmt::format("{}: \"{}\" is on screen", where, id));
            return;
        }
        if (!node)
            throw ScriptError(fmt::format("{}: \"{}\" is not on screen; ids on screen: {}", where,
                                          id, fmt::join(state_.ids(), ", ")));
        if (arg.is_object()) {
            for (const char* field : {"label", "value"}) {
                if (!arg.contains(field)) continue;
                const std::string& actual =
                    std::string(field) == "label" ? node->label : node->value;
                if (actual != arg[field].get<std::string>())
                    throw ScriptError(
                        fmt::format("{}: \"{}\" has {} \"{}\"", where, id, field, actual));
            }
        }
    } else if (verb == "expect_screen") {
        if (shell_.screen() != text())
            throw ScriptError(fmt::format("{}: the screen is \"{}\"", where, shell_.screen()));
    } else if (verb == "screenshot") {
        if (screenshot_ && out_dir_ == "-")
            throw ScriptError(where + ": a screenshot needs a folder (--out DIR), not -");
        write_tree(text());
        if (screenshot_) screenshot_(out_dir_ / (text() + ".png"));
    } else if (verb == "dump") {
        write_tree(text());
    } else if (verb == "memory") {
        // One line per sample in memory.tsv: a soak's curve, read by bench/ and tests.
        std::optional<ProcessMemory> memory = process_memory();
        if (!memory) throw ScriptError(where + ": cannot read /proc/self/smaps_rollup");
        if (out_dir_ == "-") {
            std::printf("memory %s: %llu %llu\n", text().c_str(),
                        static_cast<unsigned long long>(memory->rss_kib),
                        static_cast<unsigned long long>(memory->pss_kib));
            std::fflush(stdout);
            return;
        }
        std::ofstream out(out_dir_ / "memory.tsv", std::ios::app);
        out << text() << '\t' << memory->rss_kib << '\t' << memory->pss_kib << '\n';
        if (!out) throw ScriptError(where + ": cannot write memory.tsv");
    } else {
        throw ScriptError(
            fmt::format("{}: unknown step \"{}\" (known: tap, keys, type, wait_s, "
                        "type_file, language, expect, expect_screen, absent, screenshot, dump, "
                        "memory, wait_sync_s, pause)",
                        where, verb));
    }
}

}  // namespace seba::kiosk
