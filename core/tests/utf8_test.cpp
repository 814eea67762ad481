// SPDX-License-Identifier: Apache-2.0
// The one UTF-8 module: strict and lenient decoding of well-formed and malformed bytes,
// encoding every code point, and cuts that never split a character, so a message cut to 80
// bytes or a cursor moved by one never shows half a Bangla letter.
#include "seba/utf8.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace seba::utf8 {
namespace {

using ::testing::ElementsAreArray;

constexpr std::string_view kBangla = "জন্ম নিবন্ধন";         // birth registration
constexpr std::string_view kCyrillic = "Ўзбекча Русский";  // Uzbek, Russian
constexpr std::string_view kMixed = "Oʻzbek রহিম Ж 😀!";

// Where lenient decoding from the start puts each code point, and the end.
std::vector<std::size_t> decoded_starts(std::string_view text) {
    std::vector<std::size_t> starts;
    for (std::size_t at = 0; at < text.size(); at += decode(text, at).length) starts.push_back(at);
    starts.push_back(text.size());
    return starts;
}

std::vector<std::size_t> boundaries(std::string_view text) {
    std::vector<std::size_t> out;
    for (std::size_t at = 0; at <= text.size(); ++at)
        if (is_boundary(text, at)) out.push_back(at);
    return out;
}

// [SECTION] well-formed input

TEST(Utf8, DecodesEachLengthAndTheEdgesOfEveryRange) {
    struct Case {
        std::string_view bytes;
        char32_t code;
    };
    const Case cases[] = {
        {"A", U'A'},
        {"\x7F", 0x7F},
        {"\xC2\x80", 0x80},
        {"Ж", 0x416},
        {"\xDF\xBF", 0x7FF},
        {"\xE0\xA0\x80", 0x800},
        {"জ", 0x99C},
        {"\xED\x9F\xBF", 0xD7FF},  // just below the surrogates
        {"\xEE\x80\x80", 0xE000},  // just above them
        {"\xEF\xBF\xBD", 0xFFFD},
        {"\xEF\xBF\xBF", 0xFFFF},
        {"\xF0\x90\x80\x80", 0x10000},
        {"😀", 0x1F600},
        {"\xF4\x8F\xBF\xBF", 0x10FFFF},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(static_cast<unsigned>(c.code));
        EXPECT_TRUE(is_valid(c.bytes));
        const std::optional<CodePoint> strict = decode_strict(c.bytes, 0);
        ASSERT_TRUE(strict.has_value());
        EXPECT_EQ(strict->code, c.code);
        EXPECT_EQ(strict->length, c.bytes.size());
        EXPECT_EQ(decode(c.bytes, 0).code, c.code);
        EXPECT_EQ(encode(c.code), c.bytes);
    }
}

TEST(Utf8, ReadsBanglaAndCyrillicTextWhole) {
    EXPECT_TRUE(is_valid(kBangla));
    EXPECT_EQ(count(kBangla), 12u) << "জ ন ্ ম, a space, ন ি ব ন ্ ধ ন";
    EXPECT_EQ(to_utf32(kBangla), U"জন্ম নিবন্ধন");
    EXPECT_EQ(to_utf32_strict(kCyrillic), U"Ўзбекча Русский");
    EXPECT_EQ(count(kCyrillic), 15u);
    EXPECT_EQ(from_utf32(U"জন্ম নিবন্ধন"), kBangla);
    EXPECT_EQ(count(""), 0u);
    EXPECT_EQ(to_utf32_strict(""), U"");
    EXPECT_EQ(replace_invalid(kMixed), kMixed);
}

// [SECTION] malformed input

TEST(Utf8, MalformedSequencesAreRefusedStrictlyAndReadAsOneReplacementPerByte) {
    struct Case {
        std::string_view why;
        std::string_view bytes;
    };
    const Case cases[] = {
        {"a stray continuation byte", "\x80"},
        {"another", "\xBF"},
        {"overlong U+0000", "\xC0\x80"},
        {"overlong 2-byte form of U+007F", "\xC1\xBF"},
        {"overlong 3-byte form of U+0000", "\xE0\x80\x80"},
        {"overlong 3-byte form of U+07FF", "\xE0\x9F\xBF"},
        {"overlong 4-byte form of U+FFFF", "\xF0\x8F\xBF\xBF"},
        {"the surrogate U+D800", "\xED\xA0\x80"},
        {"the surrogate U+DFFF", "\xED\xBF\xBF"},
        {"U+110000", "\xF4\x90\x80\x80"},
        {"a lead byte above F4", "\xF5\x80\x80\x80"},
        {"FF", "\xFF"},
        {"জ cut after two bytes", "\xE0\xA6"},
        {"😀 cut after three bytes", "\xF0\x9F\x98"},
        {"Ж cut after its lead", "\xD0"},
        {"জ with an ASCII letter for its last byte",
         "\xE0\xA6"
         "A"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.why);
        const std::string text = "ab" + std::string(c.bytes) + "জ";
        EXPECT_FALSE(is_valid(text));
        EXPECT_EQ(invalid_at(text), 2u);
        EXPECT_FALSE(decode_strict(text, 2).has_value());
        EXPECT_FALSE(to_utf32_strict(text).has_value());
        const CodePoint lenient = decode(text, 2);
        EXPECT_EQ(lenient.code, kReplacement);
        EXPECT_EQ(lenient.length, 1u);

        // Leniently every byte of the malformed sequence is one U+FFFD (an ASCII byte after a
        // cut sequence is itself again), and what follows is read as it is.
        std::u32string expected = U"ab";
        for (char b : c.bytes)
            expected += static_cast<unsigned char>(b) < 0x80 ? static_cast<char32_t>(b) : U'\uFFFD';
        expected += U"জ";
        EXPECT_EQ(to_utf32(text), expected);
        EXPECT_EQ(count(text), expected.size());
        EXPECT_EQ(replace_invalid(text), from_utf32(expected));
        EXPECT_TRUE(is_valid(replace_invalid(text)));
    }
}

TEST(Utf8, DecodingPastTheEndReadsNothing) {
    EXPECT_FALSE(decode_strict("ab", 2).has_value());
    EXPECT_FALSE(decode_strict("", 0).has_value());
}

// [SECTION] encoding

TEST(Utf8, EveryScalarValueRoundTripsAndNothingElseIsWritten) {
    std::u32string all;
    all.reserve(0x110000);
    for (char32_t code = 0; code <= 0x10FFFF; ++code) {
        if (!is_scalar_value(code)) continue;
        const std::string bytes = encode(code);
        const std::size_t expected_length = code < 0x80      ? 1
                                            : code < 0x800   ? 2
                                            : code < 0x10000 ? 3
                                                             : 4;
        ASSERT_EQ(bytes.size(), expected_length) << std::hex << static_cast<unsigned>(code);
        const std::optional<CodePoint> back = decode_strict(bytes, 0);
        ASSERT_TRUE(back && back->code == code && back->length == bytes.size())
            << std::hex << static_cast<unsigned>(code);
        all.push_back(code);
    }
    EXPECT_EQ(all.size(), 0x110000u - 0x800u) << "every code point but the 2048 surrogates";
    const std::string text = from_utf32(all);
    EXPECT_TRUE(is_valid(text));
    EXPECT_EQ(count(text), all.size());
    EXPECT_EQ(to_utf32_strict(text), all);
}

TEST(Utf8, SurrogatesAndCodesAboveTheRangeAreWrittenAsReplacementCharacters) {
    for (const char32_t code : {char32_t{0xD800}, char32_t{0xDBFF}, char32_t{0xDC00},
                                char32_t{0xDFFF}, char32_t{0x110000}, char32_t{0xFFFFFFFF}}) {
        EXPECT_EQ(encode(code), "\uFFFD") << std::hex << static_cast<unsigned>(code);
    }
    std::string out = "a";
    append(out, 0xD83D);  // half of a UTF-16 pair, as a broken input method may send it
    append(out, U'ম');
    EXPECT_EQ(out, "a\uFFFDম");
    EXPECT_EQ(from_utf32(std::u32string{U'জ', 0x110000, U'ন'}), "জ\uFFFDন");
}

// Every sequence of one to three bytes, and four-byte ones with every lead and second byte:
// the strict decoder accepts exactly the encodings of scalar values.
TEST(Utf8, TheOnlyWellFormedSequencesAreTheEncodingsOfScalarValues) {
    std::size_t accepted = 0;
    auto check = [&](const std::string& bytes) {
        const std::optional<CodePoint> code = decode_strict(bytes, 0);
        if (!code || code->length != bytes.size()) return;
        ++accepted;
        ASSERT_TRUE(is_scalar_value(code->code));
        ASSERT_EQ(encode(code->code), bytes);
    };
    std::string bytes;
    for (int a = 0; a < 256; ++a) {
        check(bytes = {static_cast<char>(a)});
        for (int b = 0; b < 256; ++b) {
            check(bytes = {static_cast<char>(a), static_cast<char>(b)});
            for (int c = 0; c < 256; ++c)
                check(bytes = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
            for (const int c : {0x00, 0x41, 0x80, 0xBF, 0xC0})
                for (const int d : {0x00, 0x80, 0x9F, 0xBF, 0xC0})
                    check(bytes = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                                   static_cast<char>(d)});
        }
    }
    // 128 + 1,920 + 61,440 (U+0800..U+FFFF less the surrogates) + the 4-byte ones: each lead's
    // second bytes (F0: 48, F1-F3: 64 each, F4: 16) x 2 third bytes (80, BF) x 3 fourth bytes
    // (80, 9F, BF).
    EXPECT_EQ(accepted, 128u + 1920u + 61440u + (48u + 3u * 64u + 16u) * 6u);
}

// [SECTION] cutting at boundaries

TEST(Utf8, CuttingBanglaAndCyrillicAtEveryByteLengthNeverSplitsACharacter) {
    for (const std::string_view text : {kBangla, kCyrillic, kMixed}) {
        for (std::size_t max = 0; max <= text.size() + 2; ++max) {
            SCOPED_TRACE(std::string(text) + " cut to " + std::to_string(max));
            const std::string_view cut = truncated(text, max);
            EXPECT_LE(cut.size(), max);
            EXPECT_TRUE(text.starts_with(cut));
            EXPECT_TRUE(is_valid(cut)) << "half a character left at the end";
            EXPECT_EQ(to_utf32(cut), to_utf32(text).substr(0, count(cut)));
            if (cut.size() < text.size()) {
                EXPECT_GT(cut.size() + decode(text, cut.size()).length, max)
                    << "the next whole character would have fitted";
            }

            const std::string shown = excerpt(text, max, "…");
            EXPECT_TRUE(is_valid(shown));
            EXPECT_EQ(shown, max >= text.size() ? std::string(text) : std::string(cut) + "…");
        }
    }
}

TEST(Utf8, CutsAtEightyBytesForAMessage) {
    std::string long_name;
    while (long_name.size() < 200) long_name += "নিবন্ধন";  // three bytes a code point
    const std::string_view cut = truncated(long_name, 80);
    EXPECT_EQ(cut.size(), 78u) << "26 three-byte letters; the 27th would end at byte 81";
    EXPECT_EQ(excerpt(long_name, 80, "..."), std::string(cut) + "...");
    EXPECT_EQ(excerpt("short", 80, "..."), "short");
}

TEST(Utf8, BoundariesStepOverWholeCodePointsBothWays) {
    for (const std::string_view text : {kBangla, kCyrillic, kMixed}) {
        SCOPED_TRACE(text);
        const std::vector<std::size_t> starts = decoded_starts(text);
        EXPECT_THAT(boundaries(text), ElementsAreArray(starts));

        std::vector<std::size_t> forward = {0};
        for (std::size_t at = 0; at < text.size();) forward.push_back(at = next_boundary(text, at));
        EXPECT_THAT(forward, ElementsAreArray(starts));

        std::vector<std::size_t> backward = {text.size()};
        for (std::size_t at = text.size(); at > 0;)
            backward.insert(backward.begin(), at = previous_boundary(text, at));
        EXPECT_THAT(backward, ElementsAreArray(starts));

        for (std::size_t at = 0; at <= text.size(); ++at) {
            const std::size_t floor = floor_boundary(text, at);
            EXPECT_TRUE(is_boundary(text, floor));
            EXPECT_LE(floor, at);
            EXPECT_GT(next_boundary(text, floor), std::min(at, text.size() - 1));
        }
    }
    EXPECT_EQ(next_boundary("জ", 1), 3u) << "from inside a character, past its end";
    EXPECT_EQ(previous_boundary("জ", 2), 0u);
    EXPECT_EQ(next_boundary("জ", 99), 3u);
    EXPECT_EQ(previous_boundary("জ", 99), 0u);
    EXPECT_EQ(previous_boundary("জ", 0), 0u);
    EXPECT_EQ(floor_boundary("জ", 99), 3u);
}

// Malformed text: each malformed byte is a code point of its own, for the cursor as for the
// decoder, so a cursor never gets stuck and never lands inside a well-formed character.
TEST(Utf8, BoundariesInMalformedTextAgreeWithLenientDecoding) {
    const std::string_view samples[] = {
        "a\x80"
        "b",
        "\xBF\xBF\xBF\xBF\xBF",
        "জ\x9C\x9C",             // a well-formed character, then stray continuation bytes
        "\xE0\xA6\xE0\xA6\x9C",  // a cut character, then a whole one
        "\xF0\x9F\x98"
        "A",
        "\xED\xA0\x80\xF4\x90\x80\x80",
        "\xC0\x80Ж",
    };
    for (const std::string_view text : samples) {
        SCOPED_TRACE(::testing::PrintToString(std::string(text)));
        const std::vector<std::size_t> starts = decoded_starts(text);
        EXPECT_THAT(boundaries(text), ElementsAreArray(starts));
        for (std::size_t at = 0; at < text.size(); ++at) {
            EXPECT_GT(next_boundary(text, at), at);
            EXPECT_TRUE(is_boundary(text, next_boundary(text, at)));
            EXPECT_TRUE(is_boundary(text, previous_boundary(text, at + 1)));
        }
    }
    EXPECT_EQ(truncated("জ\x9C\x9C", 4), "জ\x9C");
    EXPECT_EQ(truncated("\xE0\xA6\xE0\xA6\x9C", 4), "\xE0\xA6") << "not into the whole জ";
}

// Random bytes, mostly from the ranges UTF-8 is made of: the boundaries are always where the
// lenient decoder steps, and a cut never ends inside a well-formed character.
TEST(Utf8, RandomBytesKeepBoundariesCountsAndCutsConsistent) {
    std::mt19937 random(20261215);
    const unsigned char alphabet[] = {0x41, 0x80, 0x8F, 0x90, 0x9C, 0xA0, 0xA6, 0xBF, 0xC0, 0xC2,
                                      0xD0, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    std::uniform_int_distribution<std::size_t> pick(0, std::size(alphabet) - 1);
    std::uniform_int_distribution<std::size_t> length(0, 12);
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        for (std::size_t n = length(random); n > 0; --n)
            text.push_back(static_cast<char>(alphabet[pick(random)]));
        const std::vector<std::size_t> starts = decoded_starts(text);
        ASSERT_THAT(boundaries(text), ElementsAreArray(starts)) << ::testing::PrintToString(text);
        ASSERT_EQ(count(text), starts.size() - 1);
        ASSERT_EQ(to_utf32(text).size(), starts.size() - 1);
        ASSERT_EQ(first_code_points(text, 2).size(),
                  starts[std::min<std::size_t>(2, starts.size() - 1)]);
        ASSERT_TRUE(is_valid(replace_invalid(text)));
        for (std::size_t max = 0; max <= text.size(); ++max) {
            const std::size_t cut = truncated(text, max).size();
            ASSERT_TRUE(std::find(starts.begin(), starts.end(), cut) != starts.end());
            ASSERT_TRUE(cut == text.size() || cut + decode(text, cut).length > max);
        }
    }
}

TEST(Utf8, FirstCodePointsTakesWholeCharacters) {
    EXPECT_EQ(first_code_points("রহিম", 2), "রহ");
    EXPECT_EQ(first_code_points("রহিম", 4), "রহিম");
    EXPECT_EQ(first_code_points("রহিম", 99), "রহিম");
    EXPECT_EQ(first_code_points("রহিম", 0), "");
    EXPECT_EQ(first_code_points("Ж😀a", 2), "Ж😀");
}

}  // namespace
}  // namespace seba::utf8
