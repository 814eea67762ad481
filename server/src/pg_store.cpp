// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL store behind seba-server (docs/deployment.md, "PostgreSQL"): the same
// behaviour as the SQLite store, the same rules (store_rules.hpp), on a pool of connections
// (pg_pool.hpp) shared by the server's worker threads. Several seba-servers may share the
// database: everything they must agree on comes from it (primary keys, row locks, advisory
// locks, transactions), never from this process (docs/architecture.md, "Rules and stores").
//
// Isolation, chosen per method: read committed with row locks where a lock says enough (the
// push path, enrollment, publishing), repeatable read for reads that must agree with
// themselves (a page of changes, the evidence), single statements without a transaction for
// point reads. Nothing here needs serializable.
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <utility>

#include "pg_migrations.hpp"
#include "pg_parts.hpp"
#include "pg_pool.hpp"
#include "pg_schema.hpp"
#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/server/store.hpp"
#include "store_rules.hpp"

namespace seba::server {

namespace {

using rules::from_unix_seconds;
using rules::iso_time;
using rules::unix_seconds;

// The PostgreSQL store's schema. Append new versions; never edit an applied one.
std::vector<pg::Migration> migrations() {
    return {
        {1, "centres, enrollment, devices, nonces, events, channels, audit, dashboard",
         pg::kCoreSchema},
        {2, "MuktoPaath learners: who is who, and events waiting for an enrolment",
         pg::muktopaath::kSchema},
        {3, "NISE profiles, withdrawals and referrals", pg::nise::kSchema},
    };
}

std::string text(std::string_view s) {
    return std::string(s);
}

// A nullable text parameter: "" binds as NULL (libpqxx 6 binds a null char pointer as NULL).
const char* or_null(const std::string& s) {
    return s.empty() ? nullptr : s.c_str();
}

pqxx::binarystring bytes(const std::array<std::uint8_t, 32>& key) {
    return pqxx::binarystring(key.data(), key.size());
}

std::string now_iso() {
    return iso_time(Clock::now());
}

// A statement of this file, prepared on the connection the first time it runs there (libpqxx
// keeps the definition per connection and prepares it lazily; registering it again is a
// lookup). Parsing and planning once per connection, not per push.
template <typename... Args>
pqxx::result run_prepared(pqxx::transaction_base& tx, const char* name, const char* sql,
                          Args&&... args) {
    tx.conn().prepare(name, sql);
    return tx.exec_prepared(name, std::forward<Args>(args)...);
}

constexpr const char* kDeviceColumns =
    "id, centre, public_key, revoked, enrolled_at, coalesce(revoked_at, '')";

Device read_device(const pqxx::row& row) {
    // Columns: kDeviceColumns.
    Device device;
    device.id = row[0].as<std::string>();
    device.centre = row[1].as<std::string>();
    const pqxx::binarystring key(row[2]);
    if (key.size() != device.public_key.size())
        throw StorageError(
            fmt::format("device {} has a stored public key of {} bytes instead of {}", device.id,
                        key.size(), device.public_key.size()));
    std::copy(key.begin(), key.end(), device.public_key.begin());
    device.revoked = row[3].as<bool>();
    device.enrolled_at = row[4].as<std::string>();
    device.revoked_at = row[5].as<std::string>();
    return device;
}

std::optional<Device> device_where(pqxx::transaction_base& tx, const char* column,
                                   std::string_view value) {
    // Every signed request reads its device: prepared, as the push's statements.
    const std::string sql =
        fmt::format("SELECT {} FROM server__devices WHERE {} = $1", kDeviceColumns, column);
    const pqxx::result rows = run_prepared(tx, fmt::format("seba_device_by_{}", column).c_str(),
                                           sql.c_str(), text(value));
    if (rows.empty()) return std::nullopt;
    return read_device(rows[0]);
}

bool centre_exists_in(pqxx::transaction_base& tx, std::string_view id) {
    return !tx.exec_params("SELECT 1 FROM server__centres WHERE id = $1", text(id)).empty();
}

// {head, horizon} of `channel` as `centre` sees it (rules::visible_head).
std::pair<std::int64_t, std::int64_t> visible_version(pqxx::transaction_base& tx,
                                                      std::string_view channel,
                                                      std::string_view centre) {
    const pqxx::result row = tx.exec_params(
        "SELECT c.head, c.horizon, c.per_centre, CASE WHEN c.per_centre THEN (SELECT "
        "coalesce(max(r.version), 0) FROM server__channel_records r WHERE r.channel = c.name "
        "AND r.scope = $2) ELSE 0 END FROM server__channels c WHERE c.name = $1",
        text(channel), text(centre));
    if (row.empty()) return {0, 0};
    const std::int64_t head = row[0][0].as<std::int64_t>();
    const std::int64_t horizon = row[0][1].as<std::int64_t>();
    return {rules::visible_head(row[0][2].as<bool>(), head, horizon, row[0][3].as<std::int64_t>()),
            horizon};
}

// A text[] parameter as PostgreSQL's array literal: each element in double quotes with \ and "
// escaped, NULL for a null pointer. libpq reads a parameter up to its first NUL, so an
// element is cut there too: an event is stored as one sent alone would be.
class TextArray {
  public:
    void add(const char* value) {
        literal_ += literal_.size() == 1 ? "" : ",";
        if (value == nullptr) {
            literal_ += "NULL";
            return;
        }
        literal_ += '"';
        for (const char* c = value; *c != '\0'; ++c) {
            if (*c == '"' || *c == '\\') literal_ += '\\';
            literal_ += *c;
        }
        literal_ += '"';
    }
    void add(const std::string& value) { add(value.c_str()); }
    std::string literal() const { return literal_ + '}'; }

  private:
    std::string literal_ = "{";
};

// The columns of plain events (pg::checked_on_push false), one array each, in push order:
// parameters $1-$11 of kInsertEvents and kPushPlain.
struct EventColumns {
    TextArray device, uuid, centre, type, payload, payload_hash, received_at, created_at,
        clock_checked, citizen, tcv_tracking;

