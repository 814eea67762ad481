// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/error.hpp"
#include "seba/export.hpp"
#include "seba/storage.hpp"
#include "seba/sync_limits.hpp"

namespace seba {

/// The server could not be reached or answered with an error. The message says which, for
/// the operator; nothing in the outbox was lost.
class SEBA_API SyncError : public Error {
  public:
    using Error::Error;
    SyncError(const std::string& message, std::optional<std::chrono::seconds> wait,
              bool answered = false)
        : Error(message), retry_after(wait), server_answered(answered) {}
    /// The server asked to wait this long before trying again (HTTP Retry-After).
    std::optional<std::chrono::seconds> retry_after;
    /// The server was reached and refused this request: the next one (a pull after a
    /// refused push) may well go through. False for the network, and for what the kiosk
    /// refuses itself (no device key).
    bool server_answered = false;
};

struct Config;

struct SyncOptions {
    /// "https://seba.example.org"; plain http:// only to this machine (a test kiosk's).
    std::string server_url;
    /// Whom the server's TLS certificate must chain to: these PEM certificates (the
    /// country's CA, or the server's own self-signed one) instead of the system's CAs.
    std::filesystem::path ca_file;
    /// "sha256//<base64>": the server's public key must be this one. Without a ca_file the
    /// pin alone is the trust (a server with a self-signed certificate).
    std::string pinned_key;
    /// The kiosk's Ed25519 key: made when absent before enrollment, never after it (a lost
    /// key is reported, and enrolling again replaces it).
    std::filesystem::path device_key_file;
    /// The largest push body; by default the server's own limit, so that no batch of events
    /// is refused for its size (a smaller limit met on the way, a proxy's, is learned from
    /// its 413).
    std::size_t max_push_bytes = sync_limits::kMaxRequestBodyBytes;
    long connect_timeout_ms = 5000;
    long total_timeout_ms = 30000;
    long low_speed_bytes_per_s = 64;  ///< slower than this for low_speed_time_s: give up
    long low_speed_time_s = 10;
    std::vector<std::string> channels;  ///< catalog channels the engine pulls, in order
    /// Content files (seba/content_files.hpp) are kept here (<data_dir>/files); empty: the
    /// kiosk downloads none.
    std::filesystem::path files_dir;
    /// What one sync downloads at most, so that events and catalogs keep flowing between
    /// large files: an unfinished file resumes at the next sync, which comes soon.
    std::int64_t files_bytes_per_sync = std::int64_t{64} << 20;
    long files_ms_per_sync = 60000;
    /// Downloads stop before the disk has less than this much room: the database's room
    /// (kiosk.min_free_mb) is never taken by files.
    std::uint64_t files_keep_free_bytes = 0;
};

/// The transport a kiosk's configuration asks for: its server.url, ca_file and pin, and its
/// device key in data_dir. Throws ConfigError when no server.url is set.
SEBA_API SyncOptions sync_options(const Config& config);

/// The kiosk's side of the sync protocol (docs/protocol.md) over libcurl: TLS 1.2 or later
/// to the server only (plain HTTP to loopback alone), its certificate verified (system CAs,
/// the configured CA file, or a pinned key), every timeout set, TCP keepalive, one
/// connection reused, requests signed with the device key.
class SEBA_API SyncClient {
  public:
    SyncClient(Database& db, SyncOptions options);
    ~SyncClient();
    SyncClient(const SyncClient&) = delete;
    SyncClient& operator=(const SyncClient&) = delete;

    /// Enrolls this kiosk with a single-use code from an administrator; remembers the
    /// device id and centre the server assigned. `centre`, the centre the kiosk is set up
    /// for, lets the server count failed attempts per centre (docs/protocol.md). The same
    /// code again after a lost reply gives the same device. A kiosk whose key was lost
    /// (key_lost()) is enrolled anew with a new key. Throws SyncError with the server's
    /// reason.
    void enroll(std::string_view code, std::string_view centre = {});
    bool enrolled() const;
    std::string device_id() const;
    std::string centre() const;
    /// Enrolled, but the device key file is missing, is not the key that was enrolled, or
    /// was refused by the server: the kiosk cannot sync until it is enrolled again.
    bool key_lost() const;

