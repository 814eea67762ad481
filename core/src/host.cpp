// SPDX-License-Identifier: Apache-2.0
#include "seba/host.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "config_layers.hpp"
#include "crash_marker.hpp"
#include "loader.hpp"
#include "seba/content_files.hpp"
#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/logging.hpp"
#include "seba/plugin_store.hpp"
#include "seba/print.hpp"
#include "seba/private_files.hpp"
#include "seba/retention.hpp"
#include "seba/scanner.hpp"
#include "seba/search_index.hpp"
#include "seba/settings.hpp"
#include "unavailable_printer.hpp"

namespace seba {

std::string_view to_string(PluginState state) {
    switch (state) {
        case PluginState::Disabled:
            return "disabled";
        case PluginState::Refused:
            return "refused";
        case PluginState::Quarantined:
            return "quarantined";
        case PluginState::Failed:
            return "failed";
        case PluginState::Loaded:
            return "loaded";
        case PluginState::Running:
            return "running";
        case PluginState::Stopped:
            return "stopped";
        case PluginState::Waiting:
            return "waiting";
    }
    return "unknown";
}

namespace {

constexpr const char* kSystem = "system";
constexpr const char* kFleetChannel = "fleet";
// A country's languages and translations (seba/ui/languages.hpp), kept by every kiosk.
constexpr const char* kLanguagesChannel = "i18n.languages";
constexpr const char* kTranslationsChannel = "i18n.translations";

// The camera of a kiosk that has none (or of a program that reads none: seba-host, tests).
class NoCamera final : public scan::Scanner {
  public:
    bool available() const override { return false; }
    void start() override {}
    void stop() override {}
    std::optional<std::string> poll() override { return std::nullopt; }
    std::string problem() const override {
        return "this kiosk has no camera: [camera] in its configuration names no device";
    }
};

// Heap-allocated and holding its own copy of the manifest, so it stays valid while the
// host reorders its slots.
class Context final : public PluginContext {
  public:
    Context(const Manifest& manifest, Database& db, Settings settings, AuditLog& audit,
            print::PrintService* print_service, scan::Scanner& scanner,
            std::filesystem::path device_key_file, std::filesystem::path files_dir,
            const std::function<void()>* fetch_files)
        : manifest_(manifest),
          db_(db),
          device_key_file_(std::move(device_key_file)),
          log_(logging::get("plugin." + manifest.id)),
          store_(db, manifest),
          settings_(std::move(settings)),
          audit_(audit),
          print_service_(print_service),
          scanner_(scanner),
          files_dir_(std::move(files_dir)),
          fetch_files_(fetch_files) {}

    const Manifest& manifest() const override { return manifest_; }
    spdlog::logger& log() override { return *log_; }
    PluginStore& store() override {
        if (!manifest_.has(Capability::Storage))
            throw Error(
                fmt::format("plugin {} used storage without the \"storage\" capability "
                            "in its manifest",
                            manifest_.id));
        return store_;
    }
    const Settings& settings() const override { return settings_; }
    void audit(std::string_view action, std::string_view subject,
               std::string_view detail) override {
        audit_.append("plugin." + manifest_.id, action, subject, detail);
    }
    print::Printer& printer() override {
        if (!manifest_.has(Capability::Printer))
            throw Error(
                fmt::format("plugin {} used the printer without the \"printer\" capability "
                            "in its manifest",
                            manifest_.id));
        if (print_service_) return print_service_->printer_for(manifest_.id);
        if (!unavailable_printer_) unavailable_printer_ = detail::unavailable_printer(manifest_.id);
        return *unavailable_printer_;
    }
    credentials::Credentials& credentials() override {
        require(Capability::Credentials, "credentials", "credentials");
        if (!credentials_) credentials_ = credentials::kiosk_credentials(db_, device_key_file_);
        return *credentials_;
    }
    files::Files& files() override {
        require(Capability::Files, "files", "content files");
        if (!files_)
            files_ = files::local_files(db_, files_dir_, manifest_.id, [fetch = fetch_files_] {
                if (*fetch) (*fetch)();
            });
        return *files_;
    }
    scan::Scanner& scanner() override {
        require(Capability::Camera, "camera", "the camera");
        return scanner_;
    }
    std::string centre() const override { return read_core_value(db_, "sync.centre").value_or(""); }
    void replace_settings(Settings settings) { settings_ = std::move(settings); }

  private:
    void require(Capability capability, std::string_view name, std::string_view what) const {
        if (!manifest_.has(capability))
            throw Error(
                fmt::format("plugin {} used {} without the \"{}\" capability in its "
                            "manifest",
                            manifest_.id, what, name));
    }

