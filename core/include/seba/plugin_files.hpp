// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

/// The list of every file of a plugin folder that a plugin's signature covers: module,
/// manifest and every asset, each with its size and BLAKE2b-256 hash. seba-plugin-sign writes
/// it as `plugin.files` and has minisign sign it (`plugin.files.minisig`); the kiosk checks
/// the signature, then the folder against the list, before it reads anything else of the
/// plugin. docs/plugin-guide.md ("Signing") describes the format.
namespace seba::plugin_files {

inline constexpr std::string_view kListFile = "plugin.files";
inline constexpr std::string_view kSignatureFile = "plugin.files.minisig";
inline constexpr std::string_view kHeader = "seba-plugin-files 1";

// Limits on every plugin folder, signed or not: far above any real plugin (the largest in
// this tree has 6 files and 0.45 MB), low enough that a hostile folder cannot make the kiosk
// hash or hold without end.
inline constexpr std::size_t kMaxEntries = 4096;               ///< files and folders
inline constexpr std::uint64_t kMaxTotalBytes = 256ull << 20;  ///< all files together
inline constexpr std::size_t kMaxPathBytes = 512;              ///< one relative path
inline constexpr std::size_t kMaxDepth = 16;                   ///< nested folders
inline constexpr std::size_t kMaxListBytes = 4u << 20;         ///< plugin.files
inline constexpr std::size_t kMaxSignatureBytes = 4096;        ///< plugin.files.minisig

using Hash = std::array<std::uint8_t, 32>;  ///< BLAKE2b-256

struct File {
    std::string path;  ///< relative to the plugin folder, '/' between folders
    std::uint64_t size = 0;
    Hash hash{};

    bool operator==(const File&) const = default;
};

/// What a folder holds, from one pass over it.
struct Scan {
    std::vector<File> files;  ///< every regular file but the list and its signature, by path
    /// The bytes of the files named in `keep`, read in the same pass that hashed them.
    std::map<std::string, std::vector<std::uint8_t>> kept;
};

/// Reads every file under `folder` once, hashing it. Throws seba::Error naming the file and
/// what is wrong for anything a kiosk refuses: a symbolic link, anything that is not a
/// regular file or folder, a name that cannot be listed (control characters, a backslash,
/// not UTF-8), a file or folder writable by a user other than root or this process's, and
/// any limit above. `folder` itself must not be a symbolic link either.
SEBA_API Scan scan(const std::filesystem::path& folder, std::span<const std::string> keep = {});

/// The text of `plugin.files` for `files` (sorted by path): the header line, then one line
/// per file: `<64 hex digits> <size in bytes> <path>`.
SEBA_API std::string format(std::span<const File> files);

/// Parses `plugin.files` strictly: exactly format()'s output for some list (so one list has
/// one spelling). Throws seba::Error naming the line and what is wrong.
SEBA_API std::vector<File> parse(std::string_view text);

/// Empty when `found` is exactly `listed`; else the first difference, naming the file: not
/// in the list, listed but missing, or a different size or hash.
SEBA_API std::string compare(std::span<const File> listed, std::span<const File> found);

/// Lower-case hex of a hash.
SEBA_API std::string to_hex(const Hash& hash);

}  // namespace seba::plugin_files
