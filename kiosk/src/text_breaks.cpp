// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/text_breaks.hpp"

#include <sodium.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <algorithm>
#include <map>
#include <memory>

#include "seba/error.hpp"
#include "seba/utf8.hpp"

namespace seba::ui {

namespace {

constexpr std::string_view kEllipsis = "\u2026";

// A UTF-16 copy of UTF-8 text for ICU, which reads it in place (utext_openUChars copies
// nothing, unlike the UTF-8 UText, whose chunk buffers are freed unzeroed). The copy is zeroed
// on destruction, so typed text can pass through here.
class IcuText {
  public:
    explicit IcuText(std::string_view text) {
        // One unit per byte at most: reserved once, so no reallocation leaves a copy behind.
        units_.reserve(text.size());
        offsets_.reserve(text.size() + 1);
        for (std::size_t i = 0; i < text.size();) {
            auto [code, length] = utf8::decode(text, i);
            if (code > 0xFFFF) {
                units_.push_back(static_cast<UChar>(0xD7C0 + (code >> 10)));
                units_.push_back(static_cast<UChar>(0xDC00 | (code & 0x3FF)));
                offsets_.push_back(i);
                offsets_.push_back(i);
            } else {
                units_.push_back(static_cast<UChar>(code));
                offsets_.push_back(i);
            }
            i += length;
        }
        offsets_.push_back(text.size());
        UErrorCode status = U_ZERO_ERROR;
        utext_openUChars(&text_, units_.data(), static_cast<int64_t>(units_.size()), &status);
        check(status, "open the text");
    }
    ~IcuText() {
        utext_close(&text_);
        sodium_memzero(units_.data(), units_.size() * sizeof(UChar));
    }
    IcuText(const IcuText&) = delete;
    IcuText& operator=(const IcuText&) = delete;

    UText* text() { return &text_; }
    /// The byte offset of a UTF-16 index ICU returned.
    std::size_t byte_at(int32_t index) const { return offsets_[static_cast<std::size_t>(index)]; }

    static void check(UErrorCode status, std::string_view what) {
        if (U_FAILURE(status)) {
            throw Error("ICU could not " + std::string(what) + " (" + u_errorName(status) +
                        "); reinstall the Debian package libicu72");
        }
    }

  private:
    std::vector<UChar> units_;
    std::vector<std::size_t> offsets_;  // byte offset of each unit, then of the end
    UText text_ = UTEXT_INITIALIZER;
};

// Creating an iterator loads its rules (several microseconds): one per kind and language per
// thread, reused. Only positions stay in it between calls, never text.
icu::BreakIterator& iterator(bool line, std::string_view language) {
    thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>, std::less<>> cache;
    const std::string key = (line ? "line:" : "char:") + std::string(language);
    auto it = cache.find(key);
    if (it != cache.end()) return *it->second;
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale = icu::Locale::forLanguageTag(std::string(language), status);
    if (U_FAILURE(status) || language.empty()) locale = icu::Locale::getRoot();
    status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(
        line ? icu::BreakIterator::createLineInstance(locale, status)
             : icu::BreakIterator::createCharacterInstance(locale, status));
    IcuText::check(status, line ? "create a line break iterator" : "create a character iterator");
    return *cache.emplace(key, std::move(created)).first->second;
}

struct Opportunity {
    std::size_t at;
    bool hard;  // a mandatory break: the line ends here whatever its width
};

// ICU's line break opportunities after 0, up to and including the end.
std::vector<Opportunity> line_breaks(std::string_view utf8, std::string_view language) {
    IcuText text(utf8);
    icu::BreakIterator& breaks = iterator(true, language);
    UErrorCode status = U_ZERO_ERROR;
    breaks.setText(text.text(), status);
    IcuText::check(status, "read the text");
    std::vector<Opportunity> out;
    for (int32_t p = breaks.next(); p != icu::BreakIterator::DONE; p = breaks.next())
        out.push_back({text.byte_at(p), breaks.getRuleStatus() >= UBRK_LINE_HARD});
    return out;
}

bool contains(const std::vector<std::size_t>& sorted, std::size_t value) {
    return std::binary_search(sorted.begin(), sorted.end(), value);
}

// The end of [begin, end) without its trailing spaces, stopping where trimming would cut a
// cluster (a space after a prepended mark).
std::size_t trim_spaces(std::string_view text, std::size_t begin, std::size_t end,
                        const std::vector<std::size_t>& clusters) {
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t') &&
           contains(clusters, end - 1))
        --end;
    return end;
}

// The end of [begin, end) without the line terminator a mandatory break follows.
std::size_t trim_terminator(std::string_view text, std::size_t begin, std::size_t end) {
    std::string_view line = text.substr(begin, end - begin);
    for (std::string_view terminator :
         {"\r\n", "\n", "\r", "\v", "\f", "\u0085", "\u2028", "\u2029"}) {
        if (line.ends_with(terminator)) return end - terminator.size();
    }
    return end;
}

// Greedy wrapping of one paragraph [begin, end) (no mandatory break inside) at `breaks`.
void wrap_paragraph(std::string_view text, std::size_t begin, std::size_t end,
                    const std::vector<std::size_t>& breaks,
                    const std::vector<std::size_t>& clusters, float max_width,
                    const std::function<float(std::string_view)>& measure,
                    std::vector<Line>& lines) {
    auto fits = [&](std::size_t from, std::size_t to) {
        return measure(text.substr(from, to - from)) <= max_width;
    };
    const std::size_t first_line = lines.size();
    while (true) {
        // Extend the line break by break while it fits.
        std::size_t fit_end = begin;     // end of the longest line that fits, spaces trimmed
        std::size_t fit_next = begin;    // where the line after it starts
        std::size_t overflow_end = end;  // the content end that did not fit
        bool overflow = false;
        for (auto b = std::upper_bound(breaks.begin(), breaks.end(), begin);
             b != breaks.end() && *b <= end; ++b) {
            std::size_t content_end = trim_spaces(text, begin, *b, clusters);
            if (content_end == begin) continue;  // nothing but spaces so far
            if (fits(begin, content_end)) {
                fit_end = content_end;
                fit_next = *b;
                continue;
            }
            overflow = true;
            overflow_end = content_end;
            break;
        }
        if (!overflow) {
            // The rest fits. Spaces alone after a broken line are not a line of their own.
            if (fit_end > begin || lines.size() == first_line) lines.push_back({begin, fit_end});
            return;
        }
        if (fit_end > begin) {
            lines.push_back({begin, fit_end});
            begin = fit_next;
            continue;
        }
        // One word wider than the line: as many clusters as fit, at least one.
        auto c = std::upper_bound(clusters.begin(), clusters.end(), begin);
        std::size_t cut = *c;
        for (++c; c != clusters.end() && *c <= overflow_end && fits(begin, *c); ++c) cut = *c;
        lines.push_back({begin, cut});
        begin = cut;
    }
}

}  // namespace

