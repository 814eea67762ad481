// SPDX-License-Identifier: Apache-2.0
#pragma once

// `seba-kiosk doctor`: checks what a kiosk needs (fonts, screen, keyboards, printer,
// database, disk, server, clock, plugins) and says in the operator's language what is wrong
// and how to fix it. It changes nothing of the kiosk's: the database is opened read-only,
// and the plugins are loaded by a seba::Host on a private copy of it that is thrown away.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "seba/config.hpp"

namespace seba::kiosk {

/// How a check came out. Only a Problem makes `seba-kiosk doctor` exit 1.
enum class DoctorStatus { Ok, Warning, Problem };

/// The checks, in the order they are reported.
enum class DoctorCheck {
    Fonts,
    Display,
    Keyboards,
    Printer,
    Database,
    Disk,
    Server,
    Clock,
    Plugins
};

/// One block of the report, already in the operator's language.
struct Finding {
    DoctorCheck check = DoctorCheck::Fonts;
    DoctorStatus status = DoctorStatus::Ok;
    std::string title;  ///< what was checked, e.g. "Fonts"
    std::string found;  ///< what was found: one line per item
    std::string fix;    ///< what to do, one line per step; empty when OK
};

struct DoctorOptions {
    std::string language = "en";       ///< a tag of ui::languages()
    std::filesystem::path locale_dir;  ///< the shell's catalogs (domain "seba")
    std::vector<DoctorCheck> checks;   ///< which to run; empty: all of them
    /// The kiosk's clock as compared with the server's Date; tests move it.
    std::function<std::chrono::system_clock::time_point()> now = [] {
        return std::chrono::system_clock::now();
    };
    /// Longest wait for the server's /healthz, all of it (connect, transfer).
    std::chrono::milliseconds server_timeout{4000};
};

// Free space below kiosk.min_free_mb (Config::min_free_bytes) is a Problem: the kiosk takes
// no requests then. Below this a Warning: catalogs and logs fill the rest soon.
constexpr std::uint64_t kDiskWarningBytes = 1ull << 30;
/// seba-server refuses signed requests whose time is further off than this (its
/// ServerOptions::clock_skew, 300 s).
constexpr std::chrono::seconds kClockRefused{300};
/// A difference this large means the clock is not kept in time: a Warning.
constexpr std::chrono::seconds kClockNotable{30};

/// Runs the checks. Never throws for what it finds: a check that cannot run is a Problem.
std::vector<Finding> run_doctor(const Config& config, const DoctorOptions& options);

/// Writes the findings as blocks (status, what was checked, what was found, what to do) and
/// a last line counting problems and warnings.
void print_findings(std::ostream& out, const Config& config, const std::vector<Finding>& findings,
                    const DoctorOptions& options);

/// 0 when no finding is a Problem, 1 otherwise.
int doctor_exit_code(const std::vector<Finding>& findings);

/// The subcommand: checks, prints to standard output, and returns the exit code (2 when
/// `language` is not one the kiosk speaks). An empty `language` is the config's default.
int doctor_command(const Config& config, const std::string& language,
                   const std::filesystem::path& locale_dir);

}  // namespace seba::kiosk
