// SPDX-License-Identifier: Apache-2.0
#include "shell.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <ctime>

#include "seba/catalog.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/kiosk_settings.hpp"
#include "seba/logging.hpp"
#include "seba/manifest.hpp"
#include "seba/outbox.hpp"
#include "seba/search.hpp"
#include "seba/ui/icons.hpp"
#include "seba/ui/languages.hpp"
#include "seba/ui/shell_access.hpp"

namespace seba::kiosk {

namespace {

constexpr int kGestureTaps = 5;
constexpr auto kGestureWindow = std::chrono::seconds(3);

double seconds_between(Shell::Clock::time_point a, Shell::Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

std::string state_label(PluginState state) {
    switch (state) {
        case PluginState::Running:
            return "Running";
        case PluginState::Failed:
            return "Failed";
        case PluginState::Refused:
            return "Refused";
        case PluginState::Quarantined:
            return "Quarantined";
        case PluginState::Stopped:
            return "Stopped";
        case PluginState::Loaded:
            return "Stopped";
        case PluginState::Disabled:
            return "Disabled";
        case PluginState::Waiting:
            return "Waiting";
    }
    return "Stopped";
}

// "HH:MM" in local time for a UTC ISO 8601 time ("2026-11-28T02:01:43.788Z").
std::string local_time(const std::string& iso) {
    std::tm utc{};
    if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &utc)) return iso;
    std::time_t t = timegm(&utc);
    std::tm local{};
    localtime_r(&t, &local);
    return fmt::format("{:02d}:{:02d}", local.tm_hour, local.tm_min);
}

// The time on the status bar: the kiosk's clock corrected to the server's, as on receipts.
std::string clock_text() {
    std::time_t now = std::chrono::system_clock::to_time_t(kiosk_now().at);
    std::tm local{};
    localtime_r(&now, &local);
    return fmt::format("{:02d}:{:02d}", local.tm_hour, local.tm_min);
}

}  // namespace

std::string view_contract(const Plugin& plugin, const Manifest& manifest) {
    const bool asks = manifest.has(Capability::Ui);
    const bool view = dynamic_cast<const ui::View*>(&plugin) != nullptr;
    const bool page = dynamic_cast<const ui::OperatorView*>(&plugin) != nullptr;
    if (asks && !view)
        return "asks for \"ui\" but its plugin class is not a seba::ui::View: derive it from "
               "seba::ui::ScreenView (or View), or remove \"ui\" from its capabilities";
    if (!asks && (view || page))
        return "draws screens (it is a seba::ui::View or OperatorView) but does not ask for "
               "\"ui\", so it would have no tile on the home screen: add \"ui\" to its "
               "capabilities";
    return {};
}

Shell::Shell(Host& host, ui::UiState& state, const std::filesystem::path& locale_dir,
             Clock::time_point now)
    : host_(host),
      state_(state),
      locale_dir_(locale_dir),
      pin_(host.database(), host.audit()),
      last_touch_(now),
      trouble_(host.storage_trouble()),
      next_storage_check_(now + kStorageCheckEvery) {
    if (!follow_languages()) load_catalogs();
    state_.language = host.config().default_language;
    // Sync starts with the host's channels of now: only a later change of the specs counts.
    try {
        if (host_.database_readable())
            index_cursor_ = catalog::cursor(host_.database(), search::kIndexesChannel);
    } catch (const StorageError& e) {
        logging::get("shell")->warn("search indexes unreadable: {}", e.what());
    }
}

namespace {

// A catalog from the folders given, the later over the earlier; a broken country catalog
// costs only itself (the plugin's own still loads), a broken own one its translations.
ui::Catalog load_catalog(std::string_view domain, const std::filesystem::path& own,
                         const std::filesystem::path& country) {
    try {
        return ui::Catalog::load(domain, std::vector<std::filesystem::path>{own, country});
    } catch (const Error& e) {
        logging::get("shell")->error("the country pack's {} translations are not taken: {}",
                                     domain, e.what());
    }
    try {
        return ui::Catalog::load(domain, own);
    } catch (const Error& e) {
        // A broken catalog costs the plugin its translations, not the kiosk its screen.
        logging::get("shell")->error("{} translations not loaded: {}", domain, e.what());
    }
    return {};
}

}  // namespace

void Shell::load_catalogs() {
    const std::filesystem::path country = host_.config().data_dir / "locale";
    catalog_ = load_catalog("seba", locale_dir_, country / "seba");
    plugin_catalogs_.clear();
    for (const PluginInfo& p : host_.plugins()) {
        if (!p.manifest) continue;
        plugin_catalogs_.emplace(
            p.id, load_catalog(p.id, p.dir / "assets" / "locale", country / p.id));
    }
    // The kit's pointer into the map must not outlive the catalog it pointed at: the shell's
    // own until the frame points it at a plugin's again.
    state_.catalog = &catalog_;
}

bool Shell::follow_languages() {
    if (!host_.database_readable()) return false;
    std::string cursors;
    try {
        cursors = catalog::cursor(host_.database(), ui::kLanguagesChannel) + "\n" +
                  catalog::cursor(host_.database(), ui::kTranslationsChannel);
        if (cursors == language_cursors_) return false;
        std::vector<std::string> problems;
        ui::set_languages(ui::languages_from(host_.database(), &problems));
        ui::export_translations(host_.database(), host_.config().data_dir / "locale", &problems);
        for (const std::string& problem : problems)
            logging::get("shell")->error("country pack: {}", problem);
    } catch (const Error& e) {
        logging::get("shell")->error("the country pack's languages are taken later: {}",
                                     e.what());
        return false;
    }
    language_cursors_ = std::move(cursors);
    load_catalogs();
    if (on_languages_changed) on_languages_changed();
    return true;
}

Shell::~Shell() = default;

std::string_view Shell::screen() const {
    switch (screen_) {
        case Screen::Home:
            return "home";
        case Screen::Plugin:
            return "plugin";
        case Screen::Unavailable:
            return "unavailable";
        case Screen::Pin:
            return "pin";
        case Screen::Operator:
            return "operator";
    }
    return "home";
}

const std::string& Shell::tr(const std::string& english) const {
    return catalog_.translate(state_.language, english);
}

