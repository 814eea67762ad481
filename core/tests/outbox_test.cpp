// SPDX-License-Identifier: Apache-2.0
// The outbox as the operator reads it: what waits and what failed, failures first, never a
// payload; and a failed event put back in line, with its audit entry, in one transaction.
#include "seba/outbox.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "seba/audit.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class OutboxTest : public ::testing::Test {
  protected:
    void SetUp() override { migrate_core(db_); }

    // An event as PluginStore::emit leaves it, then as the sync client marks it.
    void event(const std::string& uuid, const std::string& type, const std::string& created_at,
               const std::string& failed_because = {}) {
        db_.prepare(
               "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) "
               "VALUES (?, 'digital_centre', ?, '{\"name\":\"Rahim Uddin\"}', ?)")
            .bind_all(uuid, type, created_at)
            .run();
        if (!failed_because.empty())
            db_.prepare("UPDATE core__outbox SET state = 'failed', last_error = ? WHERE uuid = ?")
                .bind_all(failed_because, uuid)
                .run();
    }

    std::vector<std::string> uuids(std::size_t limit = 100) {
        std::vector<std::string> out;
        for (const outbox::Entry& e : outbox::unsent(db_, limit)) out.push_back(e.uuid);
        return out;
    }

    testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "k.db");
    AuditLog audit_{db_};
};

TEST_F(OutboxTest, ListsFailuresFirstThenWhatWaitsOldestFirstUpToTheLimit) {
    event("p1", "digital_centre.request_confirmed", "2026-11-28T09:00:00.000Z");
    event("f1", "digital_centre.day_closed", "2026-11-28T09:01:00.000Z", "too large to send");
    event("p2", "digital_centre.request_confirmed", "2026-11-28T09:02:00.000Z");
    event("f2", "digital_centre.request_confirmed", "2026-11-28T09:03:00.000Z",
          "an event with this id and different content was received before");
    EXPECT_THAT(uuids(), ElementsAre("f1", "f2", "p1", "p2"));
    EXPECT_THAT(uuids(3), ElementsAre("f1", "f2", "p1"));
    std::vector<outbox::Entry> all = outbox::unsent(db_, 10);
    EXPECT_EQ(all[0].state, outbox::State::Failed);
    EXPECT_EQ(all[0].type, "digital_centre.day_closed");
    EXPECT_EQ(all[0].plugin, "digital_centre");
    EXPECT_EQ(all[0].last_error, "too large to send");
    EXPECT_EQ(all[2].state, outbox::State::Pending);
    EXPECT_EQ(all[2].last_error, "");
    EXPECT_EQ(all[2].created_at, "2026-11-28T09:00:00.000Z");
    outbox::Counts c = outbox::counts(db_);
    EXPECT_EQ(c.pending, 2);
    EXPECT_EQ(c.failed, 2);
}

TEST_F(OutboxTest, RetryPutsAFailedEventBackInLineAndAuditsIt) {
    event("f1", "digital_centre.request_confirmed", "2026-11-28T09:00:00.000Z",
          "an event with this id and different content was received before");
    event("p1", "digital_centre.request_confirmed", "2026-11-28T09:01:00.000Z");
    EXPECT_FALSE(outbox::retry(db_, audit_, "p1", "operator")) << "it is not failed";
    EXPECT_FALSE(outbox::retry(db_, audit_, "nope", "operator"));
    EXPECT_TRUE(audit_.recent(5).empty()) << "nothing done, nothing audited";

    EXPECT_TRUE(outbox::retry(db_, audit_, "f1", "operator"));
    std::vector<outbox::Entry> all = outbox::unsent(db_, 10);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].uuid, "f1") << "oldest first, now that neither failed";
    EXPECT_EQ(all[0].state, outbox::State::Pending);
    EXPECT_EQ(all[0].last_error, "");
    std::vector<AuditEntry> entries = audit_.recent(5);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor, "operator");
    EXPECT_EQ(entries[0].action, "outbox.retry");
    EXPECT_EQ(entries[0].subject, "f1");
    EXPECT_THAT(entries[0].detail, HasSubstr("digital_centre.request_confirmed"));
    EXPECT_THAT(entries[0].detail, HasSubstr("different content"));
    EXPECT_THAT(entries[0].detail, ::testing::Not(HasSubstr("Rahim"))) << "no payload";
    EXPECT_TRUE(audit_.verify().ok);
}

TEST_F(OutboxTest, RetryAllPutsEveryFailureBackWithAnEntryEach) {
    event("f1", "a.one", "2026-11-28T09:00:00.000Z", "refused");
    event("p1", "a.one", "2026-11-28T09:01:00.000Z");
    event("f2", "a.two", "2026-11-28T09:02:00.000Z", "too large to send");
    EXPECT_EQ(outbox::retry_all(db_, audit_, "operator"), 2);
    EXPECT_EQ(outbox::counts(db_).failed, 0);
    EXPECT_EQ(outbox::counts(db_).pending, 3);
    std::vector<std::string> subjects;
    for (const AuditEntry& e : audit_.recent(5)) subjects.push_back(e.subject);
    EXPECT_THAT(subjects, ElementsAre("f2", "f1"));
    EXPECT_EQ(outbox::retry_all(db_, audit_, "operator"), 0);
}

}  // namespace
}  // namespace seba
