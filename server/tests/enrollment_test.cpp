// SPDX-License-Identifier: Apache-2.0
// What a stranger learns from seba-server, and what it keeps apart (issue 12, Why 6), over
// loopback: every bad enrollment code gets one answer, guessing a centre's codes is slowed
// to a few tries a minute, a centre's fleet ETag moves only with its own fleet, events are
// validated as docs/protocol.md says, and every reply, refusals included, says the time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <set>

#include "seba/signing.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

struct Answer {
    int status = 0;
    json body;
    std::string retry_after;
};

class EnrollmentTest : public SyncTest {
  protected:
    Answer enroll(int port, const std::string& code, const signing::KeyPair& key,
                  const std::string& centre = "") {
        json body = {{"code", code}, {"public_key", signing::to_base64(key.public_key)}};
        if (!centre.empty()) body["centre"] = centre;
        httplib::Client http("127.0.0.1", port);
        httplib::Result r = http.Post("/v1/enroll", body.dump(), "application/json");
        if (!r) return {};
        return {r->status, json::parse(r->body, nullptr, false),
                r->get_header_value("Retry-After")};
    }
};

// Unknown, used and expired codes, and a used code with another key, said which they were:
// a prober learned which guesses were real codes. Now they read the same, byte for byte.
TEST_F(EnrollmentTest, EveryKindOfBadCodeGetsTheSameAnswer) {
    RunningServer server(*store_);
    const std::string used = code();
    ASSERT_EQ(enroll(server.port(), used, signing::generate_key_pair()).status, 201);
    const std::string expired = store_->create_enrollment_code(
        "dhaka-1", std::chrono::seconds(1), Clock::now() - std::chrono::hours(2));

    std::set<std::string> bodies;
    for (const std::string& bad : {std::string("ZZZZZ-ZZZZZ"), used, expired}) {
        Answer a = enroll(server.port(), bad, signing::generate_key_pair());
        EXPECT_EQ(a.status, 403) << bad;
        EXPECT_EQ(a.body.value("error", ""), "enrollment_refused") << bad;
        bodies.insert(a.body.dump());
    }
    EXPECT_EQ(bodies.size(), 1u) << "the answers differ: " << ::testing::PrintToString(bodies);
    EXPECT_THAT(*bodies.begin(), HasSubstr("ask the administrator for a new one"));
}

// Guessing codes ran at 8,000 a second. Failed attempts are now counted per centre: past
// the limit in a minute, that centre's enrollments wait (429, Retry-After), even with a good
// code, and the guesser learns nothing more; other centres are not held up.
TEST_F(EnrollmentTest, FailedAttemptsForACentreAreLimitedAndOtherCentresGoOn) {
    RunningServer server(*store_);
    const std::string good = code("dhaka-1");
    int refused = 0, limited = 0;
    Answer last;
    for (int i = 0; i < 40 && limited == 0; ++i) {
        last = enroll(server.port(), "GUESS-" + std::to_string(10000 + i),
                      signing::generate_key_pair(), "dhaka-1");
        refused += last.status == 403;
        limited += last.status == 429;
    }
    EXPECT_EQ(limited, 1) << "40 guesses in a row were all answered";
    EXPECT_GE(refused, 5) << "a kiosk that mistypes its code a few times is not locked out";
    EXPECT_LE(refused, 20);
    EXPECT_EQ(last.body.value("error", ""), "too_many_attempts");
    EXPECT_FALSE(last.retry_after.empty());

    Answer held = enroll(server.port(), good, signing::generate_key_pair(), "dhaka-1");
    EXPECT_EQ(held.status, 429) << "a right guess is not told apart while the centre waits";
    Answer elsewhere =
        enroll(server.port(), code("tashkent-1"), signing::generate_key_pair(), "tashkent-1");
    EXPECT_EQ(elsewhere.status, 201) << elsewhere.body.dump();
}

