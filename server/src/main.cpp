// SPDX-License-Identifier: Apache-2.0
// seba-server: serves kiosks (`serve`) and is administered from the same binary
// (`admin ...`). One config file says where it listens and keeps its data.
#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>

#include "copy_store.hpp"
#include "pg_pool.hpp"
#include "seba/build_info.hpp"
#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/logging.hpp"
#include "seba/server/catalog_import.hpp"
#include "seba/server/country_pack.hpp"
#include "seba/server/credential_trust.hpp"
#include "seba/server/dashboard.hpp"
#include "seba/server/file_store.hpp"
#include "seba/server/grievances.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/nise.hpp"
#include "seba/server/seal_keys.hpp"
#include "seba/server/store.hpp"

namespace {

struct ServerConfig {
    seba::server::ServerOptions http;
    std::filesystem::path database;
    std::filesystem::path log_dir;
    /// The sealing keys and the citizen hash key (mode 0600); by default beside the database.
    std::filesystem::path seal_key_file;
    /// The key the credentials trust list is signed with (mode 0600); beside the database.
    std::filesystem::path trust_key_file;
    /// [dashboard] secure_cookies: none means "when public_url is https://".
    std::optional<bool> dashboard_secure_cookies;
    /// `admin purge` without --before deletes the citizen data of events older than this.
    int retention_days = 365;
    /// [store] engine: where the store lives. SQLite: server.database; PostgreSQL: [postgresql].
    bool postgresql = false;
    seba::server::pg::PoolConfig postgres;
};

constexpr int kMaxRetentionDays = 36500;

// [store] engine = "sqlite" | "postgresql".
bool read_store_engine(const toml::table& root, const std::filesystem::path& file) {
    const toml::node* store = root.get("store");
    if (!store) return false;
    const toml::table* table = store->as_table();
    if (!table) throw seba::ConfigError(file.string() + ": [store] must be a table");
    bool postgresql = false;
    for (const auto& [key, value] : *table) {
        const std::optional<std::string> engine = value.value<std::string>();
        if (key.str() != "engine" || !engine || (*engine != "sqlite" && *engine != "postgresql"))
            throw seba::ConfigError(fmt::format(
                "{}: store.{} is unknown or has the wrong type (known: engine = \"sqlite\" or "
                "\"postgresql\")",
                file.string(), key.str()));
        postgresql = *engine == "postgresql";
    }
    return postgresql;
}

// The database's password: one line of a file only its owner may read (0600 or stricter),
// never the config itself, never a log line.
std::string read_password_file(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        throw seba::ConfigError(fmt::format("postgresql.password_file {}: cannot be read: {}",
                                            path.string(), std::strerror(errno)));
    if ((info.st_mode & 077) != 0)
        throw seba::ConfigError(fmt::format(
            "postgresql.password_file {} may be read by others (mode {:o}); make it 0600 "
            "(chmod 600 {})",
            path.string(), info.st_mode & 0777, path.string()));
    if (info.st_size > 1024)
        throw seba::ConfigError(
            fmt::format("postgresql.password_file {} is larger than 1024 bytes", path.string()));
    std::ifstream in(path);
    std::string password;
    if (!in || !std::getline(in, password))
        throw seba::ConfigError(
            fmt::format("postgresql.password_file {} is empty or unreadable", path.string()));
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
}

// [postgresql]: the keys pg_pool.hpp documents; relative paths from the config's folder.
seba::server::pg::PoolConfig read_postgresql(const toml::table& root,
                                             const std::filesystem::path& file,
                                             const std::filesystem::path& base) {
    seba::server::pg::PoolConfig config;
    const toml::table* table = root["postgresql"].as_table();
    if (!table)
        throw seba::ConfigError(file.string() +
                                ": store.engine = \"postgresql\" needs a [postgresql] table");
    auto integer = [&](const toml::node& value, const std::string& key) {
        const std::optional<std::int64_t> number = value.value<std::int64_t>();
        if (!value.is_integer() || !number || *number < 0 || *number > 10'000'000)
            throw seba::ConfigError(
                fmt::format("{}: postgresql.{} must be a whole number", file.string(), key));
        return static_cast<int>(*number);
    };
    for (const auto& [key, value] : *table) {
        const std::string name(key.str());
        const std::optional<std::string> text =
            value.is_string() ? value.value<std::string>() : std::nullopt;
        if (name == "host" && text)
            config.host = *text;
        else if (name == "database" && text)
            config.database = *text;
        else if (name == "user" && text)
            config.user = *text;
        else if (name == "sslmode" && text)
            config.sslmode = *text;
        else if (name == "sslrootcert" && text)
            config.sslrootcert = (base / *text).string();
        else if (name == "password_file" && text)
            config.password = read_password_file(base / *text);
        else if (name == "port")
            config.port = integer(value, name);
        else if (name == "min_connections")
            config.min_connections = integer(value, name);
        else if (name == "max_connections")
            config.max_connections = integer(value, name);
        else if (name == "acquire_timeout_ms")
            config.acquire_timeout = std::chrono::milliseconds(integer(value, name));
        else if (name == "connect_timeout_s")
            config.connect_timeout = std::chrono::seconds(integer(value, name));
        else if (name == "statement_timeout_ms")
            config.statement_timeout = std::chrono::milliseconds(integer(value, name));
        else if (name == "transaction_attempts")
            config.transaction_attempts = integer(value, name);
        else
            throw seba::ConfigError(fmt::format(
                "{}: postgresql.{} is unknown or has the wrong type (known: host, port, "
                "database, user, password_file, sslmode, sslrootcert, min_connections, "
                "max_connections, acquire_timeout_ms, connect_timeout_s, statement_timeout_ms, "
                "transaction_attempts; docs/deployment.md, \"PostgreSQL\")",
                file.string(), name));
    }
    try {
        config.validate();
    } catch (const seba::ConfigError& e) {
        throw seba::ConfigError(file.string() + ": " + e.what());
    }
    return config;
}

// [server] listen, port, database, threads, log_dir; relative paths from the file's folder.
ServerConfig load(const std::filesystem::path& file) {
    ServerConfig config;
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw seba::ConfigError(fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                            e.source().begin.column, e.description()));
    }
    std::filesystem::path base = file.parent_path().empty() ? "." : file.parent_path();
    if (const toml::node* dashboard = root.get("dashboard")) {
        const toml::table* table = dashboard->as_table();
        if (!table) throw seba::ConfigError(file.string() + ": [dashboard] must be a table");
        for (const auto& [key, value] : *table) {
            if (key.str() == "secure_cookies" && value.is_boolean())
                config.dashboard_secure_cookies = value.as_boolean()->get();
            else
                throw seba::ConfigError(fmt::format(
                    "{}: dashboard.{} is unknown or has the wrong type (known: secure_cookies = "
                    "true/false)",
                    file.string(), key.str()));
        }
    }
    const toml::table* server = root["server"].as_table();
    if (!server) throw seba::ConfigError(file.string() + ": missing table [server]");
    config.http.admin_port = 9470;
    for (const auto& [key, value] : *server) {
        std::string name(key.str());
        if (name == "listen" && value.is_string())
            config.http.host = value.as_string()->get();
        else if (name == "port" && value.is_integer() && value.as_integer()->get() >= 0 &&
                 value.as_integer()->get() <= 65535)
            config.http.port = static_cast<int>(value.as_integer()->get());
        else if (name == "admin_port" && value.is_integer() && value.as_integer()->get() >= -1 &&
                 value.as_integer()->get() <= 65535)
            config.http.admin_port = static_cast<int>(value.as_integer()->get());
        else if (name == "threads" && value.is_integer() && value.as_integer()->get() >= 2 &&
                 value.as_integer()->get() <= 1024)
            config.http.threads = static_cast<int>(value.as_integer()->get());
        else if (name == "max_pushes_in_flight" && value.is_integer() &&
                 value.as_integer()->get() >= 0 && value.as_integer()->get() <= 1024)
            config.http.max_pushes_in_flight = static_cast<int>(value.as_integer()->get());
        else if (name == "database" && value.is_string())
            config.database = base / value.as_string()->get();
        else if (name == "log_dir" && value.is_string())
            config.log_dir = base / value.as_string()->get();
        else if (name == "seal_key_file" && value.is_string())
            config.seal_key_file = base / value.as_string()->get();
        else if (name == "trust_key_file" && value.is_string())
            config.trust_key_file = base / value.as_string()->get();
        else if (name == "public_url" && value.is_string() &&
                 (value.as_string()->get().starts_with("https://") ||
                  value.as_string()->get().starts_with("http://")) &&
                 value.as_string()->get().size() <= 512 &&
                 value.as_string()->get().find_first_of(" \"'<>\\") == std::string::npos)
            config.http.public_url = value.as_string()->get();
        else if (name == "files_dir" && value.is_string())
            config.http.files_dir = base / value.as_string()->get();
        else if (name == "retention_days" && value.is_integer() && value.as_integer()->get() >= 1 &&
                 value.as_integer()->get() <= kMaxRetentionDays)
            config.retention_days = static_cast<int>(value.as_integer()->get());
        else
            throw seba::ConfigError(fmt::format(
                "{}: server.{} is unknown or has the wrong type (known: listen = \"host\", "
                "port = 0-65535, admin_port = -1-65535, threads = 2-1024, max_pushes_in_flight = "
                "0-1024, database = "
                "\"file\", log_dir = \"dir\", seal_key_file = \"file\", trust_key_file = \"file\", "
                "public_url = \"https://...\", files_dir = \"dir\", retention_days = "
                "1-{})",
                file.string(), name, kMaxRetentionDays));
    }
    config.postgresql = read_store_engine(root, file);
    if (config.postgresql) {
        config.postgres = read_postgresql(root, file, base);
    } else if (root.get("postgresql")) {
        throw seba::ConfigError(file.string() +
                                ": [postgresql] is set but store.engine is not \"postgresql\"");
    }
    // SQLite keeps its store in server.database; with PostgreSQL it is optional, and the key
    // files, content files and the start lock default to the config's folder.
    if (config.database.empty() && !config.postgresql)
        throw seba::ConfigError(file.string() + ": missing key server.database");
    const std::filesystem::path state_dir =
        config.database.empty() ? base : config.database.parent_path();
    if (config.log_dir.empty()) config.log_dir = base / "logs";
    if (config.seal_key_file.empty()) config.seal_key_file = state_dir / "seal-keys.json";
    if (config.trust_key_file.empty()) config.trust_key_file = state_dir / "trust.key";
    while (config.http.public_url.ends_with('/')) config.http.public_url.pop_back();
    // Behind the TLS front (https://), the dashboard's cookies go over HTTPS only.
    config.http.dashboard_secure_cookies =
        config.dashboard_secure_cookies.value_or(config.http.public_url.starts_with("https://"));
    // Content files (GET /v1/files/...), by their hash, beside the database by default.
    if (config.http.files_dir.empty()) config.http.files_dir = state_dir / "files";
    return config;
}