    const Manifest manifest_;
    Database& db_;
    const std::filesystem::path device_key_file_;  // the sync client's: credentials sign with it
    std::unique_ptr<credentials::Credentials> credentials_;
    std::shared_ptr<spdlog::logger> log_;
    PluginStore store_;
    Settings settings_;
    AuditLog& audit_;
    print::PrintService* print_service_;  // the host's; null in a program that does not print
    std::unique_ptr<print::Printer> unavailable_printer_;
    scan::Scanner& scanner_;           // the host's, shared by every plugin with the camera
    std::filesystem::path files_dir_;  // <data_dir>/files
    const std::function<void()>* fetch_files_;  // the host's (Host::set_fetch_files)
    std::unique_ptr<files::Files> files_;       // made at first use
};

struct Slot {
    PluginInfo info;
    Plugin* plugin = nullptr;  // owned; deleted in ~Host, the module is never unloaded
    std::unique_ptr<Context> context;
    // The checked manifest and module bytes, from discovery until the module is loaded.
    std::optional<detail::VerifiedPlugin> verified;
    bool migrated = false;  // its schema migrations are applied
};

// Opens the database and migrates core's tables. `exclusive`: for reading on a full disk
// (Database::Options::exclusive); migrating then works only when nothing is left to apply.
Database open_and_migrate(const Config& config, bool exclusive) {
    // The data folder is the kiosk user's alone: 0700, its files 0600, whatever an older
    // version or the umask left (docs/security.md).
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec)
        throw StorageError(
            fmt::format("{}: cannot create the data folder ({}); set kiosk.data_dir "
                        "in {} to a writable folder",
                        config.data_dir.string(), ec.message(), config.source.string()),
            0, ec.value());
    for (const std::string& problem : make_private(config.data_dir))
        logging::get("host")->warn("{}", problem);
    Database::Options options;
    options.exclusive = exclusive;
    Database db = Database::open(config.database_path(), options);
    migrate_core(db);
    // What the kiosk last knew of its clock, before anything is recorded with it.
    KioskClock::instance().load(db);
    return db;
}

void forget_old(Database& db, const Config& config) {
    if (int deleted = forget_old_events(db, config.retention_days, kiosk_now().at); deleted > 0) {
        logging::get("host")->info("deleted {} refused or unsendable event(s) older than {} days",
                                   deleted, config.retention_days);
        truncate_wal(db);
    }
}

std::optional<DiskRoom> room_for(const Config& config) {
    return disk_room(config.data_dir);
}

bool too_little(const std::optional<DiskRoom>& room, const Config& config) {
    return room && room->free_bytes < config.min_free_bytes;
}

StorageTrouble disk_full(const DiskRoom& room, const Config& config) {
    StorageTrouble t;
    t.kind = StorageTrouble::Kind::DiskFull;
    t.data_dir = config.data_dir;
    t.free_bytes = room.free_bytes;
    t.needed_bytes = config.min_free_bytes;
    t.limited_by_rlimit = room.limited_by_rlimit;
    return t;
}

// The database as the host starts with it.
struct OpenedDatabase {
    Database db;
    bool readable = true;    // false: a stand-in in memory; the real one could not be opened
    bool exclusive = false;  // the real one, opened only for reading on a full disk
    std::string problem;     // why the real one could not be opened
};

OpenedDatabase open_database(const Config& config, Host::OnStorageTrouble on_trouble) {
    try {
        return {open_and_migrate(config, false), true, false, {}};
    } catch (const StorageError& e) {
        std::optional<DiskRoom> room = room_for(config);
        if (on_trouble == Host::OnStorageTrouble::Throw) {
            // Said as the kiosk says it, with SQLite's words after.
            if (too_little(room, config))
                throw StorageError(
                    fmt::format("{} ({})", disk_full(*room, config).describe(), e.what()),
                    e.sqlite_code(), e.system_errno());
            throw;
        }
        // On a full disk SQLite cannot make its -shm index file, so even reading fails; it
        // reads with the index in memory. A damaged or foreign file is never tried again.
        const int code = e.sqlite_code() & 0xFF;
        if ((too_little(room, config) || e.out_of_space() || code == SQLITE_IOERR) &&
            code != SQLITE_NOTADB && code != SQLITE_CORRUPT) {
            try {
                return {open_and_migrate(config, true), true, true, e.what()};
            } catch (const StorageError& again) {
                logging::get("host")->warn("the database cannot be read either: {}", again.what());
            }
        }
        // Nothing of the real one can be read: an empty stand-in keeps the screens working,
        // and takes no write (query_only), so nothing can be taken for stored.
        Database stand_in = Database::open_in_memory();
        migrate_core(stand_in);
        stand_in.exec("PRAGMA query_only=ON");
        return {std::move(stand_in), false, false, e.what()};
    }
}

std::string file_key(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::path out = std::filesystem::weakly_canonical(file, ec);
    return ec ? file.string() : out.string();
}

}  // namespace

struct Host::Impl {
    Config config;
    const OnStorageTrouble on_trouble;
    Database db;
    bool db_readable;          // false: a stand-in in memory (see open_database)
    bool db_exclusive;         // opened only for reading, on a full disk
    std::string open_problem;  // why the real database could not be opened
    AuditLog audit;
    std::shared_ptr<spdlog::logger> log;
    detail::CrashMarker marker;
    detail::ConfigLayers layers;   // `config` is their effective configuration
    std::vector<Slot> slots;       // in display order
    PluginCheck plugin_check;      // the hosting program's rule (set_plugin_check)
    LanguageCheck language_check;  // which languages this kiosk can offer (set_language_check)
    std::pair<std::vector<std::string>, std::string> file_languages;  // the config file's

    // Why one of `languages` cannot be offered here, or "".
    std::string unusable_language(const std::vector<std::string>& languages) const {
        if (!language_check) return {};
        for (const std::string& tag : languages)
            if (std::string why = language_check(tag); !why.empty()) return why;
        return {};
    }
    bool started = false;
    // The kiosk's printer (set_print_service); stopped before the plugins, gone before db.
    std::unique_ptr<print::PrintService> print;
    std::string print_problem;  // what pump_printing last met, said once
    // The kiosk's camera (set_scanner); one that is never available until it is set.
    std::unique_ptr<scan::Scanner> scanner = std::make_unique<NoCamera>();
    // Releases the camera and forgets the codes no plugin took: a code the last citizen
    // showed is never handed to the next one's screen.
    void stop_scanner() noexcept {
        try {
            scanner->stop();
        } catch (const std::exception& e) {
            spdlog::warn("stopping the camera failed: {}", e.what());
        }
    }
    std::function<void()> fetch_files;  // wakes the sync engine (set_fetch_files)

