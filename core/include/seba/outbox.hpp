// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The outbox as the operator sees it (core__outbox): what waits to be sent, what failed and
/// why, and a failed event put back in line. Plugins write to it with PluginStore::emit, the
/// sync client sends from it (seba/sync_client.hpp), retention deletes old failures
/// (seba/retention.hpp). Nothing here reads a payload: what is shown is safe to show.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"
#include "seba/storage.hpp"

namespace seba {
class AuditLog;
}

namespace seba::outbox {

/// Pending: waits for the next push. Failed: the server refused it (a conflict, a
/// rejection) or it is too large to send; it waits for the operator.
enum class State { Pending, Failed };

/// One event not yet sent, without its payload (which may hold what a citizen typed).
struct Entry {
    std::string uuid;
    std::string plugin;
    std::string type;           ///< "digital_centre.request_confirmed"
    std::string created_at;     ///< UTC ISO 8601, by the kiosk's clock corrected to the server's
    std::int64_t attempts = 0;  ///< pushes that carried it and were refused whole
    State state = State::Pending;
    /// Why it failed, in the server's words for a conflict or a rejection ("an event with
    /// this id and different content was received before"); empty while pending.
    std::string last_error;
};

struct Counts {
    std::int64_t pending = 0;
    std::int64_t failed = 0;
};

SEBA_API Counts counts(Database& db);

/// The events not yet sent, at most `limit`: the failed ones first (they need the
/// operator), then the pending ones, each oldest first.
SEBA_API std::vector<Entry> unsent(Database& db, std::size_t limit);

/// Puts the failed event `uuid` back in line (pending, its error cleared; its attempts
/// kept) and appends "outbox.retry" by `actor` to the audit log, with the event's type and
/// the error it had, in one transaction. False (and nothing written) when no failed event
/// has that uuid.
SEBA_API bool retry(Database& db, AuditLog& audit, std::string_view uuid, std::string_view actor);

/// retry() for every failed event, in one transaction; returns how many went back in line.
SEBA_API int retry_all(Database& db, AuditLog& audit, std::string_view actor);

}  // namespace seba::outbox
