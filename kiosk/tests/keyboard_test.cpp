// SPDX-License-Identifier: Apache-2.0
// The on-screen keyboards as a citizen meets them: the letters of their language in the order
// of the keyboard they know, capitals on Shift, and one of each control key.
#include "seba/ui/keyboard.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "seba/error.hpp"

namespace seba::ui {

// Failures show what the key says, not its bytes.
void PrintTo(const Key& key, std::ostream* os) {
    *os << '[' << key.label;
    if (!key.shifted.empty()) *os << '/' << key.shifted;
    *os << ']';
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::SizeIs;

const std::vector<std::string> kLetterLanguages = {"bn", "uz-Latn", "uz-Cyrl", "ru", "en"};

std::vector<std::string> texts(const std::vector<Key>& row) {
    std::vector<std::string> out;
    for (const Key& key : row) {
        if (key.action == Key::Action::Insert) out.push_back(key.text);
    }
    return out;
}

std::vector<std::string> all_texts(const KeyboardLayout& layout) {
    std::vector<std::string> out;
    for (const auto& row : layout.rows) {
        for (const Key& key : row) {
            if (key.action != Key::Action::Insert) continue;
            out.push_back(key.text);
            if (!key.shifted.empty()) out.push_back(key.shifted);
        }
    }
    return out;
}

const Key* find_key(const KeyboardLayout& layout, const std::string& text) {
    for (const auto& row : layout.rows) {
        for (const Key& key : row) {
            if (key.action == Key::Action::Insert && key.text == text) return &key;
        }
    }
    return nullptr;
}

// Index of the row holding these keys side by side, or -1.
int row_with_run(const KeyboardLayout& layout, const std::vector<std::string>& run) {
    for (std::size_t i = 0; i < layout.rows.size(); ++i) {
        std::vector<std::string> row = texts(layout.rows[i]);
        if (std::search(row.begin(), row.end(), run.begin(), run.end()) != row.end()) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

long count_action(const KeyboardLayout& layout, Key::Action action) {
    long n = 0;
    for (const auto& row : layout.rows) {
        n +=
            std::count_if(row.begin(), row.end(), [&](const Key& k) { return k.action == action; });
    }
    return n;
}

TEST(KeyboardTest, EnglishIsQwertyWithCapitalsOnShift) {
    KeyboardLayout en = keyboard_for_language("en");
    EXPECT_EQ(en.name, "en");
    EXPECT_EQ(en.xkb_name, "us");
    int top = row_with_run(en, {"q", "w", "e", "r", "t", "y"});
    ASSERT_GE(top, 0);
    EXPECT_EQ(row_with_run(en, {"a", "s", "d", "f"}), top + 1);
    ASSERT_NE(find_key(en, "q"), nullptr);
    EXPECT_EQ(find_key(en, "q")->shifted, "Q");
    EXPECT_EQ(find_key(en, "q")->label, "q");
    EXPECT_EQ(find_key(en, "1")->shifted, "!");
    EXPECT_EQ(find_key(en, "`"), nullptr) << "the key left of 1 has no letter on a US keyboard";
}

TEST(KeyboardTest, RussianIsJcukenWithCapitalsOnShift) {
    KeyboardLayout ru = keyboard_for_language("ru");
    EXPECT_EQ(ru.xkb_name, "ru");
    int top = row_with_run(ru, {"й", "ц", "у", "к", "е", "н"});
    ASSERT_GE(top, 0);
    EXPECT_EQ(row_with_run(ru, {"ф", "ы", "в", "а"}), top + 1);
    ASSERT_NE(find_key(ru, "й"), nullptr);
    EXPECT_EQ(find_key(ru, "й")->shifted, "Й");
    // ё sits left of 1 on a Russian keyboard; it is a letter, so it is on the touch keyboard.
    ASSERT_NE(find_key(ru, "ё"), nullptr);
    EXPECT_EQ(find_key(ru, "ё")->shifted, "Ё");
}

TEST(KeyboardTest, UzbekCyrillicHasTheUzbekLetters) {
    KeyboardLayout uz = keyboard_for_language("uz-Cyrl");
    EXPECT_EQ(uz.xkb_name, "uz(cyrillic)");
    EXPECT_THAT(all_texts(uz), IsSupersetOf({"ў", "қ", "ғ", "ҳ", "Ў", "Қ", "Ғ", "Ҳ"}));
    EXPECT_EQ(find_key(uz, "щ"), nullptr) << "ў takes щ's place on the Uzbek keyboard";
}

TEST(KeyboardTest, UzbekLatinCanSpellOAndGWithTheLetterMarkExactlyOnce) {
    KeyboardLayout uz = keyboard_for_language("uz-Latn");
    EXPECT_EQ(uz.xkb_name, "uz(latin)");
    std::vector<std::string> all = all_texts(uz);
    EXPECT_EQ(std::count(all.begin(), all.end(), "\u02BB"), 1) << "ʻ (U+02BB), as in oʻ and gʻ";
    EXPECT_THAT(all, IsSupersetOf({"o", "g", "O", "G"}));
    // On the home row, where Uzbek typists reach for it.
    EXPECT_EQ(row_with_run(uz, {"\u02BB"}), row_with_run(uz, {"l"}));
}

TEST(KeyboardTest, BanglaProbhatHasBanglaLettersSignsAndDigits) {
    KeyboardLayout bn = keyboard_for_language("bn");
    EXPECT_EQ(bn.name, "bn");
    EXPECT_EQ(bn.xkb_name, "bd(probhat)");
    EXPECT_THAT(all_texts(bn), IsSupersetOf({"ক", "খ", "অ", "আ", "া", "ি", "্", "।", "৳"}));
    ASSERT_NE(find_key(bn, "ক"), nullptr);
    EXPECT_EQ(find_key(bn, "ক")->shifted, "খ");
    EXPECT_EQ(find_key(bn, "া")->shifted, "অ");
    EXPECT_THAT(texts(bn.rows.front()),
                IsSupersetOf({"০", "১", "২", "৩", "৪", "৫", "৬", "৭", "৮", "৯"}));
    // probhat puts an invisible zero-width joiner left of 1; a blank key would puzzle people.
    EXPECT_THAT(all_texts(bn), Not(::testing::Contains("\u200D")));
}

TEST(KeyboardTest, EveryLetterKeyboardHasOneOfEachControlKeyInItsPlace) {
    for (const std::string& language : kLetterLanguages) {
        SCOPED_TRACE(language);
        KeyboardLayout kb = keyboard_for_language(language);
        EXPECT_EQ(kb.name, language);
        EXPECT_EQ(count_action(kb, Key::Action::Backspace), 1);
        EXPECT_EQ(count_action(kb, Key::Action::Shift), 1);
        EXPECT_EQ(count_action(kb, Key::Action::Space), 1);
        EXPECT_EQ(count_action(kb, Key::Action::Enter), 1);
        EXPECT_EQ(count_action(kb, Key::Action::NextLayout), 1);
        ASSERT_THAT(kb.rows, SizeIs(5)) << "number row, three letter rows, bottom row";
        EXPECT_EQ(kb.rows.front().back().action, Key::Action::Backspace);
        EXPECT_EQ(kb.rows.front().back().label, "⌫");
        EXPECT_EQ(kb.rows[3].front().action, Key::Action::Shift);
        std::vector<Key::Action> bottom;
        for (const Key& key : kb.rows.back()) bottom.push_back(key.action);
        EXPECT_THAT(bottom, ElementsAre(Key::Action::NextLayout, Key::Action::Space,
                                        Key::Action::Left, Key::Action::Right, Key::Action::Enter));
    }
}

TEST(KeyboardTest, EveryLetterKeyboardHasCursorKeysBesideSpaceAndThePadsHaveNone) {
    for (const std::string& language : kLetterLanguages) {
        SCOPED_TRACE(language);
        KeyboardLayout kb = keyboard_for_language(language);
        EXPECT_EQ(count_action(kb, Key::Action::Left), 1);
        EXPECT_EQ(count_action(kb, Key::Action::Right), 1);
        const std::vector<Key>& bottom = kb.rows.back();
        auto space = std::find_if(bottom.begin(), bottom.end(),
                                  [](const Key& k) { return k.action == Key::Action::Space; });
        ASSERT_NE(space, bottom.end());
        ASSERT_LT(space + 2, bottom.end());
        EXPECT_EQ(space[1].label, "◀");
        EXPECT_EQ(space[2].label, "▶");
        EXPECT_TRUE(space[1].text.empty() && space[2].text.empty()) << "they type nothing";
    }
    for (const KeyboardLayout& pad : {digit_pad(), phone_pad()}) {
        EXPECT_EQ(count_action(pad, Key::Action::Left), 0) << pad.name;
        EXPECT_EQ(count_action(pad, Key::Action::Right), 0) << pad.name;
    }
}

TEST(KeyboardTest, EveryKeyShowsSomethingAndInsertKeysInsertSomething) {
    for (const std::string& language : kLetterLanguages) {
        SCOPED_TRACE(language);
        for (const auto& row : keyboard_for_language(language).rows) {
            for (const Key& key : row) {
                EXPECT_FALSE(key.label.empty());
                if (key.action == Key::Action::Insert) {
                    EXPECT_FALSE(key.text.empty()) << key.label;
                    EXPECT_EQ(key.label, key.text);
                    EXPECT_NE(key.shifted, key.text) << "Shift must change what a key types";
                }
            }
        }
    }
}

TEST(KeyboardTest, UnknownLanguageNamesTheKnownOnes) {
    try {
        keyboard_for_language("xx");
        FAIL() << "expected seba::Error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "no on-screen keyboard for language \"xx\" "
                     "(known: bn, uz-Latn, uz-Cyrl, ru, en)");
    }
    EXPECT_THROW(keyboard_for_language(""), Error);
    EXPECT_THROW(keyboard_for_language("EN"), Error);
}

TEST(KeyboardTest, ConcurrentCallersGetTheSameKeyboard) {
    std::vector<std::vector<std::string>> seen(4);
    std::vector<std::thread> threads;
    for (auto& out : seen) {
        threads.emplace_back([&out] { out = all_texts(keyboard_for_language("uz-Cyrl")); });
    }
    for (auto& t : threads) t.join();
    for (const auto& out : seen) EXPECT_EQ(out, seen.front());
    EXPECT_EQ(all_texts(keyboard_for_language("uz-Cyrl")), seen.front());
}

TEST(KeyboardTest, DigitPadHasEachDigitOnceAndNoLetters) {
    KeyboardLayout pad = digit_pad();
    EXPECT_EQ(pad.name, "digits");
    EXPECT_TRUE(pad.xkb_name.empty());
    std::vector<std::string> all = all_texts(pad);
    for (char d = '0'; d <= '9'; ++d) {
        EXPECT_EQ(std::count(all.begin(), all.end(), std::string(1, d)), 1) << d;
    }
    EXPECT_THAT(all, SizeIs(10));
    ASSERT_THAT(pad.rows, SizeIs(4));
    EXPECT_THAT(texts(pad.rows[0]), ElementsAre("1", "2", "3"));
    EXPECT_EQ(pad.rows[3][0].action, Key::Action::Backspace);
    EXPECT_EQ(pad.rows[3][1].text, "0");
    EXPECT_EQ(pad.rows[3][2].action, Key::Action::Enter);
}

TEST(KeyboardTest, PhonePadAddsPlusForInternationalNumbers) {
    KeyboardLayout pad = phone_pad();
    EXPECT_EQ(pad.name, "phone");
    std::vector<std::string> all = all_texts(pad);
    EXPECT_EQ(std::count(all.begin(), all.end(), "+"), 1);
    for (char d = '0'; d <= '9'; ++d) {
        EXPECT_EQ(std::count(all.begin(), all.end(), std::string(1, d)), 1) << d;
    }
    ASSERT_THAT(pad.rows, SizeIs(5));
    EXPECT_EQ(pad.rows[3][0].text, "+");
    EXPECT_EQ(pad.rows[3][1].text, "0");
    EXPECT_EQ(pad.rows[3][2].action, Key::Action::Backspace);
    EXPECT_EQ(count_action(pad, Key::Action::Enter), 1);
    EXPECT_EQ(count_action(pad, Key::Action::Backspace), 1);
}

// Runs in a fresh process (threadsafe style re-executes the binary), so no layout is cached yet
// and libxkbcommon looks only where the environment points: at nothing.
TEST(KeyboardDeathTest, MissingXkbDataNamesThePackageToInstall) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            setenv("XKB_CONFIG_ROOT", "/nonexistent/seba-xkb", 1);
            setenv("XKB_CONFIG_EXTRA_PATH", "/nonexistent/seba-xkb", 1);
            setenv("HOME", "/nonexistent/seba-home", 1);
            try {
                keyboard_for_language("bn");
            } catch (const Error& e) {
                std::fprintf(stderr, "%s\n", e.what());
                std::exit(0);
            }
            std::exit(1);
        },
        ::testing::ExitedWithCode(0),
        HasSubstr("cannot read the xkb keyboard layout bd(probhat) from /usr/share/X11/xkb; "
                  "install the Debian package xkb-data"));
}

}  // namespace
}  // namespace seba::ui

namespace seba::ui {
namespace {

TEST(KeyLabel, MarksSitOnADottedCircleLettersStandAlone) {
    EXPECT_EQ(key_label("ি"), "◌ি");
    EXPECT_EQ(key_label("্"), "◌্");
    EXPECT_EQ(key_label("ক"), "ক");
    EXPECT_EQ(key_label("ʻ"), "ʻ");
    EXPECT_EQ(key_label("q"), "q");
}

TEST(KeyLabel, MalformedBytesAreNoMark) {
    // CC 01 is not U+0301 (a combining acute), however a lax decoder reads it.
    EXPECT_EQ(key_label("\xCC\x01"), "\xCC\x01");
}

}  // namespace
}  // namespace seba::ui
