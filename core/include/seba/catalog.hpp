// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "seba/export.hpp"
#include "seba/storage.hpp"

/// The kiosk's local copy of the catalog channels the server publishes (services, offices,
/// places, fleet configuration...). Only the sync client writes it; everyone reads it.
/// Plugins read the channels their manifest declares through PluginStore.
namespace seba::catalog {

/// A record's data, or nullopt when the channel has no such key.
SEBA_API std::optional<nlohmann::json> record(Database& db, std::string_view channel,
                                              std::string_view key);
/// Every record of `channel`, in key order (byte order of the key).
SEBA_API void for_each(
    Database& db, std::string_view channel,
    const std::function<void(std::string_view key, const nlohmann::json& data)>& each);
SEBA_API std::int64_t size(Database& db, std::string_view channel);
/// The cursor of the last page kept, or "" before the first pull: changes whenever the
/// channel's content may have changed, so a reader can cache what it derived from it.
SEBA_API std::string cursor(Database& db, std::string_view channel);

}  // namespace seba::catalog
