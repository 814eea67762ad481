// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "seba/host.hpp"
#include "seba/kiosk_settings.hpp"
#include "seba/pin.hpp"
#include "seba/sync_engine.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/keyboard.hpp"
#include "seba/ui/ui.hpp"
#include "seba/ui/ui_state.hpp"

namespace seba::kiosk {

/// The kiosk's rule for plugins (Host::set_plugin_check): "ui" in the manifest goes with a
/// class that is a seba::ui::View, and a View (or OperatorView) asks for "ui". Otherwise the
/// plugin would fail at its first draw, or silently get no home tile.
std::string view_contract(const Plugin& plugin, const Manifest& manifest);

/// The kiosk's screens, independent of how they are rendered: home with a tile per enabled
/// plugin, a plugin's own screens with Back and Home, the status bar, the language switch,
/// the on-screen keyboard, the idle countdown and session wipe, and operator mode.
/// Draw it with the ImGui renderer in a window, or with the recorder in tests and scripts.
class Shell {
  public:
    using Clock = std::chrono::steady_clock;

    /// `locale_dir` holds the shell's own catalogs (kiosk/locale).
    Shell(Host& host, ui::UiState& state, const std::filesystem::path& locale_dir,
          Clock::time_point now);
    ~Shell();

    /// Draws one whole frame at time `now`.
    void frame(ui::Ui& ui, Clock::time_point now);
    /// A touch or key press: the citizen is still there.
    void touched(Clock::time_point now);
    /// Seconds until something on screen changes by itself (clock, countdown).
    double seconds_until_change(Clock::time_point now) const;

    /// "home", "plugin", "unavailable", "pin", "operator".
    std::string_view screen() const;
    /// The plugin shown, on "plugin" and "unavailable" screens.
    const std::string& current_plugin() const { return plugin_; }
    void set_language(const std::string& language);
    /// Ends the citizen's session now, as the idle timeout does (and Home).
    void end_session();
    int idle_timeout_s() const { return host_.config().idle_timeout_s; }

    /// Called when a session ends, after the kit's state was wiped: the renderer zeroes
    /// whatever text it keeps of its own.
    std::function<void()> on_session_end;

    /// Reads `text` aloud in `language` (read-aloud is on, and the kit said something).
    std::function<void(const std::string& text, const std::string& language)> speak;

    /// The background sync's state, for the status bar (absent: the kiosk has no server).
    std::function<SyncStatus()> sync_status;
    /// Asks the background sync to run soon (called when a citizen's session ends).
    std::function<void()> sync_now;
    /// Tells the background sync which catalog channels to pull (after a fleet change).
    std::function<void(std::vector<std::string>)> set_sync_channels;
    /// Called when the kiosk stops or starts taking requests for its storage (the disk is
    /// full, the database cannot be opened: Host::storage_trouble), e.g. to pause the sync.
    std::function<void(const StorageTrouble&)> on_storage_trouble;

    /// Called after a country pack's languages or translations arrived and were taken in
    /// (seba/ui/languages.hpp), e.g. for the renderer to load a new script's fonts.
    std::function<void()> on_languages_changed;

    /// How often the shell looks at the disk again (Host::recheck_storage).
    static constexpr std::chrono::seconds kStorageCheckEvery{30};

  private:
    enum class Screen { Home, Plugin, Unavailable, Pin, Operator };

    void follow_fleet(const SyncStatus& sync);
    /// Gives sync the host's channels again when search.indexes changed (its cursor moved):
    /// a newly published index names channels to pull, from the next pass on, with no
    /// restart. Not held back by a citizen's session: it changes nothing on screen.
    void follow_search_indexes(const SyncStatus& sync);
    /// Takes in the country pack's languages and translations when their channels changed
    /// (ui::set_languages, catalogs written under <data>/locale and read again); true then.
    bool follow_languages();
    /// The shell's and every plugin's catalogs: their own, with the country pack's over them.
    void load_catalogs();
    /// Takes in the host's storage trouble; looks at the disk again every kStorageCheckEvery
    /// (`operator_asked`: at once, forgetting an I/O error).
    void check_storage(Clock::time_point now, bool operator_asked = false);
    /// For citizens: the kiosk cannot take requests; ask the operator.
    void trouble_banner(ui::Ui& ui);
    /// For the operator: what is wrong, how much room is needed, what to do, and Check again.
    void storage_report(ui::Ui& ui, Clock::time_point now);
    /// An operator action in the audit log, or in the log when the database cannot take it.
    void audit(std::string_view action, std::string_view detail = {});
    /// The one-line header: the language (a picker under it when tapped), read-aloud, large
    /// text, high contrast, the clock; the sync's state only for the operator.
    void header(ui::Ui& ui, const SyncStatus& sync, Clock::time_point now);
    /// A new page when the screen, plugin or operator page changed since the last frame.
    void follow_page();
    void home(ui::Ui& ui);
    void plugin_screen(ui::Ui& ui);
    void unavailable(ui::Ui& ui);
    void pin_screen(ui::Ui& ui, Clock::time_point now);
    void operator_screen(ui::Ui& ui, Clock::time_point now);
    /// The open plugin's operator page; false when it failed (and was closed).
    bool plugin_operator_page(ui::Ui& ui);
    /// A text or number field for one setting, showing its current value, with a Save
    /// button that calls `save` (whose errors become the operator's message).
    void setting_field(ui::Ui& ui, const std::string& id, const std::string& label,
                       const std::string& current, ui::FieldKind kind,
                       const std::function<void(std::string_view)>& save);
    void plugin_setting(ui::Ui& ui, const std::string& plugin, const SettingSpec& spec,
                        const nlohmann::json& current);
    void kiosk_setting(ui::Ui& ui, const KioskSetting& setting);
    void idle_countdown(ui::Ui& ui, int seconds_left);
    /// Home: the session ends, after "Are you finished?" when the citizen typed something.
    void home_pressed();
    void finish_question(ui::Ui& ui);
    void keyboard(ui::Ui& ui);
    void go_home();
    const std::string& tr(const std::string& english) const;
    /// tr(english) with {0} replaced by `arg`; English if a translation broke the {0}.
    std::string format(const std::string& english, std::string_view arg) const;
    /// The same with {0} and {1}.
    std::string format(const std::string& english, std::string_view arg0,
                       std::string_view arg1) const;
    /// A message with a count in the form the citizen's language uses for `n` (msgid
    /// `singular`, msgid_plural `plural`), {0} replaced by `n` in the language's digits.
    std::string counted(const std::string& singular, const std::string& plural,
                        unsigned long n) const;
    const ui::KeyboardLayout& layout_for_focus();
    std::int64_t outbox_count(const char* state);

