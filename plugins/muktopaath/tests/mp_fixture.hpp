// SPDX-License-Identifier: Apache-2.0
#pragma once

// A kiosk database with MuktoPaath's tables (its real migrations) and store, as the host
// gives them to the plugin, holding a server's sealing key as an enrolled kiosk does; and a
// catalog record of the test course.

#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <seba/catalog.hpp>
#include <seba/manifest.hpp>
#include <seba/sealing.hpp>
#include <seba/storage.hpp>
#include <sstream>
#include <string>

#include "course.hpp"
#include "learners.hpp"
#include "temp_dir.hpp"

namespace seba::mp::testing {

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string test_course_json() {
    return read_file(std::string(SEBA_MP_TEST_DATA) + "/course.json");
}

/// The catalog record of the test course, its pack naming the real course.json's hash.
inline nlohmann::json course_record(const std::string& version = "1.0") {
    const std::string text = test_course_json();
    unsigned char digest[32];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return {{"category", "digital"},
            {"title", {{"en", "Test course"}, {"bn", "পরীক্ষার কোর্স"}}},
            {"summary", {{"en", "A course for tests"}}},
            {"provider", {{"en", "a2i"}}},
            {"language", "en"},
            {"duration_minutes", 30},
            {"lessons", 2},
            {"pass_mark", 60},
            {"attempts", 3},
            {"retry_wait_minutes", 30},
            {"version", version},
            {"licence", "CC BY 4.0"},
            {"pack",
             {{{"sha256", hex}, {"size", text.size()}, {"name", "course.json"}},
              {{"sha256", std::string(64, 'a')}, {"size", 2048}, {"name", "images/phone.png"}}}}};
}

inline Course test_course(const std::string& version = "1.0") {
    std::string refused;
    std::optional<Course> c = read_course("test-course", course_record(version), refused);
    if (!c) throw Error("test course refused: " + refused);
    return *c;
}

class KioskDb : public ::testing::Test {
  protected:
    void SetUp() override {
        migrate_core(db);
        apply_migrations(db, "muktopaath", LearnerBook::migrations());
        // The kiosk as enrolled: it holds its server's public sealing key.
        sealing::ServerKey key;
        std::array<std::uint8_t, 32> secret{};
        crypto_box_keypair(key.public_key.data(), secret.data());
        key.id = sealing::key_id(key.public_key);
        sealing::store_server_key(db, key);
    }

    // A record of a channel as a pull keeps it.
    void keep(std::string_view channel, const std::string& key, const nlohmann::json& data) {
        catalog::Page page;
        page.cursor = "c" + std::to_string(++pages_);
        page.changes.push_back({key, data.is_null() ? std::nullopt : std::optional(data.dump())});
        catalog::keep_page(db, channel, page);
    }

    std::int64_t count(const std::string& sql) {
        Statement q = db.prepare(sql);
        q.step();
        return q.integer(0);
    }

    seba::testing::TempDir folder;
    Database db = Database::open(folder / "seba.db");
    Manifest manifest = load_manifest(SEBA_MP_MANIFEST);
    PluginStore store{db, manifest};
    int pages_ = 0;
};

}  // namespace seba::mp::testing
