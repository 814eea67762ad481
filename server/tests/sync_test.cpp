// SPDX-License-Identifier: Apache-2.0
// The kiosk's sync client against the real seba-server over loopback HTTP: enrollment,
// signed pushes delivered exactly once, and every forged, replayed, stale, foreign or
// revoked request refused with nothing stored. Plus a dead, garbled, oversized or slow
// server: the kiosk keeps its outbox and says why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <array>
#include <cctype>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "fault_proxy.hpp"
#include "latency_histogram.hpp"
#include "seba/build_info.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"
#include "seba/signing.hpp"
#include "seba/sync_client.hpp"
#include "seba/sync_engine.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST_F(SyncTest, KioskEnrollsWithASingleUseCode) {
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    EXPECT_FALSE(kiosk.enrolled());
    std::string one = code();
    kiosk.enroll(one);
    EXPECT_TRUE(kiosk.enrolled());
    EXPECT_THAT(kiosk.device_id(), ::testing::StartsWith("dev-"));
    EXPECT_EQ(kiosk.centre(), "dhaka-1");

    seba::testing::TempDir other_dir;
    Database other_db = Database::open(other_dir / "kiosk.db");
    migrate_core(other_db);
    SyncOptions options;
    options.server_url = server.url();
    options.device_key_file = other_dir / "device.key";
    SyncClient other(other_db, options);
    try {
        other.enroll(one);
        FAIL() << "a used code enrolled a second kiosk";
    } catch (const SyncError& e) {
        EXPECT_THAT(e.what(), HasSubstr("is not valid"));
    }
    EXPECT_FALSE(other.enrolled());
}

TEST_F(SyncTest, PushDeliversEveryEventExactlyOnceEvenWhenRepliesAreLost) {
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    for (int i = 0; i < 250; ++i) request(i % 2 ? "birth_registration" : "land_mutation");
    SyncClient::PushReport first = kiosk.push_outbox(100);
    EXPECT_EQ(first.accepted, 250);
    EXPECT_EQ(outbox(), 0);
    EXPECT_EQ(store_->events("dhaka-1").size(), 250u);

    // A lost reply: the kiosk never learned the server had these, and sends them again.
    std::vector<StoredEvent> received = store_->events("dhaka-1");
    for (int i = 0; i < 10; ++i)
        kiosk_db_
            .prepare(
                "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) "
                "VALUES (?, 'dc', ?, ?, ?)")
            .bind_all(received[static_cast<std::size_t>(i)].uuid,
                      received[static_cast<std::size_t>(i)].type,
                      received[static_cast<std::size_t>(i)].payload, utc_now_iso())
            .run();
    SyncClient::PushReport again = kiosk.push_outbox();
    EXPECT_EQ(again.duplicates, 10);
    EXPECT_EQ(again.accepted, 0);
    EXPECT_EQ(outbox(), 0);
    EXPECT_EQ(store_->event_count(), 250);
}

TEST_F(SyncTest, SameIdWithDifferentContentIsAConflictKeptForTheOperator) {
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    request("birth_registration");
    kiosk.push_outbox();
    std::string uuid = store_->events("dhaka-1").at(0).uuid;
    kiosk_db_
        .prepare(
            "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) VALUES "
            "(?, 'dc', 'dc.request_created', '{\"service\":\"passport\"}', ?)")
        .bind_all(uuid, utc_now_iso())
        .run();
    SyncClient::PushReport report = kiosk.push_outbox();
    EXPECT_EQ(report.conflicts, 1);
    EXPECT_EQ(outbox("failed"), 1);
    Statement reason = kiosk_db_.prepare("SELECT last_error FROM core__outbox");
    ASSERT_TRUE(reason.step());
    EXPECT_THAT(reason.text(0), HasSubstr("different content"));
    EXPECT_EQ(store_->event_count(), 1) << "the server kept the first version";
}

