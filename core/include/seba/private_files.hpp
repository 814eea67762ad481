// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The kiosk's data folder holds what a thief with the disk or another user of the machine
/// must not read: the database and its -wal and -shm files, the logs, keys and receipts.
/// It is the kiosk user's alone: folders 0700, files 0600, whatever the umask made them.

#include <filesystem>
#include <string>
#include <vector>

#include "seba/export.hpp"

namespace seba {

/// Creates `dir` if needed and makes it, and every folder below it, 0700 and every file
/// below it 0600 (a folder an older version left world-readable, a restored backup).
/// Symbolic links are left alone, not followed. Throws seba::Error when `dir` cannot be
/// created; returns what could not be changed (a file another user owns), one line each,
/// for the caller to log.
SEBA_API std::vector<std::string> make_private(const std::filesystem::path& dir);

}  // namespace seba
