// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "seba/export.hpp"
#include "seba/sync_client.hpp"

namespace seba {

/// What the status bar shows.
struct SyncStatus {
    bool enrolled = false;
    bool online = false;       ///< the last attempt reached the server
    std::string last_sync;     ///< UTC ISO time of the last successful sync; empty if never
    std::int64_t pending = 0;  ///< events waiting to be sent
    std::int64_t failed = 0;   ///< events the server refused (for the operator)
    std::string last_error;    ///< why the last attempt failed; empty after a success
    std::string pulling;       ///< the channel being pulled now; empty when not pulling
    std::int64_t records = 0;  ///< catalog changes received in this sync so far
    std::int64_t bytes = 0;    ///< bytes received in this sync so far
    /// Goes up whenever a pull changed a local catalog; `changed_channels` says which.
    std::int64_t catalog_changes = 0;
    std::vector<std::string> changed_channels;  ///< since the engine started
    /// Content files: why downloads stopped in the last sync (a full disk, the server), for
    /// the operator; empty when they went well. Events and catalogs flow on regardless.
    std::string files_error;
    std::int64_t files_ready = 0;  ///< files downloaded and checked since the engine started
};

/// Syncs in the background: pushes the outbox and pulls the catalog channels now and then,
/// and sooner when asked, with
/// full-jitter exponential backoff after failures (honouring the server's Retry-After).
/// Runs on its own thread with its own database connection; never blocks the screen.
class SEBA_API SyncEngine {
  public:
    struct Timing {
        std::chrono::milliseconds interval{30000};  ///< between syncs when all is well
        std::chrono::milliseconds backoff_base{1000};
        std::chrono::milliseconds backoff_cap{300000};
        /// How long refused and unsendable events stay (Config::retention_days).
        std::chrono::days retention{7};
    };

    /// `on_change` is called from the engine's thread whenever the status changed (the
    /// kiosk wakes its window with it). `paused`: starts as set_paused(true) leaves it.
    SyncEngine(std::filesystem::path database, SyncOptions options, Timing timing,
               std::function<void()> on_change, bool paused = false);
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    /// Sync soon (a citizen's request was just recorded, or the operator asked).
    void sync_now();
    /// Pulls these catalog channels from now on (the kiosk's changed after a fleet update),
    /// and syncs soon.
    void set_channels(std::vector<std::string> channels);
    /// Paused, the engine neither sends nor pulls, and opens no database: the kiosk's disk
    /// is full or its database cannot be opened (Host::storage_trouble); every write would
    /// fail, and a pushed event it could not mark sent would only be sent again. Unpaused,
    /// it syncs soon.
    void set_paused(bool paused);
    SyncStatus status() const;

    /// The wait before retry number `attempt` (1, 2, ...): uniformly random in
    /// [0, min(cap, base * 2^attempt)], or exactly `retry_after` when the server said so.
    static std::chrono::milliseconds backoff(int attempt, const Timing& timing,
                                             std::optional<std::chrono::seconds> retry_after,
                                             std::mt19937& random);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace seba