class RawRequests : public SyncTest {
  protected:
    void SetUp() override {
        SyncTest::SetUp();
        server_ = std::make_unique<RunningServer>(*store_);
        SyncClient kiosk = client(server_->url());
        kiosk.enroll(code());
        device_ = kiosk.device_id();
        key_ = signing::load_or_create_device_key(dir_ / "device.key");
    }

    static std::int64_t now_s(int offset = 0) {
        return std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch())
                   .count() +
               offset;
    }

    std::string body(const std::string& centre = "dhaka-1") const {
        return json{{"centre", centre},
                    {"events",
                     {{{"uuid", "6f1c2f8e-2b1a-4c3d-8e9f-0a1b2c3d4e5f"},
                       {"type", "dc.request_created"},
                       {"payload", {{"service", "birth_registration"}}}}}}}
            .dump();
    }

    httplib::Result send(const signing::SignedHeaders& h, const std::string& payload) {
        httplib::Client http("127.0.0.1", server_->port());
        httplib::Headers headers = {{"X-Seba-Device", h.device},
                                    {"X-Seba-Timestamp", h.timestamp},
                                    {"X-Seba-Nonce", h.nonce},
                                    {"X-Seba-Signature", h.signature}};
        return http.Post("/v1/events", headers, payload, "application/json");
    }

    std::string error_of(const httplib::Result& r) {
        return r ? json::parse(r->body, nullptr, false).value("error", "") : "no reply";
    }

    std::unique_ptr<RunningServer> server_;
    std::string device_;
    signing::KeyPair key_;
};

TEST_F(RawRequests, ASignedRequestIsAcceptedOnceAndItsReplayRefused) {
    signing::SignedHeaders h =
        signing::sign_request(key_, device_, "POST", "/v1/events", body(), now_s());
    httplib::Result first = send(h, body());
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    httplib::Result replay = send(h, body());
    ASSERT_TRUE(replay);
    EXPECT_EQ(replay->status, 409);
    EXPECT_EQ(error_of(replay), "replayed_nonce");
    EXPECT_EQ(store_->event_count(), 1);
}

TEST_F(RawRequests, ForgedStaleUnknownAndForeignRequestsAreRefusedAndNothingIsStored) {
    // The body changed after signing.
    signing::SignedHeaders forged =
        signing::sign_request(key_, device_, "POST", "/v1/events", body(), now_s());
    httplib::Result r = send(forged, body("dhaka-1") + " ");
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(error_of(r), "bad_signature");

    // Signed by another key in this device's name.
    signing::KeyPair stranger = signing::generate_key_pair();
    r = send(signing::sign_request(stranger, device_, "POST", "/v1/events", body(), now_s()),
             body());
    EXPECT_EQ(error_of(r), "bad_signature");

    // Ten minutes old.
    r = send(signing::sign_request(key_, device_, "POST", "/v1/events", body(), now_s(-600)),
             body());
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(error_of(r), "stale_timestamp");

    // A device the server never enrolled.
    r = send(
        signing::sign_request(key_, "dev-0000000000000000", "POST", "/v1/events", body(), now_s()),
        body());
    EXPECT_EQ(error_of(r), "unknown_device");

    // Acting for another centre.
    std::string foreign = body("tashkent-1");
    r = send(signing::sign_request(key_, device_, "POST", "/v1/events", foreign, now_s()), foreign);
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(error_of(r), "wrong_centre");

    // No signature at all.
    httplib::Client http("127.0.0.1", server_->port());
    r = http.Post("/v1/events", body(), "application/json");
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(error_of(r), "missing_signature");

    EXPECT_EQ(store_->event_count(), 0);
    EXPECT_THAT(server_->metrics(),
                HasSubstr("seba_auth_failures_total{reason=\"bad_signature\"} 2"));
}

