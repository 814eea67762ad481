// SPDX-License-Identifier: Apache-2.0
#include "pg_migrations.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace seba::server::pg {

namespace {

/// The advisory lock every seba-server takes to migrate: "SebaMigr" as a number. Held only
/// for a transaction, so a server that dies mid-migration lets go of it with its connection.
constexpr std::int64_t kMigrationLock = 0x5365'6261'4d69'6772;

struct Recorded {
    int version = 0;
    std::string name;
    std::string checksum;
};

std::string sha256_hex(const std::string& text) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

void check_list(std::span<const Migration> migrations) {
    int previous = 0;
    for (const Migration& migration : migrations) {
        if (migration.version <= previous || migration.name.empty() || migration.sql.empty())
            throw seba::Error(fmt::format(
                "PostgreSQL migration {} ({}) is malformed: versions must be positive and "
                "increasing, with a name and SQL",
                migration.version, migration.name));
        previous = migration.version;
    }
}

/// Takes the migration lock for this transaction (waiting up to 10 minutes for another
/// server's migration), makes the record table if it is missing, and reads it.
std::vector<Recorded> lock_and_read(pqxx::work& transaction) {
    transaction.exec("SET LOCAL statement_timeout = 0");  // a migration may rewrite a table
    transaction.exec("SET LOCAL lock_timeout = '600s'");
    transaction.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
    if (transaction.exec("SELECT to_regclass('server__migrations') IS NULL")[0][0].as<bool>())
        transaction.exec(
            "CREATE TABLE server__migrations (version integer PRIMARY KEY, name text NOT NULL, "
            "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    std::vector<Recorded> recorded;
    for (const pqxx::row& row :
         transaction.exec("SELECT version, name, checksum FROM server__migrations ORDER BY "
                          "version"))
        recorded.push_back({row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::string>()});
    return recorded;
}

/// Refuses a database this server's migrations do not describe.
void check_recorded(const std::vector<Recorded>& recorded, std::span<const Migration> known,
                    const std::string& where) {
    const int last_known = known.empty() ? 0 : known.back().version;
    for (const Recorded& record : recorded) {
        auto match = std::find_if(known.begin(), known.end(), [&](const Migration& migration) {
            return migration.version == record.version;
        });
        if (record.version > last_known)
            throw seba::StorageError(fmt::format(
                "{} has schema migration {} ({}) applied, newer than this seba-server knows "
                "(it knows up to {}): upgrade seba-server to the release that made this "
                "database, or restore a backup taken before the upgrade",
                where, record.version, record.name, last_known));
        if (match == known.end())
            throw seba::StorageError(fmt::format(
                "{} has schema migration {} ({}) applied that this seba-server does not know: "
                "it was made by another build; use that build, or restore a backup",
                where, record.version, record.name));
        if (sha256_hex(match->sql) != record.checksum)
            throw seba::StorageError(
                fmt::format("{}: schema migration {} ({}) was changed after it was applied to this "
                            "database; a released migration must never change (add a new one)",
                            where, record.version, record.name));
    }
}

int last_version(const std::vector<Recorded>& recorded) {
    return recorded.empty() ? 0 : recorded.back().version;
}

}  // namespace

MigrationResult migrate(Pool& pool, std::span<const Migration> migrations) {
    check_list(migrations);
    if (sodium_init() < 0) throw seba::Error("libsodium could not start");
    const std::string where = pool.config().describe();
    MigrationResult result;
    try {
        std::vector<Recorded> recorded = pool.with_transaction(
            [&](pqxx::work& transaction) {
                std::vector<Recorded> found = lock_and_read(transaction);
                check_recorded(found, migrations, where);
                return found;
            },
            Isolation::read_committed);
        result.version_before = last_version(recorded);
        result.version_after = result.version_before;

        for (const Migration& migration : migrations) {
            if (migration.version <= result.version_after) continue;
            // Another server may have applied it since we looked: look again under the lock.
            const bool applied = pool.with_transaction(
                [&](pqxx::work& transaction) {
                    std::vector<Recorded> now = lock_and_read(transaction);
                    check_recorded(now, migrations, where);
                    if (last_version(now) >= migration.version) return false;
                    try {
                        transaction.exec(migration.sql);
                    } catch (const pqxx::sql_error& error) {
                        throw seba::StorageError(fmt::format(
                            "{}: schema migration {} ({}) failed, nothing of it was applied: {}",
                            where, migration.version, migration.name, error.what()));
                    }
                    transaction.exec_params(
                        "INSERT INTO server__migrations (version, name, checksum) VALUES ($1, "
                        "$2, $3)",
                        migration.version, migration.name, sha256_hex(migration.sql));
                    return true;
                },
                Isolation::read_committed);
            if (applied) result.applied.push_back(migration.version);
            result.version_after = migration.version;
        }
    } catch (const pqxx::sql_error& error) {
        if (error.sqlstate() == "55P03")
            throw seba::StorageError(where +
                                     ": another seba-server held the schema migration lock for "
                                     "10 minutes; check what it is doing, then start again");
        throw seba::StorageError(
            fmt::format("{}: schema migration failed: {}", where, error.what()));
    }
    return result;
}

}  // namespace seba::server::pg
