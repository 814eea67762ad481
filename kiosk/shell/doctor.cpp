// SPDX-License-Identifier: Apache-2.0
#include "doctor.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "seba/catalog.hpp"
#include "seba/error.hpp"
#include "seba/host.hpp"
#include "seba/storage_health.hpp"
#include "seba/sync_client.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"
#include "seba/ui/languages.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/icons.hpp"
#include "seba/ui/keyboard.hpp"
#include "seba/utf8.hpp"
#include "window.hpp"

namespace seba::kiosk {
namespace {

namespace fs = std::filesystem;
using SystemClock = std::chrono::system_clock;

constexpr DoctorCheck kAllChecks[] = {
    DoctorCheck::Fonts,   DoctorCheck::Display,  DoctorCheck::Keyboards,
    DoctorCheck::Printer, DoctorCheck::Database, DoctorCheck::Disk,
    DoctorCheck::Server,  DoctorCheck::Clock,    DoctorCheck::Plugins,
};

constexpr const char* kInstall =
    "Install the Debian package {0} (as root: apt-get install {0}), then restart the kiosk.";
constexpr const char* kRunAgain =
    "Run this check again as the kiosk's user or as root. If this stays, call support.";
constexpr const char* kNotChecked = "This could not be checked: {0}";

// --- the operator's language ----------------------------------------------------------------

// Every sentence goes through the shell's catalog; a broken catalog leaves English.
class Words {
  public:
    explicit Words(const DoctorOptions& options) : language_(options.language) {
        try {
            catalog_ = ui::Catalog::load("seba", options.locale_dir);
        } catch (const std::exception& e) {
            std::cerr << "seba-kiosk doctor: " << e.what() << "; the report is in English\n";
        }
    }

    std::string operator()(const std::string& english) const {
        return catalog_.translate(language_, english);
    }
    template <typename... Args>
    std::string operator()(const std::string& english, const Args&... args) const {
        try {
            return fmt::format(fmt::runtime(catalog_.translate(language_, english)), args...);
        } catch (const fmt::format_error&) {  // a translation that lost a placeholder
            return fmt::format(fmt::runtime(english), args...);
        }
    }
    // A count as the operator reads it (Bangla digits in Bangla). Paths and commands keep
    // ASCII digits: they are typed as they are.
    std::string number(std::int64_t n) const {
        return ui::localize_digits(std::to_string(n), language_);
    }
    std::string size(std::uint64_t bytes) const {
        if (bytes >= kDiskWarningBytes)
            return ui::localize_digits(
                fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1ull << 30)), language_);
        if (bytes >= (1ull << 20)) return number(static_cast<std::int64_t>(bytes >> 20)) + " MiB";
        return number(static_cast<std::int64_t>(bytes >> 10)) + " KiB";
    }
    const std::string& language() const { return language_; }

  private:
    std::string language_;
    ui::Catalog catalog_;
};

// One check's finding, built line by line: the worst line sets the status.
class Report {
  public:
    Report(DoctorCheck check, std::string title) {
        finding_.check = check;
        finding_.title = std::move(title);
    }
    void add(DoctorStatus status, const std::string& found, const std::string& fix = {}) {
        finding_.status = std::max(finding_.status, status);
        append(finding_.found, found);
        // The same advice for several items is given once.
        if (!fix.empty() && finding_.fix.find(fix) == std::string::npos) append(finding_.fix, fix);
    }
    Finding take() { return std::move(finding_); }

  private:
    static void append(std::string& text, const std::string& line) {
        if (!text.empty()) text += '\n';
        text += line;
    }
    Finding finding_;
};