TEST_F(RawRequests, AMalformedEventIsRejectedAloneAndTheRestOfTheBatchStored) {
    std::string batch =
        json{{"centre", "dhaka-1"},
             {"events",
              {{{"uuid", "not-a-uuid"}, {"type", "dc.request_created"}, {"payload", {}}},
               {{"uuid", "6f1c2f8e-2b1a-4c3d-8e9f-0a1b2c3d4e5f"},
                {"type", "dc.request_created"},
                {"payload", {{"service", "passport"}}}}}}}
            .dump();
    httplib::Result r =
        send(signing::sign_request(key_, device_, "POST", "/v1/events", batch, now_s()), batch);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    json results = json::parse(r->body)["results"];
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0]["status"], "rejected");
    EXPECT_THAT(results[0]["reason"].get<std::string>(), HasSubstr("uuid, type and payload"));
    EXPECT_EQ(results[1]["status"], "accepted");
    EXPECT_EQ(store_->event_count(), 1);
}

TEST_F(RawRequests, RevokedDeviceIsRefusedAndTheKioskSaysSo) {
    store_->revoke(device_);
    request("birth_registration");
    SyncClient kiosk = client(server_->url());
    try {
        kiosk.push_outbox();
        FAIL() << "a revoked device pushed";
    } catch (const SyncError& e) {
        EXPECT_THAT(e.what(), HasSubstr("revoked"));
    }
    EXPECT_EQ(outbox(), 1) << "the event waits, intact";
    EXPECT_EQ(store_->event_count(), 0);
}

TEST_F(SyncTest, DeadServerLeavesTheOutboxIntactAndSaysSo) {
    std::string url;
    {
        RunningServer server(*store_);
        url = server.url();
        client(url).enroll(code());
    }  // the server is gone
    request("birth_registration");
    SyncClient kiosk = client(url);
    try {
        kiosk.push_outbox();
        FAIL();
    } catch (const SyncError& e) {
        EXPECT_THAT(e.what(), HasSubstr("cannot reach the server"));
        EXPECT_THAT(e.what(), HasSubstr("offline"));
    }
    EXPECT_EQ(outbox(), 1);
}

// A server that answers every push badly, to see the kiosk keep its outbox.
TEST_F(SyncTest, GarbledOversizedAndSlowRepliesKeepTheOutboxAndSayWhy) {
    {
        RunningServer server(*store_);
        client(server.url()).enroll(code());
    }
    request("birth_registration");
    struct Case {
        const char* what;
        std::function<void(httplib::Response&)> answer;
        const char* expected;
    };
    const Case cases[] = {
        {"garbage",
         [](httplib::Response& res) { res.set_content("{\"results\": [tru", "application/json"); },
         "malformed"},
        {"not json at all",
         [](httplib::Response& res) { res.set_content("<html>proxy error</html>", "text/html"); },
         "malformed"},
        {"server error",
         [](httplib::Response& res) {
             res.status = 503;
             res.set_content("{\"error\":\"busy\",\"message\":\"try later\"}", "application/json");
         },
         "try later"},
        {"oversized",
         [](httplib::Response& res) { res.set_content(std::string(9 << 20, 'x'), "text/plain"); },
         "larger than 8 MiB"},
        {"slow",
         [](httplib::Response& res) {
             std::this_thread::sleep_for(std::chrono::seconds(5));
             res.set_content("{}", "application/json");
         },
         "did not answer in time"},
    };
    for (const Case& c : cases) {
        BadServer bad(c.answer);
        SyncClient kiosk = client(bad.url());
        auto start = std::chrono::steady_clock::now();
        try {
            kiosk.push_outbox();
            ADD_FAILURE() << c.what << ": no error";
        } catch (const SyncError& e) {
            EXPECT_THAT(e.what(), HasSubstr(c.expected)) << c.what;
        }
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4))
            << c.what << ": the total timeout bounds the wait";
        EXPECT_EQ(outbox(), 1) << c.what;
    }
}

