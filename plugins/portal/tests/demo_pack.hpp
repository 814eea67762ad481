// SPDX-License-Identifier: Apache-2.0
#pragma once

// The demo country pack's channels in a kiosk's database as a pull keeps them: each file read
// by the server's own importer with the pack's columns, key and Uzbek Latin fields, and kept
// as one snapshot page (catalog::keep_page), which keeps the search indexes too.

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <seba/catalog.hpp>
#include <seba/error.hpp>
#include <seba/server/catalog_import.hpp>
#include <seba/storage.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace seba::portal::testing {

/// The channels the portal reads: its index spec, the places it names and the offices.
inline const std::vector<std::string> kPortalChannels = {
    "search.indexes", "geo.bd.divisions", "geo.bd.districts", "geo.bd.upazilas", "geo.bd.unions",
    "geo.uz.regions", "geo.uz.districts", "geo.uz.villages",  "portal.offices"};

/// Keeps `channels` of the pack at SEBA_DEMO_PACK (its pack.json) in `db`.
inline void keep_demo_pack(Database& db, const std::vector<std::string>& channels) {
    const std::filesystem::path pack_file = SEBA_DEMO_PACK;
    std::ifstream in(pack_file);
    const nlohmann::json pack = nlohmann::json::parse(in);
    for (const std::string& name : channels) {
        const nlohmann::json* found = nullptr;
        for (const nlohmann::json& c : pack["channels"])
            if (c["channel"] == name) found = &c;
        if (!found) throw Error("the demo pack has no channel " + name);
        server::ImportSpec spec;
        spec.columns = found->value("columns", std::vector<std::string>{});
        spec.key = found->value("key", std::string("id"));
        spec.uz_latin = found->value("uz_latin", std::vector<std::string>{});
        const server::ImportResult read = server::read_catalog_file(
            pack_file.parent_path() / (*found)["file"].get<std::string>(), spec);
        catalog::Page page;
        page.snapshot = page.reset = true;
        page.cursor = "demo-pack";
        for (const server::CatalogRecord& r : read.records)
            page.changes.push_back({r.key, r.data.dump()});
        catalog::keep_page(db, name, page);
    }
}

/// Keeps one record of `channel` (a change pulled after the pack), under a new cursor; null
/// data is a tombstone.
inline void keep_record(Database& db, std::string_view channel, const std::string& key,
                        const nlohmann::json& data) {
    catalog::Page page;
    page.cursor = "change-" + key;
    page.changes.push_back({key, data.is_null() ? std::nullopt : std::optional(data.dump())});
    catalog::keep_page(db, channel, page);
}

}  // namespace seba::portal::testing
