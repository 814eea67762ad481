// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/error.hpp"
#include "seba/server/evidence.hpp"
#include "seba/server/nise.hpp"

/// What seba-server keeps: centres, enrollment codes, devices, seen nonces, the events
/// kiosks pushed and the catalog channels kiosks pull. An interface, so that a PostgreSQL store can
/// join the SQLite one.
namespace seba::server {

using Clock = std::chrono::system_clock;

struct Device {
    std::string id;      ///< assigned by the server at enrollment ("dev-" + 16 hex)
    std::string centre;  ///< the centre it acts for
    std::array<std::uint8_t, 32> public_key{};
    bool revoked = false;
    std::string enrolled_at;  ///< UTC ISO 8601
    std::string revoked_at;  ///< UTC ISO 8601; "" while not revoked (or revoked before it was kept)
};

/// A credential an administrator revoked (docs/credentials.md).
struct RevokedCredential {
    std::string id;  ///< 16 hex digits
    std::string revoked_at;
};

struct StoredEvent {
    std::string device;
    std::string centre;
    std::string uuid;
    std::string type;
    std::string payload;  ///< JSON text as the kiosk sent it
    std::string received_at;
    /// When the kiosk recorded it, by the kiosk's clock corrected to the server's; "" when
    /// the kiosk did not say.
    std::string created_at;
    /// Whether the kiosk's clock had been checked against the server's when it recorded the
    /// event (false: created_at is only the kiosk's own clock's word); none when not said.
    std::optional<bool> clock_checked;
    /// The server's keyed hash of the citizen's identifier, from the sealed fields (hex);
    /// "" when the event named none, or after a purge.
    std::string citizen;
    /// When its citizen data was purged (UTC ISO 8601); "" while it is kept.
    std::string purged_at;
};

/// One entry of the server's audit log: who did what to citizens' data, and when.
struct AuditEntry {
    std::int64_t seq = 0;
    std::string at;  ///< UTC ISO 8601
    std::string actor;
    std::string action;  ///< "events.purged", "events.opened", "seal_key.rotated"...
    std::string detail;
};

/// Why an enrollment was refused; the message says it to the person enrolling.
class EnrollError : public Error {
  public:
    using Error::Error;
};

/// Too many failed enrollment attempts for a centre lately: none is looked at until
/// `retry_after` has passed, so that guessing a centre's codes stays slow.
class EnrollLimited : public EnrollError {
  public:
    EnrollLimited(const std::string& message, std::chrono::seconds wait)
        : EnrollError(message), retry_after(wait) {}
    std::chrono::seconds retry_after;
};

/// Failed enrollment attempts a centre may have within kEnrollFailureWindow; beyond them its
/// enrollments wait. Enough for an operator who mistypes a code a few times; a guesser gets
/// this many tries a minute per centre against a space of 31^10 codes.
inline constexpr int kEnrollFailuresPerWindow = 10;
inline constexpr std::chrono::seconds kEnrollFailureWindow{60};

enum class PushOutcome {
    Accepted,   ///< new: stored
    Duplicate,  ///< (device, uuid) seen before with the same content: success, not stored again
    Conflict,   ///< (device, uuid) seen before with different content: refused
    /// New, but not fit to store: a `tcv` member seba::tcv::read_delivered refuses, a
    /// "tcv.survey" that seba::tcv::read_survey refuses, or one whose tracking number is no
    /// service delivered at its centre (docs/civil-service.md). Nothing is stored; the kiosk
    /// keeps it, failed, with rejection_reason().
    Rejected,
};

/// Why the store rejects `event` when it does (PushOutcome::Rejected), in English for the
/// kiosk's operator and the logs: what is wrong with its content, else (a survey) that no
/// service with its tracking number was delivered at its centre. "" for other events.
std::string rejection_reason(const StoredEvent& event);

/// A person who may read the pilot's dashboard (docs/civil-service.md, "The dashboard").
struct DashboardUser {
    std::string name;  ///< [a-z0-9._-]{1,64}
    std::string created_at;
    bool disabled = false;
};

/// A signed-in dashboard session, found by the hash of its cookie's token.
struct DashboardSession {
    std::string user;
    std::string csrf;  ///< the token its forms carry
    Clock::time_point expires;
};

/// Failed dashboard logins lately: how many, and when the oldest of them was.
struct LoginFailures {
    std::int64_t count = 0;
    Clock::time_point oldest;
};

/// One record of a catalog channel.
struct ChannelRecord {
    std::string key;   ///< unique in the channel (and scope); 1 to 128 bytes
    std::string data;  ///< a JSON object, as text
};

/// What a publish changed (or would change, for a dry run).
struct PublishReport {
    int added = 0;
    int changed = 0;
    int removed = 0;  ///< turned into tombstones
    int unchanged = 0;
    std::int64_t head = 0;  ///< the channel's latest version afterwards
};

/// Where a kiosk is in a channel's change feed. docs/protocol.md gives its text form.
struct ChannelCursor {
    std::int64_t after = 0;             ///< changes with a version above this come next
    bool snapshot = false;              ///< a full snapshot is under way
    std::int64_t snapshot_horizon = 0;  ///< the horizon when that snapshot began
};

/// One change in a channel: an upsert (data) or a tombstone (no data).
struct ChannelChange {
    std::string key;
    std::optional<std::string> data;
    std::int64_t version = 0;
};

struct ChannelPage {
    std::vector<ChannelChange> changes;  ///< in version order
    ChannelCursor next;
    bool has_more = false;
    bool snapshot = false;  ///< part of a full snapshot: at its end, drop what it did not name
    bool reset = false;     ///< the first page of a snapshot
    std::int64_t head = 0;  ///< as the centre sees the channel (channel_version())
    std::int64_t horizon = 0;
};

struct ChannelInfo {
    std::string name;
    bool per_centre = false;
    std::int64_t head = 0;
    std::int64_t horizon = 0;  ///< tombstones at or below it were forgotten
    std::int64_t records = 0;
    std::int64_t tombstones = 0;
};

class Store {
  public:
    virtual ~Store() = default;

