// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/keyboard.hpp"

#include <unicode/uchar.h>
#include <xkbcommon/xkbcommon.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "seba/error.hpp"
#include "seba/ui/languages.hpp"
#include "seba/utf8.hpp"

namespace seba::ui {

namespace {

// A language's keyboard, as its record (seba/ui/languages.hpp) names it.
struct LanguageLayout {
    std::string language;
    std::string layout;
    std::string variant;
};

// evdev key codes of the alphanumeric block, first to last key of each row; xkb adds 8.
struct KeyRange {
    xkb_keycode_t first;
    xkb_keycode_t last;
};
constexpr std::array<KeyRange, 4> kRows{{{2, 13}, {16, 27}, {30, 40}, {44, 53}}};
constexpr xkb_keycode_t kEvdevOffset = 8;
constexpr xkb_keycode_t kTilde = 41;  // TLDE: ё on Russian keyboards, ` or nothing elsewhere

constexpr std::string_view kLetterMark = "\u02BB";  // ʻ, as in oʻ and gʻ

struct ContextDeleter {
    void operator()(xkb_context* context) const { xkb_context_unref(context); }
};
struct KeymapDeleter {
    void operator()(xkb_keymap* keymap) const { xkb_keymap_unref(keymap); }
};
using ContextPtr = std::unique_ptr<xkb_context, ContextDeleter>;
using KeymapPtr = std::unique_ptr<xkb_keymap, KeymapDeleter>;

// What a key can show: no controls, no invisible format characters (the probhat layout puts a
// zero-width joiner on TLDE), no blanks. Combining marks such as Bangla vowel signs stay.
bool is_printable(char32_t c) {
    if (c < 0x21 || (c >= 0x7F && c <= 0xA0)) return false;
    if (c == 0xAD || c == 0x180E || c == 0x3000 || c == 0xFEFF) return false;
    if (c >= 0x2000 && c <= 0x200F) return false;  // spaces, zero-width marks, joiners
    if (c >= 0x2028 && c <= 0x202F) return false;  // separators, bidi embeddings
    if (c >= 0x205F && c <= 0x206F) return false;  // invisible operators, bidi isolates
    if (c >= 0xD800 && c <= 0xDFFF) return false;
    if (c >= 0xFFF9 && c <= 0xFFFB) return false;
    return c <= 0x10FFFF;
}

// Enough of Unicode's letters for the scripts the kiosk ships, to decide whether TLDE belongs on
// the keyboard (ё does, ` does not).
bool is_letter(char32_t c) {
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) return true;
    if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;  // Latin-1 and Latin Extended
    if (c >= 0x2B0 && c <= 0x2C1) return true;                   // modifier letters, ʻ among them
    if (c >= 0x370 && c <= 0x3FF) return c != 0x37E && c != 0x387;  // Greek
    if (c >= 0x400 && c <= 0x52F) return c < 0x482 || c > 0x489;    // Cyrillic
    if (c >= 0x980 && c <= 0x9FF) return c < 0x9E6 || (c > 0x9EF && c < 0x9F2) || c == 0x9FC;
    return false;
}

struct Symbol {
    char32_t code = 0;
    std::string utf8;
};

// The printable character of a key at a shift level, or nothing (code 0).
Symbol symbol_at(xkb_keymap* keymap, xkb_keycode_t evdev_code, xkb_level_index_t level) {
    const xkb_keysym_t* syms = nullptr;
    int count =
        xkb_keymap_key_get_syms_by_level(keymap, evdev_code + kEvdevOffset, 0, level, &syms);
    if (count <= 0) return {};
    char32_t code = xkb_keysym_to_utf32(syms[0]);  // 0 for dead keys and function keys
    if (!is_printable(code)) return {};
    std::array<char, 16> buffer{};
    if (xkb_keysym_to_utf8(syms[0], buffer.data(), buffer.size()) <= 0) return {};
    return {code, std::string(buffer.data())};
}

Key key_at(xkb_keymap* keymap, xkb_keycode_t evdev_code) {
    Symbol plain = symbol_at(keymap, evdev_code, 0);
    if (plain.code == 0) return {};
    Symbol shifted = symbol_at(keymap, evdev_code, 1);
    Key key;
    key.text = plain.utf8;
    if (shifted.code != 0 && shifted.code != plain.code) key.shifted = shifted.utf8;
    key.label = plain.utf8;
    return key;
}

Key touch_key(Key::Action action, std::string label, std::string text = {}) {
    Key key;
    key.action = action;
    key.text = std::move(text);
    key.label = std::move(label);
    return key;
}

Key char_key(std::string_view text) {
    return touch_key(Key::Action::Insert, std::string(text), std::string(text));
}

bool has_text(const KeyboardLayout& layout, std::string_view text) {
    for (const auto& row : layout.rows) {
        for (const Key& key : row) {
            if (key.text == text || key.shifted == text) return true;
        }
    }
    return false;
}

std::string known_languages() {
    std::string names;
    for (const Language& l : languages().all()) {
        if (!names.empty()) names += ", ";
        names += l.tag;
    }
    return names;
}

// What Shift shows: the letters it would type on the first row of letters (ABC on a US
// keyboard, ЙЦУ on a Russian one, থঊঈ on Bangla Probhat), and with Shift held the plain
// ones; so the key says what it does in the keyboard's own script.
void label_shift(Key& shift, const std::vector<std::vector<Key>>& rows) {
    const std::vector<Key>& letters = rows.size() > 1 ? rows[1] : rows.front();
    std::string plain, shifted;
    int count = 0;
    for (const Key& key : letters) {
        if (key.action != Key::Action::Insert || key.shifted.empty()) continue;
        plain += key.text;
        shifted += key.shifted;
        if (++count == 3) break;
    }
    if (count == 0) return;  // nothing to shift: the arrow alone
    shift.label = shifted;
    shift.shifted = plain;
}

KeymapPtr compile_keymap(const LanguageLayout& language, const std::string& xkb_name) {
    const std::string missing = "cannot read the xkb keyboard layout " + xkb_name +
                                " from /usr/share/X11/xkb; install the Debian package xkb-data";
    // Fails already here when none of the xkb include directories exists.
    ContextPtr context(xkb_context_new(XKB_CONTEXT_NO_FLAGS));
    if (!context) throw Error(missing);
    const std::string& layout = language.layout;
    const std::string& variant = language.variant;
    xkb_rule_names names{};
    names.rules = "evdev";
    names.model = "pc105";
    names.layout = layout.c_str();
    names.variant = variant.c_str();
    // "" rather than null: null pulls options (group switching...) from XKB_DEFAULT_OPTIONS.
    names.options = "";
    KeymapPtr keymap(xkb_keymap_new_from_names(context.get(), &names, XKB_KEYMAP_COMPILE_NO_FLAGS));
    if (!keymap) throw Error(missing);
    return keymap;  // holds its own reference to the context
}

KeyboardLayout build_layout(const LanguageLayout& language) {
    KeyboardLayout result;
    result.name = language.language;
    result.xkb_name = language.layout;
    if (!language.variant.empty()) result.xkb_name += "(" + language.variant + ")";
    KeymapPtr keymap = compile_keymap(language, result.xkb_name);

    for (const KeyRange& range : kRows) {
        std::vector<Key> row;
        for (xkb_keycode_t code = range.first; code <= range.last; ++code) {
            Key key = key_at(keymap.get(), code);
            if (!key.text.empty()) row.push_back(std::move(key));
        }
        if (!row.empty()) result.rows.push_back(std::move(row));
    }
    if (result.rows.empty()) {
        throw Error("the xkb keyboard layout " + result.xkb_name +
                    " has no printable keys; reinstall the Debian package xkb-data");
    }

    // TLDE sits left of 1 on a physical keyboard; keep it there, but only for a real letter.
    Symbol tilde = symbol_at(keymap.get(), kTilde, 0);
    if (is_letter(tilde.code)) {
        auto& first = result.rows.front();
        first.insert(first.begin(), key_at(keymap.get(), kTilde));
    }

    // Uzbek Latin cannot spell oʻ or gʻ without the letter mark; a plain apostrophe is wrong.
    if (language.language == "uz-Latn" && !has_text(result, kLetterMark)) {
        for (auto& row : result.rows) {
            if (std::find_if(row.begin(), row.end(), [](const Key& k) { return k.text == "l"; }) ==
                row.end()) {
                continue;
            }
            row.push_back(char_key(kLetterMark));
            break;
        }
    }

    Key shift = touch_key(Key::Action::Shift, "⇧");
    label_shift(shift, result.rows);
    result.rows.front().push_back(touch_key(Key::Action::Backspace, "⌫"));
    if (result.rows.size() > 1) {
        auto& last = result.rows.back();
        last.insert(last.begin(), std::move(shift));
    } else {
        result.rows.push_back({std::move(shift)});
    }
    // The cursor keys sit side by side, right of Space.
    result.rows.push_back({touch_key(Key::Action::NextLayout, "lang"),
                           touch_key(Key::Action::Space, "space", " "),
                           touch_key(Key::Action::Left, "◀"), touch_key(Key::Action::Right, "▶"),
                           touch_key(Key::Action::Enter, "enter")});
    return result;
}

std::vector<std::vector<Key>> digit_rows() {
    return {{char_key("1"), char_key("2"), char_key("3")},
            {char_key("4"), char_key("5"), char_key("6")},
            {char_key("7"), char_key("8"), char_key("9")}};
}

}  // namespace

