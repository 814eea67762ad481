// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "seba/server/seal_keys.hpp"
#include "seba/server/store.hpp"
#include "seba/signing.hpp"
#include "seba/sync_limits.hpp"

namespace seba::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8470;    ///< 0: any free port (tests)
    int threads = 256;  ///< workers: every open keep-alive connection holds one
    int listen_backlog = 1024;
    /// The kiosk fills its pushes up to this very number (seba/sync_limits.hpp).
    std::size_t max_body_bytes = sync_limits::kMaxRequestBodyBytes;
    std::size_t max_headers = 64;  ///< a request with more is refused (431)
    /// /metrics is served here, on loopback only, never on the kiosks' port. 0: any free
    /// port (tests); -1: not at all. seba-server's config defaults it to 9470.
    int admin_port = -1;
    int keep_alive_s = 2;  ///< short, so idle kiosks cannot hold every worker
    int read_timeout_s = 10;
    int write_timeout_s = 10;
    /// How far a request's timestamp may be off.
    std::chrono::seconds clock_skew = sync_limits::kClockSkew;
    std::size_t max_events_per_push = sync_limits::kMaxEventsPerPush;
    /// Admission control for pushes (POST /v1/events): past this many at once, a push is
    /// answered 503 at once, before its signature is checked, with a Retry-After between
    /// busy_retry_after_s and busy_retry_after_s + busy_retry_spread_s (random, so that the
    /// kiosks turned away together do not come back together) and the connection closed, so
    /// that its worker serves the next connection. A herd of kiosks back from an outage then
    /// waits at home rather than in the server's queue. Never more than the store serves at
    /// once (Store::concurrent_requests: PostgreSQL's max_connections). 0: only that limit.
    int max_pushes_in_flight = 64;
    int busy_retry_after_s = 2;
    int busy_retry_spread_s = 8;
    /// The most changes in one pull page.
    std::size_t page_records = sync_limits::kPageRecords;
    std::size_t page_bytes = 4 * 1024 * 1024;  ///< about this much record data per page
    /// The keys citizens' data is sealed to: the current public key goes to kiosks (in the
    /// enrollment reply and GET /v1/seal-key), and sealed fields are opened at ingest only to
    /// compute the citizen hash (they are stored sealed). None: kiosks get no key, and can
    /// store no citizen's request.
    std::shared_ptr<const SealKeys> seal_keys;
    /// The key the trust list of credential keys is signed with (docs/credentials.md): its
    /// public half goes to kiosks (enrollment reply, GET /v1/credentials/trust-key), and each
    /// enrollment publishes the new device's entry. None: no credentials.
    std::shared_ptr<const signing::KeyPair> trust_key;
    /// The server's public address ("https://seba.example.org"), where GET /verify is reached
    /// by phones and employers; kiosks put <public_url>/verify?c=... in a credential's QR
    /// code. "": kiosks put the bare text.
    std::string public_url;
    /// POST /v1/credentials/verify and GET /verify?c=... per address (X-Forwarded-For from
    /// the front, else the peer) and minute; past it, 429.
    int verify_per_minute = 60;
    /// Content files (GET /v1/files/<sha256>): this folder of files named by their hash
    /// (FileStore, seba/server/file_store.hpp). Empty: every file is unknown (404).
    std::filesystem::path files_dir;
    /// The dashboard's cookies carry Secure (sent over HTTPS only): set when the server is
    /// reached through TLS (config `dashboard.secure_cookies`; by default when public_url is
    /// https://).
    bool dashboard_secure_cookies = false;
};

/// seba-server's HTTP side (cpp-httplib, tuned: TCP_NODELAY, a worker pool, short
/// keep-alive, body and header limits, timeouts, a real listen backlog), meant to sit behind
/// the TLS front (server/front/, docs/security.md) that holds slow and abusive clients off.
/// Endpoints and their errors are in docs/protocol.md.
class HttpServer {
  public:
    HttpServer(Store& store, ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds; returns the port (useful with port 0). Throws seba::Error if it cannot.
    int bind();
    /// The admin listener's port once bound (/metrics on 127.0.0.1), or -1 without one.
    int admin_port() const;
    /// Serves until stop(); blocks.
    void run();
    /// From any thread (and from a signal handler): run() returns soon after.
    void stop();
    /// True once run() accepts connections.
    bool running() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace seba::server