TEST_F(SyncTest, HealthAndMetricsAnswer) {
    RunningServer server(*store_);
    httplib::Client http("127.0.0.1", server.port());
    httplib::Result health = http.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    client(server.url()).enroll(code());
    request("birth_registration");
    client(server.url()).push_outbox();
    std::string metrics = server.metrics();
    EXPECT_THAT(metrics, HasSubstr("seba_events_total{outcome=\"accepted\"} 1"));
    EXPECT_THAT(metrics, HasSubstr("# TYPE seba_requests_total counter"));
    EXPECT_EQ(http.Get("/metrics")->status, 404) << "metrics are not on the kiosks' port";
}

// One sample of a /metrics scrape: `name{label="value",...} number`.
struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

// The scrape's samples, each line parsed as Prometheus' text format has it (label values here
// never hold an escaped quote: a test that finds one fails on its value).
std::vector<Sample> samples(const std::string& text) {
    std::vector<Sample> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        Sample s;
        std::size_t brace = line.find('{');
        std::size_t space = line.rfind(' ');
        s.name = line.substr(0, std::min(brace, space));
        if (brace != std::string::npos) {
            std::string labels = line.substr(brace + 1, line.rfind('}') - brace - 1);
            for (std::size_t at = 0; at < labels.size();) {
                std::size_t eq = labels.find("=\"", at);
                std::size_t close = labels.find('"', eq + 2);
                s.labels[labels.substr(at, eq - at)] = labels.substr(eq + 2, close - eq - 2);
                at = close + 2;  // past `",`
            }
        }
        s.value = std::stod(line.substr(space + 1));
        out.push_back(std::move(s));
    }
    return out;
}

double sample_value(const std::vector<Sample>& all, const std::string& name,
                    const std::map<std::string, std::string>& labels) {
    for (const Sample& s : all)
        if (s.name == name && s.labels == labels) return s.value;
    ADD_FAILURE() << "no sample " << name;
    return -1;
}

TEST_F(SyncTest, EveryRequestIsTimedInTheLatencyHistogram) {
    RunningServer server(*store_);
    httplib::Client http("127.0.0.1", server.port());
    constexpr int kHealthChecks = 25;
    for (int i = 0; i < kHealthChecks; ++i) ASSERT_EQ(http.Get("/healthz")->status, 200);
    for (int i = 0; i < 3; ++i) http.Get("/no/such/page/" + std::to_string(i));
    client(server.url()).enroll(code());
    request("birth_registration");
    client(server.url()).push_outbox();

    const std::vector<Sample> all = samples(server.metrics());
    const std::string h = "seba_request_duration_seconds";
    EXPECT_EQ(sample_value(all, h + "_count", {{"path", "/healthz"}}), kHealthChecks);
    EXPECT_EQ(sample_value(all, h + "_count", {{"path", "other"}}), 3);
    EXPECT_EQ(sample_value(all, h + "_count", {{"path", "/v1/enroll"}}), 1);
    EXPECT_EQ(sample_value(all, h + "_count", {{"path", "/v1/events"}}), 1);
    EXPECT_GT(sample_value(all, h + "_sum", {{"path", "/healthz"}}), 0);

    // Per route: the histogram counts what the requests counter counts, its buckets are
    // cumulative in rising `le`, and +Inf is the count. Every route has its series already.
    std::map<std::string, double> requests;
    for (const Sample& s : all)
        if (s.name == "seba_requests_total") requests[s.labels.at("path")] += s.value;
    int routes = 0;
    for (const Sample& count : all) {
        if (count.name != h + "_count") continue;
        ++routes;
        const std::string path = count.labels.at("path");
        EXPECT_EQ(count.value, requests[path]) << path;
        double last_le = -1, last = 0;
        bool inf = false;
        for (const Sample& b : all) {
            if (b.name != h + "_bucket" || b.labels.at("path") != path) continue;
            ASSERT_FALSE(inf) << path << ": a bucket after +Inf";
            const std::string& le = b.labels.at("le");
            inf = le == "+Inf";
            const double bound = inf ? 1e300 : std::stod(le);
            EXPECT_GT(bound, last_le) << path;
            EXPECT_GE(b.value, last) << path << " le=" << le;
            last_le = bound;
            last = b.value;
        }
        EXPECT_TRUE(inf) << path;
        EXPECT_EQ(last, count.value) << path << ": +Inf is not the count";
        EXPECT_EQ(last_le, 1e300);
    }
    EXPECT_EQ(routes, 12);
    EXPECT_EQ(sample_value(all, h + "_bucket", {{"path", "/healthz"}, {"le", "0.005"}}) > 0, true)
        << "a health check on loopback answers within 5 ms";
}

