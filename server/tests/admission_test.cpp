// SPDX-License-Identifier: Apache-2.0
// Admission control for pushes (issue 22, the reconnect herd): past max_pushes_in_flight the
// server answers 503 with a spread Retry-After at once, the kiosk waits that long, and no
// event is lost. Pushes are made slow for real: another connection holds the store's write
// lock, as a backup or a slow disk would, so the admitted pushes wait inside the server.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <random>

#include "seba/sync_engine.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using ::testing::HasSubstr;

std::string uuid_for(int i) {
    return fmt::format("00000000-0000-4000-8000-{:012}", i);
}

// Holds the SQLite write lock of the store's file until released (or destroyed).
using WriteLock = seba::testing::StoreWriteLock;

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
    auto lock = std::make_unique<WriteLock>(dir_.path());
    PushesAtOnce pushes(herd, server.port());
    ASSERT_EQ(pushes.turned_away(2, std::chrono::seconds(3)), 2)
        << "two pushes beyond the limit of two are refused at once";

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
    const std::vector<PushAnswer>& answers = pushes.answers();
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

// A loopback connection read one reply at a time, as a keep-alive client reads.
class KeptConnection {
  public:
    explicit KeptConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        // A bound on every read: the server's keep-alive below is far longer.
        timeval tv{8, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~KeptConnection() { ::close(fd_); }
    KeptConnection(const KeptConnection&) = delete;
    KeptConnection& operator=(const KeptConnection&) = delete;

    /// Sends GET /healthz and reads its reply's head and body; "" when none came in time.
    std::string get_healthz() {
        const std::string request = "GET /healthz HTTP/1.1\r\nHost: seba\r\n\r\n";
        if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size()))
            return {};
        std::string reply;
        char buffer[1024];
        // The reply is small: its head and its 3-byte body ("ok\n").
        while (reply.find("\r\n\r\nok\n") == std::string::npos) {
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) return {};
            reply.append(buffer, static_cast<std::size_t>(n));
        }
        return reply;
    }

  private:
    int fd_ = -1;
};

TEST_F(SyncTest, WhileConnectionsWaitForAWorkerARepliedConnectionIsClosedToFreeIt) {
    // Every worker but one held by an idle keep-alive connection, and a long keep-alive: a
    // returning kiosk would wait behind them for the whole keep-alive time.
    ServerOptions options;
    options.keep_alive_s = 60;
    RunningServer server(*store_, options);
    std::vector<std::unique_ptr<KeptConnection>> idle;
    for (int i = 0; i < 3; ++i) idle.push_back(std::make_unique<KeptConnection>(server.port()));
    auto kiosk = std::make_unique<KeptConnection>(server.port());
    // Each of the four connections taken by a worker first (under load, accepting them can
    // lag): only then is no one waiting.
    const auto settled = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.metrics().find("\nseba_connections_waiting 0\n") == std::string::npos &&
           std::chrono::steady_clock::now() < settled)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const std::string alone = kiosk->get_healthz();
    ASSERT_THAT(alone, HasSubstr("200 OK"));
    EXPECT_THAT(alone, ::testing::Not(HasSubstr("Connection: close")))
        << "with no one waiting, the connection is kept for the kiosk's next request";

    // Another kiosk connects: no worker is free, so it waits in the queue.
    KeptConnection waiting(server.port());
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.metrics().find("\nseba_connections_waiting 1\n") == std::string::npos &&
           std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_THAT(server.metrics(), HasSubstr("\nseba_connections_waiting 1\n"))
        << "the new connection was accepted and waits for a worker";
    const std::string busy = kiosk->get_healthz();
    ASSERT_THAT(busy, HasSubstr("200 OK"));
    EXPECT_THAT(busy, HasSubstr("Connection: close"))
        << "someone waits: this reply frees its worker";
    kiosk.reset();  // as an HTTP/1.1 client (libcurl, nginx) does on "Connection: close"
    // That worker serves the waiting kiosk long before the idle keep-alives end (60 s; each
    // read is bounded at 8 s).
    EXPECT_THAT(waiting.get_healthz(), HasSubstr("200 OK"));
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