    void add(const StoredEvent& event) {
        const std::optional<std::string> tracking = rules::tcv_tracking(event);
        device.add(event.device);
        uuid.add(event.uuid);
        centre.add(event.centre);
        type.add(event.type);
        payload.add(event.payload);
        payload_hash.add(rules::content_of(event).payload_hash);
        received_at.add(rules::received_at(event));
        created_at.add(or_null(event.created_at));
        clock_checked.add(event.clock_checked ? (*event.clock_checked ? "true" : "false")
                                              : nullptr);
        citizen.add(or_null(event.citizen));
        tcv_tracking.add(tracking ? tracking->c_str() : nullptr);
    }
};

// The rows of EventColumns, inserted in push order (seq as each event alone would get it);
// one already stored under its (device, uuid), or earlier in the same rows, is left as it is.
#define SEBA_INSERT_EVENTS_FROM_ARRAYS                                                         \
    "INSERT INTO server__events (device, uuid, centre, type, payload, payload_hash, "          \
    "received_at, created_at, clock_checked, citizen, tcv_tracking) SELECT e.device, e.uuid, " \
    "e.centre, e.type, e.payload, e.payload_hash, e.received_at, e.created_at, "               \
    "e.clock_checked, e.citizen, e.tcv_tracking FROM unnest($1::text[], $2::text[], "          \
    "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], "  \
    "$10::text[], $11::text[]) WITH ORDINALITY AS e(device, uuid, centre, type, payload, "     \
    "payload_hash, received_at, created_at, clock_checked, citizen, tcv_tracking, n) "

// Plain events inside a push's transaction: which rows were new.
constexpr const char* kInsertEvents =
    SEBA_INSERT_EVENTS_FROM_ARRAYS "ORDER BY e.n ON CONFLICT DO NOTHING RETURNING device, uuid";

// A whole signed push of plain events in one statement, so one round trip and one commit
// (autocommit: the statement is its own transaction, durable as any commit): the nonce
// ($12 device, $13 nonce, $14 seen_at) and the events only if the nonce was new. Rows: one
// (true, NULL, NULL) when the nonce was new, then (false, device, uuid) per event stored.
constexpr const char* kPushPlain =
    "WITH nonce AS (INSERT INTO server__nonces (device, nonce, seen_at) VALUES ($12, $13, $14) "
    "ON CONFLICT DO NOTHING RETURNING 1), stored AS (" SEBA_INSERT_EVENTS_FROM_ARRAYS
    "WHERE EXISTS (SELECT 1 FROM nonce) ORDER BY e.n ON CONFLICT DO NOTHING RETURNING device, "
    "uuid) SELECT true, NULL::text, NULL::text FROM nonce UNION ALL SELECT false, device, uuid "
    "FROM stored";
#undef SEBA_INSERT_EVENTS_FROM_ARRAYS

// What was kept under the (device, uuid) pairs $1, $2 (text[] each).
constexpr const char* kFindEvents =
    "SELECT e.device, e.uuid, e.payload_hash, e.type FROM server__events e JOIN "
    "unnest($1::text[], $2::text[]) AS k(device, uuid) ON e.device = k.device AND e.uuid = "
    "k.uuid";

// Plain events per statement: bounds a statement's size (a push holds at most
// sync_limits::kMaxEventsPerPush events; push_events() may be handed more).
constexpr std::size_t kRowsPerStatement = 1000;

using EventKey = std::pair<std::string, std::string>;  // (device, uuid)

// The events at `indexes`, which `rows` (device, uuid from column `first`) say were stored
// now: the first of each key pushed is accepted. The others are left in `indexes`.
void accept_stored(const pqxx::result& rows, pqxx::row::size_type first,
                   const std::vector<StoredEvent>& events, std::vector<std::size_t>& indexes,
                   std::vector<PushOutcome>& out) {
    std::set<EventKey> stored;
    for (const pqxx::row& row : rows)
        if (!row[first].is_null())
            stored.emplace(row[first].as<std::string>(), row[first + 1].as<std::string>());
    std::vector<std::size_t> seen_before;
    for (std::size_t i : indexes) {
        if (stored.erase(EventKey{events[i].device, events[i].uuid}) != 0)
            out[i] = PushOutcome::Accepted;
        else
            seen_before.push_back(i);
    }
    indexes.swap(seen_before);
}

// Events at `indexes` that were stored before (or earlier in the same push): a retry of the
// same event is a duplicate, a different one under its uuid a conflict (rules::compare_pushed).
void compare_with_kept(pqxx::transaction_base& tx, const std::vector<StoredEvent>& events,
                       const std::vector<std::size_t>& indexes, std::vector<PushOutcome>& out) {
    if (indexes.empty()) return;
    TextArray devices, uuids;
    for (std::size_t i : indexes) {
        devices.add(events[i].device);
        uuids.add(events[i].uuid);
    }
    std::map<EventKey, rules::EventContent> kept;
    for (const pqxx::row& row :
         run_prepared(tx, "seba_find_events", kFindEvents, devices.literal(), uuids.literal()))
        kept.emplace(EventKey{row[0].as<std::string>(), row[1].as<std::string>()},
                     rules::EventContent{.type = row[3].as<std::string>(),
                                         .payload_hash = row[2].as<std::string>()});
    for (std::size_t i : indexes) {
        auto found = kept.find(EventKey{events[i].device, events[i].uuid});
        if (found == kept.end())
            throw StorageError(fmt::format("event {} of device {} was neither stored nor found",
                                           events[i].uuid, events[i].device));
        out[i] = rules::compare_pushed(found->second, events[i]);
    }
}

// A savepoint by SQL, not pqxx::subtransaction: the projections (pg_parts.hpp) take the
// push's pqxx::work itself, which libpqxx would refuse while a subtransaction is open.
class Savepoint {
  public:
    Savepoint(pqxx::work& tx, const char* name) : tx_(tx), name_(name) {
        tx_.exec(fmt::format("SAVEPOINT {}", name_));
    }
    void release() { tx_.exec(fmt::format("RELEASE SAVEPOINT {}", name_)); }
    void roll_back() {
        tx_.exec(fmt::format("ROLLBACK TO SAVEPOINT {0}; RELEASE SAVEPOINT {0}", name_));
    }

  private:
    pqxx::work& tx_;
    const char* name_;
};

class PgStore final : public Store {
  public:
    explicit PgStore(const pg::PoolConfig& config) : pool_(config) {
        pg::migrate(pool_, migrations());
        fill_key_ids();
    }

    int concurrent_requests() override { return pool_.config().max_connections; }

  private:
    // A transaction on the pool (retried on serialization failures and deadlocks); what
    // libpq or libpqxx throw becomes a StorageError naming the database. The pool's own
    // errors (Busy, Unavailable, Conflict) and the rules' pass as they are.
    template <typename Fn>
    auto write(Fn&& fn, pg::Isolation isolation = pg::Isolation::read_committed) {
        try {
            return pool_.with_transaction(std::forward<Fn>(fn), isolation);
        } catch (const seba::Error&) {
            throw;
        } catch (const std::exception& e) {
            throw storage_error(e);
        }
    }

    // One statement outside a transaction (a point read): one round trip, not three. A
    // connection the database dropped is replaced once, as the pool does for transactions.
    template <typename Fn>
    auto read(Fn&& fn) {
        for (int attempt = 0;; ++attempt) {
            pg::Pool::Lease lease = pool_.acquire();
            try {
                pqxx::nontransaction tx(*lease);
                return fn(tx);
            } catch (const seba::Error&) {
                throw;
            } catch (const pqxx::broken_connection& e) {
                lease.discard();
                if (attempt > 0)
                    throw pg::Unavailable(fmt::format("{}: the connection was lost ({})",
                                                      pool_.config().describe(), one_line(e)));
            } catch (const std::exception& e) {
                if (!lease->is_open()) lease.discard();
                throw storage_error(e);
            }
        }
    }

