// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "seba/ui/export.hpp"
#include "seba/ui/ui.hpp"

namespace seba::ui {

class Catalog;

/// Text a citizen typed. Its bytes are zeroed whenever they are cleared, replaced, moved or
/// freed, so nothing typed lingers in freed memory after the session ends.
class SEBA_UI_API SecretText {
  public:
    SecretText();
    ~SecretText();
    SecretText(const SecretText&) = delete;
    SecretText& operator=(const SecretText&) = delete;
    SecretText(SecretText&& other) noexcept;
    SecretText& operator=(SecretText&& other) noexcept;

    std::string_view view() const { return {bytes_.data(), size_}; }
    bool empty() const { return size_ == 0; }
    /// Number of code points.
    std::size_t chars() const;
    void append(std::string_view utf8);
    /// Inserts `utf8` before byte `at` (clamped to the end; the caller keeps it on a code point
    /// boundary). The bytes after it move up inside the buffer.
    void insert(std::size_t at, std::string_view utf8);
    /// Removes the bytes [begin, end) (clamped to the text); the bytes after them move down
    /// and the freed tail is zeroed.
    void erase(std::size_t begin, std::size_t end);
    /// Removes the last code point.
    void pop_back();
    /// Zeroes every byte and empties the text (the buffer is kept for reuse).
    void wipe();
    /// The whole buffer, for tests that prove it was zeroed.
    std::span<const char> buffer() const { return bytes_; }

  private:
    std::vector<char> bytes_;  // fixed capacity; grown only by copy-and-zero
    std::size_t size_ = 0;
};

/// Everything the kit keeps between frames: the citizen's language, field texts, focus,
/// injected taps, and the tree of what the last frame drew. Owned by the shell; wiped
/// whole when a session ends.
class SEBA_UI_API UiState {
  public:
    UiState();
    ~UiState();

    std::string language = "en";
    /// The catalog of whoever is drawing now (the shell or a plugin); null = English.
    const Catalog* catalog = nullptr;
    /// The catalog of the kit's own words ("optional", "Change", "There is a problem"): the
    /// shell's. Null = English.
    const Catalog* kit_catalog = nullptr;
    bool large_text = false;
    bool high_contrast = false;
    /// Read-aloud is on (per session): the kit queues what to say, the shell speaks it.
    bool read_aloud = false;

    // [SECTION] pages
    /// A new page opened (another screen): it starts at its top, forgets its forms' errors
    /// and says its heading again.
    void turn_page();
    std::uint64_t page() const { return page_; }
    /// The widget the renderer brings into view in the next frame that draws it (a field
    /// asked for, an error summary); empty: none.
    const std::string& scroll_target() const { return scroll_target_; }
    void scroll_to(std::string_view id) { scroll_target_ = id; }
    void scrolled() { scroll_target_.clear(); }
    /// The page goes back to its top in the next frame (a form's error summary is there).
    void scroll_to_top() { scroll_to_top_ = true; }
    bool take_scroll_to_top() { return std::exchange(scroll_to_top_, false); }
    /// The renderer moved something that shows only in the next frame (a scroll): draw
    /// another before the screen is read or the window waits for input.
    void want_redraw() { redraw_ = true; }
    bool take_redraw() { return std::exchange(redraw_, false); }

    // [SECTION] forms
    /// A field of a form that does not pass its checks, for the error summary.
    struct Problem {
        std::string field;
        std::string label;
        std::string error;
    };
    struct Form {
        bool submitted = false;         ///< its main button was pressed on this page
        std::vector<Problem> problems;  ///< as the last frame found them
    };
    Form& form(std::string_view id);
    /// The citizen left field `id` (focused another, or pressed Enter): its errors show.
    bool left(std::string_view id) const { return left_.count(id) > 0; }
    /// Focuses field `id` the next time it is drawn and brings it into view (a link of the
    /// error summary, a Change on a check-answers page).
    void request_focus(std::string_view id) { requested_focus_ = id; }
    const std::string& requested_focus() const { return requested_focus_; }