std::string user_name() {
    if (const passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
    return std::to_string(::geteuid());
}

std::string this_command(const Config& config, std::string_view tail) {
    return fmt::format("seba-kiosk --config {} {}", config.source.string(), tail);
}

// --- SQLite, read-only ----------------------------------------------------------------------

struct SqliteClose {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Sqlite = std::unique_ptr<sqlite3, SqliteClose>;

struct StatementFinalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using SqliteStatement = std::unique_ptr<sqlite3_stmt, StatementFinalize>;

// Opens the kiosk's database so that nothing of it changes. mode=ro alone would leave a
// -wal and -shm beside a database the kiosk closed cleanly, so then it is read as immutable
// (no locks, no files). A -wal already there means the kiosk runs (or stopped mid-write):
// then it is read through the WAL with mode=ro, which at most adds the missing -shm.
Sqlite open_read_only(const fs::path& file, std::string& error) {
    std::string uri = "file:";
    for (char c : fs::absolute(file).string()) {
        if (c == '%' || c == '?' || c == '#')
            uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        else
            uri += c;
    }
    fs::path wal = file;
    wal += "-wal";
    std::error_code ec;
    uri += fs::exists(wal, ec) ? "?mode=ro" : "?mode=ro&immutable=1";
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    Sqlite db(raw);
    if (rc != SQLITE_OK) {
        error = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        return nullptr;
    }
    return db;
}

// A copy of the kiosk's database, made with SQLite's backup API from a read-only connection
// (a consistent snapshot even while the kiosk writes).
void copy_database(const fs::path& from, const fs::path& to) {
    std::string error;
    Sqlite source = open_read_only(from, error);
    if (!source) throw Error(fmt::format("cannot read {}: {}", from.string(), error));
    sqlite3* raw = nullptr;
    int rc = sqlite3_open(to.c_str(), &raw);
    Sqlite target(raw);
    if (rc != SQLITE_OK)
        throw Error(fmt::format("cannot make {}: {}", to.string(), sqlite3_errstr(rc)));
    sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
    if (!backup)
        throw Error(fmt::format("cannot copy {}: {}", from.string(), sqlite3_errmsg(target.get())));
    rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        throw Error(fmt::format("cannot copy {}: {}", from.string(), sqlite3_errstr(rc)));
}

// Where the copy goes: memory, not disk. The database holds citizens' requests until they
// are sent, and a copy that a crash left behind must not outlive a reboot: the user's own
// runtime folder (a tmpfs only they can read), else /dev/shm, else the temporary folder.
fs::path private_scratch_dir() {
    std::error_code ec;
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR");
        runtime && fs::is_directory(runtime, ec))
        return runtime;
    if (fs::is_directory("/dev/shm", ec)) return "/dev/shm";
    return fs::temp_directory_path();
}

// The kiosk as seba::Host sees it, on a private copy of its database (in a folder only this
// user can read). Host writes while it starts (core migrations, the plugins' migrations,
// audit entries for each plugin's state, a crash marker around plugin calls): all of it
// lands in the copy, which is removed after.
class KioskCopy {
  public:
    explicit KioskCopy(const Config& config) {
        try {
            std::string pattern = (private_scratch_dir() / "seba-doctor-XXXXXX").string();
            if (!::mkdtemp(pattern.data()))
                throw Error(fmt::format("cannot make a temporary folder {}: {}", pattern,
                                        std::strerror(errno)));
            dir_ = pattern;
            std::error_code ec;
            if (fs::exists(config.database_path(), ec))
                copy_database(config.database_path(), dir_ / "seba.db");
            Config copy = config;
            copy.data_dir = dir_;
            host_ = std::make_unique<Host>(copy);
            host_->start();
        } catch (const std::exception& e) {
            host_.reset();
            error_ = e.what();
        }
    }
    ~KioskCopy() {
        host_.reset();  // stops the plugins before their database goes
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }
    KioskCopy(const KioskCopy&) = delete;
    KioskCopy& operator=(const KioskCopy&) = delete;

    Host* host() { return host_.get(); }
    const std::string& error() const { return error_; }

  private:
    fs::path dir_;
    std::unique_ptr<Host> host_;
    std::string error_;
};

// --- the server's /healthz ------------------------------------------------------------------

// GET /healthz as the sync client makes requests (its TLS trust, every libcurl timeout set),
// shortened: a check must not keep the technician waiting.
ServerProbe probe_healthz(const Config& config, const DoctorOptions& options) {
    SyncOptions limits = sync_options(config);
    limits.total_timeout_ms = static_cast<long>(options.server_timeout.count());
    limits.connect_timeout_ms = std::min(limits.connect_timeout_ms, limits.total_timeout_ms);
    limits.low_speed_time_s = std::min(limits.low_speed_time_s, 3L);
    return probe_server(config.server_url, limits, options.now);
}

// --- the checks -----------------------------------------------------------------------------

// A word each shipped language must show whole, richer than its name; any other language
// is checked with its name in itself (its endonym) alone.
struct Sample {
    std::string_view language;
    std::string_view word;
};
constexpr Sample kSamples[] = {
    {"bn", "সেবা"},    {"uz-Latn", "O\u02BBzbekiston"}, {"uz-Cyrl", "Ўзбекистон"}, {"ru", "Россия"},
    {"en", "Service"},
};
constexpr const char* kFontPackage = "fonts-noto-core";  // when a language names none
constexpr const char* kIconFamily = "Material Icons";  // FontSet::system()'s pictogram face
constexpr const char* kIconFontPackage = "fonts-material-design-icons-iconfont";

std::string g_glfw_error;  // GLFW's last complaint; the checks run on one thread

bool is_software_renderer(std::string_view renderer) {
    for (std::string_view soft : {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"})
        if (renderer.find(soft) != std::string_view::npos) return true;
    return false;
}

bool under_dev(const fs::path& path) {
    fs::path normal = path.lexically_normal();
    auto it = normal.begin();
    return normal.is_absolute() && ++it != normal.end() && *it == "dev";
}

class Examination {
  public:
    Examination(const Config& config, const DoctorOptions& options)
        : config_(config), options_(options), w_(options) {}

    Finding run(DoctorCheck check) {
        try {
            switch (check) {
                case DoctorCheck::Fonts:
                    return fonts();
                case DoctorCheck::Display:
                    return display();
                case DoctorCheck::Keyboards:
                    return keyboards();
                case DoctorCheck::Printer:
                    return printer();
                case DoctorCheck::Database:
                    return database();
                case DoctorCheck::Disk:
                    return disk();
                case DoctorCheck::Server:
                    return server();
                case DoctorCheck::Clock:
                    return clock();
                case DoctorCheck::Plugins:
                    return plugins();
            }
        } catch (const std::exception& e) {
            Report r(check, title(check));
            r.add(DoctorStatus::Problem, w_(kNotChecked, e.what()), w_(kRunAgain));
            return r.take();
        }
        return {};
    }

  private:
    std::string title(DoctorCheck check) const {
        switch (check) {
            case DoctorCheck::Fonts:
                return w_("Fonts");
            case DoctorCheck::Display:
                return w_("Screen and graphics");
            case DoctorCheck::Keyboards:
                return w_("On-screen keyboards");
            case DoctorCheck::Printer:
                return w_("Receipt printer");
            case DoctorCheck::Database:
                return w_("Database");
            case DoctorCheck::Disk:
                return w_("Free disk space");
            case DoctorCheck::Server:
                return w_("Server and enrollment");
            case DoctorCheck::Clock:
                return w_("Clock");
            case DoctorCheck::Plugins:
                return w_("Plugins");
        }
        return {};
    }

    // The kiosk's copy, made once for the checks that need the Host.
    KioskCopy& copy() {
        if (!copy_) copy_.emplace(config_);
        return *copy_;
    }

    const ServerProbe& probe() {
        if (!probe_) probe_ = probe_healthz(config_, options_);
        return *probe_;
    }

    std::string language_name(const std::string& language) const {
        return std::string(ui::language_endonym(language));
    }

    // 1. For each of the kiosk's languages, the fonts its record names for its scripts,
    // found as the kiosk finds them, showing its name and a word with no missing letter.
    Finding fonts() {
        Report r(DoctorCheck::Fonts, title(DoctorCheck::Fonts));
        const ui::Languages& known = ui::languages();
        for (const std::string& tag : config_.languages) {
            const ui::Language* language = known.find(tag);
            if (!language) {
                r.add(DoctorStatus::Problem,
                      w_("{0}: the kiosk has no record of this language, so its fonts are "
                         "unknown.",
                         tag),
                      w_("Add the language's record to the country pack (channel "
                         "i18n.languages), or remove it from kiosk.languages."));
                continue;
            }
            language_fonts(r, *language);
        }
        pictograms(r);
        return r.take();
    }

    void language_fonts(Report& r, const ui::Language& language) {
        const std::string name = language_name(language.tag);
        const std::string install =
            w_(kInstall, language.font_packages.empty()
                             ? std::string(kFontPackage)
                             : fmt::format("{}", fmt::join(language.font_packages, " ")));
        // The language's own fonts only, without the fallbacks the kiosk would also try:
        // what its record promises is what is checked.
        text::FontSet fonts;
        std::vector<std::string> found;
        bool complete = true;
        for (const ui::ScriptFonts& script : language.fonts) {
            fs::path file;
            for (const std::string& family : script.families) {
                try {
                    file = text::find_font_file(family, "-");
                } catch (const Error&) {
                    continue;
                }
                found.push_back(fmt::format("{} ({})", family, file.string()));
                break;
            }
            if (file.empty()) {
                r.add(DoctorStatus::Problem,
                      w_("{0}: the font {1} is not installed.", name,
                         fmt::format("{}", fmt::join(script.families, " / "))),
                      install);
                complete = false;
                continue;
            }
            fonts.add(file, {script.script});
        }
        if (!complete || found.empty()) return;
        const Sample* sample =
            std::find_if(std::begin(kSamples), std::end(kSamples),
                         [&](const Sample& s) { return s.language == language.tag; });
        const std::string word(sample == std::end(kSamples) ? std::string_view(language.name)
                                                            : sample->word);
        const bool covers = fonts.missing(language.name).empty() && fonts.missing(word).empty();
        const std::string font = fmt::format("{}", fmt::join(found, ", "));
        if (covers)
            r.add(DoctorStatus::Ok, w_("{0}: the font {1} shows “{2}”.", name, font, word));
        else
            r.add(DoctorStatus::Problem,
                  w_("{0}: the font {1} lacks letters of “{2}”.", name, font, word), install);
    }

    // The pictograms, found as the kiosk finds them: without the font the kiosk does not
    // start, and a font that lacks some draws those tiles and buttons bare.
    void pictograms(Report& r) {
        const std::string what = w_("Pictograms");
        const std::string install = w_(kInstall, kIconFontPackage);
        fs::path file;
        try {
            file = text::find_font_file(kIconFamily, kIconFontPackage);
        } catch (const Error&) {
            r.add(DoctorStatus::Problem,
                  w_("{0}: the font {1} is not installed.", what, kIconFamily), install);
            return;
        }
        text::FontSet fonts;
        fonts.set_icons(file);
        text::Shaper shaper(fonts);
        std::vector<std::string_view> lacking;
        for (std::string_view name : ui::icon::all)
            if (shaper.icon_glyph(name) == 0) lacking.push_back(name);
        const std::string font = fmt::format("{} ({})", kIconFamily, file.string());
        if (lacking.empty())
            r.add(DoctorStatus::Ok,
                  w_("{0}: the font {1} has all {2} of the kiosk's pictograms.", what, font,
                     w_.number(static_cast<std::int64_t>(ui::icon::all.size()))));
        else
            r.add(DoctorStatus::Problem,
                  w_("{0}: the font {1} lacks pictograms the kiosk draws: {2}.", what, font,
                     fmt::format("{}", fmt::join(lacking, ", "))),
                  install);
    }

    // 2. A display, and the GL context the kiosk's window asks for, in a hidden window.
    Finding display() {
        Report r(DoctorCheck::Display, title(DoctorCheck::Display));
        const char* x11 = std::getenv("DISPLAY");
        const char* wayland = std::getenv("WAYLAND_DISPLAY");
        const std::string screen = x11 && *x11 ? x11 : wayland && *wayland ? wayland : "";
        if (screen.empty()) {
            r.add(DoctorStatus::Warning,
                  w_("This terminal has no screen (DISPLAY and WAYLAND_DISPLAY are not set), for "
                     "example over SSH, so the kiosk's screen was not checked."),
                  w_("Check the kiosk's own session (systemctl status seba-kiosk), or run this "
                     "check on the kiosk's screen, for example: DISPLAY=:0 {0}",
                     this_command(config_, "doctor")));
            return r.take();
        }
        g_glfw_error.clear();
        glfwSetErrorCallback(
            [](int, const char* description) { g_glfw_error = description ? description : ""; });
        if (!glfwInit()) {
            r.add(DoctorStatus::Problem,
                  w_("The screen {0} cannot be opened: {1}", screen, g_glfw_error),
                  w_("Check that the kiosk's screen session runs (systemctl status seba-kiosk) "
                     "and that this user may use the screen."));
            return r.take();
        }
        glfwDefaultWindowHints();
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, kGlVersionMajor);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, kGlVersionMinor);
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        GLFWwindow* window = glfwCreateWindow(64, 64, "Seba doctor", nullptr, nullptr);
        const std::string gl = fmt::format("{}.{}", kGlVersionMajor, kGlVersionMinor);
        if (!window) {
            r.add(
                DoctorStatus::Problem,
                w_("The screen {0} has no OpenGL {1} for the kiosk: {2}", screen, gl, g_glfw_error),
                w_(kInstall, "libgl1-mesa-dri"));
            glfwTerminate();
            return r.take();
        }
        glfwMakeContextCurrent(window);
        auto text = [](GLenum name) {
            const GLubyte* value = glGetString(name);
            return value ? std::string(reinterpret_cast<const char*>(value)) : std::string("?");
        };
        const std::string version = text(GL_VERSION);
        const std::string renderer = text(GL_RENDERER);
        glfwMakeContextCurrent(nullptr);
        glfwDestroyWindow(window);
        glfwTerminate();
        r.add(DoctorStatus::Ok,
              w_("Screen {0}: OpenGL {1}, drawn by {2}.", screen, version, renderer));
        if (is_software_renderer(renderer))
            r.add(DoctorStatus::Warning,
                  w_("The picture is drawn by software ({0}): the kiosk works, but may be slow.",
                     renderer),
                  w_("If this computer has a graphics card, install its driver. Without one, "
                     "this is expected."));
        return r.take();
    }

    // 3. Each language's on-screen keyboard, compiled from xkb data as the kiosk does.
    Finding keyboards() {
        Report r(DoctorCheck::Keyboards, title(DoctorCheck::Keyboards));
        for (const std::string& language : config_.languages) {
            try {
                ui::KeyboardLayout layout = ui::keyboard_for_language(language);
                r.add(DoctorStatus::Ok,
                      w_("{0}: layout {1}.", language_name(language), layout.xkb_name));
            } catch (const Error& e) {
                r.add(DoctorStatus::Problem,
                      w_("{0}: the keyboard layout cannot be read: {1}", language_name(language),
                         e.what()),
                      w_(kInstall, "xkb-data"));
            }
        }
        return r.take();
    }

    // 4. The kiosk's printer ([printer] device): there, and writable by this user.
    Finding printer() {
        Report r(DoctorCheck::Printer, title(DoctorCheck::Printer));
        // Whether an enabled plugin prints, by its manifest; the printer is checked anyway
        // when the plugins cannot be seen.
        bool prints = true;
        if (Host* host = copy().host()) {
            prints = false;
            for (const PluginInfo& p : host->plugins())
                prints =
                    prints || (p.enabled && p.manifest && p.manifest->has(Capability::Printer));
        }
        const std::string device = config_.printer.device.string();
        if (!prints) {
            r.add(DoctorStatus::Ok, w_("No plugin that prints is enabled, so nothing is printed."));
            return r.take();
        }
        if (device.empty()) {
            r.add(DoctorStatus::Ok,
                  w_("No receipt printer is set: receipts are only shown on screen."));
            return r.take();
        }
        const fs::path path(device);
        const std::string user = user_name();
        std::error_code ec;
        const bool exists = fs::exists(path, ec);
        // The plugin never creates a file under /dev: a missing device is an unplugged printer.
        if (under_dev(path) && !exists) {
            r.add(DoctorStatus::Problem, w_("The printer {0} is not there.", path.string()),
                  w_("Plug the printer in, switch it on and check its cable; then run this "
                     "check again."));
            return r.take();
        }
        // access() rather than open(): opening a FIFO or a busy printer could block.
        fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
        const bool writable = exists
                                  ? !fs::is_directory(path, ec) && ::access(path.c_str(), W_OK) == 0
                                  : ::access(parent.c_str(), W_OK) == 0;
        if (!writable) {
            r.add(DoctorStatus::Problem,
                  w_("The user {1} may not write to the printer {0}.", path.string(), user),
                  under_dev(path)
                      ? w_("Add the kiosk's user to the lp group (as root: usermod -aG lp {0}), "
                           "then restart the kiosk.",
                           user)
                      : w_("Let the user {0} write to {1}, or set another printer as "
                           "printer.device in {2}.",
                           user, path.string(), config_.source.string()));
            return r.take();
        }
        r.add(DoctorStatus::Ok,
              w_("The printer {0} is ready: the user {1} may write to it.", path.string(), user));
        return r.take();
    }

    // 5a. The database's integrity, read-only.
    Finding database() {
        Report r(DoctorCheck::Database, title(DoctorCheck::Database));
        const fs::path file = config_.database_path();
        std::error_code ec;
        if (!fs::exists(file, ec)) {
            r.add(DoctorStatus::Warning,
                  w_("There is no database yet ({0}); the kiosk makes it when it first starts.",
                     file.string()),
                  w_("Start the kiosk once (systemctl start seba-kiosk), then run this check "
                     "again."));
            return r.take();
        }
        const std::string damaged_fix =
            w_("Stop the kiosk (systemctl stop seba-kiosk) and keep a copy of the file for "
               "support. Do not delete it: requests not yet sent to the server are only in this "
               "file. Then call support.");
        if (::access(file.c_str(), R_OK) != 0) {
            r.add(DoctorStatus::Problem,
                  w_("The database {0} cannot be read: {1}", file.string(), std::strerror(errno)),
                  w_(kRunAgain));
            return r.take();
        }
        std::string error;
        Sqlite db = open_read_only(file, error);
        if (!db) {
            r.add(DoctorStatus::Problem,
                  w_("The database {0} cannot be read: {1}", file.string(), error), w_(kRunAgain));
            return r.take();
        }
        sqlite3_busy_timeout(db.get(), 5000);
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v2(db.get(), "PRAGMA quick_check", -1, &raw, nullptr);
        SqliteStatement check(raw);
        std::vector<std::string> rows;
        while (rc == SQLITE_OK || rc == SQLITE_ROW) {
            rc = sqlite3_step(check.get());
            if (rc == SQLITE_ROW) {
                const unsigned char* text = sqlite3_column_text(check.get(), 0);
                rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
            }
        }
        const int primary = rc & 0xFF;
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
            r.add(DoctorStatus::Problem,
                  w_("The database {0} is damaged: {1}", file.string(), sqlite3_errmsg(db.get())),
                  damaged_fix);
        } else if (rc != SQLITE_DONE) {
            r.add(
                DoctorStatus::Problem,
                w_("The database {0} cannot be read: {1}", file.string(), sqlite3_errmsg(db.get())),
                w_(kRunAgain));
        } else if (rows.size() != 1 || rows.front() != "ok") {
            std::string first = rows.empty() ? std::string("no answer") : rows.front();
            r.add(DoctorStatus::Problem,
                  w_("The database {0} is damaged: {1}", file.string(), first), damaged_fix);
        } else {
            r.add(DoctorStatus::Ok, w_("{0}: no damage found ({1}).", file.string(),
                                       w_.size(fs::file_size(file, ec))));
        }
        return r.take();
    }

    // 5b. Free space where data_dir lives.
    Finding disk() {
        Report r(DoctorCheck::Disk, title(DoctorCheck::Disk));
        // As the kiosk itself measures it (seba/storage_health.hpp).
        std::optional<DiskRoom> room = disk_room(config_.data_dir);
        if (!room)
            throw Error(fmt::format("{}: {}", config_.data_dir.string(), std::strerror(errno)));
        const std::uint64_t free_bytes = room->free_bytes;
        const std::uint64_t needed_bytes = config_.min_free_bytes;
        const std::string where = config_.data_dir.string();
        const std::string fix =
            w_("Free some space on this disk: as root, run apt-get clean and journalctl "
               "--vacuum-size=100M, and delete files that are not the kiosk's. Never delete {0}: "
               "it holds requests not yet sent.",
               config_.database_path().string());
        if (free_bytes < needed_bytes)
            r.add(DoctorStatus::Problem,
                  w_("Only {0} free on the disk that holds {1}: the kiosk needs at least {2}.",
                     w_.size(free_bytes), where, w_.size(needed_bytes)),
                  fix);
        else if (free_bytes < kDiskWarningBytes)
            r.add(DoctorStatus::Warning,
                  w_("Only {0} free on the disk that holds {1}: keep at least {2} free.",
                     w_.size(free_bytes), where, w_.size(kDiskWarningBytes)),
                  fix);
        else
            r.add(DoctorStatus::Ok,
                  w_("{0} free on the disk that holds {1}.", w_.size(free_bytes), where));
        return r.take();
    }

    // 7. Enrollment (the device key, SyncClient's device id and centre) and /healthz.
    Finding server() {
        Report r(DoctorCheck::Server, title(DoctorCheck::Server));
        const std::string source = config_.source.string();
        if (config_.server_url.empty()) {
            r.add(DoctorStatus::Problem,
                  w_("No server is set: server.url in {0} is empty, so nothing reaches the "
                     "centre.",
                     source),
                  w_("Set server.url in {0} to the address from your administrator, then "
                     "restart the kiosk.",
                     source));
            return r.take();
        }
        const std::string enroll_fix =
            w_("Ask the administrator for an enrollment code (seba-server admin enroll-code "
               "CENTRE), then run: {0}",
               this_command(config_, "enroll CODE"));
        const fs::path key = config_.data_dir / "device.key";
        std::error_code ec;
        if (!fs::exists(key, ec)) {
            // SyncClient would make a new key here: not in a check.
            r.add(DoctorStatus::Problem, w_("This kiosk is not enrolled with the server."),
                  enroll_fix);
        } else if (Host* host = copy().host()) {
            try {
                SyncClient client(host->database(), sync_options(config_));
                if (client.enrolled())
                    r.add(DoctorStatus::Ok, w_("Enrolled as device {0} for centre {1}.",
                                               client.device_id(), client.centre()));
                else
                    r.add(DoctorStatus::Problem, w_("This kiosk is not enrolled with the server."),
                          enroll_fix);
            } catch (const Error& e) {  // names the file, never its content
                r.add(DoctorStatus::Problem,
                      w_("The device key {0} cannot be used: {1}", key.string(), e.what()),
                      w_(kRunAgain));
            }
        } else {
            r.add(DoctorStatus::Problem, w_(kNotChecked, copy().error()), w_(kRunAgain));
        }

        const ServerProbe& p = probe();
        const std::string& url = config_.server_url;
        const std::string network_fix =
            w_("Check the network (cable, Wi-Fi or modem), any firewall on the way, and "
               "server.url in {0}.",
               source);
        using Outcome = ServerProbe::Outcome;
        if (p.is_seba_server) {
            r.add(DoctorStatus::Ok,
                  w_("The server {0} answers ({1} ms).", url, w_.number(p.took.count())));
        } else if (p.outcome == Outcome::Answered) {
            r.add(DoctorStatus::Problem,
                  w_("The server {0} answered with HTTP {1}, not as seba-server does.", url,
                     p.http_status),
                  w_("Check that server.url in {0} points to seba-server, not to another web "
                     "page or a proxy.",
                     source));
        } else if (p.outcome == Outcome::Refused) {
            r.add(DoctorStatus::Problem,
                  w_("The server {0} cannot be reached: the connection was refused.", url),
                  w_("Check that seba-server runs on the server machine and that server.url in "
                     "{0} has the right address and port.",
                     source));
        } else if (p.outcome == Outcome::NameNotFound) {
            r.add(DoctorStatus::Problem, w_("The server's name in {0} was not found (DNS).", url),
                  network_fix);
        } else if (p.outcome == Outcome::TimedOut) {
            const auto seconds =
                std::chrono::duration_cast<std::chrono::seconds>(options_.server_timeout).count();
            r.add(DoctorStatus::Problem,
                  w_("The server {0} did not answer within {1} seconds.", url, w_.number(seconds)),
                  network_fix);
        } else if (p.outcome == Outcome::Tls) {
            r.add(DoctorStatus::Problem,
                  w_("The secure (TLS) connection to {0} failed: {1}", url, p.error),
                  w_("Check this kiosk's clock (see below) and, with the server's "
                     "administrator, the server's certificate."));
        } else {
            r.add(DoctorStatus::Problem, w_("The server {0} cannot be reached: {1}", url, p.error),
                  network_fix);
        }
        return r.take();
    }

    // 6. The kiosk's clock against the server's Date.
    Finding clock() {
        Report r(DoctorCheck::Clock, title(DoctorCheck::Clock));
        const std::string ntp_fix =
            w_("Turn on time sync, as root: timedatectl set-ntp true (check it with: "
               "timedatectl status).");
        // Only seba-server's clock matters: a proxy's error page has a Date too.
        if (config_.server_url.empty() || !probe().is_seba_server) {
            r.add(DoctorStatus::Warning,
                  w_("The clock was not compared: the server cannot be reached."),
                  w_("Fix the server connection first (see above), then run this check again."));
            return r.take();
        }
        const ServerProbe& p = probe();
        if (!p.server_time) {
            r.add(DoctorStatus::Warning,
                  w_("The clock was not compared: the server did not say its time (an older "
                     "seba-server)."),
                  ntp_fix);
            return r.take();
        }
        // Date counts whole seconds: the server's time was within the second after it.
        const auto off = p.local_time - (*p.server_time + std::chrono::milliseconds(500));
        const std::int64_t seconds = std::llround(std::chrono::duration<double>(off).count());
        const std::chrono::seconds size(seconds < 0 ? -seconds : seconds);
        const std::string window = w_.number(kClockRefused.count());
        const std::string found =
            seconds > 0 ? w_("This kiosk's clock is {0} seconds ahead of the server's; the server "
                             "refuses requests more than {1} seconds off.",
                             w_.number(size.count()), window)
                        : w_("This kiosk's clock is {0} seconds behind the server's; the server "
                             "refuses requests more than {1} seconds off.",
                             w_.number(size.count()), window);
        if (size > kClockRefused)
            r.add(DoctorStatus::Problem, found, ntp_fix);
        else if (size >= kClockNotable)
            r.add(DoctorStatus::Warning, found, ntp_fix);
        else
            r.add(DoctorStatus::Ok,
                  w_("This kiosk's clock agrees with the server's (difference: {0} seconds).",
                     w_.number(size.count())));
        return r.take();
    }

    // A refusal may quote the value it refused ("found ..."): a secret setting's value is
    // never shown, whether it came from the file, the fleet or the operator.
    std::string without_secrets(Host& host, const PluginInfo& info, std::string text) const {
        if (!info.manifest) return text;
        std::vector<nlohmann::json> sources;
        if (auto it = config_.plugin_settings.find(info.id); it != config_.plugin_settings.end())
            sources.push_back(it->second);
        if (std::optional<std::string> stored =
                read_core_value(host.database(), "plugin." + info.id + ".settings"))
            sources.push_back(nlohmann::json::parse(*stored, nullptr, false));
        if (std::optional<nlohmann::json> fleet =
                catalog::record(host.database(), "fleet", "config");
            fleet && fleet->is_object() && fleet->contains("plugin_settings") &&
            (*fleet)["plugin_settings"].is_object())
            sources.push_back((*fleet)["plugin_settings"].value(info.id, nlohmann::json()));
        for (const SettingSpec& spec : info.manifest->settings) {
            if (!spec.secret) continue;
            for (const nlohmann::json& source : sources) {
                if (!source.is_object() || !source.contains(spec.key)) continue;
                const nlohmann::json& value = source[spec.key];
                for (const std::string& shown :
                     {value.dump(), value.is_string() ? value.get<std::string>() : value.dump()}) {
                    if (shown.empty() || shown == "\"\"") continue;
                    for (std::size_t at = text.find(shown); at != std::string::npos;
                         at = text.find(shown, at + 3))
                        text.replace(at, shown.size(), "***");
                }
            }
        }
        return text;
    }

    // 8. Every enabled plugin, loaded and started by the real Host on the copy.
    Finding plugins() {
        Report r(DoctorCheck::Plugins, title(DoctorCheck::Plugins));
        const std::string source = config_.source.string();
        Host* host = copy().host();
        if (!host) {
            r.add(DoctorStatus::Problem,
                  w_("The plugins could not be checked: {0}", copy().error()), w_(kRunAgain));
            return r.take();
        }
        // kiosk.mode: production loads only release-signed plugins.
        if (config_.development_mode)
            r.add(DoctorStatus::Warning,
                  w_("This kiosk is in development mode (kiosk.mode in {0}): plugins signed with "
                     "a development key load.",
                     source),
                  w_("On a kiosk in service, set kiosk.mode = \"production\" in {0} and install "
                     "the release build of the plugins.",
                     source));
        if (host->development_mode())
            r.add(DoctorStatus::Warning, w_("Development mode: unsigned plugins are allowed"),
                  w_("On a kiosk in service, set plugins.allow_unsigned = false in {0}.", source));
        int enabled = 0;
        for (const PluginInfo& info : host->plugins()) {
            if (!info.enabled) continue;
            ++enabled;
            const std::string name =
                info.manifest ? fmt::format("{} ({})", info.manifest->name(w_.language()), info.id)
                              : info.id;
            const std::string reenable =
                fmt::format("seba-host --config {} reenable {}", source, info.id);
            const std::string reason = without_secrets(*host, info, info.reason);
            switch (info.state) {
                case PluginState::Running:
                    if (info.unsigned_dev)
                        r.add(DoctorStatus::Warning,
                              w_("{0}: running without a signature (development mode).", name));
                    else
                        r.add(DoctorStatus::Ok,
                              w_("{0}: running, signed by trusted key {1}.", name, info.signed_by));
                    if (info.crash_count > 0)
                        r.add(DoctorStatus::Warning,
                              w_("{0}: running, but it stopped the kiosk {1} times before.", name,
                                 w_.number(info.crash_count)),
                              w_("Look in the kiosk's log ({0}) for what happened, and tell "
                                 "support.",
                                 config_.log_dir().string()));
                    break;
                case PluginState::Refused:
                    r.add(DoctorStatus::Problem, w_("{0} was refused. Reason: {1}", name, reason),
                          w_("Reinstall {0} from the kiosk's package (a signed build), or take it "
                             "out of plugins.enabled in {1}.",
                             info.id, source));
                    break;
                case PluginState::Failed:
                    r.add(DoctorStatus::Problem, w_("{0} failed. Reason: {1}", name, reason),
                          w_("After fixing the cause, start it again: {0}", reenable));
                    break;
                case PluginState::Quarantined:
                    r.add(DoctorStatus::Problem,
                          w_("{0} is quarantined. Reason: {1}", name, reason),
                          w_("After fixing the cause, start it again: {0}", reenable));
                    break;
                default:
                    r.add(DoctorStatus::Warning,
                          w_("{0} is not running ({1}).", name, to_string(info.state)));
                    break;
            }
        }
        if (enabled == 0)
            r.add(DoctorStatus::Warning, w_("No plugin is enabled: citizens see no services."),
                  w_("List the services in plugins.enabled in {0}, or publish a fleet "
                     "configuration for this centre.",
                     source));
        return r.take();
    }

    const Config& config_;
    const DoctorOptions& options_;
    Words w_;
    std::optional<KioskCopy> copy_;
    std::optional<ServerProbe> probe_;
};

