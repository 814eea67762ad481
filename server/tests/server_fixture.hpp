// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the server tests share: a real seba-server in this process on a loopback port, a
// kiosk database with a plugin that emits events, and a server that answers badly.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"
#include "seba/signing.hpp"
#include "seba/sync_client.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

namespace seba::server {

// A server running in this process on a free loopback port.
class RunningServer {
  public:
    RunningServer(Store& store, ServerOptions options = {}) {
        options.port = 0;
        options.admin_port = 0;
        options.threads = 4;
        // As `serve` does: a server always has sealing keys for its kiosks.
        if (!options.seal_keys)
            options.seal_keys = std::make_shared<const SealKeys>(SealKeys::generate());
        // And a trust key for the credentials its kiosks issue.
        if (!options.trust_key)
            options.trust_key =
                std::make_shared<const signing::KeyPair>(signing::generate_key_pair());
        server_ = std::make_unique<HttpServer>(store, options);
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->run(); });
        while (!server_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~RunningServer() { stop(); }
    void stop() {
        if (!thread_.joinable()) return;
        server_->stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    /// The admin listener's /metrics text.
    std::string metrics() const {
        httplib::Result r = httplib::Client("127.0.0.1", server_->admin_port()).Get("/metrics");
        return r ? r->body : std::string();
    }

  private:
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
    int port_ = 0;
};

struct PushAnswer {
    int status = 0;
    std::string retry_after;
    std::string connection;
    std::string body;
};

// A kiosk of the herd: enrolled in the store, pushing one event per signed request.
struct HerdKiosk {
    signing::KeyPair key = signing::generate_key_pair();
    std::string device;
    std::string uuid;
    std::string centre = "dhaka-1";

    PushAnswer push(int port) const {
        std::string body = nlohmann::json{{"centre", centre},
                                          {"events",
                                           {{{"uuid", uuid},
                                             {"type", "dc.request_created"},
                                             {"payload", {{"service", "birth_registration"}}}}}}}
                               .dump();
        auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        signing::SignedHeaders h =
            signing::sign_request(key, device, "POST", "/v1/events", body, now);
        httplib::Client http("127.0.0.1", port);
        http.set_read_timeout(10, 0);
        auto r = http.Post("/v1/events",
                           {{"X-Seba-Device", h.device},
                            {"X-Seba-Timestamp", h.timestamp},
                            {"X-Seba-Nonce", h.nonce},
                            {"X-Seba-Signature", h.signature}},
                           body, "application/json");
        if (!r) return {};
        return {r->status, r->get_header_value("Retry-After"), r->get_header_value("Connection"),
                r->body};
    }
};

// Every kiosk of a herd pushing at once, each on a thread of its own.
class PushesAtOnce {
  public:
    PushesAtOnce(const std::vector<HerdKiosk>& herd, int port) : answers_(herd.size()) {
        for (std::size_t i = 0; i < herd.size(); ++i)
            threads_.emplace_back([this, &herd, i, port] {
                answers_[i] = herd[i].push(port);
                if (answers_[i].status == 503) ++turned_away_;
            });
    }
    ~PushesAtOnce() { join(); }
    PushesAtOnce(const PushesAtOnce&) = delete;
    PushesAtOnce& operator=(const PushesAtOnce&) = delete;

    /// Waits until `count` pushes were answered 503, or `bound` passed; how many were.
    int turned_away(int count, std::chrono::milliseconds bound) const {
        const auto until = std::chrono::steady_clock::now() + bound;
        while (turned_away_ < count && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return turned_away_.load();
    }
    /// Every push's answer, in the herd's order, once all came.
    const std::vector<PushAnswer>& answers() {
        join();
        return answers_;
    }

  private:
    void join() {
        for (std::thread& t : threads_)
            if (t.joinable()) t.join();
    }
    std::vector<PushAnswer> answers_;
    std::atomic<int> turned_away_{0};
    std::vector<std::thread> threads_;
};

class SyncTest : public ::testing::Test {
  protected:
    void SetUp() override {
        store_->create_centre("dhaka-1", "Dhaka Union Digital Centre");
        store_->create_centre("tashkent-1", "Chilonzor Public Service Centre");
        migrate_core(kiosk_db_);
        dc_.exec("CREATE TABLE dc__requests (id INTEGER PRIMARY KEY, service TEXT)");
    }

    std::string code(const std::string& centre = "dhaka-1") {
        return store_->create_enrollment_code(centre, std::chrono::hours(1), Clock::now());
    }

    SyncClient client(const std::string& url) {
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = dir_ / "device.key";
        options.total_timeout_ms = 3000;
        return SyncClient(kiosk_db_, options);
    }

    // A citizen's request and its event, committed together, as a plugin does it.
    void request(const std::string& service) {
        dc_.transaction([&] {
            dc_.prepare("INSERT INTO dc__requests (service) VALUES (?)").bind(1, service).run();
            dc_.emit("dc.request_created", {{"service", service}, {"fee", 50}});
        });
    }

    std::int64_t outbox(const char* state = "pending") {
        Statement q = kiosk_db_.prepare("SELECT count(*) FROM core__outbox WHERE state = ?");
        q.bind(1, state);
        q.step();
        return q.integer(0);
    }

    seba::testing::TempDir dir_;
    std::unique_ptr<Store> store_ = seba::testing::open_test_store(dir_.path());
    Database kiosk_db_ = Database::open(dir_ / "kiosk.db");
    Manifest manifest_ = parse_manifest(
        R"({"id": "dc", "version": "1.0.0", "api": "1.0", "names": {"en": "DC"},
            "capabilities": ["storage", "outbox"], "events": ["dc.request_created"]})",
        "dc/manifest.json");
    PluginStore dc_{kiosk_db_, manifest_};
};

// A server that answers every push and pull with `answer`.
class BadServer {
  public:
    explicit BadServer(std::function<void(httplib::Response&)> answer) {
        auto reply = [answer](const httplib::Request&, httplib::Response& res) { answer(res); };
        http_.Post("/v1/events", reply);
        http_.Get(R"(/v1/channels/.*)", reply);
        port_ = http_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { http_.listen_after_bind(); });
        while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~BadServer() {
        http_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  private:
    httplib::Server http_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace seba::server
