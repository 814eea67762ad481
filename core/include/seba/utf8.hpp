// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string_view>

namespace seba {

/// Offset of the first byte that is not well-formed UTF-8 (overlong forms, UTF-16 surrogates
/// and code points above U+10FFFF included), or npos when all of `text` is.
inline std::size_t invalid_utf8_at(std::string_view text) {
    const std::size_t size = text.size();
    std::size_t i = 0;
    auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    while (i < size) {
        const unsigned char lead = byte(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80;  // the range allowed for the first continuation byte
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) low = 0xA0;   // overlong
            if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) low = 0x90;   // overlong
            if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
        } else {
            return i;
        }
        if (i + length > size) return i;
        if (byte(i + 1) < low || byte(i + 1) > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
        i += length;
    }
    return std::string_view::npos;
}

inline bool is_valid_utf8(std::string_view text) {
    return invalid_utf8_at(text) == std::string_view::npos;
}

/// One code point read from `text` at byte `at` (< text.size()).
struct CodePointAt {
    char32_t code;
    std::size_t length;  ///< bytes it took
};

/// The well-formed code point at `at`, or U+FFFD taking one byte when the bytes there are
/// malformed (as HarfBuzz and ICU read them).
inline CodePointAt code_point_at(std::string_view text, std::size_t at) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return {lead, 1};
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (at + length > text.size() || !is_valid_utf8(text.substr(at, length))) return {0xFFFD, 1};
    char32_t code = lead & (0x7Fu >> length);
    for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (byte(at + k) & 0x3Fu);
    return {code, length};
}

}  // namespace seba