std::string Shell::counted(const std::string& singular, const std::string& plural,
                           unsigned long n) const {
    std::string text = catalog_.translate_plural(state_.language, singular, plural, n);
    const std::string count = ui::localize_digits(std::to_string(n), state_.language);
    for (std::size_t at = text.find("{0}"); at != std::string::npos;
         at = text.find("{0}", at + count.size())) {
        text.replace(at, 3, count);
    }
    return text;
}

void Shell::touched(Clock::time_point now) {
    last_touch_ = now;
    session_active_ = true;
}

double Shell::seconds_until_change(Clock::time_point now) const {
    double idle = seconds_between(last_touch_, now);
    if (session_active_ && idle >= idle_timeout_s() - 1) return 0.25;  // countdown ticking
    // The status bar clock shows minutes: nothing changes before the next one, unless the
    // idle countdown starts first. (Worker threads wake the window when data changes.)
    auto wall = kiosk_now().at.time_since_epoch();
    double to_next_minute =
        60.0 - std::fmod(std::chrono::duration<double>(wall).count(), 60.0) + 0.05;
    // Without room, the kiosk looks again on time: it takes requests again by itself.
    if (trouble_)
        to_next_minute =
            std::min(to_next_minute, std::max(0.05, seconds_between(now, next_storage_check_)));
    if (session_active_) return std::min(to_next_minute, idle_timeout_s() - idle);
    return to_next_minute;
}

void Shell::set_language(const std::string& language) {
    state_.language = language;
    state_.say_page_again();  // in the new language
    keyboard_language_.clear();
}

void Shell::go_home() {
    if (screen_ == Screen::Plugin)
        host_.call(plugin_, "reset", [](Plugin& p) {
            if (auto* view = dynamic_cast<ui::View*>(&p)) view->reset();
        });
    screen_ = Screen::Home;
    plugin_.clear();
    state_.blur();
}

void Shell::audit(std::string_view action, std::string_view detail) {
    try {
        host_.audit().append("operator", action, "kiosk", detail);
    } catch (const StorageError& e) {
        // The operator still gets in and out on a full disk; the log says what was not kept.
        logging::get("shell")->error("not in the audit log ({}): operator {} {}", e.what(), action,
                                     detail);
    }
}

void Shell::end_session() {
    if (screen_ == Screen::Operator) audit("operator.logout", "session timed out");
    host_.end_session();
    if (sync_now) sync_now();  // what the citizen did should reach the centre soon
    state_.wipe();
    if (on_session_end) on_session_end();
    screen_ = Screen::Home;
    plugin_.clear();
    asking_finished_ = false;
    choosing_language_ = false;
    pin_message_.clear();
    operator_message_.clear();
    operator_plugin_.clear();
    shift_ = false;
    keyboard_language_.clear();
    state_.language = host_.config().default_language;
    state_.large_text = false;
    state_.high_contrast = false;
    session_active_ = false;
}

std::string Shell::format(const std::string& english, std::string_view arg) const {
    try {
        return fmt::format(fmt::runtime(tr(english)), arg);
    } catch (const fmt::format_error&) {
        return fmt::format(fmt::runtime(english), arg);  // a translator broke the {0}
    }
}

std::string Shell::format(const std::string& english, std::string_view arg0,
                          std::string_view arg1) const {
    try {
        return fmt::format(fmt::runtime(tr(english)), arg0, arg1);
    } catch (const fmt::format_error&) {
        return fmt::format(fmt::runtime(english), arg0, arg1);
    }
}

std::int64_t Shell::outbox_count(const char* state) {
    Statement q = host_.database().prepare("SELECT count(*) FROM core__outbox WHERE state = ?");
    q.bind(1, state);
    q.step();
    return q.integer(0);
}

// [SECTION] frame

void Shell::frame(ui::Ui& ui, Clock::time_point now) {
    state_.catalog = &catalog_;
    state_.kit_catalog = &catalog_;
    follow_page();
    double idle = seconds_between(last_touch_, now);
    if (session_active_ && idle >= idle_timeout_s() + kCountdownS) {
        end_session();
        idle = 0;
    }

    check_storage(now);
    host_.pump_printing();  // what the printer did, before a plugin shows it
    SyncStatus sync;
    if (sync_status)
        sync = sync_status();
    else
        sync.pending = outbox_count("pending");
    follow_fleet(sync);
    follow_search_indexes(sync);
    header(ui, sync, now);
    if (session_active_ && idle >= idle_timeout_s()) {
        idle_countdown(ui, static_cast<int>(idle_timeout_s() + kCountdownS - idle + 0.999));
    } else {
        // The keyboard docks at the bottom while a field has focus; the screen scrolls above.
        int keyboard_rows =
            state_.focused().empty() ? 0 : static_cast<int>(layout_for_focus().rows.size());
        ui::ShellAccess::begin_content(ui, "shell.content", keyboard_rows);
        std::size_t drawn_before = state_.tree().size();
        try {
            switch (screen_) {
                case Screen::Home:
                    home(ui);
                    break;
                case Screen::Plugin:
                    plugin_screen(ui);
                    break;
                case Screen::Unavailable:
                    unavailable(ui);
                    break;
                case Screen::Pin:
                    pin_screen(ui, now);
                    break;
                case Screen::Operator:
                    operator_screen(ui, now);
                    break;
            }
        } catch (const StorageError& e) {
            // A write the disk refused (an operator's change on a full disk): the kiosk runs
            // on, says so, and the host knows why from the failure itself.
            if (!e.disk_trouble()) throw;
            logging::get("shell")->error("{}", e.what());
            ui.recover();
            state_.truncate_tree(drawn_before);
            check_storage(now);
            if (screen_ == Screen::Operator)
                operator_message_ = tr("Not saved: the kiosk cannot write to its database now.");
            else if (screen_ != Screen::Pin)
                trouble_banner(ui);
        }
        ui::ShellAccess::end_content(ui);
        // A field that is no longer on screen cannot keep the keyboard open.
        if (!state_.focused().empty() && !state_.node(state_.focused())) {
            state_.blur();
            state_.want_redraw();  // the page was laid out above a keyboard it no longer has
        }
        if (!state_.focused().empty()) keyboard(ui);
    }
    state_.catalog = &catalog_;
    std::vector<std::string> said = state_.take_speech();
    if (!said.empty() && speak) speak(fmt::format("{}", fmt::join(said, ". ")), state_.language);
}

