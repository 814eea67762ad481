// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "seba/ui/export.hpp"

namespace seba::ui {

/// One key of the on-screen keyboard.
struct Key {
    /// Left and Right move the cursor one grapheme cluster (appended: values are append-only).
    enum class Action { Insert, Backspace, Shift, Space, Enter, NextLayout, Left, Right };
    Action action = Action::Insert;
    std::string text;     ///< UTF-8 the key inserts (Insert) in the current shift state
    std::string shifted;  ///< UTF-8 it inserts with Shift held; empty when none
    std::string label;    ///< what the key shows
};

/// A whole keyboard: rows of keys, top to bottom.
struct KeyboardLayout {
    std::string name;      ///< "bn", "uz-Latn", "uz-Cyrl", "ru", "en", "digits", "phone"
    std::string xkb_name;  ///< the xkb layout(variant) it was read from; empty for pads
    std::vector<std::vector<Key>> rows;
};

/// Reads the alphanumeric block of a language's keyboard from Debian's xkb data through
/// libxkbcommon (so layouts are not typed in by hand), in the layout its record names
/// (seba/ui/languages.hpp: bn -> bd(probhat), uz-Latn -> uz(latin), ne -> np...). Adds the
/// keys a touch keyboard needs (Shift, Backspace, Space, cursor ◀ ▶, Enter, next layout) and,
/// where xkb lacks it, the Uzbek letter mark ʻ (U+02BB) on the uz-Latn layout. Shift's label
/// is what it types: the shifted letters of the first letter row ("ABC", "ЙЦУ"), and its
/// `shifted` the plain ones to show while Shift is held. Throws seba::Error naming the
/// language, or the package to install (xkb-data) when the layout is missing.
SEBA_UI_API KeyboardLayout keyboard_for_language(std::string_view language);

/// What a key shows for `text`: a combining mark (a Bangla vowel sign such as ি, the virama
/// ্) on a dotted circle, ◌ি, as printed keyboards show them; other text as it is.
SEBA_UI_API std::string key_label(std::string_view text);

/// Digits 0-9, Backspace, Enter. "digits" for numbers and PINs.
SEBA_UI_API KeyboardLayout digit_pad();

/// Digits, +, Backspace, Enter. For phone numbers.
SEBA_UI_API KeyboardLayout phone_pad();

}  // namespace seba::ui
