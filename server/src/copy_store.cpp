// SPDX-License-Identifier: Apache-2.0
// `seba-server admin copy-store`: a pilot's SQLite store into an empty PostgreSQL store. The
// copy is driven by both schemas as they are (SQLite's table_info, PostgreSQL's
// information_schema), so a column added on one side and not the other fails the copy
// instead of being dropped; the table list below is only the foreign-key order, and a SQLite
// table missing from it fails the copy too.
#include "copy_store.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>
#include <pqxx/pqxx>
#include <system_error>

#include "pg_pool.hpp"
#include "seba/error.hpp"
#include "seba/server/store.hpp"
#include "seba/storage.hpp"

namespace seba::server {

namespace {

/// Every table of the SQLite store, parents before children (foreign keys).
constexpr std::array<const char*, 18> kTables = {
    "server__centres",
    "server__enrollment_codes",
    "server__devices",
    "server__enrollment_failures",
    "server__nonces",
    "server__events",
    "server__channels",
    "server__channel_records",
    "server__audit",
    "server__revoked_credentials",
    "server__dashboard_users",
    "server__dashboard_sessions",
    "server__login_failures",
    "server__muktopaath_learners",
    "server__muktopaath_waiting",
    "server__nise_profiles",
    "server__nise_withdrawn",
    "server__nise_referrals",
};

/// SQLite tables that are not the store's data: the schema's record (its version is checked
/// instead) and SQLite's own.
bool is_machinery(std::string_view table) {
    return table == "core__migrations" || table.starts_with("sqlite_");
}

/// PostgreSQL reserves `user`; the PostgreSQL store calls that column user_name.
std::string pg_column_name(const std::string& sqlite_name) {
    return sqlite_name == "user" ? "user_name" : sqlite_name;
}

std::string sql_name(std::string_view name) {
    return fmt::format("\"{}\"", name);
}

enum class Kind { Text, Integer, Boolean, Bytes };

struct Column {
    std::string sqlite_expr;  ///< a quoted column, or rowid (events.seq)
    std::string pg_name;
    Kind kind = Kind::Text;
    bool identity = false;
    bool key = false;  ///< in the table's primary key (all columns when it has none)
};

struct Table {
    std::string name;
    std::vector<Column> columns;
};

// ---- SQLite, read-only ---------------------------------------------------------------------

class Source {
  public:
    explicit Source(const std::filesystem::path& file) : path_(file.string()) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(file, error))
            throw Error(
                fmt::format("{}: no such SQLite file; give the pilot's server.db "
                            "(server.database in its seba-server.toml)",
                            path_));
        // A server that is still running (or stopped uncleanly) keeps commits in the WAL file
        // that a read-only copy could miss or half-see.
        const std::filesystem::path wal = path_ + "-wal";
        if (std::filesystem::exists(wal, error) && std::filesystem::file_size(wal, error) > 0)
            throw Error(fmt::format(
                "{} has unfinished writes ({}): stop the seba-server that uses it first (if "
                "it stopped uncleanly, start and stop it once with its SQLite config)",
                path_, wal.string()));
        if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw Error(fmt::format("{}: cannot open it read-only: {}", path_, why));
        }
        sqlite3_busy_timeout(db_, 5000);
    }
    ~Source() { sqlite3_close(db_); }
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;

    class Query {
      public:
        Query(Source& source, const std::string& sql) : source_(source) {
            if (sqlite3_prepare_v2(source.db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
                throw Error(
                    fmt::format("{}: {} ({})", source.path_, sqlite3_errmsg(source.db_), sql));
        }
        ~Query() { sqlite3_finalize(stmt_); }
        Query(const Query&) = delete;
        Query& operator=(const Query&) = delete;
        bool step() {
            const int rc = sqlite3_step(stmt_);
            if (rc == SQLITE_ROW) return true;
            if (rc == SQLITE_DONE) return false;
            throw Error(
                fmt::format("{}: reading failed: {}", source_.path_, sqlite3_errmsg(source_.db_)));
        }
        int type(int i) const { return sqlite3_column_type(stmt_, i); }
        std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }
        std::string text(int i) const {
            const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
            return data
                       ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
                       : std::string();
        }
        std::string blob_hex(int i) const {
            const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, i));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i));
            std::string hex(size * 2 + 1, '\0');
            if (size > 0) sodium_bin2hex(hex.data(), hex.size(), data, size);
            hex.resize(size * 2);
            return hex;
        }

      private:
        Source& source_;
        sqlite3_stmt* stmt_ = nullptr;
    };

    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            throw Error(fmt::format("{}: {}", path_, sqlite3_errmsg(db_)));
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

