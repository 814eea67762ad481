// SPDX-License-Identifier: Apache-2.0
#include "seba/sync_engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "seba/kiosk_clock.hpp"
#include "seba/logging.hpp"
#include "seba/retention.hpp"
#include "seba/storage.hpp"

namespace seba {

struct SyncEngine::Impl {
    std::filesystem::path database;
    SyncOptions options;
    Timing timing;
    std::function<void()> on_change;

    mutable std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    bool paused = false;
    bool requested = true;  // sync once at start
    SyncStatus status;
    std::vector<std::string> channels;  // under mutex
    std::thread thread;
    std::shared_ptr<spdlog::logger> log = logging::get("sync");

    SyncStatus status_now() {
        std::lock_guard lock(mutex);
        return status;
    }

    // Waits `wait`, or less when asked to sync or to stop; false when stopping.
    bool wait_for(std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex);
        requested = false;
        wake.wait_for(lock, wait, [&] { return stopping || requested; });
        return !stopping;
    }

    void publish(const SyncStatus& next) {
        {
            std::lock_guard lock(mutex);
            status = next;
        }
        if (on_change) on_change();
    }

    static std::int64_t count(Database& db, const char* state) {
        Statement q = db.prepare("SELECT count(*) FROM core__outbox WHERE state = ?");
        q.bind(1, state);
        q.step();
        return q.integer(0);
    }

    // Pulls every channel in order, telling the status bar how far it got.
    void pull_all(SyncClient& client, SyncStatus& next) {
        next.records = 0;
        next.bytes = 0;
        std::vector<std::string> wanted = [&] {
            std::lock_guard lock(mutex);
            return channels;
        }();
        for (const std::string& channel : wanted) {
            next.pulling = channel;
            publish(next);
            std::int64_t records_before = next.records, bytes_before = next.bytes;
            SyncClient::PullReport report =
                client.pull(channel, [&](const SyncClient::PullReport& so_far) {
                    next.records = records_before + so_far.upserts + so_far.deletes;
                    next.bytes = bytes_before + so_far.bytes;
                    publish(next);
                });
            next.bytes = bytes_before + report.bytes;
            if (report.changed()) {
                ++next.catalog_changes;
                if (std::find(next.changed_channels.begin(), next.changed_channels.end(),
                              channel) == next.changed_channels.end())
                    next.changed_channels.push_back(channel);
                log->info("pulled {}: {} changed, {} removed in {} page(s), {} bytes", channel,
                          report.upserts, report.deletes, report.pages, report.bytes);
            }
        }
    }

    static constexpr std::chrono::milliseconds kFilesAgain{1000};
    bool more_files = false;  // the last sync stopped at its limit with files left

    // Content files after the push and the pulls, within one sync's limits. Their trouble
    // (a full disk, the server) is reported apart and does not fail the sync: events and
    // catalogs went through. True when files are left for the next sync.
    bool download_files(SyncClient& client, SyncStatus& next) {
        if (options.files_dir.empty()) return false;
        try {
            SyncClient::FilesReport report = client.download_files();
            next.files_ready += report.ready;
            next.files_error = report.disk_problem;
            if (!report.disk_problem.empty()) log->warn("{}", report.disk_problem);
            if (report.ready + report.refetch + report.failed > 0 || report.more)
                log->info("content files: {} ready, {} fetched again, {} failed, {} bytes{}",
                          report.ready, report.refetch, report.failed, report.bytes,
                          report.more ? "; more at the next sync" : "");
            return report.more && report.disk_problem.empty();
        } catch (const Error& e) {
            next.files_error = e.what();
            log->warn("content files: {}", e.what());
            return false;
        }
    }

    // Deleted events' bytes: secure_delete zeroes them in the database; the -wal file still
    // holds the frames that wrote them until it is checkpointed and emptied.
    bool wal_holds_deleted = false;

    // Refused and unsendable events go once the operator has had them for the retention
    // time; then the write-ahead log is emptied if anything was deleted. A failure here (a
    // busy database) is retried next round and does not stop sync.
    void forget(Database& db) {
        try {
            int deleted =
                forget_old_events(db, static_cast<int>(timing.retention.count()), kiosk_now().at);
            if (deleted > 0) {
                log->info("deleted {} refused or unsendable event(s) older than {} days", deleted,
                          timing.retention.count());
                wal_holds_deleted = true;
            }
            if (wal_holds_deleted && !truncate_wal(db))
                log->warn(
                    "the write-ahead log could not be emptied (a read was open); "
                    "trying again next round");
            else
                wal_holds_deleted = false;
        } catch (const StorageError& e) {
            log->warn("cleaning the outbox failed, trying again next round: {}", e.what());
        }
    }

