// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"
#include "seba/statement.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace seba::detail {
class NamespaceGuard;
struct GuardState;
}  // namespace seba::detail

namespace seba {

/// How hard a commit is pushed to disk. Full: a commit survives power loss (citizens'
/// requests and the outbox). Normal: may lose the last commits on power loss.
enum class Durability { Full, Normal };

class Transaction;

/// One SQLite connection in WAL mode with a busy timeout. Use from one thread at a time;
/// threads open their own connection to the same file.
class SEBA_API Database {
  public:
    struct Options {
        Durability durability = Durability::Full;
        int busy_timeout_ms = 5000;
        /// Holds the file for this connection alone and keeps SQLite's WAL index in memory
        /// rather than in the -shm file: a database on a full disk can still be read then.
        /// Other connections to the file wait until this one is closed.
        bool exclusive = false;
    };

    /// Opens (creating if needed) and checks the file. Throws StorageError naming the file
    /// and what to do when it is not a database, is corrupt, or cannot be written.
    static Database open(const std::filesystem::path& file, Options options);
    static Database open(const std::filesystem::path& file) { return open(file, Options{}); }
    /// A database in memory, gone when closed: a stand-in while the real one cannot be opened.
    static Database open_in_memory();

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// Prepares one statement. Throws StorageError with SQLite's message and the SQL.
    Statement prepare(std::string_view sql);
    /// The same, prepared once per connection and then reused: for statements run on every
    /// request, where parsing the SQL again costs more than running it. A statement still in
    /// use (a nested call with the same SQL) gets a fresh one instead.
    Statement prepare_cached(std::string_view sql);
    /// Runs one or more statements that return no rows.
    void exec(std::string_view sql);

    /// Starts a write transaction (BEGIN IMMEDIATE), or a savepoint inside an open one.
    Transaction transaction();
    bool in_transaction() const;

    /// Closes the connection now (before another is opened in its place); nothing may use it
    /// until a database is moved into it. Its statements must be gone.
    void close();

    std::int64_t last_insert_rowid() const;
    int changes() const;
    const std::filesystem::path& path() const { return path_; }
    sqlite3* handle() const { return db_; }

  private:
    Database(sqlite3* db, std::filesystem::path path);
    struct Cache;
    // Whom SQLite compiles for: the core, or a plugin (its authorizer's state).
    detail::GuardState& guard_state();
    friend class detail::NamespaceGuard;
    std::unique_ptr<Cache> cache_;  // finalized before the connection closes; the guard's state
    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
    int savepoint_depth_ = 0;
    friend class Transaction;
};

/// Commits on commit(); rolls back if destroyed before that (an exception, an early return).
class SEBA_API Transaction {
  public:
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();
    void commit();

  private:
    explicit Transaction(Database& db);
    Database* db_;
    int depth_;  // 0: the outer BEGIN; >0: a savepoint
    bool done_ = false;
    friend class Database;
};

/// Applies the migrations of `schema_namespace` that are not yet applied, each in its own
/// transaction and in version order; records each in core__migrations with a checksum of
/// its SQL. A failing migration rolls back whole and throws StorageError naming the
/// namespace, version and SQLite's reason; those before it stay applied. An applied
/// migration whose SQL has since changed is an error too. Returns how many were applied.
SEBA_API int apply_migrations(Database& db, std::string_view schema_namespace,
                              std::span<const Migration> migrations);

/// The highest applied version of a namespace (0 if none).
SEBA_API int schema_version(Database& db, std::string_view schema_namespace);

/// Applies core's own tables: migrations, outbox, sync cursors, config, audit, plugin
/// health. Idempotent.
SEBA_API void migrate_core(Database& db);

/// Small values the kiosk keeps across restarts in core__config (operator choices,
/// enrollment, the PIN hash), under dotted keys such as "plugins.enabled".
SEBA_API std::optional<std::string> read_core_value(Database& db, std::string_view key);
/// Sets one, recording who set it and when.
SEBA_API void write_core_value(Database& db, std::string_view key, std::string_view value,
                               std::string_view actor);

/// Current UTC time as ISO 8601 with milliseconds ("2026-11-28T01:02:03.456Z").
SEBA_API std::string utc_now_iso();

}  // namespace seba
