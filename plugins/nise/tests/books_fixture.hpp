// SPDX-License-Identifier: Apache-2.0
#pragma once

// A kiosk database with NISE's tables (its real migrations) and store, as the host gives them
// to the plugin, enrolled as a kiosk is: it holds its server's public sealing key (the
// fixture keeps the secret half, as the server does, to open what was sealed) and the
// server's trust key and list, which vouch for a MuktoPaath kiosk's signing key; certificates
// are signed with that key as its kiosk signs them, and checked by the kiosk's own
// Credentials.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <seba/catalog.hpp>
#include <seba/credential_keys.hpp>
#include <seba/manifest.hpp>
#include <seba/sealing.hpp>
#include <seba/signing.hpp>
#include <seba/storage.hpp>
#include <sstream>
#include <string>

#include "catalog.hpp"
#include "desk.hpp"
#include "profile.hpp"
#include "referrals.hpp"
#include "temp_dir.hpp"

namespace seba::nise::books_testing {

using json = nlohmann::json;

inline constexpr const char* kCentre = "debidwar-1";
inline constexpr const char* kName = "রহিম উদ্দিন";
inline constexpr const char* kPhone = "+8801711223344";

/// One kiosk: its database file, NISE's store on it, its books.
struct Kiosk {
    explicit Kiosk(const std::filesystem::path& file, const sealing::ServerKey& server)
        : db(Database::open(file)) {
        migrate_core(db);
        apply_migrations(db, "nise", Desk::migrations());
        sealing::store_server_key(db, server);
    }
    Database db;
    Manifest manifest = load_manifest(SEBA_NISE_MANIFEST);
    PluginStore store{db, manifest};
    ProfileBook profiles{store, kCentre};
    ReferralBook referrals{store, profiles, "DHK1"};
    int pages = 0;

    // A record of a channel as a pull keeps it (null data: a tombstone).
    void keep(std::string_view channel, const std::string& key, const json& data) {
        catalog::Page page;
        page.cursor = "c" + std::to_string(++pages);
        page.changes.push_back({key, data.is_null() ? std::nullopt : std::optional(data.dump())});
        catalog::keep_page(db, channel, page);
    }
    std::int64_t count(const std::string& sql) {
        Statement q = db.prepare(sql);
        q.step();
        return q.integer(0);
    }
    json last_event(const std::string& type) {
        Statement q =
            db.prepare("SELECT payload FROM core__outbox WHERE type = ? ORDER BY seq DESC");
        q.bind_all(type);
        if (!q.step()) return nullptr;
        return json::parse(q.text(0));
    }
};

class Books : public ::testing::Test {
  protected:
    void SetUp() override {
        if (sodium_init() < 0) FAIL() << "libsodium";
        crypto_box_keypair(server_.public_key.data(), server_secret_.data());
        server_.id = sealing::key_id(server_.public_key);
        a_ = std::make_unique<Kiosk>(folder_ / "a.db", server_);
    }

    std::unique_ptr<Kiosk> second_kiosk() {
        return std::make_unique<Kiosk>(folder_ / "b.db", server_);
    }

    /// What the server reads from a sealed envelope ({"alg", "key", "box"}).
    json unseal(const json& envelope) {
        const std::string box = envelope.at("box").get<std::string>();
        std::vector<unsigned char> raw(box.size());
        std::size_t length = 0;
        EXPECT_EQ(sodium_base642bin(raw.data(), raw.size(), box.data(), box.size(), nullptr,
                                    &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
                  0);
        std::string plain(length - crypto_box_SEALBYTES, '\0');
        EXPECT_EQ(crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), raw.data(),
                                       length, server_.public_key.data(), server_secret_.data()),
                  0);
        return json::parse(plain);
    }

    /// The bytes of a kiosk's database files (the main file and its write-ahead log).
    std::string file_bytes(const std::string& name) {
        std::string all;
        for (const std::string suffix : {"", "-wal"}) {
            std::ifstream in(folder_ / (name + suffix), std::ios::binary);
            std::stringstream s;
            s << in.rdbuf();
            all += s.str();
        }
        return all;
    }

