// SPDX-License-Identifier: Apache-2.0
// seba-kiosk: the kiosk. With a screen it runs until closed; with --script it plays a
// script of steps (on a real window, or --headless with the recorder) and writes
// screenshots and widget trees; `set-pin` sets the operator PIN from standard input.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>
#include <optional>

#include "doctor.hpp"
#include "language_check.hpp"
#include "language_fonts.hpp"
#include "script.hpp"
#include "seba/build_info.hpp"
#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/host.hpp"
#include "seba/logging.hpp"
#include "seba/pin.hpp"
#include "seba/print/render.hpp"
#include "seba/print/service.hpp"
#include "seba/scan/camera.hpp"
#include "seba/speech/speech.hpp"
#include "seba/storage_health.hpp"
#include "seba/sync_client.hpp"
#include "seba/sync_engine.hpp"
#include "seba/ui/languages.hpp"
#include "seba/ui/recorder.hpp"
#include "service_watchdog.hpp"
#include "shell.hpp"
#include "window.hpp"

namespace {

// The shell's catalogs live in share/seba/locale beside bin/.
std::filesystem::path default_locale_dir() {
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return exe.parent_path().parent_path() / "share" / "seba" / "locale";
}

int enroll(const seba::Config& config, const std::string& code) {
    seba::Host host(config);
    seba::SyncClient client(host.database(), seba::sync_options(config));
    const std::string old_device = client.device_id();
    if (client.enrolled() && !client.key_lost()) {
        std::cout << "already enrolled as " << client.device_id() << " for centre "
                  << client.centre() << "\n";
        return 0;
    }
    // Enrolled, but the key is lost: enrolled again, with a new key (docs/operator-guide.md).
    if (!old_device.empty())
        std::cout << "the device key of " << old_device
                  << " is lost; enrolling again with a new key\n";
    client.enroll(code, config.centre);
    host.audit().append(
        "operator", old_device.empty() ? "kiosk.enrolled" : "kiosk.reenrolled", client.device_id(),
        "centre " + client.centre() + (old_device.empty() ? "" : "; replaces " + old_device));
    std::cout << "enrolled as " << client.device_id() << " for centre " << client.centre() << "\n";
    return 0;
}

// One pass: the outbox out, then every channel in, then the fleet's configuration applied
// (which may name more channels: those are pulled too).
int sync_once(const seba::Config& config) {
    seba::Host host(config);
    host.start();
    seba::SyncClient client(host.database(), seba::sync_options(config));
    // A push the server refused does not keep the catalogs from arriving: said, then pulled.
    seba::SyncClient::PushReport report;
    int status = 0;
    try {
        report = client.push_outbox();
        std::cout << fmt::format(
            "sent {} event(s): {} accepted, {} already there, {} refused, {} too large to send\n",
            report.sent, report.accepted, report.duplicates, report.conflicts, report.too_large);
    } catch (const seba::SyncError& e) {
        if (!e.server_answered) throw;
        std::cerr << "seba-kiosk: " << e.what() << "\n";
        status = 2;
    }
    std::vector<std::string> pulled;
    for (bool again = true; again;) {
        again = false;
        for (const std::string& channel : host.channels()) {
            if (std::find(pulled.begin(), pulled.end(), channel) != pulled.end()) continue;
            pulled.push_back(channel);
            seba::SyncClient::PullReport pull = client.pull(channel);
            std::cout << fmt::format("{}: {}\n", channel,
                                     pull.not_modified
                                         ? std::string("up to date")
                                         : fmt::format("{} changed, {} removed, {} bytes",
                                                       pull.upserts, pull.deletes, pull.bytes));
            if (pull.changed() && channel == "fleet" && host.apply_fleet_config()) {
                std::cout << "fleet configuration applied\n";
                again = true;
            }
        }
    }
    host.stop();
    if (status != 0) return status;
    return report.conflicts + report.too_large > 0 ? 4 : 0;
}

int show_outbox(const seba::Config& config) {
    seba::Host host(config);
    seba::Statement q = host.database().prepare(
        "SELECT state, count(*) FROM core__outbox GROUP BY state ORDER BY state");
    int rows = 0;
    while (q.step()) {
        std::cout << q.text(0) << ": " << q.integer(1) << "\n";
        ++rows;
    }
    if (rows == 0) std::cout << "the outbox is empty\n";
    seba::Statement failed = host.database().prepare(
        "SELECT uuid, type, coalesce(last_error, '') FROM core__outbox WHERE state = 'failed' "
        "ORDER BY seq");
    while (failed.step())
        std::cout << "  failed " << failed.text(0) << " " << failed.text(1) << ": "
                  << failed.text(2) << "\n";
    return 0;
}

int set_pin(const seba::Config& config) {
    seba::Host host(config);
    std::string pin;
    if (isatty(STDIN_FILENO)) std::cerr << "New operator PIN (4-12 digits): ";
    std::getline(std::cin, pin);
    seba::OperatorPin(host.database(), host.audit()).set(pin, "operator");
    std::fill(pin.begin(), pin.end(), '\0');
    std::cerr << "operator PIN set\n";
    return 0;
}

// The languages this kiosk knows: Seba's and those a country pack sent earlier. A language of
// the config file the kiosk cannot show (no definition, font or keyboard layout) stops it with
// the reason, naming the package to install; the fleet's are checked as they arrive.
void take_languages(seba::Host& host, const seba::Config& config) {
    std::vector<std::string> problems;
    try {
        if (host.database_readable())
            seba::ui::set_languages(seba::ui::languages_from(host.database(), &problems));
    } catch (const seba::Error& e) {
        problems.push_back(e.what());
    }
    for (const std::string& problem : problems)
        seba::logging::get("kiosk")->error("country pack: {}", problem);
    seba::print::set_font_families(seba::kiosk::print_font_families(seba::ui::languages().all()));
    for (const std::string& tag : config.languages) {
        if (std::string why = seba::kiosk::language_problem(tag); !why.empty())
            throw seba::ConfigError(config.source.string() + ": kiosk.languages: " + why);
    }
    host.set_language_check(seba::kiosk::language_problem);
}

}  // namespace

