// SPDX-License-Identifier: Apache-2.0
// Admission control for pushes (issue 22, the reconnect herd): past max_pushes_in_flight the
// server answers 503 with a spread Retry-After at once, the kiosk waits that long, and no
// event is lost. Pushes are made slow for real: another connection holds the store's write
// lock, as a backup or a slow disk would, so the admitted pushes wait inside the server.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <sodium.h>
#include <sqlite3.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <random>

#include "seba/sync_engine.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using ::testing::HasSubstr;

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

    PushAnswer push(int port) const {
        std::string body = nlohmann::json{{"centre", "dhaka-1"},
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

std::string uuid_for(int i) {
    return fmt::format("00000000-0000-4000-8000-{:012}", i);
}

// Holds the SQLite write lock of the store's file until released (or destroyed).
class WriteLock {
  public:
    explicit WriteLock(const std::filesystem::path& file) {
        if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK ||
            sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot lock " + file.string());
    }
    ~WriteLock() { release(); }
    void release() {
        if (!db_) return;
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db_);
        db_ = nullptr;
    }

  private:
    sqlite3* db_ = nullptr;
};

TEST_F(SyncTest, PushesPastTheLimitWaitForRetryAfterAndNothingIsLost) {
    ServerOptions options;
    options.max_pushes_in_flight = 2;
    RunningServer server(*store_, options);  // 4 workers
    client(server.url()).enroll(code());
    request("birth_registration");
    std::vector<HerdKiosk> herd(4);
    for (std::size_t i = 0; i < herd.size(); ++i) {
        herd[i].device = store_->enroll(code(), herd[i].key.public_key, Clock::now(), "dhaka-1").id;
        herd[i].uuid = uuid_for(static_cast<int>(i));
    }

    // Four slow pushes at once: two are admitted and wait for the store, two are turned away.
    auto lock = std::make_unique<WriteLock>(dir_ / "server.db");
    std::vector<PushAnswer> answers(herd.size());
    std::atomic<int> turned_away{0};
    std::vector<std::thread> pushing;
    for (std::size_t i = 0; i < herd.size(); ++i)
        pushing.emplace_back([&, i] {
            answers[i] = herd[i].push(server.port());
            if (answers[i].status == 503) ++turned_away;
        });
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (turned_away < 2 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(turned_away.load(), 2) << "two pushes beyond the limit of two are refused at once";

    // The real kiosk meets the busy server too: its events stay, and it waits as told.
    try {
        client(server.url()).push_outbox();
        FAIL() << "the busy server took a third push";
    } catch (const SyncError& e) {
        ASSERT_TRUE(e.retry_after.has_value());
        EXPECT_GE(*e.retry_after, std::chrono::seconds(options.busy_retry_after_s));
        EXPECT_LE(*e.retry_after,
                  std::chrono::seconds(options.busy_retry_after_s + options.busy_retry_spread_s));
        EXPECT_THAT(e.what(), HasSubstr("busy"));
        std::mt19937 random(1);
        EXPECT_EQ(SyncEngine::backoff(1, SyncEngine::Timing{}, e.retry_after, random),
                  std::chrono::milliseconds(*e.retry_after))
            << "the sync engine waits exactly the server's Retry-After";
    }
    EXPECT_EQ(outbox("pending"), 1) << "the refused event stays in the outbox";

    lock->release();
    for (std::thread& t : pushing) t.join();
    int admitted = 0;
    for (const PushAnswer& a : answers) {
        if (a.status == 200) {
            ++admitted;
            continue;
        }
        ASSERT_EQ(a.status, 503);
        const int wait = std::stoi(a.retry_after);
        EXPECT_GE(wait, options.busy_retry_after_s);
        EXPECT_LE(wait, options.busy_retry_after_s + options.busy_retry_spread_s);
        EXPECT_EQ(a.connection, "close") << "its worker goes on to the next connection";
        EXPECT_THAT(a.body, HasSubstr("\"error\":\"busy\""));
    }
    EXPECT_EQ(admitted, 2);

    // Once the server is free again, the refused pushes go through: nothing was lost.
    for (std::size_t i = 0; i < herd.size(); ++i)
        if (answers[i].status == 503) {
            EXPECT_EQ(herd[i].push(server.port()).status, 200);
        }
    EXPECT_EQ(client(server.url()).push_outbox().accepted, 1);
    EXPECT_EQ(store_->event_count(), 5) << "each event once";
    EXPECT_THAT(server.metrics(), HasSubstr("seba_push_busy_total 3"));
    EXPECT_THAT(server.metrics(),
                HasSubstr("seba_requests_total{path=\"/v1/events\",code=\"503\"} 3"));
}

TEST_F(SyncTest, NoLimitMeansNoAdmissionControl) {
    ServerOptions options;
    options.max_pushes_in_flight = 0;
    RunningServer server(*store_, options);
    client(server.url()).enroll(code());
    for (int i = 0; i < 3; ++i) request("birth_registration");
    EXPECT_EQ(client(server.url()).push_outbox(1).accepted, 3);
    EXPECT_THAT(server.metrics(), ::testing::Not(HasSubstr("\nseba_push_busy_total ")));
}

}  // namespace
}  // namespace seba::server
