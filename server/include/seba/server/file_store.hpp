// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "seba/server/catalog_import.hpp"

/// Content files on the server (docs/protocol.md, "Content files"): a folder of files named
/// by their SHA-256, which GET /v1/files/<sha256> serves to kiosks. Country packs put files
/// here ("$file" in a channel's JSON records, docs/country-packs.md).
namespace seba::server {

class FileStore {
  public:
    /// The folder (server.files_dir; by default "files" beside the database). Created 0700
    /// when it is first written to.
    explicit FileStore(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }

    struct Stored {
        std::string sha256;  ///< lower-case hex
        std::int64_t size = 0;
    };
    /// Copies `file` in (0600, written to a temporary file, synced and renamed: a reader
    /// never sees half a file), hashing it on the way; a file already there is kept. With
    /// `dry_run`, only reads and hashes it. Throws seba::Error naming the file when it cannot
    /// be read or written, is empty, or is larger than `max_bytes`.
    Stored add(const std::filesystem::path& file, std::int64_t max_bytes, bool dry_run) const;

    /// The stored file of this hash, when there is one (`sha256` must be 64 lower-case hex
    /// digits, or nothing is found).
    std::optional<std::filesystem::path> find(std::string_view sha256) const;

  private:
    std::filesystem::path dir_;
};

/// In each record, replaces every object that is exactly {"$file": "relative/path"} by the
/// file's reference {"sha256", "size", "name"}, after storing the file (not with `dry_run`).
/// The path is relative to the folder of `channel_file`; it may not be absolute, hold "..",
/// or lead (through a symbolic link) out of `root` (the pack's folder); the file must be a
/// regular file of 1 byte to seba::files::kMaxFileBytes. `name` is the path without its
/// first two parts when it has more than two ("courses/dl-bn/images/x.png" ->
/// "images/x.png": the path inside the record's own folder), else its file name. Throws
/// ImportError naming the channel file, the record's key and the path. Returns how many
/// references were made.
int resolve_file_refs(ImportResult& records, const std::filesystem::path& channel_file,
                      const std::filesystem::path& root, const FileStore* store, bool dry_run);

/// The `name` of a "$file" path, as above.
std::string file_ref_name(std::string_view relative_path);

}  // namespace seba::server
