// SPDX-License-Identifier: Apache-2.0
// The operator PIN: only an argon2id hash is stored, failures lock the kiosk for longer and
// longer, the lockout survives a restart, and neither the config nor the audit log holds the
// PIN. Each argon2id hash or verify costs ~0.2 s, so long failure streaks use input that is
// not PIN-shaped, which fails without one.
#include "seba/pin.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "seba/audit.hpp"
#include "seba/error.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kPin = "482913";
constexpr const char* kWrongPin = "482914";
constexpr const char* kJunk = "x";  // not PIN-shaped: a failure without a hash
constexpr std::int64_t kT0Epoch = 1'900'000'000;
const OperatorPin::Clock::time_point kT0{seconds(kT0Epoch)};

class PinTest : public ::testing::Test {
  protected:
    void SetUp() override { migrate_core(db_); }

    std::string config(const std::string& key) {
        Statement query = db_.prepare("SELECT value FROM core__config WHERE key = ?");
        query.bind(1, key);
        return query.step() ? query.text(0) : std::string();
    }

    // (action, subject, detail) of every audit entry, oldest first.
    std::vector<std::tuple<std::string, std::string, std::string>> audited() {
        std::vector<std::tuple<std::string, std::string, std::string>> out;
        for (const AuditEntry& e : audit_.recent(1000))
            out.insert(out.begin(), {e.action, e.subject, e.detail});
        return out;
    }

    void fail(int times, const char* pin, OperatorPin::Clock::time_point now) {
        for (int i = 0; i < times; ++i) ASSERT_FALSE(pin_.check(pin, now).ok);
    }

    testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "k.db");
    AuditLog audit_{db_};
    OperatorPin pin_{db_, audit_};
};

TEST_F(PinTest, StoresAnArgon2idHashThatAcceptsOnlyTheRightPin) {
    EXPECT_FALSE(pin_.is_set());
    pin_.set(kPin, "operator");
    EXPECT_TRUE(pin_.is_set());

    std::string stored = config("operator.pin_hash");
    EXPECT_THAT(stored, StartsWith("$argon2id$"));
    EXPECT_THAT(stored, Not(HasSubstr(kPin)));

    OperatorPin::Attempt right = pin_.check(kPin, kT0);
    EXPECT_TRUE(right.ok);
    EXPECT_EQ(right.failures, 0);
    EXPECT_EQ(right.locked_for_s, 0);

    OperatorPin::Attempt wrong = pin_.check(kWrongPin, kT0);
    EXPECT_FALSE(wrong.ok);
    EXPECT_EQ(wrong.failures, 1);
    EXPECT_EQ(wrong.locked_for_s, 0);
}

TEST_F(PinTest, TwoFailuresDoNotLockTheThirdLocksFor30sTheFourthFor60s) {
    pin_.set(kPin, "operator");
    fail(2, kWrongPin, kT0);
    EXPECT_EQ(pin_.locked_for_s(kT0), 0);

    OperatorPin::Attempt third = pin_.check(kWrongPin, kT0 + seconds(2));
    EXPECT_FALSE(third.ok);
    EXPECT_EQ(third.failures, 3);
    EXPECT_EQ(third.locked_for_s, 30);
    EXPECT_EQ(pin_.locked_for_s(kT0 + seconds(2)), 30);
    EXPECT_EQ(pin_.locked_for_s(kT0 + seconds(31)), 1);
    EXPECT_EQ(pin_.locked_for_s(kT0 + seconds(32)), 0);
    EXPECT_EQ(nlohmann::json::parse(config("operator.pin_lockout")),
              nlohmann::json({{"failures", 3}, {"locked_until", kT0Epoch + 32}}));

    OperatorPin::Attempt fourth = pin_.check(kWrongPin, kT0 + seconds(32));
    EXPECT_FALSE(fourth.ok);
    EXPECT_EQ(fourth.failures, 4);
    EXPECT_EQ(fourth.locked_for_s, 60);
}

TEST_F(PinTest, LockDoublesPerFailureUpToOneHour) {
    pin_.set(kPin, "operator");
    OperatorPin::Clock::time_point now = kT0;
    std::vector<int> locks;
    for (int i = 1; i <= 11; ++i) {
        OperatorPin::Attempt attempt;
        EXPECT_NO_THROW(attempt = pin_.check(kJunk, now));
        EXPECT_FALSE(attempt.ok);
        EXPECT_EQ(attempt.failures, i);
        locks.push_back(attempt.locked_for_s);
        now += seconds(attempt.locked_for_s);  // wait the lock out, to the second
    }
    EXPECT_THAT(locks, ElementsAre(0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600));
    // Remaining time rounds up.
    EXPECT_EQ(pin_.locked_for_s(now - milliseconds(500)), 1);
    EXPECT_EQ(pin_.locked_for_s(now), 0);
}

TEST_F(PinTest, RightPinIsRefusedWhileLockedAndResetsTheCountAfter) {
    pin_.set(kPin, "operator");
    fail(3, kWrongPin, kT0);
    std::size_t entries = audited().size();

    OperatorPin::Attempt locked = pin_.check(kPin, kT0 + seconds(10));
    EXPECT_FALSE(locked.ok);
    EXPECT_EQ(locked.locked_for_s, 20);
    EXPECT_EQ(locked.failures, 3);
    EXPECT_EQ(pin_.check(kWrongPin, kT0 + seconds(29) + milliseconds(500)).locked_for_s, 1);
    // Refused before any verify: those tries were neither counted nor audited.
    EXPECT_EQ(pin_.locked_for_s(kT0 + seconds(29)), 1);
    EXPECT_EQ(audited().size(), entries);

    OperatorPin::Attempt after = pin_.check(kPin, kT0 + seconds(30));
    EXPECT_TRUE(after.ok);
    EXPECT_EQ(after.failures, 0);
    EXPECT_EQ(after.locked_for_s, 0);

    // The streak starts over: the next failure is the first, with no lock.
    OperatorPin::Attempt next = pin_.check(kJunk, kT0 + seconds(31));
    EXPECT_EQ(next.failures, 1);
    EXPECT_EQ(next.locked_for_s, 0);
}

