// SPDX-License-Identifier: Apache-2.0
#pragma once

// The profile screens with the real catalog and books behind them: the steps reached by taps,
// a certificate signed by a real kiosk key on the trust list, a profile saved at another kiosk
// of the centre, the save screen reached through a match.
#include <sodium.h>

#include <regex>
#include <seba/catalog.hpp>
#include <seba/credential_keys.hpp>
#include <seba/manifest.hpp>
#include <seba/sealing.hpp>
#include <seba/signing.hpp>
#include <seba/storage.hpp>

#include "desk.hpp"
#include "profile_kiosk_fixture.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace seba::nise::profile_testing {

inline constexpr const char* kChosen = "বেছে নেওয়া হয়েছে";
inline constexpr const char* kVerified = "সনদে প্রমাণিত";

class NiseProfileFlow : public NiseKioskTest {
  protected:
    // To the skills step, the profile fresh.
    void to_skills() {
        open_nise();
        run(R"([{"tap": "nise.home.profile"}, {"tap": "nise.edu.secondary"},
                {"tap": "nise.edu.next"}])");
        expect("nise.skills.title");
    }

    // A certificate of `course` for `name`, signed by another kiosk of the centre whose key the
    // server vouches for on the trust list this kiosk holds.
    std::string certificate(const std::string& course, const std::string& name) {
        const signing::KeyPair server = signing::generate_key_pair();
        const signing::KeyPair issuer = signing::generate_key_pair();
        credentials::store_trust_key(host().database(), {server.public_key, ""});
        credentials::TrustEntry entry;
        entry.kid = credentials::key_id(issuer.public_key);
        entry.device = "dev-00000000000000b2";
        entry.centre = "test-centre";
        entry.public_key = issuer.public_key;
        entry.since = "2026-12-01T00:00:00.000Z";
        publish(credentials::kTrustChannel, entry.kid, credentials::sign_entry(entry, server));
        credentials::Claims c;
        c.id = "00112233445566aa";
        c.type = "course-certificate";
        c.subject = name;
        c.achievement = {{"course", course},
                         {"title", {{"bn", "ডিজিটাল সাক্ষরতা"}, {"en", "Digital literacy"}}},
                         {"version", "1.0"},
                         {"score_band", "merit"}};
        c.issued = "2026-12-07";
        c.expires = "2036-12-31";
        c.issuer = entry.device;
        c.centre = entry.centre;
        return credentials::encode(c, issuer);
    }

    // A profile saved at another kiosk of this centre, as the centre's channel nise.profiles
    // brings it here. Returns its return code.
    std::string saved_elsewhere(const Profile& profile, const std::string& phone_e164) {
        Database other = Database::open(other_dir_ / "other.db");
        migrate_core(other);
        apply_migrations(other, "nise", Desk::migrations());
        sealing::ServerKey server;
        std::array<std::uint8_t, 32> secret{};
        crypto_box_keypair(server.public_key.data(), secret.data());
        server.id = sealing::key_id(server.public_key);
        sealing::store_server_key(other, server);
        const Manifest manifest = load_manifest(SEBA_NISE_MANIFEST);
        PluginStore store{other, manifest};
        ProfileBook book{store, read_core_value(host().database(), "sync.centre").value_or("")};
        Citizen c;
        c.profile = profile;
        c.profile.phone = phone_e164;
        c.consented = true;
        const std::string code = book.save(c);
        Statement q =
            other.prepare("SELECT payload FROM core__outbox WHERE type = 'nise.profile_saved'");
        EXPECT_TRUE(q.step());
        const json event = json::parse(q.text(0));
        publish(kProfilesChannel, event.at("login").get<std::string>(),
                {{"box", event.at("box")}, {"saved_at", event.at("saved_at")}});
        return code;
    }

    void open_with(const std::string& phone, const std::string& code) {
        open_nise();
        run(json::array({{{"tap", "nise.home.return"}},
                         {{"tap", "nise.return.phone"}},
                         {{"type", phone}},
                         {{"tap", "nise.return.code"}},
                         {{"type", code}},
                         {{"tap", "nise.return.open"}}}));
    }

    // From NISE's home, through the first of the matches, to Apply: the profile is not saved,
    // so the save screen opens.
    void to_save_screen() {
        publish(kOpportunitiesChannel, pack_records("nise/opportunities.json"));
        to_skills();
        run(R"([{"tap": "nise.skills.cat.digital"}, {"tap": "nise.skill.data-entry"},
                {"tap": "nise.skills.cat.done"}, {"tap": "nise.skills.next"},
                {"tap": "nise.cert.next"}, {"tap": "nise.place.next"}, {"tap": "nise.lang.next"}])");
        std::string card;
        for (const std::string& id : ids())
            if (id.starts_with("nise.match.") && card.empty()) card = id;
        ASSERT_FALSE(card.empty()) << tree();
        run(json::array({{{"tap", card}}, {{"tap", "nise.detail.refer"}}}));
        ASSERT_TRUE(node("nise.save.name")) << tree();
    }

    void fill_save(const std::string& name, const std::string& phone) {
        run(json::array({{{"tap", "nise.save.name"}},
                         {{"type", name}},
                         {{"tap", "nise.save.phone"}},
                         {{"type", phone}},
                         {{"tap", "nise.save.agree"}}}));
    }

    std::string printed_text(const std::string& reference) {
        const std::filesystem::path pdf = dir() / "slips" / (reference + ".pdf");
        for (int i = 0; i < 500 && !std::filesystem::exists(pdf); ++i) run(R"([{"wait_s": 0.01}])");
        return seba::testing::run_process("'" + std::string(SEBA_PDFTOTEXT) + "' '" + pdf.string() +
                                          "' -")
            .output;
    }

    seba::testing::TempDir other_dir_;
};

}  // namespace seba::nise::profile_testing
