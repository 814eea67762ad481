// SPDX-License-Identifier: Apache-2.0
// The kit's exit survey (seba/ui/exit_survey.hpp) as a citizen meets it after a receipt,
// drawn by the recorder: one question a screen, each skippable; the answers recorded once,
// at the end, as one "tcv.survey" event in a real SQLite outbox; an impossible answer
// refused with its message in the citizen's language; leaving at any step records nothing.
#include "seba/ui/exit_survey.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/storage.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/icons.hpp"
#include "seba/ui/navigation.hpp"
#include "seba/ui/recorder.hpp"
#include "temp_dir.hpp"

namespace seba::ui {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;

// A plugin's receipt page that offers the survey, as the Digital Centre's does.
class ReceiptPage final : public Screen {
  public:
    ReceiptPage(PluginStore& store, tcv::Delivered delivered)
        : store_(store), delivered_(std::move(delivered)) {}
    void draw(Ui& ui, Navigator& nav) override {
        ui.heading("receipt.title", "Request received");
        if (ui.button("receipt.survey", ui.kit_tr("Tell us about your visit"),
                      ButtonStyle::Secondary, true, icon::survey))
            nav.push(exit_survey(store_, delivered_, "Birth registration"));
    }

  private:
    PluginStore& store_;
    const tcv::Delivered delivered_;
};

class ExitSurveyTest : public ::testing::Test {
  protected:
    void SetUp() override {
        migrate_core(db_);
        state_.kit_catalog = &catalog_;
        state_.language = "en";
        frame();
    }

    // One frame, with a tap on `id` when given.
    void frame(const std::string& id = {}) {
        if (!id.empty()) {
            ASSERT_TRUE(state_.node(id))
                << id << " is not on screen; ids: " << ::testing::PrintToString(state_.ids());
            state_.tap(id);
        }
        state_.begin_frame();
        Recorder ui(state_);
        view_.draw(ui);
        if (!id.empty()) {
            ASSERT_TRUE(state_.pending_tap().empty()) << id << " was not tapped";
        }
        // The move the tap asked for shows in the next frame.
        state_.begin_frame();
        Recorder again(state_);
        view_.draw(again);
    }
    // Taps a field and types into it, as a citizen does with the keypad.
    void type(const std::string& field, const std::string& text) {
        frame(field);
        ASSERT_EQ(state_.focused(), field);
        while (state_.backspace() && !state_.find_field(field)->view().empty()) {
        }
        state_.insert(text);
        frame();
    }
    bool shows(std::string_view id) const { return state_.node(id) != nullptr; }
    std::string label(std::string_view id) const {
        const Node* n = state_.node(id);
        return n ? n->label : "(not on screen: " + std::string(id) + ")";
    }
    std::string error(std::string_view id) const {
        const Node* n = state_.node(id);
        return n ? n->error : "(not on screen: " + std::string(id) + ")";
    }
    std::string steps() const {
        const Node* n = state_.node("nav.steps");
        return n ? n->value : "";
    }
    std::vector<json> surveys() {
        std::vector<json> out;
        Statement rows = db_.prepare(
            "SELECT plugin, type, payload FROM core__outbox WHERE type = 'tcv.survey' ORDER BY "
            "seq");
        while (rows.step()) {
            EXPECT_EQ(rows.text(0), "dc");
            out.push_back(json::parse(rows.text(2)));
        }
        return out;
    }
    std::int64_t events() {
        Statement q = db_.prepare("SELECT count(*) FROM core__outbox");
        q.step();
        return q.integer(0);
    }
    const std::string& bn(const std::string& english) const {
        return catalog_.translate("bn", english);
    }

    testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "kiosk.db");
    Manifest manifest_ = parse_manifest(R"({"id": "dc", "version": "1.0.0", "api": "1.7",
        "names": {"en": "DC"}, "capabilities": ["ui", "storage", "outbox", "survey"],
        "events": ["dc.request_confirmed"], "service_events": ["dc.request_confirmed"]})",
                                        "dc/manifest.json");
    PluginStore store_{db_, manifest_};
    Catalog catalog_ = Catalog::load("seba", SEBA_KIOSK_LOCALE_DIR);
    UiState state_;
    tcv::Delivered delivered_{"DHK1-261128-A7-0042",
                              "birth_registration",
                              "2026-11-28T02:01:43.788Z",
                              "2026-11-28T02:09:10.120Z",
                              80,
                              "BDT"};
    ScreenView view_{[this] { return std::make_unique<ReceiptPage>(store_, delivered_); }};
};

