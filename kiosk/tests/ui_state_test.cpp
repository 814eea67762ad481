// SPDX-License-Identifier: Apache-2.0
// The kit's own state: typed text lives in zeroing buffers, digits fields take Bangla digits
// as digits, and a wipe leaves no byte behind.
#include "seba/ui/ui_state.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "seba/ui/recorder.hpp"

namespace seba::ui {
namespace {

// An identifier shown back on a check-answers page: all but its last four hidden, its
// spaces and hyphens kept, counted in characters whatever their script.
TEST(Masked, HidesAllButTheLastFourCharactersInAnyScript) {
    EXPECT_EQ(masked("19902692613000012"), "•••••••••••••0012");
    EXPECT_EQ(masked("১৯৯০২৬৯২৬১৩০০০০১২"), "•••••••••••••০০১২");
    EXPECT_EQ(masked("AB 1234-5678"), "•• ••••-5678");
    EXPECT_EQ(masked("123"), "123") << "nothing to hide in what is shorter than the end kept";
    EXPECT_EQ(masked("1234567", 2), "•••••67");
    EXPECT_EQ(masked(""), "");
}

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

TEST(SecretText, InsertAndEraseShiftTheTextAndZeroTheFreedTail) {
    SecretText text;
    text.append("রহম");
    text.insert(6, "ি");  // after রহ
    EXPECT_EQ(text.view(), "রহিম");
    text.insert(0, "মো. ");
    text.insert(99, "!");  // past the end: at the end
    EXPECT_EQ(text.view(), "মো. রহিম!");
    const std::size_t before = text.view().size();
    text.erase(0, 8);  // "মো. "
    EXPECT_EQ(text.view(), "রহিম!");
    for (std::size_t i = text.view().size(); i < before; ++i)
        ASSERT_EQ(text.buffer()[i], '\0') << "byte " << i << " of the old tail";
    text.erase(12, 99);
    EXPECT_EQ(text.view(), "রহিম");
    text.erase(3, 3);
    EXPECT_EQ(text.view(), "রহিম") << "an empty range removes nothing";
    std::string long_text(300, 'x');
    text.insert(3, long_text);  // grows the buffer
    EXPECT_EQ(text.view(), "র" + long_text + "হিম");
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

FieldSpec text_field(std::size_t max_chars = 100) {
    FieldSpec spec;
    spec.max_chars = max_chars;
    return spec;
}

TEST(UiState, BackspaceAfterAVowelSignDeletesTheWholeLetter) {
    UiState state;
    state.focus("name", text_field());
    state.insert("ক");
    state.insert("ি");
    EXPECT_EQ(state.field("name").view(), "কি");
    EXPECT_TRUE(state.backspace());
    EXPECT_EQ(state.field("name").view(), "") << "কি is one cluster: ক goes with its ি";
    state.insert("ক্ষিতি");
    state.backspace();
    EXPECT_EQ(state.field("name").view(), "ক্ষি");
    state.backspace();
    EXPECT_EQ(state.field("name").view(), "") << "the conjunct with its vowel sign";
    EXPECT_EQ(state.cursor(), 0u);
}

TEST(UiState, TypingGoesInAtTheCursorAfterMovingLeft) {
    UiState state;
    state.focus("name", text_field());
    state.insert("ক্ষিতি");
    EXPECT_EQ(state.cursor(), 18u) << "at the end";
    EXPECT_TRUE(state.move_cursor(-1));
    EXPECT_EQ(state.cursor(), 12u) << "before তি, after ক্ষি";
    state.insert("র");
    EXPECT_EQ(state.field("name").view(), "ক্ষিরতি");
    EXPECT_EQ(state.cursor(), 15u) << "after what was typed";
    state.insert(" ");
    state.backspace();
    state.backspace();
    EXPECT_EQ(state.field("name").view(), "ক্ষিতি") << "Backspace deletes before the cursor";
    state.cursor_to_start();
    state.insert("অ");
    EXPECT_EQ(state.field("name").view(), "অক্ষিতি");
    state.cursor_to_end();
    state.insert("।");
    EXPECT_EQ(state.field("name").view(), "অক্ষিতি।");
}

TEST(UiState, CursorStopsAtTheEndsAndBackspaceAtTheStartDeletesNothing) {
    UiState state;
    state.focus("name", text_field());
    state.insert("কর্ম");
    EXPECT_FALSE(state.move_cursor(1)) << "Right at the end";
    EXPECT_EQ(state.cursor(), 12u);
    EXPECT_TRUE(state.move_cursor(-5)) << "moves as far as it can";
    EXPECT_EQ(state.cursor(), 0u);
    EXPECT_FALSE(state.move_cursor(-1)) << "Left at the start";
    EXPECT_EQ(state.cursor(), 0u);
    EXPECT_TRUE(state.backspace());
    EXPECT_EQ(state.field("name").view(), "কর্ম");
    EXPECT_TRUE(state.move_cursor(1));
    EXPECT_EQ(state.cursor(), 3u) << "ক";
    EXPECT_TRUE(state.move_cursor(1));
    EXPECT_EQ(state.cursor(), 12u) << "র্ম in one step";
    state.blur();
    EXPECT_FALSE(state.move_cursor(-1)) << "nothing focused";
    EXPECT_EQ(state.cursor(), 0u);
}

TEST(UiState, UzbekLetterMarkAndCyrillicLettersAreOneStepAndOneBackspace) {
    UiState state;
    state.focus("name", text_field());
    state.insert("Oʻzbek");
    state.cursor_to_start();
    state.move_cursor(2);
    EXPECT_EQ(state.cursor(), 3u) << "past O and the whole ʻ";
    state.backspace();
    EXPECT_EQ(state.field("name").view(), "Ozbek");

    state.focus("place", text_field());
    state.insert("Ўзбек");
    state.move_cursor(-4);
    EXPECT_EQ(state.cursor(), 2u);
    state.backspace();
    EXPECT_EQ(state.field("place").view(), "збек");
    state.cursor_to_end();
    state.insert("у\u0306");  // ў as у + combining breve
    state.backspace();
    EXPECT_EQ(state.field("place").view(), "збек") << "no breve left behind";
}

TEST(UiState, MaxCharsCountsCodePointsWithTheCursorMidText) {
    UiState state;
    state.focus("name", text_field(5));
    state.insert("abcd");
    state.move_cursor(-2);
    state.insert("xyz");
    EXPECT_EQ(state.field("name").view(), "abxcd");
    EXPECT_EQ(state.cursor(), 3u);
    state.backspace();
    state.insert("কখ");
    EXPECT_EQ(state.field("name").view(), "abকcd") << "one code point of room, 3 bytes";
    EXPECT_EQ(state.cursor(), 5u);
}

TEST(UiState, PinFieldsEditAtTheCursorToo) {
    UiState state;
    FieldSpec pin;
    pin.kind = FieldKind::Pin;
    pin.max_chars = 4;
    state.focus("pin", pin);
    state.insert("১২৩৪");
    state.move_cursor(-1);
    state.backspace();
    EXPECT_EQ(state.field("pin").view(), "124");
    state.insert("x9");
    EXPECT_EQ(state.field("pin").view(), "1294") << "letters dropped, the digit at the cursor";
}

TEST(UiState, ANewlyFocusedFieldStartsAtItsEndAndEachFrameKeepsTheCursor) {
    UiState state;
    state.focus("a", text_field());
    state.insert("one");
    state.focus("b", text_field());
    state.insert("two");
    state.focus("a", text_field());
    EXPECT_EQ(state.cursor(), 3u) << "back to a: at the end of its text";
    state.move_cursor(-3);
    {
        Recorder ui(state);  // a frame: the field refocuses itself to keep its spec current
        ui.field("a", "A", text_field());
    }
    state.insert("x");
    EXPECT_EQ(state.field("a").view(), "xone");
    state.field("a").wipe();  // the shell clears a wrong PIN without blurring
    EXPECT_EQ(state.cursor(), 0u);
    state.insert("y");
    EXPECT_EQ(state.field("a").view(), "y");
    state.move_cursor(-1);
    state.blur();
    state.focus("a", text_field());
    EXPECT_EQ(state.cursor(), 1u) << "blur forgets the cursor";
    state.move_cursor(-1);
    state.wipe();
    state.focus("a", text_field());
    EXPECT_EQ(state.cursor(), 0u);
}

TEST(UiState, EditsMidTextLeaveNoByteBehind) {
    UiState state;
    state.focus("name", text_field(500));
    state.insert("আবদুর রহিম ক্ষিতি");
    state.move_cursor(-3);
    state.insert("মোহাম্মদ ");
    for (int i = 0; i < 4; ++i) state.backspace();
    state.cursor_to_start();
    state.insert(std::string(250, 'x'));  // grows the buffer mid-text
    state.move_cursor(-100);
    for (int i = 0; i < 120; ++i) state.backspace();
    const SecretText& text = state.field("name");
    for (std::size_t i = text.view().size(); i < text.buffer().size(); ++i)
        ASSERT_EQ(text.buffer()[i], '\0') << "byte " << i << " past the text";
    EXPECT_FALSE(state.all_fields_zeroed());
    state.field("name").wipe();
    EXPECT_TRUE(state.all_fields_zeroed());
}

// Malformed bytes (from a broken input method, say) are one character each, as the grapheme
// breaks and the shaper read them: the cursor steps over them, and Backspace and max_chars
// treat them like any letter.
TEST(SecretText, AMalformedByteIsACharacterOfItsOwn) {
    SecretText text;
    text.append("জ\x9C");  // a stray continuation byte after জ
    EXPECT_EQ(text.chars(), 2u);
    text.pop_back();
    EXPECT_EQ(text.view(), "জ") << "only the stray byte goes";
}

TEST(UiState, TheCursorStepsOverAMalformedByteInsteadOfStickingBeforeIt) {
    UiState state;
    state.focus("name", text_field());
    state.insert(std::string("a\x80") + "b");  // a stray continuation byte between a and b
    state.cursor_to_start();
    EXPECT_TRUE(state.move_cursor(1));
    EXPECT_EQ(state.cursor(), 1u);
    EXPECT_TRUE(state.move_cursor(1));
    EXPECT_EQ(state.cursor(), 2u) << "past the stray byte";
    EXPECT_TRUE(state.backspace());
    EXPECT_EQ(state.field("name").view(), "ab");
    EXPECT_EQ(state.cursor(), 1u);
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
