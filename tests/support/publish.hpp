// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace seba {
class Database;
}

namespace seba::testing {

/// Publishes `records` on catalog `channel` of a kiosk's database as the sync client keeps a
/// page it pulled (catalog::keep_page): added or replaced, the rest of the channel as it
/// was, under a new cursor so that readers which cache by the cursor read the channel again.
/// Each record is a JSON object kept whole under its member "key", as a country pack's
/// catalog file has them.
void publish(Database& db, std::string_view channel, const nlohmann::json& records);
/// The same for one record, its key apart from its data (e.g. "fleet", "config").
void publish(Database& db, std::string_view channel, std::string_view key,
             const nlohmann::json& data);

}  // namespace seba::testing