    static std::string one_line(const std::exception& e) {
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        while (!what.empty() && what.back() == ' ') what.pop_back();
        return what;
    }

    StorageError storage_error(const std::exception& e) const {
        return StorageError(fmt::format("{}: {}", pool_.config().describe(), one_line(e)));
    }

  public:
    void create_centre(std::string_view id, std::string_view name) override {
        rules::check_new_centre(id, name);
        const bool created = write([&](pqxx::work& tx) {
            return tx.exec_params(
                         "INSERT INTO server__centres (id, name, created_at) VALUES ($1, $2, "
                         "$3) ON CONFLICT DO NOTHING",
                         text(id), text(name), now_iso())
                       .affected_rows() != 0;
        });
        if (!created) throw Error(fmt::format("centre {} already exists", id));
    }

    bool centre_exists(std::string_view id) override {
        return read([&](pqxx::nontransaction& tx) { return centre_exists_in(tx, id); });
    }

    void set_centre_place(std::string_view centre, std::string_view region,
                          std::string_view district) override {
        for (std::string_view name : {region, district}) rules::check_place(name);
        const bool found = write([&](pqxx::work& tx) {
            return tx.exec_params(
                         "UPDATE server__centres SET region = $1, district = $2 WHERE id = $3",
                         text(region), text(district), text(centre))
                       .affected_rows() != 0;
        });
        if (!found) throw Error(fmt::format("centre {} does not exist", centre));
    }

    std::optional<std::pair<std::string, std::string>> centre_place(
        std::string_view centre) override {
        return read(
            [&](pqxx::nontransaction& tx) -> std::optional<std::pair<std::string, std::string>> {
                const pqxx::result row = tx.exec_params(
                    "SELECT region, district FROM server__centres WHERE id = $1", text(centre));
                if (row.empty()) return std::nullopt;
                return std::pair{row[0][0].as<std::string>(), row[0][1].as<std::string>()};
            });
    }

    Evidence evidence(EvidenceLevel level, const EvidenceFilter& filter) override {
        if (std::string problem = check(filter); !problem.empty()) throw Error(problem);
        // One snapshot: the figures of every row agree with each other.
        return write([&](pqxx::work& tx) { return pg::compute_evidence(tx, level, filter); },
                     pg::Isolation::repeatable_read);
    }

    std::string create_enrollment_code(std::string_view centre, std::chrono::seconds valid_for,
                                       Clock::time_point now) override {
        rules::check_code_validity(valid_for);
        return write([&](pqxx::work& tx) {
            if (!centre_exists_in(tx, centre))
                throw Error(fmt::format("centre {} does not exist; create it first", centre));
            // 31^10 codes make a clash all but impossible; retrying costs nothing if one does.
            std::string code;
            do {
                code = rules::new_enrollment_code();
            } while (tx.exec_params("INSERT INTO server__enrollment_codes (code_hash, centre, "
                                    "expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                    rules::code_hash(code), text(centre),
                                    unix_seconds(now + valid_for))
                         .affected_rows() == 0);
            return rules::display_code(code);
        });
    }

