// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"
#include "seba/storage.hpp"

/// The kiosk's local copy of the catalog channels the server publishes (services, offices,
/// places, fleet configuration...). Written only a page at a time by keep_page(), which the
/// sync client calls for every page it pulls; everyone reads it. Plugins read the channels
/// their manifest declares through PluginStore.
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

/// One page of a channel as the server sends it (docs/protocol.md, GET /v1/channels/NAME),
/// checked field by field.
struct Page {
    struct Change {
        std::string key;                  ///< never empty
        std::optional<std::string> data;  ///< the record, a JSON object's text; none: deleted
        friend bool operator==(const Change&, const Change&) = default;
    };
    std::vector<Change> changes;
    std::string cursor;     ///< where the next pull starts
    bool has_more = false;  ///< another page follows this one
    bool snapshot = false;  ///< the pages up to the last name every record the channel holds
    bool reset = false;     ///< the first page of a snapshot
    friend bool operator==(const Page&, const Page&) = default;
};

/// What keeping a page changed in the kiosk's copy.
struct KeptPage {
    std::int64_t upserts = 0;
    std::int64_t deletes = 0;  ///< tombstones, and records a finished snapshot left out
};

/// Keeps one page of `channel` in one transaction: its records and tombstones, the sweep of
/// what a finished snapshot no longer names, and the channel's cursor, so that a kiosk
/// killed mid-pull resumes after the last page it kept and never keeps half a page. `etag`
/// is the reply's ETag, kept with a last page (no `has_more`) for the next pull to send in
/// If-None-Match. Throws StorageError, with nothing of the page kept.
SEBA_API KeptPage keep_page(Database& db, std::string_view channel, const Page& page,
                            std::string_view etag = {});

}  // namespace seba::catalog
