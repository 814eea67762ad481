// SPDX-License-Identifier: Apache-2.0
// Today, on a kiosk whose clock may lie: the latest time the server vouched for is kept in the
// plugin's table and no earlier day is ever counted, even after a restart; an unchecked clock
// is believed forward but never remembered.
#include <gtest/gtest.h>

#include "match_fixture.hpp"

namespace seba::nise::match_testing {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// A moment, as the kiosk's clock would give it.
KioskTime at(int y, unsigned m, unsigned d, int hour, int minute = 0, int second = 0,
             bool checked = true) {
    const sys_days day = year_month_day(year(y), month(m), std::chrono::day(d));
    return {system_clock::time_point(day) + hours(hour) + minutes(minute) + seconds(second),
            checked};
}
KioskTime unchecked(KioskTime t) {
    t.checked = false;
    return t;
}

class NiseClockGuard : public KioskDatabase {
  protected:
    std::string stored() {
        Statement q = store.prepare("SELECT trusted_at FROM nise__clock");
        return q.step() ? q.text(0) : std::string();
    }
    const minutes dhaka{360};
};

TEST_F(NiseClockGuard, TodayIsTheLocalDay) {
    ClockGuard guard(store, dhaka);
    EXPECT_EQ(guard.today(at(2026, 12, 20, 17, 59)), "2026-12-20");  // 23:59 in Dhaka
    EXPECT_EQ(guard.today(at(2026, 12, 20, 18, 0)), "2026-12-21");   // midnight in Dhaka
    ClockGuard tashkent(store, minutes(300));
    EXPECT_EQ(tashkent.today(at(2026, 12, 20, 18, 30)), "2026-12-20");
    ClockGuard west(store, minutes(-300));
    EXPECT_EQ(west.today(unchecked(at(2027, 1, 1, 2, 0))), "2026-12-31");
    EXPECT_FALSE(guard.held_back());
}

TEST_F(NiseClockGuard, AClockSetBackNeverCountsAnEarlierDayEvenAfterARestart) {
    {
        ClockGuard guard(store, dhaka);
        EXPECT_EQ(guard.trusted_until(), "");
        EXPECT_EQ(guard.today(at(2026, 12, 21, 4, 0)), "2026-12-21");
        EXPECT_FALSE(guard.held_back());
        EXPECT_EQ(guard.trusted_until(), "2026-12-21T04:00:00.000Z");
        // The battery died: the clock says January 2000 and has not been corrected.
        EXPECT_EQ(guard.today(unchecked(at(2000, 1, 1, 0, 0))), "2026-12-21");
        EXPECT_TRUE(guard.held_back());
        // Corrected again: back to the clock's word.
        EXPECT_EQ(guard.today(at(2026, 12, 21, 5, 0)), "2026-12-21");
        EXPECT_FALSE(guard.held_back());
    }
    EXPECT_EQ(stored(), "2026-12-21T05:00:00.000Z");
    // The kiosk restarts with its clock a week back and no server in reach.
    ClockGuard after_reboot(store, dhaka);
    EXPECT_EQ(after_reboot.today(unchecked(at(2026, 12, 14, 4, 0))), "2026-12-21");
    EXPECT_TRUE(after_reboot.held_back());
    EXPECT_EQ(after_reboot.trusted_until(), "2026-12-21T05:00:00.000Z");
}

TEST_F(NiseClockGuard, AnUncheckedJumpForwardIsNotRemembered) {
    {
        ClockGuard guard(store, dhaka);
        guard.today(at(2026, 12, 21, 4, 0));
        // A wrong time server steps the clock a month ahead; nothing corrects it yet.
        EXPECT_EQ(guard.today(unchecked(at(2027, 1, 21, 4, 0))), "2027-01-21");
        EXPECT_FALSE(guard.held_back());
        EXPECT_EQ(guard.trusted_until(), "2026-12-21T04:00:00.000Z");
    }
    EXPECT_EQ(stored(), "2026-12-21T04:00:00.000Z");
    // Once the clock is right again, today is today: nothing stays hidden for good.
    ClockGuard after(store, dhaka);
    EXPECT_EQ(after.today(unchecked(at(2026, 12, 22, 4, 0))), "2026-12-22");
    EXPECT_FALSE(after.held_back());
}

TEST_F(NiseClockGuard, ATrustedTimeIsWrittenAtMostOnceAMinute) {
    ClockGuard guard(store, dhaka);
    guard.today(at(2026, 12, 21, 4, 0, 0));
    EXPECT_EQ(stored(), "2026-12-21T04:00:00.000Z");
    guard.today(at(2026, 12, 21, 4, 0, 30));
    guard.today(at(2026, 12, 21, 4, 0, 59));
    EXPECT_EQ(stored(), "2026-12-21T04:00:00.000Z");
    EXPECT_EQ(guard.trusted_until(), "2026-12-21T04:00:59.000Z");
    guard.today(at(2026, 12, 21, 4, 1, 0));
    EXPECT_EQ(stored(), "2026-12-21T04:01:00.000Z");
    Statement rows = store.prepare("SELECT count(*) FROM nise__clock");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 1);
}

TEST(NiseDaysUntil, CountsWholeDaysBetweenDates) {
    EXPECT_EQ(days_until("2026-12-20", "2026-12-20"), 0);
    EXPECT_EQ(days_until("2026-12-20", "2026-12-21"), 1);
    EXPECT_EQ(days_until("2026-12-21", "2026-12-20"), -1);
    EXPECT_EQ(days_until("2026-12-20", "2027-01-19"), 30);
    EXPECT_EQ(days_until("2028-02-28", "2028-03-01"), 2);  // a leap year
    EXPECT_EQ(days_until("2027-02-28", "2027-03-01"), 1);
    EXPECT_FALSE(days_until("2027-02-29", "2027-03-01"));
    EXPECT_FALSE(days_until("2026-12-20", "2026-13-01"));
    EXPECT_FALSE(days_until("2026-12-20", "20-12-2026"));
    EXPECT_FALSE(days_until("2026-12-20", "2026-12-2x"));
    EXPECT_FALSE(days_until("", "2026-12-20"));
    EXPECT_FALSE(days_until("2026-12-20T00:00", "2026-12-20"));
}

}  // namespace
}  // namespace seba::nise::match_testing
