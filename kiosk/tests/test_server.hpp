// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "seba/server/http_server.hpp"
#include "seba/server/seal_keys.hpp"
#include "seba/server/store.hpp"

namespace seba::kiosk {

/// seba-server in the test's process, on a free loopback port, for a kiosk to enroll with
/// and sync against.
class TestServer {
  public:
    explicit TestServer(const std::filesystem::path& db,
                        server::ServerOptions options = server::ServerOptions{})
        : store_(server::open_sqlite_store(db)) {
        options.port = 0;
        options.admin_port = 0;
        options.threads = 4;
        options.seal_keys = std::make_shared<const server::SealKeys>(server::SealKeys::generate());
        http_ = std::make_unique<server::HttpServer>(*store_, options);
        port_ = http_->bind();
        thread_ = std::thread([this] { http_->run(); });
        while (!http_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~TestServer() {
        http_->stop();
        thread_.join();
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    server::Store& store() { return *store_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  private:
    std::unique_ptr<server::Store> store_;
    std::unique_ptr<server::HttpServer> http_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace seba::kiosk