void Shell::follow_page() {
    std::string key = fmt::format("{}/{}/{}/{}", screen(), plugin_, operator_plugin_,
                                  asking_finished_ ? "finish" : "");
    if (key == page_key_) return;
    page_key_ = std::move(key);
    state_.turn_page();
}

// A new fleet configuration is applied between citizens, never under one's hands.
void Shell::follow_fleet(const SyncStatus& sync) {
    if (sync.catalog_changes == catalog_changes_seen_ || session_active_ ||
        (screen_ != Screen::Home && screen_ != Screen::Operator))
        return;
    catalog_changes_seen_ = sync.catalog_changes;
    try {
        // A language the fleet names may have waited for its definition: applied again.
        bool applied = false;
        if (follow_languages()) {
            host_.reapply_fleet_config();
            applied = true;
        }
        applied = host_.apply_fleet_config() || applied;
        if (applied && set_sync_channels) set_sync_channels(host_.channels());
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        logging::get("shell")->error("the fleet configuration is applied later: {}", e.what());
        --catalog_changes_seen_;  // tried again at the next frame that may
    }
}

void Shell::follow_search_indexes(const SyncStatus& sync) {
    if (sync.catalog_changes == index_changes_seen_ || !set_sync_channels ||
        !host_.database_readable())
        return;
    index_changes_seen_ = sync.catalog_changes;
    try {
        std::string cursor = catalog::cursor(host_.database(), search::kIndexesChannel);
        if (cursor == index_cursor_) return;
        index_cursor_ = std::move(cursor);
        set_sync_channels(host_.channels());
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        logging::get("shell")->error("new search indexes' channels are pulled later: {}", e.what());
        --index_changes_seen_;  // tried again at the next frame
    }
}

void Shell::check_storage(Clock::time_point now, bool operator_asked) {
    StorageTrouble now_trouble;
    if (operator_asked || now >= next_storage_check_) {
        now_trouble = host_.recheck_storage(operator_asked);
        next_storage_check_ = now + kStorageCheckEvery;
    } else {
        now_trouble = host_.storage_trouble();
    }
    const bool changed = now_trouble.kind != trouble_.kind;
    trouble_ = std::move(now_trouble);
    if (changed && on_storage_trouble) on_storage_trouble(trouble_);
}

void Shell::trouble_banner(ui::Ui& ui) {
    if (!trouble_) return;
    ui.banner("shell.trouble", ui::Tone::Error,
              tr("This service cannot take requests right now. Please ask the operator."));
}

void Shell::storage_report(ui::Ui& ui, Clock::time_point now) {
    if (!trouble_) return;
    std::string what;
    switch (trouble_.kind) {
        case StorageTrouble::Kind::DiskFull:
            what = format("The disk is full: {0} MB free, at least {1} MB needed",
                          ui.digits(std::to_string(trouble_.free_bytes >> 20)),
                          ui.digits(std::to_string(trouble_.needed_bytes >> 20)));
            break;
        case StorageTrouble::Kind::CannotOpen:
            what = format("The database cannot be opened: {0}", trouble_.reason);
            break;
        case StorageTrouble::Kind::CannotWrite:
        case StorageTrouble::Kind::None:
            what = format("The database cannot be written: {0}", trouble_.reason);
            break;
    }
    ui.banner("shell.op.storage", ui::Tone::Error, what);
    ui.paragraph("shell.op.storage.todo",
                 trouble_.kind == StorageTrouble::Kind::DiskFull
                     ? tr("Free space on this disk. The kiosk takes requests again by itself "
                          "within a minute; it does not need a restart.")
                     : tr("The kiosk tries again every 30 seconds. Do not delete the database: "
                          "requests not yet sent are only in it. If this stays, call support."));
    ui.paragraph("shell.op.storage.reason", tr("Reason") + ": " + trouble_.describe());
    if (ui.button("shell.op.storage.retry", tr("Check again")))
        check_storage(now, /*operator_asked=*/true);
}

void Shell::header(ui::Ui& ui, const SyncStatus& sync, Clock::time_point now) {
    ui.begin_row("shell.header");
    // The language by its pictogram and its own name: found by those who read none of them.
    if (ui.button("shell.language", std::string(ui::language_endonym(state_.language)),
                  ui::ButtonStyle::Secondary, true, ui::icon::language))
        choosing_language_ = !choosing_language_;
    // Read-aloud, large text and high contrast, for every citizen who needs them; reset
    // per session. Each shows whether it is on, apart from what it is.
    if (ui.toggle("shell.read_aloud", tr("Read aloud"), state_.read_aloud,
                  state_.read_aloud ? ui::icon::read_aloud : ui::icon::read_aloud_off) &&
        state_.read_aloud)
        state_.say_page_again();
    ui.toggle("shell.large_text", tr("Large text"), state_.large_text, ui::icon::large_text);
    ui.toggle("shell.contrast", tr("High contrast"), state_.high_contrast, ui::icon::contrast);
    // Operators see the sync; citizens do not need it.
    if (screen_ == Screen::Operator || screen_ == Screen::Pin) {
        ui.paragraph("shell.status.network", sync.online ? tr("Online") : tr("Offline"));
        // Only a pull that brings something is shown: a pass that finds nothing new (every
        // 30 s) would flash the header, and cost two frames of llvmpipe each time.
        if (!sync.pulling.empty() && sync.records > 0)
            ui.paragraph("shell.status.pulling", format("Updating catalogs: {0} received",
                                                        ui.digits(std::to_string(sync.records))));
        ui.paragraph("shell.status.sync",
                     sync.last_sync.empty()
                         ? tr("Never synced")
                         : format("Last sync {0}", ui.digits(local_time(sync.last_sync))));
        ui.paragraph("shell.status.outbox",
                     format("{0} waiting to send", ui.digits(std::to_string(sync.pending))));
    }
    // The clock reads as text, not as a button: five quick taps on it are the operator's
    // hidden way in.
    if (ui.button("shell.clock", ui.digits(clock_text()), ui::ButtonStyle::Plain)) {
        clock_taps_.push_back(now);
        std::erase_if(clock_taps_, [&](Clock::time_point t) { return now - t > kGestureWindow; });
        if (static_cast<int>(clock_taps_.size()) >= kGestureTaps && screen_ != Screen::Operator) {
            clock_taps_.clear();
            state_.blur();
            pin_message_.clear();
            screen_ = Screen::Pin;
        }
    }
    ui.end_row();
    if (choosing_language_) {
        ui.begin_row("shell.languages");
        for (const std::string& language : host_.config().languages) {
            const bool current = language == state_.language;
            if (ui.button("shell.lang." + language, std::string(ui::language_endonym(language)),
                          current ? ui::ButtonStyle::Primary : ui::ButtonStyle::Secondary, true,
                          current ? ui::icon::done : std::string_view())) {
                set_language(language);
                choosing_language_ = false;
            }
        }
        ui.end_row();
    }
    if (host_.development_mode())
        ui.message("shell.devmode", ui::Tone::Warning,
                   tr("Development mode: unsigned plugins are allowed"));
}

