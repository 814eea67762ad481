// SPDX-License-Identifier: Apache-2.0
// The kiosk's clock with clocks the test moves: the offset learned from a server's Date,
// jumps of the wall clock caught against the monotonic clock (while running, and across
// restarts within a boot), and a new boot that leaves the offset unchecked.
#include "seba/kiosk_clock.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

using namespace std::chrono_literals;
using Clock = KioskClock::Clock;

// A wall clock and a monotonic clock the test turns by hand.
struct Clocks {
    Clock::time_point wall = Clock::time_point(1'796'000'000s);
    std::chrono::nanoseconds boot = 1000s;
    std::string boot_id = "boot-1";

    void pass(std::chrono::nanoseconds d) {
        wall += std::chrono::duration_cast<Clock::duration>(d);
        boot += d;
    }
    KioskClock::Sources sources() {
        return {[this] { return wall; }, [this] { return boot; }, boot_id};
    }
};

class KioskClockTest : public ::testing::Test {
  protected:
    void SetUp() override { migrate_core(db_); }
    seba::testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "kiosk.db");
    Clocks clocks_;
};

TEST_F(KioskClockTest, UntilTheServerIsHeardTheLocalClockIsUncheckedAndUncorrected) {
    KioskClock clock(clocks_.sources());
    KioskTime t = clock.now();
    EXPECT_FALSE(t.checked);
    EXPECT_EQ(t.at, clocks_.wall);
    EXPECT_EQ(clock.offset(), 0ms);
}

TEST_F(KioskClockTest, TheServersDateSetsTheOffsetWithinItsPrecision) {
    KioskClock clock(clocks_.sources());
    // The kiosk is two days behind; the request took 200 ms.
    const Clock::time_point sent = clocks_.wall;
    clocks_.pass(200ms);
    const Clock::time_point server_date =
        std::chrono::floor<std::chrono::seconds>(clocks_.wall + 48h - 100ms);
    EXPECT_TRUE(clock.learn(server_date, sent, clocks_.wall));
    KioskTime t = clock.now();
    EXPECT_TRUE(t.checked);
    EXPECT_LT(std::chrono::abs(t.at - (clocks_.wall + 48h)), 1s);
    // A Date a second later says nothing new: the offset stays as it is.
    EXPECT_FALSE(clock.learn(server_date + 1s, clocks_.wall, clocks_.wall + 10ms));
    EXPECT_EQ(t.iso().size(), std::string("2026-11-28T01:02:03.456Z").size());
}

TEST_F(KioskClockTest, AJumpWhileRunningIsFollowedSoTheCorrectedTimeGoesOn) {
    KioskClock clock(clocks_.sources());
    clock.learn(clocks_.wall + 600s, clocks_.wall, clocks_.wall);  // 10 minutes behind
    const Clock::time_point before = clock.now().at;
    clocks_.pass(5s);
    clocks_.wall -= 2h;  // set back by hand
    KioskTime after = clock.now();
    EXPECT_TRUE(after.checked);
    EXPECT_LT(std::chrono::abs(after.at - (before + 5s)), 1s) << "the jump is not in the time";

    // A slow slew (a time server at work) is trusted, not counted as a jump.
    const Clock::time_point steady = after.at;
    clocks_.pass(10s);
    clocks_.wall += 500ms;
    EXPECT_LT(std::chrono::abs(clock.now().at - (steady + 10s + 500ms)), 10ms);
}

TEST_F(KioskClockTest, AcrossARestartInTheSameBootTheOffsetAndJumpsCarryOver) {
    {
        KioskClock clock(clocks_.sources());
        clock.learn(clocks_.wall - 3h, clocks_.wall, clocks_.wall);  // 3 hours ahead
        clock.save(db_);
    }
    clocks_.pass(60s);
    clocks_.wall += 24h;  // while the kiosk was stopped, the clock was set a day on
    KioskClock clock(clocks_.sources());
    clock.load(db_);
    KioskTime t = clock.now();
    EXPECT_TRUE(t.checked);
    EXPECT_LT(std::chrono::abs(t.at - (clocks_.wall - 24h - 3h)), 1s);
}

TEST_F(KioskClockTest, AfterARebootTheOffsetIsAGuessAndTimesAreUnchecked) {
    {
        KioskClock clock(clocks_.sources());
        clock.learn(clocks_.wall + 90s, clocks_.wall, clocks_.wall);
        clock.save(db_);
    }
    clocks_.boot_id = "boot-2";
    clocks_.boot = 5s;
    KioskClock clock(clocks_.sources());
    clock.load(db_);
    KioskTime t = clock.now();
    EXPECT_FALSE(t.checked);
    EXPECT_LT(std::chrono::abs(clock.offset() - 90s), 1s) << "kept as the best guess";
    clock.learn(clocks_.wall + 30s, clocks_.wall, clocks_.wall);
    EXPECT_TRUE(clock.now().checked);
}

}  // namespace
}  // namespace seba