    // [SECTION] resources running out (seba/storage_health.hpp)
    std::string db_key;                   // the database file, as last_write_failure names it
    std::uint64_t failures_seen = 0;      // write failures before this one are taken in
    std::optional<WriteFailure> failure;  // the last one, until a recheck or the operator
    StorageTrouble trouble;               // as last assessed
    std::string pending_blame;            // a crash to record once the database takes writes
    std::string last_disk_error;          // what a plugin call last met

    Impl(Config c, OnStorageTrouble mode, OpenedDatabase opened)
        : config(std::move(c)),
          on_trouble(mode),
          db(std::move(opened.db)),
          db_readable(opened.readable),
          db_exclusive(opened.exclusive),
          open_problem(std::move(opened.problem)),
          audit(db),
          log(logging::get("host")),
          marker(make_marker()),
          layers(config, db, audit, *log) {
        config = layers.effective();
        db_key = file_key(config.database_path());
        if (std::optional<WriteFailure> f = last_write_failure(db_key)) failures_seen = f->serial;
        trouble = assess(room_for(config));
        if (degrading() && trouble) {
            logging::alert(trouble.describe());
            return;  // nothing is deleted, or written, until there is room
        }
        forget_old(db, config);
    }

    bool degrading() const { return on_trouble == OnStorageTrouble::Degrade; }

    detail::CrashMarker make_marker() {
        const std::filesystem::path file = config.data_dir / "crash-marker";
        try {
            return detail::CrashMarker(file);
        } catch (const Error& e) {
            if (!degrading()) throw;
            log->warn("{}; plugin crashes are not remembered until it can be made", e.what());
            return detail::CrashMarker();
        }
    }

    // Why the kiosk cannot take requests, from what is known now and the room `room`. A full
    // disk comes first: it is the likeliest cause of the rest, and what the operator can fix.
    StorageTrouble assess(const std::optional<DiskRoom>& room) const {
        StorageTrouble t;
        t.data_dir = config.data_dir;
        if (room) {
            t = disk_full(*room, config);
            if (!too_little(room, config)) t.kind = StorageTrouble::Kind::None;
        }
        if (t) return t;
        if (!db_readable || db_exclusive) {
            t.kind = StorageTrouble::Kind::CannotOpen;
            t.reason = open_problem;
        } else if (failure) {
            t.kind = StorageTrouble::Kind::CannotWrite;
            t.reason = failure->message;
        }
        return t;
    }

    // Takes in a write that failed on the database since the last look; true if one did.
    bool take_in_failures() {
        std::optional<WriteFailure> f = last_write_failure(db_key);
        if (!f || f->serial <= failures_seen) return false;
        failures_seen = f->serial;
        // An I/O error while there is no room is put down to the room (SQLite does not always
        // keep the errno that said so): it is over when there is room again.
        if (!f->out_of_space && too_little(room_for(config), config)) f->out_of_space = true;
        failure = std::move(f);
        return true;
    }

    // The failures that opening the database again made are not new trouble.
    void forget_own_failures() {
        if (std::optional<WriteFailure> f = last_write_failure(db_key)) failures_seen = f->serial;
    }

    void update(StorageTrouble now) {
        const StorageTrouble::Kind before = trouble.kind;
        trouble = std::move(now);
        if (trouble.kind == before) return;
        if (trouble) {
            logging::alert(trouble.describe());
            return;
        }
        logging::alert("the kiosk takes requests again: " + trouble.describe());
        resume();
    }

    // The real database, opened again for reading and writing (it could not be, or only for
    // reading). On failure the host keeps reading what it can, as at start.
    void reopen() {
        const bool was_readable = db_readable;
        db.close();
        try {
            db = open_and_migrate(config, false);
            db_readable = true;
            db_exclusive = false;
            open_problem.clear();
            log->info("the database {} is open again", config.database_path().string());
        } catch (const StorageError& e) {
            open_problem = e.what();
            OpenedDatabase again = [&]() -> OpenedDatabase {
                if (was_readable) {
                    try {
                        return {open_and_migrate(config, true), true, true, e.what()};
                    } catch (const StorageError&) {
                    }
                }
                Database stand_in = Database::open_in_memory();
                migrate_core(stand_in);
                stand_in.exec("PRAGMA query_only=ON");
                return {std::move(stand_in), false, false, e.what()};
            }();
            db = std::move(again.db);
            db_readable = again.readable;
            db_exclusive = again.exclusive;
        }
        forget_own_failures();
        if (!was_readable && db_readable) refresh_from_database();
    }

    // After a stand-in: the fleet's and the operator's settings and plugins, as the real
    // database keeps them.
    void refresh_from_database() {
        layers.reread_fleet();
        config = layers.effective();
        std::size_t position = 0;
        for (const std::string& id : layers.enabled_order()) {
            if (!slot(id)) continue;
            place(id, position++).info.enabled = true;
        }
        for (std::size_t i = position; i < slots.size(); ++i) {
            Slot& s = slots[i];
            if (!s.info.enabled) continue;
            s.info.enabled = false;
            stop(s);
            if (s.info.state != PluginState::Refused) set_state(s, PluginState::Disabled);
        }
    }

    // Room again: what waited for it.
    void resume() {
        if (marker.in_memory()) {
            try {
                marker.open(config.data_dir / "crash-marker");
                if (std::string id = marker.take_previous(); !id.empty() && pending_blame.empty())
                    pending_blame = id;
            } catch (const Error& e) {
                log->warn("{}", e.what());
            }
        }
        record_blame();
        try {
            forget_old(db, config);
        } catch (const StorageError& e) {
            log->warn("cleaning the outbox failed: {}", e.what());
        }
        if (!started) return;
        for (Slot& s : slots)
            if (s.info.enabled &&
                (s.info.state == PluginState::Waiting || s.info.state == PluginState::Disabled))
                load_and_start(s);
    }

