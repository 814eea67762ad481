// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

struct sqlite3;

namespace seba::detail {

/// While alive, whatever SQLite compiles on `db` may touch only tables, indexes, views and
/// triggers whose names start with `prefix` (SQLite's authorizer). Attach, pragmas,
/// transaction control and functions that leak addresses or load code are refused too.
/// SQLite compiles at prepare time and again, silently, when a statement runs after a
/// schema change, and VACUUM compiles statements of its own as it runs: so a plugin's
/// statement holds a guard while it is prepared and every time it steps.
class NamespaceGuard {
  public:
    /// `prefix` must outlive the guard.
    NamespaceGuard(sqlite3* db, const std::string& prefix);
    ~NamespaceGuard();
    NamespaceGuard(const NamespaceGuard&) = delete;
    NamespaceGuard& operator=(const NamespaceGuard&) = delete;

  private:
    sqlite3* db_;
};

/// True when SQLite's last error on `db` came from the guard: SQLITE_AUTH, or "not
/// authorized to use function" (which SQLite reports as a plain error).
bool refused_by_guard(sqlite3* db);

/// The error a plugin gets when the guard refused it: names the plugin, its namespace and
/// the SQL or SQLite's reason.
std::string namespace_refusal(std::string_view prefix, std::string_view detail);

}  // namespace seba::detail
