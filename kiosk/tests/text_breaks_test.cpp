// SPDX-License-Identifier: Apache-2.0
// Where the kiosk may split text, as a reader of Bangla, Uzbek and Russian would notice: a
// wrapped line or an elided label never tears a letter from its vowel sign or a conjunct
// apart, words wrap at spaces, and line feeds are kept. Widths come from a fake font, 10 px
// per code point, so every expected line can be worked out by hand.
#include "seba/ui/text_breaks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "seba/utf8.hpp"

namespace seba::ui {

void PrintTo(const Line& line, std::ostream* os) {
    *os << '[' << line.begin << ", " << line.end << ')';
}

namespace {

using ::testing::ElementsAre;

namespace fs = std::filesystem;

// 10 px per code point: a vowel sign or hasanta is as wide as a letter, spaces included.
float measure(std::string_view text) {
    return 10.0f * static_cast<float>(utf8::count(text));
}

std::vector<std::string> wrap(std::string_view text, float max_width,
                              std::string_view language = "en") {
    std::vector<std::string> out;
    for (const Line& line : wrap_lines(text, max_width, measure, language))
        out.emplace_back(text.substr(line.begin, line.end - line.begin));
    return out;
}

std::string cut(std::string_view text, float max_width) {
    return elide(text, max_width, measure);
}

// [SECTION] clusters

TEST(GraphemeBoundaries, ABanglaVowelSignOrChandrabinduStaysWithItsConsonant) {
    EXPECT_THAT(grapheme_boundaries("কি"), ElementsAre(0, 6));
    EXPECT_THAT(grapheme_boundaries("ক\u09CB"), ElementsAre(0, 6)) << "ো as one code point";
    EXPECT_THAT(grapheme_boundaries("ক\u09C7\u09BE"), ElementsAre(0, 9)) << "ো spelled ে + া";
    EXPECT_THAT(grapheme_boundaries("ক\u09CC"), ElementsAre(0, 6)) << "ৌ as one code point";
    EXPECT_THAT(grapheme_boundaries("ক\u09C7\u09D7"), ElementsAre(0, 9)) << "ৌ spelled ে + ৗ";
    EXPECT_THAT(grapheme_boundaries("চাঁদ"), ElementsAre(0, 9, 12));
}

// ICU 72's root rules keep a hasanta conjunct and the vowel sign after it in one cluster (so
// the cursor never lands between ক্ and ষ). A ZWJ (the র‍্য of র‍্যাব)
// joins too.
TEST(GraphemeBoundaries, IcuKeepsHasantaConjunctsInOneCluster) {
    EXPECT_THAT(grapheme_boundaries("ক্ষিতি"), ElementsAre(0, 12, 18)) << "ক্ষি | তি";
    EXPECT_THAT(grapheme_boundaries("কর্ম"), ElementsAre(0, 3, 12)) << "ক | র্ম";
    EXPECT_THAT(grapheme_boundaries("স্কুল"), ElementsAre(0, 12, 15)) << "স্কু | ল";
    EXPECT_THAT(grapheme_boundaries("রাষ্ট্র"), ElementsAre(0, 6, 21)) << "রা | ষ্ট্র";
    EXPECT_THAT(grapheme_boundaries("র\u200D্য"), ElementsAre(0, 12)) << "র‍্য with a ZWJ";
}

TEST(GraphemeBoundaries, UzbekLetterMarkAndCyrillicLettersAreOneClusterEach) {
    EXPECT_THAT(grapheme_boundaries("Oʻzbek"), ElementsAre(0, 1, 3, 4, 5, 6, 7));
    EXPECT_THAT(grapheme_boundaries("Ўзбек"), ElementsAre(0, 2, 4, 6, 8, 10));
    // ў typed as у + combining breve is still one letter.
    EXPECT_THAT(grapheme_boundaries("у\u0306з"), ElementsAre(0, 4, 6));
}

TEST(GraphemeBoundaries, EmptyAndMalformedTextHaveBoundariesToo) {
    EXPECT_THAT(grapheme_boundaries(""), ElementsAre(0));
    EXPECT_THAT(grapheme_boundaries("a\xFF"
                                    "b"),
                ElementsAre(0, 1, 2, 3))
        << "a stray byte is one cluster";
    EXPECT_THAT(grapheme_boundaries("\xE0\xA6"), ElementsAre(0, 1, 2)) << "a truncated ক";
}

TEST(GraphemeSteps, NextAndPreviousJumpWholeClustersAndStopAtTheEnds) {
    const std::string text = "ক্ষিতি";  // ক্ষি [0, 12), তি [12, 18)
    EXPECT_EQ(next_grapheme(text, 0), 12u);
    EXPECT_EQ(next_grapheme(text, 12), 18u);
    EXPECT_EQ(next_grapheme(text, 18), 18u) << "no step past the end";
    EXPECT_EQ(next_grapheme(text, 99), 18u);
    EXPECT_EQ(previous_grapheme(text, 18), 12u);
    EXPECT_EQ(previous_grapheme(text, 12), 0u);
    EXPECT_EQ(previous_grapheme(text, 0), 0u) << "no step before the start";
    EXPECT_EQ(previous_grapheme(text, 99), 12u) << "past the end counts as the end";
    // From inside a cluster (text changed under the cursor): to the cluster's own edges.
    EXPECT_EQ(next_grapheme(text, 4), 12u);
    EXPECT_EQ(previous_grapheme(text, 4), 0u);
    EXPECT_EQ(next_grapheme("Oʻzbek", 1), 3u) << "ʻ is one step";
    EXPECT_EQ(previous_grapheme("Қашқадарё", 18), 16u) << "ё is one step";
}

// [SECTION] wrapping

TEST(WrapLines, WordsWrapGreedilyAtSpacesThatTheNextLineDoesNotStartWith) {
    EXPECT_THAT(wrap("ab cd ef gh", 50), ElementsAre("ab cd", "ef gh"));
    EXPECT_THAT(wrap("Oʻzbekiston Respublikasi", 120, "uz-Latn"),
                ElementsAre("Oʻzbekiston", "Respublikasi"));
    EXPECT_THAT(wrap("আমার সোনার বাংলা", 100, "bn"), ElementsAre("আমার সোনার", "বাংলা"));
    EXPECT_THAT(wrap("Ўзбекистон Республикаси", 150, "uz-Cyrl"),
                ElementsAre("Ўзбекистон", "Республикаси"));
    EXPECT_THAT(wrap("fits on one line", 1000), ElementsAre("fits on one line"));
}

TEST(WrapLines, SpacesAtABreakNeitherCountNorStartTheNextLine) {
    // "abcd   " is 70 px, but only "abcd" (40 px) has to fit.
    EXPECT_THAT(wrap_lines("abcd   efgh", 40, measure, "en"), ElementsAre(Line{0, 4}, Line{7, 11}));
    EXPECT_THAT(wrap("abcd   ", 40), ElementsAre("abcd")) << "trailing spaces start no line";
}

TEST(WrapLines, LineFeedsAlwaysEndALine) {
    EXPECT_THAT(wrap("ab\ncd", 1000), ElementsAre("ab", "cd"));
    EXPECT_THAT(wrap("ab\n\ncd", 1000), ElementsAre("ab", "", "cd")) << "a blank line stays";
    EXPECT_THAT(wrap("ab  \ncd", 1000), ElementsAre("ab", "cd"));
    EXPECT_THAT(wrap("a\r\nb", 1000), ElementsAre("a", "b"));
    EXPECT_THAT(wrap("ab\n", 1000), ElementsAre("ab")) << "a final line feed adds no line";
    EXPECT_THAT(wrap_lines("", 100, measure, "bn"), ElementsAre(Line{0, 0}));
    EXPECT_THAT(wrap("ab cd\nef", 30), ElementsAre("ab", "cd", "ef"));
}

TEST(WrapLines, AWordWiderThanTheLineSplitsBetweenClustersOnly) {
    EXPECT_THAT(wrap("Қашқадарё", 40, "uz-Cyrl"), ElementsAre("Қашқ", "адар", "ё"));
    EXPECT_THAT(wrap("ab Қашқадарё", 40, "uz-Cyrl"), ElementsAre("ab", "Қашқ", "адар", "ё"));
    // ক্ষি is 40 px; split per code point, 30 px would give ক্ষ | িতি, a vowel sign alone.
    EXPECT_THAT(wrap("ক্ষিতি", 30, "bn"), ElementsAre("ক্ষি", "তি"))
        << "a cluster wider than the line goes whole on its own line";
    EXPECT_THAT(wrap("ক্ষিতি", 50, "bn"), ElementsAre("ক্ষি", "তি"));
    EXPECT_THAT(wrap("রাষ্ট্র", 50, "bn"), ElementsAre("রা", "ষ্ট্র"));
}

TEST(WrapLines, NoBreakWhereIcuLineRulesWouldCutACluster) {
    // ICU allows a line break after a space, even when a combining mark follows it and the
    // two are one cluster; the line must not start with a bare dieresis.
    const std::string text = "ab \u0308cd";
    for (const Line& line : wrap_lines(text, 30, measure, "en")) {
        EXPECT_NE(line.begin, 3u);
        EXPECT_NE(line.end, 3u);
    }
}

// Every Bangla union name of Bangladesh, wrapped at several widths: no line starts or ends
// inside a cluster, none is empty or too wide (unless it is one cluster), and the lines put
// back together with the spaces at the breaks give the name.
TEST(WrapLines, EveryBanglaUnionNameWrapsOnlyBetweenClusters) {
    const fs::path data = SEBA_DATA_DIR;
    std::ifstream csv(data / "bd-geocode/unions.csv");
    ASSERT_TRUE(csv) << data / "bd-geocode/unions.csv";
    std::size_t names = 0;
    std::size_t wrapped = 0;
    for (std::string row; std::getline(csv, row);) {
        // "id","upazilla_id","name","bn_name","url": the fourth quoted field.
        std::vector<std::string> fields;
        for (std::size_t at = row.find('"'); at != std::string::npos;) {
            std::size_t close = row.find('"', at + 1);
            fields.push_back(row.substr(at + 1, close - at - 1));
            at = row.find('"', close + 1);
        }
        ASSERT_GE(fields.size(), 4u) << row;
        const std::string& name = fields[3];
        if (name.empty() || name == "bn_name") continue;
        ++names;
        const std::vector<std::size_t> clusters = grapheme_boundaries(name);
        auto on_boundary = [&](std::size_t at) {
            return std::binary_search(clusters.begin(), clusters.end(), at);
        };
        for (float width : {10.0f, 30.0f, 50.0f, 70.0f, 100.0f}) {
            std::vector<Line> lines = wrap_lines(name, width, measure, "bn");
            ASSERT_FALSE(lines.empty()) << name;
            if (lines.size() > 1) ++wrapped;
            std::string joined;
            std::size_t previous_end = 0;
            for (const Line& line : lines) {
                std::string_view text =
                    std::string_view(name).substr(line.begin, line.end - line.begin);
                std::string_view gap =
                    std::string_view(name).substr(previous_end, line.begin - previous_end);
                ASSERT_TRUE(on_boundary(line.begin) && on_boundary(line.end))
                    << name << " at " << width << " px: " << text;
                ASSERT_LT(line.begin, line.end) << name << " at " << width << " px: empty line";
                ASSERT_EQ(gap.find_first_not_of(' '), std::string_view::npos)
                    << name << " at " << width << " px: \"" << gap << "\" left out";
                ASSERT_TRUE(measure(text) <= width || next_grapheme(name, line.begin) == line.end)
                    << name << " at " << width << " px: \"" << text << "\" is too wide";
                joined += gap;
                joined += text;
                previous_end = line.end;
            }
            ASSERT_EQ(joined + name.substr(previous_end), name) << width << " px";
        }
    }
    EXPECT_GT(names, 4000u) << "the list of unions was read";
    EXPECT_GT(wrapped, 4000u) << "and the names were really wrapped";
}

// [SECTION] eliding

TEST(Elide, TextThatFitsIsLeftAlone) {
    EXPECT_EQ(cut("ক্ষিতি", 60), "ক্ষিতি");
    EXPECT_EQ(cut("", 0), "");
}

TEST(Elide, LongTextEndsWithAnEllipsisAfterAWholeCluster) {
    EXPECT_EQ(cut("ক্ষিতি", 50), "ক্ষি…");
    // Per code point "ক্ষ…" would fit in 40 px, leaving the conjunct without its vowel sign.
    EXPECT_EQ(cut("ক্ষিতি", 40), "…");
    EXPECT_EQ(cut("কর্মচারী", 50), "কর্ম…");
    EXPECT_EQ(cut("Қашқадарё вилояти", 50), "Қашқ…");
    EXPECT_EQ(cut("Gʻijduvon tumani", 30), "Gʻ…");
}

TEST(Elide, SpacesBeforeTheEllipsisAreTrimmed) {
    EXPECT_EQ(cut("Oʻzbekiston Respublikasi", 130), "Oʻzbekiston…");
    EXPECT_EQ(cut("Oʻzbekiston Respublikasi", 140), "Oʻzbekiston R…");
}

TEST(Elide, WhenNothingFitsTheEllipsisAloneIsShown) {
    EXPECT_EQ(cut("Ўзбекистон", 10), "…");
    EXPECT_EQ(cut("Ўзбекистон", 5), "…");
}

}  // namespace
}  // namespace seba::ui