    // Degraded, a plugin that needs storage waits, and so does one that crashed the last run
    // (its crash cannot be counted, so quarantine could not stop a crash loop).
    bool must_wait(const Slot& s) const {
        if (!degrading() || !trouble) return false;
        return s.info.id == pending_blame ||
               (s.info.manifest && s.info.manifest->has(Capability::Storage));
    }

    // An audit entry, or where the database cannot take it, a log line (the kiosk degraded).
    void audit_or_log(std::string_view actor, std::string_view action, std::string_view subject,
                      std::string_view detail) {
        try {
            audit.append(actor, action, subject, detail);
        } catch (const StorageError& e) {
            if (!degrading() || !e.disk_trouble()) throw;
            log->error("not in the audit log, the database cannot take it ({}): {} {} {} {}",
                       e.what(), actor, action, subject, detail);
        }
    }

    Slot* slot(std::string_view id) {
        for (Slot& s : slots)
            if (s.info.id == id) return &s;
        return nullptr;
    }

    std::size_t enabled_count() const {
        return static_cast<std::size_t>(std::count_if(
            slots.begin(), slots.end(), [](const Slot& s) { return s.info.enabled; }));
    }

    // Moves a plugin's slot to `position` (counted without it) and returns it there.
    Slot& place(std::string_view id, std::size_t position) {
        auto from = std::find_if(slots.begin(), slots.end(),
                                 [&](const Slot& s) { return s.info.id == id; });
        Slot taken = std::move(*from);
        slots.erase(from);
        position = std::min(position, slots.size());
        return *slots.insert(slots.begin() + static_cast<std::ptrdiff_t>(position),
                             std::move(taken));
    }

    std::size_t position(std::string_view id) const {
        return static_cast<std::size_t>(
            std::find_if(slots.begin(), slots.end(),
                         [&](const Slot& s) { return s.info.id == id; }) -
            slots.begin());
    }

    Slot& require(std::string_view id) {
        if (Slot* s = slot(id)) return *s;
        throw Error(fmt::format("no plugin \"{}\" was found in the plugin folders", id));
    }

    // [SECTION] persisted state

    void save_enabled_order(std::string_view actor) {
        std::vector<std::string> ids;
        for (const Slot& s : slots)
            if (s.info.enabled) ids.push_back(s.info.id);
        layers.save_enabled_order(ids, actor);
    }

    struct Health {
        int crash_count = 0;
        bool quarantined = false;
        std::string reason;
    };

    Health health(std::string_view id) {
        Statement q = db.prepare(
            "SELECT crash_count, quarantined, coalesce(reason, '') FROM core__plugin_health "
            "WHERE plugin = ?");
        q.bind(1, id);
        if (!q.step()) return {};
        return {static_cast<int>(q.integer(0)), q.integer(1) != 0, q.text(2)};
    }

    void save_health(std::string_view id, const Health& h) {
        db.prepare(
              "INSERT INTO core__plugin_health (plugin, crash_count, quarantined, reason, "
              "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(plugin) DO UPDATE SET "
              "crash_count = excluded.crash_count, quarantined = excluded.quarantined, "
              "reason = excluded.reason, updated_at = excluded.updated_at")
            .bind_all(id, h.crash_count, h.quarantined ? 1 : 0, h.reason, utc_now_iso())
            .run();
    }

    // [SECTION] state changes, each logged and audited

    void set_state(Slot& s, PluginState state, std::string reason = {}) {
        s.info.state = state;
        s.info.reason = std::move(reason);
        if (state == PluginState::Refused || state == PluginState::Failed ||
            state == PluginState::Quarantined)
            log->error("plugin {} {}: {}", s.info.id, to_string(state), s.info.reason);
        else
            log->info("plugin {} {}", s.info.id, to_string(state));
        audit_or_log(kSystem, fmt::format("plugin.{}", to_string(state)), s.info.id, s.info.reason);
    }

    // The fault boundary around every call into a plugin.
    template <typename Work>
    bool guarded(Slot& s, std::string_view what, Work&& work) {
        detail::CrashMarker::Scope scope(marker, s.info.id);
        try {
            work();
            return true;
        } catch (const StorageError& e) {
            if (degrading() && e.disk_trouble()) {
                // The disk's fault, not the plugin's: it is not failed for it, and
                // storage_trouble() says why it could not go on.
                log->warn("plugin {}: {} could not use the database: {}", s.info.id, what,
                          e.what());
                last_disk_error = e.what();
                return false;
            }
            set_state(s, PluginState::Failed, fmt::format("{} threw: {}", what, e.what()));
        } catch (const std::exception& e) {
            set_state(s, PluginState::Failed, fmt::format("{} threw: {}", what, e.what()));
        } catch (...) {
            set_state(s, PluginState::Failed,
                      fmt::format("{} threw something that is not a std::exception", what));
        }
        return false;
    }

    void blame_previous_crash() {
        if (std::string id = marker.take_previous(); !id.empty()) pending_blame = id;
        if (!degrading() || !trouble) record_blame();
    }