TEST_F(ExitSurveyTest, EveryAnswerGoesOutAsOneSurveyEventAtTheEnd) {
    frame("receipt.survey");
    EXPECT_EQ(label("survey.consent.question"),
              "Will you answer 5 short questions about your visit?");
    EXPECT_EQ(label("survey.service"), "Birth registration");
    frame("survey.consent.yes");
    EXPECT_EQ(steps(), "1/5");
    frame("survey.visits.2");
    EXPECT_EQ(steps(), "2/5");
    frame("survey.minutes.30");
    EXPECT_EQ(steps(), "3/5");
    type("survey.cost.value", "60");
    EXPECT_EQ(label("survey.cost.money"), "BDT\u00A060") << "the amount in the centre's currency";
    frame("survey.cost.next");
    EXPECT_EQ(steps(), "4/5");
    frame("survey.extra.yes");
    EXPECT_EQ(state_.focused(), "survey.extra_amount.value") << "the keypad opens on the amount";
    state_.insert("200");
    frame("survey.extra_amount.next");
    EXPECT_EQ(steps(), "5/5");
    EXPECT_EQ(events(), 0) << "nothing is recorded before the last answer";
    frame("survey.rating.4");
    EXPECT_TRUE(shows("survey.thanks.saved"));
    EXPECT_EQ(steps(), "") << "the thank-you page is no step";

    const std::vector<json> recorded = surveys();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0], json::parse(R"({"tracking": "DHK1-261128-A7-0042",
        "service": "birth_registration", "visits": 2, "travel_minutes": 30, "travel_cost": 60,
        "paid_extra": true, "extra_amount": 200, "rating": 4, "currency": "BDT",
        "language": "en"})"));

    // Back from the thank-you page does not ask again, nor record twice.
    view_.back();
    frame();
    EXPECT_TRUE(shows("receipt.title"));
    EXPECT_EQ(surveys().size(), 1u);
}

TEST_F(ExitSurveyTest, HomeFromTheThankYouPageLeavesTheSurvey) {
    frame("receipt.survey");
    frame("survey.consent.yes");
    for (const char* id : {"survey.skip", "survey.skip", "survey.skip", "survey.skip"}) frame(id);
    frame("survey.rating.5");
    frame("survey.thanks.home");
    EXPECT_TRUE(shows("receipt.title"));
    EXPECT_EQ(surveys().size(), 1u);
}

TEST_F(ExitSurveyTest, SkippedQuestionsAreAbsentAndTheLanguageIsTheCitizens) {
    state_.language = "bn";
    frame();
    frame("receipt.survey");
    EXPECT_EQ(label("survey.consent.question"),
              bn("Will you answer 5 short questions about your visit?"));
    EXPECT_THAT(label("survey.consent.question"), HasSubstr("৫টি"));
    frame("survey.consent.yes");
    EXPECT_EQ(label("survey.skip"), bn("Skip this question"));
    EXPECT_EQ(label("survey.visits.3"), "৩") << "counts in the citizen's digits";
    frame("survey.skip");
    EXPECT_EQ(label("survey.minutes.15"), "১৫ মিনিট");
    frame("survey.minutes.other");
    EXPECT_EQ(state_.focused(), "survey.minutes.value") << "the keypad opens on the field";
    state_.insert("৪৫");  // Bangla digits, as the Bangla keypad types them
    frame("survey.minutes.next");
    frame("survey.skip");  // the journey's cost
    frame("survey.extra.no");
    EXPECT_EQ(steps(), "5/5") << "No asks no amount";
    EXPECT_EQ(label("survey.rating.1"), bn("Very bad"));
    frame("survey.skip");
    EXPECT_EQ(label("survey.thanks.title"), bn("Thank you!"));

    const std::vector<json> recorded = surveys();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0], json::parse(R"({"tracking": "DHK1-261128-A7-0042",
        "service": "birth_registration", "travel_minutes": 45, "paid_extra": false,
        "currency": "BDT", "language": "bn"})"));
}