void Shell::home(ui::Ui& ui) {
    trouble_banner(ui);
    ui.heading("shell.home.title", tr("Choose a service"));
    ui.begin_tiles("shell.home.tiles");
    for (const PluginInfo& p : host_.plugins()) {
        if (!p.enabled || !p.manifest || !p.manifest->has(Capability::Ui)) continue;
        // A service that keeps requests cannot take one without its database: its tile
        // stays where citizens know it, marked, and says why when tapped.
        const bool waits =
            p.state == PluginState::Waiting ||
            (trouble_ && p.state == PluginState::Running && p.manifest->has(Capability::Storage));
        if (p.state != PluginState::Running && !waits) continue;
        if (ui.tile("shell.home." + p.id, p.manifest->name(state_.language),
                    waits ? tr("Not available right now") : std::string(), p.manifest->icon())) {
            plugin_ = p.id;
            screen_ = waits ? Screen::Unavailable : Screen::Plugin;
        }
    }
    ui.end_tiles();
}

void Shell::plugin_screen(ui::Ui& ui) {
    ui.begin_row("shell.nav");
    bool back =
        ui.button("shell.back", tr("Back"), ui::ButtonStyle::Secondary, true, ui::icon::back);
    bool home =
        ui.button("shell.home", tr("Home"), ui::ButtonStyle::Secondary, true, ui::icon::home);
    ui.end_row();
    if (home) home_pressed();
    if (screen_ != Screen::Plugin) return;
    // Before the citizen spends time on a request the kiosk cannot keep.
    if (trouble_) {
        std::optional<PluginInfo> p = host_.find(plugin_);
        if (p && p->manifest && p->manifest->has(Capability::Storage)) trouble_banner(ui);
    }
    if (asking_finished_) {
        finish_question(ui);
        return;
    }
    auto catalog = plugin_catalogs_.find(plugin_);
    state_.catalog = catalog == plugin_catalogs_.end() ? nullptr : &catalog->second;
    std::size_t drawn_before = state_.tree().size();
    bool leave = false;
    bool ok = host_.call(plugin_, back ? "back" : "draw", [&](Plugin& p) {
        auto* view = dynamic_cast<ui::View*>(&p);
        if (!view) throw Error("it asks for \"ui\" but does not implement seba::ui::View");
        if (back)
            leave = !view->back();
        else
            view->draw(ui);
    });
    state_.catalog = &catalog_;
    if (!ok) {
        // Forget the half-drawn screen and say so in this same frame.
        ui.recover();
        state_.truncate_tree(drawn_before);
        state_.blur();
        screen_ = Screen::Unavailable;
        unavailable(ui);
    } else if (leave) {
        go_home();
    }
}

void Shell::unavailable(ui::Ui& ui) {
    ui.heading("shell.unavailable.title", tr("Service unavailable"));
    if (trouble_)
        trouble_banner(ui);
    else
        ui.paragraph("shell.unavailable.text",
                     tr("This service is not available right now. Please choose another service "
                        "or ask the operator."));
    if (ui.button("shell.home", tr("Home"))) end_session();
}

void Shell::home_pressed() {
    // Nothing typed: nothing to lose, and the next citizen finds the kiosk as new.
    if (state_.has_typed_text() && !asking_finished_) {
        state_.blur();
        asking_finished_ = true;
        return;
    }
    end_session();
}

void Shell::finish_question(ui::Ui& ui) {
    ui.heading("shell.finish.title", tr("Are you finished?"));
    ui.paragraph("shell.finish.text",
                 tr("What you typed will be erased, so that the next person cannot see it."));
    ui.begin_row("shell.finish.actions");
    // Big buttons with a sign each, for citizens who read little.
    bool yes = ui.button("shell.finish.yes", tr("Yes, I am finished"), ui::ButtonStyle::Primary,
                         true, "check");
    bool no = ui.button("shell.finish.no", tr("No, go back"), ui::ButtonStyle::Secondary, true,
                        "arrow_back");
    ui.end_row();
    if (yes)
        end_session();
    else if (no)
        asking_finished_ = false;
}

void Shell::idle_countdown(ui::Ui& ui, int seconds_left) {
    state_.blur();
    ui.heading("shell.idle.title", tr("Are you still there?"));
    ui.message(
        "shell.idle.countdown", ui::Tone::Warning,
        counted("Your session will end in {0} second.", "Your session will end in {0} seconds.",
                static_cast<unsigned long>(std::max(seconds_left, 0))));
    if (ui.button("shell.idle.continue", tr("Continue"), ui::ButtonStyle::Primary, true,
                  ui::icon::touch))
        session_active_ = true;
}

// [SECTION] on-screen keyboard

namespace {

// How many letter keys wide a key is drawn: its row shares the screen's width by these.
float key_units(ui::Key::Action action) {
    switch (action) {
        case ui::Key::Action::Space:
            return 5.0f;
        case ui::Key::Action::NextLayout:
            return 2.5f;
        case ui::Key::Action::Shift:
        case ui::Key::Action::Backspace:
        case ui::Key::Action::Enter:
            return 1.5f;
        case ui::Key::Action::Insert:
        case ui::Key::Action::Left:
        case ui::Key::Action::Right:
            break;
    }
    return 1.0f;
}

}  // namespace

