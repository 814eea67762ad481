// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/content_files.hpp"
#include "seba/storage.hpp"

/// The kiosk's store of content files, shared by the host's Files (a plugin's wants, budget,
/// open) and the sync client's downloads. The database says what is wanted and what state
/// each file is in (core__files, core__file_wants, core__file_budgets); the folder holds
/// <sha256> (checked, ready) and <sha256>.part (a download in progress: its size is how far
/// it got, so no database write is needed while bytes arrive).
namespace seba::files::detail {

bool is_sha256_hex(std::string_view text);
std::filesystem::path ready_path(const std::filesystem::path& dir, std::string_view sha256);
std::filesystem::path part_path(const std::filesystem::path& dir, std::string_view sha256);

/// Lower-case hex SHA-256 of a file's bytes, read in chunks; nullopt when it cannot be read.
std::optional<std::string> sha256_of_file(const std::filesystem::path& file);

/// The file's modification time in nanoseconds, or -1 when it is not there.
std::int64_t mtime_ns(const std::filesystem::path& file);
/// The file's size, or -1 when it is not there.
std::int64_t size_on_disk(const std::filesystem::path& file);

/// Keeps every plugin within its budget (see local_files in seba/content_files.hpp), inside
/// the caller's transaction. Returns the files to delete once it commits: those no plugin
/// keeps any more (let go, or evicted), and their partial downloads.
std::vector<std::filesystem::path> settle(Database& db, const std::filesystem::path& dir);
/// Deletes them (after the commit); a file already gone is fine.
void remove_files(const std::vector<std::filesystem::path>& files);

/// A file the sync engine should download: wanted and kept by some plugin, not here yet.
struct Download {
    std::string sha256;
    std::int64_t size = 0;
};
/// In the order to fetch them: those asked for most recently first, then as wanted.
std::vector<Download> downloads(Database& db);

/// Whether some plugin still keeps the file (wanted, not evicted, within its budget).
bool kept(Database& db, std::string_view sha256);
/// Records the file as here and checked, with its file's modification time.
void mark_ready(Database& db, std::string_view sha256, std::int64_t mtime);
/// Records a failure: `queued_again` for a file fetched again at the next sync (its hash did
/// not match), else Failed (tried again at the next sync all the same).
void mark_problem(Database& db, std::string_view sha256, std::string_view error, bool queued_again);

}  // namespace seba::files::detail
