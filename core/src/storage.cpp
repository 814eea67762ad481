// SPDX-License-Identifier: Apache-2.0
#include "seba/storage.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <unordered_map>
#include <utility>

#include "namespace_guard.hpp"
#include "seba/error.hpp"
#include "write_failures.hpp"

namespace seba {

namespace {

// What no connection of ours needs, so no SQL that reaches one can use it: attaching other
// files, hand-editing
// the schema or shadow tables (DEFENSIVE), functions with side effects run from a view or
// trigger someone else wrote (trusted_schema off), loading native code, and replacing the
// full-text tokenizer through SQL.
void harden(sqlite3* db) {
    // VACUUM attaches a database to copy into, so no attachments means no VACUUM either:
    // maintenance that needs one opens a connection of its own.
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, nullptr);
}

// Throws what SQLite says went wrong on `db`, with its codes; a failure of the disk's is
// noted for the host (last_write_failure) whoever's statement it was.
[[noreturn]] void fail(sqlite3* db, std::string_view what, std::string_view reason = {}) {
    const char* file = sqlite3_db_filename(db, "main");
    const int code = sqlite3_extended_errcode(db);
    const int system_errno = sqlite3_system_errno(db);
    std::string message = fmt::format("{}: {} ({})", file && *file ? file : "database", what,
                                      reason.empty() ? sqlite3_errmsg(db) : reason);
    if (file && *file) detail::note_write_failure(file, code, system_errno, message);
    throw StorageError(message, code, system_errno);
}

// A new database file is made owner-only whatever the umask: SQLite gives its -wal and -shm
// files the mode of the database file. An empty file is a valid empty database.
void create_private(const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) ::close(fd);  // EEXIST and the rest: sqlite3_open_v2 reports what matters
}

}  // namespace

// [SECTION] Statement

Statement::Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {
}

Statement::Statement(sqlite3_stmt* stmt, sqlite3* db, bool* lent)
    : stmt_(stmt), db_(db), lent_(lent) {
    *lent_ = true;
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(other.db_),
      lent_(std::exchange(other.lent_, nullptr)) {
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        release();
        stmt_ = std::exchange(other.stmt_, nullptr);
        db_ = other.db_;
        lent_ = std::exchange(other.lent_, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    release();
}

void Statement::release() noexcept {
    if (lent_ == nullptr) {
        sqlite3_finalize(stmt_);
    } else {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        *lent_ = false;
    }
    stmt_ = nullptr;
    lent_ = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "cannot bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "cannot bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8) != SQLITE_OK)
        fail(db_, "cannot bind");
    return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
    if (sqlite3_bind_blob64(stmt_, index, blob.data(), blob.size(), SQLITE_TRANSIENT) != SQLITE_OK)
        fail(db_, "cannot bind");
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "cannot bind");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
    sqlite3_reset(stmt_);
    fail(db_, fmt::format("statement failed: {}", sql));
}

void Statement::run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                : std::string();
}

std::vector<std::uint8_t> Statement::blob(int column) const {
    auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
    auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
    return data ? std::vector<std::uint8_t>(data, data + size) : std::vector<std::uint8_t>();
}

// [SECTION] Database

struct Database::Cache {
    struct Entry {
        sqlite3_stmt* stmt = nullptr;
        bool lent = false;
    };
    std::unordered_map<std::string, Entry> entries;  // nodes stay put: Statements point in
    detail::GuardState guard;  // the authorizer's, at a fixed address while the connection lives

    ~Cache() {
        for (auto& [sql, entry] : entries) sqlite3_finalize(entry.stmt);
    }
};

Database::Database(sqlite3* db, std::filesystem::path path)
    : cache_(std::make_unique<Cache>()), db_(db), path_(std::move(path)) {
}

Database::Database(Database&& other) noexcept
    : cache_(std::move(other.cache_)),
      db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      savepoint_depth_(other.savepoint_depth_) {
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        cache_.reset();
        sqlite3_close_v2(db_);
        cache_ = std::move(other.cache_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        savepoint_depth_ = other.savepoint_depth_;
    }
    return *this;
}

Database::~Database() {
    cache_.reset();
    sqlite3_close_v2(db_);
}

