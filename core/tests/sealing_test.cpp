// SPDX-License-Identifier: Apache-2.0
// The sealed emit (seba/sealing.hpp): what a plugin gives as sealed is stored only as a box
// the server's key opens; without a server key nothing is stored; a key from the server is
// taken only whole and with its own id.
#include "seba/sealing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/signing.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class SealingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_GE(sodium_init(), 0);
        migrate_core(db_);
        store_.exec("CREATE TABLE dc__requests (id INTEGER PRIMARY KEY, service TEXT)");
        crypto_box_keypair(public_.data(), secret_.data());
    }

    void request(const json& sealed) {
        store_.transaction([&] {
            store_.prepare("INSERT INTO dc__requests (service) VALUES ('birth_reg')").run();
            store_.emit("dc.request_created", {{"service", "birth_reg"}}, sealed);
        });
    }

    std::int64_t count(const char* sql) {
        Statement q = db_.prepare(sql);
        q.step();
        return q.integer(0);
    }

    seba::testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "k.db");
    Manifest manifest_ = parse_manifest(R"({"id": "dc", "version": "1.0.0", "api": "1.0",
        "names": {"en": "DC"}, "capabilities": ["storage", "outbox"],
        "events": ["dc.request_created"]})",
                                        "dc/manifest.json");
    PluginStore store_{db_, manifest_};
    std::array<std::uint8_t, 32> public_{};
    std::array<std::uint8_t, 32> secret_{};
};

TEST_F(SealingTest, SealedFieldsAreStoredOnlyAsABoxTheServersKeyOpens) {
    sealing::store_server_key(db_, {sealing::key_id(public_), public_});
    request({{"fields", {{"name", "Rahima Sentinel"}}}, {"identifier", "1990269261300"}});
    Statement row = db_.prepare("SELECT payload FROM core__outbox");
    ASSERT_TRUE(row.step());
    const std::string text = row.text(0);
    EXPECT_THAT(text, Not(HasSubstr("Sentinel")));
    EXPECT_THAT(text, Not(HasSubstr("1990269261300")));
    json payload = json::parse(text);
    EXPECT_EQ(payload["service"], "birth_reg");
    EXPECT_EQ(payload["sealed"]["alg"], "x25519-xsalsa20poly1305-sealedbox");
    EXPECT_EQ(payload["sealed"]["key"], sealing::key_id(public_));
    std::vector<std::uint8_t> box =
        *signing::from_base64(payload["sealed"]["box"].get<std::string>());
    std::string plain(box.size() - crypto_box_SEALBYTES, '\0');
    ASSERT_EQ(crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), box.data(),
                                   box.size(), public_.data(), secret_.data()),
              0);
    EXPECT_EQ(json::parse(plain)["fields"]["name"], "Rahima Sentinel");
}

TEST_F(SealingTest, WithoutTheServersKeyNothingIsStoredAndTheOperatorIsToldWhy) {
    try {
        request({{"fields", {{"name", "Rahima Sentinel"}}}});
        ADD_FAILURE() << "stored without a key to seal with";
    } catch (const sealing::NoServerKey& e) {
        EXPECT_THAT(e.what(), HasSubstr("seba-kiosk enroll"));
    }
    EXPECT_EQ(count("SELECT count(*) FROM core__outbox"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM dc__requests"), 0) << "rolled back together";
}

TEST_F(SealingTest, AServerKeyIsTakenOnlyWholeAndUnderItsOwnId) {
    const json good = sealing::to_json({sealing::key_id(public_), public_});
    ASSERT_TRUE(sealing::from_json(good));
    json wrong_id = good;
    wrong_id["id"] = "0000000000000000";
    EXPECT_FALSE(sealing::from_json(wrong_id));
    json short_key = good;
    short_key["key"] = signing::to_base64(std::vector<std::uint8_t>(16, 7));
    EXPECT_FALSE(sealing::from_json(short_key));
    json other_alg = good;
    other_alg["alg"] = "none";
    EXPECT_FALSE(sealing::from_json(other_alg));
    EXPECT_FALSE(sealing::from_json(json::array()));
}

}  // namespace
}  // namespace seba
