// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "seba/export.hpp"
#include "seba/statement.hpp"

namespace seba {

class Database;
struct Manifest;
namespace search {
class Search;
}

/// A plugin's view of the kiosk database: its own tables only (named "<id>__<name>"),
/// enforced by SQLite's authorizer, and the outbox for the event types it declared.
class SEBA_API PluginStore {
  public:
    PluginStore(Database& db, const Manifest& manifest);

    /// "<id>__": every table, index, view and trigger the plugin makes starts with this.
    const std::string& prefix() const { return prefix_; }

    /// Prepares a statement that may touch only this plugin's tables. Throws StorageError
    /// ("not authorized") for anything else: core tables, other plugins, ATTACH, PRAGMA,
    /// BEGIN/COMMIT (use transaction()).
    Statement prepare(std::string_view sql);
    void exec(std::string_view sql);

    /// Runs `work` in one durable transaction: its rows and the events it emits commit
    /// together or not at all (an exception rolls everything back and propagates).
    void transaction(const std::function<void()>& work);

    /// Queues an event for the server. Must be called inside transaction(); `type` must be
    /// one of the manifest's "events". Returns the event's UUID.
    std::string emit(std::string_view type, const nlohmann::json& payload);
    /// The same, with what identifies a citizen (names, dates of birth, phones, ID numbers,
    /// addresses) in `sealed`: sealed to the server's key (seba/sealing.hpp) before it is
    /// stored, and sent as the payload's "sealed" envelope (docs/protocol.md). Nothing of
    /// it stays readable on the kiosk. Throws sealing::NoServerKey, with nothing written,
    /// while the kiosk has no server key (it was never enrolled).
    std::string emit(std::string_view type, nlohmann::json payload, const nlohmann::json& sealed);

    // Catalog channels the manifest declares ("channels"), as last pulled from the server.
    // Read-only; another channel throws StorageError.

    /// A record's data, or nullopt when the channel has no such key.
    std::optional<nlohmann::json> catalog_record(std::string_view channel, std::string_view key);
    /// Every record of the channel, in key order.
    void for_each_catalog_record(
        std::string_view channel,
        const std::function<void(std::string_view key, const nlohmann::json& data)>& each);
    /// Changes whenever the channel's content may have changed (for caches).
    std::string catalog_cursor(std::string_view channel);

    /// The kiosk's search indexes (seba/search.hpp), any of them: they hold catalog data
    /// only. Use from the thread that uses this store.
    search::Search search();

  private:
    void check_declared(std::string_view channel) const;

    Database& db_;
    const Manifest& manifest_;
    std::string prefix_;
};

}  // namespace seba
