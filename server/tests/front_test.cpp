// SPDX-License-Identifier: Apache-2.0
// seba-server as every deployment runs it: behind seba-front (nginx, server/front/), over
// TLS. The attacks of issue 12 from loopback, each bounded in count and time: slow clients
// (slowloris) beside a kiosk that must still be served at once, a flood of headers, a
// chunked body past the limit, a gzip body, enrollment codes tried fast, plain HTTP and old
// TLS versions.
#include "front.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using SteadyClock = std::chrono::steady_clock;

int connect_loopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

// One TLS connection made with OpenSSL directly: what a script would write, byte for byte.
class TlsConnection {
  public:
    TlsConnection(SSL_CTX* context, int port) {
        fd_ = connect_loopback(port);
        if (fd_ < 0) return;
        ssl_ = SSL_new(context);
        SSL_set_fd(ssl_, fd_);
        SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>("localhost"));  // SSL_set_tlsext_host_name, without its C cast
        if (SSL_connect(ssl_) != 1) {
            SSL_free(ssl_);
            ssl_ = nullptr;
        }
    }
    ~TlsConnection() {
        if (ssl_) SSL_free(ssl_);
        if (fd_ >= 0) ::close(fd_);
    }
    TlsConnection(const TlsConnection&) = delete;
    TlsConnection& operator=(const TlsConnection&) = delete;

    bool open() const { return ssl_ != nullptr; }
    /// True when the front has ended this connection: it closed it, or answered and closed.
    bool ended_by_front() {
        if (!ssl_) return true;
        timeval tv{0, 200'000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buffer[512];
        int n = SSL_read(ssl_, buffer, sizeof buffer);
        if (n > 0) return true;
        // Still open only if the read merely timed out; a close, with or without TLS's
        // close_notify, is an end.
        int error = SSL_get_error(ssl_, n);
        bool timed_out = error == SSL_ERROR_WANT_READ ||
                         (error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK));
        return !timed_out;
    }
    /// False once the front has closed the connection.
    bool send(std::string_view bytes) {
        if (!ssl_) return false;
        while (!bytes.empty()) {
            int n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    /// What the front answers until it closes the connection (or 5 s of silence).
    std::string receive() {
        std::string out;
        char buffer[4096];
        for (int n; ssl_ && (n = SSL_read(ssl_, buffer, sizeof buffer)) > 0;)
            out.append(buffer, static_cast<std::size_t>(n));
        return out;
    }

  private:
    int fd_ = -1;
    SSL* ssl_ = nullptr;
};

class FrontTest : public SyncTest {
  protected:
    FrontTest() {
        context_ = SSL_CTX_new(TLS_client_method());
        SSL_CTX_load_verify_locations(context_, front_.certificate().c_str(), nullptr);
        SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    }
    ~FrontTest() override { SSL_CTX_free(context_); }

    // A fresh request as a kiosk makes it: how long until the answer, and the answer.
    std::pair<SteadyClock::duration, std::string> healthz() {
        auto started = SteadyClock::now();
        TlsConnection c(context_, front_.port());
        c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        std::string reply = c.receive();
        return {SteadyClock::now() - started, reply};
    }

    RunningServer backend_{*store_};
    seba::testing::Front front_{dir_ / "front", backend_.port()};
    SSL_CTX* context_ = nullptr;
};

TEST_F(FrontTest, AKioskReachesTheServerOverTlsWithTheServersCertificate) {
    auto [took, reply] = healthz();
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 200"));
    EXPECT_THAT(reply, HasSubstr("\r\n\r\nok\n"));
    EXPECT_THAT(reply, HasSubstr("Date: ")) << "the kiosk's clock is checked against it";

    // A kiosk that trusts another certificate refuses this server.
    seba::testing::TempDir other;
    seba::testing::ProcessResult made = seba::testing::run_process(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=other -keyout " +
        (other / "k.pem").string() + " -out " + (other / "c.pem").string());
    ASSERT_EQ(made.exit_code, 0) << made.output;
    SSL_CTX* stranger = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(stranger, (other / "c.pem").c_str(), nullptr);
    SSL_CTX_set_verify(stranger, SSL_VERIFY_PEER, nullptr);
    {
        TlsConnection c(stranger, front_.port());
        EXPECT_FALSE(c.open()) << "the handshake passed with a certificate nobody trusts";
    }
    SSL_CTX_free(stranger);
}

TEST_F(FrontTest, PlainHttpAndOldTlsAreRefused) {
    int fd = connect_loopback(front_.port());
    ASSERT_GE(fd, 0);
    std::string request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buffer[1024] = {};
    ssize_t n = ::recv(fd, buffer, sizeof buffer - 1, 0);
    ::close(fd);
    EXPECT_THAT(std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0),
                Not(HasSubstr("\r\n\r\nok")))
        << "plain HTTP reached the server";

    // TLS 1.1, with the client's own floor lowered so that only the front can refuse it.
    for (const char* version : {"-tls1_1", "-tls1"}) {
        seba::testing::ProcessResult old = seba::testing::run_process(
            std::string("openssl s_client -connect 127.0.0.1:") + std::to_string(front_.port()) +
            " " + version + " -cipher DEFAULT@SECLEVEL=0 </dev/null");
        EXPECT_NE(old.exit_code, 0) << version << " was accepted:\n" << old.output;
    }
    seba::testing::ProcessResult tls12 = seba::testing::run_process(
        "openssl s_client -connect 127.0.0.1:" + std::to_string(front_.port()) +
        " -tls1_2 </dev/null");
    EXPECT_EQ(tls12.exit_code, 0) << tls12.output;
}

