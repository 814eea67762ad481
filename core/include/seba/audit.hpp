// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"
#include "seba/storage.hpp"

namespace seba {

struct AuditEntry {
    std::int64_t seq = 0;
    std::string at;       ///< UTC, ISO 8601
    std::string actor;    ///< "operator", "system", "fleet"...; never a citizen
    std::string action;   ///< "plugin.enabled", "plugin.quarantined"...
    std::string subject;  ///< what it was done to, e.g. a plugin id
    std::string detail;   ///< free text or JSON; no citizen data
};

/// The append-only, hash-chained record of operator actions and plugin state changes.
/// Each entry's hash is BLAKE2b-256 over the previous hash and the entry's fields, so an
/// edited, inserted or removed entry breaks the chain at that point. Triggers refuse UPDATE
/// and DELETE; verify() catches whoever got past them.
class SEBA_API AuditLog {
  public:
    explicit AuditLog(Database& db);

    /// Appends one entry (inside the caller's transaction if one is open). Returns its seq.
    std::int64_t append(std::string_view actor, std::string_view action, std::string_view subject,
                        std::string_view detail = {});

    struct Verification {
        bool ok = true;
        std::int64_t entries = 0;                  ///< how many were checked
        std::optional<std::int64_t> first_broken;  ///< seq of the first bad entry
        std::string reason;                        ///< what is wrong there
    };
    /// Walks the whole chain and reports the first broken link.
    Verification verify() const;

    /// The newest `count` entries, newest first.
    std::vector<AuditEntry> recent(int count) const;

  private:
    Database& db_;
};

}  // namespace seba
