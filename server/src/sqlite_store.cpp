// SPDX-License-Identifier: Apache-2.0
// The SQLite store behind seba-server: one connection in WAL mode, guarded by a mutex so
// that the server's worker threads can share it. Its tables live in the "server" namespace.
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <utility>

#include "evidence_sql.hpp"
#include "learners_rules.hpp"
#include "muktopaath_learners.hpp"
#include "nise_events.hpp"
#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/server/store.hpp"
#include "seba/storage.hpp"
#include "store_rules.hpp"

namespace seba::server {

namespace {

// The server's schema. Append new versions; never edit an applied one.
constexpr Migration kServerMigrations[] = {
    {1, "centres, enrollment, devices, nonces and events", R"sql(
CREATE TABLE server__centres (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE server__enrollment_codes (
    code_hash TEXT PRIMARY KEY,
    centre TEXT NOT NULL REFERENCES server__centres(id),
    expires_at INTEGER NOT NULL,
    used_at TEXT,
    device TEXT
);
CREATE TABLE server__devices (
    id TEXT PRIMARY KEY,
    centre TEXT NOT NULL REFERENCES server__centres(id),
    public_key BLOB NOT NULL UNIQUE,
    revoked INTEGER NOT NULL DEFAULT 0,
    enrolled_at TEXT NOT NULL
);
CREATE TABLE server__nonces (
    device TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (device, nonce)
);
CREATE TABLE server__events (
    device TEXT NOT NULL,
    uuid TEXT NOT NULL,
    centre TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (device, uuid)
);
CREATE INDEX server__events_by_centre ON server__events (centre);
)sql"},
    {2, "nonces by age, for housekeeping", R"sql(
CREATE INDEX server__nonces_by_age ON server__nonces (seen_at);
)sql"},
    {3, "catalog channels", R"sql(
CREATE TABLE server__channels (
    name TEXT PRIMARY KEY,
    per_centre INTEGER NOT NULL,
    head INTEGER NOT NULL DEFAULT 0,
    horizon INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE server__channel_records (
    channel TEXT NOT NULL REFERENCES server__channels(name),
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT,
    data_hash TEXT,
    version INTEGER NOT NULL,
    PRIMARY KEY (channel, scope, key)
);
CREATE UNIQUE INDEX server__channel_records_by_version
    ON server__channel_records (channel, version);
)sql"},
    {4, "events' kiosk times, failed enrollments, per-centre heads", R"sql(
ALTER TABLE server__events ADD COLUMN created_at TEXT;
ALTER TABLE server__events ADD COLUMN clock_checked INTEGER;
CREATE TABLE server__enrollment_failures (
    scope TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX server__enrollment_failures_by_scope ON server__enrollment_failures (scope, at);
CREATE INDEX server__channel_records_by_scope
    ON server__channel_records (channel, scope, version);
)sql"},
    {5, "citizen hashes, purges and the audit log", R"sql(
ALTER TABLE server__events ADD COLUMN citizen TEXT;    -- the server's keyed hash
ALTER TABLE server__events ADD COLUMN purged_at TEXT;  -- citizen data deleted then
CREATE INDEX server__events_by_received ON server__events (received_at);
CREATE INDEX server__events_by_citizen ON server__events (citizen);
CREATE TABLE server__audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER server__audit_no_update BEFORE UPDATE ON server__audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER server__audit_no_delete BEFORE DELETE ON server__audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
    // Credentials (docs/credentials.md): when a device was revoked, for the trust list, and
    // the credentials revoked one by one.
    {6, "revocation times and revoked credentials", R"sql(
ALTER TABLE server__devices ADD COLUMN revoked_at TEXT;
CREATE TABLE server__revoked_credentials (
    id TEXT PRIMARY KEY,
    revoked_at TEXT NOT NULL
);
)sql"},
    {7, "MuktoPaath learners: who is who, and events waiting for an enrolment",
     muktopaath::kSchema},
    // A credential names its signing key by key id; the public check finds the device by it
    // without reading every device (filled for older rows when the store opens).
    {8, "devices by the key id of their public key", R"sql(
ALTER TABLE server__devices ADD COLUMN kid TEXT;
CREATE INDEX server__devices_kid ON server__devices(kid);
)sql"},
    // Civil Service Reform (docs/civil-service.md): where a centre is, and the tracking number
    // of a service delivered (its "tcv" member) or of a survey about one, so that a survey
    // finds its service and each counts once. A column filled at push, not an index on
    // json_extract: SQLite refuses JSON functions in the schema of an untrusted schema.
    {9, "centres' region and district; services delivered by tracking number", R"sql(
ALTER TABLE server__centres ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE server__centres ADD COLUMN district TEXT NOT NULL DEFAULT '';
ALTER TABLE server__events ADD COLUMN tcv_tracking TEXT;
UPDATE server__events SET tcv_tracking = CASE WHEN type = 'tcv.survey'
        THEN json_extract(payload, '$.tracking') ELSE json_extract(payload, '$.tcv.tracking') END
    WHERE json_valid(payload) AND (type = 'tcv.survey' OR instr(payload, '"tcv"') > 0);
UPDATE server__events SET tcv_tracking = NULL WHERE typeof(tcv_tracking) != 'text';
CREATE INDEX server__events_tcv ON server__events (centre, tcv_tracking)
    WHERE tcv_tracking IS NOT NULL;
)sql"},
    // The pilot's dashboard (docs/civil-service.md): its users (argon2id hashes), sessions
    // (found by a hash of the cookie's token) and failed logins (for the rate limit).
    {10, "dashboard users, sessions and failed logins", R"sql(
CREATE TABLE server__dashboard_users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE server__dashboard_sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES server__dashboard_users(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX server__dashboard_sessions_by_user ON server__dashboard_sessions (user);
CREATE TABLE server__login_failures (
    address TEXT NOT NULL,
    user TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX server__login_failures_by_address ON server__login_failures (address, at);
CREATE INDEX server__login_failures_by_user ON server__login_failures (user, at);
)sql"},
    // NISE (docs/nise.md, "On the server"): saved profiles, withdrawn logins and referrals.
    {11, "NISE profiles, withdrawals and referrals", nise::kSchema},
};

// Devices enrolled before migration 8 get their key id.
void fill_key_ids(Database& db) {
    Statement rows = db.prepare("SELECT id, public_key FROM server__devices WHERE kid IS NULL");
    std::vector<std::pair<std::string, std::string>> found;
    while (rows.step()) {
        const std::vector<std::uint8_t> key = rows.blob(1);
        std::array<std::uint8_t, 32> public_key{};
        if (key.size() != public_key.size()) continue;
        std::copy(key.begin(), key.end(), public_key.begin());
        found.emplace_back(rows.text(0), credentials::key_id(public_key));
    }
    for (const auto& [id, kid] : found)
        db.prepare("UPDATE server__devices SET kid = ? WHERE id = ?").bind_all(kid, id).run();
}

using rules::from_unix_seconds;
using rules::iso_time;
using rules::unix_seconds;

constexpr const char* kDeviceColumns =
    "id, centre, public_key, revoked, enrolled_at, coalesce(revoked_at, '')";

Device read_device(const Statement& row) {
    // Columns: kDeviceColumns.
    Device device;
    device.id = row.text(0);
    device.centre = row.text(1);
    std::vector<std::uint8_t> key = row.blob(2);
    if (key.size() != device.public_key.size())
        throw StorageError(
            fmt::format("device {} has a stored public key of {} bytes instead of {}", device.id,
                        key.size(), device.public_key.size()));
    std::copy(key.begin(), key.end(), device.public_key.begin());
    device.revoked = row.integer(3) != 0;
    device.enrolled_at = row.text(4);
    device.revoked_at = row.text(5);
    return device;
}

class SqliteStore final : public Store {
  public:
    explicit SqliteStore(Database db) : db_(std::move(db)) {
        for (int i = 0; i < kReaders; ++i) readers_.push_back(Database::open(db_.path()));
        for (Database& reader : readers_) free_readers_.push_back(&reader);
    }

    void create_centre(std::string_view id, std::string_view name) override {
        rules::check_new_centre(id, name);
        std::lock_guard lock(mutex_);
        db_.prepare("INSERT OR IGNORE INTO server__centres (id, name, created_at) VALUES (?, ?, ?)")
            .bind_all(id, name, utc_now_iso())
            .run();
        if (db_.changes() == 0) throw Error(fmt::format("centre {} already exists", id));
    }

    bool centre_exists(std::string_view id) override {
        std::lock_guard lock(mutex_);
        return centre_exists_locked(id);
    }

    void set_centre_place(std::string_view centre, std::string_view region,
                          std::string_view district) override {
        for (std::string_view name : {region, district}) rules::check_place(name);
        std::lock_guard lock(mutex_);
        db_.prepare("UPDATE server__centres SET region = ?, district = ? WHERE id = ?")
            .bind_all(region, district, centre)
            .run();
        if (db_.changes() == 0) throw Error(fmt::format("centre {} does not exist", centre));
    }

    std::optional<std::pair<std::string, std::string>> centre_place(
        std::string_view centre) override {
        Reader reader(*this);
        Statement row =
            reader->prepare("SELECT region, district FROM server__centres WHERE id = ?");
        row.bind_all(centre);
        if (!row.step()) return std::nullopt;
        return std::pair{row.text(0), row.text(1)};
    }

    Evidence evidence(EvidenceLevel level, const EvidenceFilter& filter) override {
        if (std::string problem = check(filter); !problem.empty()) throw Error(problem);
        Reader reader(*this);
        return compute_evidence(*reader, level, filter);
    }

    std::string create_enrollment_code(std::string_view centre, std::chrono::seconds valid_for,
                                       Clock::time_point now) override {
        rules::check_code_validity(valid_for);
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        if (!centre_exists_locked(centre))
            throw Error(fmt::format("centre {} does not exist; create it first", centre));
        // 31^10 codes make a clash all but impossible; retrying costs nothing if one happens.
        std::string code;
        do {
            code = rules::new_enrollment_code();
            db_.prepare(
                   "INSERT OR IGNORE INTO server__enrollment_codes (code_hash, centre, expires_at) "
                   "VALUES (?, ?, ?)")
                .bind_all(rules::code_hash(code), centre, unix_seconds(now + valid_for))
                .run();
        } while (db_.changes() == 0);
        tx.commit();
        return rules::display_code(code);
    }

    Device enroll(std::string_view code, const std::array<std::uint8_t, 32>& public_key,
                  Clock::time_point now, std::string_view centre) override {
        using Action = rules::EnrollDecision::Action;
        const std::string code_hash = rules::code_hash(code);
        const std::span<const std::uint8_t> key_bytes(public_key);
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        const std::string scope = rules::failure_scope(centre, centre_exists_locked(centre));
        const std::int64_t window_start = rules::failure_window_start(now);
        {
            Statement recent = db_.prepare(
                "SELECT count(*), coalesce(min(at), 0) FROM server__enrollment_failures WHERE "
                "scope = ? AND at > ?");
            recent.bind_all(scope, window_start);
            recent.step();
            if (std::optional<std::chrono::seconds> wait = rules::enrollment_wait(
                    {.count = recent.integer(0), .oldest_at = recent.integer(1)}, now))
                throw EnrollLimited(rules::kEnrollLimitedMessage, *wait);
        }
        rules::EnrollmentRows rows;
        {
            Statement row = db_.prepare(
                "SELECT centre, expires_at, used_at IS NOT NULL, coalesce(device, '') FROM "
                "server__enrollment_codes WHERE code_hash = ?");
            row.bind_all(code_hash);
            if (row.step())
                rows.code =
                    rules::CodeRow{row.text(0), row.integer(1), row.integer(2) != 0, row.text(3)};
        }
        if (rows.code && !rows.code->device.empty()) {
            Statement row = db_.prepare(
                fmt::format("SELECT {} FROM server__devices WHERE id = ?", kDeviceColumns));
            row.bind_all(rows.code->device);
            if (row.step()) rows.code_device = read_device(row);
        }
        {
            Statement row = db_.prepare("SELECT 1 FROM server__devices WHERE public_key = ?");
            row.bind_all(key_bytes);
            rows.key_enrolled = row.step();
        }
        rules::EnrollDecision decision = rules::decide_enrollment(rows, public_key, scope, now);
        switch (decision.action) {
            case Action::ReturnDevice:
                return decision.device;
            case Action::RefuseKeyEnrolled:
                throw EnrollError(decision.message);
            case Action::RefuseBadCode:
                db_.prepare("DELETE FROM server__enrollment_failures WHERE scope = ? AND at <= ?")
                    .bind_all(scope, window_start)
                    .run();
                db_.prepare("INSERT INTO server__enrollment_failures (scope, at) VALUES (?, ?)")
                    .bind_all(scope, unix_seconds(now))
                    .run();
                tx.commit();  // the count outlives the refusal
                throw EnrollError(decision.message);
            case Action::BindNew:
                break;
        }
        Device& device = decision.device;
        // 64 random bits make a clash all but impossible; retrying costs nothing if one happens.
        do {
            device.id = rules::new_device_id();
            db_.prepare(
                   "INSERT OR IGNORE INTO server__devices (id, centre, public_key, enrolled_at, "
                   "kid) VALUES (?, ?, ?, ?, ?)")
                .bind_all(device.id, device.centre, key_bytes, device.enrolled_at,
                          credentials::key_id(public_key))
                .run();
        } while (db_.changes() == 0);
        db_.prepare(
               "UPDATE server__enrollment_codes SET used_at = ?, device = ? WHERE code_hash = ?")
            .bind_all(iso_time(now), device.id, code_hash)
            .run();
        tx.commit();
        return device;
    }

    // Every signed request looks its device up. A connection of its own keeps those reads
    // from queueing behind the writer's fsync (WAL lets them run side by side), and still
    // sees a revocation made by `seba-server admin` in another process at once.
    std::optional<Device> device(std::string_view id) override {
        Reader reader(*this);
        Statement row = reader->prepare_cached(
            fmt::format("SELECT {} FROM server__devices WHERE id = ?", kDeviceColumns));
        row.bind_all(id);
        if (!row.step()) return std::nullopt;
        return read_device(row);
    }

    std::optional<Device> device_by_key_id(std::string_view kid) override {
        Reader reader(*this);
        Statement row = reader->prepare_cached(
            fmt::format("SELECT {} FROM server__devices WHERE kid = ?", kDeviceColumns));
        row.bind_all(kid);
        if (!row.step()) return std::nullopt;
        return read_device(row);
    }

    void revoke(std::string_view device_id) override {
        std::lock_guard lock(mutex_);
        db_.prepare(
               "UPDATE server__devices SET revoked = 1, revoked_at = coalesce(revoked_at, ?) "
               "WHERE id = ?")
            .bind_all(utc_now_iso(), device_id)
            .run();
        if (db_.changes() == 0)
            throw Error(fmt::format("device {} is not enrolled; nothing to revoke", device_id));
    }

    std::vector<Device> devices() override {
        std::lock_guard lock(mutex_);
        Statement rows =
            db_.prepare(fmt::format("SELECT {} FROM server__devices ORDER BY id", kDeviceColumns));
        std::vector<Device> out;
        while (rows.step()) out.push_back(read_device(rows));
        return out;
    }

    RevokedCredential revoke_credential(std::string_view id) override {
        rules::check_credential_id(id);
        std::lock_guard lock(mutex_);
        db_.prepare(
               "INSERT OR IGNORE INTO server__revoked_credentials (id, revoked_at) VALUES "
               "(?, ?)")
            .bind_all(id, utc_now_iso())
            .run();
        Statement row =
            db_.prepare("SELECT id, revoked_at FROM server__revoked_credentials WHERE id = ?");
        row.bind_all(id);
        row.step();
        return {row.text(0), row.text(1)};
    }

    std::vector<RevokedCredential> revoked_credentials() override {
        std::lock_guard lock(mutex_);
        Statement rows =
            db_.prepare("SELECT id, revoked_at FROM server__revoked_credentials ORDER BY id");
        std::vector<RevokedCredential> out;
        while (rows.step()) out.push_back({rows.text(0), rows.text(1)});
        return out;
    }

    bool credential_revoked(std::string_view id) override {
        Reader reader(*this);
        Statement row =
            reader->prepare_cached("SELECT 1 FROM server__revoked_credentials WHERE id = ?");
        row.bind_all(id);
        return row.step();
    }

    bool remember_nonce(std::string_view device_id, std::string_view nonce, Clock::time_point now,
                        Clock::time_point keep_since) override {
        return grouped([&] { return remember_nonce_now(device_id, nonce, now, keep_since); });
    }

    PushOutcome push_event(const StoredEvent& event) override {
        return grouped([&] { return push_event_now(event); });
    }

    std::vector<PushOutcome> push_events(const std::vector<StoredEvent>& events) override {
        return grouped([&] {
            std::vector<PushOutcome> outcomes;
            for (const StoredEvent& event : events) outcomes.push_back(push_event_now(event));
            return outcomes;
        });
    }

    std::optional<std::vector<PushOutcome>> push_events_once(
        std::string_view device_id, std::string_view nonce, Clock::time_point now,
        Clock::time_point keep_since, const std::vector<StoredEvent>& events) override {
        // Its nonce and its events share one commit: half the fsyncs of doing them apart.
        return grouped([&]() -> std::optional<std::vector<PushOutcome>> {
            if (!remember_nonce_now(device_id, nonce, now, keep_since)) return std::nullopt;
            std::vector<PushOutcome> outcomes;
            outcomes.reserve(events.size());
            for (const StoredEvent& event : events) outcomes.push_back(push_event_now(event));
            return outcomes;
        });
    }

  private:
    // Group commit: every signed request writes twice (its nonce, its events), and each
    // durable commit costs an fsync. Writers that arrive while a commit is under way queue
    // up; the first of them then commits the whole queue in one transaction, each write in
    // a savepoint of its own so one failure stays its own.
    template <typename Write>
    auto grouped(Write write) -> decltype(write()) {
        std::optional<decltype(write())> result;
        Pending mine;
        mine.run = [&] { result = write(); };
        std::unique_lock lock(queue_mutex_);
        queue_.push_back(&mine);
        // Each writer sleeps on its own condition and is woken once: when its batch is
        // durable, or when it is first in the queue and should commit the next batch. One
        // shared condition woke every queued writer for every batch (most of them back to
        // sleep at once), which cost more than the commits.
        while (!mine.done) {
            if (leading_) {
                mine.wake.wait(lock);
                continue;
            }
            leading_ = true;
            std::vector<Pending*> batch;
            batch.swap(queue_);
            lock.unlock();
            commit_batch(batch);
            lock.lock();
            leading_ = false;
            for (Pending* p : batch) {
                p->done = true;
                if (p != &mine) p->wake.notify_one();
            }
            if (!queue_.empty()) queue_.front()->wake.notify_one();
        }
        if (mine.error) std::rethrow_exception(mine.error);
        return std::move(*result);
    }

    struct Pending {
        std::function<void()> run;
        std::exception_ptr error;
        bool done = false;
        std::condition_variable wake;
    };

    void commit_batch(const std::vector<Pending*>& batch) {
        std::lock_guard lock(mutex_);
        try {
            Transaction tx = db_.transaction();
            for (Pending* p : batch) {
                try {
                    Transaction savepoint = db_.transaction();
                    p->run();
                    savepoint.commit();
                } catch (...) {
                    p->error = std::current_exception();
                }
            }
            tx.commit();
        } catch (...) {
            // Nothing of the batch is durable: every writer in it hears so.
            for (Pending* p : batch) p->error = std::current_exception();
        }
    }

    bool remember_nonce_now(std::string_view device_id, std::string_view nonce,
                            Clock::time_point now, Clock::time_point keep_since) {
        Transaction tx = db_.transaction();
        // Forgetting old nonces one device at a time on every request cost a scan per
        // request; now and then, all of them at once, by age.
        if (++nonces_since_cleanup_ >= kNonceCleanupEvery) {
            nonces_since_cleanup_ = 0;
            db_.prepare_cached("DELETE FROM server__nonces WHERE seen_at < ?")
                .bind_all(unix_seconds(keep_since))
                .run();
        }
        // std::string: an empty string_view may carry a null pointer, which binds as NULL.
        db_.prepare_cached(
               "INSERT OR IGNORE INTO server__nonces (device, nonce, seen_at) VALUES (?, ?, ?)")
            .bind_all(std::string(device_id), std::string(nonce), unix_seconds(now))
            .run();
        bool fresh = db_.changes() != 0;
        if (!fresh) {
            // Seen before: a replay, unless so long ago that it is as good as forgotten. The
            // writer holds the database's write lock here, so the read and the update are one.
            Statement seen = db_.prepare_cached(
                "SELECT seen_at FROM server__nonces WHERE device = ? AND nonce = ?");
            seen.bind_all(std::string(device_id), std::string(nonce));
            seen.step();
            fresh = !rules::nonce_replayed(seen.integer(0), keep_since);
            seen.reset();
            if (fresh)
                db_.prepare_cached(
                       "UPDATE server__nonces SET seen_at = ? WHERE device = ? AND nonce = ?")
                    .bind_all(unix_seconds(now), std::string(device_id), std::string(nonce))
                    .run();
        }
        tx.commit();
        return fresh;
    }

    PushOutcome push_event_now(const StoredEvent& event) {
        const rules::EventContent content = rules::content_of(event);
        const std::optional<std::string> tracking = rules::tcv_tracking(event);
        Transaction tx = db_.transaction();
        Statement insert = db_.prepare_cached(
            "INSERT OR IGNORE INTO server__events (device, uuid, centre, type, payload, "
            "payload_hash, received_at, created_at, clock_checked, citizen, tcv_tracking) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind_all(event.device, event.uuid, event.centre, event.type, event.payload,
                        content.payload_hash, rules::received_at(event));
        if (event.created_at.empty())
            insert.bind(8, nullptr);
        else
            insert.bind(8, event.created_at);
        if (event.clock_checked)
            insert.bind(9, *event.clock_checked ? 1 : 0);
        else
            insert.bind(9, nullptr);
        if (event.citizen.empty())
            insert.bind(10, nullptr);
        else
            insert.bind(10, event.citizen);
        if (tracking)
            insert.bind(11, *tracking);
        else
            insert.bind(11, nullptr);
        insert.run();
        if (db_.changes() != 0) {
            // A service delivered or a survey the evidence cannot count is not stored (the
            // transaction rolls back); checked here so that a survey finds the service sent
            // before it in the same batch.
            if (!fit_for_evidence(db_, event)) return PushOutcome::Rejected;
            // NISE's events: checked against what the centre's earlier ones did (a withdrawal
            // is for good) and projected, or rejected with nothing stored.
            if (std::optional<std::string> refused = nise::take(db_, event)) {
                spdlog::info("event {} of device {} rejected: {}", event.uuid, event.device,
                             *refused);
                return PushOutcome::Rejected;
            }
            // Projections of what was accepted, in its transaction: a duplicate never gets
            // here, so a re-sent event changes nothing. One that cannot be read is stored and
            // left out of the projection (in a savepoint of its own).
            if (muktopaath::concerns_learners(event)) {
                Transaction projection = db_.transaction();
                if (std::optional<std::string> skipped = muktopaath::project(db_, event))
                    spdlog::warn("event {} of device {} left out of muktopaath.learners: {}",
                                 event.uuid, event.device, *skipped);
                else
                    projection.commit();
            }
            tx.commit();
            return PushOutcome::Accepted;
        }
        // Seen before: a retry of the same event is fine, a different one under its uuid is not.
        PushOutcome outcome = PushOutcome::Conflict;
        {
            Statement stored = db_.prepare_cached(
                "SELECT payload_hash, type FROM server__events WHERE device = ? AND uuid = ?");
            stored.bind_all(event.device, event.uuid);
            if (!stored.step())
                throw StorageError(
                    fmt::format("{}: event {} of device {} was neither stored nor found",
                                db_.path().string(), event.uuid, event.device));
            outcome = rules::compare_pushed(
                {.type = stored.text(1), .payload_hash = stored.text(0)}, event);
        }
        tx.commit();
        return outcome;
    }

  public:
    std::string why_rejected(const StoredEvent& event) override {
        if (std::string reason = rejection_reason(event); !reason.empty()) return reason;
        Reader reader(*this);
        return nise::rejection(*reader, event);
    }

    std::vector<nise::Referral> nise_referrals(std::string_view centre,
                                               std::string_view opportunity) override {
        Reader reader(*this);
        return nise::list(*reader, centre, opportunity);
    }

    std::optional<nise::Referral> nise_referral(std::string_view centre,
                                                std::string_view reference) override {
        Reader reader(*this);
        return nise::find(*reader, centre, reference);
    }

    void set_nise_referral_status(std::string_view centre, std::string_view reference,
                                  std::string_view status, std::string_view answered_at) override {
        std::lock_guard lock(mutex_);
        nise::set_status(db_, centre, reference, status, answered_at);
    }

    std::vector<StoredEvent> events(std::string_view centre) override {
        std::lock_guard lock(mutex_);
        Statement rows = db_.prepare(
            "SELECT device, centre, uuid, type, payload, received_at, coalesce(created_at, ''), "
            "clock_checked, coalesce(citizen, ''), coalesce(purged_at, '') FROM server__events "
            "WHERE centre = ? ORDER BY received_at, uuid, device");
        rows.bind_all(centre);
        std::vector<StoredEvent> out;
        while (rows.step())
            out.push_back(
                {rows.text(0), rows.text(1), rows.text(2), rows.text(3), rows.text(4), rows.text(5),
                 rows.text(6),
                 rows.is_null(7) ? std::nullopt : std::optional<bool>(rows.integer(7) != 0),
                 rows.text(8), rows.text(9)});
        return out;
    }

    std::int64_t purge_citizen_data(std::string_view before, std::string_view actor) override {
        rules::check_purge_before(before);  // compared with received_at as text
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        const std::string now = utc_now_iso();
        // The envelope, and what kiosks before sealing sent in clear: the Digital Centre's
        // form fields and its kiosk-side hash (rules::kCitizenMembers).
        std::string paths, present;
        for (std::string_view member : rules::kCitizenMembers) {
            paths += fmt::format("{}'$.{}'", paths.empty() ? "" : ", ", member);
            present += fmt::format(" OR json_type(payload, '$.{}') IS NOT NULL", member);
        }
        db_
            .prepare(fmt::format(
                "UPDATE server__events SET payload = CASE WHEN json_valid(payload) THEN "
                "json_remove(payload, {}) ELSE '{{}}' END, citizen = NULL, purged_at = ? WHERE "
                "received_at < ? AND purged_at IS NULL AND (citizen IS NOT NULL OR NOT "
                "json_valid(payload){})",
                paths, present))
            .bind_all(now, std::string(before))
            .run();
        const std::int64_t purged = db_.changes();
        append_audit(
            now, actor, "events.purged",
            fmt::format("citizen data of {} event(s) received before {} deleted", purged, before));
        tx.commit();
        return purged;
    }

    void audit(std::string_view actor, std::string_view action, std::string_view detail) override {
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        append_audit(utc_now_iso(), actor, action, detail);
        tx.commit();
    }

    std::vector<AuditEntry> audit_log() override {
        std::lock_guard lock(mutex_);
        Statement rows =
            db_.prepare("SELECT seq, at, actor, action, detail FROM server__audit ORDER BY seq");
        std::vector<AuditEntry> out;
        while (rows.step())
            out.push_back(
                {rows.integer(0), rows.text(1), rows.text(2), rows.text(3), rows.text(4)});
        return out;
    }

    void add_dashboard_user(std::string_view name, std::string_view password_hash) override {
        rules::check_dashboard_user(name);
        std::lock_guard lock(mutex_);
        db_.prepare(
               "INSERT OR IGNORE INTO server__dashboard_users (name, password_hash, created_at) "
               "VALUES (?, ?, ?)")
            .bind_all(name, password_hash, utc_now_iso())
            .run();
        if (db_.changes() == 0)
            throw Error(fmt::format("dashboard user {} already exists; remove it first", name));
    }

    bool remove_dashboard_user(std::string_view name) override {
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        db_.prepare("DELETE FROM server__dashboard_sessions WHERE user = ?").bind_all(name).run();
        db_.prepare("DELETE FROM server__dashboard_users WHERE name = ?").bind_all(name).run();
        const bool removed = db_.changes() > 0;
        tx.commit();
        return removed;
    }

    std::vector<DashboardUser> dashboard_users() override {
        Reader reader(*this);
        Statement rows = reader->prepare(
            "SELECT name, created_at, disabled FROM server__dashboard_users ORDER BY name");
        std::vector<DashboardUser> out;
        while (rows.step()) out.push_back({rows.text(0), rows.text(1), rows.integer(2) != 0});
        return out;
    }

    std::optional<std::string> dashboard_password_hash(std::string_view name) override {
        Reader reader(*this);
        Statement row = reader->prepare(
            "SELECT password_hash FROM server__dashboard_users WHERE name = ? AND disabled = 0");
        row.bind_all(name);
        if (!row.step()) return std::nullopt;
        return row.text(0);
    }

    void add_dashboard_session(std::string_view token_hash, const DashboardSession& session,
                               Clock::time_point now) override {
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        db_.prepare("DELETE FROM server__dashboard_sessions WHERE expires_at <= ?")
            .bind_all(unix_seconds(now))
            .run();
        db_.prepare(
               "INSERT INTO server__dashboard_sessions (token_hash, user, csrf, expires_at) "
               "VALUES (?, ?, ?, ?)")
            .bind_all(token_hash, session.user, session.csrf, unix_seconds(session.expires))
            .run();
        tx.commit();
    }

    std::optional<DashboardSession> dashboard_session(std::string_view token_hash,
                                                      Clock::time_point now) override {
        Reader reader(*this);
        Statement row = reader->prepare(
            "SELECT s.user, s.csrf, s.expires_at FROM server__dashboard_sessions s JOIN "
            "server__dashboard_users u ON u.name = s.user WHERE s.token_hash = ? AND "
            "s.expires_at > ? AND u.disabled = 0");
        row.bind_all(token_hash, unix_seconds(now));
        if (!row.step()) return std::nullopt;
        return DashboardSession{row.text(0), row.text(1), from_unix_seconds(row.integer(2))};
    }

    void end_dashboard_session(std::string_view token_hash) override {
        std::lock_guard lock(mutex_);
        db_.prepare("DELETE FROM server__dashboard_sessions WHERE token_hash = ?")
            .bind_all(token_hash)
            .run();
    }

    void add_login_failure(std::string_view address, std::string_view user,
                           Clock::time_point now) override {
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        db_.prepare("DELETE FROM server__login_failures WHERE at < ?")
            .bind_all(unix_seconds(now - rules::kLoginFailureMemory))
            .run();
        db_.prepare("INSERT INTO server__login_failures (address, user, at) VALUES (?, ?, ?)")
            .bind_all(rules::login_failure_field(address), rules::login_failure_field(user),
                      unix_seconds(now))
            .run();
        tx.commit();
    }

    std::pair<LoginFailures, LoginFailures> login_failures(std::string_view address,
                                                           std::string_view user,
                                                           Clock::time_point since) override {
        Reader reader(*this);
        auto count = [&](const char* sql, std::string_view who) {
            Statement row = reader->prepare(sql);
            row.bind_all(rules::login_failure_field(who), unix_seconds(since));
            row.step();
            return LoginFailures{row.integer(0), from_unix_seconds(row.integer(1))};
        };
        LoginFailures by_address = count(
            "SELECT count(*), coalesce(min(at), 0) FROM server__login_failures WHERE address = ? "
            "AND at >= ?",
            address);
        LoginFailures by_user;
        if (!user.empty())
            by_user = count(
                "SELECT count(*), coalesce(min(at), 0) FROM server__login_failures WHERE user = ? "
                "AND at >= ?",
                user);
        return {by_address, by_user};
    }

  private:
    void append_audit(const std::string& at, std::string_view actor, std::string_view action,
                      std::string_view detail) {
        db_.prepare("INSERT INTO server__audit (at, actor, action, detail) VALUES (?, ?, ?, ?)")
            .bind_all(at, std::string(actor), std::string(action), std::string(detail))
            .run();
    }

  public:
    std::int64_t event_count() override {
        std::lock_guard lock(mutex_);
        Statement count = db_.prepare("SELECT count(*) FROM server__events");
        count.step();
        return count.integer(0);
    }

    PublishReport publish(std::string_view channel, std::string_view scope,
                          const std::vector<ChannelRecord>& records, bool replace,
                          bool dry_run) override {
        rules::check_channel_name(channel);
        // Check and canonicalise every record before touching the database.
        const rules::CanonicalRecords incoming = rules::canonical_records(channel, records);

        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        if (!scope.empty() && !centre_exists_locked(scope))
            throw Error(fmt::format("centre {} does not exist; create it first", scope));
        std::int64_t head = 0;
        {
            Statement row =
                db_.prepare("SELECT per_centre, head FROM server__channels WHERE name = ?");
            row.bind_all(channel);
            if (row.step()) {
                rules::check_scope(channel, row.integer(0) != 0, scope);
                head = row.integer(1);
            } else {
                db_.prepare(
                       "INSERT INTO server__channels (name, per_centre, updated_at) VALUES (?, ?, "
                       "?)")
                    .bind_all(channel, scope.empty() ? 0 : 1, utc_now_iso())
                    .run();
            }
        }
        // key -> data hash. Only a replace needs every live key (to tombstone the missing
        // ones); adding a few records (a device's trust entry at each enrollment) reads just
        // those, so that its cost does not grow with the channel.
        std::map<std::string, std::string, std::less<>> live;
        if (replace) {
            Statement rows = db_.prepare(
                "SELECT key, data_hash FROM server__channel_records WHERE channel = ? AND "
                "scope = ? AND data IS NOT NULL");
            rows.bind_all(channel, scope);
            while (rows.step()) live.emplace(rows.text(0), rows.text(1));
        } else {
            Statement row = db_.prepare(
                "SELECT data_hash FROM server__channel_records WHERE channel = ? AND scope = ? "
                "AND key = ? AND data IS NOT NULL");
            for (const auto& [key, record] : incoming) {
                row.reset();
                row.bind_all(channel, scope, key);
                if (row.step()) live.emplace(key, row.text(0));
            }
        }
        const rules::PublishPlan plan = rules::plan_publish(live, incoming, replace, head);
        Statement upsert = db_.prepare(
            "INSERT INTO server__channel_records (channel, scope, key, data, data_hash, version) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (channel, scope, key) DO UPDATE SET "
            "data = ?4, data_hash = ?5, version = ?6");
        for (const rules::RecordWrite& write : plan.writes) {
            upsert.bind(1, channel).bind(2, scope).bind(3, write.key);
            if (write.record) {
                upsert.bind(4, write.record->data).bind(5, write.record->hash);
            } else {
                upsert.bind(4, nullptr).bind(5, nullptr);
            }
            upsert.bind(6, ++head).run();
            upsert.reset();
        }
        db_.prepare("UPDATE server__channels SET head = ?, updated_at = ? WHERE name = ?")
            .bind_all(plan.report.head, utc_now_iso(), channel)
            .run();
        if (!dry_run) tx.commit();
        return plan.report;
    }

    ChannelPage changes(std::string_view channel, std::string_view centre,
                        const std::optional<ChannelCursor>& cursor, std::size_t limit,
                        std::size_t max_bytes) override {
        Reader reader(*this);
        // One read transaction: the page, the head and the horizon agree with each other.
        reader->exec("BEGIN");
        try {
            ChannelPage page = read_changes(*reader, channel, centre, cursor, limit, max_bytes);
            reader->exec("COMMIT");
            return page;
        } catch (...) {
            reader->exec("ROLLBACK");
            throw;
        }
    }

    std::pair<std::int64_t, std::int64_t> channel_version(std::string_view channel) override {
        Reader reader(*this);
        Statement row =
            reader->prepare("SELECT head, horizon FROM server__channels WHERE name = ?");
        row.bind_all(channel);
        if (!row.step()) return {0, 0};
        return {row.integer(0), row.integer(1)};
    }

    std::pair<std::int64_t, std::int64_t> channel_version(std::string_view channel,
                                                          std::string_view centre) override {
        Reader reader(*this);
        return visible_version(*reader, channel, centre);
    }

    std::int64_t compact(std::string_view channel, std::int64_t up_to) override {
        std::lock_guard lock(mutex_);
        Transaction tx = db_.transaction();
        Statement row = db_.prepare("SELECT head FROM server__channels WHERE name = ?");
        row.bind_all(channel);
        if (!row.step()) throw Error(fmt::format("there is no channel {}", channel));
        up_to = rules::compaction_bound(up_to, row.integer(0));
        db_.prepare(
               "DELETE FROM server__channel_records WHERE channel = ? AND data IS NULL AND "
               "version <= ?")
            .bind_all(channel, up_to)
            .run();
        std::int64_t forgotten = db_.changes();
        db_.prepare("UPDATE server__channels SET horizon = max(horizon, ?) WHERE name = ?")
            .bind_all(up_to, channel)
            .run();
        tx.commit();
        return forgotten;
    }

    std::vector<ChannelInfo> channels() override {
        std::lock_guard lock(mutex_);
        Statement rows = db_.prepare(
            "SELECT c.name, c.per_centre, c.head, c.horizon, "
            "(SELECT count(*) FROM server__channel_records r WHERE r.channel = c.name AND "
            "r.data IS NOT NULL), "
            "(SELECT count(*) FROM server__channel_records r WHERE r.channel = c.name AND "
            "r.data IS NULL) FROM server__channels c ORDER BY c.name");
        std::vector<ChannelInfo> out;
        while (rows.step())
            out.push_back({rows.text(0), rows.integer(1) != 0, rows.integer(2), rows.integer(3),
                           rows.integer(4), rows.integer(5)});
        return out;
    }

  private:
    ChannelPage read_changes(Database& reader, std::string_view channel, std::string_view centre,
                             const std::optional<ChannelCursor>& cursor, std::size_t limit,
                             std::size_t max_bytes) {
        const auto [head, horizon] = visible_version(reader, channel, centre);
        rules::PageBuilder page(cursor, head, horizon, limit, max_bytes);
        Statement rows = reader.prepare(
            "SELECT key, data, version FROM server__channel_records WHERE channel = ? AND "
            "version > ? AND (scope = '' OR scope = ?) ORDER BY version LIMIT ?");
        rows.bind_all(channel, page.after(), centre, static_cast<std::int64_t>(limit) + 1);
        while (rows.step()) {
            ChannelChange change{rows.text(0), std::nullopt, rows.integer(2)};
            if (!rows.is_null(1)) change.data = rows.text(1);
            if (!page.add(std::move(change))) break;
        }
        return std::move(page).finish();
    }

    // {head, horizon} of `channel` as `centre` sees it (rules::visible_head).
    static std::pair<std::int64_t, std::int64_t> visible_version(Database& db,
                                                                 std::string_view channel,
                                                                 std::string_view centre) {
        Statement row = db.prepare_cached(
            "SELECT head, horizon, per_centre FROM server__channels WHERE name = ?");
        row.bind_all(channel);
        if (!row.step()) return {0, 0};
        const std::int64_t head = row.integer(0), horizon = row.integer(1);
        const bool per_centre = row.integer(2) != 0;
        std::int64_t own_last = 0;  // a per-centre channel's head is the centre's own
        if (per_centre) {
            Statement own = db.prepare_cached(
                "SELECT coalesce(max(version), 0) FROM server__channel_records WHERE channel = ? "
                "AND scope = ?");
            own.bind_all(channel, centre);
            own.step();
            own_last = own.integer(0);
        }
        return {rules::visible_head(per_centre, head, horizon, own_last), horizon};
    }

    bool centre_exists_locked(std::string_view id) {
        Statement row = db_.prepare("SELECT 1 FROM server__centres WHERE id = ?");
        row.bind_all(id);
        return row.step();
    }

    std::mutex mutex_;  // one connection, many worker threads
    std::mutex queue_mutex_;
    std::vector<Pending*> queue_;
    bool leading_ = false;
    Database db_;
    // Connections for reads: every signed request looks its device up, and pulls read pages;
    // several let them run side by side, and beside the writer (WAL).
    static constexpr int kReaders = 4;
    std::vector<Database> readers_;
    std::mutex readers_mutex_;
    std::condition_variable reader_free_;
    std::vector<Database*> free_readers_;

    // A reader connection for as long as this lives.
    class Reader {
      public:
        explicit Reader(SqliteStore& store) : store_(store) {
            std::unique_lock lock(store_.readers_mutex_);
            store_.reader_free_.wait(lock, [&] { return !store_.free_readers_.empty(); });
            db_ = store_.free_readers_.back();
            store_.free_readers_.pop_back();
        }
        ~Reader() {
            {
                std::lock_guard lock(store_.readers_mutex_);
                store_.free_readers_.push_back(db_);
            }
            store_.reader_free_.notify_one();
        }
        Reader(const Reader&) = delete;
        Reader& operator=(const Reader&) = delete;
        Database* operator->() const { return db_; }
        Database& operator*() const { return *db_; }

      private:
        SqliteStore& store_;
        Database* db_ = nullptr;
    };
    static constexpr int kNonceCleanupEvery = 1024;
    int nonces_since_cleanup_ = 0;  // under mutex_
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& file) {
    if (sodium_init() < 0) throw StorageError("libsodium failed to initialise");
    Database db = Database::open(file);
    apply_migrations(db, "server", kServerMigrations);
    fill_key_ids(db);
    return std::make_unique<SqliteStore>(std::move(db));
}

}  // namespace seba::server