KeyboardLayout keyboard_for_language(std::string_view language) {
    LanguageLayout wanted;
    {
        const Languages& known = languages();
        const Language* found = known.find(language);
        if (found == nullptr) {
            throw Error("no on-screen keyboard for language \"" + std::string(language) +
                        "\" (known: " + known_languages() + ")");
        }
        wanted = {found->tag, found->keyboard_layout, found->keyboard_variant};
    }

    // Compiling a keymap reads dozens of files; do it once per language and layout for the
    // process (a country pack may move a language to another layout).
    static std::mutex mutex;
    static std::map<std::string, KeyboardLayout, std::less<>> cache;
    const std::string cache_key = wanted.language + "\n" + wanted.layout + "\n" + wanted.variant;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(cache_key); it != cache.end()) return it->second;
    KeyboardLayout layout = build_layout(wanted);
    cache.emplace(cache_key, layout);
    return layout;
}

KeyboardLayout digit_pad() {
    KeyboardLayout pad;
    pad.name = "digits";
    pad.rows = digit_rows();
    pad.rows.push_back({touch_key(Key::Action::Backspace, "⌫"), char_key("0"),
                        touch_key(Key::Action::Enter, "enter")});
    return pad;
}

KeyboardLayout phone_pad() {
    KeyboardLayout pad;
    pad.name = "phone";
    pad.rows = digit_rows();
    pad.rows.push_back({char_key("+"), char_key("0"), touch_key(Key::Action::Backspace, "⌫")});
    pad.rows.push_back({touch_key(Key::Action::Enter, "enter")});
    return pad;
}

std::string key_label(std::string_view text) {
    if (text.empty()) return {};
    const auto type = u_charType(static_cast<UChar32>(utf8::decode(text, 0).code));
    bool mark =
        type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
    return mark ? "\u25CC" + std::string(text) : std::string(text);
}

}  // namespace seba::ui