    /// How many requests the store can serve at once (its database connections); 0: no limit
    /// of its own. The server admits no more pushes at once than this (ServerOptions::
    /// max_pushes_in_flight), so that a push past it is turned away at once rather than
    /// left waiting for a connection.
    virtual int concurrent_requests() { return 0; }

    /// Throws seba::Error if the id exists or is not [A-Za-z0-9._-]{1,64}.
    virtual void create_centre(std::string_view id, std::string_view name) = 0;
    virtual bool centre_exists(std::string_view id) = 0;
    /// A single-use code (10 characters from an alphabet without look-alikes, e.g.
    /// "K7QP-2M9XW" shown with a dash), valid for `valid_for` from `now`. Only its hash is
    /// stored. Throws seba::Error for an unknown centre.
    virtual std::string create_enrollment_code(std::string_view centre,
                                               std::chrono::seconds valid_for,
                                               Clock::time_point now) = 0;
    /// Binds a new device with `public_key` to the code's centre and uses the code up. The
    /// same code with the same key again, within the code's validity, returns the device it
    /// made (its reply was lost). `centre`: the centre the kiosk says it is for (a code of
    /// another centre is refused), and where a failed attempt counts (unknown or unnamed
    /// centres count together). Throws EnrollError with one message for every kind of bad
    /// code (unknown, used, expired, another centre's), so that codes cannot be probed;
    /// another for a key already enrolled; EnrollLimited past kEnrollFailuresPerWindow.
    virtual Device enroll(std::string_view code, const std::array<std::uint8_t, 32>& public_key,
                          Clock::time_point now, std::string_view centre = {}) = 0;
    virtual std::optional<Device> device(std::string_view id) = 0;
    /// Throws seba::Error for an unknown device.
    virtual void revoke(std::string_view device_id) = 0;
    /// Every device ever enrolled, revoked ones too, by id.
    virtual std::vector<Device> devices() = 0;
    /// The device whose public key has this key id (credentials::key_id), revoked or not.
    virtual std::optional<Device> device_by_key_id(std::string_view kid) = 0;
    /// Revokes one credential by its id (16 hex digits; throws seba::Error for another
    /// text); revoking it again keeps the first time. Returns the revocation.
    virtual RevokedCredential revoke_credential(std::string_view id) = 0;
    virtual std::vector<RevokedCredential> revoked_credentials() = 0;
    virtual bool credential_revoked(std::string_view id) = 0;
    /// Records a request nonce; false when this device used it before (a replay). Nonces
    /// older than `keep_since` may be forgotten.
    virtual bool remember_nonce(std::string_view device_id, std::string_view nonce,
                                Clock::time_point now, Clock::time_point keep_since) = 0;
    /// Stores an event once per (device, uuid), forever.
    virtual PushOutcome push_event(const StoredEvent& event) = 0;
    /// The same for a request's whole batch, committed together; outcomes in order.
    virtual std::vector<PushOutcome> push_events(const std::vector<StoredEvent>& events) = 0;
    /// A signed push in one durable commit: remembers the request's nonce (as
    /// remember_nonce) and, unless it was a replay (nullopt, nothing stored), its events.
    virtual std::optional<std::vector<PushOutcome>> push_events_once(
        std::string_view device_id, std::string_view nonce, Clock::time_point now,
        Clock::time_point keep_since, const std::vector<StoredEvent>& events) = 0;
    virtual std::vector<StoredEvent> events(std::string_view centre) = 0;
    virtual std::int64_t event_count() = 0;