const ui::KeyboardLayout& Shell::layout_for_focus() {
    std::string name;
    switch (state_.focused_kind()) {
        case ui::FieldKind::Number:
        case ui::FieldKind::Pin:
        case ui::FieldKind::Date:
            name = "digits";
            break;
        case ui::FieldKind::Phone:
            name = "phone";
            break;
        default:
            if (keyboard_language_.empty()) keyboard_language_ = state_.language;
            name = keyboard_language_;
    }
    auto it = layouts_.find(name);
    if (it != layouts_.end()) return it->second;
    ui::KeyboardLayout layout;
    if (name == "digits")
        layout = ui::digit_pad();
    else if (name == "phone")
        layout = ui::phone_pad();
    else {
        try {
            layout = ui::keyboard_for_language(name);
        } catch (const Error& e) {
            logging::get("shell")->error("{}; using the English keyboard", e.what());
            layout = ui::keyboard_for_language("en");
        }
    }
    return layouts_.emplace(name, std::move(layout)).first->second;
}

void Shell::keyboard(ui::Ui& ui) {
    const ui::KeyboardLayout& layout = layout_for_focus();
    float widest = 0;
    for (const auto& row : layout.rows) {
        float units = 0;
        for (const ui::Key& key : row) units += key_units(key.action);
        widest = std::max(widest, units);
    }
    ui::ShellAccess::keyboard_columns(ui, widest);
    const std::vector<std::string>& languages = host_.config().languages;
    // Control keys have fixed ids (osk.space, osk.shift...); letters are osk.<row>.<column>.
    for (std::size_t r = 0; r < layout.rows.size(); ++r) {
        ui.begin_row(fmt::format("osk.row{}", r));
        for (std::size_t k = 0; k < layout.rows[r].size(); ++k) {
            const ui::Key& key = layout.rows[r][k];
            switch (key.action) {
                case ui::Key::Action::Insert: {
                    std::string text = shift_ && !key.shifted.empty() ? key.shifted : key.text;
                    // A digit key shows the digit as the citizen reads it and types ASCII.
                    if (ui.key(fmt::format("osk.{}.{}", r, k), ui::key_label(ui.digits(text)))) {
                        state_.insert(text);
                        shift_ = false;
                    }
                    sodium_memzero(text.data(), text.size());
                    break;
                }
                case ui::Key::Action::Space:
                    if (ui.key("osk.space", tr("Space"), key_units(key.action), ui::icon::space))
                        state_.insert(" ");
                    break;
                case ui::Key::Action::Enter:
                    if (ui.key("osk.enter", tr("Enter"), key_units(key.action), ui::icon::enter))
                        state_.blur();
                    break;
                case ui::Key::Action::Backspace:
                    if (ui.key("osk.backspace", tr("Delete"), key_units(key.action),
                               ui::icon::backspace))
                        state_.backspace();
                    break;
                // The kiosk fonts lack the keys' own labels ◀ ▶ (and ← →); they have ‹ ›.
                case ui::Key::Action::Left:
                    if (ui.key("osk.left", "‹", 1.0f, "chevron_left")) state_.move_cursor(-1);
                    break;
                case ui::Key::Action::Right:
                    if (ui.key("osk.right", "›", 1.0f, "chevron_right")) state_.move_cursor(1);
                    break;
                case ui::Key::Action::Shift:
                    if (ui.key("osk.shift", shift_ && !key.shifted.empty() ? key.shifted : key.label, key_units(key.action),
                               ui::icon::shift))
                        shift_ = !shift_;
                    break;
                case ui::Key::Action::NextLayout: {
                    auto at = std::find(languages.begin(), languages.end(), keyboard_language_);
                    std::size_t next = at == languages.end()
                                           ? 0
                                           : static_cast<std::size_t>(at - languages.begin() + 1) %
                                                 languages.size();
                    if (ui.key("osk.next", std::string(ui::language_endonym(languages[next])),
                               key_units(key.action)))
                        keyboard_language_ = languages[next];
                    break;
                }
            }
        }
        ui.end_row();
    }
}

// [SECTION] operator mode

void Shell::setting_field(ui::Ui& ui, const std::string& id, const std::string& label,
                          const std::string& current, ui::FieldKind kind,
                          const std::function<void(std::string_view)>& save) {
    ui::FieldSpec spec;
    spec.kind = kind;
    spec.max_chars = 200;
    ui::FieldResult typed = ui.field(id, label + " (" + ui.digits(current) + ")", spec);
    if (ui.button(id + ".save", tr("Save"), !typed.text.empty())) {
        operator_acts_on(id);
        try {
            save(typed.text);
            tell_operator(id, ui::Tone::Success, tr("Saved"));
        } catch (const StorageError& e) {
            if (e.disk_trouble()) throw;  // the frame says "Not saved", under this setting
            tell_operator(id, ui::Tone::Error, e.what());
        } catch (const Error& e) {
            tell_operator(id, ui::Tone::Error, e.what());
        } catch (const std::exception&) {
            tell_operator(id, ui::Tone::Error, label + ": ?");
        }
        state_.field(id).wipe();
        state_.blur();
    }
}

void Shell::plugin_setting(ui::Ui& ui, const std::string& plugin, const SettingSpec& spec,
                           const nlohmann::json& current) {
    const std::string id = "shell.op.set." + plugin + "." + spec.key;
    const std::string name = plugin_setting_label(plugin, spec);
    auto save = [&](const nlohmann::json& value) {
        host_.change_plugin_setting(plugin, spec.key, value, "operator");
    };
    // A tap saves at once (a toggle, a choice): what came of it is said under it.
    auto save_or_say = [&](const nlohmann::json& value) { save_and_say(id, [&] { save(value); }); };
    switch (spec.type) {
        case SettingSpec::Type::Boolean:
            if (ui.button(id, name + ": " + (current.get<bool>() ? tr("Enabled") : tr("Disabled"))))
                save_or_say(!current.get<bool>());
            break;
        case SettingSpec::Type::Choice: {
            int selected = static_cast<int>(
                std::find(spec.choices.begin(), spec.choices.end(), current.get<std::string>()) -
                spec.choices.begin());
            if (ui.choice(id, name, spec.choices, selected))
                save_or_say(spec.choices[static_cast<std::size_t>(selected)]);
            break;
        }
        case SettingSpec::Type::Integer:
            setting_field(ui, id, name, current.dump(), ui::FieldKind::Number,
                          [&](std::string_view text) { save(std::stoll(std::string(text))); });
            break;
        case SettingSpec::Type::String:
            setting_field(ui, id, name, current.get<std::string>(), ui::FieldKind::Text,
                          [&](std::string_view text) { save(std::string(text)); });
            break;
    }
    operator_message_at(ui, id);
}

