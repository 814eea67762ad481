// SPDX-License-Identifier: Apache-2.0
// The kiosk's sync against a real seba-server in this process on loopback (2 cores shared),
// each next to a raw SQLite insert of the same rows measured in the same run (the baseline):
//  - a new kiosk's first pull of a large catalog channel, end to end (HTTP, gzip, JSON,
//    apply), against inserting the same (key, data) rows in transactions of a page's size;
//  - the second pull (nothing new: a 304);
//  - pushing the outbox's events in batches of 200, against inserting as many event rows in
//    transactions of 200.
// Records are the real Bangladesh unions (Bangla names), repeated under new keys.
// Run: build/bin/sync_bench [records] [events] [rounds]   (rounds of baseline + pull: 3)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "seba/catalog.hpp"
#include "seba/logging.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/server/catalog_import.hpp"
#include "seba/server/http_server.hpp"
#include "seba/storage.hpp"
#include "seba/sync_client.hpp"
#include "temp_dir.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// `count` records: the real unions, then the same unions again under new numeric ids after
// the real ones (so copies do not sit side by side, which would flatter gzip), in key byte
// order, the order the server's change feed sends them in.
std::vector<seba::server::ChannelRecord> union_records(std::size_t count) {
    seba::server::ImportSpec spec;
    spec.columns = {"id", "upazila_id", "name_en", "name_bn", "portal_url"};
    seba::server::ImportResult unions = seba::server::read_catalog_file(
        std::string(SEBA_DATA_DIR) + "/bd-geocode/unions.csv", spec);
    long next_id = 0;
    for (const seba::server::CatalogRecord& u : unions.records)
        next_id = std::max(next_id, std::strtol(u.key.c_str(), nullptr, 10));
    std::vector<seba::server::ChannelRecord> records;
    records.reserve(count);
    for (bool first_round = true; records.size() < count; first_round = false)
        for (const seba::server::CatalogRecord& u : unions.records) {
            if (records.size() == count) break;
            std::string key = first_round ? u.key : std::to_string(++next_id);
            json data = u.data;
            data["id"] = key;
            records.push_back({key, data.dump()});
        }
    std::sort(records.begin(), records.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    return records;
}

// Baseline: the same rows into a plain table shaped like the kiosk's catalog, on a fresh
// database opened the kiosk's way (WAL, synchronous=FULL), one transaction per `batch` rows,
// one prepared statement. Returns rows per second.
double raw_catalog_insert(const std::filesystem::path& file,
                          const std::vector<seba::server::ChannelRecord>& records,
                          std::size_t batch) {
    seba::Database db = seba::Database::open(file);
    db.exec(
        "CREATE TABLE catalog (channel TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, "
        "generation INTEGER NOT NULL, PRIMARY KEY (channel, key))");
    seba::Statement insert =
        db.prepare("INSERT INTO catalog (channel, key, data, generation) VALUES (?, ?, ?, ?)");
    auto start = Clock::now();
    for (std::size_t first = 0; first < records.size(); first += batch) {
        seba::Transaction tx = db.transaction();
        for (std::size_t i = first; i < std::min(first + batch, records.size()); ++i) {
            insert.bind_all("geo.unions", records[i].key, records[i].data, 1).run();
            insert.reset();
        }
        tx.commit();
    }
    return static_cast<double>(records.size()) / seconds_since(start);
}

// Baseline: `count` event rows into a plain table shaped like the server's, in transactions
// of `batch`, one prepared statement. Returns rows per second.
double raw_event_insert(const std::filesystem::path& file, int count, int batch) {
    seba::Database db = seba::Database::open(file);
    db.exec(
        "CREATE TABLE events (device TEXT NOT NULL, uuid TEXT NOT NULL, type TEXT NOT NULL, "
        "payload TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (device, uuid))");
    seba::Statement insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?)");
    std::string payload =
        json{{"service", "birth_registration"}, {"fee", 50}, {"union", "সুবিল"}}.dump();
    auto start = Clock::now();
    for (int first = 0; first < count; first += batch) {
        seba::Transaction tx = db.transaction();
        for (int i = first; i < std::min(first + batch, count); ++i) {
            char uuid[37];
            std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", i);
            insert
                .bind_all("dev-0123456789abcdef", uuid, "bench.request_created", payload,
                          seba::utc_now_iso())
                .run();
            insert.reset();
        }
        tx.commit();
    }
    return static_cast<double>(count) / seconds_since(start);
}

