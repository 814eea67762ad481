// SPDX-License-Identifier: Apache-2.0
#include "seba/catalog.hpp"

#include "seba/search.hpp"

namespace seba::catalog {

std::optional<nlohmann::json> record(Database& db, std::string_view channel, std::string_view key) {
    Statement row = db.prepare("SELECT data FROM core__catalog WHERE channel = ? AND key = ?");
    row.bind(1, channel).bind(2, key);
    if (!row.step()) return std::nullopt;
    return nlohmann::json::parse(row.text(0));
}

void for_each(Database& db, std::string_view channel,
              const std::function<void(std::string_view key, const nlohmann::json& data)>& each) {
    Statement rows =
        db.prepare("SELECT key, data FROM core__catalog WHERE channel = ? ORDER BY key");
    rows.bind(1, channel);
    while (rows.step()) each(rows.text(0), nlohmann::json::parse(rows.text(1)));
}

std::int64_t size(Database& db, std::string_view channel) {
    Statement count = db.prepare("SELECT count(*) FROM core__catalog WHERE channel = ?");
    count.bind(1, channel);
    count.step();
    return count.integer(0);
}

std::string cursor(Database& db, std::string_view channel) {
    Statement row = db.prepare("SELECT cursor FROM core__sync_cursors WHERE channel = ?");
    row.bind(1, channel);
    return row.step() ? row.text(0) : std::string();
}

KeptPage keep_page(Database& db, std::string_view channel, const Page& page,
                   std::string_view etag) {
    KeptPage kept;
    Transaction tx = db.transaction();
    // Each snapshot is a generation of the channel's records: what the last page of a
    // snapshot finds still of an older one, the snapshot did not name.
    std::int64_t generation = 0;
    {
        Statement row = db.prepare("SELECT generation FROM core__sync_cursors WHERE channel = ?");
        row.bind(1, channel);
        if (row.step()) generation = row.integer(0);
    }
    if (page.reset) ++generation;
    Statement upsert = db.prepare(
        "INSERT INTO core__catalog (channel, key, data, generation) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (channel, key) DO UPDATE SET "
        "data = excluded.data, generation = excluded.generation");
    Statement remove = db.prepare("DELETE FROM core__catalog WHERE channel = ? AND key = ?");
    std::vector<std::string> removed, upserted;  // for the search indexes, in this transaction
    for (const Page::Change& c : page.changes) {
        if (c.data) {
            upsert.bind(1, channel).bind(2, c.key).bind(3, *c.data).bind(4, generation).run();
            upsert.reset();
            ++kept.upserts;
            upserted.push_back(c.key);
        } else {
            remove.bind(1, channel).bind(2, c.key).run();
            remove.reset();
            ++kept.deletes;
            removed.push_back(c.key);
        }
    }
    if (page.snapshot && !page.has_more) {
        // The snapshot named everything the channel holds: the rest is gone.
        Statement gone =
            db.prepare("SELECT key FROM core__catalog WHERE channel = ? AND generation < ?");
        gone.bind(1, channel).bind(2, generation);
        while (gone.step()) removed.push_back(gone.text(0));
        Statement sweep =
            db.prepare("DELETE FROM core__catalog WHERE channel = ? AND generation < ?");
        sweep.bind(1, channel).bind(2, generation).run();
        kept.deletes += db.changes();
    }
    search::on_catalog_change(db, channel, removed, upserted);
    db.prepare(
          "INSERT INTO core__sync_cursors (channel, cursor, etag, generation, updated_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (channel) DO UPDATE SET cursor = ?2, "
          "etag = ?3, generation = ?4, updated_at = ?5")
        .bind_all(channel, page.cursor, std::string(page.has_more ? std::string_view() : etag),
                  generation, utc_now_iso())
        .run();
    tx.commit();
    return kept;
}

}  // namespace seba::catalog