    // Counts the crash of the previous run against its plugin, and quarantines it after
    // enough. Degraded, it waits for a database that takes writes (pending_blame).
    void record_blame() {
        if (pending_blame.empty()) return;
        const std::string id = pending_blame;
        if (!is_valid_plugin_id(id)) {  // a damaged marker file blames nobody
            log->warn("ignoring an unreadable crash marker");
            pending_blame.clear();
            return;
        }
        try {
            Transaction tx = db.transaction();  // counted and audited together, or not at all
            Health h = health(id);
            ++h.crash_count;
            int limit = config.quarantine_after_crashes;
            audit.append(kSystem, "plugin.crashed", id,
                         fmt::format("the kiosk stopped during a call to this plugin ({} of {} "
                                     "allowed)",
                                     h.crash_count, limit));
            log->error("the previous run stopped during a call to plugin {} ({} of {} allowed)", id,
                       h.crash_count, limit);
            if (h.crash_count >= limit && !h.quarantined) {
                h.quarantined = true;
                h.reason = fmt::format(
                    "stopped the kiosk {} times; quarantined until an operator "
                    "re-enables it",
                    h.crash_count);
                audit.append(kSystem, "plugin.quarantined", id, h.reason);
            }
            save_health(id, h);
            tx.commit();
        } catch (const StorageError& e) {
            if (!degrading() || !e.disk_trouble()) throw;
            log->warn("the crash of plugin {} is counted once the database takes writes: {}", id,
                      e.what());
            return;
        }
        pending_blame.clear();
    }

    // [SECTION] discovery and loading

    void discover() {
        std::map<std::string, Slot> found;
        for (const std::filesystem::path& dir : config.plugin_dirs) {
            std::error_code ec;
            if (!std::filesystem::is_directory(dir, ec)) {
                log->warn("plugin folder {} does not exist (plugins.dirs in {})", dir.string(),
                          config.source.string());
                continue;
            }
            std::vector<std::filesystem::path> folders;
            for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
                if (entry.is_directory() && std::filesystem::exists(entry.path() / "manifest.json"))
                    folders.push_back(entry.path());
            std::sort(folders.begin(), folders.end());
            for (const std::filesystem::path& folder : folders) {
                std::string id = folder.filename().string();
                if (found.contains(id)) {
                    log->warn("plugin {} in {} ignored: already found in {}", id, folder.string(),
                              found[id].info.dir.string());
                    continue;
                }
                Slot s;
                s.info.id = id;
                s.info.dir = folder;
                verify(s);
                found.emplace(id, std::move(s));
            }
        }

        slots.clear();
        for (const std::string& id : layers.enabled_order()) {
            auto it = found.find(id);
            if (it == found.end()) {
                Slot missing;
                missing.info.id = id;
                missing.info.enabled = true;
                missing.info.state = PluginState::Refused;
                missing.info.reason = fmt::format(
                    "is enabled in {} but no folder {}/ with a manifest.json was found in the "
                    "plugin folders",
                    config.source.string(), id);
                slots.push_back(std::move(missing));
                continue;
            }
            it->second.info.enabled = true;
            slots.push_back(std::move(it->second));
            found.erase(it);
        }
        for (auto& [id, s] : found) {
            s.verified.reset();  // checked again if it is enabled later
            slots.push_back(std::move(s));
        }
        for (Slot& s : slots) s.info.crash_count = health(s.info.id).crash_count;
    }

    // Checks the plugin's folder against its signed file list before anything of it is read,
    // then parses the manifest from the bytes that were checked. False when refused.
    bool verify(Slot& s) {
        detail::VerifiedPlugin v = detail::verify_plugin(
            s.info.dir,
            {config.trusted_keys, config.development_mode, config.allow_unsigned_plugins});
        s.info.manifest.reset();
        s.verified.reset();
        if (!v.refusal.empty()) {
            s.info.state = PluginState::Refused;
            s.info.reason = std::move(v.refusal);
            return false;
        }
        const std::filesystem::path manifest_file = s.info.dir / "manifest.json";
        try {
            s.info.manifest = parse_manifest(v.manifest_json, manifest_file);
            if (s.info.manifest->id != s.info.id)
                throw Error(fmt::format("{}: id \"{}\" does not match its folder name \"{}\"",
                                        manifest_file.string(), s.info.manifest->id, s.info.id));
        } catch (const Error& e) {
            s.info.manifest.reset();
            s.info.state = PluginState::Refused;
            s.info.reason = e.what();
            return false;
        }
        s.info.unsigned_dev = v.unsigned_dev;
        s.info.signed_by = v.signed_by;
        s.verified = std::move(v);
        return true;
    }

    void load_and_start(Slot& s) {
        if (s.info.state == PluginState::Refused && !s.info.manifest) {
            set_state(s, PluginState::Refused, s.info.reason);
            return;
        }
        Health h = health(s.info.id);
        s.info.crash_count = h.crash_count;
        if (h.quarantined) {
            set_state(s, PluginState::Quarantined, h.reason);
            return;
        }
        if (must_wait(s)) {
            if (s.info.state != PluginState::Waiting)
                set_state(s, PluginState::Waiting,
                          s.info.id == pending_blame
                              ? "it stopped the kiosk last time; it starts once that can be "
                                "counted: " +
                                    trouble.describe()
                              : trouble.describe());
            return;
        }
        if (!s.plugin && !load(s)) return;
        if (!s.migrated && !migrate(s)) return;
        start(s);
    }

    // Where a call failed for the disk (guarded), the plugin waits for room; false then.
    bool wait_unless_failed(Slot& s) {
        if (s.info.state != PluginState::Failed)
            set_state(s, PluginState::Waiting,
                      "the database cannot take writes: " + last_disk_error);
        return false;
    }

