// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "seba/server/store.hpp"

namespace seba::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8470;    ///< 0: any free port (tests)
    int threads = 256;  ///< workers: every open keep-alive connection holds one
    int listen_backlog = 1024;
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    int keep_alive_s = 2;  ///< short, so idle kiosks cannot hold every worker
    int read_timeout_s = 10;
    int write_timeout_s = 10;
    std::chrono::seconds clock_skew{300};  ///< how far a request's timestamp may be off
    std::size_t max_events_per_push = 500;
    std::size_t page_records = 5000;           ///< most changes in one pull page
    std::size_t page_bytes = 4 * 1024 * 1024;  ///< about this much record data per page
};

/// seba-server's HTTP side (cpp-httplib, tuned: TCP_NODELAY, a worker pool, short
/// keep-alive, body limits, timeouts, a real listen backlog). Endpoints and their errors
/// are in docs/protocol.md.
class HttpServer {
  public:
    HttpServer(Store& store, ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds; returns the port (useful with port 0). Throws seba::Error if it cannot.
    int bind();
    /// Serves until stop(); blocks.
    void run();
    /// From any thread.
    void stop();
    /// True once run() accepts connections.
    bool running() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace seba::server
