// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The UI kit: the immediate-mode, semantic widgets every plugin draws with. The shell
/// renders them with Dear ImGui; the recorder keeps them as a tree for tests and scripts.
/// Either way each widget is recorded with its stable id, so a script can tap it by id.
///
///     void ServiceList::draw(seba::ui::Ui& ui) {
///         ui.heading("dc.title", ui.tr("Digital Centre services"));
///         ui.begin_tiles("dc.services");
///         for (const Service& s : services_)
///             if (ui.tile(s.id, ui.tr(s.name), s.fee_label())) open(s.id);
///         ui.end_tiles();
///     }

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/ui/export.hpp"

namespace seba::ui {

class UiState;

enum class Role {
    Heading,
    Paragraph,
    Message,
    Button,
    Tile,
    ListRow,
    Field,
    Choice,
    Key,
    Qr,
    Progress,
    Group,
    Banner,
    Toggle,        ///< an on/off setting: shows its state apart from its label
    Checkbox,      ///< a box with a tick
    Panel,         ///< a confirmation panel: a title and a large reference
    Answer,        ///< a check-answers row: label, value, and a Change button
    Steps,         ///< "step 2 of 4" of a multi-step flow
    ErrorSummary,  ///< the list of a form's problems at its top
    Image          ///< a picture from a file: its path the value, what it shows the label
};
SEBA_UI_API std::string_view to_string(Role role);

enum class Tone { Info, Success, Warning, Error };

/// How much a button stands out: one Primary per page (the way on), Secondary for the
/// others, Danger for what cannot be undone.
/// Link: underlined text that goes somewhere (an error summary's entries); Plain: text that
/// may be tapped but does not invite it (the header's clock).
enum class ButtonStyle { Primary, Secondary, Danger, Link, Plain };
SEBA_UI_API std::string_view to_string(ButtonStyle style);

/// Where a widget was drawn, in window pixels (zero in the recorder, which draws nothing).
struct Box {
    float x = 0, y = 0, width = 0, height = 0;
    float bottom() const { return y + height; }
    bool empty() const { return width <= 0 || height <= 0; }
};

/// What a field holds; picks the on-screen keyboard and the digits handling.
enum class FieldKind { Text, Name, Number, Phone, Date, Pin };

struct FieldSpec {
    FieldKind kind = FieldKind::Text;
    bool required = false;
    std::size_t max_chars = 64;  ///< in code points
    /// An error in the citizen's language, or empty when the value is fine.
    std::function<std::string(std::string_view value)> validate;
};

struct FieldResult {
    std::string_view text;  ///< valid until the end of the frame
    bool valid = false;     ///< passes validate() and `required`
};

/// One drawn widget, as the recorder keeps it and scripts see it.
struct Node {
    Role role = Role::Paragraph;
    std::string id;
    std::string label;
    std::string value;  ///< a field's text, a choice's selection, a QR's payload...
    std::string error;  ///< a field's validation message
    std::string icon;   ///< a pictogram's name (Material Icons), or empty
    ButtonStyle style = ButtonStyle::Secondary;  ///< buttons only
    bool enabled = true;
    bool focused = false;
    bool elided = false;  ///< the renderer cut its label ("…") for want of room
    int depth = 0;        ///< nesting inside tile grids and rows
    Box box;              ///< as the renderer drew it
};

/// Immediate-mode semantic widgets. Call them every frame, in order; a widget that returns
/// bool returns true on the frame it was tapped. Ids are stable across frames and unique on
/// a screen; by convention a plugin's ids start with its own id ("dc.title").
class SEBA_UI_API Ui {
  public:
    explicit Ui(UiState& state);
    virtual ~Ui();
    Ui(const Ui&) = delete;
    Ui& operator=(const Ui&) = delete;