    bool load(Slot& s) {
        // Enabled after discovery: the folder may have changed since, so it is checked again.
        if (!s.verified && !verify(s)) {
            set_state(s, PluginState::Refused, s.info.reason);
            return false;
        }
        const Manifest& m = *s.info.manifest;
        if (std::string why = detail::check_api(m.api_major, m.api_minor); !why.empty()) {
            set_state(s, PluginState::Refused, fmt::format("{} {}", s.info.id, why));
            return false;
        }
        Settings settings;
        try {
            settings = layers.plugin_settings(m);
        } catch (const Error& e) {
            set_state(s, PluginState::Refused, e.what());
            return false;
        }

        if (s.verified->module.empty()) {
            set_state(s, PluginState::Refused,
                      fmt::format("{} has no {}.so; a plugin folder holds its module, named after "
                                  "the folder",
                                  s.info.dir.string(), m.id));
            return false;
        }
        detail::ModuleLoad module = [&] {
            detail::CrashMarker::Scope scope(marker, s.info.id);  // static initialisers run
            return detail::load_module(s.info.dir / (m.id + ".so"), s.verified->module, m);
        }();
        s.verified.reset();
        if (!module.create) {
            set_state(s, PluginState::Refused, module.refusal);
            return false;
        }
        if (s.info.unsigned_dev)
            log->warn(
                "DEVELOPMENT MODE: plugin {} is NOT SIGNED and was loaded only because "
                "plugins.allow_unsigned is true in {}",
                m.id, config.source.string());

        if (!guarded(s, "create", [&] { s.plugin = static_cast<Plugin*>(module.create()); })) {
            // Its module is loaded once; a plugin that cannot even be made is not tried again.
            if (s.info.state != PluginState::Failed)
                set_state(s, PluginState::Failed, "create threw: " + last_disk_error);
            return false;
        }
        if (!s.plugin) {
            set_state(s, PluginState::Failed, "create returned no plugin");
            return false;
        }
        if (plugin_check) {
            std::string why;
            if (!guarded(s, "check", [&] { why = plugin_check(*s.plugin, m); })) return false;
            if (!why.empty()) {
                set_state(s, PluginState::Refused,
                          fmt::format("{}: {}", (s.info.dir / "manifest.json").string(), why));
                return false;
            }
        }
        s.context = std::make_unique<Context>(m, db, std::move(settings), audit, print.get(),
                                              *scanner, config.data_dir / "device.key",
                                              config.data_dir / "files", &fetch_files);
        return migrate(s);
    }

    bool migrate(Slot& s) {
        const Manifest& m = *s.info.manifest;
        std::span<const Migration> migrations;
        if (!guarded(s, "migrations", [&] { migrations = s.plugin->migrations(); }))
            return wait_unless_failed(s);
        if (!migrations.empty() && !m.has(Capability::Storage)) {
            set_state(s, PluginState::Failed,
                      "has schema migrations but its manifest does not ask for \"storage\"");
            return false;
        }
        try {
            apply_migrations(db, m.id, migrations);
        } catch (const StorageError& e) {
            if (!degrading() || !e.disk_trouble()) {
                set_state(s, PluginState::Failed, e.what());
                return false;
            }
            last_disk_error = e.what();
            return wait_unless_failed(s);
        } catch (const Error& e) {
            set_state(s, PluginState::Failed, e.what());
            return false;
        }
        // Its search indexes (checked with the manifest), declared where its tables are made.
        // An index that cannot be written now (a full disk) leaves search behind, not the
        // plugin stopped: the next start declares it again.
        for (const auto& [name, spec] : m.search_indexes) {
            try {
                search::declare(db, search::IndexSpec::from_json(name, spec), m.id);
            } catch (const Error& e) {
                logging::get("host")->warn("plugin {}: search index {} not declared: {}", m.id,
                                           name, e.what());
            }
        }
        s.migrated = true;
        set_state(s, PluginState::Loaded);
        return true;
    }

    void start(Slot& s) {
        if (guarded(s, "start", [&] { s.plugin->start(*s.context); }))
            set_state(s, PluginState::Running);
        else
            wait_unless_failed(s);
    }

    void stop(Slot& s) {
        if (s.info.state != PluginState::Running) return;
        if (guarded(s, "stop", [&] { s.plugin->stop(); })) set_state(s, PluginState::Stopped);
    }

    // [SECTION] printing (seba/print_service.hpp)

    // A plugin hears of its printed documents inside its fault boundary, while it runs.
    print::PrintService::Deliver deliver() {
        return [this](const std::string& id, const std::function<void()>& notify) {
            Slot* s = slot(id);
            if (!s || s->info.state != PluginState::Running) return false;
            return guarded(*s, "on_printed", notify);
        };
    }

    // The printer never takes the screen or the plugins with it: what it meets is logged,
    // once for each new problem.
    template <typename Work>
    void printing(std::string_view what, Work&& work) {
        try {
            work();
            print_problem.clear();
        } catch (const std::exception& e) {
            if (print_problem == e.what()) return;
            print_problem = e.what();
            log->error("printing: {} failed: {}", what, e.what());
        }
    }
};

Host::Host(Config config, OnStorageTrouble on_trouble)
    : impl_(std::make_unique<Impl>(config, on_trouble, open_database(config, on_trouble))) {
    impl_->file_languages = {config.languages, config.default_language};
    if (impl_->config.allow_unsigned_plugins)
        impl_->log->warn(
            "DEVELOPMENT MODE: unsigned plugins may load (plugins.allow_unsigned in "
            "{}); never use this on a kiosk in service",
            impl_->config.source.string());
}

Host::~Host() {
    try {
        stop();
    } catch (const std::exception& e) {
        impl_->log->error("while stopping: {}", e.what());
    }
    for (Slot& s : impl_->slots) {
        if (!s.plugin) continue;
        detail::CrashMarker::Scope scope(impl_->marker, s.info.id);
        s.context.reset();
        delete s.plugin;
    }
}

void Host::set_plugin_check(PluginCheck check) {
    impl_->plugin_check = std::move(check);
}

void Host::set_language_check(LanguageCheck check) {
    Impl& impl = *impl_;
    impl.language_check = std::move(check);
    // The fleet's or the operator's languages, as kept from an earlier run, may name one this
    // kiosk cannot offer now (its font was removed): the file's languages serve meanwhile.
    if (std::string why = impl.unusable_language(impl.config.languages); !why.empty()) {
        impl.log->error("the kiosk offers the config file's languages: {}", why);
        impl.config.languages = impl.file_languages.first;
        impl.config.default_language = impl.file_languages.second;
    }
}

