// SPDX-License-Identifier: Apache-2.0
#pragma once

// Moving a pilot's seba-server from SQLite to PostgreSQL (docs/deployment.md, "Moving a
// pilot's server to PostgreSQL"): `seba-server admin copy-store --from FILE`.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace seba::server {

namespace pg {
struct PoolConfig;
}

/// One table as copied: its rows, and the checksum both sides agreed on.
struct CopiedTable {
    std::string name;
    std::int64_t rows = 0;
    std::string checksum;  ///< sha256 (hex) of the table's rows in key order, canonical text
};

/// Copies every table of a SQLite store into an empty PostgreSQL store, in one PostgreSQL
/// transaction: the target is migrated first (as a server opening it would), must hold no
/// row in any table the copy writes (never a merge), and gets every row unchanged: channel
/// heads, horizons and record versions (kiosks' cursors stay valid), nonces (replays stay
/// refused), events in the order they were stored (SQLite's rowid becomes events.seq), and
/// each identity continues past the copied values. Rows are streamed (COPY), never a table
/// in memory. Before committing it checks that each table's row count and checksum are equal
/// on both sides, then audits "store.copied" (the file's path and the counts) in the target.
///
/// The source is opened read-only and must be at the schema version this seba-server knows,
/// with no table it does not know (a table it cannot copy fails the copy, naming it).
/// Throws seba::Error with what to do, the target unchanged, on any refusal or mismatch.
std::vector<CopiedTable> copy_sqlite_store_to_postgres(const std::filesystem::path& sqlite_file,
                                                       const pg::PoolConfig& target,
                                                       std::string_view actor);

}  // namespace seba::server
