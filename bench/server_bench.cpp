// SPDX-License-Identifier: Apache-2.0
// seba-server under load on loopback, client and server in this process (2 cores shared):
//  - signed event pushes per second, against unsigned GET /healthz in the same run;
//  - the slowest request of each;
//  - how long a new kiosk waits while other kiosks hold idle keep-alive connections.
// Run: build/bin/server_bench [clients] [seconds]
#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "seba/logging.hpp"
#include "seba/server/http_server.hpp"
#include "seba/signing.hpp"
#include "temp_dir.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using seba::server::Store;

struct Result {
    double per_second = 0;
    double worst_ms = 0;
    long failures = 0;
};

template <typename Request>
Result load(int clients, double seconds, Request request) {
    std::atomic<long> done{0}, failures{0};
    std::atomic<long long> worst_us{0};
    auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            long n = 0;
            while (Clock::now() < end) {
                auto start = Clock::now();
                bool ok = request(c, n++);
                long long us = std::chrono::duration_cast<std::chrono::microseconds>(
                                   Clock::now() - start)
                                   .count();
                long long seen = worst_us.load();
                while (us > seen && !worst_us.compare_exchange_weak(seen, us)) {
                }
                (ok ? done : failures)++;
            }
        });
    for (std::thread& t : threads) t.join();
    return {static_cast<double>(done.load()) / seconds, worst_us.load() / 1000.0, failures.load()};
}

}  // namespace

int main(int argc, char** argv) {
    int clients = argc > 1 ? std::atoi(argv[1]) : 16;
    double seconds = argc > 2 ? std::atof(argv[2]) : 5;
    seba::testing::TempDir dir;
    seba::logging::init(dir / "logs", "warn", false);
    std::unique_ptr<Store> store = seba::server::open_sqlite_store(dir / "server.db");
    store->create_centre("bench", "Bench centre");
    seba::server::ServerOptions options;
    options.port = 0;
    seba::server::HttpServer server(*store, options);
    int port = server.bind();
    std::thread serving([&] { server.run(); });
    while (!server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

    // One enrolled device per client, as real kiosks are.
    std::vector<seba::signing::KeyPair> keys(static_cast<std::size_t>(clients));
    std::vector<std::string> devices;
    for (auto& key : keys) {
        key = seba::signing::generate_key_pair();
        devices.push_back(store
                              ->enroll(store->create_enrollment_code("bench", std::chrono::hours(1),
                                                                     seba::server::Clock::now()),
                                       key.public_key, seba::server::Clock::now())
                              .id);
    }
    std::vector<std::unique_ptr<httplib::Client>> http;
    for (int c = 0; c < clients; ++c) {
        http.push_back(std::make_unique<httplib::Client>("127.0.0.1", port));
        http.back()->set_keep_alive(true);
        http.back()->set_tcp_nodelay(true);
    }

    Result health = load(clients, seconds, [&](int c, long) {
        auto r = http[static_cast<std::size_t>(c)]->Get("/healthz");
        return r && r->status == 200;
    });
    Result signed_push = load(clients, seconds, [&](int c, long n) {
        unsigned char id[16];
        randombytes_buf(id, sizeof id);
        char uuid[37];
        std::snprintf(uuid, sizeof uuid, "%02x%02x%02x%02x-%02x%02x-4%01x%02x-8%01x%02x-%02x%02x%02x%02x%02x%02x",
                      id[0], id[1], id[2], id[3], id[4], id[5], id[6] & 15, id[7], id[8] & 15, id[9],
                      id[10], id[11], id[12], id[13], id[14], id[15]);
        std::string body =
            nlohmann::json{{"centre", "bench"},
                           {"events",
                            {{{"uuid", uuid},
                              {"type", "bench.request"},
                              {"payload", {{"n", n}}}}}}}
                .dump();
        auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        auto h = seba::signing::sign_request(keys[static_cast<std::size_t>(c)],
                                             devices[static_cast<std::size_t>(c)], "POST",
                                             "/v1/events", body, now);
        httplib::Headers headers = {{"X-Seba-Device", h.device},
                                    {"X-Seba-Timestamp", h.timestamp},
                                    {"X-Seba-Nonce", h.nonce},
                                    {"X-Seba-Signature", h.signature}};
        auto r = http[static_cast<std::size_t>(c)]->Post("/v1/events", headers, body,
                                                         "application/json");
        return r && r->status == 200;
    });

    // Kiosks that synced and went quiet keep their connections open for a while.
    std::vector<std::unique_ptr<httplib::Client>> idle;
    for (int i = 0; i < options.threads; ++i) {
        idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", port));
        idle.back()->set_keep_alive(true);
        idle.back()->Get("/healthz");
    }
    httplib::Client newcomer("127.0.0.1", port);
    auto start = Clock::now();
    auto reply = newcomer.Get("/healthz");
    double newcomer_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - start).count();

    std::printf("clients %d, %.0f s each, server threads %d, keep-alive %d s\n", clients, seconds,
                options.threads, options.keep_alive_s);
    std::printf("GET /healthz (baseline)       %8.0f req/s  worst %7.1f ms  failures %ld\n",
                health.per_second, health.worst_ms, health.failures);
    std::printf("signed POST /v1/events        %8.0f req/s  worst %7.1f ms  failures %ld  %.2fx "
                "the baseline\n",
                signed_push.per_second, signed_push.worst_ms, signed_push.failures,
                signed_push.per_second / health.per_second);
    std::printf("new kiosk while %d idle keep-alive connections wait: %.1f ms (%s)\n",
                options.threads, newcomer_ms, reply ? "answered" : "no answer");
    idle.clear();
    server.stop();
    serving.join();
}
