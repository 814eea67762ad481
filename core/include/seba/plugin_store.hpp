#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "seba/export.hpp"
#include "seba/storage.hpp"

namespace seba {

struct Manifest;

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
    template <typename Work>
    void transaction(Work&& work) {
        Transaction tx = db_.transaction();
        work();
        tx.commit();
    }

    /// Queues an event for the server. Must be called inside transaction(); `type` must be
    /// one of the manifest's "events". Returns the event's UUID.
    std::string emit(std::string_view type, const nlohmann::json& payload);

  private:
    Database& db_;
    const Manifest& manifest_;
    std::string prefix_;
};

}  // namespace seba