    seba::testing::TempDir folder_;
    sealing::ServerKey server_;
    std::array<std::uint8_t, 32> server_secret_{};
    std::unique_ptr<Kiosk> a_;
};

/// A kiosk's books with certificates: the server's trust list vouching for a MuktoPaath
/// kiosk's key, and muktopaath.courses naming the skills its courses teach.
class WithCertificates : public Books {
  protected:
    void SetUp() override {
        Books::SetUp();
        credentials::store_trust_key(a_->db, {trust_.public_key, ""});
        credentials::TrustEntry entry;
        entry.kid = credentials::key_id(issuer_.public_key);
        entry.device = "dev-00000000000000a1";
        entry.centre = kCentre;
        entry.public_key = issuer_.public_key;
        entry.since = "2026-12-01T00:00:00.000Z";
        a_->keep(credentials::kTrustChannel, entry.kid, credentials::sign_entry(entry, trust_));
        // The taxonomy the courses' skills are read against (a skill it lacks is dropped).
        a_->keep(kCategoriesChannel, "digital",
                 {{"names", {{"en", "Digital"}}}, {"icon", "computer"}, {"order", 1}});
        for (const char* skill : {"spreadsheet", "data-entry"})
            a_->keep(kSkillsChannel, skill,
                     {{"category", "digital"}, {"names", {{"en", std::string("Skill ") + skill}}}});
        a_->keep(kCoursesChannel, "spreadsheets-101", course_record({"spreadsheet", "data-entry"}));
        a_->keep(kCoursesChannel, "no-skills", course_record({}));
        credentials_ = credentials::kiosk_credentials(a_->db, folder_ / "device.key");
        catalog_ = std::make_unique<Catalog>(a_->store, kCentre);
        catalog_->refresh();
    }

    static json course_record(const std::vector<std::string>& skills) {
        json record = {
            {"category", "digital"},
            {"title", {{"en", "Spreadsheets"}, {"bn", "স্প্রেডশিট"}}},
            {"summary", {{"en", "Rows and columns"}}},
            {"provider", {{"en", "a2i"}}},
            {"language", "en"},
            {"duration_minutes", 30},
            {"lessons", 2},
            {"pass_mark", 60},
            {"attempts", 3},
            {"retry_wait_minutes", 30},
            {"version", "1.0"},
            {"licence", "CC BY 4.0"},
            {"pack", {{{"sha256", std::string(64, 'b')}, {"size", 100}, {"name", "course.json"}}}}};
        if (!skills.empty()) record["skills"] = skills;
        return record;
    }

    /// A certificate as a MuktoPaath kiosk issues it (quiz.cpp), signed with `key`.
    std::string certificate(const std::string& holder,
                            const std::string& course = "spreadsheets-101",
                            const std::string& type = "course-certificate",
                            const signing::KeyPair* key = nullptr) {
        credentials::Claims c;
        unsigned char id[8];
        randombytes_buf(id, sizeof id);
        char hex[17];
        sodium_bin2hex(hex, sizeof hex, id, sizeof id);
        c.id = hex;
        c.type = type;
        c.subject = holder;
        c.achievement = {{"course", course},
                         {"title", {{"en", "Spreadsheets"}}},
                         {"version", "1.0"},
                         {"score_band", "merit"}};
        c.issued = "2026-12-02";
        c.issuer = "dev-00000000000000a1";
        c.centre = kCentre;
        return credentials::encode(c, key ? *key : issuer_);
    }

    signing::KeyPair trust_ = signing::generate_key_pair();
    signing::KeyPair issuer_ = signing::generate_key_pair();
    std::unique_ptr<credentials::Credentials> credentials_;
    std::unique_ptr<Catalog> catalog_;
};

}  // namespace seba::nise::books_testing