    /// Deletes the citizen data of the events received before `before` (UTC ISO 8601 or
    /// "YYYY-MM-DD"): their sealed fields, any fields an older kiosk sent in clear, and the
    /// citizen hash. The rest (service, fees, times) stays for the statistics. Audited as
    /// "events.purged" by `actor`, in the same transaction. Returns how many events it
    /// purged. Throws seba::Error for a `before` that is not such a time.
    virtual std::int64_t purge_citizen_data(std::string_view before, std::string_view actor) = 0;
    /// Appends to the server's audit log.
    virtual void audit(std::string_view actor, std::string_view action,
                       std::string_view detail) = 0;
    /// The audit log, oldest first.
    virtual std::vector<AuditEntry> audit_log() = 0;

    // Catalog channels ([a-z][a-z0-9_.]{0,63}). A channel is for every centre (scope "")
    // or per centre (scope = a centre id), never both.

    /// Makes `records` the channel's content for `scope`: new or changed keys get new
    /// versions; with `replace`, keys missing from `records` become tombstones. One
    /// transaction; nothing is written for a dry run. Throws seba::Error for a bad channel
    /// name, key or JSON, a duplicate key, an unknown centre, or mixing scopes.
    virtual PublishReport publish(std::string_view channel, std::string_view scope,
                                  const std::vector<ChannelRecord>& records, bool replace,
                                  bool dry_run) = 0;
    /// The changes `centre` sees after `cursor` (none: from the start, as a snapshot), at
    /// most `limit` of them and about `max_bytes` of data. A cursor older than the horizon
    /// starts a snapshot. An unknown channel is empty.
    virtual ChannelPage changes(std::string_view channel, std::string_view centre,
                                const std::optional<ChannelCursor>& cursor, std::size_t limit,
                                std::size_t max_bytes) = 0;
    /// {head, horizon}; {0, 0} for an unknown channel. Cheap: for ETags.
    virtual std::pair<std::int64_t, std::int64_t> channel_version(std::string_view channel) = 0;
    /// The same as `centre` sees the channel: for a per-centre channel, the head is that of
    /// the centre's own records (never below the horizon), so that another centre's changes
    /// leave this centre's ETag alone. ChannelPage::head is the same.
    virtual std::pair<std::int64_t, std::int64_t> channel_version(std::string_view channel,
                                                                  std::string_view centre) = 0;
    /// Forgets the tombstones at or below `up_to` (at most the head); kiosks behind it get a
    /// snapshot. Returns how many were forgotten.
    virtual std::int64_t compact(std::string_view channel, std::int64_t up_to) = 0;
    virtual std::vector<ChannelInfo> channels() = 0;

    // Civil Service Reform's evidence (seba/server/evidence.hpp, docs/civil-service.md).