    struct PushReport {
        int sent = 0;
        int accepted = 0;
        int duplicates = 0;  ///< the server had them already (a lost reply): success
        int conflicts = 0;   ///< kept as failed in the outbox, with the reason (the server's)
        int too_large = 0;   ///< kept as failed: too large for any request the server takes
    };
    /// Sends pending outbox events, oldest first, in batches of at most `batch_size` events
    /// and SyncOptions::max_push_bytes, until none are left. Accepted and duplicate events
    /// leave the outbox; conflicts and events too large to send alone stay, marked failed
    /// with the reason, and never hold up the others. Throws SyncError on a network or
    /// server failure; events not yet acknowledged stay pending.
    PushReport push_outbox(int batch_size = 200);

    struct PullReport {
        int pages = 0;
        std::int64_t upserts = 0;
        std::int64_t deletes = 0;
        std::int64_t bytes = 0;     ///< as received over the network (gzip)
        bool not_modified = false;  ///< the server said nothing changed (HTTP 304)
        bool snapshot = false;      ///< the server sent the whole channel
        bool changed() const { return upserts + deletes > 0; }
    };
    /// Brings the local copy of catalog `channel` up to date (read it with seba/catalog.hpp),
    /// a page at a time: each page and its cursor commit together, so a failure or a kill
    /// keeps every page before it. `progress` is called after each page. Throws SyncError on
    /// a network or server failure or a malformed page, of which nothing is kept.
    PullReport pull(std::string_view channel,
                    const std::function<void(const PullReport&)>& progress = {});

    struct FilesReport {
        int ready = 0;           ///< downloaded, and their hash matched
        int refetch = 0;         ///< did not match their hash: thrown away, queued again
        int failed = 0;          ///< the server does not have them (404), or sent too much
        std::int64_t bytes = 0;  ///< received in this call
        bool more = false;       ///< stopped at the sync's limit (time, bytes): more waits
        /// Why downloads stopped early on the kiosk's side: no room (the disk is full, or
        /// would leave less than files_keep_free_bytes), or a file could not be written.
        /// Nothing was written to the database then; the partial file stays for later.
        std::string disk_problem;
    };
    /// Downloads the content files plugins want (seba/content_files.hpp) into
    /// SyncOptions::files_dir, first keeping each plugin within its budget. Each file is
    /// streamed to <sha256>.part, resumed with a Range request where an earlier try stopped,
    /// and checked (size, SHA-256) before it becomes <sha256>, Ready. Stops at the limits of
    /// one sync (files_bytes_per_sync, files_ms_per_sync) and at a full disk. Throws
    /// SyncError when the server cannot be reached or refuses (the partial files stay).
    FilesReport download_files();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// What GET /healthz at a server said, for `seba-kiosk doctor`: whether seba-server answers,
/// in words a technician can act on when it does not, and its clock.
struct ServerProbe {
    enum class Outcome {
        Answered,      ///< an HTTP reply came (see is_seba_server)
        Refused,       ///< nothing listens at that address and port
        NameNotFound,  ///< DNS does not know the host
        TimedOut,      ///< no answer within the timeouts
        Tls,           ///< the TLS handshake or the certificate failed
        Other,         ///< anything else; `error` has libcurl's words
    };
    Outcome outcome = Outcome::Other;
    long http_status = 0;
    bool is_seba_server = false;  ///< 200 and "ok": seba-server itself, not a proxy's page
    std::string error;            ///< libcurl's words, when not Answered
    std::optional<std::chrono::system_clock::time_point> server_time;  ///< its Date header
    std::chrono::system_clock::time_point local_time;  ///< `now()` halfway through the request
    std::chrono::milliseconds took{0};
};

/// GET <server_url>/healthz, unsigned, with the sync client's libcurl settings (every
/// timeout set from `limits`). Never throws for what the network does.
SEBA_API ServerProbe probe_server(
    const std::string& server_url, const SyncOptions& limits,
    const std::function<std::chrono::system_clock::time_point()>& now = [] {
        return std::chrono::system_clock::now();
    });

}  // namespace seba