TEST_F(ExitSurveyTest, AnImpossibleAnswerShowsItsMessageAndRecordsNothingUntilFixed) {
    state_.language = "bn";
    frame();
    frame("receipt.survey");
    frame("survey.consent.yes");
    frame("survey.visits.more");
    const std::string visits_problem = bn("Enter how many times you came: 1 to 30");
    ASSERT_NE(visits_problem, "Enter how many times you came: 1 to 30");
    for (const char* impossible : {"0", "31", "500"}) {
        type("survey.visits.value", impossible);
        frame("survey.visits.next");
        EXPECT_EQ(error("survey.visits.value"), visits_problem) << impossible;
        EXPECT_EQ(steps(), "1/5") << impossible << " does not go on";
    }
    type("survey.visits.value", "12");
    frame("survey.visits.next");
    EXPECT_EQ(steps(), "2/5");

    frame("survey.minutes.other");
    type("survey.minutes.value", "1441");
    frame("survey.minutes.next");
    EXPECT_EQ(error("survey.minutes.value"), bn("Enter the minutes of your journey: 0 to 1440"));
    EXPECT_EQ(steps(), "2/5");
    type("survey.minutes.value", "1440");
    frame("survey.minutes.next");

    // A journey's cost beyond any plausible one in taka (BDT 100,000).
    type("survey.cost.value", "100001");
    frame("survey.cost.next");
    EXPECT_EQ(error("survey.cost.value"), bn("This amount is too large; check it"));
    EXPECT_EQ(steps(), "3/5");
    frame("survey.cost.nothing");
    frame("survey.extra.yes");
    state_.insert("999999999");
    frame("survey.extra_amount.next");
    EXPECT_EQ(error("survey.extra_amount.value"), bn("This amount is too large; check it"));
    EXPECT_EQ(events(), 0);
    frame("survey.skip");  // the amount: paid, how much not said
    frame("survey.rating.2");

    const std::vector<json> recorded = surveys();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0], json::parse(R"({"tracking": "DHK1-261128-A7-0042",
        "service": "birth_registration", "visits": 12, "travel_minutes": 1440, "travel_cost": 0,
        "paid_extra": true, "rating": 2, "currency": "BDT", "language": "bn"})"));
}

TEST_F(ExitSurveyTest, AnEmptyNumberAsksToFillItOrSkip) {
    frame("receipt.survey");
    frame("survey.consent.yes");
    frame("survey.visits.1");
    frame("survey.minutes.15");
    frame("survey.cost.next");
    EXPECT_EQ(error("survey.cost.value"), "Fill in this field.");
    EXPECT_EQ(steps(), "3/5");
    frame("survey.skip");
    EXPECT_EQ(steps(), "4/5");
}

TEST_F(ExitSurveyTest, LeavingAtTheThirdQuestionRecordsNothingAndWipesWhatWasTyped) {
    frame("receipt.survey");
    frame("survey.consent.yes");
    frame("survey.visits.1");
    frame("survey.minutes.90");
    type("survey.cost.value", "35");
    EXPECT_EQ(steps(), "3/5");
    // Back, step by step, to the receipt: the answers are gone with their screens.
    for (const char* at : {"2/5", "1/5", ""}) {
        EXPECT_TRUE(view_.back());
        frame();
        EXPECT_EQ(steps(), at);
    }
    EXPECT_TRUE(shows("survey.consent.question"));
    EXPECT_TRUE(view_.back());
    frame();
    EXPECT_TRUE(shows("receipt.title"));
    EXPECT_EQ(events(), 0);
    EXPECT_TRUE(state_.all_fields_zeroed()) << "the typed journey cost is wiped";

    // The same left by the end of the session, at the third question.
    frame("receipt.survey");
    frame("survey.consent.yes");
    frame("survey.visits.5");
    frame("survey.minutes.120");
    type("survey.cost.value", "40");
    state_.wipe();
    view_.reset();
    frame();
    EXPECT_TRUE(shows("receipt.title"));
    EXPECT_TRUE(state_.all_fields_zeroed());
    EXPECT_EQ(events(), 0);

    // A new survey starts with no answer of the one left.
    frame("receipt.survey");
    frame("survey.consent.yes");
    for (int i = 0; i < 5; ++i) frame("survey.skip");
    const std::vector<json> recorded = surveys();
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0], json::parse(R"({"tracking": "DHK1-261128-A7-0042",
        "service": "birth_registration", "currency": "BDT", "language": "en"})"));
}