TEST_F(SyncTest, MetricsSayWhichBuildRunsAndNeverASecret) {
    RunningServer server(*store_);
    std::string enrollment_code = code();
    SyncClient kiosk = client(server.url());
    kiosk.enroll(enrollment_code);
    request("birth_registration");
    kiosk.push_outbox();
    // A forged push, its signature and nonce made to be found if anything kept them.
    httplib::Client http("127.0.0.1", server.port());
    httplib::Headers forged = {{"X-Seba-Device", kiosk.device_id()},
                               {"X-Seba-Timestamp", std::to_string(std::time(nullptr))},
                               {"X-Seba-Nonce", "noncefindme0123456789"},
                               {"X-Seba-Signature", "c2lnbmF0dXJlZmluZG1l"}};
    EXPECT_EQ(http.Post("/v1/events", forged, R"({"events":[]})", "application/json")->status, 401);

    const std::string text = server.metrics();
    const std::vector<Sample> all = samples(text);
    EXPECT_EQ(sample_value(all, "seba_build_info",
                           {{"version", std::string(release_version())},
                            {"commit", std::string(git_commit())}}),
              1);
    const double started = sample_value(all, "seba_process_start_time_seconds", {});
    const double now = static_cast<double>(std::time(nullptr));
    EXPECT_LE(started, now + 1);
    EXPECT_GT(started, now - 3600) << "this test process started within the hour";

    for (const std::string& secret : {enrollment_code, kiosk.device_id(),
                                      std::string("noncefindme"), std::string("c2lnbmF0dXJl")})
        EXPECT_EQ(text.find(secret), std::string::npos) << "/metrics shows " << secret;
    // Every label is one the code names, and every value a short plain word.
    const std::set<std::string> known = {"path",   "code",    "le",      "outcome",
                                         "reason", "channel", "version", "commit"};
    for (const Sample& s : all)
        for (const auto& [label, value] : s.labels) {
            EXPECT_TRUE(known.contains(label)) << s.name << ": label " << label;
            EXPECT_LE(value.size(), 64u) << s.name;
            for (char c : value)
                EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) ||
                            std::string_view("/._+-").find(c) != std::string_view::npos)
                    << s.name << "{" << label << "=\"" << value << "\"}";
        }
}

