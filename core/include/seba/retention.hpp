// SPDX-License-Identifier: Apache-2.0
#pragma once
/// What the kiosk keeps of sent events, and for how long (docs/security.md, "Receipts and
/// data at rest on the kiosk"). An event the server took is deleted at once; one it answered
/// but refused (a conflict, a rejection), or one that could never be sent, stays for the
/// operator to see for `kiosk.retention_days` and is then deleted.

#include <chrono>

#include "seba/export.hpp"
#include "seba/storage.hpp"

namespace seba {

/// Deletes the failed outbox events created more than `days` before `now` (the kiosk's
/// clock); pending events are never touched. Returns how many were deleted.
SEBA_API int forget_old_events(Database& db, int days, std::chrono::system_clock::time_point now);

/// Copies the write-ahead log into the database and empties the -wal file, so that the bytes
/// of rows just deleted (overwritten in the database by secure_delete) leave it too. False
/// when another connection's read kept it from finishing: the next call tries again.
SEBA_API bool truncate_wal(Database& db);

}  // namespace seba