TEST_F(ExitSurveyTest, NoToTheConsentRecordsNothingAndReturnsToTheReceipt) {
    frame("receipt.survey");
    frame("survey.consent.no");
    EXPECT_TRUE(shows("receipt.title"));
    EXPECT_EQ(events(), 0);
}

TEST_F(ExitSurveyTest, EachQuestionHasAPictogramItReadsAloudAndASkipButton) {
    frame("receipt.survey");
    EXPECT_FALSE(label("survey.consent.question").empty());
    frame("survey.consent.yes");
    const std::vector<std::pair<std::string, std::string>> questions = {
        {"survey.visits.question", "survey.visits.2"},
        {"survey.minutes.question", "survey.minutes.60"},
        {"survey.cost.question", "survey.cost.nothing"},
        {"survey.extra.question", "survey.extra.yes"},
        {"survey.extra_amount.question", "survey.skip"},
        {"survey.rating.question", "survey.rating.3"},
    };
    for (const auto& [question, answer] : questions) {
        const Node* tile = state_.node(question);
        ASSERT_TRUE(tile) << question;
        EXPECT_EQ(tile->role, Role::Tile) << question;
        EXPECT_THAT(icon::all, Contains(std::string_view(tile->icon))) << question;
        EXPECT_TRUE(shows("survey.skip")) << question;
        const std::string asked = tile->label;
        state_.take_speech();
        frame(question);
        EXPECT_THAT(state_.take_speech(), Contains(HasSubstr(asked)))
            << "tapping the question reads it aloud: " << question;
        frame(answer);
    }
    EXPECT_TRUE(shows("survey.thanks.title"));
}

TEST_F(ExitSurveyTest, TheRatingIsFiveFacesEachWithItsWord) {
    frame("receipt.survey");
    frame("survey.consent.yes");
    for (int i = 0; i < 4; ++i) frame("survey.skip");
    const std::string faces[] = {"sentiment_very_dissatisfied", "sentiment_dissatisfied",
                                 "sentiment_neutral", "sentiment_satisfied",
                                 "sentiment_very_satisfied"};
    const std::string words[] = {"Very bad", "Bad", "Neither good nor bad", "Good", "Very good"};
    for (int i = 1; i <= 5; ++i) {
        const Node* face = state_.node("survey.rating." + std::to_string(i));
        ASSERT_TRUE(face);
        EXPECT_EQ(face->role, Role::Tile);
        EXPECT_EQ(face->icon, faces[i - 1]);
        EXPECT_EQ(face->label, words[i - 1]);
    }
}

// A plugin without the "survey" capability cannot send answers: the citizen is told, and
// nothing is written.
TEST_F(ExitSurveyTest, AnswersThatCannotBeStoredSaySoAndLoseNothingElse) {
    Manifest without = parse_manifest(R"({"id": "dc", "version": "1.0.0", "api": "1.7",
        "names": {"en": "DC"}, "capabilities": ["ui", "storage", "outbox"],
        "events": ["dc.request_confirmed"]})",
                                      "dc/manifest.json");
    PluginStore store{db_, without};
    ScreenView view{[&] { return std::make_unique<ReceiptPage>(store, delivered_); }};
    auto draw = [&](const std::string& id) {
        if (!id.empty()) state_.tap(id);
        for (int i = 0; i < 2; ++i) {
            state_.begin_frame();
            Recorder ui(state_);
            view.draw(ui);
        }
    };
    draw("");
    draw("receipt.survey");
    draw("survey.consent.yes");
    for (int i = 0; i < 4; ++i) draw("survey.skip");
    draw("survey.rating.5");
    EXPECT_TRUE(shows("survey.thanks.not_saved"));
    EXPECT_EQ(events(), 0);
}

}  // namespace
}  // namespace seba::ui
