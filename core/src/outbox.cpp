// SPDX-License-Identifier: Apache-2.0
#include "seba/outbox.hpp"

#include <fmt/format.h>

#include "seba/audit.hpp"

namespace seba::outbox {

namespace {

constexpr const char* kColumns =
    "uuid, plugin, type, created_at, attempts, state, coalesce(last_error, '')";

Entry read_entry(Statement& row) {
    return Entry{row.text(0),    row.text(1),
                 row.text(2),    row.text(3),
                 row.integer(4), row.text(5) == "failed" ? State::Failed : State::Pending,
                 row.text(6)};
}

// Back in line, with its audit entry; the caller holds the transaction.
void put_back(Database& db, AuditLog& audit, const Entry& e, std::string_view actor) {
    db.prepare("UPDATE core__outbox SET state = 'pending', last_error = NULL WHERE uuid = ?")
        .bind_all(e.uuid)
        .run();
    audit.append(actor, "outbox.retry", e.uuid,
                 fmt::format("{} from {}, failed: {}", e.type, e.plugin, e.last_error));
}

}  // namespace

Counts counts(Database& db) {
    Counts c;
    Statement q = db.prepare("SELECT state, count(*) FROM core__outbox GROUP BY state");
    while (q.step()) (q.text(0) == "failed" ? c.failed : c.pending) = q.integer(1);
    return c;
}

std::vector<Entry> unsent(Database& db, std::size_t limit) {
    std::vector<Entry> entries;
    Statement q = db.prepare(fmt::format(
        "SELECT {} FROM core__outbox ORDER BY state = 'failed' DESC, seq LIMIT ?", kColumns));
    q.bind(1, static_cast<std::int64_t>(limit));
    while (q.step()) entries.push_back(read_entry(q));
    return entries;
}

bool retry(Database& db, AuditLog& audit, std::string_view uuid, std::string_view actor) {
    Transaction tx = db.transaction();
    Statement q = db.prepare(
        fmt::format("SELECT {} FROM core__outbox WHERE uuid = ? AND state = 'failed'", kColumns));
    q.bind_all(uuid);
    if (!q.step()) return false;
    Entry e = read_entry(q);
    q.reset();
    put_back(db, audit, e, actor);
    tx.commit();
    return true;
}

int retry_all(Database& db, AuditLog& audit, std::string_view actor) {
    Transaction tx = db.transaction();
    std::vector<Entry> failed;
    {
        Statement q = db.prepare(fmt::format(
            "SELECT {} FROM core__outbox WHERE state = 'failed' ORDER BY seq", kColumns));
        while (q.step()) failed.push_back(read_entry(q));
    }
    for (const Entry& e : failed) put_back(db, audit, e, actor);
    tx.commit();
    return static_cast<int>(failed.size());
}

}  // namespace seba::outbox