    // Operator mode: each message beside what it is about, and the outbox (end of shell.cpp).
    /// The operator is about to change what the widget `at` shows: what comes of it (or the
    /// frame's "Not saved") is said under it, and the message before it goes.
    void operator_acts_on(std::string at);
    /// Says `text` to the operator under the widget `at` ("" : at the top of the page).
    void tell_operator(std::string at, ui::Tone tone, std::string text);
    /// Runs an operator's change of setting `id`; "Saved" or the refusal goes under it.
    void save_and_say(const std::string& id, const std::function<void()>& save);
    /// Draws the operator's message here if it is about `at`.
    void operator_message_at(ui::Ui& ui, std::string_view at);
    /// The operator leaves a page (for a plugin's page, back to the list, out of operator
    /// mode): its message goes, and what was typed on a plugin's page is wiped.
    void leave_operator_page();
    /// Notes the fields a plugin's operator page drew this frame (tree nodes from `from`).
    void remember_page_fields(std::size_t from);
    /// A plugin setting's label in the operator's language: the plugin's catalog's translation
    /// of the manifest's English label, else the manifest's label in that language, else English.
    std::string plugin_setting_label(const std::string& plugin, const SettingSpec& spec) const;
    /// Every event not yet sent, up to kOutboxRows: type, age, attempts, why it failed, and
    /// Retry for those that failed (audited). No payload: it may hold what a citizen typed.
    void outbox_list(ui::Ui& ui);
    /// "12 min", "3 h", "2 d" since `created_at` (UTC ISO 8601), by the kiosk's clock.
    std::string event_age(ui::Ui& ui, const std::string& created_at) const;

    Host& host_;
    ui::UiState& state_;
    std::filesystem::path locale_dir_;  // the shell's own catalogs
    std::string language_cursors_;      // of the languages and translations channels, last taken
    ui::Catalog catalog_;
    std::map<std::string, ui::Catalog, std::less<>> plugin_catalogs_;
    OperatorPin pin_;

    Screen screen_ = Screen::Home;
    std::string plugin_;
    Clock::time_point last_touch_;
    bool session_active_ = false;
    bool asking_finished_ = false;    // "Are you finished?" is on screen
    bool choosing_language_ = false;  // the language picker is open under the header
    std::string page_key_;            // the page of the last frame
    std::int64_t catalog_changes_seen_ = 0;
    std::int64_t index_changes_seen_ = 0;  // sync's catalog_changes when search.indexes was read
    std::string index_cursor_;             // of search.indexes, when sync was last told
    static constexpr int kCountdownS = 15;
    StorageTrouble trouble_;  // as the host last said
    Clock::time_point next_storage_check_;

    // Hidden operator gesture: five taps on the clock within three seconds.
    std::vector<Clock::time_point> clock_taps_;
    std::string pin_message_;
    std::string operator_message_;
    std::string operator_plugin_;      // a plugin's operator page is open (OperatorView)
    std::string operator_message_at_;  // the widget operator_message_ is about; "": the page
    ui::Tone operator_message_tone_ = ui::Tone::Success;
    bool operator_message_drawn_ = false;            // this frame
    std::vector<std::string> operator_page_fields_;  // typed on the open plugin page
    static constexpr std::size_t kOutboxRows = 50;

    // On-screen keyboard
    std::map<std::string, ui::KeyboardLayout> layouts_;
    std::string keyboard_language_;
    bool shift_ = false;
};

}  // namespace seba::kiosk
