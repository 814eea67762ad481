// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <sodium.h>

#include <optional>

#include "namespace_guard.hpp"
#include "seba/error.hpp"
#include "seba/manifest.hpp"
#include "seba/storage.hpp"

namespace seba {

namespace {

std::string checksum(std::string_view sql) {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(sql.data()),
                       sql.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

void ensure_migrations_table(Database& db) {
    db.exec(
        "CREATE TABLE IF NOT EXISTS core__migrations ("
        " namespace TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
        " checksum TEXT NOT NULL, applied_at TEXT NOT NULL,"
        " PRIMARY KEY (namespace, version))");
}

// Core's own schema. Append new versions; never edit an applied one.
constexpr Migration kCoreMigrations[] = {
    {1, "core tables", R"sql(
CREATE TABLE core__outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    plugin TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),
    last_error TEXT
);
CREATE TABLE core__sync_cursors (
    channel TEXT PRIMARY KEY,
    cursor TEXT NOT NULL,
    etag TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE core__config (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    actor TEXT NOT NULL
);
CREATE TABLE core__audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE TRIGGER core__audit_no_update BEFORE UPDATE ON core__audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER core__audit_no_delete BEFORE DELETE ON core__audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE core__plugin_health (
    plugin TEXT PRIMARY KEY,
    crash_count INTEGER NOT NULL DEFAULT 0,
    quarantined INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    updated_at TEXT NOT NULL
);
)sql"},
    {2, "catalog channels pulled from the server", R"sql(
CREATE TABLE core__catalog (
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (channel, key)
);
ALTER TABLE core__sync_cursors ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
)sql"},
    {3, "whether an event's time was checked against the server's clock", R"sql(
ALTER TABLE core__outbox ADD COLUMN clock_checked INTEGER NOT NULL DEFAULT 0;
)sql"},
    // The kiosk's one print queue (seba/print.hpp; kept by kiosk/print). A core table, so
    // that no plugin's SQL reaches it: each plugin sees its own jobs through its Printer.
    {4, "documents waiting for the printer", R"sql(
CREATE TABLE core__print_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- printed in this order
    plugin TEXT NOT NULL,
    reference TEXT NOT NULL,
    document TEXT NOT NULL,                 -- JSON, translated: what the paper says
    queued_at TEXT NOT NULL,
    handed INTEGER NOT NULL DEFAULT 0,      -- given to the printer, outcome not recorded yet
    copy INTEGER NOT NULL DEFAULT 0,        -- printed marked as a copy
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    set_aside INTEGER NOT NULL DEFAULT 0    -- failed too often: waits for the operator
);
CREATE INDEX core__print_jobs_reference ON core__print_jobs (plugin, reference);
)sql"},
    // Search indexes over catalog channels (seba/search.hpp). An entry's text lives in the
    // entries table; the FTS5 table reads it as external content (SQLite 3.40 has no
    // contentless delete) and is kept in step by core/src/search_index.cpp, not by triggers:
    // with trusted_schema off, a trigger may not write a virtual table. Text is folded
    // before it is stored, so the tokenizer only splits words.
    {5, "search indexes over catalog channels", R"sql(
CREATE TABLE core__search_indexes (
    name TEXT PRIMARY KEY,
    spec TEXT,                -- the spec in force (JSON), the catalog's or else a manifest's
    origin TEXT,              -- "catalog" or the plugin id that declared it
    version INTEGER NOT NULL DEFAULT 0,       -- goes up whenever its entries change
    manifest_spec TEXT,       -- a manifest's spec, kept while a catalog spec overrides it
    manifest_origin TEXT
);
CREATE TABLE core__search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL   -- goes up whenever any entry changes (caches compare it)
);
INSERT INTO core__search_state (id, generation) VALUES (1, 0);
CREATE TABLE core__search_entries (
    id INTEGER PRIMARY KEY,
    idx TEXT NOT NULL,
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    tier INTEGER NOT NULL,
    kind TEXT NOT NULL,
    names TEXT NOT NULL,      -- {tag: name} as the record has them
    parent_channel TEXT,
    parent_key TEXT,
    sort_name TEXT NOT NULL,  -- the folded name that ranks and orders it
    exact TEXT NOT NULL,      -- "|name1|name2|", each folded: whole-name matches
    folded TEXT NOT NULL,     -- fold() of every name and searched field
    loose TEXT NOT NULL,      -- loose() of folded
    UNIQUE (idx, channel, key)
);
CREATE INDEX core__search_entries_parent ON core__search_entries (idx, parent_channel, parent_key);
CREATE VIRTUAL TABLE core__search_fts USING fts5 (
    folded, loose, content = 'core__search_entries', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
CREATE VIRTUAL TABLE core__search_vocab USING fts5vocab (core__search_fts, col);
)sql"},
    // Where an entry is, when its record says (seba/search.hpp, Entry::coordinates).
    {6, "coordinates of search entries", R"sql(
ALTER TABLE core__search_entries ADD COLUMN lat REAL;
ALTER TABLE core__search_entries ADD COLUMN lon REAL;
CREATE INDEX core__search_entries_located ON core__search_entries (idx) WHERE lat IS NOT NULL;
)sql"},
    // Content files (seba/content_files.hpp): what each plugin wants, within its budget, and
    // the state of each file by its hash. A download's progress is its .part file's size.
    {7, "content files", R"sql(
CREATE TABLE core__files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'ready', 'failed')),
    error TEXT NOT NULL DEFAULT '',
    checked_mtime_ns INTEGER NOT NULL DEFAULT 0,  -- the file's mtime when its hash matched
    updated_at TEXT NOT NULL
);
CREATE TABLE core__file_wants (
    plugin TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,             -- the order the plugin wants them in
    evicted INTEGER NOT NULL DEFAULT 0,    -- over the budget: gone until wanted again
    waiting TEXT NOT NULL DEFAULT '',      -- why it waits: it does not fit in the budget
    used_seq INTEGER NOT NULL DEFAULT 0,   -- goes up with each open(): least recently used
    PRIMARY KEY (plugin, sha256)
);
CREATE INDEX core__file_wants_sha256 ON core__file_wants (sha256);
CREATE TABLE core__file_budgets (
    plugin TEXT PRIMARY KEY,
    bytes INTEGER NOT NULL
);
)sql"},
};

}  // namespace

