// SPDX-License-Identifier: Apache-2.0
#include "spoken_text.hpp"

#include <fmt/format.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "seba/error.hpp"
#include "seba/speech/speech.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/utf8.hpp"

namespace seba::speech::detail {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// ICU's transliterators are created once (it takes milliseconds) and used one call at a time.
class CyrillicUzbek {
  public:
    std::string to_latin(std::string_view text) {
        std::lock_guard lock(mutex_);
        if (!transliterator_) {
            UErrorCode status = U_ZERO_ERROR;
            transliterator_.reset(
                icu::Transliterator::createInstance("uz_Cyrl-uz_Latn", UTRANS_FORWARD, status));
            if (U_FAILURE(status) || !transliterator_)
                throw Error(fmt::format(
                    "ICU has no uz_Cyrl-uz_Latn transliterator ({}), so Uzbek in Cyrillic "
                    "cannot be read aloud; install libicu72 (Debian 12's ICU) or newer",
                    u_errorName(status)));
        }
        icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
            icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
        transliterator_->transliterate(unicode);
        std::string latin;
        unicode.toUTF8String(latin);
        return latin;
    }

  private:
    std::mutex mutex_;
    std::unique_ptr<icu::Transliterator> transliterator_;
};

CyrillicUzbek& cyrillic_uzbek() {
    static CyrillicUzbek instance;
    return instance;
}

// The uz voice reads ' (and ʻ, ’) as a glottal stop but spells a word with U+02BC (ʼ) or
// U+02B9 (ʹ) letter by letter.
std::string with_plain_apostrophes(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const utf8::CodePoint c = utf8::decode(text, at);
        if (c.code == U'\u02BC' || c.code == U'\u02B9') {
            out.push_back('\'');
        } else {
            out.append(text.substr(at, c.length));
        }
        at += c.length;
    }
    return out;
}

}  // namespace

std::string_view cut_at_word(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::string_view head = utf8::truncated(text, max_bytes);
    std::size_t end = head.size();
    if (!is_space(text[end])) {  // the cut falls inside a word: leave the word out
        while (end > 0 && !is_space(head[end - 1])) --end;
        // One word longer than the bound: cut it, at a character boundary.
        if (end == 0) return head;
    }
    while (end > 0 && is_space(head[end - 1])) --end;
    return head.substr(0, end);
}

std::string spoken_text(std::string_view text, std::string_view language) {
    if (const std::size_t bad = utf8::invalid_at(text); bad != std::string_view::npos)
        throw Error(fmt::format(
            "the text to speak in {} is not valid UTF-8 (byte {} of {}); speech reads UTF-8 "
            "only: convert the text, or fix the catalog that gave it",
            language, bad, text.size()));
    std::string spoken = ui::ascii_digits(cut_at_word(text, kMaxSpokenBytes));
    if (language == "uz-Cyrl") spoken = cyrillic_uzbek().to_latin(spoken);
    if (ui::language_voice(language) == "uz") spoken = with_plain_apostrophes(spoken);
    return spoken;
}

}  // namespace seba::speech::detail
