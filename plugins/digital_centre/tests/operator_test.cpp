// SPDX-License-Identifier: Apache-2.0
// The Digital Centre behind the operator's PIN, in a whole kiosk: closing the day asks first,
// showing what was counted against what the drawer should hold; a short or over cash book is
// a banner with the amount; what the operator is told appears under what it is about and
// goes with the page; the plugin's settings speak every language the kiosk offers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "digital_centre_fixture.hpp"
#include "seba/kiosk_settings.hpp"
#include "seba/ui/i18n.hpp"

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

TEST_F(OperatorPageTest, LeavingThePageDropsAHalfAskedClose) {
    one_cash_request();
    log_in_as_operator();
    run(R"([{"tap": "shell.op.open.digital_centre"}, {"tap": "dc.op.counted"}, {"type": "50"},
            {"tap": "dc.op.close"}, {"expect": "dc.op.close.confirm"}, {"tap": "shell.op.back"},
            {"tap": "shell.op.open.digital_centre"}])");
    expect_absent("dc.op.close.confirm");
    EXPECT_EQ(counted(), "") << "what was typed on the page went with it";
    // The same when the operator leaves operator mode in the middle.
    run(R"([{"tap": "dc.op.counted"}, {"type": "60"}, {"tap": "dc.op.close"},
            {"expect": "dc.op.close.confirm"}, {"tap": "shell.op.back"}, {"tap": "shell.op.exit"}])");
    log_in_as_operator();
    tap("shell.op.open.digital_centre");
    expect_absent("dc.op.close.confirm");
    EXPECT_EQ(counted(), "");
    EXPECT_EQ(closes(), 0);
}

TEST_F(OperatorPageTest, AMessageShowsUnderWhatItIsAboutAndGoesWithThePage) {
    log_in_as_operator();
    const std::string name = "shell.op.set.digital_centre.operator";
    run(json::array({{{"tap", name}}, {{"type", "Karim"}}, {{"tap", name + ".save"}}}));
    ASSERT_TRUE(node("shell.op.message"));
    EXPECT_EQ(label("shell.op.message"), "সংরক্ষিত হয়েছে");
    EXPECT_EQ(node("shell.op.message")->value, "success");
    EXPECT_EQ(position("shell.op.message"), position(name + ".save") + 1)
        << "right under the setting that was saved";
    // Another page, and back: the message is gone.
    tap("shell.op.open.digital_centre");
    expect_absent("shell.op.message");
    tap("shell.op.back");
    expect_absent("shell.op.message");

    // A refused value says why, as an error, under its own setting.
    const std::string code = "shell.op.set.digital_centre.centre_code";
    run(json::array(
        {{{"tap", code}}, {{"type", "MUCH-TOO-LONG-CODE"}}, {{"tap", code + ".save"}}}));
    EXPECT_EQ(node("shell.op.message")->value, "error");
    EXPECT_THAT(label("shell.op.message"), HasSubstr("at most 12"));
    EXPECT_EQ(position("shell.op.message"), position(code + ".save") + 1);
    EXPECT_EQ(host().plugin_settings("digital_centre")["centre_code"], "DHK1");
    // Out of operator mode and in again: gone.
    tap("shell.op.exit");
    log_in_as_operator();
    expect_absent("shell.op.message");
}

// Labels come from the manifest ("label": {"en": ...}) and are translated by the plugin's
// catalog, so that a language the manifest does not list still reads in its own words; the
// kiosk's settings by the shell's catalog.
TEST_F(OperatorPageTest, SettingLabelsReadInEveryLanguageTheKioskOffers) {
    log_in_as_operator();
    const std::pair<const char*, const char*> centre_code[] = {
        {"bn", "ট্র্যাকিং নম্বরে কেন্দ্রের কোড"},
        {"uz-Latn", "Kuzatuv raqamidagi markaz kodi"},
        {"uz-Cyrl", "Кузатув рақамидаги марказ коди"},
        {"ru", "Код центра в номере заявки"},
        {"en", "Centre code on tracking numbers"}};
    const std::pair<const char*, const char*> operator_name[] = {
        {"bn", "উদ্যোক্তার নাম"},
        {"uz-Latn", "Operator (tadbirkor) ismi"},
        {"uz-Cyrl", "Оператор (тадбиркор) исми"},
        {"ru", "Оператор (предприниматель)"},
        {"en", "Operator (entrepreneur) name"}};
    const ui::Catalog shell = ui::Catalog::load("seba", SEBA_KIOSK_LOCALE_DIR);
    for (std::size_t i = 0; i < std::size(centre_code); ++i) {
        const std::string language = centre_code[i].first;
        SCOPED_TRACE(language);
        run(json::array({{{"language", language}}}));
        EXPECT_THAT(label("shell.op.set.digital_centre.centre_code"),
                    HasSubstr(centre_code[i].second));
        EXPECT_THAT(label("shell.op.set.digital_centre.operator"),
                    HasSubstr(operator_name[i].second));
        for (const KioskSetting& setting : kiosk_settings()) {
            if (!setting.settable_by(SettingLayer::Operator)) continue;
            const std::string id = "shell.op.setting." + std::string(setting.key);
            const std::string shown = node(id + ".label") ? label(id + ".label") : label(id);
            const std::string english(setting.label);
            EXPECT_THAT(shown, HasSubstr(shell.translate(language, english))) << setting.key;
            if (language != "en") {
                EXPECT_NE(shell.translate(language, english), english) << setting.key;
            }
        }
    }
}

}  // namespace
}  // namespace seba::kiosk
