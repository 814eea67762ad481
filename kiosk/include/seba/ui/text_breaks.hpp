// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/ui/export.hpp"

namespace seba::ui {

// Where UTF-8 text may be split: between user-perceived characters (extended grapheme
// clusters) and between words, as ICU's break iterators decide. All offsets are byte offsets
// into the UTF-8 text. Malformed bytes are read as U+FFFD, one cluster each.
//
// What ICU 72 as Debian 12 ships it counts as one cluster in Bangla (its own rules, not
// plain Unicode 15.0: conjuncts stay whole; text_breaks_test pins this down):
//   a consonant with its vowel signs and marks: কি, কো, কৌ (either spelling), চাঁ;
//   a hasanta conjunct with its vowel sign: ক্ষি, র্ম, স্কু, ষ্ট্র;
//   র‍্য written with a ZWJ.
// So "ক্ষিতি" is two clusters, ক্ষি and তি. Uzbek's ʻ (U+02BB) and Cyrillic letters such as
// ў and қ (precomposed or with a combining mark) are one cluster each.
//
// ICU reads a UTF-16 copy of the text that is zeroed before it is freed, so these are safe on
// the contents of a SecretText: no copy of the typed text is left behind in freed memory.

/// Every extended grapheme cluster boundary of `utf8`, ascending, 0 and utf8.size() included
/// ({0} for empty text).
SEBA_UI_API std::vector<std::size_t> grapheme_boundaries(std::string_view utf8);

/// The first cluster boundary after `at`; utf8.size() at or past the end.
SEBA_UI_API std::size_t next_grapheme(std::string_view utf8, std::size_t at);

/// The last cluster boundary before `at`; 0 at the start. `at` past the end counts as the end.
SEBA_UI_API std::size_t previous_grapheme(std::string_view utf8, std::size_t at);

/// One line of wrapped text: the bytes [begin, end) of the text, without the spaces where it
/// was broken and without the line feed that ended it.
struct Line {
    std::size_t begin = 0;
    std::size_t end = 0;
    friend bool operator==(const Line&, const Line&) = default;
};

/// Wraps text into lines no wider than `max_width` as `measure` (width of a piece of the text,
/// in any unit) reports them. Greedy: each line takes as many words as fit, breaking where
/// ICU's line break rules for `language` ("bn", "uz-Latn", "uz-Cyrl", "ru", "en"; "" for the
/// root rules) allow, and only at cluster boundaries. Spaces at a break don't count toward the
/// line's width and start no line. A line feed (or another mandatory break: CR, CRLF, U+2028)
/// always ends a line; a final one starts no empty line. A word wider than `max_width` alone
/// is split between clusters, at least one cluster per line, never inside one.
/// Returns at least one line; a line is empty only for empty text, consecutive line feeds, or
/// a paragraph of nothing but spaces.
SEBA_UI_API std::vector<Line> wrap_lines(std::string_view utf8, float max_width,
                                         const std::function<float(std::string_view)>& measure,
                                         std::string_view language);

/// The text itself when `measure` says it fits `max_width`; otherwise the longest prefix that
/// ends at a cluster boundary and, with trailing spaces trimmed and "…" (U+2026) appended,
/// fits; "…" alone when nothing (not even "…") fits. `measure` must not shrink as text grows.
/// Apart from the result, leaves no copy of the text behind.
SEBA_UI_API std::string elide(std::string_view utf8, float max_width,
                              const std::function<float(std::string_view)>& measure);

}  // namespace seba::ui