    // Waits until unpaused (or stopping); false when stopping.
    bool wait_while_paused() {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !paused; });
        return !stopping;
    }

    void run() {
        std::mt19937 random(std::random_device{}());
        int failures = 0;
        try {
            // Opened when first needed, and again after a failure to open it (a disk that
            // was full, a database moved aside): the kiosk recovers without a restart.
            std::optional<Database> db;
            std::optional<SyncClient> client;
            for (;;) {
                if (!wait_while_paused()) return;
                if (!db) {
                    try {
                        db.emplace(Database::open(database));
                        client.emplace(*db, options);
                    } catch (const StorageError& e) {
                        client.reset();
                        db.reset();
                        SyncStatus next = status_now();
                        next.online = false;
                        next.last_error = e.what();
                        ++failures;
                        log->warn("sync cannot open its database (attempt {}): {}", failures,
                                  e.what());
                        publish(next);
                        if (!wait_for(backoff(failures, timing, std::nullopt, random))) return;
                        continue;
                    }
                }
                SyncStatus next = status_now();
                next.enrolled = client->enrolled();
                std::optional<std::chrono::seconds> retry_after;
                if (next.enrolled) {
                    try {
                        // A push the server refused does not hold up the pulls: the catalogs
                        // and the fleet's configuration still arrive. The refusal is then
                        // reported as the round's failure.
                        std::optional<SyncError> refused;
                        try {
                            SyncClient::PushReport report = client->push_outbox();
                            if (report.sent > 0 || report.too_large > 0)
                                log->info(
                                    "sent {} event(s): {} accepted, {} duplicates, {} refused, "
                                    "{} too large to send",
                                    report.sent, report.accepted, report.duplicates,
                                    report.conflicts, report.too_large);
                            if (report.accepted + report.duplicates + report.conflicts > 0)
                                wal_holds_deleted = true;
                        } catch (const SyncError& e) {
                            if (!e.server_answered) throw;
                            refused = e;
                        }
                        pull_all(*client, next);
                        if (refused) throw *refused;
                        more_files = download_files(*client, next);
                        next.online = true;
                        next.last_sync = kiosk_now().iso();  // as the status bar's clock
                        next.last_error.clear();
                        failures = 0;
                    } catch (const Error& e) {
                        // A SyncError is the network's or server's; a StorageError (a busy
                        // or full disk) is retried the same way rather than ending sync.
                        auto* sync_error = dynamic_cast<const SyncError*>(&e);
                        next.online = false;
                        next.last_error = e.what();
                        if (sync_error) retry_after = sync_error->retry_after;
                        ++failures;
                        log->warn("sync failed (attempt {}): {}", failures, e.what());
                    }
                    next.pulling.clear();
                }
                try {
                    forget(*db);
                    next.pending = count(*db, "pending");
                    next.failed = count(*db, "failed");
                } catch (const StorageError& e) {
                    log->warn("sync cannot count its outbox: {}", e.what());
                }
                publish(next);

                // Files left at a sync's limit follow soon, a sync at a time, so that events
                // and catalogs go between them.
                auto wait = failures > 0 ? backoff(failures, timing, retry_after, random)
                            : more_files ? std::min(timing.interval, kFilesAgain)
                                         : timing.interval;
                more_files = false;
                if (!wait_for(wait)) return;
            }
        } catch (const std::exception& e) {
            // Without its database or key the engine cannot work; the kiosk runs on offline.
            log->error("sync stopped: {}", e.what());
            SyncStatus next;
            next.last_error = e.what();
            publish(next);
        }
    }
};

SyncEngine::SyncEngine(std::filesystem::path database, SyncOptions options, Timing timing,
                       std::function<void()> on_change, bool paused)
    : impl_(std::make_unique<Impl>()) {
    impl_->paused = paused;
    impl_->database = std::move(database);
    impl_->options = std::move(options);
    impl_->timing = timing;
    impl_->on_change = std::move(on_change);
    impl_->channels = impl_->options.channels;
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

SyncEngine::~SyncEngine() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    impl_->thread.join();
}

void SyncEngine::sync_now() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->requested = true;
    }
    impl_->wake.notify_all();
}

void SyncEngine::set_channels(std::vector<std::string> channels) {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->channels = std::move(channels);
        impl_->requested = true;
    }
    impl_->wake.notify_all();
}

void SyncEngine::set_paused(bool paused) {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->paused == paused) return;
        impl_->paused = paused;
        impl_->requested = true;
    }
    impl_->log->info(paused ? "sync paused: the kiosk's database cannot take writes"
                            : "sync resumed");
    impl_->wake.notify_all();
}

SyncStatus SyncEngine::status() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->status;
}

std::chrono::milliseconds SyncEngine::backoff(int attempt, const Timing& timing,
                                              std::optional<std::chrono::seconds> retry_after,
                                              std::mt19937& random) {
    if (retry_after) return std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after);
    // Full jitter (AWS architecture blog): a fleet of kiosks that lost the server together
    // does not come back together.
    long long ceiling = timing.backoff_base.count();
    for (int i = 0; i < attempt && ceiling < timing.backoff_cap.count(); ++i) ceiling *= 2;
    ceiling = std::min(ceiling, static_cast<long long>(timing.backoff_cap.count()));
    return std::chrono::milliseconds(std::uniform_int_distribution<long long>(0, ceiling)(random));
}

}  // namespace seba
