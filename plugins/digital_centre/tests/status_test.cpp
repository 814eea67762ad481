// SPDX-License-Identifier: Apache-2.0
// The status lookup as citizens use it, in a whole kiosk: a tracking number read off a receipt
// and typed back any way (lower case, spaces for hyphens, no hyphens, Bangla digits) finds the
// request; nothing is said until Check; a number that cannot be one is answered with an
// example in this kiosk's own format, never another country's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "digital_centre_fixture.hpp"
#include "seba/kiosk_time.hpp"

namespace seba::kiosk {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// The digits as a Bangla reader types them (০ is U+09E6).
std::string bangla_digits(const std::string& ascii) {
    static const char* const kDigits[] = {"০", "১", "২", "৩", "৪", "৫", "৬", "৭", "৮", "৯"};
    std::string out;
    for (char c : ascii) {
        if (c >= '0' && c <= '9')
            out += kDigits[c - '0'];
        else
            out += c;
    }
    return out;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string replace_all(std::string text, char from, const std::string& to) {
    std::string out;
    for (char c : text) out += c == from ? to : std::string(1, c);
    return out;
}

class StatusLookupTest : public DigitalCentreTest {
  protected:
    void start_with_catalog() {
        start();
        publish_demo_services();
    }

    // A confirmed birth registration; its tracking number, from its receipt. Ends on the
    // Digital Centre's first screen.
    std::string confirm_request() {
        if (screen() == "plugin") tap("shell.home");  // fill_* starts at the kiosk's home
        fill_birth_registration(kNidBangla);
        run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
        std::string tracking = node("dc.receipt.qr")->value;
        tap("dc.done");
        return tracking;
    }

    // The status screen, afresh, with `typed` typed into its field; Check tapped if `check`.
    void look_up(const std::string& typed, bool check = true) {
        if (screen() != "plugin") tap("shell.home.digital_centre");
        run(json::array(
            {{{"tap", "dc.status"}}, {{"tap", "dc.status.tracking"}}, {{"type", typed}}}));
        if (check) tap("dc.status.check");
    }

    // Back to the Digital Centre's first screen: the status screen's field is wiped.
    void leave() { tap("shell.back"); }
};

TEST_F(StatusLookupTest, EverySpellingOfARealTrackingNumberFindsIt) {
    start_with_catalog();
    const std::string tracking = confirm_request();
    ASSERT_THAT(tracking, ::testing::MatchesRegex("DHK1-[0-9]{6}-[A-Z2-9]{2}-0001"));
    const std::string spellings[] = {
        lower(tracking),                  // dhk1-261206-xy-0001
        replace_all(tracking, '-', " "),  // DHK1 261206 XY 0001
        replace_all(tracking, '-', ""),   // DHK1261206XY0001
        bangla_digits(tracking),          // DHK১-২৬১২০৬-XY-০০০১
        " " + bangla_digits(lower(replace_all(tracking, '-', "  "))) + " ",  // all of them
    };
    for (const std::string& typed : spellings) {
        SCOPED_TRACE(typed);
        look_up(typed);
        expect("dc.status.result");
        EXPECT_EQ(node("dc.status.result")->role, ui::Role::Banner);
        EXPECT_EQ(node("dc.status.result")->value, "info");
        EXPECT_THAT(label("dc.status.result"), HasSubstr("এই কেন্দ্রে গৃহীত"));
        EXPECT_THAT(label("dc.status.number"), HasSubstr(tracking)) << "the number as it was made";
        expect_absent("dc.status.bad");
        leave();
    }
}

TEST_F(StatusLookupTest, TheOfficesAnswerShowsWithTheSignOfItsTone) {
    start_with_catalog();
    const std::string tracking = confirm_request();
    look_up(lower(replace_all(tracking, '-', " ")));
    for (const auto& [state, tone, words] :
         {std::tuple{"ready", "success", "প্রস্তুত"}, std::tuple{"rejected", "error", "অপারেটর"},
          std::tuple{"in_progress", "info", "কাজ চলছে"}}) {
        SCOPED_TRACE(state);
        publish("dc.status", json::array({{{"key", tracking}, {"status", state}}}));
        run(R"([{"wait_s": 1}])");
        EXPECT_EQ(node("dc.status.result")->value, tone);
        EXPECT_THAT(label("dc.status.result"), HasSubstr(words));
    }
}

TEST_F(StatusLookupTest, NothingIsSaidUntilCheckIsTapped) {
    start_with_catalog();
    const std::string tracking = confirm_request();
    // One character: not wrong yet, only unfinished.
    look_up("D", /*check=*/false);
    expect("dc.status.check");
    EXPECT_EQ(node("dc.status.check")->style, ui::ButtonStyle::Primary);
    expect_absent("dc.status.bad");
    expect_absent("dc.status.result");
    // The whole number typed: still nothing until Check.
    run(json::array({{{"type", tracking.substr(1)}}}));
    expect_absent("dc.status.result");
    tap("dc.status.check");
    EXPECT_THAT(label("dc.status.result"), HasSubstr("এই কেন্দ্রে গৃহীত"));
    leave();

    look_up("D");
    expect("dc.status.bad");
    EXPECT_EQ(node("dc.status.bad")->value, "error");
    // Typing again puts the error away until the next Check.
    run(R"([{"tap": "dc.status.tracking"}, {"type": "HK1"}])");
    expect_absent("dc.status.bad");
    // An empty field cannot be checked.
    leave();
    run(R"([{"tap": "dc.status"}])");
    EXPECT_FALSE(node("dc.status.check")->enabled);
}

TEST_F(StatusLookupTest, AnUnknownNumberSaysWhatToDo) {
    start_with_catalog();
    look_up("DHK1-261128-A7-9999");
    EXPECT_EQ(node("dc.status.result")->value, "warning");
    EXPECT_THAT(label("dc.status.result"), HasSubstr("পাওয়া যায়নি"));
    EXPECT_THAT(label("dc.status.result"), HasSubstr("রসিদের নম্বর"));
    EXPECT_THAT(label("dc.status.result"), HasSubstr("অপারেটর"));
}

// An Uzbek centre's kiosk shows an Uzbek centre's number, dated today, with its own tag.
TEST_F(StatusLookupTest, TheExampleIsMadeInThisKiosksOwnFormat) {
    config().plugin_settings["digital_centre"]["centre_code"] = "TSH3";
    start_with_catalog();
    const std::string day = kiosk_now().iso().substr(0, 10);
    const std::string yymmdd = day.substr(2, 2) + day.substr(5, 2) + day.substr(8, 2);
    look_up("42");
    EXPECT_THAT(label("dc.status.bad"), HasSubstr("TSH3-" + yymmdd + "-"));
    EXPECT_THAT(label("dc.status.bad"), Not(HasSubstr("DHK1")));
    EXPECT_THAT(label("dc.status.bad"), Not(HasSubstr("261128")));
    leave();

    // Once the kiosk has made a number, the example carries its tag too.
    const std::string tracking = confirm_request();
    ASSERT_THAT(tracking, ::testing::StartsWith("TSH3-" + yymmdd + "-"));
    look_up("tsh3");
    EXPECT_THAT(label("dc.status.bad"), HasSubstr(tracking.substr(0, tracking.rfind('-') + 1)));
    leave();
    // And that kiosk's numbers are found however they are typed.
    look_up(bangla_digits(lower(replace_all(tracking, '-', ""))));
    EXPECT_THAT(label("dc.status.result"), HasSubstr("এই কেন্দ্রে গৃহীত"));
}

}  // namespace
}  // namespace seba::kiosk