void Host::start() {
    impl_->blame_previous_crash();
    impl_->discover();
    for (Slot& s : impl_->slots) {
        if (s.info.enabled)
            impl_->load_and_start(s);
        else if (s.info.state != PluginState::Refused)
            s.info.state = PluginState::Disabled;
    }
    impl_->started = true;
    if (impl_->print) impl_->printing("taking up the jobs left", [&] { impl_->print->start(); });
}

void Host::end_session() {
    for (Slot& s : impl_->slots)
        if (s.info.state == PluginState::Running)
            impl_->guarded(s, "end_session", [&] { s.plugin->end_session(); });
    impl_->stop_scanner();
    pump_printing();
}

void Host::stop() {
    if (impl_->print) impl_->printing("stopping", [&] { impl_->print->stop(impl_->deliver()); });
    for (auto it = impl_->slots.rbegin(); it != impl_->slots.rend(); ++it) impl_->stop(*it);
    impl_->stop_scanner();
}

void Host::set_print_service(std::unique_ptr<print::PrintService> service) {
    if (impl_->started)
        throw Error("the print service is set before Host::start(): plugins keep their printer");
    impl_->print = std::move(service);
}

void Host::set_scanner(std::unique_ptr<scan::Scanner> scanner) {
    if (impl_->started)
        throw Error("the camera is set before Host::start(): plugins keep their scanner");
    if (!scanner) throw Error("Host::set_scanner needs a scanner");
    impl_->scanner = std::move(scanner);
}

void Host::set_fetch_files(std::function<void()> fetch) {
    impl_->fetch_files = std::move(fetch);
}

void Host::pump_printing() {
    if (impl_->print) impl_->printing("recording", [&] { impl_->print->pump(impl_->deliver()); });
}

std::vector<PluginInfo> Host::plugins() const {
    std::vector<PluginInfo> out;
    for (const Slot& s : impl_->slots) out.push_back(s.info);
    return out;
}

std::optional<PluginInfo> Host::find(std::string_view id) const {
    if (Slot* s = impl_->slot(id)) return s->info;
    return std::nullopt;
}

bool Host::call(std::string_view id, std::string_view what,
                const std::function<void(Plugin&)>& work) {
    Slot* s = impl_->slot(id);
    if (!s || s->info.state != PluginState::Running) return false;
    return impl_->guarded(*s, what, [&] { work(*s->plugin); });
}

void Host::set_enabled(std::string_view id, bool enabled, std::string_view actor) {
    if (impl_->require(id).info.enabled == enabled) return;
    const std::size_t was_at = impl_->position(id);
    // Enabled plugins come first, in home-screen order; a newly enabled one goes last.
    Slot& s = impl_->place(id, impl_->enabled_count() - (enabled ? 0 : 1));
    s.info.enabled = enabled;
    try {
        Transaction tx = impl_->db.transaction();
        impl_->save_enabled_order(actor);
        impl_->audit.append(actor, enabled ? "plugin.enable" : "plugin.disable", id);
        tx.commit();
    } catch (const Error&) {
        // Not kept (a full disk): the screen must not show a change that a restart undoes.
        impl_->place(id, was_at).info.enabled = !enabled;
        throw;
    }
    if (!impl_->started) return;
    if (enabled) {
        impl_->load_and_start(s);
    } else {
        impl_->stop(s);
        if (s.info.state != PluginState::Refused) impl_->set_state(s, PluginState::Disabled);
    }
}

void Host::move(std::string_view id, std::size_t position, std::string_view actor) {
    if (!impl_->require(id).info.enabled)
        throw Error(fmt::format("plugin {} is disabled; enable it before ordering it", id));
    position = std::min(position, impl_->enabled_count() - 1);
    const std::size_t was_at = impl_->position(id);
    impl_->place(id, position);
    try {
        Transaction tx = impl_->db.transaction();
        impl_->save_enabled_order(actor);
        impl_->audit.append(actor, "plugin.move", id, fmt::format("to position {}", position + 1));
        tx.commit();
    } catch (const Error&) {
        impl_->place(id, was_at);
        throw;
    }
}

void Host::reenable(std::string_view id, std::string_view actor) {
    Slot& s = impl_->require(id);
    {
        Transaction tx = impl_->db.transaction();
        impl_->save_health(id, {});
        impl_->audit.append(actor, "plugin.reenable", id,
                            fmt::format("was {}: {}", to_string(s.info.state), s.info.reason));
        tx.commit();
    }
    s.info.crash_count = 0;
    if (!impl_->started || !s.info.enabled) return;
    if (s.info.state == PluginState::Failed && s.plugin) {
        impl_->guarded(s, "stop", [&] { s.plugin->stop(); });
        impl_->start(s);
    } else if (s.info.state != PluginState::Running) {
        impl_->load_and_start(s);
    }
}

void Host::change_setting(std::string_view key, const nlohmann::json& value,
                          std::string_view actor) {
    if (key == "kiosk.languages" && value.is_array()) {
        std::vector<std::string> tags;
        for (const nlohmann::json& tag : value)
            if (tag.is_string()) tags.push_back(tag.get<std::string>());
        if (std::string why = impl_->unusable_language(tags); !why.empty())
            throw ConfigError(std::string(key) + ": " + why);
    }
    impl_->config = impl_->layers.change_setting(impl_->config, key, value, actor);
}