void Shell::save_and_say(const std::string& id, const std::function<void()>& save) {
    operator_acts_on(id);
    try {
        save();
        tell_operator(id, ui::Tone::Success, tr("Saved"));
    } catch (const StorageError& e) {
        if (e.disk_trouble()) throw;  // the frame says the disk is full, for every screen
        tell_operator(id, ui::Tone::Error, e.what());
    } catch (const Error& e) {
        tell_operator(id, ui::Tone::Error, e.what());
    }
}

// A kiosk setting the operator may change, with the control its type calls for; the rules
// and the label are the table's (seba/kiosk_settings.hpp), and Host::change_setting checks.
void Shell::kiosk_setting(ui::Ui& ui, const KioskSetting& setting) {
    const std::string id = "shell.op.setting." + std::string(setting.key);
    const std::string label = tr(std::string(setting.label));
    const nlohmann::json current = setting.field.get(host_.config());
    auto save = [&](const nlohmann::json& value) {
        host_.change_setting(setting.key, value, "operator");
    };
    // The rules may refuse a change (the last language cannot go): said under it.
    auto save_or_say = [&](const nlohmann::json& value) { save_and_say(id, [&] { save(value); }); };
    std::vector<std::string> choices = setting.rule.choices;
    // The languages to offer are data: every one this kiosk knows and can show.
    if (setting.key == "kiosk.languages") {
        for (const ui::Language& language : ui::languages().all())
            if (host_.language_problem(language.tag).empty()) choices.push_back(language.tag);
    }
    switch (setting.rule.type) {
        case SettingType::Integer:
            setting_field(ui, id, label, current.dump(), ui::FieldKind::Number,
                          [&](std::string_view text) { save(std::stoll(std::string(text))); });
            break;
        case SettingType::Boolean:
            if (ui.button(id,
                          label + ": " + (current.get<bool>() ? tr("Enabled") : tr("Disabled"))))
                save_or_say(!current.get<bool>());
            break;
        case SettingType::Text:
        case SettingType::Path:
            if (!choices.empty()) {
                int selected = static_cast<int>(
                    std::find(choices.begin(), choices.end(), current.get<std::string>()) -
                    choices.begin());
                if (ui.choice(id, label, choices, selected))
                    save_or_say(choices[static_cast<std::size_t>(selected)]);
            } else {
                setting_field(ui, id, label, current.get<std::string>(), ui::FieldKind::Text,
                              [&](std::string_view text) { save(std::string(text)); });
            }
            break;
        case SettingType::TextList:
            // Each choice a toggle, by its own name (a language's endonym); tapping one adds or
            // removes it, keeping the table's order.
            ui.paragraph(id + ".label", label);
            ui.begin_row(id);
            for (const std::string& choice : choices) {
                auto has = [&](const std::string& c) {
                    return std::find(current.begin(), current.end(), c) != current.end();
                };
                if (ui.button(id + "." + choice, std::string(ui::language_endonym(choice)) +
                                                     (has(choice) ? " ✓" : ""))) {
                    nlohmann::json chosen = nlohmann::json::array();
                    for (const std::string& c : choices)
                        if ((c == choice) != has(c)) chosen.push_back(c);
                    save_or_say(chosen);
                }
            }
            ui.end_row();
            break;
        case SettingType::PathList:
            break;  // no such setting is the operator's
    }
    operator_message_at(ui, id);
}

void Shell::pin_screen(ui::Ui& ui, Clock::time_point now) {
    ui.heading("shell.pin.title", tr("Operator"));
    if (!host_.database_readable()) {
        // No PIN can be checked without the database, and there is nothing behind it to
        // change: the operator learns why, and can have the kiosk look again.
        storage_report(ui, now);
        if (ui.button("shell.pin.cancel", tr("Cancel"))) go_home();
        return;
    }
    if (!pin_.is_set()) {
        ui.message("shell.pin.unset", ui::Tone::Error,
                   "No operator PIN is set on this kiosk. Set one on the kiosk with: "
                   "seba-kiosk --config FILE set-pin");
        if (ui.button("shell.pin.cancel", tr("Cancel"))) go_home();
        return;
    }
    ui::FieldSpec spec;
    spec.kind = ui::FieldKind::Pin;
    spec.max_chars = 12;
    if (state_.focused().empty()) state_.focus("shell.pin", spec);
    ui::FieldResult pin = ui.field("shell.pin", tr("Enter PIN"), spec);
    int locked = pin_.locked_for_s();
    if (locked > 0)
        ui.message("shell.pin.locked", ui::Tone::Error,
                   counted("Too many wrong PINs. Try again in {0} second.",
                           "Too many wrong PINs. Try again in {0} seconds.",
                           static_cast<unsigned long>(locked)));
    else if (!pin_message_.empty())
        ui.message("shell.pin.message", ui::Tone::Error, pin_message_);
    ui.begin_row("shell.pin.actions");
    bool ok = ui.button("shell.pin.ok", tr("OK"), locked == 0 && !pin.text.empty());
    bool cancel = ui.button("shell.pin.cancel", tr("Cancel"));
    ui.end_row();
    if (ok) {
        OperatorPin::Attempt attempt = pin_.check(pin.text);
        state_.field("shell.pin").wipe();
        if (attempt.ok) {
            audit("operator.login");
            state_.blur();
            pin_message_.clear();
            screen_ = Screen::Operator;
        } else {
            pin_message_ = tr("Wrong PIN");
        }
    } else if (cancel) {
        state_.field("shell.pin").wipe();
        go_home();
    }
}

