// SPDX-License-Identifier: Apache-2.0
// The server's projection of learner records: a kiosk's real events pushed to a real
// seba-server over loopback become the centre's muktopaath.learners record; events pushed
// again change nothing; events that arrive before their enrolment wait for it; and another
// kiosk of the centre pulls the record and signs the learner in.
#include <gmock/gmock.h>

#include "mp_fixture.hpp"
#include "server_fixture.hpp"

namespace seba::mp::testing {
namespace {

using json = nlohmann::json;
using server::RunningServer;

constexpr const char* kPhone = "+8801711223344";

class Projection : public KioskDb {
  protected:
    void SetUp() override {
        KioskDb::SetUp();
        server_store->create_centre("debidwar-1", "Debidwar Union Digital Centre");
        server_store->create_centre("tashkent-1", "Chilonzor");
    }

    std::unique_ptr<SyncClient> enrolled_client(Database& kiosk, const std::string& key_name,
                                                const std::string& centre = "debidwar-1") {
        SyncOptions options;
        options.server_url = running.url();
        options.device_key_file = folder / key_name;
        options.total_timeout_ms = 5000;
        auto client = std::make_unique<SyncClient>(kiosk, options);
        client->enroll(server_store->create_enrollment_code(centre, std::chrono::hours(1),
                                                            server::Clock::now()),
                       centre);
        return client;
    }

    json learners_record(const std::string& centre, const std::string& login) {
        server::ChannelPage page =
            server_store->changes("muktopaath.learners", centre, std::nullopt, 100, 1 << 20);
        for (const server::ChannelChange& c : page.changes)
            if (c.key == login && c.data) return json::parse(*c.data);
        return nullptr;
    }
    std::int64_t head() { return server_store->channel_version("muktopaath.learners").first; }