void write_part(std::ostream& out, const std::string& label, const std::string& text) {
    if (text.find('\n') == std::string::npos) {
        out << "    " << label << ": " << text << "\n";
        return;
    }
    out << "    " << label << ":\n";
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out << "      - " << text.substr(start, end - start) << "\n";
        start = end + 1;
    }
}

}  // namespace

std::vector<Finding> run_doctor(const Config& config, const DoctorOptions& options) {
    Examination exam(config, options);
    std::vector<Finding> findings;
    for (DoctorCheck check : kAllChecks) {
        if (!options.checks.empty() &&
            std::find(options.checks.begin(), options.checks.end(), check) == options.checks.end())
            continue;
        findings.push_back(exam.run(check));
    }
    return findings;
}

void print_findings(std::ostream& out, const Config& config, const std::vector<Finding>& findings,
                    const DoctorOptions& options) {
    Words w(options);
    out << w("Seba kiosk check-up: {0}", config.source.string()) << "\n\n";
    std::int64_t problems = 0, warnings = 0;
    for (const Finding& f : findings) {
        std::string status = w("OK");
        if (f.status == DoctorStatus::Warning) {
            status = w("WARNING");
            ++warnings;
        } else if (f.status == DoctorStatus::Problem) {
            status = w("PROBLEM");
            ++problems;
        }
        out << "[" << status << "] " << f.title << "\n";
        write_part(out, w("Found"), f.found);
        if (f.status != DoctorStatus::Ok && !f.fix.empty()) write_part(out, w("What to do"), f.fix);
        out << "\n";
    }
    out << w("Problems: {0}. Warnings: {1}.", w.number(problems), w.number(warnings)) << "\n";
}