bool Shell::plugin_operator_page(ui::Ui& ui) {
    if (ui.button("shell.op.back", tr("Back"))) {
        operator_plugin_.clear();
        return false;
    }
    auto catalog = plugin_catalogs_.find(operator_plugin_);
    state_.catalog = catalog == plugin_catalogs_.end() ? nullptr : &catalog->second;
    std::size_t drawn_before = state_.tree().size();
    bool ok = host_.call(operator_plugin_, "draw_operator", [&](Plugin& p) {
        auto* page = dynamic_cast<ui::OperatorView*>(&p);
        if (!page) throw Error("it has no operator page");
        page->draw_operator(ui);
    });
    state_.catalog = &catalog_;
    if (!ok) {
        ui.recover();
        state_.truncate_tree(drawn_before);
        state_.blur();
        operator_plugin_.clear();
        return false;
    }
    return true;
}

void Shell::operator_screen(ui::Ui& ui, Clock::time_point now) {
    operator_message_drawn_ = false;
    ui.heading("shell.op.title", tr("Operator"));
    storage_report(ui, now);
    operator_message_at(ui, "");  // about the whole page

    if (!operator_plugin_.empty()) {
        const std::size_t page_from = state_.tree().size();
        if (plugin_operator_page(ui)) {
            remember_page_fields(page_from);
            return;
        }
        leave_operator_page();  // Back, or the page failed and was closed
    }

    ui.heading("shell.op.plugins", tr("Plugin health"));
    std::vector<PluginInfo> plugins = host_.plugins();
    for (std::size_t i = 0; i < plugins.size(); ++i) {
        const PluginInfo& p = plugins[i];
        const std::string row = "shell.op.plugin." + p.id;
        std::string name = p.manifest ? p.manifest->name(state_.language) : p.id;
        ui.list_row(row, name, tr(state_label(p.state)));
        if (!p.reason.empty())
            ui.paragraph("shell.op.reason." + p.id, tr("Reason") + ": " + p.reason);
        ui.begin_row("shell.op.actions." + p.id);
        // A plugin's own operator page, under its name.
        if (p.state == PluginState::Running) {
            bool has_page = false;
            host_.call(p.id, "operator_view", [&](Plugin& plugin) {
                has_page = dynamic_cast<ui::OperatorView*>(&plugin) != nullptr;
            });
            if (has_page && ui.button("shell.op.open." + p.id, name)) {
                leave_operator_page();
                operator_plugin_ = p.id;
            }
        }
        // A toggle that shows the current state; tapping flips it.
        if (ui.button("shell.op.toggle." + p.id, p.enabled ? tr("Enabled") : tr("Disabled"))) {
            operator_acts_on(row);
            host_.set_enabled(p.id, !p.enabled, "operator");
        }
        if (p.enabled && i > 0 && ui.button("shell.op.up." + p.id, tr("Move up"))) {
            operator_acts_on(row);
            host_.move(p.id, i - 1, "operator");
        }
        if (p.enabled && i + 1 < plugins.size() && plugins[i + 1].enabled &&
            ui.button("shell.op.down." + p.id, tr("Move down"))) {
            operator_acts_on(row);
            host_.move(p.id, i + 1, "operator");
        }
        if (p.state == PluginState::Failed || p.state == PluginState::Quarantined)
            if (ui.button("shell.op.reenable." + p.id, tr("Re-enable"))) {
                operator_acts_on(row);
                host_.reenable(p.id, "operator");
            }
        ui.end_row();
        operator_message_at(ui, row);
    }

    ui.heading("shell.op.kiosk", tr("Kiosk settings"));
    for (const KioskSetting& setting : kiosk_settings())
        if (setting.settable_by(SettingLayer::Operator)) kiosk_setting(ui, setting);

    for (const PluginInfo& p : plugins) {
        nlohmann::json values = host_.plugin_settings(p.id);
        if (!p.manifest || p.manifest->settings.empty() || values.is_null()) continue;
        ui.heading("shell.op.settings." + p.id,
                   tr("Settings") + ": " + p.manifest->name(state_.language));
        for (const SettingSpec& spec : p.manifest->settings)
            plugin_setting(ui, p.id, spec, values[spec.key]);
    }

    ui.heading("shell.op.outbox", tr("Outbox"));
    outbox_list(ui);
    // Why sync does not go through (a lost device key says to re-enroll), in the core's words.
    if (sync_status) {
        if (SyncStatus sync = sync_status(); !sync.last_error.empty())
            ui.paragraph("shell.op.sync_problem", tr("Sync problem") + ": " + sync.last_error);
    }
    // The kiosk's clock against the server's: events and receipts carry the corrected time.
    {
        const KioskClock& clock = KioskClock::instance();
        const long long off_ms = clock.offset().count();
        const long long off_s = std::llround(static_cast<double>(off_ms) / 1000.0);
        std::string text;
        if (!clock.checked())
            text = tr("Not yet checked against the server's clock");
        else if (std::llabs(off_ms) <= 1500)  // within what the server's Date can tell
            text = tr("Agrees with the server's clock");
        else if (off_s < 0)  // the server's clock is behind this kiosk's: this one is ahead
            text = counted("{0} second ahead of the server's clock",
                           "{0} seconds ahead of the server's clock",
                           static_cast<unsigned long>(-off_s));
        else
            text =
                counted("{0} second behind the server's clock",
                        "{0} seconds behind the server's clock", static_cast<unsigned long>(off_s));
        ui.paragraph("shell.op.clock", tr("Clock") + ": " + text);
    }

    ui.heading("shell.op.catalogs", tr("Catalogs"));
    for (const std::string& channel : host_.channels())
        ui.paragraph(
            "shell.op.catalog." + channel,
            channel + ": " +
                counted("{0} record", "{0} records",
                        static_cast<unsigned long>(catalog::size(host_.database(), channel))));
    if (sync_now && ui.button("shell.op.sync_now", tr("Sync now"))) {
        operator_acts_on("shell.op.sync_now");
        sync_now();
        tell_operator("shell.op.sync_now", ui::Tone::Success, tr("Sync started"));
    }
    operator_message_at(ui, "shell.op.sync_now");
    if (std::vector<std::string> kept = host_.overrides(); !kept.empty()) {
        ui.paragraph("shell.op.overrides", tr("Changed on this kiosk, over the fleet's settings") +
                                               ": " + fmt::format("{}", fmt::join(kept, ", ")));
        if (ui.button("shell.op.clear_overrides", tr("Use the fleet's settings"))) {
            operator_acts_on("shell.op.clear_overrides");
            host_.clear_overrides("operator");
            if (set_sync_channels) set_sync_channels(host_.channels());
            tell_operator("shell.op.clear_overrides", ui::Tone::Success, tr("Saved"));
        }
    }
    // Where the fleet's settings were: the button is gone once they are back.
    operator_message_at(ui, "shell.op.clear_overrides");

    if (ui.button("shell.op.exit", tr("Exit operator mode"))) {
        audit("operator.logout");
        leave_operator_page();
        operator_plugin_.clear();
        go_home();
        return;
    }
    // About something no longer on the page: said at its end rather than not at all.
    operator_message_at(ui, operator_message_at_);
}

