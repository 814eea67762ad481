// SPDX-License-Identifier: Apache-2.0
// The way back from every screen of the Digital Centre (screens/screens.hpp maps them), in a
// whole kiosk: Back leaves a screen for the one the citizen came from, keeping what was
// typed below it and wiping what was typed on it; the idle timeout and Home end the
// session at any depth, and the next citizen starts at the kiosk's home with every field
// empty and the Digital Centre at its first screen.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "digital_centre_fixture.hpp"

namespace seba::kiosk {
namespace {

// The birth registration's form, as the demo catalog has it.
const std::vector<std::string> kFormFields = {
    "dc.f.birth_registration.child_name",    "dc.f.birth_registration.date_of_birth",
    "dc.f.birth_registration.father_name",   "dc.f.birth_registration.mother_name",
    "dc.f.birth_registration.applicant_nid", "dc.f.birth_registration.phone"};

// What a screen of the Digital Centre shows that no other does.
constexpr const char* kFirstScreen = "dc.cat.certificates";
constexpr const char* kCategory = "dc.category";
constexpr const char* kDetail = "dc.detail.title";
constexpr const char* kForm = "dc.form.title";
constexpr const char* kReview = "dc.review.title";
constexpr const char* kReceipt = "dc.receipt.qr";

class DigitalCentreNavigationTest : public DigitalCentreTest {
  protected:
    void SetUp() override {
        DigitalCentreTest::SetUp();
        start();
        publish_demo_services();
    }

    // The field's text as the kit keeps it ("" when it was never drawn).
    std::string typed(const std::string& id) const {
        const ui::SecretText* field = state().find_field(id);
        return field ? std::string(field->view()) : std::string();
    }

    // Every byte the field ever held is zero.
    bool zeroed(const std::string& id) const {
        const ui::SecretText* field = state().find_field(id);
        if (!field) return true;
        for (char c : field->buffer())
            if (c != '\0') return false;
        return true;
    }

    // A citizen at `depth` (from the kiosk's home): "category", "form" (every field
    // typed), "review" or "receipt". True when something typed is still in the kit.
    bool go_to(const std::string& depth) {
        if (depth == "category") {
            run(R"([{"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"}])");
            expect(kCategory);
            return false;
        }
        fill_birth_registration(kNidBangla);
        if (depth == "form") {
            expect(kForm);
            return true;
        }
        tap("dc.review");
        if (depth == "review") {
            expect(kReview);
            return true;
        }
        run(R"([{"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
        wait_for_printing();
        return false;  // confirmed: the form was wiped once the request was stored
    }

    // The session is over: the kiosk's home in its default language with nothing typed
    // left anywhere, and the Digital Centre opens at its first screen with an empty form.
    void expect_next_citizen_starts_afresh() {
        expect_screen("home");
        EXPECT_EQ(state().language, "bn") << "back to the default language";
        EXPECT_TRUE(state().all_fields_zeroed()) << "every byte typed is zeroed";
        tap("shell.home.digital_centre");
        expect(kFirstScreen);
        for (const char* deep : {kCategory, kDetail, kForm, kReview, kReceipt}) expect_absent(deep);
        run(R"([{"tap": "dc.cat.certificates"}, {"tap": "dc.svc.birth_registration"},
                {"tap": "dc.apply"}])");
        for (const std::string& id : kFormFields) {
            ASSERT_TRUE(node(id)) << id;
            EXPECT_EQ(node(id)->value, "") << id << ": the next citizen sees an empty field";
        }
        run(R"([{"tap": "shell.home"}, {"expect_screen": "home"}])");  // nothing typed
    }
};

// [SECTION] Back

TEST_F(DigitalCentreNavigationTest, BackFromTheReviewReturnsToTheFormWithEverythingTyped) {
    go_to("form");
    std::map<std::string, std::string> before;
    for (const std::string& id : kFormFields) before[id] = typed(id);
    ASSERT_EQ(before["dc.f.birth_registration.applicant_nid"], kNidAscii) << "typed in Bangla";
    // The shell's Back, and the review's own Change on a row.
    for (const char* back : {"shell.back", "dc.review.child_name.change"}) {
        SCOPED_TRACE(back);
        run(R"([{"tap": "dc.review"}, {"expect": "dc.review.title"}])");
        tap(back);
        expect(kForm);
        expect_absent(kReview);
        for (const std::string& id : kFormFields) {
            EXPECT_EQ(typed(id), before[id]) << id;
            EXPECT_EQ(node(id)->value, before[id]) << id << " as the citizen sees it";
        }
        expect("dc.review");
        EXPECT_TRUE(node("dc.review")->enabled) << "the form is still whole";
    }
}

TEST_F(DigitalCentreNavigationTest, ChangeOnACheckAnswersRowOpensTheFormOnThatField) {
    go_to("form");
    run(R"([{"tap": "dc.review"}, {"expect": "dc.review.title"},
            {"tap": "dc.review.mother_name.change"}])");
    expect(kForm);
    const ui::Node* field = node("dc.f.birth_registration.mother_name");
    ASSERT_TRUE(field);
    EXPECT_TRUE(field->focused) << "the keyboard is on the answer to change";
    EXPECT_FALSE(node("dc.f.birth_registration.child_name")->focused);
    EXPECT_EQ(typed("dc.f.birth_registration.mother_name"), "রাশেদা খাতুন") << "kept";
}

TEST_F(DigitalCentreNavigationTest, BackFromTheFormToTheServiceWipesWhatWasTyped) {
    go_to("form");
    ASSERT_FALSE(typed("dc.f.birth_registration.child_name").empty());
    tap("shell.back");
    expect(kDetail);
    expect_absent(kForm);
    EXPECT_EQ(label(kDetail), "জন্ম নিবন্ধন");
    for (const std::string& id : kFormFields) {
        EXPECT_TRUE(typed(id).empty()) << id;
        EXPECT_TRUE(zeroed(id)) << id << ": the typed bytes are zeroed, not just dropped";
    }
    EXPECT_FALSE(state().has_typed_text());
    tap("dc.apply");
    for (const std::string& id : kFormFields) EXPECT_EQ(node(id)->value, "") << id;
}

TEST_F(DigitalCentreNavigationTest, BackFromAServiceReturnsToItsCategoryOrToTheSearch) {
    // Found in its category: Back to the category, then to the first screen.
    run(R"([{"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
            {"tap": "dc.svc.birth_registration"}, {"expect": "dc.detail.title"},
            {"tap": "shell.back"}])");
    expect(kCategory);
    expect("dc.svc.birth_registration");
    expect_absent(kDetail);
    tap("shell.back");
    expect(kFirstScreen);
    expect_absent(kCategory);