// A centre's kiosks pulled their fleet configuration again (200, a full page) whenever any
// other centre's fleet changed: the fleet channel's ETag was the channel's, not the centre's.
TEST_F(EnrollmentTest, AnotherCentresFleetChangeLeavesThisCentresETagAlone) {
    store_->publish("fleet", "dhaka-1", {{"config", R"({"plugins":["about"]})"}}, true, false);
    store_->publish("fleet", "tashkent-1", {{"config", R"({"plugins":["nise"]})"}}, true, false);
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code("dhaka-1"));
    ASSERT_EQ(kiosk.pull("fleet").upserts, 1);
    for (int i = 0; i < 3; ++i)
        store_->publish("fleet", "tashkent-1",
                        {{"config", json{{"plugins", {"nise"}}, {"n", i}}.dump()}}, true, false);
    EXPECT_TRUE(kiosk.pull("fleet").not_modified) << "304: nothing of dhaka-1 changed";

    store_->publish("fleet", "dhaka-1", {{"config", R"({"plugins":[]})"}}, true, false);
    SyncClient::PullReport changed = kiosk.pull("fleet");
    EXPECT_FALSE(changed.not_modified);
    EXPECT_EQ(changed.upserts, 1);
    EXPECT_TRUE(kiosk.pull("fleet").not_modified);
}

// A centre's head is its own records' last version, and never below the horizon: a
// compaction that forgets a centre's last tombstone does not move its head back (a cursor
// beyond the head means a server restored from a backup, and costs a snapshot).
TEST_F(EnrollmentTest, APerCentreHeadIsTheCentresOwnAndCompactionNeverMovesItBack) {
    store_->publish("fleet", "dhaka-1", {{"config", "{}"}}, true, false);     // v1
    store_->publish("fleet", "dhaka-1", {}, true, false);                     // v2, tombstone
    store_->publish("fleet", "tashkent-1", {{"config", "{}"}}, true, false);  // v3
    store_->publish("geo.unions", "", {{"1", R"({"name_en":"One"})"}}, true, false);
    using Version = std::pair<std::int64_t, std::int64_t>;
    EXPECT_EQ(store_->channel_version("fleet", "dhaka-1"), (Version{2, 0}));
    EXPECT_EQ(store_->channel_version("fleet", "tashkent-1"), (Version{3, 0}));
    EXPECT_EQ(store_->channel_version("fleet"), (Version{3, 0})) << "the channel's own";
    EXPECT_EQ(store_->channel_version("geo.unions", "dhaka-1"), (Version{1, 0}))
        << "a channel for every centre has one head";
    EXPECT_EQ(store_->compact("fleet", 2), 1);
    EXPECT_EQ(store_->channel_version("fleet", "dhaka-1"), (Version{2, 2}));
    EXPECT_EQ(store_->changes("fleet", "dhaka-1", ChannelCursor{.after = 2}, 10, 1 << 20).head, 2)
        << "the page says the same head as the ETag";
}

class RawEvents : public SyncTest {
  protected:
    void SetUp() override {
        SyncTest::SetUp();
        server_ = std::make_unique<RunningServer>(*store_);
        SyncClient kiosk = client(server_->url());
        kiosk.enroll(code());
        device_ = kiosk.device_id();
        key_ = signing::load_or_create_device_key(dir_ / "device.key");
    }

    httplib::Result push(const json& events) {
        std::string body = json{{"centre", "dhaka-1"}, {"events", events}}.dump();
        auto now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch())
                       .count();
        signing::SignedHeaders h =
            signing::sign_request(key_, device_, "POST", "/v1/events", body, now);
        httplib::Client http("127.0.0.1", server_->port());
        return http.Post("/v1/events",
                         {{"X-Seba-Device", h.device},
                          {"X-Seba-Timestamp", h.timestamp},
                          {"X-Seba-Nonce", h.nonce},
                          {"X-Seba-Signature", h.signature}},
                         body, "application/json");
    }

    std::unique_ptr<RunningServer> server_;
    std::string device_;
    signing::KeyPair key_;
};

