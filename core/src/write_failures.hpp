// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

namespace seba::detail {

/// Called where SQLite reports an error on a connection to `file`: notes it for
/// last_write_failure() when it is the disk's (StorageError::disk_trouble).
void note_write_failure(const std::filesystem::path& file, int sqlite_code, int system_errno,
                        const std::string& message);

}  // namespace seba::detail