TEST(LatencyHistogram, CountsEveryObservationFromManyThreadsInItsBucket) {
    constexpr std::array<std::string_view, 2> kPaths{"/a", "/b"};
    detail::LatencyHistogram histogram("t_seconds", "test", "path", kPaths);
    using std::chrono::milliseconds;
    using std::chrono::nanoseconds;
    // A bound is inclusive (le): 5 ms exactly is in le="0.005", a nanosecond more is not.
    const std::array<nanoseconds, 5> durations{milliseconds(5), milliseconds(5) + nanoseconds(1),
                                               milliseconds(30'000), milliseconds(30'001),
                                               nanoseconds(-3)};
    constexpr int kThreads = 4, kRounds = 2000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < kRounds; ++i)
                for (nanoseconds d : durations) histogram.observe(0, d);
        });
    for (std::thread& t : threads) t.join();
    histogram.observe(7, milliseconds(1));  // not a series: ignored

    const std::vector<Sample> all = samples(histogram.text());
    const double n = kThreads * kRounds;
    auto bucket = [&](const std::string& le) {
        return sample_value(all, "t_seconds_bucket", {{"path", "/a"}, {"le", le}});
    };
    EXPECT_EQ(bucket("0.005"), 2 * n);  // 5 ms and the negative one (as zero)
    EXPECT_EQ(bucket("0.01"), 3 * n);
    EXPECT_EQ(bucket("10"), 3 * n);
    EXPECT_EQ(bucket("30"), 4 * n);
    EXPECT_EQ(bucket("+Inf"), 5 * n);
    EXPECT_EQ(sample_value(all, "t_seconds_count", {{"path", "/a"}}), 5 * n);
    EXPECT_NEAR(sample_value(all, "t_seconds_sum", {{"path", "/a"}}), n * (0.010 + 60.001),
                n * 1e-6);
    EXPECT_EQ(sample_value(all, "t_seconds_count", {{"path", "/b"}}), 0);
    EXPECT_EQ(sample_value(all, "t_seconds_bucket", {{"path", "/b"}, {"le", "+Inf"}}), 0);
}

// seba-kiosk doctor compares the kiosk's clock with this Date; older kiosks read only "ok".
TEST_F(SyncTest, HealthzAndEveryOtherReplySayTheServersTime) {
    RunningServer server(*store_);
    httplib::Client http("127.0.0.1", server.port());
    auto date_of = [](const httplib::Result& reply) -> std::optional<std::time_t> {
        if (!reply || !reply->has_header("Date")) return std::nullopt;
        std::tm utc{};
        std::string text = reply->get_header_value("Date");
        const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
        if (!end || *end != '\0') return std::nullopt;
        return timegm(&utc);
    };
    const std::time_t before = std::time(nullptr);
    httplib::Result health = http.Get("/healthz");
    httplib::Result missing = http.Get("/no-such-page");
    httplib::Result unsigned_push = http.Post("/v1/events", "{}", "application/json");
    const std::time_t after = std::time(nullptr);

    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(health->body, "ok\n") << "the body old kiosks and monitors read is unchanged";
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    ASSERT_TRUE(unsigned_push);
    EXPECT_EQ(unsigned_push->status, 401);
    for (const httplib::Result* reply : {&health, &missing, &unsigned_push}) {
        std::optional<std::time_t> date = date_of(*reply);
        ASSERT_TRUE(date) << "no RFC 9110 Date header in a " << (*reply)->status << " reply: \""
                          << (*reply)->get_header_value("Date") << "\"";
        EXPECT_GE(*date, before);
        EXPECT_LE(*date, after);
    }
}

}  // namespace
}  // namespace seba::server

namespace seba::server {
namespace {

// Through a proxy that loses replies, resets, stalls and garbles a third of all
// connections, the kiosk keeps pushing until its outbox is empty: the server then holds
// every event exactly once. (Seeded: a failure names its seed to replay it.)
TEST_F(SyncTest, ExactlyOnceThroughHeavyNetworkFaults) {
    RunningServer server(*store_);
    client(server.url()).enroll(code());
    constexpr int kEvents = 120;
    std::vector<int> all_faults(5, 0);
    int all_failures = 0;
    for (const std::uint32_t seed : {7u, 2026u}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        std::int64_t before = store_->event_count();
        for (int i = 0; i < kEvents; ++i) request("birth_registration");
        seba::testing::FaultProxy proxy(server.port(), seed, 0.35);
        SyncOptions options;
        options.server_url = "http://127.0.0.1:" + std::to_string(proxy.port());
        options.device_key_file = dir_ / "device.key";
        options.total_timeout_ms = 1500;
        SyncClient kiosk(kiosk_db_, options);
        int attempts = 0, failures = 0;
        while (outbox() > 0 && attempts++ < 200) {
            try {
                kiosk.push_outbox(5);
            } catch (const SyncError&) {
                ++failures;  // the next attempt resends whatever was not acknowledged
            }
        }
        EXPECT_EQ(outbox(), 0) << "after " << attempts << " attempts";
        EXPECT_EQ(outbox("failed"), 0) << "a fault must never turn into a conflict";
        EXPECT_EQ(store_->event_count() - before, kEvents) << "each event exactly once";
        std::vector<int> faults = proxy.faults_seen();
        for (std::size_t i = 0; i < faults.size(); ++i) all_faults[i] += faults[i];
        all_failures += failures;
    }
    // The seeds are fixed, so this is deterministic: the run did meet every kind of fault.
    EXPECT_GT(all_failures, 0) << "the faults really hit the kiosk";
    for (int kind = 1; kind <= 4; ++kind)
        EXPECT_GT(all_faults[static_cast<std::size_t>(kind)], 0)
            << "fault kind " << kind << " (lost reply, reset, stall, garble) never happened";
}

}  // namespace
}  // namespace seba::server

