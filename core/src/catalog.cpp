// SPDX-License-Identifier: Apache-2.0
#include "seba/catalog.hpp"

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

}  // namespace seba::catalog