    // [SECTION] read-aloud
    /// Queues `text` to be read aloud (when read_aloud is on).
    void say(std::string_view text);
    /// Queues `text` whether or not read_aloud is on: the citizen asked for it (a button).
    void say_asked(std::string_view text);
    /// The same, at most once per page for the same text (a heading, an error message).
    void say_once(std::string_view text);
    /// Forgets what say_once() said on this page (read-aloud just turned on, another
    /// language): the heading is said again.
    void say_page_again() { said_.clear(); }
    /// What was queued since the last call, in order.
    std::vector<std::string> take_speech();

    // [SECTION] fields and focus
    SecretText& field(std::string_view id);
    const SecretText* find_field(std::string_view id) const;
    const std::string& focused() const { return focused_; }
    FieldKind focused_kind() const { return focused_spec_.kind; }
    /// Focuses a field; a field not focused before gets the cursor at the end of its text.
    /// Focusing the focused field again (every frame does) only updates its spec.
    void focus(std::string_view id, const FieldSpec& spec);
    void blur();
    /// Types at the cursor of the focused field as its kind allows (digits fields take Bangla
    /// digits as digits and drop anything else; at most max_chars code points in all) and moves
    /// the cursor past what was typed. Returns false when nothing is focused.
    bool insert(std::string_view utf8);
    /// Deletes the grapheme cluster before the cursor, as ICU defines clusters: after কি both ি
    /// and ক go; after ক্ষি the whole conjunct with its vowel sign (see text_breaks.hpp).
    /// Returns false when nothing is focused.
    bool backspace();
    /// The cursor: a byte offset into the focused field's text (0 when nothing is focused),
    /// never past its end.
    std::size_t cursor() const;
    /// Moves the cursor by `graphemes` clusters, negative to the left, stopping at either end.
    /// Returns whether it moved.
    bool move_cursor(int graphemes);
    void cursor_to_start() { cursor_ = 0; }
    void cursor_to_end();

    // [SECTION] injected input (recorder, scripts)
    /// The widget `id` reports a tap on the next frame it is drawn (if enabled).
    void tap(std::string_view id) { pending_tap_ = id; }
    const std::string& pending_tap() const { return pending_tap_; }
    /// Called by the kit when a widget consumed the pending tap.
    void consume_tap() { pending_tap_.clear(); }

    // [SECTION] the frame's tree
    void begin_frame();
    /// Drops (and zeroes) the nodes recorded after the first `size`.
    void truncate_tree(std::size_t size);
    std::vector<Node>& tree() { return tree_; }
    const std::vector<Node>& tree() const { return tree_; }
    /// The last frame's node with this id, if drawn.
    const Node* node(std::string_view id) const;
    /// The ids of the last frame, for error messages ("ids on screen: ...").
    std::vector<std::string> ids() const;
    nlohmann::json tree_json() const;

    /// The session ended: zero every field's bytes and the recorded tree, drop focus.
    void wipe();
    /// How many times wipe() ran: a renderer that caches what it drew forgets it when this
    /// changes (a label may repeat what the citizen typed).
    std::uint64_t sessions_wiped() const { return sessions_wiped_; }
    /// Some field holds text the citizen typed (Home asks before it erases it).
    bool has_typed_text() const;
    /// Every byte of every field buffer is zero (tests).
    bool all_fields_zeroed() const;

  private:
    std::uint64_t sessions_wiped_ = 0;
    std::uint64_t page_ = 0;
    std::string scroll_target_;
    bool scroll_to_top_ = false;
    bool redraw_ = false;
    std::map<std::string, Form, std::less<>> forms_;
    std::set<std::string, std::less<>> left_;
    std::string requested_focus_;
    std::vector<std::string> speech_;
    std::set<std::string, std::less<>> said_;  // this page
    std::map<std::string, SecretText, std::less<>> fields_;
    std::string focused_;
    FieldSpec focused_spec_;
    std::size_t cursor_ = 0;  // clamped by cursor(): the text may shrink under it (a wipe)
    std::string pending_tap_;
    std::vector<Node> tree_;
};

}  // namespace seba::ui
