// SPDX-License-Identifier: Apache-2.0
// Sync that cannot jam (issue 12, Why 4), against the real seba-server on loopback: an
// outbox of large events drains in batches under the server's body limit; an event too
// large to send alone is held as failed with its reason while the rest, and the pulls, go
// on; an enrollment whose reply was lost can be retried with the same code and key; a
// lost device key is detected and the kiosk says to re-enroll instead of failing forever.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <thread>

#include "seba/catalog.hpp"
#include "seba/signing.hpp"
#include "seba/sync_engine.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class JamTest : public SyncTest {
  protected:
    // An event whose payload is about `bytes` long, committed as a plugin commits it.
    void large_event(std::size_t bytes, const std::string& tag = "") {
        dc_.transaction([&] {
            dc_.emit("dc.request_created",
                     {{"service", "scan" + tag}, {"attachment", std::string(bytes, 'x')}});
        });
    }

    std::string last_error_of_failed() {
        Statement q = kiosk_db_.prepare(
            "SELECT coalesce(last_error, '') FROM core__outbox WHERE "
            "state = 'failed'");
        return q.step() ? q.text(0) : "(no failed event)";
    }

    // POST /v1/enroll as a kiosk sends it, the reply then dropped: a lost reply.
    json enroll_raw(int port, const std::string& code, const signing::KeyPair& key) {
        httplib::Client http("127.0.0.1", port);
        json body = {{"code", code}, {"public_key", signing::to_base64(key.public_key)}};
        httplib::Result r = http.Post("/v1/enroll", body.dump(), "application/json");
        if (!r) return json{{"status", 0}};
        json out = json::parse(r->body, nullptr, false);
        if (!out.is_object()) out = json::object();
        out["status"] = r->status;
        return out;
    }
};

// 205 events of 21 KB: each fine alone, but 200 of them are over 4 MiB. Every push of a
// 200-event batch got 413, forever, and the pulls behind it never ran.
TEST_F(JamTest, AnOutboxOfLargeEventsDrainsInBatchesUnderTheBodyLimit) {
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    for (int i = 0; i < 205; ++i) large_event(21 * 1024, std::to_string(i));

    SyncClient::PushReport report;
    ASSERT_NO_THROW(report = kiosk.push_outbox()) << "the push jammed";
    EXPECT_EQ(report.accepted, 205);
    EXPECT_EQ(outbox("pending"), 0);
    EXPECT_EQ(outbox("failed"), 0);
    EXPECT_EQ(store_->event_count(), 205);
}

// One event larger than the server takes in a request: held as failed, with a reason the
// operator can read, and never in the way of the events around it or of the pulls.
TEST_F(JamTest, AnEventTooLargeToSendAloneIsHeldAsFailedAndTheRestAndThePullsGoOn) {
    store_->publish("dc.services", "", {{"birth_registration", R"({"fee":50})"}}, true, false);
    RunningServer server(*store_);
    client(server.url()).enroll(code());
    for (int i = 0; i < 3; ++i) request("birth_registration");
    large_event(5 * 1024 * 1024);
    for (int i = 0; i < 3; ++i) request("land_mutation");

    SyncOptions options;
    options.server_url = server.url();
    options.device_key_file = dir_ / "device.key";
    options.channels = {"dc.services"};
    SyncEngine::Timing timing;
    timing.interval = std::chrono::milliseconds(50);
    timing.backoff_base = std::chrono::milliseconds(50);
    timing.backoff_cap = std::chrono::milliseconds(200);
    SyncEngine engine(dir_ / "kiosk.db", options, timing, [] {});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    auto settled = [&] {
        SyncStatus s = engine.status();
        return s.online && s.pending == 0 && s.failed == 1 && !s.last_sync.empty();
    };
    while (!settled() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));

    SyncStatus status = engine.status();
    EXPECT_TRUE(status.online) << status.last_error;
    EXPECT_EQ(status.pending, 0);
    EXPECT_EQ(status.failed, 1);
    EXPECT_EQ(store_->event_count(), 6) << "the events around the large one were delivered";
    EXPECT_EQ(catalog::size(kiosk_db_, "dc.services"), 1) << "the pulls were not blocked";
    EXPECT_THAT(last_error_of_failed(), HasSubstr("too large"));
}

