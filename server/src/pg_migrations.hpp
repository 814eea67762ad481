// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string>
#include <vector>

#include "pg_pool.hpp"

namespace seba::server::pg {

/// One step of a store's schema. A migration never changes once released: add a new one.
struct Migration {
    int version = 0;   ///< > 0, strictly increasing through the list
    std::string name;  ///< what it does, for people ("push events", "nonce index")
    std::string sql;   ///< one or more statements, run in one transaction
};

struct MigrationResult {
    int version_before = 0;    ///< the database's last migration before (0: none)
    int version_after = 0;     ///< and after
    std::vector<int> applied;  ///< applied by this call (others may have been applied meanwhile
                               ///< by another seba-server)
};

/// Brings the database up to the last of `migrations`, in order, each in its own transaction
/// that also records it in `server__migrations` (version, name, sha256 of its SQL, when).
/// Several seba-servers starting at once against one database apply each migration exactly
/// once: each step holds a transaction-scoped advisory lock (pg_advisory_xact_lock) and looks
/// again at what is recorded before applying. Migrations run without the statement timeout.
/// Throws seba::StorageError (the database unchanged by the failing step) when the database
/// records a migration this server does not know (it is newer: upgrade seba-server), when a
/// recorded migration's SQL differs from this server's, or when a migration's SQL fails;
/// seba::Error for a malformed list; the pool's errors when the database cannot be reached.
MigrationResult migrate(Pool& pool, std::span<const Migration> migrations);

}  // namespace seba::server::pg