int main(int argc, char** argv) {
    const auto started = std::chrono::steady_clock::now();
    // Everything this process creates (databases, logs, keys, receipts) is its user's alone.
    ::umask(077);
    // A write past a file size limit (LimitFSIZE=) fails and is reported like a full disk,
    // instead of killing the kiosk.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"Seba kiosk"};
    app.set_version_flag("--version", seba::version_line("seba-kiosk"));
    std::string config_path = "/etc/seba/seba.toml";
    std::string script_path, out_dir = "screens", locale_dir = default_locale_dir().string();
    bool headless = false, fullscreen = false;
    int width = 1920, height = 1080;
    app.add_option("-c,--config", config_path, "kiosk configuration file")->capture_default_str();
    app.add_flag("--headless", headless, "no window: draw with the recorder (needs --script)");
    app.add_option("--script", script_path, "play a script of steps (JSON) and exit");
    app.add_option("--out", out_dir,
                   "where a script writes screenshots and trees (-: trees on standard output)")
        ->capture_default_str();
    app.add_option("--width", width)->capture_default_str();
    app.add_option("--height", height)->capture_default_str();
    app.add_flag("--fullscreen", fullscreen, "take the whole screen");
    std::string first_frame_file;
    app.add_option("--first-frame-file", first_frame_file,
                   "write the time the first frame was on screen (Unix ns) there: benchmarks");
    app.add_option("--locale", locale_dir,
                   "the shell's translations (default: share/seba/locale beside bin/)");
    auto* pin_cmd = app.add_subcommand("set-pin", "set the operator PIN, read from standard input");
    std::string code;
    auto* enroll_cmd =
        app.add_subcommand("enroll", "enroll this kiosk with a code from the server");
    enroll_cmd->add_option("code", code, "the single-use enrollment code")->required();
    auto* sync_cmd =
        app.add_subcommand("sync", "send the outbox to the server and pull the catalogs");
    bool once = false;
    sync_cmd->add_flag("--once", once, "one pass, then exit")->required();
    auto* outbox_cmd = app.add_subcommand("outbox", "show what waits to be sent, and what failed");
    auto* doctor_cmd =
        app.add_subcommand("doctor", "check what the kiosk needs, with the fix for each");
    std::string doctor_lang;
    doctor_cmd->add_option("--lang", doctor_lang, "the report's language (default: the kiosk's)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // The doctor promises exit 2 for bad usage; the other commands keep CLI11's codes.
        int status = app.exit(e);
        return status != 0 && *doctor_cmd ? 2 : status;
    }

    std::optional<seba::Config> loaded;  // for what the errors below say
    try {
        seba::Config config = seba::load_config(config_path);
        loaded = config;
        // Before the logs start: the doctor writes nothing of the kiosk's.
        if (*doctor_cmd) return seba::kiosk::doctor_command(config, doctor_lang, locale_dir);
        seba::logging::init(config.log_dir(), config.log_level, /*to_stderr=*/!headless);
        if (*pin_cmd) return set_pin(config);
        if (*enroll_cmd) return enroll(config, code);
        if (*sync_cmd) return sync_once(config);
        if (*outbox_cmd) return show_outbox(config);
        if (headless && script_path.empty())
            throw seba::Error("--headless needs --script: there is no one to tap the screen");

        // A full disk or a database that cannot be opened does not stop the kiosk: it says
        // why (standard error, the journal, the screens) and takes requests again when it can.
        seba::Host host(config, seba::Host::OnStorageTrouble::Degrade);
        host.set_plugin_check(seba::kiosk::view_contract);
        take_languages(host, config);
        seba::print::install(host);  // the [printer], for the plugins that print
        seba::scan::install(host);   // the [camera], for the plugins that read QR codes
        seba::ui::UiState state;
        using Clock = seba::kiosk::Shell::Clock;
        std::unique_ptr<seba::kiosk::Window> window;
        std::unique_ptr<seba::kiosk::Shell> started_shell;
        {
            // The window opens (GLFW, a GL context, fonts: most of a start on Mesa's
            // llvmpipe) while the plugins are checked, loaded and started and the shell reads
            // its translations beside it; the first frame waits for both.
            auto plugins = std::async(std::launch::async, [&] {
                host.start();
                started_shell =
                    std::make_unique<seba::kiosk::Shell>(host, state, locale_dir, Clock::now());
            });
            if (!headless)
                window = std::make_unique<seba::kiosk::Window>(
                    seba::kiosk::WindowOptions{width, height, fullscreen || config.fullscreen},
                    state);
            plugins.get();
        }
        seba::kiosk::Shell& shell = *started_shell;
        // A country pack's language arrived: the screen and the printer get its fonts.
        shell.on_languages_changed = [&window] {
            seba::print::set_font_families(
                seba::kiosk::print_font_families(seba::ui::languages().all()));
            if (window) window->reload_fonts();
        };
        // With a server configured, sync runs in the background and wakes the window; it
        // waits while the database cannot take writes.
        std::unique_ptr<seba::SyncEngine> sync;
        // Plugins stop asking the engine for files before it goes.
        struct UnhookFetch {
            seba::Host& host;
            ~UnhookFetch() { host.set_fetch_files({}); }
        } unhook_fetch{host};
        if (!config.server_url.empty()) {
            seba::SyncOptions options = seba::sync_options(config);
            options.channels = host.channels();
            sync = std::make_unique<seba::SyncEngine>(
                config.database_path(), options, seba::SyncEngine::Timing{},
                [] { seba::kiosk::Window::wake(); }, static_cast<bool>(host.storage_trouble()));
            shell.sync_status = [&sync] { return sync->status(); };
            shell.sync_now = [&sync] { sync->sync_now(); };
            // A plugin's content file is wanted now (a citizen waits for it).
            host.set_fetch_files([&sync] { sync->sync_now(); });
            shell.set_sync_channels = [&sync](std::vector<std::string> channels) {
                sync->set_channels(std::move(channels));
            };
            shell.on_storage_trouble = [&sync, &host](const seba::StorageTrouble& trouble) {
                // Back from a stand-in, the real database may keep other plugins' channels.
                if (!trouble) sync->set_channels(host.channels());
                sync->set_paused(static_cast<bool>(trouble));
            };
        }

        // Read-aloud: silent until a citizen turns it on. A script run keeps what was said
        // as WAV files beside its screenshots, to show it.
        seba::speech::Speaker::Options speech_options;
        if (!script_path.empty())
            speech_options.wav_dir = std::filesystem::path(out_dir) / "speech";
        seba::speech::Speaker speaker(speech_options);
        shell.speak = [&speaker](const std::string& text, const std::string& language) {
            speaker.say(text, language);
        };

        if (headless) {
            seba::kiosk::ScriptRunner runner(
                shell, state,
                [&](Clock::time_point now) {
                    state.begin_frame();
                    seba::ui::Recorder ui(state);
                    shell.frame(ui, now);
                    ui.recover();
                },
                nullptr, out_dir);
            runner.run(seba::kiosk::load_script(script_path));
            // What the script made the kiosk say is kept whole before the process ends.
            speaker.wait_until_quiet(std::chrono::seconds(60));
            fmt::print("script {} passed; trees in {}\n", script_path, out_dir);
            return 0;
        }

        shell.on_session_end = seba::kiosk::end_imgui_session;
        if (!script_path.empty()) {
            seba::kiosk::ScriptRunner runner(
                shell, state,
                [&](Clock::time_point now) {
                    // The frame before is shown first, as the render loop shows each: a
                    // driver holds every frame drawn and never shown (llvmpipe grew by
                    // 2.5 MB a tap), and the new one stays in the back buffer for a
                    // screenshot.
                    window->present();
                    window->frame([&](seba::ui::Ui& ui) { shell.frame(ui, now); });
                },
                [&](const std::filesystem::path& png) { window->screenshot(png); }, out_dir);
            runner.run(seba::kiosk::load_script(script_path));
            // What the script made the kiosk say is kept whole before the process ends.
            speaker.wait_until_quiet(std::chrono::seconds(60));
            fmt::print("script {} passed; screenshots in {}\n", script_path, out_dir);
            return 0;
        }
        // Under systemd (seba-kiosk.service): ready once on screen, then a heartbeat from
        // the render loop, so a hung loop gets the kiosk restarted.
        seba::kiosk::ServiceWatchdog watchdog;
        if (watchdog.active())
            window->set_heartbeat(
                [&watchdog] {
                    watchdog.ready();
                    watchdog.alive(seba::kiosk::ServiceWatchdog::Clock::now());
                },
                watchdog.ping_every());
        window->on_first_frame([&] {
            auto since_start = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started);
            seba::logging::get("kiosk")->info("first frame on screen {} ms after main()",
                                              since_start.count());
            if (first_frame_file.empty()) return;
            std::ofstream out(first_frame_file);
            out << std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count()
                << "\n";
        });
        window->run(shell);
        host.stop();
        return 0;
    } catch (const seba::kiosk::ScriptError& e) {
        std::cerr << "seba-kiosk: script failed: " << e.what() << "\n";
        return 3;
    } catch (const seba::StorageError& e) {
        std::cerr << "seba-kiosk: " << e.what() << "\n";
        // A command that had to write (sync, enroll, set-pin) on a full disk: say so plainly.
        std::optional<seba::DiskRoom> room;
        if (loaded && e.disk_trouble()) room = seba::disk_room(loaded->data_dir);
        if (room && room->free_bytes < loaded->min_free_bytes) {
            seba::StorageTrouble full;
            full.kind = seba::StorageTrouble::Kind::DiskFull;
            full.data_dir = loaded->data_dir;
            full.free_bytes = room->free_bytes;
            full.needed_bytes = loaded->min_free_bytes;
            full.limited_by_rlimit = room->limited_by_rlimit;
            std::cerr << "seba-kiosk: " << full.describe() << "\n";
        }
        return 2;
    } catch (const seba::Error& e) {
        std::cerr << "seba-kiosk: " << e.what() << "\n";
        return 2;
    }
}