// Several seba-servers may start at once on one database (docs/deployment.md, "Several
// backends"): the first migrates the schema and makes the key files, the others wait for it
// and then find them made. SQLite's locks do not cover this: which migrations to run is read
// before their transaction, and a key file is made by whoever finds it missing. Held from
// before the store opens until the keys are loaded; admin commands take it too.
class StartLock {
  public:
    explicit StartLock(const std::filesystem::path& database) {
        const std::string path = database.string() + ".start-lock";
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0)
            throw seba::Error(
                fmt::format("{}: cannot open the start lock: {}; check that the "
                            "database's folder exists and is writable",
                            path, std::strerror(errno)));
        while (::flock(fd_, LOCK_EX) != 0)
            if (errno != EINTR)
                throw seba::Error(
                    fmt::format("{}: cannot take the start lock: {}", path, std::strerror(errno)));
    }
    ~StartLock() { release(); }
    StartLock(const StartLock&) = delete;
    StartLock& operator=(const StartLock&) = delete;
    void release() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_ = -1;
};

seba::server::HttpServer* g_server = nullptr;

void print_step(const std::string& what, const seba::server::PublishReport& r, int duplicates,
                bool dry_run) {
    fmt::print("{}{}: {} added, {} changed, {} removed, {} unchanged", dry_run ? "(dry run) " : "",
               what, r.added, r.changed, r.removed, r.unchanged);
    if (duplicates > 0) fmt::print(", {} duplicate row(s) dropped", duplicates);
    if (r.head > 0) fmt::print(" (version {})", r.head);
    fmt::print("\n");
}

