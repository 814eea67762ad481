// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "seba/storage.hpp"

namespace seba::detail {

/// Whom SQLite compiles for on one connection: the core (no prefix) or a plugin ("<id>__").
struct GuardState {
    const std::string* plugin_prefix = nullptr;
};

/// Installs the authorizer on `db` for the connection's life. Two rules:
/// - while a plugin prepares or runs SQL through its PluginStore (a NamespaceGuard is
///   alive), that SQL may touch only the plugin's tables, indexes, views and triggers
///   (named "<id>__*"); no ATTACH, PRAGMA, transaction control, temporary objects, virtual
///   tables other than full-text and r-tree indexes, or functions that leak addresses or
///   load code;
/// - whatever a plugin's view or trigger does is held to that plugin's tables, whoever's
///   statement set it off. SQLite compiles a statement again, silently, when it runs after a
///   schema change, with no plugin on the stack: a view swapped or a trigger added after
///   the plugin prepared its statement is checked all the same.
void install_authorizer(sqlite3* db, GuardState& state);

/// While alive, SQL compiled on `db` is the plugin's with namespace `prefix` (which must
/// outlive the guard).
class NamespaceGuard {
  public:
    NamespaceGuard(Database& db, const std::string& prefix);
    ~NamespaceGuard();
    NamespaceGuard(const NamespaceGuard&) = delete;
    NamespaceGuard& operator=(const NamespaceGuard&) = delete;

  private:
    GuardState& state_;
    const std::string* previous_;
};

/// True when SQLite's last error on `db` came from the guard: SQLITE_AUTH, or "not
/// authorized to use function" (which SQLite reports as a plain error).
bool refused_by_guard(sqlite3* db);

/// The error a plugin gets when the guard refused it: names the plugin, its namespace and
/// the SQL or SQLite's reason.
std::string namespace_refusal(std::string_view prefix, std::string_view detail);

}  // namespace seba::detail
