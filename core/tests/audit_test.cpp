// SPDX-License-Identifier: Apache-2.0
// The audit chain: append-only by trigger, and a verify that finds the first entry an
// attacker edited, removed or re-linked behind the triggers' back.
#include "seba/audit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "seba/error.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

using ::testing::HasSubstr;

class AuditTest : public ::testing::Test {
  protected:
    void SetUp() override {
        migrate_core(db_);
        log_.append("operator", "plugin.disable", "nise");
        log_.append("operator", "settings.change", "kiosk", "idle_timeout_s 60 -> 90");
        log_.append("system", "plugin.failed", "dc", "start threw: no catalog");
        log_.append("operator", "plugin.enable", "nise");
    }

    // What an attacker with the file does: a second connection, triggers dropped.
    void tamper(const std::string& sql) {
        Database raw = Database::open(db_.path());
        raw.exec("DROP TRIGGER core__audit_no_update; DROP TRIGGER core__audit_no_delete;");
        raw.exec(sql);
    }

    testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "k.db");
    AuditLog log_{db_};
};

TEST_F(AuditTest, IntactChainVerifies) {
    AuditLog::Verification v = log_.verify();
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.entries, 4);
    std::vector<AuditEntry> recent = log_.recent(2);
    ASSERT_EQ(recent.size(), 2u);
    EXPECT_EQ(recent[0].action, "plugin.enable");
    EXPECT_EQ(recent[1].detail, "start threw: no catalog");
}

TEST_F(AuditTest, UpdatesAndDeletesAreRefused) {
    EXPECT_THROW(db_.exec("UPDATE core__audit SET actor = 'nobody'"), StorageError);
    EXPECT_THROW(db_.exec("DELETE FROM core__audit WHERE seq = 2"), StorageError);
    EXPECT_TRUE(log_.verify().ok);
}

TEST_F(AuditTest, EditedEntryIsFound) {
    tamper("UPDATE core__audit SET detail = 'idle_timeout_s 60 -> 60' WHERE seq = 2");
    AuditLog::Verification v = log_.verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_broken, 2);
    EXPECT_THAT(v.reason, HasSubstr("entry 2 was changed after it was written"));
}

TEST_F(AuditTest, EntryWithReplacedHashIsFound) {
    tamper("UPDATE core__audit SET actor = 'operator', hash = zeroblob(32) WHERE seq = 3");
    AuditLog::Verification v = log_.verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_broken, 3);
}

TEST_F(AuditTest, RemovedEntryIsFound) {
    tamper("DELETE FROM core__audit WHERE seq = 3");
    AuditLog::Verification v = log_.verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_broken, 3);
    EXPECT_THAT(v.reason, HasSubstr("entry 3 is missing"));
}

TEST_F(AuditTest, AppendJoinsTheCallersTransaction) {
    {
        Transaction tx = db_.transaction();
        log_.append("operator", "plugin.move", "dc", "to position 1");
    }  // rolled back with the caller's work
    EXPECT_EQ(log_.verify().entries, 4);
    log_.append("operator", "plugin.move", "dc", "to position 1");
    EXPECT_EQ(log_.verify().entries, 5);
    EXPECT_TRUE(log_.verify().ok);
}

}  // namespace
}  // namespace seba