Database Database::open(const std::filesystem::path& file, Options options) {
    create_private(file);
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(file.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Database db(raw, file);  // closes `raw` on every error path below
    if (rc != SQLITE_OK) {
        throw StorageError(
            fmt::format(
                "{}: cannot open the database ({}); check that its folder exists and is writable",
                file.string(), raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)),
            raw ? sqlite3_extended_errcode(raw) : rc, raw ? sqlite3_system_errno(raw) : 0);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, options.busy_timeout_ms);
    harden(raw);
    detail::install_authorizer(raw, db.guard_state());
    // Before the first read: SQLite then keeps the WAL index in this process's memory
    // instead of the -shm file, which a full disk cannot give the blocks for.
    if (options.exclusive) db.exec("PRAGMA locking_mode=EXCLUSIVE");

    // The first read of the file is where a corrupt or foreign file shows itself.
    try {
        Statement mode = db.prepare("PRAGMA journal_mode=WAL");
        if (!mode.step() || mode.text(0) != "wal")
            throw StorageError(
                fmt::format("{}: cannot switch the database to WAL mode", file.string()));
    } catch (const StorageError& e) {
        int code = sqlite3_errcode(raw);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            throw StorageError(
                fmt::format(
                    "{}: the file is not a Seba database or is damaged ({}). Move it aside: the "
                    "kiosk makes a new one and fetches catalogs again; events that were not yet "
                    "sent stay in the moved file for recovery",
                    file.string(), sqlite3_errmsg(raw)),
                e.sqlite_code(), e.system_errno());
        throw;
    }
    db.exec(options.durability == Durability::Full ? "PRAGMA synchronous=FULL"
                                                   : "PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA foreign_keys=ON");
    // Data at rest: a deleted row's bytes are overwritten, not left in free pages for
    // whoever copies the file (docs/security.md, "Receipts and data at rest on the kiosk").
    db.exec("PRAGMA secure_delete=ON");
    return db;
}

Database Database::open_in_memory() {
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(":memory:", &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Database db(raw, ":memory:");
    if (rc != SQLITE_OK)
        throw StorageError(fmt::format("cannot open a database in memory ({})",
                                       raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)),
                           rc);
    sqlite3_extended_result_codes(raw, 1);
    harden(raw);
    detail::install_authorizer(raw, db.guard_state());
    db.exec("PRAGMA foreign_keys=ON");
    return db;
}

void Database::close() {
    cache_.reset();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    savepoint_depth_ = 0;
}

detail::GuardState& Database::guard_state() {
    return cache_->guard;
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr) !=
        SQLITE_OK)
        fail(db_, fmt::format("cannot prepare: {}", sql));
    return Statement(stmt, db_);
}

Statement Database::prepare_cached(std::string_view sql) {
    auto [it, added] = cache_->entries.try_emplace(std::string(sql));
    Cache::Entry& entry = it->second;
    if (entry.lent) return prepare(sql);
    if (added) {
        if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &entry.stmt, nullptr) != SQLITE_OK) {
            cache_->entries.erase(it);
            fail(db_, fmt::format("cannot prepare: {}", sql));
        }
    }
    return Statement(entry.stmt, db_, &entry.lent);
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string reason = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        const int code = sqlite3_extended_errcode(db_);
        const int system_errno = sqlite3_system_errno(db_);
        std::string what = fmt::format("{}: {} (while running: {})", path_.string(), reason, text);
        if (const char* file = sqlite3_db_filename(db_, "main"); file && *file)
            detail::note_write_failure(file, code, system_errno, what);
        throw StorageError(what, code, system_errno);
    }
}

Transaction Database::transaction() {
    return Transaction(*this);
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
    return sqlite3_changes(db_);
}

// [SECTION] Transaction

Transaction::Transaction(Database& db) : db_(&db), depth_(db.savepoint_depth_) {
    if (depth_ == 0 && db.in_transaction())
        throw StorageError(db.path().string() +
                           ": a transaction was opened outside seba::Transaction");
    db.prepare_cached(depth_ == 0 ? std::string("BEGIN IMMEDIATE")
                                  : fmt::format("SAVEPOINT s{}", depth_))
        .run();
    ++db.savepoint_depth_;
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), depth_(other.depth_), done_(std::exchange(other.done_, true)) {
}

Transaction::~Transaction() {
    if (done_) return;
    --db_->savepoint_depth_;
    // Rolling back cannot usefully fail; if it did, SQLite has already rolled back.
    std::string sql = depth_ == 0 ? std::string("ROLLBACK")
                                  : fmt::format("ROLLBACK TO s{0}; RELEASE s{0}", depth_);
    sqlite3_exec(db_->db_, sql.c_str(), nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    if (done_) throw StorageError("transaction already finished");
    db_->prepare_cached(depth_ == 0 ? std::string("COMMIT") : fmt::format("RELEASE s{}", depth_))
        .run();
    done_ = true;
    --db_->savepoint_depth_;
}

std::string utc_now_iso() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z",
                       fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms.count());
}

}  // namespace seba
