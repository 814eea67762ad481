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
/// `level` is one of trace, debug, info, warn, error, off.
SEBA_API void init(const std::filesystem::path& log_dir, std::string_view level,
                   bool to_stderr = true);

/// A logger named `name` ("host", "plugin.about"...) writing to the configured sinks.
SEBA_API std::shared_ptr<spdlog::logger> get(std::string_view name);

/// Writes buffered lines out (tests read the file right after).
SEBA_API void flush();

}  // namespace seba::logging
