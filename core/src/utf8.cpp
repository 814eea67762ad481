// SPDX-License-Identifier: Apache-2.0
#include "seba/utf8.hpp"

#include <algorithm>

namespace seba::utf8 {

namespace {

unsigned char byte_at(std::string_view text, std::size_t at) {
    return static_cast<unsigned char>(text[at]);
}

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0) == 0x80;
}

// The one reading of a sequence, after Unicode's Table 3-7 of well-formed byte sequences:
// the lead byte gives the length and narrows the range of the second byte (which is where
// overlong forms, surrogates and code points above U+10FFFF show).
std::optional<CodePoint> read(std::string_view text, std::size_t at) {
    if (at >= text.size()) return std::nullopt;
    const unsigned char lead = byte_at(text, at);
    if (lead < 0x80) return CodePoint{lead, 1};
    std::size_t length = 0;
    unsigned char low = 0x80;  // the range allowed for the second byte
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
        return std::nullopt;  // a continuation byte, C0, C1 or F5..FF
    }
    if (text.size() - at < length) return std::nullopt;
    const unsigned char second = byte_at(text, at + 1);
    if (second < low || second > high) return std::nullopt;
    char32_t code = lead & (0x7Fu >> length);
    code = (code << 6) | (second & 0x3Fu);
    for (std::size_t k = 2; k < length; ++k) {
        const unsigned char next = byte_at(text, at + k);
        if (!is_continuation(next)) return std::nullopt;
        code = (code << 6) | (next & 0x3Fu);
    }
    return CodePoint{code, length};
}

// Where the code point that holds byte `at` (< text.size()) starts. A continuation byte is
// inside a code point only when the nearest byte before it that is not one starts a
// well-formed sequence reaching over it; otherwise it is a malformed byte of its own.
std::size_t start_of(std::string_view text, std::size_t at) {
    if (!is_continuation(byte_at(text, at))) return at;
    for (std::size_t back = 1; back <= 3 && back <= at; ++back) {
        const std::size_t lead = at - back;
        if (is_continuation(byte_at(text, lead))) continue;
        const std::optional<CodePoint> code = read(text, lead);
        return code && lead + code->length > at ? lead : at;
    }
    return at;
}

std::size_t encoded_length(char32_t code) {
    if (!is_scalar_value(code)) code = kReplacement;
    return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

}  // namespace

// [SECTION] validating

std::size_t invalid_at(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        const std::optional<CodePoint> code = read(text, at);
        if (!code) return at;
        at += code->length;
    }
    return std::string_view::npos;
}

std::string replace_invalid(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        const std::size_t bad = invalid_at(text);
        out += text.substr(0, bad);
        if (bad == std::string_view::npos) break;
        append(out, kReplacement);
        text.remove_prefix(bad + 1);
    }
    return out;
}

// [SECTION] decoding

std::optional<CodePoint> decode_strict(std::string_view text, std::size_t at) {
    return read(text, at);
}

CodePoint decode(std::string_view text, std::size_t at) {
    return read(text, at).value_or(CodePoint{kReplacement, 1});
}

std::optional<std::u32string> to_utf32_strict(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());  // never reallocated: no copy of typed text is left behind
    for (std::size_t at = 0; at < text.size();) {
        const std::optional<CodePoint> code = read(text, at);
        if (!code) return std::nullopt;
        out.push_back(code->code);
        at += code->length;
    }
    return out;
}

std::u32string to_utf32(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const CodePoint code = decode(text, at);
        out.push_back(code.code);
        at += code.length;
    }
    return out;
}

std::size_t count(std::string_view text) {
    std::size_t code_points = 0;
    for (std::size_t at = 0; at < text.size(); at += decode(text, at).length) ++code_points;
    return code_points;
}

// [SECTION] encoding

void append(std::string& out, char32_t code) {
    if (!is_scalar_value(code)) code = kReplacement;
    auto put = [&out](char32_t bits) { out.push_back(static_cast<char>(bits)); };
    if (code < 0x80) {
        put(code);
    } else if (code < 0x800) {
        put(0xC0 | (code >> 6));
        put(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        put(0xE0 | (code >> 12));
        put(0x80 | ((code >> 6) & 0x3F));
        put(0x80 | (code & 0x3F));
    } else {
        put(0xF0 | (code >> 18));
        put(0x80 | ((code >> 12) & 0x3F));
        put(0x80 | ((code >> 6) & 0x3F));
        put(0x80 | (code & 0x3F));
    }
}

std::string encode(char32_t code) {
    std::string out;
    append(out, code);
    return out;
}

std::string from_utf32(std::u32string_view text) {
    std::size_t size = 0;
    for (const char32_t code : text) size += encoded_length(code);
    std::string out;
    out.reserve(size);  // exact: typed text is not copied by a reallocation
    for (const char32_t code : text) append(out, code);
    return out;
}

// [SECTION] boundaries

bool is_boundary(std::string_view text, std::size_t at) {
    return at >= text.size() || start_of(text, at) == at;
}

std::size_t floor_boundary(std::string_view text, std::size_t at) {
    return at >= text.size() ? text.size() : start_of(text, at);
}

std::size_t next_boundary(std::string_view text, std::size_t at) {
    if (at >= text.size()) return text.size();
    const std::size_t start = start_of(text, at);
    return start + decode(text, start).length;
}

std::size_t previous_boundary(std::string_view text, std::size_t at) {
    at = std::min(at, text.size());
    return at == 0 ? 0 : start_of(text, at - 1);
}

std::string_view truncated(std::string_view text, std::size_t max_bytes) {
    return text.substr(0, floor_boundary(text, max_bytes));
}

std::string_view first_code_points(std::string_view text, std::size_t max_code_points) {
    std::size_t at = 0;
    for (std::size_t n = 0; n < max_code_points && at < text.size(); ++n)
        at += decode(text, at).length;
    return text.substr(0, at);
}

std::string excerpt(std::string_view text, std::size_t max_bytes, std::string_view ellipsis) {
    if (text.size() <= max_bytes) return std::string(text);
    std::string out(truncated(text, max_bytes));
    out += ellipsis;
    return out;
}

}  // namespace seba::utf8
