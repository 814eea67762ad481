// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "seba/export.hpp"

namespace spdlog {
class logger;
}

/// Logging through spdlog: one rotating file under the data folder and standard error.
/// Policy: log ids, counts, states and reasons; never what a citizen typed or chose
/// (names, ID numbers, phone numbers, form values, event payloads).
namespace seba::logging {

/// Sets up the sinks. Safe to call again (tests, tools): it replaces the previous setup.
/// `level` is one of trace, debug, info, warn, error, off. Never throws: when the log file
/// cannot be made (a full disk, a folder that is not writable) it says so on standard error
/// and the logs go there only; when writing to it fails later, that is said once too.
SEBA_API void init(const std::filesystem::path& log_dir, std::string_view level,
                   bool to_stderr = true);

/// What an operator must learn even when the log file cannot be written (the disk is full):
/// `line` goes to standard error as "PROGRAM: line" whatever `to_stderr` was (systemd puts
/// it in the journal), and to the log file where it can still be written.
SEBA_API void alert(std::string_view line);

/// A logger named `name` ("host", "plugin.about"...) writing to the configured sinks.
SEBA_API std::shared_ptr<spdlog::logger> get(std::string_view name);

/// Writes buffered lines out (tests read the file right after).
SEBA_API void flush();

}  // namespace seba::logging