// docs/protocol.md: an event lacking a type or a payload is refused. An empty type and a
// null payload were stored.
TEST_F(RawEvents, AnEventWithAnEmptyTypeOrANullPayloadIsRejected) {
    json events = json::array({
        {{"uuid", "6f1c2f8e-2b1a-4c3d-8e9f-000000000001"}, {"type", ""}, {"payload", {{"a", 1}}}},
        {{"uuid", "6f1c2f8e-2b1a-4c3d-8e9f-000000000002"}, {"type", "dc.x"}, {"payload", nullptr}},
        {{"uuid", "6f1c2f8e-2b1a-4c3d-8e9f-000000000003"}, {"type", "dc.x"}},
        {{"uuid", "6f1c2f8e-2b1a-4c3d-8e9f-000000000004"},
         {"type", "dc.x"},
         {"payload", json::object()}},
    });
    httplib::Result r = push(events);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    json results = json::parse(r->body)["results"];
    ASSERT_EQ(results.size(), 4u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(results[i]["status"], "rejected") << results[i].dump();
        EXPECT_THAT(results[i].value("reason", ""), HasSubstr("uuid, type and payload"));
    }
    EXPECT_EQ(results[3]["status"], "accepted") << "an empty object is a payload";
    EXPECT_EQ(store_->event_count(), 1);
}

// The kiosk sets its clock from the server's Date, so every reply must carry one, the
// refusals above all (a kiosk whose clock is off is refused before anything else).
TEST_F(RawEvents, EveryReplyRefusalsIncludedCarriesTheServersDate) {
    auto date_of = [](const std::string& value) -> std::optional<std::time_t> {
        std::tm utc{};
        const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
        if (value.empty() || !end || *end != '\0') return std::nullopt;
        return timegm(&utc);
    };
    // Raw requests, so that refusals cpp-httplib makes before any handler are seen too.
    auto raw = [&](const std::string& request) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        std::string reply;
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(request.size())) {
            timeval timeout{5, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
            char buffer[4096];
            for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
                reply.append(buffer, static_cast<std::size_t>(n));
        }
        ::close(fd);
        return reply;
    };
    auto header = [](const std::string& reply, const std::string& name) {
        std::size_t end = reply.find("\r\n\r\n");
        std::string head = reply.substr(0, end);
        std::string lower = head;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::size_t at = lower.find("\r\n" + name + ":");
        if (at == std::string::npos) return std::string();
        std::size_t from = at + 2 + name.size() + 1;
        std::string value = head.substr(from, head.find("\r\n", from) - from);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        return value;
    };
    const std::string host = "Host: 127.0.0.1\r\nConnection: close\r\n";
    const std::size_t big = ServerOptions{}.max_body_bytes + 1024;
    auto post = [&](const std::string& path, const std::string& body) {
        return "POST " + path + " HTTP/1.1\r\n" + host +
               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    };
    const std::string refused =
        json{{"code", "ZZZZZ-ZZZZZ"},
             {"public_key", signing::to_base64(signing::generate_key_pair().public_key)}}
            .dump();
    struct Case {
        const char* what;
        std::string request;
    };
    const Case cases[] = {
        {"200 health", "GET /healthz HTTP/1.1\r\n" + host + "\r\n"},
        {"404 unknown path", "GET /nowhere HTTP/1.1\r\n" + host + "\r\n"},
        {"401 unsigned push", post("/v1/events", "{}")},
        {"400 enroll not JSON", post("/v1/enroll", "abc")},
        {"403 enroll refused", post("/v1/enroll", refused)},
        {"413 body over the limit", post("/v1/events", std::string(big, 'x'))},
        {"400 not HTTP", "HELLO\r\n\r\n"},
    };
    // The server's clock, not time(): glibc's time() reads a coarse clock that may still say
    // the last second for a few milliseconds after the precise one (the server's) moved on.
    auto now = [] { return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()); };
    const std::time_t before = now();
    for (const Case& c : cases) {
        std::string reply = raw(c.request);
        ASSERT_FALSE(reply.empty()) << c.what << ": no reply";
        std::optional<std::time_t> date = date_of(header(reply, "date"));
        ASSERT_TRUE(date) << c.what << ": no Date in\n" << reply.substr(0, reply.find("\r\n\r\n"));
        EXPECT_GE(*date, before) << c.what;
        EXPECT_LE(*date, now()) << c.what;
    }
}

}  // namespace
}  // namespace seba::server