/// The SQLite schema version this seba-server makes: read from a store it makes aside, so
/// that the number lives only in sqlite_store.cpp's migrations.
int known_sqlite_version() {
    std::string dir = (std::filesystem::temp_directory_path() / "seba-copy-store.XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr)
        throw Error(fmt::format("cannot make a temporary folder in {}",
                                std::filesystem::temp_directory_path().string()));
    struct Remove {
        std::string dir;
        ~Remove() {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
    } remove{dir};
    const std::filesystem::path file = std::filesystem::path(dir) / "known.db";
    open_sqlite_store(file).reset();
    Database db = Database::open(file);
    return schema_version(db, "server");
}

/// Refuses a source this server would not read as it is: another schema version, or a table
/// the copy does not know (it would be left behind).
void check_source(Source& source) {
    const int known = known_sqlite_version();
    int version = 0;
    {
        Source::Query has(source,
                          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                          "'core__migrations'");
        has.step();
        if (has.integer(0) == 0)
            throw Error(fmt::format("{} is not a seba-server store (it has no schema record)",
                                    source.path()));
        Source::Query query(source,
                            "SELECT coalesce(max(version), 0) FROM core__migrations WHERE "
                            "namespace = 'server'");
        query.step();
        version = static_cast<int>(query.integer(0));
    }
    if (version < known)
        throw Error(fmt::format(
            "{} is at schema version {}, older than this seba-server's ({}): upgrade it with "
            "this seba-server first (run any admin command, such as `seba-server -c "
            "<its SQLite config> admin channels`), then copy it",
            source.path(), version, known));
    if (version > known)
        throw Error(
            fmt::format("{} is at schema version {}, newer than this seba-server's ({}): "
                        "copy it with the seba-server release that made it",
                        source.path(), version, known));
    Source::Query tables(source,
                         "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (tables.step()) {
        const std::string name = tables.text(0);
        if (is_machinery(name)) continue;
        if (std::find(kTables.begin(), kTables.end(), name) == kTables.end())
            throw Error(fmt::format(
                "{} has a table this seba-server cannot copy: {}; nothing was copied (a copy "
                "without it would lose its rows)",
                source.path(), name));
    }
}

// ---- The two schemas, matched ---------------------------------------------------------------

Kind kind_of(const std::string& table, const std::string& column, const std::string& pg_type) {
    if (pg_type == "text") return Kind::Text;
    if (pg_type == "bigint" || pg_type == "integer" || pg_type == "smallint") return Kind::Integer;
    if (pg_type == "boolean") return Kind::Boolean;
    if (pg_type == "bytea") return Kind::Bytes;
    throw Error(fmt::format("{}.{} is of type {} in PostgreSQL, which copy-store cannot convert",
                            table, column, pg_type));
}

Table match_table(Source& source, pqxx::work& tx, const std::string& name) {
    struct SqliteColumn {
        std::string name;
        int pk = 0;
    };
    std::vector<SqliteColumn> sqlite_columns;
    {
        Source::Query info(source, fmt::format("PRAGMA table_info({})", sql_name(name)));
        while (info.step())
            sqlite_columns.push_back({info.text(1), static_cast<int>(info.integer(5))});
    }
    if (sqlite_columns.empty())
        throw Error(fmt::format("{} has no table {}, which a store at its schema version has",
                                source.path(), name));
    const pqxx::result pg_columns = tx.exec_params(
        "SELECT column_name, data_type, is_identity FROM information_schema.columns WHERE "
        "table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        name);
    if (pg_columns.empty()) throw Error(fmt::format("the PostgreSQL store has no table {}", name));

    Table table{name, {}};
    std::vector<std::string> unmatched;
    const bool has_key = std::any_of(sqlite_columns.begin(), sqlite_columns.end(),
                                     [](const SqliteColumn& c) { return c.pk > 0; });
    // Key columns first, in the key's order, for the checksum's ORDER BY.
    std::stable_sort(sqlite_columns.begin(), sqlite_columns.end(),
                     [](const SqliteColumn& a, const SqliteColumn& b) {
                         return (a.pk == 0 ? 1000 : a.pk) < (b.pk == 0 ? 1000 : b.pk);
                     });
    for (const SqliteColumn& column : sqlite_columns) {
        const std::string pg_name = pg_column_name(column.name);
        auto found = std::find_if(pg_columns.begin(), pg_columns.end(), [&](const pqxx::row& r) {
            return r[0].as<std::string>() == pg_name;
        });
        if (found == pg_columns.end()) {
            unmatched.push_back(column.name);
            continue;
        }
        table.columns.push_back({sql_name(column.name), pg_name,
                                 kind_of(name, pg_name, found[1].as<std::string>()),
                                 found[2].as<std::string>() == "YES", !has_key || column.pk > 0});
    }
    for (const pqxx::row& row : pg_columns) {
        const std::string pg_name = row[0].as<std::string>();
        const bool matched = std::any_of(table.columns.begin(), table.columns.end(),
                                         [&](const Column& c) { return c.pg_name == pg_name; });
        if (matched) continue;
        // The order events were stored in: SQLite's rowid, PostgreSQL's seq.
        if (pg_name == "seq" && row[2].as<std::string>() == "YES") {
            table.columns.push_back({"rowid", pg_name, Kind::Integer, true, false});
            continue;
        }
        unmatched.push_back(pg_name + " (PostgreSQL)");
    }
    if (!unmatched.empty()) {
        std::string list;
        for (const std::string& c : unmatched) list += (list.empty() ? "" : ", ") + c;
        throw Error(fmt::format(
            "{}: the SQLite and PostgreSQL tables differ in columns {}; this seba-server cannot "
            "copy it",
            name, list));
    }
    return table;
}

// ---- Rows as canonical text ------------------------------------------------------------------

/// One value as both sides spell it: integers in decimal, flags 0/1, bytes in lowercase hex,
/// text as it is; nullopt for NULL.
using Value = std::optional<std::string>;

Value sqlite_value(const Source::Query& row, int i, const Table& table, const Column& column) {
    const int type = row.type(i);
    if (type == SQLITE_NULL) return std::nullopt;
    auto refuse = [&](const char* what) -> Error {
        return Error(fmt::format("{}.{} holds {} in the SQLite store; nothing was copied",
                                 table.name, column.pg_name, what));
    };
    switch (column.kind) {
        case Kind::Integer:
            if (type != SQLITE_INTEGER) throw refuse("a value that is not a whole number");
            return std::to_string(row.integer(i));
        case Kind::Boolean:
            if (type != SQLITE_INTEGER || (row.integer(i) != 0 && row.integer(i) != 1))
                throw refuse("a flag that is neither 0 nor 1");
            return row.integer(i) == 1 ? "1" : "0";
        case Kind::Bytes:
            if (type != SQLITE_BLOB) throw refuse("a key that is not bytes");
            return row.blob_hex(i);
        case Kind::Text:
            if (type == SQLITE_BLOB) throw refuse("bytes where text belongs");
            return row.text(i);
    }
    return std::nullopt;
}

/// The SELECT list that gives PostgreSQL's values in the canonical spelling.
std::string pg_canonical(const Column& column) {
    const std::string name = sql_name(column.pg_name);
    switch (column.kind) {
        case Kind::Integer:
            return name + "::text";
        case Kind::Boolean:
            return fmt::format("CASE WHEN {0} THEN '1' WHEN NOT {0} THEN '0' END", name);
        case Kind::Bytes:
            return fmt::format("encode({}, 'hex')", name);
        case Kind::Text:
            return name;
    }
    return name;
}

/// A parameter's cast, so that a multi-row VALUES list takes each column's type.
const char* pg_cast(Kind kind) {
    switch (kind) {
        case Kind::Integer:
            return "::bigint";
        case Kind::Boolean:
            return "::boolean";
        case Kind::Bytes:
            return "::bytea";
        case Kind::Text:
            return "::text";
    }
    return "";
}

class Checksum {
  public:
    Checksum() { crypto_hash_sha256_init(&state_); }
    void add_row(const std::vector<Value>& values) {
        std::string text;
        for (const Value& value : values)
            text += value ? fmt::format("{}:{};", value->size(), *value) : std::string("-;");
        text += '\n';
        crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(text.data()),
                                  text.size());
        ++rows_;
    }
    std::string hex() {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&state_, digest);
        char out[sizeof digest * 2 + 1];
        sodium_bin2hex(out, sizeof out, digest, sizeof digest);
        return out;
    }
    std::int64_t rows() const { return rows_; }

  private:
    crypto_hash_sha256_state state_{};
    std::int64_t rows_ = 0;
};

std::string sqlite_select(const Table& table, bool in_key_order) {
    std::string list, order;
    for (const Column& column : table.columns) {
        list += (list.empty() ? "" : ", ") + column.sqlite_expr;
        if (column.key) order += (order.empty() ? "" : ", ") + column.sqlite_expr;
    }
    return fmt::format("SELECT {} FROM {} ORDER BY {}", list, sql_name(table.name),
                       in_key_order ? order : "rowid");
}

std::vector<Value> sqlite_row(const Source::Query& row, const Table& table) {
    std::vector<Value> values;
    values.reserve(table.columns.size());
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        values.push_back(sqlite_value(row, static_cast<int>(i), table, table.columns[i]));
    return values;
}

/// Copies in batches of multi-row INSERTs: a batch holds at most 1,000 rows, 30,000 values
/// and about 4 MB, so memory stays bounded whatever the table's size.
std::int64_t copy_table(Source& source, pqxx::work& tx, const Table& table) {
    constexpr std::size_t kMaxRows = 1000, kMaxValues = 30000, kMaxBytes = 4u << 20;
    std::string columns;
    for (const Column& column : table.columns)
        columns += (columns.empty() ? "" : ", ") + sql_name(column.pg_name);
    const std::string insert =
        fmt::format("INSERT INTO {} ({}) VALUES ", sql_name(table.name), columns);
    std::vector<Value> values;
    std::size_t rows_in_batch = 0, bytes = 0;
    auto flush = [&] {
        if (rows_in_batch == 0) return;
        std::string sql = insert;
        std::size_t n = 0;
        for (std::size_t row = 0; row < rows_in_batch; ++row) {
            sql += row == 0 ? "(" : ", (";
            for (std::size_t i = 0; i < table.columns.size(); ++i)
                sql +=
                    fmt::format("{}${}{}", i == 0 ? "" : ", ", ++n, pg_cast(table.columns[i].kind));
            sql += ')';
        }
        tx.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
        values.clear();
        rows_in_batch = 0;
        bytes = 0;
    };
    Source::Query rows(source, sqlite_select(table, /*in_key_order=*/false));
    std::int64_t count = 0;
    while (rows.step()) {
        std::vector<Value> row = sqlite_row(rows, table);
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (row[i] && table.columns[i].kind == Kind::Bytes) *row[i] = "\\x" + *row[i];
            bytes += row[i] ? row[i]->size() : 0;
            values.push_back(std::move(row[i]));
        }
        ++rows_in_batch;
        ++count;
        if (rows_in_batch >= kMaxRows || values.size() + table.columns.size() > kMaxValues ||
            bytes >= kMaxBytes)
            flush();
    }
    flush();
    return count;
}

