// SPDX-License-Identifier: Apache-2.0
#pragma once

// The rules of what seba-server keeps, apart from any storage engine (docs/architecture.md,
// "Rules and stores"): which ids and texts are valid, how enrollment codes look and are judged,
// when a pushed event is a duplicate or a conflict, when a nonce is a replay, what a publish
// writes and where a page of a channel starts and ends. Pure functions over plain values: a
// store reads its rows, asks these, and writes what they say, so that the SQLite store and the
// PostgreSQL one keep exactly the same rules. Refusals are seba::Error with the message the
// user sees.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/server/store.hpp"

namespace seba::server::rules {

// ---- Ids and texts ----------------------------------------------------------------------------

/// A centre id is 1 to 64 ASCII letters, digits, '.', '_' or '-' (never '/', spaces, non-ASCII).
bool valid_centre_id(std::string_view id);
/// Throws seba::Error unless `id` is a valid centre id and the centre has a `name`.
void check_new_centre(std::string_view id, std::string_view name);
/// Throws seba::Error unless a region or district is 0 to 64 bytes of UTF-8 without controls.
void check_place(std::string_view name);
/// A dashboard user name is 1 to 64 small ASCII letters, digits, '.', '_' or '-'.
bool valid_dashboard_user(std::string_view name);
/// Throws seba::Error unless valid_dashboard_user(name).
void check_dashboard_user(std::string_view name);
/// Throws seba::Error unless a credential id is 16 lower-case hex digits (as on the certificate).
void check_credential_id(std::string_view id);
/// A failed login's address or user name is kept to its first 64 bytes.
std::string login_failure_field(std::string_view text);
/// Failed logins older than this are forgotten.
inline constexpr std::chrono::hours kLoginFailureMemory{24};

// ---- Times ------------------------------------------------------------------------------------

/// Whole seconds since 1970 (rounded towards zero): how limits and expiries are kept.
std::int64_t unix_seconds(Clock::time_point t);
/// The instant `s` seconds after 1970.
Clock::time_point from_unix_seconds(std::int64_t s);
/// ISO 8601 UTC with milliseconds ("2026-12-01T09:30:00.250Z"), as stored times are written.
std::string iso_time(Clock::time_point t);
/// Throws seba::Error unless a purge's `before` is "YYYY-MM-DD" or a UTC time as received_at
/// has it ("YYYY-MM-DDTHH:MM:SS[.fraction]Z"); both compare with received_at as text.
void check_purge_before(std::string_view before);
/// The members of an event's payload that hold citizen data: a purge removes them (the rest,
/// service, fees and times, stays for the statistics), as it clears the citizen hash.
inline constexpr std::array<std::string_view, 3> kCitizenMembers = {"sealed", "fields", "citizen"};

// ---- Hashes and ids the server makes ----------------------------------------------------------

/// Hex BLAKE2b-256 of `text`: how codes, event payloads and channel records are hashed.
std::string hash_hex(std::string_view text);
/// A new device id: "dev-" and 16 random hex digits (64 bits: a clash is retried, not feared).
std::string new_device_id();

// ---- Enrollment -------------------------------------------------------------------------------

/// A code's letters: no 0/O, 1/I/L, as it is read off a screen or paper and typed by hand.
inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Letters in a code: 31^10 codes.
inline constexpr std::size_t kCodeLength = 10;
/// The one answer for every bad code, whatever made it bad: a stranger cannot tell a mistyped
/// code from a used, an expired or another centre's one, and so cannot probe for real codes.
inline constexpr const char* kBadCodeMessage =
    "this enrollment code is not valid (mistyped, already used, expired, or for another "
    "centre); check it, or ask the administrator for a new one";
/// The answer for a key that some device has already (a kiosk needs a new key to enroll again).
inline constexpr const char* kKeyEnrolledMessage =
    "this kiosk's key is already enrolled as another device; enrolling again needs a new key "
    "(docs/operator-guide.md)";
/// The answer past kEnrollFailuresPerWindow (with EnrollLimited's retry_after).
inline constexpr const char* kEnrollLimitedMessage =
    "too many failed enrollment attempts for this centre; wait a minute, then try again";

/// A new random code as it is kept (hashed): kCodeLength letters of kCodeAlphabet.
std::string new_enrollment_code();
/// A code as the administrator is shown it: its two halves joined by a dash ("K7QP2-M9XWA").
std::string display_code(std::string_view code);
/// What a person typed, as it was generated: dashes and spaces dropped, letters upper case.
std::string normalise_code(std::string_view typed);
/// The hash a code is kept and found under, of what a person typed.
std::string code_hash(std::string_view typed);
/// Throws seba::Error unless a new code is valid for a positive time.
void check_code_validity(std::chrono::seconds valid_for);

/// Where a failed enrollment counts: the centre the kiosk names when it exists; unknown and
/// unnamed centres share "" (naming made-up centres gains a guesser nothing).
std::string failure_scope(std::string_view claimed_centre, bool centre_exists);
/// Failures after this second (unix) count against the limit now; those at or before it may
/// be forgotten.
std::int64_t failure_window_start(Clock::time_point now);
/// The failures of one scope within the window.
struct RecentFailures {
    std::int64_t count = 0;
    std::int64_t oldest_at = 0;  ///< unix seconds
};
/// nullopt under kEnrollFailuresPerWindow; at it, how long to wait: until the oldest failure
/// leaves the window, at least a second. Past the limit no code is even looked at, so that a
/// right guess reads like a wrong one.
std::optional<std::chrono::seconds> enrollment_wait(const RecentFailures& recent,
                                                    Clock::time_point now);

/// A kept enrollment code, found by code_hash().
struct CodeRow {
    std::string centre;
    std::int64_t expires_at = 0;  ///< unix seconds; the code is live before it
    bool used = false;
    std::string device;  ///< the device it made, once used
};
/// What a store reads for an enrollment, as it finds it.
struct EnrollmentRows {
    std::optional<CodeRow> code;        ///< the code under the typed code's hash, if any
    std::optional<Device> code_device;  ///< the device with the id code->device, if any
    bool key_enrolled = false;          ///< a device (any) has the kiosk's public key
};
/// What a store does with an enrollment.
struct EnrollDecision {
    enum class Action {
        ReturnDevice,       ///< the same code and key again: `device`, made before (reply lost)
        RefuseKeyEnrolled,  ///< throw EnrollError(message); count nothing
        RefuseBadCode,  ///< note a failure in the scope, commit that, throw EnrollError(message)
        BindNew,        ///< give `device` a new_device_id(), store it, mark the code used by it
    };
    Action action = Action::RefuseBadCode;
    Device device;             ///< ReturnDevice: the device; BindNew: all but its id
    const char* message = "";  ///< for refusals
};
/// Judges an enrollment under the limit (enrollment_wait() said nullopt). A live code used
/// before by a device that is not revoked and has this very key returns that device; a key
/// already enrolled is refused before the code is judged (so that answer says nothing of the
/// code); a code unknown, expired, used, or of a centre other than `scope` (when not "") gets
/// kBadCodeMessage; otherwise a new device of the code's centre, enrolled at `now`.
EnrollDecision decide_enrollment(const EnrollmentRows& rows,
                                 const std::array<std::uint8_t, 32>& public_key,
                                 std::string_view scope, Clock::time_point now);

// ---- Pushed events ----------------------------------------------------------------------------

/// What counts as an event's content when its (device, uuid) comes again: its type and the
/// hash of its payload. Its centre (the device's), received_at (the server's), created_at,
/// clock_checked and citizen (derived) do not count.
struct EventContent {
    std::string type;
    std::string payload_hash;  ///< hash_hex(payload)
};
/// The content of a pushed event.
EventContent content_of(const StoredEvent& event);
/// A (device, uuid) seen before: Duplicate (success, nothing stored) when the content is the
/// same, Conflict when either field differs.
PushOutcome compare_pushed(const EventContent& kept, const StoredEvent& incoming);
/// When the server received `event`: its own received_at, else now (iso_time).
std::string received_at(const StoredEvent& event);
/// The tracking number an event files under for the evidence (docs/civil-service.md): a
/// "tcv.survey"'s `tracking`, else its `tcv` member's `tracking`; nullopt when that is not text.
std::optional<std::string> tcv_tracking(const StoredEvent& event);

/// A nonce a device used before is a replay if it was seen at or after `keep_since`; one seen
/// earlier is as good as forgotten (and may be deleted): it is taken again, seen now.
bool nonce_replayed(std::int64_t seen_at, Clock::time_point keep_since);

// ---- Catalog channels -------------------------------------------------------------------------

/// A record key is 1 to this many bytes.
inline constexpr std::size_t kMaxKeyBytes = 128;
/// A record's canonical JSON is at most this many bytes.
inline constexpr std::size_t kMaxRecordBytes = 256 * 1024;

/// Throws seba::Error unless `channel` is [a-z][a-z0-9_.]{0,63}.
void check_channel_name(std::string_view channel);
/// A record as it is kept: its JSON canonicalised (nlohmann's dump) and that text's hash.
struct CanonicalRecord {
    std::string data;
    std::string hash;
};
using CanonicalRecords = std::map<std::string, CanonicalRecord, std::less<>>;
/// Checks and canonicalises a publish's records before anything is written: each key 1 to
/// kMaxKeyBytes, each record a JSON object of at most kMaxRecordBytes, no key twice. Throws
/// seba::Error naming the first bad record.
CanonicalRecords canonical_records(std::string_view channel,
                                   const std::vector<ChannelRecord>& records);
/// Throws seba::Error unless a publish's scope fits the channel: a per-centre channel is
/// published with a centre, one for every centre without; never both.
void check_scope(std::string_view channel, bool per_centre, std::string_view scope);

/// One record a publish writes, with the next version: data, or a tombstone.
struct RecordWrite {
    std::string key;
    const CanonicalRecord* record = nullptr;  ///< nullptr: a tombstone
};
struct PublishPlan {
    std::vector<RecordWrite> writes;  ///< in order; each takes the next version after the head
    PublishReport report;             ///< head: the channel's head after the writes
};
/// What publishing `incoming` over the live records (key -> data hash, tombstones left out) of
/// a channel at `head` writes: new and changed keys in key order, then, with `replace`, a
/// tombstone for each live key not in `incoming`. Unchanged records are not written.
PublishPlan plan_publish(const std::map<std::string, std::string, std::less<>>& live,
                         const CanonicalRecords& incoming, bool replace, std::int64_t head);
/// The versions a compaction forgets tombstones up to: `up_to`, at most the head. The horizon
/// never moves back.
std::int64_t compaction_bound(std::int64_t up_to, std::int64_t head);

/// The head `centre` sees: the channel's, or for a per-centre channel the last version of the
/// centre's own records (`own_last`), never below the horizon (a compaction that forgot the
/// centre's last tombstone must not move its head back).
std::int64_t visible_head(bool per_centre, std::int64_t head, std::int64_t horizon,
                          std::int64_t own_last);

/// Collects one page of a channel's changes, read in version order after from().after.
class PageBuilder {
  public:
    /// A kiosk that is new, behind the horizon (it may have missed forgotten tombstones), in a
    /// snapshot that a compaction overtook, or beyond the head (a server restored from a
    /// backup) starts a snapshot from the beginning.
    PageBuilder(const std::optional<ChannelCursor>& cursor, std::int64_t head, std::int64_t horizon,
                std::size_t limit, std::size_t max_bytes);
    /// Changes with a version above this come on the page.
    std::int64_t after() const { return from_.after; }
    /// Takes the next change; false when the page is full (at `limit` changes, or past
    /// `max_bytes` of keys and data with one change at least): it has more, come back later.
    bool add(ChannelChange change);
    /// The page, with the cursor after it: at the head once nothing more is left.
    ChannelPage finish() &&;

  private:
    ChannelPage page_;
    ChannelCursor from_;
    std::size_t limit_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::int64_t last_ = 0;
};

}  // namespace seba::server::rules
