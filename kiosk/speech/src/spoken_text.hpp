// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a voice is handed: the kiosk's text made readable for espeak-ng.

#include <cstddef>
#include <string>
#include <string_view>

namespace seba::speech::detail {

/// `text` when it has at most `max_bytes` bytes; else its longest prefix of whole words within
/// them (without the space after the last), or a prefix cut at a character boundary when the
/// first word alone is longer.
std::string_view cut_at_word(std::string_view text, std::size_t max_bytes);

/// `text` as the voice of `language` (a kiosk language with a voice) should read it:
///  - cut to kMaxSpokenBytes at a word boundary;
///  - digits of other scripts (Bangla ০-৯...) as ASCII digits, which every voice reads as
///    numbers in its own language (the bn voice reads "১২৩" and "123" alike);
///  - uz-Cyrl in Uzbek Latin (ICU's uz_Cyrl-uz_Latn): espeak-ng's uz voice spells Ё letter by
///    letter and reads ш as s and ю as dʒ;
///  - Uzbek's tutuq belgisi ʼ (U+02BC, as in Maʼlumotlar) as an apostrophe: the uz voice
///    spells out a whole word that holds U+02BC.
/// Throws seba::Error when `text` is not UTF-8.
std::string spoken_text(std::string_view text, std::string_view language);

}  // namespace seba::speech::detail
