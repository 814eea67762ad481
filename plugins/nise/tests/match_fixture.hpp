// SPDX-License-Identifier: Apache-2.0
#pragma once

// A kiosk database as sync leaves it: core's tables, the plugin's own (its migrations), the
// search index the built plugin's manifest declares (nise.skills), the demo country pack's
// places of both countries (the index "portal"), and NISE's catalog channels written page by
// page as a pull writes them (catalog::keep_page, which keeps the indexes too).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <seba/catalog.hpp>
#include <seba/manifest.hpp>
#include <seba/plugin_store.hpp>
#include <seba/search_index.hpp>
#include <seba/storage.hpp>
#include <string>
#include <vector>

#include "clock_guard.hpp"
#include "demo_pack.hpp"
#include "temp_dir.hpp"

namespace seba::nise::match_testing {

using json = nlohmann::json;
using seba::testing::TempDir;

/// The demo pack's place channels and their index spec (no offices: tests add those they need).
inline const std::vector<std::string> kPlaceChannels = {
    "search.indexes", "geo.bd.divisions", "geo.bd.districts", "geo.bd.upazilas",
    "geo.bd.unions",  "geo.uz.regions",   "geo.uz.districts", "geo.uz.villages"};

class KioskDatabase : public ::testing::Test {
  protected:
    void SetUp() override {
        migrate_core(db);
        for (const auto& [name, spec] : manifest.search_indexes)
            search::declare(db, search::IndexSpec::from_json(name, spec), manifest.id);
        apply_migrations(db, manifest.id, ClockGuard::migrations());
    }

    /// The demo pack's places, as the portal's tests keep them.
    void keep_places(const std::vector<std::string>& channels = kPlaceChannels) {
        seba::portal::testing::keep_demo_pack(db, channels);
    }

    /// A snapshot page of `channel`: exactly these records ({key: data}), under a new cursor.
    void keep_snapshot(const std::string& channel, const json& records) {
        catalog::Page page;
        page.snapshot = page.reset = true;
        page.cursor = channel + "-" + std::to_string(++pages_);
        for (const auto& [key, data] : records.items()) page.changes.push_back({key, data.dump()});
        catalog::keep_page(db, channel, page);
    }
    /// One record changed (null: removed), under a new cursor.
    void keep_change(const std::string& channel, const std::string& key, const json& data) {
        catalog::Page page;
        page.cursor = channel + "-" + std::to_string(++pages_);
        page.changes.push_back(
            {key, data.is_null() ? std::nullopt : std::optional<std::string>(data.dump())});
        catalog::keep_page(db, channel, page);
    }

    TempDir folder;
    Database db = Database::open(folder / "seba.db");
    Manifest manifest = load_manifest(SEBA_NISE_MANIFEST);
    PluginStore store{db, manifest};

  private:
    int pages_ = 0;
};

/// The skills and categories most tests share: names in English and Bangla.
inline json demo_skills() {
    return json::parse(R"({
      "spreadsheet": {"category": "digital", "names": {"en": "Using a spreadsheet",
                      "bn": "স্প্রেডশিট ব্যবহার"}, "isco": "4132"},
      "typing-bangla": {"category": "digital", "names": {"en": "Typing in Bangla",
                        "bn": "বাংলা টাইপিং"}},
      "sewing": {"category": "garments", "names": {"en": "Machine sewing", "bn": "মেশিন সেলাই",
                 "ru": "Машинное шитьё"}},
      "accounts": {"category": "digital", "names": {"en": "Bookkeeping", "bn": "হিসাবরক্ষণ"}}
    })");
}

inline json demo_categories() {
    return json::parse(R"({
      "garments": {"names": {"en": "Garments"}, "icon": "checkroom", "order": 2},
      "digital": {"names": {"en": "Digital", "bn": "ডিজিটাল"}, "icon": "computer", "order": 1},
      "zz-first": {"names": {"en": "Also first"}, "icon": "star", "order": 1}
    })");
}

/// A good opportunity record, for tests to change one field of.
inline json good_opportunity() {
    return json::parse(R"({
      "kind": "job",
      "title": {"en": "Data entry operator", "bn": "ডেটা এন্ট্রি অপারেটর"},
      "summary": {"en": "Enter orders"},
      "organisation": {"en": "Cumilla Textiles Ltd"},
      "place": "geo.bd.upazilas/1", "lat": 23.60, "lon": 90.99,
      "skills": [{"skill": "spreadsheet", "weight": 3}, {"skill": "typing-bangla", "weight": 2}],
      "education": "secondary",
      "wage": {"amount": 14000, "currency": "BDT", "per": "month"},
      "closes": "2026-12-20", "opens": "2026-12-01", "seats": 3,
      "source": "Illustrative: written for the tests."
    })");
}

}  // namespace seba::nise::match_testing