CopiedTable check_table(Source& source, pqxx::work& tx, const Table& table) {
    Checksum sqlite_sum;
    {
        Source::Query rows(source, sqlite_select(table, /*in_key_order=*/true));
        while (rows.step()) sqlite_sum.add_row(sqlite_row(rows, table));
    }
    std::string list, order;
    for (const Column& column : table.columns) {
        list += (list.empty() ? "" : ", ") + pg_canonical(column);
        if (column.key)
            order += (order.empty() ? "" : ", ") + sql_name(column.pg_name) +
                     (column.kind == Kind::Text ? " COLLATE \"C\"" : "") + " NULLS FIRST";
    }
    Checksum pg_sum;
    tx.exec(fmt::format("DECLARE copy_check NO SCROLL CURSOR FOR SELECT {} FROM {} ORDER BY {}",
                        list, sql_name(table.name), order));
    for (;;) {
        const pqxx::result batch = tx.exec("FETCH 1000 FROM copy_check");
        if (batch.empty()) break;
        for (const pqxx::row& row : batch) {
            std::vector<Value> values;
            for (const pqxx::field& field : row)
                values.push_back(field.is_null() ? Value() : Value(field.as<std::string>()));
            pg_sum.add_row(values);
        }
    }
    tx.exec("CLOSE copy_check");
    CopiedTable copied{table.name, sqlite_sum.rows(), sqlite_sum.hex()};
    const std::string pg_hex = pg_sum.hex();
    if (pg_sum.rows() != sqlite_sum.rows() || pg_hex != copied.checksum)
        throw Error(fmt::format(
            "{}: the copy differs from the SQLite store ({} rows, checksum {} there; {} rows, "
            "checksum {} in PostgreSQL); nothing was copied",
            table.name, sqlite_sum.rows(), copied.checksum.substr(0, 16), pg_sum.rows(),
            pg_hex.substr(0, 16)));
    return copied;
}