    Device enroll(std::string_view code, const std::array<std::uint8_t, 32>& public_key,
                  Clock::time_point now, std::string_view centre) override {
        using Action = rules::EnrollDecision::Action;
        const std::string code_hash = rules::code_hash(code);
        // A refused code's failure must be committed before the refusal is thrown: the
        // transaction returns the refusal, and it is thrown after the commit.
        struct Outcome {
            std::optional<Device> device;
            const char* refusal = nullptr;
        };
        const Outcome outcome = write([&](pqxx::work& tx) -> Outcome {
            const std::string scope = rules::failure_scope(centre, centre_exists_in(tx, centre));
            const std::int64_t window_start = rules::failure_window_start(now);
            // One enrollment of a scope at a time, across every seba-server: the failures are
            // counted and added without another attempt slipping in between.
            tx.exec_params("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                           "seba.enroll:" + scope);
            {
                const pqxx::result recent = tx.exec_params(
                    "SELECT count(*), coalesce(min(at), 0) FROM server__enrollment_failures "
                    "WHERE scope = $1 AND at > $2",
                    scope, window_start);
                if (std::optional<std::chrono::seconds> wait =
                        rules::enrollment_wait({.count = recent[0][0].as<std::int64_t>(),
                                                .oldest_at = recent[0][1].as<std::int64_t>()},
                                               now))
                    throw EnrollLimited(rules::kEnrollLimitedMessage, *wait);
            }
            rules::EnrollmentRows rows;
            {
                // The code's row stays locked until the commit: the same code used at two
                // servers at once binds one device; the second reads it used.
                const pqxx::result row = tx.exec_params(
                    "SELECT centre, expires_at, used_at IS NOT NULL, coalesce(device, '') FROM "
                    "server__enrollment_codes WHERE code_hash = $1 FOR UPDATE",
                    code_hash);
                if (!row.empty())
                    rows.code =
                        rules::CodeRow{row[0][0].as<std::string>(), row[0][1].as<std::int64_t>(),
                                       row[0][2].as<bool>(), row[0][3].as<std::string>()};
            }
            if (rows.code && !rows.code->device.empty())
                rows.code_device = device_where(tx, "id", rows.code->device);
            rows.key_enrolled =
                !tx.exec_params("SELECT 1 FROM server__devices WHERE public_key = $1",
                                bytes(public_key))
                     .empty();
            rules::EnrollDecision decision = rules::decide_enrollment(rows, public_key, scope, now);
            switch (decision.action) {
                case Action::ReturnDevice:
                    return {decision.device, nullptr};
                case Action::RefuseKeyEnrolled:
                    throw EnrollError(decision.message);
                case Action::RefuseBadCode:
                    tx.exec_params(
                        "DELETE FROM server__enrollment_failures WHERE scope = $1 AND at <= $2",
                        scope, window_start);
                    tx.exec_params(
                        "INSERT INTO server__enrollment_failures (scope, at) VALUES ($1, $2)",
                        scope, unix_seconds(now));
                    return {std::nullopt, decision.message};
                case Action::BindNew:
                    break;
            }
            Device& device = decision.device;
            // 64 random bits make an id clash all but impossible; retried if one happens. The
            // key's uniqueness is the database's: an enrollment of the same key that commits
            // first (at another server) makes this insert do nothing.
            for (;;) {
                device.id = rules::new_device_id();
                if (tx.exec_params("INSERT INTO server__devices (id, centre, public_key, "
                                   "enrolled_at, kid) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO "
                                   "NOTHING",
                                   device.id, device.centre, bytes(public_key), device.enrolled_at,
                                   credentials::key_id(public_key))
                        .affected_rows() != 0)
                    break;
                if (!tx.exec_params("SELECT 1 FROM server__devices WHERE public_key = $1",
                                    bytes(public_key))
                         .empty())
                    throw EnrollError(rules::kKeyEnrolledMessage);
            }
            tx.exec_params(
                "UPDATE server__enrollment_codes SET used_at = $1, device = $2 WHERE code_hash = "
                "$3",
                iso_time(now), device.id, code_hash);
            return {device, nullptr};
        });
        if (outcome.refusal) throw EnrollError(outcome.refusal);
        return *outcome.device;
    }

    std::optional<Device> device(std::string_view id) override {
        return read([&](pqxx::nontransaction& tx) { return device_where(tx, "id", id); });
    }

    std::optional<Device> device_by_key_id(std::string_view kid) override {
        return read([&](pqxx::nontransaction& tx) { return device_where(tx, "kid", kid); });
    }

    void revoke(std::string_view device_id) override {
        const bool found = write([&](pqxx::work& tx) {
            return tx.exec_params(
                         "UPDATE server__devices SET revoked = true, revoked_at = "
                         "coalesce(revoked_at, $1) WHERE id = $2",
                         now_iso(), text(device_id))
                       .affected_rows() != 0;
        });
        if (!found)
            throw Error(fmt::format("device {} is not enrolled; nothing to revoke", device_id));
    }

    std::vector<Device> devices() override {
        return read([&](pqxx::nontransaction& tx) {
            std::vector<Device> out;
            for (const pqxx::row& row : tx.exec(fmt::format(
                     "SELECT {} FROM server__devices ORDER BY id COLLATE \"C\"", kDeviceColumns)))
                out.push_back(read_device(row));
            return out;
        });
    }

    RevokedCredential revoke_credential(std::string_view id) override {
        rules::check_credential_id(id);
        return write([&](pqxx::work& tx) {
            tx.exec_params(
                "INSERT INTO server__revoked_credentials (id, revoked_at) VALUES ($1, $2) ON "
                "CONFLICT DO NOTHING",
                text(id), now_iso());
            const pqxx::row row = tx.exec_params1(
                "SELECT id, revoked_at FROM server__revoked_credentials WHERE id = $1", text(id));
            return RevokedCredential{row[0].as<std::string>(), row[1].as<std::string>()};
        });
    }

    std::vector<RevokedCredential> revoked_credentials() override {
        return read([&](pqxx::nontransaction& tx) {
            std::vector<RevokedCredential> out;
            for (const pqxx::row& row : tx.exec("SELECT id, revoked_at FROM "
                                                "server__revoked_credentials ORDER BY id COLLATE "
                                                "\"C\""))
                out.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
            return out;
        });
    }

    bool credential_revoked(std::string_view id) override {
        return read([&](pqxx::nontransaction& tx) {
            return !tx.exec_params("SELECT 1 FROM server__revoked_credentials WHERE id = $1",
                                   text(id))
                        .empty();
        });
    }

    bool remember_nonce(std::string_view device_id, std::string_view nonce, Clock::time_point now,
                        Clock::time_point keep_since) override {
        const bool fresh = write(
            [&](pqxx::work& tx) { return take_nonce(tx, device_id, nonce, now, keep_since); });
        forget_old_nonces(keep_since);
        return fresh;
    }

    PushOutcome push_event(const StoredEvent& event) override {
        return write([&](pqxx::work& tx) { return store_events(tx, {event}).at(0); });
    }

    std::vector<PushOutcome> push_events(const std::vector<StoredEvent>& events) override {
        return write([&](pqxx::work& tx) { return store_events(tx, events); });
    }

    // Its nonce and its events commit together, durable at the commit (synchronous_commit
    // stays on). No batching of our own: PostgreSQL already group-commits, since a backend
    // waiting to flush the WAL finds the records of concurrent commits flushed with its own
    // (one fsync for all of them). A push of plain events is one statement (kPushPlain);
    // one with events a check may reject, or a nonce seen before, one transaction.
    std::optional<std::vector<PushOutcome>> push_events_once(
        std::string_view device_id, std::string_view nonce, Clock::time_point now,
        Clock::time_point keep_since, const std::vector<StoredEvent>& events) override {
        std::optional<std::vector<PushOutcome>> outcomes;
        if (events.size() <= kRowsPerStatement &&
            std::none_of(events.begin(), events.end(), pg::checked_on_push))
            outcomes = push_plain_at_once(device_id, nonce, now, events);
        if (!outcomes)
            outcomes = write([&](pqxx::work& tx) -> std::optional<std::vector<PushOutcome>> {
                if (!take_nonce(tx, device_id, nonce, now, keep_since)) return std::nullopt;
                return store_events(tx, events);
            });
        forget_old_nonces(keep_since);
        return outcomes;
    }

    std::string why_rejected(const StoredEvent& event) override {
        if (std::string reason = rejection_reason(event); !reason.empty()) return reason;
        return write([&](pqxx::work& tx) { return pg::nise::rejection(tx, event); });
    }

    std::vector<nise::Referral> nise_referrals(std::string_view centre,
                                               std::string_view opportunity) override {
        return write([&](pqxx::work& tx) { return pg::nise::list(tx, centre, opportunity); });
    }

    std::optional<nise::Referral> nise_referral(std::string_view centre,
                                                std::string_view reference) override {
        return write([&](pqxx::work& tx) { return pg::nise::find(tx, centre, reference); });
    }

    void set_nise_referral_status(std::string_view centre, std::string_view reference,
                                  std::string_view status, std::string_view answered_at) override {
        write([&](pqxx::work& tx) {
            pg::nise::set_status(tx, centre, reference, status, answered_at);
        });
    }

    std::vector<StoredEvent> events(std::string_view centre) override {
        return read([&](pqxx::nontransaction& tx) {
            std::vector<StoredEvent> out;
            for (const pqxx::row& row : tx.exec_params(
                     "SELECT device, centre, uuid, type, payload, received_at, "
                     "coalesce(created_at, ''), clock_checked, coalesce(citizen, ''), "
                     "coalesce(purged_at, '') FROM server__events WHERE centre = $1 ORDER BY "
                     "received_at COLLATE \"C\", uuid COLLATE \"C\", device COLLATE \"C\"",
                     text(centre)))
                out.push_back(
                    {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>(),
                     row[6].as<std::string>(),
                     row[7].is_null() ? std::nullopt : std::optional<bool>(row[7].as<bool>()),
                     row[8].as<std::string>(), row[9].as<std::string>()});
            return out;
        });
    }

    std::int64_t event_count() override {
        return read([&](pqxx::nontransaction& tx) {
            return tx.exec("SELECT count(*) FROM server__events")[0][0].as<std::int64_t>();
        });
    }

    std::int64_t purge_citizen_data(std::string_view before, std::string_view actor) override {
        rules::check_purge_before(before);  // compared with received_at as text
        return write([&](pqxx::work& tx) {
            const std::string now = now_iso();
            // PostgreSQL 15 cannot test JSON text for validity in SQL (IS JSON is 16's), so the
            // events still holding data are read in pages and edited here, as SQLite's
            // json_remove does: the members named by rules::kCitizenMembers go, the order of
            // the rest stays; a payload that is no JSON becomes {}.
            std::int64_t purged = 0;
            std::string after_device, after_uuid;
            constexpr int kPage = 1000;
            for (;;) {
                const pqxx::result rows = tx.exec_params(
                    "SELECT device, uuid, payload, citizen IS NOT NULL FROM server__events WHERE "
                    "received_at COLLATE \"C\" < $1 AND purged_at IS NULL AND (device, uuid) > "
                    "($2, $3) ORDER BY device, uuid LIMIT $4 FOR UPDATE",
                    text(before), after_device, after_uuid, kPage);
                for (const pqxx::row& row : rows) {
                    std::optional<std::string> kept =
                        without_citizen_data(row[2].as<std::string>(), row[3].as<bool>());
                    if (!kept) continue;
                    tx.exec_params(
                        "UPDATE server__events SET payload = $1, citizen = NULL, purged_at = $2 "
                        "WHERE device = $3 AND uuid = $4",
                        *kept, now, row[0].as<std::string>(), row[1].as<std::string>());
                    ++purged;
                }
                if (rows.size() < static_cast<std::size_t>(kPage)) break;
                after_device = rows[rows.size() - 1][0].as<std::string>();
                after_uuid = rows[rows.size() - 1][1].as<std::string>();
            }
            append_audit(tx, now, actor, "events.purged",
                         fmt::format("citizen data of {} event(s) received before {} deleted",
                                     purged, before));
            return purged;
        });
    }

    void audit(std::string_view actor, std::string_view action, std::string_view detail) override {
        write([&](pqxx::work& tx) { append_audit(tx, now_iso(), actor, action, detail); });
    }

    std::vector<AuditEntry> audit_log() override {
        return read([&](pqxx::nontransaction& tx) {
            std::vector<AuditEntry> out;
            for (const pqxx::row& row :
                 tx.exec("SELECT seq, at, actor, action, detail FROM server__audit ORDER BY seq"))
                out.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(),
                               row[2].as<std::string>(), row[3].as<std::string>(),
                               row[4].as<std::string>()});
            return out;
        });
    }