std::vector<std::size_t> grapheme_boundaries(std::string_view utf8) {
    IcuText text(utf8);
    icu::BreakIterator& clusters = iterator(false, {});
    UErrorCode status = U_ZERO_ERROR;
    clusters.setText(text.text(), status);
    IcuText::check(status, "read the text");
    std::vector<std::size_t> out;
    for (int32_t p = clusters.first(); p != icu::BreakIterator::DONE; p = clusters.next())
        out.push_back(text.byte_at(p));
    return out;
}

std::size_t next_grapheme(std::string_view utf8, std::size_t at) {
    if (at >= utf8.size()) return utf8.size();
    std::vector<std::size_t> bounds = grapheme_boundaries(utf8);
    return *std::upper_bound(bounds.begin(), bounds.end(), at);
}

std::size_t previous_grapheme(std::string_view utf8, std::size_t at) {
    at = std::min(at, utf8.size());
    if (at == 0) return 0;
    std::vector<std::size_t> bounds = grapheme_boundaries(utf8);
    return *std::prev(std::lower_bound(bounds.begin(), bounds.end(), at));
}

std::vector<Line> wrap_lines(std::string_view utf8, float max_width,
                             const std::function<float(std::string_view)>& measure,
                             std::string_view language) {
    std::vector<Line> lines;
    if (utf8.empty()) {
        lines.push_back({0, 0});
        return lines;
    }
    const std::vector<std::size_t> clusters = grapheme_boundaries(utf8);
    // A break ICU allows inside a cluster (after a space that a combining mark follows) is
    // no break at all.
    std::vector<std::size_t> soft;
    std::size_t paragraph = 0;
    for (const Opportunity& o : line_breaks(utf8, language)) {
        if (!contains(clusters, o.at)) continue;
        if (!o.hard) {
            soft.push_back(o.at);
            continue;
        }
        std::size_t end =
            trim_spaces(utf8, paragraph, trim_terminator(utf8, paragraph, o.at), clusters);
        while (!soft.empty() && soft.back() >= end) soft.pop_back();
        soft.push_back(end);
        wrap_paragraph(utf8, paragraph, end, soft, clusters, max_width, measure, lines);
        soft.clear();
        paragraph = o.at;
    }
    // Text after the last line feed (ICU ends the text with a soft break).
    if (paragraph < utf8.size()) {
        std::size_t end = trim_spaces(utf8, paragraph, utf8.size(), clusters);
        while (!soft.empty() && soft.back() >= end) soft.pop_back();
        soft.push_back(end);
        wrap_paragraph(utf8, paragraph, end, soft, clusters, max_width, measure, lines);
    }
    return lines;
}

std::string elide(std::string_view utf8, float max_width,
                  const std::function<float(std::string_view)>& measure) {
    if (measure(utf8) <= max_width) return std::string(utf8);
    const std::vector<std::size_t> clusters = grapheme_boundaries(utf8);
    // One buffer for every candidate, never reallocated, zeroed when done.
    std::string candidate;
    candidate.reserve(utf8.size() + kEllipsis.size());
    auto fits = [&](std::size_t prefix_end) {
        candidate.assign(utf8.substr(0, trim_spaces(utf8, 0, prefix_end, clusters)));
        candidate.append(kEllipsis);
        return measure(candidate) <= max_width;
    };
    // The longest fitting prefix, by bisection over the cluster boundaries before the end.
    std::size_t low = 0;                     // clusters[low] fits (or is 0)
    std::size_t high = clusters.size() - 1;  // clusters[high] (the whole text) does not
    while (high - low > 1) {
        std::size_t mid = low + (high - low) / 2;
        (fits(clusters[mid]) ? low : high) = mid;
    }
    std::string result;
    result.reserve(candidate.capacity());
    result.assign(utf8.substr(0, trim_spaces(utf8, 0, clusters[low], clusters)));
    result.append(kEllipsis);
    candidate.resize(candidate.capacity());  // within capacity: no reallocation
    sodium_memzero(candidate.data(), candidate.size());
    return result;
}

}  // namespace seba::ui