namespace seba::server {
namespace {

TEST(SyncBackoff, FullJitterGrowsToItsCapAndRetryAfterWins) {
    std::mt19937 random(42);
    SyncEngine::Timing timing;
    timing.backoff_base = std::chrono::milliseconds(1000);
    timing.backoff_cap = std::chrono::milliseconds(60000);
    for (int attempt = 1; attempt <= 10; ++attempt) {
        long long ceiling = std::min(1000LL << attempt, 60000LL);
        long long largest = 0;
        for (int i = 0; i < 200; ++i) {
            long long wait = SyncEngine::backoff(attempt, timing, std::nullopt, random).count();
            ASSERT_GE(wait, 0);
            ASSERT_LE(wait, ceiling) << "attempt " << attempt;
            largest = std::max(largest, wait);
        }
        EXPECT_GT(largest, ceiling / 2) << "the waits spread over the whole range";
    }
    EXPECT_EQ(SyncEngine::backoff(3, timing, std::chrono::seconds(120), random),
              std::chrono::milliseconds(120000));
}

TEST_F(SyncTest, EngineSyncsInTheBackgroundAndReportsStatus) {
    RunningServer server(*store_);
    client(server.url()).enroll(code());
    request("birth_registration");
    request("land_mutation");
    std::atomic<int> changes{0};
    SyncOptions options;
    options.server_url = server.url();
    options.device_key_file = dir_ / "device.key";
    SyncEngine::Timing timing;
    timing.interval = std::chrono::milliseconds(50);
    SyncEngine engine(dir_ / "kiosk.db", options, timing, [&] { ++changes; });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (store_->event_count() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(store_->event_count(), 2);
    // The status is published after the push it reports: wait for that, not the server.
    while ((engine.status().last_sync.empty() || engine.status().pending != 0) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    SyncStatus status = engine.status();
    EXPECT_TRUE(status.enrolled);
    EXPECT_TRUE(status.online);
    EXPECT_FALSE(status.last_sync.empty());
    EXPECT_EQ(status.pending, 0);
    EXPECT_GT(changes.load(), 0) << "the window is woken";
}

TEST_F(SyncTest, ServerAskingToWaitIsHonoured) {
    {
        RunningServer server(*store_);
        client(server.url()).enroll(code());
    }
    request("birth_registration");
    BadServer busy([](httplib::Response& res) {
        res.status = 503;
        res.set_header("Retry-After", "120");
        res.set_content("{\"error\":\"busy\",\"message\":\"maintenance\"}", "application/json");
    });
    try {
        client(busy.url()).push_outbox();
        FAIL();
    } catch (const SyncError& e) {
        ASSERT_TRUE(e.retry_after.has_value());
        EXPECT_EQ(*e.retry_after, std::chrono::seconds(120));
        EXPECT_THAT(e.what(), HasSubstr("maintenance"));
    }
}

}  // namespace
}  // namespace seba::server