    void add_dashboard_user(std::string_view name, std::string_view password_hash) override {
        rules::check_dashboard_user(name);
        const bool added = write([&](pqxx::work& tx) {
            return tx.exec_params(
                         "INSERT INTO server__dashboard_users (name, password_hash, "
                         "created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                         text(name), text(password_hash), now_iso())
                       .affected_rows() != 0;
        });
        if (!added)
            throw Error(fmt::format("dashboard user {} already exists; remove it first", name));
    }

    bool remove_dashboard_user(std::string_view name) override {
        return write([&](pqxx::work& tx) {
            tx.exec_params("DELETE FROM server__dashboard_sessions WHERE user_name = $1",
                           text(name));
            return tx.exec_params("DELETE FROM server__dashboard_users WHERE name = $1", text(name))
                       .affected_rows() != 0;
        });
    }

    std::vector<DashboardUser> dashboard_users() override {
        return read([&](pqxx::nontransaction& tx) {
            std::vector<DashboardUser> out;
            for (const pqxx::row& row :
                 tx.exec("SELECT name, created_at, disabled FROM server__dashboard_users ORDER "
                         "BY name COLLATE \"C\""))
                out.push_back(
                    {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<bool>()});
            return out;
        });
    }

    std::optional<std::string> dashboard_password_hash(std::string_view name) override {
        return read([&](pqxx::nontransaction& tx) -> std::optional<std::string> {
            const pqxx::result row = tx.exec_params(
                "SELECT password_hash FROM server__dashboard_users WHERE name = $1 AND NOT "
                "disabled",
                text(name));
            if (row.empty()) return std::nullopt;
            return row[0][0].as<std::string>();
        });
    }

    void add_dashboard_session(std::string_view token_hash, const DashboardSession& session,
                               Clock::time_point now) override {
        write([&](pqxx::work& tx) {
            tx.exec_params("DELETE FROM server__dashboard_sessions WHERE expires_at <= $1",
                           unix_seconds(now));
            tx.exec_params(
                "INSERT INTO server__dashboard_sessions (token_hash, user_name, csrf, expires_at) "
                "VALUES ($1, $2, $3, $4)",
                text(token_hash), session.user, session.csrf, unix_seconds(session.expires));
        });
    }

    std::optional<DashboardSession> dashboard_session(std::string_view token_hash,
                                                      Clock::time_point now) override {
        return read([&](pqxx::nontransaction& tx) -> std::optional<DashboardSession> {
            const pqxx::result row = tx.exec_params(
                "SELECT s.user_name, s.csrf, s.expires_at FROM server__dashboard_sessions s JOIN "
                "server__dashboard_users u ON u.name = s.user_name WHERE s.token_hash = $1 AND "
                "s.expires_at > $2 AND NOT u.disabled",
                text(token_hash), unix_seconds(now));
            if (row.empty()) return std::nullopt;
            return DashboardSession{row[0][0].as<std::string>(), row[0][1].as<std::string>(),
                                    from_unix_seconds(row[0][2].as<std::int64_t>())};
        });
    }

    void end_dashboard_session(std::string_view token_hash) override {
        write([&](pqxx::work& tx) {
            tx.exec_params("DELETE FROM server__dashboard_sessions WHERE token_hash = $1",
                           text(token_hash));
        });
    }

    void add_login_failure(std::string_view address, std::string_view user,
                           Clock::time_point now) override {
        write([&](pqxx::work& tx) {
            tx.exec_params("DELETE FROM server__login_failures WHERE at < $1",
                           unix_seconds(now - rules::kLoginFailureMemory));
            tx.exec_params(
                "INSERT INTO server__login_failures (address, user_name, at) VALUES ($1, $2, $3)",
                rules::login_failure_field(address), rules::login_failure_field(user),
                unix_seconds(now));
        });
    }

    std::pair<LoginFailures, LoginFailures> login_failures(std::string_view address,
                                                           std::string_view user,
                                                           Clock::time_point since) override {
        return read([&](pqxx::nontransaction& tx) {
            auto count = [&](const char* sql, std::string_view who) {
                const pqxx::row row =
                    tx.exec_params1(sql, rules::login_failure_field(who), unix_seconds(since));
                return LoginFailures{row[0].as<std::int64_t>(),
                                     from_unix_seconds(row[1].as<std::int64_t>())};
            };
            LoginFailures by_address = count(
                "SELECT count(*), coalesce(min(at), 0) FROM server__login_failures WHERE "
                "address = $1 AND at >= $2",
                address);
            LoginFailures by_user;
            if (!user.empty())
                by_user = count(
                    "SELECT count(*), coalesce(min(at), 0) FROM server__login_failures WHERE "
                    "user_name = $1 AND at >= $2",
                    user);
            return std::pair{by_address, by_user};
        });
    }

    PublishReport publish(std::string_view channel, std::string_view scope,
                          const std::vector<ChannelRecord>& records, bool replace,
                          bool dry_run) override {
        rules::check_channel_name(channel);
        // Check and canonicalise every record before touching the database.
        const rules::CanonicalRecords incoming = rules::canonical_records(channel, records);
        return write([&](pqxx::work& tx) {
            if (!scope.empty() && !centre_exists_in(tx, scope))
                throw Error(fmt::format("centre {} does not exist; create it first", scope));
            if (!dry_run)
                tx.exec_params(
                    "INSERT INTO server__channels (name, per_centre, updated_at) VALUES ($1, $2, "
                    "$3) ON CONFLICT DO NOTHING",
                    text(channel), !scope.empty(), now_iso());
            // The channel's row lock, held to the commit: versions are handed out once and
            // commit in order, so a reader's cursor never passes one that commits later.
            std::int64_t head = 0;
            const pqxx::result row = tx.exec_params(
                fmt::format("SELECT per_centre, head FROM server__channels WHERE name = $1{}",
                            dry_run ? "" : " FOR UPDATE"),
                text(channel));
            if (!row.empty()) {
                rules::check_scope(channel, row[0][0].as<bool>(), scope);
                head = row[0][1].as<std::int64_t>();
            }
            std::map<std::string, std::string, std::less<>> live;  // key -> data hash
            for (const pqxx::row& r : tx.exec_params(
                     "SELECT key, data_hash FROM server__channel_records WHERE channel = $1 AND "
                     "scope = $2 AND data IS NOT NULL",
                     text(channel), text(scope)))
                live.emplace(r[0].as<std::string>(), r[1].as<std::string>());
            const rules::PublishPlan plan = rules::plan_publish(live, incoming, replace, head);
            if (dry_run) return plan.report;
            for (const rules::RecordWrite& w : plan.writes)
                upsert_record(tx, channel, scope, w.key,
                              w.record ? w.record->data.c_str() : nullptr,
                              w.record ? w.record->hash.c_str() : nullptr, ++head);
            tx.exec_params("UPDATE server__channels SET head = $1, updated_at = $2 WHERE name = $3",
                           plan.report.head, now_iso(), text(channel));
            return plan.report;
        });
    }

    ChannelPage changes(std::string_view channel, std::string_view centre,
                        const std::optional<ChannelCursor>& cursor, std::size_t limit,
                        std::size_t max_bytes) override {
        // One snapshot (repeatable read, read only: it never conflicts): the page, the head
        // and the horizon agree with each other.
        return write(
            [&](pqxx::work& tx) {
                const auto [head, horizon] = visible_version(tx, channel, centre);
                rules::PageBuilder page(cursor, head, horizon, limit, max_bytes);
                for (const pqxx::row& row : tx.exec_params(
                         "SELECT key, data, version FROM server__channel_records WHERE channel = "
                         "$1 AND version > $2 AND (scope = '' OR scope = $3) ORDER BY version "
                         "LIMIT $4",
                         text(channel), page.after(), text(centre),
                         static_cast<std::int64_t>(limit) + 1)) {
                    ChannelChange change{row[0].as<std::string>(), std::nullopt,
                                         row[2].as<std::int64_t>()};
                    if (!row[1].is_null()) change.data = row[1].as<std::string>();
                    if (!page.add(std::move(change))) break;
                }
                return std::move(page).finish();
            },
            pg::Isolation::repeatable_read);
    }

    std::pair<std::int64_t, std::int64_t> channel_version(std::string_view channel) override {
        return read([&](pqxx::nontransaction& tx) -> std::pair<std::int64_t, std::int64_t> {
            const pqxx::result row = tx.exec_params(
                "SELECT head, horizon FROM server__channels WHERE name = $1", text(channel));
            if (row.empty()) return {0, 0};
            return {row[0][0].as<std::int64_t>(), row[0][1].as<std::int64_t>()};
        });
    }

    std::pair<std::int64_t, std::int64_t> channel_version(std::string_view channel,
                                                          std::string_view centre) override {
        return read([&](pqxx::nontransaction& tx) { return visible_version(tx, channel, centre); });
    }

    std::int64_t compact(std::string_view channel, std::int64_t up_to) override {
        return write([&](pqxx::work& tx) {
            const pqxx::result row = tx.exec_params(
                "SELECT head FROM server__channels WHERE name = $1 FOR UPDATE", text(channel));
            if (row.empty()) throw Error(fmt::format("there is no channel {}", channel));
            const std::int64_t bound = rules::compaction_bound(up_to, row[0][0].as<std::int64_t>());
            const std::int64_t forgotten =
                static_cast<std::int64_t>(tx.exec_params("DELETE FROM server__channel_records "
                                                         "WHERE channel = $1 AND data IS NULL "
                                                         "AND version <= $2",
                                                         text(channel), bound)
                                              .affected_rows());
            tx.exec_params(
                "UPDATE server__channels SET horizon = greatest(horizon, $1) WHERE name = $2",
                bound, text(channel));
            return forgotten;
        });
    }

    std::vector<ChannelInfo> channels() override {
        return read([&](pqxx::nontransaction& tx) {
            std::vector<ChannelInfo> out;
            for (const pqxx::row& row : tx.exec(
                     "SELECT c.name, c.per_centre, c.head, c.horizon, "
                     "(SELECT count(*) FROM server__channel_records r WHERE r.channel = c.name "
                     "AND r.data IS NOT NULL), "
                     "(SELECT count(*) FROM server__channel_records r WHERE r.channel = c.name "
                     "AND r.data IS NULL) FROM server__channels c ORDER BY c.name COLLATE \"C\""))
                out.push_back({row[0].as<std::string>(), row[1].as<bool>(),
                               row[2].as<std::int64_t>(), row[3].as<std::int64_t>(),
                               row[4].as<std::int64_t>(), row[5].as<std::int64_t>()});
            return out;
        });
    }

  private:
    // The nonce rule (rules::nonce_replayed) over the primary key (device, nonce): the insert
    // wins once across every server; a nonce seen before is read under its row lock, so two
    // servers taking an old one again cannot both succeed.
    static bool take_nonce(pqxx::work& tx, std::string_view device_id, std::string_view nonce,
                           Clock::time_point now, Clock::time_point keep_since) {
        if (tx.exec_params("INSERT INTO server__nonces (device, nonce, seen_at) VALUES ($1, $2, "
                           "$3) ON CONFLICT DO NOTHING",
                           text(device_id), text(nonce), unix_seconds(now))
                .affected_rows() != 0)
            return true;
        const pqxx::result seen = tx.exec_params(
            "SELECT seen_at FROM server__nonces WHERE device = $1 AND nonce = $2 FOR UPDATE",
            text(device_id), text(nonce));
        if (seen.empty()) return false;  // forgotten meanwhile by another server: still a replay
        if (rules::nonce_replayed(seen[0][0].as<std::int64_t>(), keep_since)) return false;
        tx.exec_params("UPDATE server__nonces SET seen_at = $1 WHERE device = $2 AND nonce = $3",
                       unix_seconds(now), text(device_id), text(nonce));
        return true;
    }

    // Now and then, the nonces too old to matter, all at once by age (its index), in a
    // statement of its own so that no push waits on it.
    void forget_old_nonces(Clock::time_point keep_since) {
        if (++nonces_since_cleanup_ % kNonceCleanupEvery != 0) return;
        try {
            write([&](pqxx::work& tx) {
                tx.exec_params("DELETE FROM server__nonces WHERE seen_at < $1",
                               unix_seconds(keep_since));
            });
        } catch (const seba::Error& e) {
            spdlog::warn("old nonces were not forgotten this time: {}", e.what());
        }
    }

    // A push's events in its transaction, outcomes in the order pushed. Plain events wait and
    // go in one statement; before an event a check looks at, those waiting are stored, so that
    // it finds them (a survey, the service sent before it in the same batch).
    static std::vector<PushOutcome> store_events(pqxx::work& tx,
                                                 const std::vector<StoredEvent>& events) {
        std::vector<PushOutcome> out(events.size(), PushOutcome::Rejected);
        std::vector<std::size_t> waiting;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (pg::checked_on_push(events[i])) {
                store_plain(tx, events, waiting, out);
                out[i] = store_event(tx, events[i]);
                continue;
            }
            waiting.push_back(i);
            if (waiting.size() == kRowsPerStatement) store_plain(tx, events, waiting, out);
        }
        store_plain(tx, events, waiting, out);
        return out;
    }