    /// Says which region and district a centre serves (names as the pilot writes them, 1 to
    /// 64 characters, or "" for not known). Throws seba::Error for an unknown centre.
    virtual void set_centre_place(std::string_view centre, std::string_view region,
                                  std::string_view district) = 0;
    /// {region, district} of a centre; nullopt for an unknown centre.
    virtual std::optional<std::pair<std::string, std::string>> centre_place(
        std::string_view centre) = 0;
    /// The figures for `filter` summed per `level`. Throws seba::Error when check(filter)
    /// finds a problem.
    virtual Evidence evidence(EvidenceLevel level, const EvidenceFilter& filter) = 0;

    // The dashboard's accounts and sessions (docs/civil-service.md, "The dashboard"). The
    // store keeps them; the rules (password length, limits, expiry) are the dashboard's.

    /// Adds a user with a password hash (crypto_pwhash_str). Throws seba::Error for a name
    /// that is not [a-z0-9._-]{1,64} or is taken.
    virtual void add_dashboard_user(std::string_view name, std::string_view password_hash) = 0;
    /// Removes a user and their sessions; false when there was no such user.
    virtual bool remove_dashboard_user(std::string_view name) = 0;
    virtual std::vector<DashboardUser> dashboard_users() = 0;
    /// The password hash of an enabled user; nullopt for an unknown or disabled one.
    virtual std::optional<std::string> dashboard_password_hash(std::string_view name) = 0;
    /// Starts a session; also forgets the sessions that expired before `now`.
    virtual void add_dashboard_session(std::string_view token_hash, const DashboardSession& session,
                                       Clock::time_point now) = 0;
    /// The live session with this token hash, of a user still enabled; nullopt otherwise.
    virtual std::optional<DashboardSession> dashboard_session(std::string_view token_hash,
                                                              Clock::time_point now) = 0;
    virtual void end_dashboard_session(std::string_view token_hash) = 0;
    /// Notes a failed login from `address` as `user` ("" for a name that is no valid name);
    /// failures older than a day are forgotten.
    virtual void add_login_failure(std::string_view address, std::string_view user,
                                   Clock::time_point now) = 0;
    /// The failures since `since` {from this address, as this user} (a user "" counts none).
    virtual std::pair<LoginFailures, LoginFailures> login_failures(std::string_view address,
                                                                   std::string_view user,
                                                                   Clock::time_point since) = 0;

    // NISE (seba/server/nise.hpp, docs/nise.md "On the server"). The store checks and projects
    // nise.* events as it stores them; these read and answer the referrals it kept.

    /// Why the store rejected `event` (PushOutcome::Rejected), in English for the kiosk's
    /// operator: rejection_reason() for the evidence, else what NISE refused (a payload over a
    /// limit, a withdrawn profile, a reference already used). "" when nothing is wrong.
    virtual std::string why_rejected(const StoredEvent& event) { return rejection_reason(event); }
    /// The referrals of `centre` ("" any) for `opportunity` ("" any), oldest first.
    virtual std::vector<nise::Referral> nise_referrals(std::string_view centre,
                                                       std::string_view opportunity) = 0;
    /// The referral `centre` sent under `reference` (exactly as the kiosk made it).
    virtual std::optional<nise::Referral> nise_referral(std::string_view centre,
                                                        std::string_view reference) = 0;
    /// Keeps an answer's status and time for the employers' list.
    virtual void set_nise_referral_status(std::string_view centre, std::string_view reference,
                                          std::string_view status,
                                          std::string_view answered_at) = 0;
};

/// The SQLite store (WAL, synchronous=FULL). Throws seba::StorageError naming the file.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& file);

namespace pg {
struct PoolConfig;  // server/src/pg_pool.hpp: where the database is, and the pool's sizes
}
/// The PostgreSQL store (docs/deployment.md, "PostgreSQL"): brings the database's schema up
/// to date (safe when several seba-servers start at once), then serves from a pool of
/// connections. Several processes may share the database. Throws seba::ConfigError for a bad
/// config, pg::Unavailable when the database cannot be reached, seba::StorageError otherwise.
std::unique_ptr<Store> open_postgres_store(const pg::PoolConfig& config);

}  // namespace seba::server