    void heading(std::string_view id, std::string_view text);
    void paragraph(std::string_view id, std::string_view text);
    void message(std::string_view id, Tone tone, std::string_view text);
    /// A message that stands out across the screen, with a sign of its tone before the text
    /// (a warning triangle for Warning and Error) for those who read little. Recorded with
    /// role "banner" and the tone as its value.
    void banner(std::string_view id, Tone tone, std::string_view text);
    /// A Secondary button.
    bool button(std::string_view id, std::string_view label, bool enabled = true);
    /// A button of a style, with an optional pictogram before its label.
    bool button(std::string_view id, std::string_view label, ButtonStyle style, bool enabled = true,
                std::string_view icon = {});
    /// A grid of large touch tiles; tiles go between begin_tiles() and end_tiles().
    void begin_tiles(std::string_view id);
    /// A tile with an optional pictogram (a Material Icons name: "description", "school").
    bool tile(std::string_view id, std::string_view label, std::string_view detail = {},
              std::string_view icon = {});
    void end_tiles();
    /// Widgets side by side until end_row().
    void begin_row(std::string_view id);
    void end_row();
    /// A row of a list, the whole row a target, with an optional pictogram before it.
    bool list_row(std::string_view id, std::string_view label, std::string_view detail = {},
                  std::string_view icon = {});
    /// A text field. Its text lives in the kit (not the plugin), is typed with the on-screen
    /// keyboard when focused, and is wiped when the citizen's session ends.
    FieldResult field(std::string_view id, std::string_view label, const FieldSpec& spec);
    // [SECTION] forms, the GOV.UK way
    /// A form: the fields drawn until end_form() are its own. Its main button (submit())
    /// stays active; pressing it checks every field, and when some fail the form opens with
    /// an error summary whose entries take the citizen to each field. A field shows its error
    /// only once the citizen left it or pressed the button; a field not `required` is
    /// labelled "(optional)".
    void begin_form(std::string_view id);
    /// The form's Primary button. True when tapped with every field of the form valid.
    bool submit(std::string_view id, std::string_view label, std::string_view icon = {});
    void end_form();
    /// Puts the keyboard on field `id` when it is next drawn, and scrolls it into view.
    void focus(std::string_view field_id);
    /// A row of a check-answers page: what was asked, what the citizen answered, and a
    /// Change button (id + ".change") that returns true when tapped.
    bool answer(std::string_view id, std::string_view label, std::string_view value,
                bool changeable = true);
    /// "Step 2 of 4" above a multi-step flow (the navigator draws it from its stack).
    void steps(std::string_view id, int number, int of);

    /// One of several options, as radio buttons; returns true when the selection changed.
    bool choice(std::string_view id, std::string_view label, std::span<const std::string> options,
                int& selected);
    /// An on/off setting (read-aloud, large text): shows whether it is on, whatever its
    /// label says; returns true when tapped (and flips `on`).
    bool toggle(std::string_view id, std::string_view label, bool& on, std::string_view icon = {});
    /// A box the citizen ticks; returns true when tapped (and flips `ticked`).
    bool checkbox(std::string_view id, std::string_view label, bool& ticked);
    /// The end of a flow: a panel with a title ("Request received") and the reference the
    /// citizen must keep, large.
    void confirmation(std::string_view id, std::string_view title, std::string_view reference);
    void qr(std::string_view id, std::string_view payload);
    /// A picture from a PNG or JPEG file (a course's image), at most the page's width, its
    /// aspect kept; `alt` says what it shows (read aloud in its place, and drawn as text
    /// when the file cannot be read). Recorded with the path as its value. API 1.6.
    void image(std::string_view id, std::string_view path, std::string_view alt);
    void progress(std::string_view id, float fraction, std::string_view label);
    /// A key of a keyboard or keypad (smaller than a button, same touch size rules), `units`
    /// letter keys wide (Space 5); with a pictogram, the pictogram is drawn for the label.
    bool key(std::string_view id, std::string_view label, float units = 1.0f,
             std::string_view icon = {});

    /// The citizen's language ("bn", "uz-Latn", "uz-Cyrl", "ru", "en").
    std::string_view language() const;
    /// Whether the kiosk has a voice for the citizen's language (seba/ui/i18n.hpp,
    /// language_voice): offer a "read aloud" button only then. API 1.6.
    bool can_read_aloud() const;
    /// Reads `text` aloud in the citizen's language now, because the citizen asked (a lesson's
    /// "Read this page aloud"), whether or not read-aloud is on for the page. API 1.6.
    void read_aloud(std::string_view text);
    /// `english` in the citizen's language, from the catalog of whoever is drawing.
    const std::string& tr(const std::string& english) const;
    /// The kit's own words in the citizen's language, from the shell's catalog (domain
    /// "seba"): what the kit's screens say, and the button a plugin draws to open one
    /// ("Tell us about your visit", seba/ui/exit_survey.hpp). API 1.7.
    const std::string& kit_tr(const std::string& english) const;
    /// A message with a count, in the form the citizen's language uses for `n` (msgid
    /// `singular`, msgid_plural `plural` in the catalog), with {0} replaced by `n` in the
    /// language's digits: trn("{0} document", "{0} documents", 3) -> "৩টি নথি" in Bangla.
    std::string trn(const std::string& singular, const std::string& plural, unsigned long n) const;
    /// Digits as the citizen reads them (Bangla digits in Bangla).
    std::string digits(std::string_view text) const;
    /// An amount, in whole units of any ISO 4217 currency, as the citizen's language writes
    /// it, by ICU (in Bangla "৮০৳", in English "KES 80"); see seba/ui/locale.hpp.
    std::string money(long long whole_units, std::string_view currency) const;
    /// An ISO date (YYYY-MM-DD) in the language's own order, calendar and digits
    /// ("২১/২/২০২৪"; a Persian-calendar language: "۱۴۰۲/۱۲/۲"); other text as it is.
    std::string date(std::string_view iso) const;

