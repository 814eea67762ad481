// SPDX-License-Identifier: Apache-2.0
// seba-server itself against clients that break the rules, over raw loopback sockets: what
// the TLS front stops first (server/front/) is refused here too, before a body is read, and
// /metrics cannot be written to by a request path. Each case is bounded in count and time.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <string>

#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace seba::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A raw connection: what a script would do, byte for byte.
class RawConnection {
  public:
    explicit RawConnection(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        timeval tv{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    ~RawConnection() { ::close(fd_); }
    int fd() const { return fd_; }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// False once the server has closed the connection (or stopped reading).
    bool send(std::string_view bytes) {
        while (!bytes.empty()) {
            ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    /// Everything the server sends until it closes the connection (or 5 s of silence).
    std::string receive() {
        std::string out;
        char buffer[4096];
        for (ssize_t n; (n = ::recv(fd_, buffer, sizeof buffer, 0)) > 0;)
            out.append(buffer, static_cast<std::size_t>(n));
        return out;
    }

  private:
    int fd_ = -1;
};

// This process's resident memory: the server runs in it, so a body it kept shows here.
std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

class AbuseTest : public SyncTest {
  protected:
    RunningServer server_{*store_};
};

TEST_F(AbuseTest, ARequestPathCannotWriteSeriesIntoMetrics) {
    // The path from the finding: it closes the label and adds a forged series line.
    RawConnection c(server_.port());
    c.send(
        "GET /nope%22%7D%201%0Aseba_events_total%7Boutcome%3D%22accepted%22%7D%20999999%0A%23 "
        "HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_THAT(c.receive(), StartsWith("HTTP/1.1 404"));
    std::string metrics = server_.metrics();
    EXPECT_THAT(metrics, Not(HasSubstr("999999")));
    EXPECT_THAT(metrics, HasSubstr("seba_requests_total{path=\"other\",code=\"404\"} 1"));
    // Every line is a comment or one series and its number.
    std::size_t start = 0;
    while (start < metrics.size()) {
        std::size_t end = metrics.find('\n', start);
        std::string line = metrics.substr(start, end - start);
        start = end + 1;
        if (line.empty() || line[0] == '#') continue;
        EXPECT_TRUE(line.starts_with("seba_")) << line;
        EXPECT_EQ(line.find('\n'), std::string::npos);
    }
}

TEST_F(AbuseTest, TwoThousandUnknownPathsAddOneSeries) {
    httplib::Client http("127.0.0.1", server_.port());
    const std::size_t before = server_.metrics().size();
    for (int i = 0; i < 2000; ++i) http.Get("/probe/" + std::to_string(i));
    std::string metrics = server_.metrics();
    EXPECT_THAT(metrics, HasSubstr("seba_requests_total{path=\"other\",code=\"404\"} 2000"));
    EXPECT_LT(metrics.size(), before + 200) << "each unknown path made a series of its own";
}

TEST_F(AbuseTest, AChunkedBodyIsRefusedBeforeItIsRead) {
    // A body with no length streams past a Content-Length limit: refused at the headers, so
    // the 64 MiB that follow never reach a handler or memory. (cpp-httplib keeps the
    // connection and reads the rest as garbage requests: the front closes such clients.)
    const std::size_t before = resident_bytes();
    RawConnection c(server_.port());
    ASSERT_TRUE(
        c.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Transfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk = "100000\r\n" + std::string(0x100000, 'x') + "\r\n";  // 1 MiB
    auto started = std::chrono::steady_clock::now();
    for (int sent = 0; sent < 64 && c.send(chunk); ++sent) {
    }
    ::shutdown(c.fd(), SHUT_WR);
    std::string reply = c.receive();
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 411"));
    EXPECT_THAT(reply, HasSubstr("length_required"));
    EXPECT_LT(resident_bytes(), before + (16u << 20)) << "the server kept the body";
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
    EXPECT_EQ(store_->event_count(), 0);
}

TEST_F(AbuseTest, AGzipBodyIsRefusedWithoutBeingInflated) {
    // 64 MiB of zeros gzip to about 64 KiB: inflated, they would have reached the handler.
    std::string zeros(64u << 20, '\0');
    z_stream z{};
    ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string bomb(deflateBound(&z, zeros.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(zeros.data());
    z.avail_in = static_cast<uInt>(zeros.size());
    z.next_out = reinterpret_cast<Bytef*>(bomb.data());
    z.avail_out = static_cast<uInt>(bomb.size());
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    bomb.resize(z.total_out);
    deflateEnd(&z);
    ASSERT_LT(bomb.size(), 4u << 20) << "within the body limit, as in the finding";

    zeros = std::string();
    zeros.shrink_to_fit();
    const std::size_t before = resident_bytes();
    RawConnection c(server_.port());
    c.send(
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Encoding: gzip\r\nContent-Length: " +
        std::to_string(bomb.size()) + "\r\n\r\n");
    c.send(bomb);
    ::shutdown(c.fd(), SHUT_WR);
    std::string reply = c.receive();
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 415"));
    EXPECT_THAT(reply, HasSubstr("encoded_body"));
    EXPECT_LT(resident_bytes(), before + (16u << 20)) << "the server inflated the body";
}

TEST_F(AbuseTest, TooManyHeadersAreRefused) {
    std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 200; ++i) request += "X-Filler-" + std::to_string(i) + ": y\r\n";
    RawConnection c(server_.port());
    c.send(request + "\r\n");
    std::string reply = c.receive();
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 431"));
    EXPECT_THAT(reply, HasSubstr("at most 64 headers"));

    RawConnection ok(server_.port());
    ok.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_THAT(ok.receive(), StartsWith("HTTP/1.1 200")) << "an ordinary request still passes";
}

}  // namespace
}  // namespace seba::server
