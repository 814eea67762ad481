// SPDX-License-Identifier: Apache-2.0
// The Digital Centre behind the operator's PIN, in a whole kiosk: closing the day asks first,
// showing what was counted against what the drawer should hold; a short or over cash book is
// a banner with the amount.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "digital_centre_fixture.hpp"

namespace seba::kiosk {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class OperatorPageTest : public DigitalCentreTest {
  protected:
    void SetUp() override {
        DigitalCentreTest::SetUp();
        config().languages = {"bn", "uz-Latn", "uz-Cyrl", "ru", "en"};
        start();
        publish_demo_services();
    }

    // One birth registration paid in cash: Tk 80 in the drawer.
    void one_cash_request() {
        fill_birth_registration(kNidBangla);
        run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"tap": "dc.done"},
                {"tap": "shell.home"}])");
    }

    // Where `id` was drawn in the last frame (the order the operator reads the page in).
    std::ptrdiff_t position(const std::string& id) const {
        std::vector<std::string> all = ids();
        auto at = std::find(all.begin(), all.end(), id);
        EXPECT_NE(at, all.end()) << id << " is not on screen";
        return at - all.begin();
    }

    std::string counted() const {
        const ui::SecretText* field = state().find_field("dc.op.counted");
        return field ? std::string(field->view()) : std::string();
    }

    std::int64_t closes() { return scalar("SELECT count(*) FROM digital_centre__day_closes"); }
};

TEST_F(OperatorPageTest, CloseTheDayAsksFirstShowingCountedAgainstExpected) {
    one_cash_request();
    log_in_as_operator();
    run(R"([{"tap": "shell.op.open.digital_centre"}, {"tap": "dc.op.counted"}, {"type": "৫০"},
            {"tap": "dc.op.close"}])");
    // The second step: both sums, the difference as a banner, and what cannot be undone.
    EXPECT_THAT(label("dc.op.confirm.counted"), HasSubstr("৫০ টাকা"));
    EXPECT_THAT(label("dc.op.confirm.expected"), HasSubstr("৮০ টাকা"));
    EXPECT_EQ(node("dc.op.confirm.difference")->role, ui::Role::Banner);
    EXPECT_EQ(node("dc.op.confirm.difference")->value, "error");
    EXPECT_EQ(label("dc.op.confirm.difference"), "কম ৩০ টাকা");
    EXPECT_THAT(label("dc.op.confirm.final"), HasSubstr("ফেরানো যাবে না"));
    EXPECT_EQ(node("dc.op.close.confirm")->style, ui::ButtonStyle::Danger);
    EXPECT_EQ(node("dc.op.close.cancel")->style, ui::ButtonStyle::Secondary);
    EXPECT_EQ(closes(), 0) << "nothing is closed before the second tap";
    EXPECT_EQ(scalar("SELECT count(*) FROM core__outbox WHERE type = 'digital_centre.day_closed'"),
              0);

    // Cancel: back to the count, as typed, to correct it.
    tap("dc.op.close.cancel");
    expect_absent("dc.op.close.confirm");
    EXPECT_EQ(counted(), "50");
    run(R"([{"tap": "dc.op.counted"}, {"tap": "osk.backspace"}, {"tap": "osk.backspace"},
            {"type": "১০০"}, {"tap": "dc.op.close"}])");
    EXPECT_EQ(node("dc.op.confirm.difference")->value, "warning");
    EXPECT_EQ(label("dc.op.confirm.difference"), "বেশি ২০ টাকা");
    tap("dc.op.close.confirm");
    EXPECT_EQ(closes(), 1);
    // Over: a warning banner that says by how much, in money.
    EXPECT_EQ(node("dc.op.closed")->role, ui::Role::Banner);
    EXPECT_EQ(node("dc.op.closed")->value, "warning");
    EXPECT_THAT(label("dc.op.closed"), HasSubstr("বেশি ২০ টাকা"));
    expect_absent("dc.op.close");
}

TEST_F(OperatorPageTest, AShortDayIsAnErrorBannerAndABalancedOneASuccess) {
    one_cash_request();
    log_in_as_operator();
    run(R"([{"tap": "shell.op.open.digital_centre"}, {"tap": "dc.op.counted"}, {"type": "70"},
            {"tap": "dc.op.close"}, {"tap": "dc.op.close.confirm"}])");
    EXPECT_EQ(node("dc.op.closed")->role, ui::Role::Banner);
    EXPECT_EQ(node("dc.op.closed")->value, "error");
    EXPECT_THAT(label("dc.op.closed"), HasSubstr("কম ১০ টাকা"));
}

}  // namespace
}  // namespace seba::kiosk
