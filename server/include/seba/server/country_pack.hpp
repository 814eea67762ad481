// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seba/server/file_store.hpp"
#include "seba/server/store.hpp"

/// A country pack: what a pilot publishes to stand up a country in one command: centres,
/// catalog channels read from CSV/JSON files, and each centre's fleet configuration.
/// docs/country-packs.md describes the pack.json format.
namespace seba::server {

/// Throws seba::Error naming `centre`, the field and what it must be when `config` is not
/// a fleet configuration: an object with only "plugins" (plugin ids, in order), "settings"
/// (kiosk settings a fleet may set, each value as the table of kiosk settings says:
/// seba/kiosk_settings.hpp), "plugin_settings" (plugin id -> object) and "channels" (extra
/// channel names).
void check_fleet_config(const nlohmann::json& config, std::string_view centre = {});

/// Checks (check_fleet_config) and publishes one centre's fleet configuration (channel
/// "fleet", record "config"); nothing is published when it is refused.
PublishReport publish_fleet_config(Store& store, std::string_view centre,
                                   const nlohmann::json& config, bool dry_run);

struct PackStep {
    std::string what;  ///< "centre demo-centre", "channel geo.bd.unions", "fleet demo-centre"
    PublishReport report;
    int duplicates_dropped = 0;
};

/// Imports `pack_file` (a pack.json; file paths in it are relative to its folder). Every
/// file is read and checked before anything is published; then each channel is published
/// in its own transaction, replacing its previous content. Existing centres are kept.
/// Content files a channel's JSON records name ({"$file": "path"}, resolve_file_refs) are
/// copied into `files` first (with `dry_run`, only read and hashed); a pack that names one
/// needs a file store. Throws seba::Error (ImportError for a bad data file) naming the pack,
/// field or file.
std::vector<PackStep> import_country_pack(Store& store, const std::filesystem::path& pack_file,
                                          bool dry_run, const FileStore* files = nullptr);

}  // namespace seba::server