// Who runs an admin command, for the audit log: the login behind sudo when there is one.
std::string admin_actor() {
    if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo)
        return fmt::format("{} (sudo)", sudo);
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) return pw->pw_name;
    return fmt::format("uid {}", ::getuid());
}

// The date `days` before now, UTC, as YYYY-MM-DD.
std::string days_ago(int days) {
    auto then = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) -
                std::chrono::days(days);
    return fmt::format("{:%F}", then);
}

}  // namespace

int main(int argc, char** argv) {
    // Everything this process creates (databases, logs, keys, receipts) is its user's alone.
    ::umask(077);
    CLI::App app{"seba-server: the central sync server for Seba kiosks"};
    app.set_version_flag("--version", seba::version_line("seba-server"));
    std::string config_path = "/etc/seba/seba-server.toml";
    app.add_option("-c,--config", config_path, "server configuration file")->capture_default_str();
    app.require_subcommand(1);
    auto* serve = app.add_subcommand("serve", "serve kiosks until stopped (SIGINT/SIGTERM)");
    auto* admin = app.add_subcommand("admin", "administer centres, codes, devices, events");
    admin->require_subcommand(1);
    std::string centre, name, device;
    int valid_hours = 24;
    auto* create_centre = admin->add_subcommand("create-centre", "add a centre");
    create_centre->add_option("centre", centre)->required();
    create_centre->add_option("name", name)->required();
    bool exist_ok = false;
    create_centre->add_flag("--exist-ok", exist_ok, "succeed if the centre is already there");
    auto* code = admin->add_subcommand("enroll-code", "make a single-use enrollment code");
    code->add_option("centre", centre)->required();
    code->add_option("--valid-hours", valid_hours)->capture_default_str();
    auto* revoke = admin->add_subcommand(
        "revoke", "revoke a device (its requests, and the credentials it issued)");
    revoke->add_option("device", device)->required();
    std::string credential;
    auto* revoke_credential = admin->add_subcommand(
        "revoke-credential", "revoke one credential by the number printed on it");
    revoke_credential->add_option("id", credential, "16 hex digits")->required();
    auto* events = admin->add_subcommand("events", "list the events received for a centre");
    events->add_option("centre", centre)->required();
    bool open_sealed = false;
    events->add_flag("--open", open_sealed,
                     "open the citizens' sealed fields with the key file (audited)");
    auto* seal_key = admin->add_subcommand(
        "seal-key", "show the key kiosks seal citizens' data to (made when there is none)");
    bool rotate = false;
    seal_key->add_flag("--rotate", rotate,
                       "make a new current key (older ones are kept to open what they sealed); "
                       "restart serve for kiosks to get it");
    auto* purge = admin->add_subcommand(
        "purge", "delete the citizen data of old events (audited); default: server.retention_days");
    std::string before;
    purge->add_option("--before", before, "events received before this day, YYYY-MM-DD (UTC)");
    auto* audit_log = admin->add_subcommand("audit", "show the server's audit log");

    std::string channel, file, format, key = "id";
    std::vector<std::string> columns, uz_latin;
    bool keep_missing = false, dry_run = false;
    auto* import = admin->add_subcommand(
        "import", "publish a catalog channel from a CSV or JSON file (replacing its content)");
    import->add_option("channel", channel, "channel name, e.g. geo.bd.unions")->required();
    import->add_option("file", file, "a .csv or .json file")->required();
    import->add_option("--format", format, "csv or json (default: from the extension)")
        ->check(CLI::IsMember({"csv", "json"}));
    import->add_option("--columns", columns, "column names of a CSV without a header row")
        ->delimiter(',');
    import->add_option("--key", key, "the column or field that keys the records")
        ->capture_default_str();
    import->add_option("--uz-latin", uz_latin, "columns of Uzbek Latin text (oʻ, gʻ marks)")
        ->delimiter(',');
    import->add_option("--centre", centre, "publish for one centre only (a per-centre channel)");
    import->add_flag("--keep-missing", keep_missing, "keep records the file does not have");
    import->add_flag("--dry-run", dry_run, "say what would change; change nothing");
    auto* fleet = admin->add_subcommand("fleet-config", "publish a centre's fleet configuration");
    fleet->add_option("centre", centre)->required();
    fleet->add_option("file", file, "a JSON file (see docs/protocol.md)")->required();
    fleet->add_flag("--dry-run", dry_run, "check it; change nothing");
    auto* pack = admin->add_subcommand("import-pack", "publish a country pack (pack.json)");
    pack->add_option("pack", file, "the pack.json file")->required();
    pack->add_flag("--dry-run", dry_run, "read and check everything; change nothing");
    auto* list_channels = admin->add_subcommand("channels", "list the catalog channels");
    std::int64_t up_to = std::numeric_limits<std::int64_t>::max();
    auto* compact = admin->add_subcommand(
        "compact", "forget a channel's tombstones; kiosks behind them get a full snapshot");
    compact->add_option("channel", channel)->required();
    compact->add_option("--up-to", up_to, "forget those at or below this version (default: all)");
    auto* evidence = admin->add_subcommand(
        "evidence", "the pilot's Time, Cost and Visits evidence (docs/civil-service.md)");
    std::string level = "country";
    seba::server::EvidenceFilter filter;
    std::string evidence_format = "json";
    evidence->add_option("--level", level, "country, region, district or centre")
        ->capture_default_str();
    evidence->add_option("--from", filter.from_month, "first month, YYYY-MM");
    evidence->add_option("--to", filter.to_month, "last month, YYYY-MM");
    evidence->add_option("--region", filter.region, "only this region's centres");
    evidence->add_option("--district", filter.district, "only this district's centres");
    evidence->add_option("--centre", filter.centre, "only this centre");
    evidence->add_option("--service", filter.service, "only this service id");
    evidence->add_option("--format", evidence_format, "json or csv")->capture_default_str();
    auto* centre_place =
        admin->add_subcommand("centre-place", "say which region and district a centre serves");
    std::string region, district;
    centre_place->add_option("centre", centre)->required();
    centre_place->add_option("--region", region, "the region's name")->required();
    centre_place->add_option("--district", district, "the district's name")->required();
    std::string reference, status, note;
    std::vector<std::pair<std::string, std::string>> notes_in;
    auto* grievance = admin->add_subcommand(
        "grievance-answer",
        "answer a complaint filed at a centre's kiosk: its status, for the citizen who checks");
    grievance->add_option("centre", centre)->required();
    grievance
        ->add_option("reference", reference, "the complaint's reference, e.g. DHK1-G261128-A7-0003")
        ->required();
    grievance->add_option("status", status)
        ->required()
        ->check(CLI::IsMember({"received", "in_progress", "resolved", "rejected"}));
    grievance->add_option("--note", note, "a note for the citizen (shown in every language)");
    grievance->add_option("--note-in", notes_in, "LANG TEXT: the note in one language (repeat)");
    auto* nise_answer = admin->add_subcommand(
        "nise-answer",
        "answer a NISE referral for its citizen: the employer's or provider's status");
    nise_answer->add_option("centre", centre)->required();
    nise_answer
        ->add_option("reference", reference, "the referral's reference, e.g. DHK1-N261207-A7-0001")
        ->required();
    nise_answer->add_option("status", status)
        ->required()
        ->check(CLI::IsMember({"received", "interview", "accepted", "rejected"}));
    nise_answer->add_option("--note", note, "a note for the citizen (shown in every language)");
    nise_answer->add_option("--note-in", notes_in, "LANG TEXT: the note in one language (repeat)");
    auto* nise_referrals = admin->add_subcommand(
        "nise-referrals", "the NISE referrals kiosks sent, for employers and providers");
    seba::server::nise::ListFilter nise_filter;
    std::string nise_format = "json";
    bool nise_contacts = false;
    nise_referrals->add_option("--centre", nise_filter.centre, "only this centre's referrals");
    nise_referrals->add_option("--opportunity", nise_filter.opportunity,
                               "only the referrals to this opportunity id");
    nise_referrals->add_option("--format", nise_format, "json or csv")->capture_default_str();
    nise_referrals->add_flag("--contacts", nise_contacts,
                             "also the citizens' names and phones, opened from the sealed fields "
                             "(audited)");
    auto* dashboard_user =
        admin->add_subcommand("dashboard-user", "manage who may sign in to the web dashboard");
    dashboard_user->require_subcommand(1);
    std::string user;
    auto* user_add = dashboard_user->add_subcommand(
        "add", "add a user; the password (at least 12 characters) is read from standard input");
    user_add->add_option("name", user, "[a-z0-9._-]{1,64}")->required();
    auto* user_remove =
        dashboard_user->add_subcommand("remove", "remove a user and end their sessions");
    user_remove->add_option("name", user)->required();
    auto* user_list = dashboard_user->add_subcommand("list", "list the users");
    std::string copy_from;
    auto* copy_store = admin->add_subcommand(
        "copy-store",
        "copy a pilot's SQLite store into this config's empty PostgreSQL store, and verify it "
        "(docs/deployment.md, \"Moving a pilot's server to PostgreSQL\")");
    copy_store->add_option("--from", copy_from, "the pilot's SQLite file (server.db)")->required();
    CLI11_PARSE(app, argc, argv);

    try {
        ServerConfig config = load(config_path);
        seba::logging::init(config.log_dir, "info", /*to_stderr=*/static_cast<bool>(*serve));
        if (*copy_store) {  // before any store opens: the source must not be migrated
            if (!config.postgresql)
                throw seba::Error(
                    config_path +
                    ": copy-store copies into the PostgreSQL store this config names; "
                    "set [store] engine = \"postgresql\" and [postgresql] first");
            for (const seba::server::CopiedTable& table :
                 seba::server::copy_sqlite_store_to_postgres(copy_from, config.postgres,
                                                             admin_actor()))
                fmt::print("{:<30} {:>10} rows  sha256 {}\n", table.name, table.rows,
                           table.checksum.substr(0, 16));
            fmt::print("copied and verified into {}; audited as store.copied\n",
                       config.postgres.describe());
            return 0;
        }
        // With PostgreSQL the migrations take the database's own lock (pg_migrations.hpp);
        // the start lock still keeps the key files made once on this machine.
        StartLock start_lock(config.database.empty() ? config.seal_key_file : config.database);
        std::unique_ptr<seba::server::Store> store =
            config.postgresql ? seba::server::open_postgres_store(config.postgres)
                              : seba::server::open_sqlite_store(config.database);
        if (*serve) {
            config.http.seal_keys = std::make_shared<const seba::server::SealKeys>(
                seba::server::SealKeys::load_or_create(config.seal_key_file));
            config.http.trust_key = std::make_shared<const seba::signing::KeyPair>(
                seba::server::load_or_create_trust_key(config.trust_key_file));
            // Every device's entry as the table has it now: devices enrolled before
            // credentials, and any entry an enrollment could not publish.
            seba::server::publish_trust_list(*store, *config.http.trust_key);
            start_lock.release();
            // Each backend of a fleet must hold the same keys: the ids in the log let an
            // operator compare them (docs/deployment.md, "Several backends").
            std::cout << fmt::format("sealing key {}, trust key {}",
                                     config.http.seal_keys->current_public().id,
                                     seba::credentials::key_id(config.http.trust_key->public_key))
                      << std::endl;
            seba::server::HttpServer server(*store, config.http);
            int port = server.bind();
            g_server = &server;
            std::signal(SIGINT, [](int) { g_server->stop(); });
            std::signal(SIGTERM, [](int) { g_server->stop(); });
            std::cout << fmt::format("seba-server listening on http://{}:{}", config.http.host,
                                     port)
                      << std::endl;
            if (server.admin_port() >= 0)
                std::cout << fmt::format("metrics on http://127.0.0.1:{}/metrics",
                                         server.admin_port())
                          << std::endl;
            server.run();
            g_server = nullptr;
            return 0;
        }
        auto now = seba::server::Clock::now();
        if (*create_centre) {
            if (exist_ok && store->centre_exists(centre)) {
                fmt::print("centre {} is already there\n", centre);
                return 0;
            }
            store->create_centre(centre, name);
            fmt::print("centre {} created\n", centre);
        } else if (*code) {
            fmt::print("{}\n",
                       store->create_enrollment_code(centre, std::chrono::hours(valid_hours), now));
        } else if (*revoke) {
            store->revoke(device);
            if (std::optional<seba::server::Device> revoked = store->device(device))
                seba::server::publish_trust_entry(
                    *store, *revoked,
                    seba::server::load_or_create_trust_key(config.trust_key_file));
            store->audit(admin_actor(), "device.revoked", device);
            fmt::print("device {} revoked; kiosks learn it with their next sync\n", device);
        } else if (*revoke_credential) {
            seba::server::RevokedCredential revoked = store->revoke_credential(credential);
            seba::server::publish_revocation(
                *store, revoked, seba::server::load_or_create_trust_key(config.trust_key_file));
            store->audit(admin_actor(), "credential.revoked", revoked.id);
            fmt::print("credential {} revoked; kiosks learn it with their next sync\n", revoked.id);
        } else if (*import) {
            seba::server::ImportSpec spec;
            if (!format.empty())
                spec.format = format == "csv" ? seba::server::ImportSpec::Format::Csv
                                              : seba::server::ImportSpec::Format::Json;
            spec.columns = columns;
            spec.key = key;
            spec.uz_latin = uz_latin;
            seba::server::ImportResult read = seba::server::read_catalog_file(file, spec);
            const seba::server::FileStore files(config.http.files_dir);
            const std::filesystem::path file_path(file);
            seba::server::resolve_file_refs(read, file_path, file_path.parent_path(), &files,
                                            dry_run);
            std::vector<seba::server::ChannelRecord> records;
            records.reserve(read.records.size());
            for (const seba::server::CatalogRecord& r : read.records)
                records.push_back({r.key, r.data.dump()});
            print_step(fmt::format("channel {}", channel),
                       store->publish(channel, centre, records, !keep_missing, dry_run),
                       read.duplicates_dropped, dry_run);
        } else if (*fleet) {
            nlohmann::json fleet_config;
            {
                std::ifstream in(file);
                fleet_config = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
            }
            if (fleet_config.is_discarded())
                throw seba::Error(fmt::format("{}: cannot be read as JSON", file));
            print_step(fmt::format("fleet {}", centre),
                       seba::server::publish_fleet_config(*store, centre, fleet_config, dry_run), 0,
                       dry_run);
        } else if (*pack) {
            const seba::server::FileStore files_store(config.http.files_dir);
            for (const seba::server::PackStep& step :
                 seba::server::import_country_pack(*store, file, dry_run, &files_store))
                print_step(step.what, step.report, step.duplicates_dropped, dry_run);
        } else if (*list_channels) {
            fmt::print("{:<24} {:>10} {:>10} {:>10} {:>10}  {}\n", "channel", "records",
                       "tombstones", "version", "horizon", "scope");
            for (const seba::server::ChannelInfo& c : store->channels())
                fmt::print("{:<24} {:>10} {:>10} {:>10} {:>10}  {}\n", c.name, c.records,
                           c.tombstones, c.head, c.horizon,
                           c.per_centre ? "per centre" : "every centre");
        } else if (*compact) {
            fmt::print("{}: {} tombstone(s) forgotten\n", channel, store->compact(channel, up_to));
        } else if (*events) {
            // When the server received it, and when the kiosk recorded it by its clock
            // corrected to the server's ("?" when that clock was not checked yet). Sealed
            // fields stay sealed unless --open asks, which is audited.
            std::optional<seba::server::SealKeys> keys;
            if (open_sealed) keys = seba::server::SealKeys::load(config.seal_key_file);
            std::vector<seba::server::StoredEvent> list = store->events(centre);
            int opened = 0;
            for (seba::server::StoredEvent& e : list) {
                if (keys) {
                    nlohmann::json payload = nlohmann::json::parse(e.payload, nullptr, false);
                    if (payload.is_object() && payload.contains("sealed")) {
                        std::optional<nlohmann::json> fields = keys->open(payload["sealed"]);
                        payload["sealed"] = fields ? *fields : nlohmann::json("(does not open)");
                        opened += fields.has_value();
                        e.payload = payload.dump();
                    }
                }
                fmt::print("{}  {}{}  {}  {}  {}  {}  {}\n", e.received_at,
                           e.created_at.empty() ? "-" : e.created_at,
                           e.clock_checked.value_or(true) ? "" : "?", e.device, e.uuid, e.type,
                           e.citizen.empty() ? "-" : e.citizen, e.payload);
            }
            if (keys)
                store->audit(admin_actor(), "events.opened",
                             fmt::format("sealed fields of {} event(s) of centre {} opened", opened,
                                         centre));
        } else if (*seal_key) {
            seba::server::SealKeys keys =
                seba::server::SealKeys::load_or_create(config.seal_key_file);
            if (rotate) {
                keys.rotate();
                keys.save(config.seal_key_file);
                store->audit(admin_actor(), "seal_key.rotated",
                             fmt::format("new current key {}", keys.current().id));
            }
            fmt::print("{}\n", seba::sealing::to_json(keys.current_public()).dump());
        } else if (*purge) {
            if (before.empty()) before = days_ago(config.retention_days);
            const std::int64_t purged = store->purge_citizen_data(before, admin_actor());
            fmt::print("citizen data of {} event(s) received before {} deleted\n", purged, before);
        } else if (*evidence) {
            // Checked before the store is read: a mistyped filter says so, and exits 2.
            std::optional<seba::server::EvidenceLevel> by =
                seba::server::parse_evidence_level(level);
            if (!by)
                throw seba::Error(fmt::format(
                    "--level {} is not a level: country, region, district or centre", level));
            if (evidence_format != "json" && evidence_format != "csv")
                throw seba::Error(
                    fmt::format("--format {} is not a format: json or csv", evidence_format));
            if (std::string problem = seba::server::check(filter); !problem.empty())
                throw seba::Error(problem);
            const seba::server::Evidence figures = store->evidence(*by, filter);
            std::cout << (evidence_format == "csv" ? seba::server::evidence_csv(figures)
                                                   : seba::server::evidence_json(figures) + "\n");
        } else if (*centre_place) {
            store->set_centre_place(centre, region, district);
            fmt::print("centre {} is in district {} of region {}\n", centre, district, region);
        } else if (*grievance) {
            seba::server::GrievanceAnswer answer{centre, reference, status, {}};
            if (!note.empty()) answer.note["en"] = note;
            for (const auto& [language, text] : notes_in) answer.note[language] = text;
            const seba::server::PublishReport r =
                seba::server::answer_grievance(*store, answer, admin_actor());
            fmt::print(
                "complaint {} of centre {}: {} ({}); its kiosks learn it with their next "
                "sync\n",
                reference, centre, status, r.added ? "answered" : "answer updated");
        } else if (*nise_answer) {
            seba::server::nise::Answer answer{centre, reference, status, {}};
            if (!note.empty()) answer.note["en"] = note;
            for (const auto& [language, text] : notes_in) answer.note[language] = text;
            const bool first = seba::server::nise::answer(*store, answer, admin_actor());
            fmt::print(
                "referral {} of centre {}: {} ({}); its kiosks learn it with their next "
                "sync\n",
                reference, centre, status, first ? "answered" : "answer updated");
        } else if (*nise_referrals) {
            // Checked before anything is read or opened: a mistyped option says so, and exits 2.
            if (nise_format != "json" && nise_format != "csv")
                throw seba::Error(
                    fmt::format("--format {} is not a format: json or csv", nise_format));
            const std::vector<seba::server::nise::Referral> list =
                seba::server::nise::referrals(*store, nise_filter);
            std::optional<seba::server::SealKeys> keys;
            if (nise_contacts) {
                keys = seba::server::SealKeys::load(config.seal_key_file);
                store->audit(
                    admin_actor(), "nise.contacts_opened",
                    fmt::format("names and phones of {} referral(s) opened{}{}", list.size(),
                                nise_filter.centre.empty() ? std::string()
                                                           : " of centre " + nise_filter.centre,
                                nise_filter.opportunity.empty()
                                    ? std::string()
                                    : " for opportunity " + nise_filter.opportunity));
            }
            const seba::server::SealKeys* contacts = keys ? &*keys : nullptr;
            std::cout << (nise_format == "csv"
                              ? seba::server::nise::referrals_csv(list, contacts)
                              : seba::server::nise::referrals_json(list, contacts) + "\n");
        } else if (*user_add) {
            // From standard input, never the command line (which other users can see): one
            // line, typed at a prompt or piped.
            termios typed{};
            const bool tty = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &typed) == 0;
            if (tty) {
                termios quiet = typed;
                quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
                ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
                std::cerr << "password for " << user << ": " << std::flush;
            }
            std::string password;
            std::getline(std::cin, password);
            if (tty) {
                ::tcsetattr(STDIN_FILENO, TCSANOW, &typed);
                std::cerr << "\n";
            }
            if (!password.empty() && password.back() == '\r') password.pop_back();
            seba::server::create_dashboard_user(*store, user, password);
            store->audit(admin_actor(), "dashboard_user.added", user);
            fmt::print("dashboard user {} added\n", user);
        } else if (*user_remove) {
            if (!store->remove_dashboard_user(user))
                throw seba::Error(fmt::format("there is no dashboard user {}", user));
            store->audit(admin_actor(), "dashboard_user.removed", user);
            fmt::print("dashboard user {} removed; their sessions ended\n", user);
        } else if (*user_list) {
            for (const seba::server::DashboardUser& u : store->dashboard_users())
                fmt::print("{}  {}{}\n", u.name, u.created_at, u.disabled ? "  disabled" : "");
        } else if (*audit_log) {
            for (const seba::server::AuditEntry& a : store->audit_log())
                fmt::print("{}  {}  {}  {}  {}\n", a.seq, a.at, a.actor, a.action, a.detail);
        }
        return 0;
    } catch (const seba::Error& e) {
        std::cerr << "seba-server: " << e.what() << "\n";
        return 2;
    }
}