    std::unique_ptr<server::Store> server_store = server::open_sqlite_store(folder / "server.db");
    RunningServer running{*server_store};
    LearnerBook book{store, "debidwar-1"};
    Course course = test_course();
};

TEST_F(Projection, EventsBecomeTheCentresLearnerRecordOnceEvenWhenPushedTwice) {
    // The kiosk database from the fixture has a stand-in sealing key: enrolment replaces it.
    auto owner = enrolled_client(db, "kiosk1.key");
    SyncClient& client = *owner;
    LearnerBook::Enrolled e = book.enrol("Rahim Uddin", kPhone, "", course);
    book.record_progress(e.learner, course, "l1", 0, false);
    book.record_progress(e.learner, course, "l1", 1, true);
    book.record_attempt(e.learner, course, 33, false, 1);
    book.record_attempt(e.learner, course, 100, true, 2);
    book.record_certificate(e.learner, course, "0123456789abcdef", "distinction", "SB1:X");
    SyncClient::PushReport pushed = client.push_outbox();
    EXPECT_EQ(pushed.accepted, 6);

    const json r = learners_record("debidwar-1", e.learner.login);
    ASSERT_FALSE(r.is_null()) << "no record for the learner";
    EXPECT_EQ(r["learner"], e.learner.learner);
    EXPECT_FALSE(r.dump().find("Rahim") != std::string::npos) << "no name in clear";
    const json& c = r["courses"]["test-course"];
    EXPECT_EQ(c["version"], "1.0");
    EXPECT_EQ(c["lessons"]["l1"], json({{"page", 1}, {"done", true}}));
    EXPECT_EQ(c["attempts"], 2);
    EXPECT_EQ(c["passed"], true);
    EXPECT_EQ(c["score_band"], "distinction");
    EXPECT_EQ(return_code::open_box(e.learner.keys.box_key, c["certificate"].get<std::string>()),
              "SB1:X");
    EXPECT_TRUE(c.contains("last_attempt_at"));
    EXPECT_TRUE(learners_record("tashkent-1", e.learner.login).is_null()) << "the centre's only";

    // The same events again (a reply lost on the way): duplicates, and nothing changes.
    const std::int64_t before = head();
    std::vector<server::StoredEvent> again = server_store->events("debidwar-1");
    ASSERT_EQ(again.size(), 6u);
    for (server::PushOutcome o : server_store->push_events(again))
        EXPECT_EQ(o, server::PushOutcome::Duplicate);
    EXPECT_EQ(head(), before);
    EXPECT_EQ(learners_record("debidwar-1", e.learner.login), r);
}

TEST_F(Projection, EventsThatArriveBeforeTheirEnrolmentWaitForIt) {
    auto owner = enrolled_client(db, "kiosk1.key");
    SyncClient& client = *owner;
    LearnerBook::Enrolled e = book.enrol("Rahim Uddin", kPhone, "", course);
    book.record_progress(e.learner, course, "l2", 0, true);
    std::vector<server::StoredEvent> events;
    {
        // What the kiosk would send, the enrolment last (as two kiosks' pushes may cross).
        Statement q = db.prepare("SELECT uuid, type, payload FROM core__outbox ORDER BY seq DESC");
        while (q.step()) {
            server::StoredEvent ev;
            ev.device = client.device_id();
            ev.centre = "debidwar-1";
            ev.uuid = q.text(0);
            ev.type = q.text(1);
            ev.payload = q.text(2);
            ev.created_at = "2026-11-28T01:02:03.000Z";
            events.push_back(ev);
        }
    }
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(server_store->push_event(events[0]), server::PushOutcome::Accepted);
    EXPECT_TRUE(learners_record("debidwar-1", e.learner.login).is_null());
    EXPECT_EQ(server_store->push_event(events[1]), server::PushOutcome::Accepted);
    const json r = learners_record("debidwar-1", e.learner.login);
    ASSERT_FALSE(r.is_null());
    EXPECT_EQ(r["courses"]["test-course"]["lessons"]["l2"]["done"], true);
    // A bad event is stored (it was accepted) and left out of the record.
    server::StoredEvent bad = events[0];
    bad.uuid = "00000000-0000-4000-8000-000000000001";
    bad.payload = R"({"learner": "not hex", "course": "x"})";
    EXPECT_EQ(server_store->push_event(bad), server::PushOutcome::Accepted);
    EXPECT_EQ(learners_record("debidwar-1", e.learner.login), r);
}

TEST_F(Projection, AnotherKioskOfTheCentrePullsTheRecordAndSignsTheLearnerIn) {
    auto owner = enrolled_client(db, "kiosk1.key");
    SyncClient& client = *owner;
    LearnerBook::Enrolled e = book.enrol("রহিম উদ্দিন", kPhone, "", course);
    book.record_progress(e.learner, course, "l1", 1, true);
    client.push_outbox();

    seba::testing::TempDir second;
    Database db2 = Database::open(second / "seba.db");
    migrate_core(db2);
    apply_migrations(db2, "muktopaath", LearnerBook::migrations());
    auto client2 = enrolled_client(db2, "kiosk2.key");
    client2->pull("muktopaath.learners");
    PluginStore store2{db2, manifest};
    LearnerBook kiosk2{store2, "debidwar-1"};
    std::optional<Learner> there = kiosk2.sign_in(kPhone, e.code);
    ASSERT_TRUE(there);
    EXPECT_EQ(there->name, "রহিম উদ্দিন");
    EXPECT_TRUE(kiosk2.record(*there).courses["test-course"].lessons["l1"].done);

    // A kiosk of another centre pulls nothing of it.
    seba::testing::TempDir third;
    Database db3 = Database::open(third / "seba.db");
    migrate_core(db3);
    auto client3 = enrolled_client(db3, "kiosk3.key", "tashkent-1");
    client3->pull("muktopaath.learners");
    Statement n =
        db3.prepare("SELECT count(*) FROM core__catalog WHERE channel = 'muktopaath.learners'");
    ASSERT_TRUE(n.step());
    EXPECT_EQ(n.integer(0), 0);
}

}  // namespace
}  // namespace seba::mp::testing
