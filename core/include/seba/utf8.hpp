// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "seba/export.hpp"

/// UTF-8, read and written in one place: decoding, encoding, validating, counting, and cutting
/// text at code point boundaries. Well-formed is Unicode's definition (Table 3-7): no overlong
/// forms, no UTF-16 surrogates, nothing above U+10FFFF.
///
/// Where malformed bytes are read leniently, each byte of a malformed sequence is one U+FFFD of
/// its own (as HarfBuzz reads them). Decoding, counting and the boundaries all follow that one
/// reading, so a cursor, a count and the shaper's clusters agree on any input; on well-formed
/// text every reading is simply the text's.
namespace seba::utf8 {

inline constexpr char32_t kReplacement = U'\uFFFD';

/// One code point read from a text.
struct CodePoint {
    char32_t code;
    std::size_t length;  ///< bytes it took, 1 to 4
};

// [SECTION] validating

/// Offset of the first byte that is not well-formed UTF-8, or npos when all of `text` is.
SEBA_API std::size_t invalid_at(std::string_view text);

inline bool is_valid(std::string_view text) {
    return invalid_at(text) == std::string_view::npos;
}

/// `text` with every malformed byte replaced by U+FFFD, for messages that quote input.
SEBA_API std::string replace_invalid(std::string_view text);

// [SECTION] decoding

/// The well-formed code point at byte `at` (< text.size()), or nullopt when the bytes there
/// are malformed (a stray continuation byte, an overlong form, a surrogate, a code point above
/// U+10FFFF, or a sequence cut short).
SEBA_API std::optional<CodePoint> decode_strict(std::string_view text, std::size_t at);

/// The code point at byte `at` (< text.size()), or U+FFFD taking one byte when the bytes
/// there are malformed.
SEBA_API CodePoint decode(std::string_view text, std::size_t at);

/// Every code point of `text`, or nullopt when any byte is malformed.
SEBA_API std::optional<std::u32string> to_utf32_strict(std::string_view text);

/// Every code point of `text`, malformed bytes read as U+FFFD each.
SEBA_API std::u32string to_utf32(std::string_view text);

/// How many code points `text` has (each malformed byte counts as one).
SEBA_API std::size_t count(std::string_view text);

// [SECTION] encoding

/// A Unicode scalar value: at most U+10FFFF and not a UTF-16 surrogate.
constexpr bool is_scalar_value(char32_t code) {
    return code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
}

/// Appends the UTF-8 form of `code` to `out`; U+FFFD's when `code` is not a scalar value, so
/// what is written is always well-formed.
SEBA_API void append(std::string& out, char32_t code);

/// The UTF-8 form of `code` (U+FFFD's when it is not a scalar value).
SEBA_API std::string encode(char32_t code);

/// The UTF-8 form of `text` (U+FFFD for each code that is not a scalar value).
SEBA_API std::string from_utf32(std::u32string_view text);

// [SECTION] boundaries
// A boundary is a byte offset where a code point starts, or text.size(). Offsets past the end
// are read as text.size().

/// Whether a code point starts at `at` (0 and text.size() always are boundaries).
SEBA_API bool is_boundary(std::string_view text, std::size_t at);

/// The boundary at or before `at`: the start of the code point that holds byte `at`.
SEBA_API std::size_t floor_boundary(std::string_view text, std::size_t at);

/// The first boundary after `at`; text.size() at or past the end.
SEBA_API std::size_t next_boundary(std::string_view text, std::size_t at);

/// The last boundary before `at`; 0 at the start.
SEBA_API std::size_t previous_boundary(std::string_view text, std::size_t at);

/// The longest prefix of `text` of at most `max_bytes` bytes that ends on a boundary: a cut
/// that never splits a character.
SEBA_API std::string_view truncated(std::string_view text, std::size_t max_bytes);

/// The prefix of `text` that holds its first `max_code_points` code points (all of it when it
/// has fewer).
SEBA_API std::string_view first_code_points(std::string_view text, std::size_t max_code_points);

/// `text` for a message: whole when it has at most `max_bytes` bytes, else truncated() to
/// them with `ellipsis` after it, so one long value cannot flood the screen.
SEBA_API std::string excerpt(std::string_view text, std::size_t max_bytes,
                             std::string_view ellipsis);

}  // namespace seba::utf8