    // The plain events at `indexes` (emptied): stored once per (device, uuid) by the primary
    // key; a second server inserting the same one waits for the first's commit and then
    // finds its row (a duplicate). No check can reject them, so no savepoint.
    static void store_plain(pqxx::work& tx, const std::vector<StoredEvent>& events,
                            std::vector<std::size_t>& indexes, std::vector<PushOutcome>& out) {
        if (indexes.empty()) return;
        EventColumns columns;
        for (std::size_t i : indexes) columns.add(events[i]);
        const pqxx::result stored =
            run_prepared(tx, "seba_insert_events", kInsertEvents, columns.device.literal(),
                         columns.uuid.literal(), columns.centre.literal(), columns.type.literal(),
                         columns.payload.literal(), columns.payload_hash.literal(),
                         columns.received_at.literal(), columns.created_at.literal(),
                         columns.clock_checked.literal(), columns.citizen.literal(),
                         columns.tcv_tracking.literal());
        accept_stored(stored, 0, events, indexes, out);
        compare_with_kept(tx, events, indexes, out);
        indexes.clear();
    }

    // A signed push of plain events as one statement in autocommit; nullopt when its nonce
    // was not new (nothing was written: the transaction's rule decides) or the statement hit
    // a deadlock (nothing was written: the transaction retries).
    std::optional<std::vector<PushOutcome>> push_plain_at_once(
        std::string_view device_id, std::string_view nonce, Clock::time_point now,
        const std::vector<StoredEvent>& events) {
        pg::Pool::Lease lease = pool_.acquire();
        try {
            pqxx::nontransaction tx(*lease);
            EventColumns columns;
            for (const StoredEvent& event : events) columns.add(event);
            const pqxx::result rows = run_prepared(
                tx, "seba_push_plain", kPushPlain, columns.device.literal(), columns.uuid.literal(),
                columns.centre.literal(), columns.type.literal(), columns.payload.literal(),
                columns.payload_hash.literal(), columns.received_at.literal(),
                columns.created_at.literal(), columns.clock_checked.literal(),
                columns.citizen.literal(), columns.tcv_tracking.literal(), text(device_id),
                text(nonce), unix_seconds(now));
            if (std::none_of(rows.begin(), rows.end(),
                             [](const pqxx::row& row) { return row[0].as<bool>(); }))
                return std::nullopt;
            std::vector<PushOutcome> out(events.size(), PushOutcome::Rejected);
            std::vector<std::size_t> indexes(events.size());
            for (std::size_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
            accept_stored(rows, 1, events, indexes, out);
            // Committed: the rows kept under the others' ids are read as they are.
            compare_with_kept(tx, events, indexes, out);
            return out;
        } catch (const seba::Error&) {
            throw;
        } catch (const pqxx::deadlock_detected&) {
            return std::nullopt;
        } catch (const pqxx::serialization_failure&) {
            return std::nullopt;
        } catch (const pqxx::broken_connection& e) {
            // The statement is its own commit: lost on the way, it may have been stored or
            // not. The kiosk sends the push again (a new nonce; its events, duplicates).
            lease.discard();
            throw pg::Unavailable(fmt::format(
                "{}: the connection was lost during a push ({}); whether it was stored is "
                "unknown",
                pool_.config().describe(), one_line(e)));
        } catch (const std::exception& e) {
            if (!lease->is_open()) lease.discard();
            throw storage_error(e);
        }
    }

    // An event a check looks at (pg::checked_on_push), in the push's transaction: stored once
    // per (device, uuid) by the primary key, as store_plain; a rejected event leaves nothing
    // (its savepoint).
    static PushOutcome store_event(pqxx::work& tx, const StoredEvent& event) {
        const rules::EventContent content = rules::content_of(event);
        const std::optional<std::string> tracking = rules::tcv_tracking(event);
        Savepoint savepoint(tx, "seba_event");
        const bool inserted =
            tx.exec_params(
                  "INSERT INTO server__events (device, uuid, centre, type, payload, payload_hash, "
                  "received_at, created_at, clock_checked, citizen, tcv_tracking) VALUES ($1, $2, "
                  "$3, $4, $5, $6, $7, $8, $9::boolean, $10, $11) ON CONFLICT DO NOTHING",
                  event.device, event.uuid, event.centre, event.type, event.payload,
                  content.payload_hash, rules::received_at(event), or_null(event.created_at),
                  event.clock_checked ? (*event.clock_checked ? "true" : "false") : nullptr,
                  or_null(event.citizen), tracking ? tracking->c_str() : nullptr)
                .affected_rows() != 0;
        if (inserted) {
            // A service delivered or a survey the evidence cannot count is not stored; checked
            // here so that a survey finds the service sent before it in the same batch.
            if (!pg::fit_for_evidence(tx, event)) {
                savepoint.roll_back();
                return PushOutcome::Rejected;
            }
            // NISE's events: checked against what the centre's earlier ones did, and
            // projected, or rejected with nothing stored.
            if (std::optional<std::string> refused = pg::nise::take(tx, event)) {
                spdlog::info("event {} of device {} rejected: {}", event.uuid, event.device,
                             *refused);
                savepoint.roll_back();
                return PushOutcome::Rejected;
            }
            // Projections of what was accepted: one that cannot be read is stored and left
            // out of the projection (a savepoint of its own).
            if (server::muktopaath::concerns_learners(event)) {
                Savepoint projection(tx, "seba_projection");
                if (std::optional<std::string> skipped = pg::muktopaath::project(tx, event)) {
                    spdlog::warn("event {} of device {} left out of muktopaath.learners: {}",
                                 event.uuid, event.device, *skipped);
                    projection.roll_back();
                } else {
                    projection.release();
                }
            }
            savepoint.release();
            return PushOutcome::Accepted;
        }
        savepoint.release();
        // Seen before: a retry of the same event is fine, a different one under its uuid is not.
        const pqxx::result kept = tx.exec_params(
            "SELECT payload_hash, type FROM server__events WHERE device = $1 AND uuid = $2",
            event.device, event.uuid);
        if (kept.empty())
            throw StorageError(fmt::format("event {} of device {} was neither stored nor found",
                                           event.uuid, event.device));
        return rules::compare_pushed(
            {.type = kept[0][1].as<std::string>(), .payload_hash = kept[0][0].as<std::string>()},
            event);
    }

    // The payload without its citizen data (rules::kCitizenMembers), or nullopt when there is
    // nothing to purge (as the SQLite store's purge chooses its rows).
    static std::optional<std::string> without_citizen_data(const std::string& payload,
                                                           bool has_citizen) {
        nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(payload, nullptr, false);
        if (parsed.is_discarded()) return std::string("{}");
        bool present = false;
        if (parsed.is_object())
            for (std::string_view member : rules::kCitizenMembers)
                present = parsed.erase(std::string(member)) > 0 || present;
        if (!present && !has_citizen) return std::nullopt;
        return parsed.dump();
    }

    static void append_audit(pqxx::work& tx, const std::string& at, std::string_view actor,
                             std::string_view action, std::string_view detail) {
        tx.exec_params(
            "INSERT INTO server__audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)", at,
            text(actor), text(action), text(detail));
    }

    static void upsert_record(pqxx::work& tx, std::string_view channel, std::string_view scope,
                              std::string_view key, const char* data, const char* hash,
                              std::int64_t version) {
        tx.exec_params(
            "INSERT INTO server__channel_records (channel, scope, key, data, data_hash, version) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, scope, key) DO UPDATE SET "
            "data = excluded.data, data_hash = excluded.data_hash, version = excluded.version",
            text(channel), text(scope), text(key), data, hash, version);
    }

    // Devices copied from an older store without their key id get it.
    void fill_key_ids() {
        write([&](pqxx::work& tx) {
            for (const pqxx::row& row :
                 tx.exec("SELECT id, public_key FROM server__devices WHERE kid IS NULL")) {
                const pqxx::binarystring key(row[1]);
                std::array<std::uint8_t, 32> public_key{};
                if (key.size() != public_key.size()) continue;
                std::copy(key.begin(), key.end(), public_key.begin());
                tx.exec_params("UPDATE server__devices SET kid = $1 WHERE id = $2",
                               credentials::key_id(public_key), row[0].as<std::string>());
            }
        });
    }

    pg::Pool pool_;
    static constexpr int kNonceCleanupEvery = 1024;
    std::atomic<unsigned> nonces_since_cleanup_{0};
};

}  // namespace

namespace pg {

void put_centre_record(pqxx::work& tx, std::string_view channel, std::string_view centre,
                       std::string_view key, const std::optional<std::string>& data) {
    tx.exec_params(
        "INSERT INTO server__channels (name, per_centre, updated_at) VALUES ($1, true, $2) ON "
        "CONFLICT DO NOTHING",
        text(channel), now_iso());
    // The channel's row lock, to the commit: this version commits before any later one.
    const pqxx::row channel_row = tx.exec_params1(
        "SELECT per_centre FROM server__channels WHERE name = $1 FOR UPDATE", text(channel));
    if (!channel_row[0].as<bool>())
        throw Error(fmt::format("channel {} is published for every centre", channel));
    const std::optional<std::string> hash =
        data ? std::optional<std::string>(rules::hash_hex(*data)) : std::nullopt;
    const pqxx::result kept = tx.exec_params(
        "SELECT data_hash FROM server__channel_records WHERE channel = $1 AND scope = $2 AND "
        "key = $3",
        text(channel), text(centre), text(key));
    const std::optional<std::string> kept_hash =
        kept.empty() || kept[0][0].is_null()
            ? std::nullopt
            : std::optional<std::string>(kept[0][0].as<std::string>());
    if (kept_hash == hash) return;  // already so (a tombstone for what is absent: nothing)
    const std::int64_t version =
        tx.exec_params1(
              "UPDATE server__channels SET head = head + 1, updated_at = $1 WHERE name = $2 "
              "RETURNING head",
              now_iso(), text(channel))[0]
            .as<std::int64_t>();
    tx.exec_params(
        "INSERT INTO server__channel_records (channel, scope, key, data, data_hash, version) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, scope, key) DO UPDATE SET data = "
        "excluded.data, data_hash = excluded.data_hash, version = excluded.version",
        text(channel), text(centre), text(key), data ? data->c_str() : nullptr,
        hash ? hash->c_str() : nullptr, version);
}

std::optional<std::string> centre_record(pqxx::work& tx, std::string_view channel,
                                         std::string_view scope, std::string_view key) {
    const pqxx::result row = tx.exec_params(
        "SELECT data FROM server__channel_records WHERE channel = $1 AND scope = $2 AND key = $3 "
        "AND data IS NOT NULL",
        text(channel), text(scope), text(key));
    if (row.empty()) return std::nullopt;
    return row[0][0].as<std::string>();
}

}  // namespace pg

std::unique_ptr<Store> open_postgres_store(const pg::PoolConfig& config) {
    if (sodium_init() < 0) throw StorageError("libsodium failed to initialise");
    try {
        return std::make_unique<PgStore>(config);
    } catch (const seba::Error&) {
        throw;
    } catch (const std::exception& e) {
        throw StorageError(fmt::format("{}: {}", config.describe(), e.what()));
    }
}

}  // namespace seba::server
