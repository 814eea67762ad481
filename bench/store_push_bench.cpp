// SPDX-License-Identifier: Apache-2.0
// Signed pushes per second through a real HttpServer, on the SQLite store and on the
// PostgreSQL store, in the same process run on the same machine (issue 22's goal: PostgreSQL
// at least 0.70 of SQLite per backend). Both stores are durable at every commit: SQLite in
// WAL with synchronous=FULL, PostgreSQL 15 (started here, as the tests start it, in a
// temporary directory on the same disk) with fsync=on and synchronous_commit=on.
// The rounds alternate the stores so that drift on a shared machine hits both alike; the
// best round of each is reported, with the ratio PG/SQLite.
// Run: build/bin/store_push_bench [--clients 16] [--seconds 4] [--rounds 3]
//          [--batch 1 --batch 50] [--pg-connections 16] [--server-threads 64]
#include <fmt/format.h>
#include <httplib.h>
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "pg_pool.hpp"
#include "postgres.hpp"
#include "seba/logging.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"
#include "seba/signing.hpp"
#include "temp_dir.hpp"

namespace {

using Steady = std::chrono::steady_clock;
using seba::server::Store;

struct Options {
    int clients = 16;
    double seconds = 4;
    int rounds = 3;
    std::vector<int> batches;
    int pg_connections = 16;
    int server_threads = 64;
};

struct Result {
    double pushes_per_s = 0;
    double p99_ms = 0;
    long failures = 0;
};

std::string random_uuid() {
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    id[6] = static_cast<unsigned char>((id[6] & 0x0f) | 0x40);
    id[8] = static_cast<unsigned char>((id[8] & 0x3f) | 0x80);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    const std::string h(hex);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

// One store behind its own HttpServer, with one enrolled device per client.
class Served {
  public:
    Served(std::unique_ptr<Store> store, const Options& o) : store_(std::move(store)) {
        store_->create_centre("bench", "Bench centre");
        seba::server::ServerOptions options;
        options.port = 0;
        options.threads = o.server_threads;
        server_ = std::make_unique<seba::server::HttpServer>(*store_, options);
        port_ = server_->bind();
        serving_ = std::thread([this] { server_->run(); });
        while (!server_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        for (int c = 0; c < o.clients; ++c) {
            keys_.push_back(seba::signing::generate_key_pair());
            devices_.push_back(
                store_
                    ->enroll(store_->create_enrollment_code("bench", std::chrono::hours(1),
                                                            seba::server::Clock::now()),
                             keys_.back().public_key, seba::server::Clock::now())
                    .id);
            http_.push_back(std::make_unique<httplib::Client>("127.0.0.1", port_));
            http_.back()->set_keep_alive(true);
            http_.back()->set_tcp_nodelay(true);
            http_.back()->set_read_timeout(30, 0);
        }
    }
    ~Served() {
        http_.clear();
        server_->stop();
        serving_.join();
    }

    // Every client pushes batches of `batch` new events back to back for `seconds`.
    Result load(double seconds, int batch) {
        std::atomic<long> failures{0};
        std::vector<std::vector<double>> latencies(http_.size());
        const auto end = Steady::now() + std::chrono::duration_cast<Steady::duration>(
                                             std::chrono::duration<double>(seconds));
        std::vector<std::thread> threads;
        for (std::size_t c = 0; c < http_.size(); ++c)
            threads.emplace_back([&, c] {
                while (Steady::now() < end) {
                    nlohmann::json events = nlohmann::json::array();
                    for (int e = 0; e < batch; ++e)
                        events.push_back({{"uuid", random_uuid()},
                                          {"type", "bench.request"},
                                          {"payload", {{"service", "birth"}, {"fee", 50}}}});
                    const std::string body =
                        nlohmann::json{{"centre", "bench"}, {"events", std::move(events)}}.dump();
                    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
                    const auto h = seba::signing::sign_request(keys_[c], devices_[c], "POST",
                                                               "/v1/events", body, now);
                    const httplib::Headers headers = {{"X-Seba-Device", h.device},
                                                      {"X-Seba-Timestamp", h.timestamp},
                                                      {"X-Seba-Nonce", h.nonce},
                                                      {"X-Seba-Signature", h.signature}};
                    const auto start = Steady::now();
                    auto r = http_[c]->Post("/v1/events", headers, body, "application/json");
                    if (!r || r->status != 200) {
                        ++failures;
                        continue;
                    }
                    latencies[c].push_back(
                        std::chrono::duration<double, std::milli>(Steady::now() - start).count());
                }
            });
        for (std::thread& t : threads) t.join();
        std::vector<double> all;
        for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
        std::sort(all.begin(), all.end());
        Result r;
        r.pushes_per_s = static_cast<double>(all.size()) / seconds;
        r.p99_ms = all.empty() ? 0 : all[all.size() * 99 / 100];
        r.failures = failures.load();
        return r;
    }

  private:
    std::unique_ptr<Store> store_;
    std::unique_ptr<seba::server::HttpServer> server_;
    std::thread serving_;
    int port_ = 0;
    std::vector<seba::signing::KeyPair> keys_;
    std::vector<std::string> devices_;
    std::vector<std::unique_ptr<httplib::Client>> http_;
};

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{"signed pushes/s through HttpServer: PostgreSQL against SQLite"};
    app.add_option("--clients", o.clients, "clients pushing at once, one device each")
        ->check(CLI::Range(1, 256));
    app.add_option("--seconds", o.seconds, "seconds per measurement")
        ->check(CLI::Range(0.5, 600.0));
    app.add_option("--rounds", o.rounds, "rounds, alternating the stores")
        ->check(CLI::Range(1, 20));
    app.add_option("--batch", o.batches, "events per push (repeat for several)")
        ->check(CLI::Range(1, 500));
    app.add_option("--pg-connections", o.pg_connections, "the PostgreSQL pool's max_connections")
        ->check(CLI::Range(1, 50));
    app.add_option("--server-threads", o.server_threads, "HttpServer worker threads")
        ->check(CLI::Range(2, 1024));
    CLI11_PARSE(app, argc, argv);
    if (o.batches.empty()) o.batches = {1, 50};
    if (sodium_init() < 0) return 1;

    seba::testing::TempDir dir;
    seba::logging::init(dir / "logs", "warn", false);
    seba::testing::Postgres postgres;
    seba::server::pg::PoolConfig pool;
    pool.host = postgres.host();
    pool.port = postgres.port();
    pool.database = postgres.database();
    pool.user = postgres.user();
    pool.password = postgres.password();
    pool.sslmode = "disable";
    pool.min_connections = 1;
    pool.max_connections = o.pg_connections;

    std::map<std::string, std::unique_ptr<Served>> stores;
    stores["SQLite"] =
        std::make_unique<Served>(seba::server::open_sqlite_store(dir / "server.db"), o);
    stores["PostgreSQL"] = std::make_unique<Served>(seba::server::open_postgres_store(pool), o);

    std::printf(
        "clients %d, %.1f s per run, %d rounds, server threads %d, PG pool %d; both "
        "stores durable at every commit, data on the same disk\n",
        o.clients, o.seconds, o.rounds, o.server_threads, o.pg_connections);
    std::map<std::pair<std::string, int>, Result> best;
    for (int round = 0; round < o.rounds; ++round)
        for (int batch : o.batches)
            for (const char* name : {"SQLite", "PostgreSQL"}) {
                const Result r = stores[name]->load(o.seconds, batch);
                std::printf(
                    "round %d  %-10s  batch %3d  %8.0f pushes/s  %9.0f events/s  p99 %7.1f "
                    "ms  failures %ld\n",
                    round + 1, name, batch, r.pushes_per_s, r.pushes_per_s * batch, r.p99_ms,
                    r.failures);
                std::fflush(stdout);
                Result& b = best[{name, batch}];
                if (r.pushes_per_s > b.pushes_per_s) b = r;
            }
    std::printf("\nbest of %d rounds:\n", o.rounds);
    for (int batch : o.batches) {
        const Result& s = best[{"SQLite", batch}];
        const Result& p = best[{"PostgreSQL", batch}];
        std::printf(
            "batch %3d  SQLite %8.0f pushes/s (p99 %.1f ms)  PostgreSQL %8.0f pushes/s "
            "(p99 %.1f ms)  PG/SQLite %.2f\n",
            batch, s.pushes_per_s, s.p99_ms, p.pushes_per_s, p.p99_ms,
            s.pushes_per_s > 0 ? p.pushes_per_s / s.pushes_per_s : 0.0);
    }
    return 0;
}
