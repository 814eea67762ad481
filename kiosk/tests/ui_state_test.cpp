// The kit's own state: typed text lives in zeroing buffers, digits fields take Bangla digits
// as digits, and a wipe leaves no byte behind.
#include "seba/ui/ui_state.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "seba/ui/recorder.hpp"

namespace seba::ui {
namespace {

TEST(SecretText, AppendPopAndWipeZeroEveryByte) {
    SecretText text;
    text.append("রহিম");
    EXPECT_EQ(text.view(), "রহিম");
    EXPECT_EQ(text.chars(), 4u);
    text.pop_back();
    EXPECT_EQ(text.view(), "রহি");
    text.wipe();
    EXPECT_TRUE(text.empty());
    for (char c : text.buffer()) ASSERT_EQ(c, '\0');
}

TEST(SecretText, GrowingPastItsBufferKeepsTheTextAndZeroesTheOldBuffer) {
    SecretText text;
    std::string long_text(300, 'x');
    text.append(long_text);
    EXPECT_EQ(text.view(), long_text);
    EXPECT_GE(text.buffer().size(), 300u);
}

TEST(UiState, DigitFieldsTakeBanglaDigitsAsDigitsAndDropLetters) {
    UiState state;
    FieldSpec number;
    number.kind = FieldKind::Number;
    state.focus("nid", number);
    state.insert("১৯৮৭");
    state.insert("a-");
    state.insert("65");
    EXPECT_EQ(state.field("nid").view(), "198765");

    FieldSpec phone;
    phone.kind = FieldKind::Phone;
    state.focus("phone", phone);
    state.insert("+");
    state.insert("৮৮০১৭");
    state.insert("+");  // only a leading plus
    EXPECT_EQ(state.field("phone").view(), "+88017");
}

TEST(UiState, MaxCharsCountsCodePointsNotBytes) {
    UiState state;
    FieldSpec name;
    name.max_chars = 3;
    state.focus("name", name);
    state.insert("ক");
    state.insert("খগঘ");
    EXPECT_EQ(state.field("name").view(), "কখগ");
}

TEST(UiState, TypingWithoutFocusGoesNowhere) {
    UiState state;
    EXPECT_FALSE(state.insert("x"));
    EXPECT_FALSE(state.backspace());
}

TEST(UiState, WipeZeroesFieldsAndTheRecordedTree) {
    UiState state;
    state.focus("name", FieldSpec{});
    state.insert("Karimova");
    {
        Recorder ui(state);
        ui.field("name", "Name", FieldSpec{});
    }
    ASSERT_EQ(state.node("name")->value, "Karimova");
    const char* buffer = state.field("name").buffer().data();
    std::size_t size = state.field("name").buffer().size();
    state.field("name").wipe();  // keep the buffer alive to look at it
    for (std::size_t i = 0; i < size; ++i) ASSERT_EQ(buffer[i], '\0');
    state.wipe();
    EXPECT_TRUE(state.tree().empty());
    EXPECT_TRUE(state.focused().empty());
    EXPECT_EQ(state.find_field("name"), nullptr);
}

TEST(Recorder, TapReachesOnlyTheWidgetWithThatIdAndOnlyWhenEnabled) {
    UiState state;
    state.tap("b");
    {
        Recorder ui(state);
        EXPECT_FALSE(ui.button("a", "A"));
        EXPECT_FALSE(ui.button("b", "B", /*enabled=*/false));
    }
    EXPECT_EQ(state.pending_tap(), "b") << "a disabled button does not take the tap";
    state.begin_frame();
    {
        Recorder ui(state);
        EXPECT_TRUE(ui.button("b", "B"));
    }
    EXPECT_TRUE(state.pending_tap().empty());
}

TEST(Recorder, TreeRecordsRolesLabelsValuesAndNesting) {
    UiState state;
    Recorder ui(state);
    ui.heading("t", "Title");
    ui.begin_tiles("grid");
    ui.tile("x", "Birth registration", "Tk 50");
    ui.end_tiles();
    ui.qr("qr", "SEBA-2026-000123");
    ASSERT_EQ(state.tree().size(), 4u);
    EXPECT_EQ(state.tree()[2].role, Role::Tile);
    EXPECT_EQ(state.tree()[2].depth, 1);
    EXPECT_EQ(state.tree()[2].value, "Tk 50");
    EXPECT_EQ(state.tree_json()[3]["value"], "SEBA-2026-000123");
}

TEST(Recorder, RecoverClosesWhatAThrowingDrawLeftOpen) {
    UiState state;
    Recorder ui(state);
    ui.begin_tiles("grid");
    ui.begin_row("row");
    ui.recover();
    ui.paragraph("after", "after");
    EXPECT_EQ(state.node("after")->depth, 0);
}

}  // namespace
}  // namespace seba::ui
