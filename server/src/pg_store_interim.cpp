// SPDX-License-Identifier: Apache-2.0
// INTERIM, test-only (pg_tests): pg::put_centre_record and pg::centre_record until
// pg_store.cpp lands with the real ones. Not part of seba_server; delete it then.
#include <fmt/format.h>

#include "pg_parts.hpp"
#include "seba/error.hpp"
#include "seba/storage.hpp"
#include "store_rules.hpp"

namespace seba::server::pg {

void put_centre_record(pqxx::work& tx, std::string_view channel, std::string_view centre,
                       std::string_view key, const std::optional<std::string>& data) {
    const std::string name(channel);
    tx.exec_params(
        "INSERT INTO server__channels (name, per_centre, updated_at) VALUES ($1, true, $2) "
        "ON CONFLICT (name) DO NOTHING",
        name, utc_now_iso());
    const pqxx::row channel_row = tx.exec_params1(
        "SELECT per_centre, head FROM server__channels WHERE name = $1 FOR UPDATE", name);
    if (!channel_row[0].as<bool>())
        throw Error(fmt::format("channel {} is published for every centre", channel));
    const std::optional<std::string> hash =
        data ? std::optional(rules::hash_hex(*data)) : std::nullopt;
    const pqxx::result old = tx.exec_params(
        "SELECT data_hash FROM server__channel_records WHERE channel = $1 AND scope = $2 AND "
        "key = $3",
        name, std::string(centre), std::string(key));
    if (!old.empty() && (old[0][0].is_null() ? std::optional<std::string>()
                                             : std::optional(old[0][0].as<std::string>())) == hash)
        return;
    const std::int64_t head = channel_row[1].as<std::int64_t>() + 1;
    tx.exec_params(
        "INSERT INTO server__channel_records (channel, scope, key, data, data_hash, version) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, scope, key) DO UPDATE SET "
        "data = $4, data_hash = $5, version = $6",
        name, std::string(centre), std::string(key), data, hash, head);
    tx.exec_params("UPDATE server__channels SET head = $1, updated_at = $2 WHERE name = $3", head,
                   utc_now_iso(), name);
}

std::optional<std::string> centre_record(pqxx::work& tx, std::string_view channel,
                                         std::string_view scope, std::string_view key) {
    const pqxx::result row = tx.exec_params(
        "SELECT data FROM server__channel_records WHERE channel = $1 AND scope = $2 AND key = $3",
        std::string(channel), std::string(scope), std::string(key));
    if (row.empty() || row[0][0].is_null()) return std::nullopt;
    return row[0][0].as<std::string>();
}

}  // namespace seba::server::pg