int schema_version(Database& db, std::string_view schema_namespace) {
    ensure_migrations_table(db);
    Statement query =
        db.prepare("SELECT coalesce(max(version), 0) FROM core__migrations WHERE namespace = ?");
    query.bind(1, schema_namespace);
    query.step();
    return static_cast<int>(query.integer(0));
}

int apply_migrations(Database& db, std::string_view ns, std::span<const Migration> migrations) {
    if (sodium_init() < 0) throw StorageError("libsodium failed to initialise");
    auto where = [&](const Migration& m) {
        return fmt::format("{}: migration {} \"{}\" of {}", db.path().string(), m.version, m.name,
                           ns);
    };
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1)
            throw StorageError(fmt::format(
                "{}: migrations of {} must be numbered 1, 2, 3... in order; entry {} has "
                "version {}",
                db.path().string(), ns, i + 1, migrations[i].version));
    }

    ensure_migrations_table(db);
    Statement applied = db.prepare(
        "SELECT version, checksum FROM core__migrations WHERE namespace = ? ORDER BY version");
    applied.bind(1, ns);
    int current = 0;
    while (applied.step()) {
        current = static_cast<int>(applied.integer(0));
        if (current > static_cast<int>(migrations.size()))
            throw StorageError(fmt::format(
                "{}: the database has {} schema version {}, newer than this build knows ({}); "
                "run the newer Seba build that wrote it, or restore a backup",
                db.path().string(), ns, current, migrations.size()));
        const Migration& m = migrations[static_cast<std::size_t>(current - 1)];
        if (applied.text(1) != checksum(m.sql))
            throw StorageError(where(m) +
                               " was changed after it was applied; add a new migration instead "
                               "of editing an applied one");
    }

    int count = 0;
    for (const Migration& m : migrations) {
        if (m.version <= current) continue;
        Transaction tx = db.transaction();
        try {
            // A plugin's migrations may touch only its own tables; core's may touch any.
            const std::string prefix = std::string(ns) + "__";
            std::optional<detail::NamespaceGuard> guard;
            if (ns != "core") guard.emplace(db, prefix);
            db.exec(m.sql);
        } catch (const StorageError& e) {
            throw StorageError(fmt::format("{} failed and was rolled back: {}", where(m), e.what()),
                               e.sqlite_code(), e.system_errno());
        }
        Statement record = db.prepare(
            "INSERT INTO core__migrations (namespace, version, name, checksum, applied_at) "
            "VALUES (?, ?, ?, ?, ?)");
        record.bind_all(ns, m.version, m.name, checksum(m.sql), utc_now_iso()).run();
        tx.commit();
        ++count;
    }
    return count;
}

void migrate_core(Database& db) {
    apply_migrations(db, "core", kCoreMigrations);
}

std::optional<std::string> read_core_value(Database& db, std::string_view key) {
    Statement query = db.prepare("SELECT value FROM core__config WHERE key = ?");
    query.bind(1, key);
    if (!query.step()) return std::nullopt;
    return query.text(0);
}

void write_core_value(Database& db, std::string_view key, std::string_view value,
                      std::string_view actor) {
    db.prepare(
          "INSERT INTO core__config (key, value, updated_at, actor) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
          "updated_at = excluded.updated_at, actor = excluded.actor")
        .bind_all(key, value, utc_now_iso(), actor)
        .run();
}

}  // namespace seba
