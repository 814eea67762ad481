// SPDX-License-Identifier: Apache-2.0
#include "seba/retention.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace seba {

int forget_old_events(Database& db, int days, std::chrono::system_clock::time_point now) {
    // created_at is ISO 8601 UTC ("2026-11-28T01:02:03.456Z"): text order is time order.
    const auto cutoff = std::chrono::floor<std::chrono::seconds>(now - std::chrono::days(days));
    const std::string before = fmt::format("{:%Y-%m-%dT%H:%M:%S}", cutoff);
    Transaction tx = db.transaction();
    db.prepare("DELETE FROM core__outbox WHERE state = 'failed' AND created_at < ?")
        .bind_all(before)
        .run();
    const int deleted = db.changes();
    tx.commit();
    return deleted;
}

bool truncate_wal(Database& db) {
    Statement checkpoint = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    // One row: busy (1 when blocked), log frames, frames checkpointed.
    return checkpoint.step() && checkpoint.integer(0) == 0;
}

}  // namespace seba