    /// What the citizen typed into field `id` so far (empty when nothing), e.g. for a review
    /// page that shows a form's values without drawing its fields. Valid until the field
    /// changes; never keep it.
    std::string_view field_text(std::string_view id) const;
    /// Wipes field `id` (its bytes are zeroed): call it once what was typed is stored or sent.
    void clear_field(std::string_view id);

    /// Closes tile grids and rows left open, e.g. by a plugin that threw mid-frame.
    void recover();

  protected:
    friend class Navigator;    // wipes the fields of a screen that leaves
    friend class ShellAccess;  // the shell's own calls (seba/ui/shell_access.hpp)

    /// The screen's scrolling content, leaving `bottom_rows` rows of keys docked below it
    /// (the on-screen keyboard). The shell opens it; plugins draw inside it.
    void begin_content(std::string_view id, int bottom_rows);
    void end_content();

    // What a renderer draws; the base records, handles taps and focus. `tapped` says
    // whether the renderer saw a touch on it this frame.
    virtual bool draw_text(Node&, int /*level*/) { return false; }
    virtual bool draw_button(Node&, bool /*large*/) { return false; }
    virtual bool draw_field(Node&, std::string_view /*text*/) { return false; }
    virtual void draw_qr(Node&) {}
    virtual void draw_progress(Node&, float /*fraction*/) {}
    virtual void open_group(Node&, bool /*grid*/) {}
    virtual void close_group(bool /*grid*/) {}
    virtual void open_content(Node&, int /*bottom_rows*/) {}
    virtual void close_content() {}
    /// The widest row of the keyboard about to be drawn, in letter keys: keys share the
    /// screen's width.
    virtual void keyboard_columns(float /*units*/) {}
    virtual void draw_banner(Node&, Tone) {}
    virtual bool draw_toggle(Node&, bool /*on*/) { return false; }
    virtual bool draw_answer(Node& /*answer*/, Node* /*change*/) { return false; }
    virtual void draw_steps(Node&, int /*number*/, int /*of*/) {}
    virtual bool draw_radio(Node&, bool /*selected*/) { return false; }
    virtual void draw_panel(Node&) {}
    virtual void draw_image(Node&) {}

    UiState& state_;

  private:
    Node& record(Role role, std::string_view id, std::string_view label,
                 std::string_view value = {});
    bool tapped(Node& node, bool renderer_tapped);
    std::string form_;  // the open form, if any
    int depth_ = 0;
    std::vector<bool> open_grids_;  // per open group: a tile grid (true) or a row
};

/// `value` with all but its last `keep` letters and digits hidden ("•••• •••• 1234"), spaces
/// and hyphens kept: an identifier shown back on a check-answers page.
SEBA_UI_API std::string masked(std::string_view value, std::size_t keep = 4);

/// What a plugin with the "ui" capability implements, beside seba::Plugin.
class SEBA_UI_API View {
  public:
    virtual ~View();
    /// Draws the plugin's current screen; called every frame while it is shown. An
    /// exception here shows "service unavailable" and marks the plugin failed.
    virtual void draw(Ui& ui) = 0;
    /// Back was pressed. Return true if the plugin went back a step inside itself, false to
    /// leave it for the home screen.
    virtual bool back() { return false; }
    /// The citizen left this plugin for the home screen: reset to its first screen.
    virtual void reset() {}
};

/// What a plugin with the "ui" capability may also implement: a page of its own in operator
/// mode, behind the PIN, for the centre's work (the day's requests, the cash book). The
/// operator screen lists it under the plugin's name.
class SEBA_UI_API OperatorView {
  public:
    virtual ~OperatorView();
    virtual void draw_operator(Ui& ui) = 0;
};

}  // namespace seba::ui
