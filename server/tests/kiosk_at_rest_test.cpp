// SPDX-License-Identifier: Apache-2.0
// What a kiosk's files still hold of an event once the real server took it: nothing. The
// kiosk runs on (its own connection stays open, as the window's does), and the bytes of
// the database file and its -wal file are searched for the event's payload.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "seba/sync_engine.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

constexpr const char* kSentinel = "Sentinel-Rashida-Khatun-01711223344";

TEST_F(SyncTest, ASentEventLeavesNoBytesInTheKioskDatabaseOrItsWal) {
    RunningServer server(*store_);
    client(server.url()).enroll(code());
    dc_.transaction([&] {
        dc_.prepare("INSERT INTO dc__requests (service) VALUES ('birth_registration')").run();
        dc_.emit("dc.request_created", {{"service", "birth_registration"}, {"name", kSentinel}});
    });
    auto holds_sentinel = [&](const char* name) {
        return testing::read_file(dir_ / name).find(kSentinel) != std::string::npos;
    };
    ASSERT_TRUE(holds_sentinel("kiosk.db") || holds_sentinel("kiosk.db-wal"))
        << "the event is on disk before it is sent";

    SyncOptions options;
    options.server_url = server.url();
    options.device_key_file = dir_ / "device.key";
    SyncEngine::Timing timing;
    timing.interval = std::chrono::milliseconds(50);
    SyncEngine engine(dir_ / "kiosk.db", options, timing, [] {});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    // The status is published after the round that pushed and cleaned up.
    while ((store_->event_count() < 1 || engine.status().last_sync.empty() ||
            engine.status().pending != 0) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(store_->event_count(), 1);
    ASSERT_EQ(outbox(), 0);

    EXPECT_FALSE(holds_sentinel("kiosk.db")) << "secure_delete overwrote the row";
    EXPECT_FALSE(holds_sentinel("kiosk.db-wal")) << "the WAL was emptied after the push";
    EXPECT_EQ(std::filesystem::file_size(dir_ / "kiosk.db-wal"), 0u);
}

}  // namespace
}  // namespace seba::server