void row(const char* what, double seconds, double per_second, double baseline) {
    if (baseline > 0)
        std::printf("%-44s %9.3f s %10.0f /s  %5.2fx the raw insert\n", what, seconds, per_second,
                    per_second / baseline);
    else
        std::printf("%-44s %9.3f s %10.0f /s\n", what, seconds, per_second);
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t record_count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
    int event_count = argc > 2 ? std::atoi(argv[2]) : 10000;
    // The machine is shared and noisy: the baseline and the pull alternate, round by round,
    // and the median ratio is the result.
    int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
    constexpr int kPushBatch = 200;
    seba::testing::TempDir dir;
    seba::logging::init(dir / "logs", "warn", false);

    auto start = Clock::now();
    std::vector<seba::server::ChannelRecord> records = union_records(record_count);
    double build_s = seconds_since(start);

    seba::server::ServerOptions options;
    options.port = 0;
    double raw_events = raw_event_insert(dir / "raw-events.db", event_count, kPushBatch);

    std::unique_ptr<seba::server::Store> store = seba::server::open_sqlite_store(dir / "server.db");
    store->create_centre("dhaka-1", "Dhaka Union Digital Centre");
    start = Clock::now();
    seba::server::PublishReport published = store->publish("geo.unions", "", records, true, false);
    double publish_s = seconds_since(start);

    seba::server::HttpServer server(*store, options);
    int port = server.bind();
    std::thread serving([&] { server.run(); });
    while (!server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

    // One round: the raw insert, then a new kiosk's first pull of the whole channel.
    struct Round {
        double raw_records = 0;  // rows/s
        double pull_s = 0;
        double slowest_page_s = 0;
        seba::SyncClient::PullReport pulled;
        std::int64_t local = 0;
        double ratio() const { return static_cast<double>(pulled.upserts) / pull_s / raw_records; }
    };
    std::vector<Round> done;
    std::optional<seba::Database> kiosk_db;
    std::optional<seba::SyncClient> kiosk;
    for (int r = 0; r < rounds; ++r) {
        Round round;
        std::string n = std::to_string(r);
        round.raw_records =
            raw_catalog_insert(dir / ("raw-catalog-" + n + ".db"), records, options.page_records);
        kiosk.reset();
        kiosk_db = seba::Database::open(dir / ("kiosk-" + n + ".db"));
        seba::migrate_core(*kiosk_db);
        seba::SyncOptions sync;
        sync.server_url = "http://127.0.0.1:" + std::to_string(port);
        sync.device_key_file = dir / ("device-" + n + ".key");
        kiosk.emplace(*kiosk_db, sync);
        kiosk->enroll(store->create_enrollment_code("dhaka-1", std::chrono::hours(1),
                                                    std::chrono::system_clock::now()));
        auto page_start = Clock::now();
        start = Clock::now();
        round.pulled = kiosk->pull("geo.unions", [&](const auto&) {
            round.slowest_page_s = std::max(round.slowest_page_s, seconds_since(page_start));
            page_start = Clock::now();
        });
        round.pull_s = seconds_since(start);
        round.local = seba::catalog::size(*kiosk_db, "geo.unions");
        done.push_back(round);
    }
    std::vector<Round> by_ratio = done;
    std::sort(by_ratio.begin(), by_ratio.end(),
              [](const Round& a, const Round& b) { return a.ratio() < b.ratio(); });
    const Round& median = by_ratio[by_ratio.size() / 2];

    start = Clock::now();
    seba::SyncClient::PullReport again = kiosk->pull("geo.unions");
    double again_s = seconds_since(start);

    // Citizens' requests: each event in its own durable transaction, as a plugin writes it.
    seba::Manifest manifest = seba::parse_manifest(
        R"({"id": "bench", "version": "1.0.0", "api": "1.0", "names": {"en": "Bench"},
            "capabilities": ["storage", "outbox"], "events": ["bench.request_created"]})",
        "bench/manifest.json");
    seba::PluginStore plugin(*kiosk_db, manifest);
    std::vector<std::string> union_names;
    for (std::size_t i = 0; i < std::min<std::size_t>(records.size(), 1000); ++i)
        union_names.push_back(json::parse(records[i].data).value("name_bn", ""));
    start = Clock::now();
    for (int i = 0; i < event_count; ++i)
        plugin.transaction([&] {
            plugin.emit("bench.request_created",
                        {{"service", "birth_registration"},
                         {"fee", 50},
                         {"union", union_names[static_cast<std::size_t>(i) % union_names.size()]}});
        });
    double emit_s = seconds_since(start);

    start = Clock::now();
    seba::SyncClient::PushReport pushed = kiosk->push_outbox(kPushBatch);
    double push_s = seconds_since(start);

    server.stop();
    serving.join();

    std::size_t data_bytes = 0;
    for (const auto& r : records) data_bytes += r.key.size() + r.data.size();
    double push_rate = static_cast<double>(pushed.accepted) / push_s;
    std::printf("channel geo.unions: %zu records (real unions, repeated), %.1f MiB of JSON\n",
                records.size(), static_cast<double>(data_bytes) / 1048576.0);
    std::printf("pages of %zu records; server threads %d; events pushed %d a request\n\n",
                options.page_records, options.threads, kPushBatch);
    std::printf("%-44s %11s %13s\n", "measure", "time", "rate");
    row("build the records (informative)", build_s, static_cast<double>(records.size()) / build_s,
        0);
    row("publish on the server (informative)", publish_s,
        static_cast<double>(published.added) / publish_s, 0);
    for (std::size_t r = 0; r < done.size(); ++r) {
        const Round& round = done[r];
        std::printf("round %zu\n", r + 1);
        row("  raw insert, catalog rows (baseline)",
            static_cast<double>(records.size()) / round.raw_records, round.raw_records, 0);
        row("  first pull, end to end", round.pull_s,
            static_cast<double>(round.pulled.upserts) / round.pull_s, round.raw_records);
        std::printf("    %d pages, %.1f MiB on the wire (gzip), slowest page %.0f ms, %lld kept%s\n",
                    round.pulled.pages, static_cast<double>(round.pulled.bytes) / 1048576.0,
                    round.slowest_page_s * 1000, static_cast<long long>(round.local),
                    round.pulled.snapshot ? ", a snapshot" : "");
    }
    std::printf("%-44s %9.3f s  (%s)\n", "second pull", again_s,
                again.not_modified ? "304 not modified" : "NOT a 304");
    row("raw insert, event rows (baseline)", event_count / raw_events, raw_events, 0);
    row("emit, one commit each (informative)", emit_s, event_count / emit_s, 0);
    row("push_outbox, end to end", push_s, push_rate, raw_events);
    std::printf("  %d sent, %d accepted, %d duplicates, %d conflicts\n\n", pushed.sent,
                pushed.accepted, pushed.duplicates, pushed.conflicts);
    std::printf("pull: %.2fx the raw insert rate, the median of %d rounds (%.2fx to %.2fx); "
                "target: at least 0.50x: %s\n",
                median.ratio(), rounds, by_ratio.front().ratio(), by_ratio.back().ratio(),
                median.ratio() >= 0.5 ? "met" : "NOT MET");
    std::printf("push: %.2fx the raw insert rate (informative)\n", push_rate / raw_events);
    return 0;
}