/// Refuses a target that holds anything the copy would write: a copy is never a merge.
void check_target_empty(pqxx::work& tx, const std::string& where) {
    std::string held;
    for (const char* table : kTables) {
        const auto rows = tx.exec(fmt::format("SELECT count(*) FROM {}", sql_name(table)))[0][0]
                              .as<std::int64_t>();
        if (rows > 0) held += fmt::format("{}{} ({} rows)", held.empty() ? "" : ", ", table, rows);
    }
    if (!held.empty())
        throw Error(fmt::format(
            "{} is not empty: {}. copy-store only copies into a new, empty database and never "
            "merges; create a new database (docs/deployment.md, \"Moving a pilot's server to "
            "PostgreSQL\"), or point [postgresql] at the right one",
            where, held));
}

}  // namespace

std::vector<CopiedTable> copy_sqlite_store_to_postgres(const std::filesystem::path& sqlite_file,
                                                       const pg::PoolConfig& target,
                                                       std::string_view actor) {
    if (sodium_init() < 0) throw Error("libsodium could not start");
    Source source(sqlite_file);
    check_source(source);
    // Migrates the target as a server starting on it would.
    open_postgres_store(target).reset();

    pg::Pool pool(target);
    const std::string where = target.describe();
    // One snapshot of the source for the copy and its check.
    source.exec("BEGIN");
    std::vector<CopiedTable> copied = pool.with_transaction(
        [&](pqxx::work& tx) {
            tx.exec("SET LOCAL statement_timeout = 0");
            std::string locked;
            for (const char* table : kTables)
                locked += (locked.empty() ? "" : ", ") + sql_name(table);
            // No server may write while the copy runs (they should be stopped anyway).
            tx.exec("SET LOCAL lock_timeout = '10s'");
            tx.exec("LOCK TABLE " + locked + " IN EXCLUSIVE MODE");
            check_target_empty(tx, where);

            std::vector<Table> tables;
            for (const char* name : kTables) tables.push_back(match_table(source, tx, name));
            for (const Table& table : tables) copy_table(source, tx, table);
            // Identities continue past the copied values (audit, events, MuktoPaath's waiting).
            for (const Table& table : tables)
                for (const Column& column : table.columns)
                    if (column.identity)
                        tx.exec(
                            fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), "
                                        "coalesce((SELECT max({2}) FROM {3}), 0) + 1, false)",
                                        table.name, column.pg_name, sql_name(column.pg_name),
                                        sql_name(table.name)));
            std::vector<CopiedTable> checked;
            for (const Table& table : tables) checked.push_back(check_table(source, tx, table));

            std::string counts;
            for (const CopiedTable& t : checked)
                counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ",
                                      t.name.substr(std::string_view("server__").size()), t.rows);
            tx.exec_params(
                "INSERT INTO server__audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
                utc_now_iso(), std::string(actor), "store.copied",
                fmt::format("from {}: {}", std::filesystem::absolute(sqlite_file).string(),
                            counts));
            return checked;
        },
        pg::Isolation::read_committed);
    source.exec("COMMIT");
    return copied;
}

}  // namespace seba::server
