// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Content files (docs/protocol.md, "Content files"): large files the server publishes beside
/// its catalog channels (a course's lessons, images, audio), named by their SHA-256. A
/// catalog record refers to one as {"sha256": "<64 hex>", "size": N, "name": "lesson.json"}.
/// A plugin says which files it wants; the kiosk's sync engine downloads them in the
/// background, resuming an interrupted download where it stopped, checks the hash before
/// anything uses a file (a file that does not match is thrown away and fetched again), and
/// keeps each plugin's files within the disk budget the plugin sets from its operator's
/// setting, evicting the least recently used first. A full disk stops downloads, never the
/// database.
///
/// Plugins with the "files" capability reach this through PluginContext::files().

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

namespace seba {
class Database;
}

namespace seba::files {

/// A file as a catalog record names it.
struct FileRef {
    std::string sha256;  ///< 64 lower-case hex digits
    std::int64_t size = 0;
    std::string name;  ///< its name in the pack, for the operator (e.g. "images/phone.png")

    /// From {"sha256", "size", "name"}; nullopt unless the hash is 64 hex digits and the
    /// size is 1 byte to kMaxFileBytes.
    SEBA_API static std::optional<FileRef> from_json(const nlohmann::json& value);
};

/// The largest file the kiosk downloads.
inline constexpr std::int64_t kMaxFileBytes = 256LL * 1024 * 1024;

enum class State {
    Absent,       ///< not wanted, or evicted
    Queued,       ///< wanted; the engine downloads it at its next sync
    Downloading,  ///< `have` of `size` bytes are here
    Ready,        ///< here, and its hash matched
    Failed,       ///< the last try failed (`error` says why); tried again at the next sync
};

struct FileStatus {
    State state = State::Absent;
    std::int64_t have = 0;
    std::int64_t size = 0;
    std::string error;  ///< English, for the operator
};

/// One plugin's files. Use from the plugin's calls (the host's thread).
class SEBA_API Files {
  public:
    virtual ~Files();

    /// Wants these files kept on the kiosk (e.g. every file of every course enabled for the
    /// centre). Files this plugin wanted before and does not name now are let go (deleted
    /// when nothing else wants them). Files are downloaded in the order given.
    virtual void want(const std::vector<FileRef>& files) = 0;

    /// The most bytes this plugin's files may take on disk (the operator's setting). Over it,
    /// the least recently opened files are evicted; a wanted file that does not fit waits
    /// and is reported Failed with the reason.
    virtual void set_budget(std::int64_t bytes) = 0;

    virtual FileStatus status(std::string_view sha256) = 0;

    /// The path of a Ready file (whose hash was checked when it arrived), and marks it used
    /// now for eviction; nullopt when it is not Ready. A file that was changed on disk since
    /// is found out, removed and queued again.
    virtual std::optional<std::filesystem::path> open(std::string_view sha256) = 0;

    /// Asks the engine to download what is queued soon (a citizen is waiting for it).
    virtual void fetch_now() = 0;
};

/// The kiosk's Files for `plugin` (the host makes one per plugin with the "files"
/// capability): its wants and budget in `db` (core__file_wants, core__file_budgets), the
/// files in `dir` (<data_dir>/files, one file per hash, mode 0600). `fetch_now` wakes the
/// sync engine, which downloads (SyncClient::download_files). How a budget is kept: the
/// plugin's wanted files, most recently opened first (then those already here, then in the
/// order wanted), are kept while they fit; a file here that does not fit is evicted
/// (Absent until want() names it again), one not here waits (Failed, with the reason).
/// open() of a wanted file that is not here yet counts as a use, so it comes first.
SEBA_API std::unique_ptr<Files> local_files(Database& db, std::filesystem::path dir,
                                            std::string plugin,
                                            std::function<void()> fetch_now = {});

}  // namespace seba::files