// [SECTION] operator mode: messages beside what they are about, and the outbox

void Shell::operator_acts_on(std::string at) {
    operator_message_.clear();
    operator_message_at_ = std::move(at);
    operator_message_tone_ = ui::Tone::Error;  // what the frame says when the disk refuses it
}

void Shell::tell_operator(std::string at, ui::Tone tone, std::string text) {
    operator_message_at_ = std::move(at);
    operator_message_tone_ = tone;
    operator_message_ = std::move(text);
}

void Shell::operator_message_at(ui::Ui& ui, std::string_view at) {
    if (operator_message_.empty() || operator_message_drawn_ || operator_message_at_ != at) return;
    ui.message("shell.op.message", operator_message_tone_, operator_message_);
    operator_message_drawn_ = true;
}

void Shell::leave_operator_page() {
    operator_message_.clear();
    operator_message_at_.clear();
    // As a citizen's screen that leaves: what was typed there is not found by the next visit.
    for (const std::string& id : operator_page_fields_) state_.field(id).wipe();
    operator_page_fields_.clear();
}

void Shell::remember_page_fields(std::size_t from) {
    const std::vector<ui::Node>& tree = state_.tree();
    for (std::size_t i = from; i < tree.size(); ++i)
        if (tree[i].role == ui::Role::Field &&
            std::find(operator_page_fields_.begin(), operator_page_fields_.end(), tree[i].id) ==
                operator_page_fields_.end())
            operator_page_fields_.push_back(tree[i].id);
}

std::string Shell::plugin_setting_label(const std::string& plugin, const SettingSpec& spec) const {
    const auto english = spec.label.find("en");
    if (english == spec.label.end()) return spec.key;  // a manifest always has one
    if (auto catalog = plugin_catalogs_.find(plugin); catalog != plugin_catalogs_.end()) {
        const std::string& translated = catalog->second.translate(state_.language, english->second);
        if (translated != english->second || state_.language == "en") return translated;
    }
    const auto own = spec.label.find(state_.language);
    return own != spec.label.end() ? own->second : english->second;
}

std::string Shell::event_age(ui::Ui& ui, const std::string& created_at) const {
    std::tm utc{};
    if (!strptime(created_at.c_str(), "%Y-%m-%dT%H:%M:%S", &utc)) return created_at;
    const auto made = std::chrono::system_clock::from_time_t(timegm(&utc));
    const long long minutes = std::max<long long>(
        0, std::chrono::duration_cast<std::chrono::minutes>(kiosk_now().at - made).count());
    if (minutes < 60) return format("{0} min", ui.digits(std::to_string(minutes)));
    if (minutes < 48 * 60) return format("{0} h", ui.digits(std::to_string(minutes / 60)));
    return format("{0} d", ui.digits(std::to_string(minutes / (24 * 60))));
}

void Shell::outbox_list(ui::Ui& ui) {
    Database& db = host_.database();
    const outbox::Counts counts = outbox::counts(db);
    ui.paragraph("shell.op.outbox.pending",
                 tr("Events waiting") + ": " + ui.digits(std::to_string(counts.pending)));
    ui.paragraph("shell.op.outbox.failed",
                 tr("Failed events") + ": " + ui.digits(std::to_string(counts.failed)));
    auto back_in_line = [&](int how_many) {
        tell_operator("shell.op.outbox", ui::Tone::Success,
                      format("Back in line to send: {0}", ui.digits(std::to_string(how_many))));
        if (sync_now) sync_now();
    };
    // The failed first: they wait for the operator, the others only for the network.
    const std::vector<outbox::Entry> events = outbox::unsent(db, kOutboxRows);
    for (const outbox::Entry& e : events) {
        const bool failed = e.state == outbox::State::Failed;
        ui.list_row("shell.op.outbox.event." + e.uuid, e.type,
                    (failed ? tr("Not sent") : tr("Waiting to send")) + ", " +
                        event_age(ui, e.created_at) + ", " +
                        format("Attempts: {0}", ui.digits(std::to_string(e.attempts))));
        if (!failed) continue;
        // The server's own words for a conflict or a refusal; no payload is ever shown.
        if (!e.last_error.empty())
            ui.paragraph("shell.op.outbox.reason." + e.uuid, tr("Reason") + ": " + e.last_error);
        if (ui.button("shell.op.outbox.retry." + e.uuid, tr("Retry"))) {
            operator_acts_on("shell.op.outbox");
            if (outbox::retry(db, host_.audit(), e.uuid, "operator")) back_in_line(1);
        }
    }
    const std::int64_t more =
        counts.pending + counts.failed - static_cast<std::int64_t>(events.size());
    if (more > 0)
        ui.paragraph("shell.op.outbox.more",
                     format("and {0} more", ui.digits(std::to_string(more))));
    if (counts.failed > 0 && ui.button("shell.op.outbox.retry_all", tr("Retry all failed"))) {
        operator_acts_on("shell.op.outbox");
        back_in_line(outbox::retry_all(db, host_.audit(), "operator"));
    }
    operator_message_at(ui, "shell.op.outbox");
}

}  // namespace seba::kiosk