TEST_F(PinTest, LockoutSurvivesARestart) {
    std::filesystem::path file = dir_ / "restart.db";
    {
        Database db = Database::open(file);
        migrate_core(db);
        AuditLog audit(db);
        OperatorPin pin(db, audit);
        pin.set(kPin, "operator");
        for (int i = 0; i < 3; ++i) pin.check(kJunk, kT0);
        EXPECT_EQ(pin.locked_for_s(kT0), 30);
    }

    Database db = Database::open(file);
    migrate_core(db);
    AuditLog audit(db);
    OperatorPin pin(db, audit);
    EXPECT_TRUE(pin.is_set());
    EXPECT_EQ(pin.locked_for_s(kT0 + seconds(5)), 25);
    OperatorPin::Attempt locked = pin.check(kPin, kT0 + seconds(5));
    EXPECT_FALSE(locked.ok);
    EXPECT_EQ(locked.locked_for_s, 25);
    EXPECT_EQ(locked.failures, 3);
    EXPECT_TRUE(pin.check(kPin, kT0 + seconds(30)).ok);
}

TEST_F(PinTest, SetRejectsAnythingButFourToTwelveAsciiDigits) {
    for (const char* bad : {"12", "123", "abcd", "1234567890123", "", "12 34", "12a4", "-123",
                            "\u0661\u0662\u0663\u0664"}) {
        try {
            pin_.set(bad, "operator");
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const Error& e) {
            EXPECT_STREQ(e.what(), "the PIN must be 4 to 12 digits");
        }
    }
    EXPECT_FALSE(pin_.is_set());
    EXPECT_TRUE(audited().empty());
}

TEST_F(PinTest, CheckBeforeSetFailsWithoutCounting) {
    for (int i = 0; i < 4; ++i) {
        OperatorPin::Attempt attempt = pin_.check(kPin, kT0);
        EXPECT_FALSE(attempt.ok);
        EXPECT_EQ(attempt.failures, 0);
        EXPECT_EQ(attempt.locked_for_s, 0);
    }
    EXPECT_EQ(pin_.locked_for_s(kT0), 0);
    EXPECT_TRUE(audited().empty());
}

TEST_F(PinTest, SetReplacesThePinAndClearsTheLockout) {
    pin_.set("1234", "operator");
    fail(3, kJunk, kT0);
    EXPECT_EQ(pin_.locked_for_s(kT0), 30);

    pin_.set("123456789012", "fleet");
    EXPECT_EQ(pin_.locked_for_s(kT0), 0);
    OperatorPin::Attempt attempt = pin_.check("123456789012", kT0);
    EXPECT_TRUE(attempt.ok);
    EXPECT_EQ(attempt.failures, 0);
}

TEST_F(PinTest, AuditsSetFailuresAndLocksButNeverThePin) {
    pin_.set(kPin, "operator");
    fail(3, kWrongPin, kT0);

    using Entry = std::tuple<std::string, std::string, std::string>;
    EXPECT_THAT(audited(), ElementsAre(Entry{"operator.pin_set", "kiosk", ""},
                                       Entry{"operator.pin_failed", "kiosk", "failure 1"},
                                       Entry{"operator.pin_failed", "kiosk", "failure 2"},
                                       Entry{"operator.pin_failed", "kiosk", "failure 3"},
                                       Entry{"operator.pin_locked", "kiosk", "for 30 s"}));
    for (const AuditEntry& e : audit_.recent(1000)) {
        for (const std::string& field : {e.actor, e.action, e.subject, e.detail}) {
            EXPECT_THAT(field, Not(HasSubstr(kPin)));
            EXPECT_THAT(field, Not(HasSubstr(kWrongPin)));
        }
    }
    EXPECT_THAT(config("operator.pin_lockout"), Not(HasSubstr(kPin)));
    EXPECT_TRUE(audit_.verify().ok);
}

TEST_F(PinTest, LockWrittenWhileTheClockRanAheadLastsAtMostOneHour) {
    pin_.set(kPin, "operator");
    // As if the kiosk locked while its clock was a day ahead, before NTP set it back.
    db_.prepare("UPDATE core__config SET value = ? WHERE key = 'operator.pin_lockout'")
        .bind_all(nlohmann::json({{"failures", 3}, {"locked_until", kT0Epoch + 86400}}).dump())
        .run();
    EXPECT_EQ(pin_.locked_for_s(kT0), 3600);
    EXPECT_EQ(pin_.check(kPin, kT0).locked_for_s, 3600);
    EXPECT_EQ(pin_.locked_for_s(kT0 + seconds(3600)), 0);

    // A damaged value reads as no lockout; the next failure writes a sound one.
    db_.exec("UPDATE core__config SET value = 'not json' WHERE key = 'operator.pin_lockout'");
    EXPECT_EQ(pin_.locked_for_s(kT0), 0);
    EXPECT_EQ(pin_.check(kJunk, kT0).failures, 1);
    EXPECT_EQ(nlohmann::json::parse(config("operator.pin_lockout"))["failures"], 1);
}

}  // namespace
}  // namespace seba