    // Found by searching: Back to the search as it was left, then to the first screen.
    run(R"([{"tap": "dc.search"}, {"tap": "dc.search.query"}, {"type": "জন্ম"},
            {"tap": "dc.svc.birth_registration"}, {"expect": "dc.detail.title"},
            {"tap": "shell.back"}])");
    expect("dc.search.title");
    expect_absent(kDetail);
    EXPECT_EQ(node("dc.search.query")->value, "জন্ম") << "the search below kept its text";
    expect("dc.svc.birth_registration");
    tap("shell.back");
    expect(kFirstScreen);
    EXPECT_TRUE(typed("dc.search.query").empty()) << "the search left: its text is wiped";
    EXPECT_TRUE(zeroed("dc.search.query"));
}

TEST_F(DigitalCentreNavigationTest, BackFromAReceiptGoesToTheFirstScreenNotTheReview) {
    go_to("receipt");
    tap("shell.back");
    expect(kFirstScreen);
    for (const char* gone : {kReceipt, kReview, kForm, kDetail}) expect_absent(gone);
    tap("shell.back");
    expect_screen("home");
}

TEST_F(DigitalCentreNavigationTest, BackFromTheFirstScreenLeavesForTheKiosksHome) {
    run(R"([{"tap": "shell.home.digital_centre"}, {"expect": "dc.cat.certificates"},
            {"tap": "shell.back"}])");
    expect_screen("home");
    // The status lookup too: Back to the first screen, the number typed wiped with it.
    run(R"([{"tap": "shell.home.digital_centre"}, {"tap": "dc.status"},
            {"tap": "dc.status.tracking"}, {"type": "DHK1-261128-A7-0042"},
            {"tap": "dc.status.check"}, {"expect": "dc.status.result"}, {"tap": "shell.back"}])");
    expect(kFirstScreen);
    expect_absent("dc.status.title");
    EXPECT_TRUE(typed("dc.status.tracking").empty());
    EXPECT_TRUE(zeroed("dc.status.tracking"));
}

// [SECTION] the end of a session, at any depth

TEST_F(DigitalCentreNavigationTest, TheIdleTimeoutAtAnyDepthEndsTheSessionAndTheNextStartsAfresh) {
    for (const char* depth : {"category", "form", "review", "receipt"}) {
        SCOPED_TRACE(depth);
        go_to(depth);
        // Nobody touches the kiosk: "Are you still there?", then the session ends.
        wait_s(config().idle_timeout_s + 1);
        expect("shell.idle.countdown");
        wait_s(15);
        expect_next_citizen_starts_afresh();
    }
}

TEST_F(DigitalCentreNavigationTest, HomeAtAnyDepthEndsTheSessionAndTheNextStartsAfresh) {
    for (const char* depth : {"category", "form", "review", "receipt"}) {
        SCOPED_TRACE(depth);
        const bool typed_something = go_to(depth);
        tap("shell.home");
        if (typed_something) {
            // What was typed would be lost: the kiosk asks first.
            expect("shell.finish.title");
            tap("shell.finish.yes");
        } else {
            expect_absent("shell.finish.title");
        }
        expect_next_citizen_starts_afresh();
    }
}

}  // namespace
}  // namespace seba::kiosk