// The server stored the device, but its reply never reached the kiosk: the code was used
// up, and the kiosk, never told its device id, was refused with "already used" forever.
TEST_F(JamTest, AnEnrollmentWhoseReplyWasLostIsRepeatedWithTheSameCodeAndKey) {
    RunningServer server(*store_);
    const std::string one = code();
    const signing::KeyPair key = signing::load_or_create_device_key(dir_ / "device.key");
    json lost = enroll_raw(server.port(), one, key);
    ASSERT_EQ(lost["status"], 201) << lost.dump();

    SyncClient kiosk = client(server.url());
    ASSERT_NO_THROW(kiosk.enroll(one)) << "the same code and key, again";
    EXPECT_EQ(kiosk.device_id(), lost["device"].get<std::string>()) << "the same device";
    EXPECT_EQ(kiosk.centre(), "dhaka-1");
    request("birth_registration");
    EXPECT_EQ(kiosk.push_outbox().accepted, 1) << "the device works";

    // With another key, the used code stays refused.
    json stranger = enroll_raw(server.port(), one, signing::generate_key_pair());
    EXPECT_EQ(stranger["status"], 403) << stranger.dump();
    EXPECT_FALSE(stranger.contains("device"));
}

// The key file is gone (a restored backup without it, a wiped card): the kiosk made a new
// key silently and then got 401 on every request, forever. Now it says to re-enroll, and
// enrolling again with a new code works.
TEST_F(JamTest, ALostDeviceKeyIsDetectedAndReEnrollingWithANewCodeRecovers) {
    RunningServer server(*store_);
    std::string old_device;
    {
        SyncClient kiosk = client(server.url());
        kiosk.enroll(code());
        old_device = kiosk.device_id();
    }
    request("birth_registration");
    std::filesystem::remove(dir_ / "device.key");

    SyncClient kiosk = client(server.url());
    try {
        kiosk.push_outbox();
        FAIL() << "a kiosk without its key pushed";
    } catch (const SyncError& e) {
        EXPECT_THAT(e.what(), HasSubstr("re-enroll"));
        EXPECT_THAT(e.what(), HasSubstr(old_device));
        EXPECT_THAT(e.what(), HasSubstr("seba-server admin revoke " + old_device));
    }
    EXPECT_THROW(kiosk.pull("fleet"), SyncError) << "pulls are refused the same way";
    EXPECT_EQ(outbox("pending"), 1) << "the event waits, intact";

    store_->revoke(old_device);
    kiosk.enroll(code());
    EXPECT_NE(kiosk.device_id(), old_device);
    EXPECT_EQ(kiosk.push_outbox().accepted, 1);
    EXPECT_EQ(store_->events("dhaka-1").at(0).device, kiosk.device_id());
}

// Not gone but replaced (another kiosk's image, a key made by an older build): the same.
TEST_F(JamTest, AReplacedDeviceKeyIsDetectedBeforeAnythingIsSent) {
    RunningServer server(*store_);
    std::string old_device;
    {
        SyncClient kiosk = client(server.url());
        kiosk.enroll(code());
        old_device = kiosk.device_id();
    }
    request("birth_registration");
    std::filesystem::remove(dir_ / "device.key");
    signing::load_or_create_device_key(dir_ / "device.key");  // a new, unenrolled key

    SyncClient kiosk = client(server.url());
    try {
        kiosk.push_outbox();
        FAIL() << "a kiosk with a foreign key pushed";
    } catch (const SyncError& e) {
        EXPECT_THAT(e.what(), HasSubstr("re-enroll"));
        EXPECT_THAT(e.what(), HasSubstr(old_device));
    }
    EXPECT_EQ(outbox("pending"), 1);
}

}  // namespace
}  // namespace seba::server