void Host::change_plugin_setting(std::string_view id, std::string_view key,
                                 const nlohmann::json& value, std::string_view actor) {
    Slot& s = impl_->require(id);
    if (!s.info.manifest) throw ConfigError(fmt::format("plugin {} has no valid manifest", id));
    const Manifest& m = *s.info.manifest;
    impl_->layers.change_plugin_setting(m, key, value, actor);
    if (s.context) s.context->replace_settings(impl_->layers.plugin_settings(m));
    if (s.info.state == PluginState::Running) {
        // Restart so the plugin reads its settings afresh.
        impl_->stop(s);
        impl_->start(s);
    }
}

nlohmann::json Host::plugin_settings(std::string_view id) const {
    Slot* s = impl_->slot(id);
    if (!s || !s->context) return nullptr;
    return s->context->settings().redacted();
}

bool Host::apply_fleet_config() {
    Impl& impl = *impl_;
    if (!impl.layers.reread_fleet()) return false;
    const Config before = impl.config;
    impl.config = impl.layers.effective();
    // A language this kiosk cannot show (no definition, font or layout yet) would leave a
    // citizen with empty boxes: the kiosk keeps the languages it had, and says why.
    if (std::string why = impl.unusable_language(impl.config.languages); !why.empty()) {
        impl.log->error("the fleet configuration's languages are not taken: {}", why);
        impl.audit.append("fleet", "fleet.languages_refused", "kiosk.languages", why);
        impl.config.languages = before.languages;
        impl.config.default_language = before.default_language;
    }

    // Plugins and their order, unless the operator set them on this kiosk.
    if (!impl.layers.operator_ordered()) {
        std::vector<std::string> wanted = impl.layers.enabled_order();
        std::size_t position = 0;
        for (const std::string& id : wanted) {
            if (!impl.slot(id)) {
                impl.log->error("the fleet configuration enables plugin {}, which is not installed",
                                id);
                continue;
            }
            Slot& s = impl.place(id, position++);
            if (s.info.enabled) continue;
            s.info.enabled = true;
            if (impl.started) impl.load_and_start(s);
        }
        for (std::size_t i = position; i < impl.slots.size(); ++i) {
            Slot& s = impl.slots[i];
            if (!s.info.enabled) continue;
            s.info.enabled = false;
            impl.stop(s);
            if (s.info.state != PluginState::Refused) impl.set_state(s, PluginState::Disabled);
        }
    }
    // Plugin settings: a running plugin restarts to read changed ones.
    for (Slot& s : impl.slots) {
        if (!s.context || !s.info.manifest) continue;
        Settings now;
        try {
            now = impl.layers.plugin_settings(*s.info.manifest);
        } catch (const Error& e) {
            impl.log->error("plugin {} keeps its settings: {}", s.info.id, e.what());
            continue;
        }
        if (now == s.context->settings()) continue;
        s.context->replace_settings(std::move(now));
        if (s.info.state == PluginState::Running) {
            impl.stop(s);
            impl.start(s);
        }
    }
    std::vector<std::string> kept = impl.layers.overrides();
    impl.audit.append("fleet", "fleet.applied", "config",
                      kept.empty() ? std::string("no operator changes on this kiosk")
                                   : fmt::format("the operator's changes stay over it: {}",
                                                 fmt::join(kept, ", ")));
    return true;
}

std::string Host::language_problem(std::string_view tag) const {
    return impl_->language_check ? impl_->language_check(tag) : std::string{};
}

void Host::reapply_fleet_config() {
    impl_->layers.forget_fleet();
    apply_fleet_config();
}

void Host::clear_overrides(std::string_view actor) {
    if (impl_->layers.clear_overrides(actor).empty()) return;
    apply_fleet_config();  // the fleet's record is forgotten, so it applies again
}

std::vector<std::string> Host::overrides() const {
    return impl_->layers.overrides();
}

std::vector<std::string> Host::channels() const {
    std::vector<std::string> out = {kFleetChannel, kLanguagesChannel, kTranslationsChannel};
    auto add = [&](const std::string& channel) {
        if (std::find(out.begin(), out.end(), channel) == out.end()) out.push_back(channel);
    };
    for (const Slot& s : impl_->slots)
        if (s.info.enabled && s.info.manifest)
            for (const std::string& channel : s.info.manifest->channels) add(channel);
    for (const std::string& channel : impl_->layers.fleet_channels()) add(channel);
    // Search specs come from the catalog, and name the channels their indexes read.
    add(std::string(search::kIndexesChannel));
    // The keys that sign credentials, so that any kiosk checks one offline.
    add(std::string(credentials::kTrustChannel));
    try {
        for (const std::string& channel : search::indexed_channels(impl_->db)) add(channel);
    } catch (const StorageError& e) {
        logging::get("host")->warn("search indexes unreadable: {}", e.what());
    }
    return out;
}

StorageTrouble Host::storage_trouble() {
    if (impl_->take_in_failures()) impl_->update(impl_->assess(room_for(impl_->config)));
    return impl_->trouble;
}

StorageTrouble Host::recheck_storage(bool operator_asked) {
    Impl& impl = *impl_;
    impl.take_in_failures();
    // A failure for want of room is over when there is room; another (an I/O error) only when
    // the operator says it may be.
    if (impl.failure && (operator_asked || impl.failure->out_of_space)) impl.failure.reset();
    std::optional<DiskRoom> room = room_for(impl.config);
    if ((!impl.db_readable || impl.db_exclusive) && !too_little(room, impl.config)) {
        impl.reopen();
        room = room_for(impl.config);
    }
    impl.update(impl.assess(room));
    return impl.trouble;
}

bool Host::database_readable() const {
    return impl_->db_readable;
}

bool Host::development_mode() const {
    return impl_->config.allow_unsigned_plugins;
}
const Config& Host::config() const {
    return impl_->config;
}
Database& Host::database() {
    return impl_->db;
}
AuditLog& Host::audit() {
    return impl_->audit;
}

}  // namespace seba