int doctor_exit_code(const std::vector<Finding>& findings) {
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& f) { return f.status == DoctorStatus::Problem; })
               ? 1
               : 0;
}

int doctor_command(const Config& config, const std::string& language,
                   const std::filesystem::path& locale_dir) {
    // The languages a country pack sent this kiosk, read from a private copy of its database
    // (the doctor writes nothing of the kiosk's), so that they are checked as the kiosk would.
    {
        std::error_code ec;
        if (fs::exists(config.database_path(), ec)) {
            KioskCopy copy(config);
            if (Host* host = copy.host()) {
                std::vector<std::string> problems;
                ui::set_languages(ui::languages_from(host->database(), &problems));
            }
        }
    }
    DoctorOptions options;
    options.language = language.empty() ? config.default_language : language;
    if (ui::languages().find(options.language) == nullptr) {
        std::vector<std::string> known;
        for (const ui::Language& l : ui::languages().all()) known.push_back(l.tag);
        std::cerr << fmt::format("seba-kiosk doctor: --lang {} is not a language of the kiosk ({})\n",
                                 options.language, fmt::join(known, ", "));
        return 2;
    }
    options.locale_dir = locale_dir;
    std::vector<Finding> findings = run_doctor(config, options);
    print_findings(std::cout, config, findings, options);
    return doctor_exit_code(findings);
}

}  // namespace seba::kiosk
