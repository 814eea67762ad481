// SPDX-License-Identifier: Apache-2.0
// What one citizen request costs to record durably: a business row plus its outbox event
// in one synchronous=FULL transaction, next to a bare SQLite insert measured the same way
// in the same process (the baseline). Run: build/bin/storage_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace {

seba::Manifest bench_manifest() {
    return seba::parse_manifest(R"({"id": "bench", "version": "1.0.0", "api": "1.0",
        "names": {"en": "Bench"}, "capabilities": ["storage", "outbox"],
        "events": ["bench.request"]})",
                                "bench/manifest.json");
}

// Baseline: one durable single-row commit, no outbox, no authorizer.
void BM_RawDurableInsert(benchmark::State& state) {
    seba::testing::TempDir dir;
    seba::Database db = seba::Database::open(dir / "bench.db");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)");
    for (auto _ : state) {
        seba::Transaction tx = db.transaction();
        db.prepare("INSERT INTO t (payload) VALUES (?)").bind(1, "{\"fee\": 50}").run();
        tx.commit();
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawDurableInsert)->Unit(benchmark::kMicrosecond)->UseRealTime();

// A plugin's request: its row and its outbox event, committed together.
void BM_PluginRequestWithEvent(benchmark::State& state) {
    seba::testing::TempDir dir;
    seba::Database db = seba::Database::open(dir / "bench.db");
    seba::migrate_core(db);
    seba::Manifest manifest = bench_manifest();
    seba::PluginStore store(db, manifest);
    store.exec("CREATE TABLE bench__requests (id INTEGER PRIMARY KEY, payload TEXT)");
    for (auto _ : state) {
        store.transaction([&] {
            store.prepare("INSERT INTO bench__requests (payload) VALUES (?)")
                .bind(1, "{\"fee\": 50}")
                .run();
            store.emit("bench.request", {{"fee", 50}});
        });
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PluginRequestWithEvent)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Prints each result as usual, then each one's cost as a ratio to the baseline's.
class RatioReporter : public benchmark::ConsoleReporter {
  public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) seconds_[run.benchmark_name()] = run.GetAdjustedRealTime();
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        double baseline = seconds_["BM_RawDurableInsert/real_time"];
        if (baseline <= 0) return;
        for (const auto& [name, time] : seconds_)
            std::printf("%-45s %.2fx the baseline (raw durable insert)\n", name.c_str(),
                        time / baseline);
    }

  private:
    std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
}