TEST_F(FrontTest, SlowClientsDoNotMakeAKioskWait) {
    // The finding: 300 connections sending one header line every 5 s held all 256 workers,
    // and a fresh /healthz waited 37 s. Here the same 300, over TLS, for 12 s.
    std::vector<std::unique_ptr<TlsConnection>> slow;
    for (int i = 0; i < 300; ++i) {
        slow.push_back(std::make_unique<TlsConnection>(context_, front_.port()));
        slow.back()->send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
    }
    int open = 0;
    for (const auto& c : slow) open += c->open();
    ASSERT_GE(open, 290) << "the slow clients could not even connect";

    SteadyClock::duration slowest{};
    auto end = SteadyClock::now() + std::chrono::seconds(12);
    int asked = 0;
    for (auto next_line = SteadyClock::now(); SteadyClock::now() < end; ++asked) {
        if (SteadyClock::now() >= next_line) {
            for (auto& c : slow) c->send("X-Slow: 1\r\n");
            next_line += std::chrono::seconds(5);
        }
        auto [took, reply] = healthz();
        EXPECT_THAT(reply, StartsWith("HTTP/1.1 200"));
        slowest = std::max(slowest, took);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_GE(asked, 10);
    EXPECT_LT(slowest, std::chrono::seconds(1)) << "a kiosk waited behind the slow clients";

    // And the front ends them: 10 s to send the headers (client_header_timeout).
    std::this_thread::sleep_for(std::chrono::seconds(1));
    int ended = 0;
    for (auto& c : slow) ended += c->ended_by_front();
    EXPECT_EQ(ended, 300) << "slow clients still held connections after the header timeout";
}

TEST_F(FrontTest, AFloodOfHeadersIsCutOffAfter32KiB) {
    // The finding: 1,000,000 headers were accepted. Here up to 100,000 lines (2.4 MB).
    TlsConnection c(context_, front_.port());
    ASSERT_TRUE(c.open());
    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
    const std::string thousand = [] {
        std::string lines;
        for (int i = 0; i < 1000; ++i) lines += "X-Flood: " + std::to_string(i) + "\r\n";
        return lines;
    }();
    // The front answers once 32 KiB of headers are in, then only discards what still comes
    // (lingering_time) before it closes; nothing reaches seba-server.
    auto started = SteadyClock::now();
    for (int sent = 0; sent < 100 && c.send(thousand); ++sent) {
    }
    std::string reply = c.receive();
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 400"));
    EXPECT_THAT(reply, HasSubstr("headers are too large"));
    EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(12));
    EXPECT_THAT(backend_.metrics(), Not(HasSubstr("seba_requests_total{path=\"/healthz\"")))
        << "the flood reached seba-server";
}

TEST_F(FrontTest, BodiesPastTheLimitChunkedOrEncodedNeverReachTheServer) {
    {
        // 64 MiB, chunked: refused when it passes 4 MiB, counted as it arrives.
        TlsConnection c(context_, front_.port());
        c.send(
            "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n");
        const std::string chunk = "100000\r\n" + std::string(0x100000, 'x') + "\r\n";
        for (int sent = 0; sent < 64 && c.send(chunk); ++sent) {
        }
        std::string reply = c.receive();
        EXPECT_THAT(reply, StartsWith("HTTP/1.1 413"));
        EXPECT_THAT(reply, HasSubstr("too_large"));
    }
    {
        TlsConnection c(context_, front_.port());
        c.send(
            "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Content-Encoding: gzip\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"
            "01234567890123456789");
        std::string reply = c.receive();
        EXPECT_THAT(reply, StartsWith("HTTP/1.1 415"));
        EXPECT_THAT(reply, HasSubstr("encoded_body"));
    }
    EXPECT_EQ(store_->event_count(), 0);
    EXPECT_THAT(backend_.metrics(), Not(HasSubstr("seba_requests_total{path=\"/v1/events\"")))
        << "a refused body reached seba-server";
}

TEST_F(FrontTest, EnrollmentCodesCannotBeTriedFast) {
    // The finding: codes could be guessed at 8,000/s. From one address: 6 a minute, 5 more
    // at once.
    int refused_by_server = 0, too_many = 0;
    for (int i = 0; i < 20; ++i) {
        TlsConnection c(context_, front_.port());
        std::string body = R"({"code":"WRONG-CODE-)" + std::to_string(i) +
                           R"(","public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})";
        c.send(
            "POST /v1/enroll HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Connection: close\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
        std::string reply = c.receive();
        if (reply.starts_with("HTTP/1.1 429")) {
            ++too_many;
            EXPECT_THAT(reply, HasSubstr("too_many_requests"));
        } else {
            ++refused_by_server;
        }
    }
    EXPECT_LE(refused_by_server, 6);
    EXPECT_GE(too_many, 14);
}

}  // namespace
}  // namespace seba::server
