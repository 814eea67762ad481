// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "seba/storage.hpp"

namespace seba::detail {

/// While alive, statements prepared on `db` may touch only tables, indexes, views and
/// triggers whose names start with `prefix` (SQLite's authorizer, checked at prepare time).
/// Attach, pragmas and transaction control are refused too.
class NamespaceGuard {
  public:
    NamespaceGuard(Database& db, std::string prefix);
    ~NamespaceGuard();
    NamespaceGuard(const NamespaceGuard&) = delete;
    NamespaceGuard& operator=(const NamespaceGuard&) = delete;

  private:
    Database& db_;
    std::string prefix_;
};

}  // namespace seba::detail
