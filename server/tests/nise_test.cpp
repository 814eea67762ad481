// SPDX-License-Identifier: Apache-2.0
// NISE on the server (docs/nise.md, "On the server"): real kiosks (their own databases, device
// keys and outboxes) push signed nise.* events to the real seba-server over loopback and pull
// the per-centre channels back; the store is a real SQLite file, read raw where the test must
// see what is kept; the administrator's commands run in-process and as the real binary.
#include "seba/server/nise.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "csv.hpp"
#include "process.hpp"
#include "seba/catalog.hpp"
#include "seba/sealing.hpp"
#include "seba/server/seal_keys.hpp"
#include "seba/server/store.hpp"
#include "seba/sync_client.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// One kiosk of a centre, enrolled with the real server; events go into its real outbox as a
// plugin's emit leaves them.
class Kiosk {
  public:
    Kiosk(Store& store, const std::string& centre, const std::string& url) {
        migrate_core(db_);
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = dir_ / "device.key";
        options.total_timeout_ms = 10000;
        client_ = std::make_unique<SyncClient>(db_, options);
        client_->enroll(store.create_enrollment_code(centre, std::chrono::hours(1), Clock::now()));
    }

    std::string queue(const std::string& type, const json& payload) {
        static int next = 0;
        const std::string uuid = fmt::format("00000000-0000-4000-9000-{:012d}", ++next);
        queue_again(uuid, type, payload);
        return uuid;
    }
    void queue_again(const std::string& uuid, const std::string& type, const json& payload) {
        db_.prepare(
               "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) VALUES (?, "
               "'nise', ?, ?, '2026-12-07T08:00:00.000Z')")
            .bind_all(uuid, type, payload.dump())
            .run();
    }
    SyncClient::PushReport push() { return client_->push_outbox(); }
    // Why the server refused an event ("" while it is not failed).
    std::string failure(const std::string& uuid) {
        Statement row = db_.prepare(
            "SELECT coalesce(last_error, '') FROM core__outbox WHERE uuid = ? AND state = "
            "'failed'");
        row.bind_all(uuid);
        return row.step() ? row.text(0) : std::string();
    }
    SyncClient::PullReport pull(const std::string& channel) { return client_->pull(channel); }
    std::optional<json> record(const std::string& channel, const std::string& key) {
        return catalog::record(db_, channel, key);
    }

  private:
    seba::testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "kiosk.db");
    std::unique_ptr<SyncClient> client_;
};

// A login as the kiosk derives it: 64 lower-case hex digits.
std::string login(int n) {
    return fmt::format("{:064x}", 0xab0000 + n);
}

class NiseTest : public ::testing::Test {
  protected:
    void SetUp() override {
        store_->create_centre("dhaka-1", "Dhaka Union Digital Centre");
        store_->create_centre("dhaka-2", "Mirpur Union Digital Centre");
        ServerOptions options;
        options.seal_keys = keys_;
        server_ = std::make_unique<RunningServer>(*store_, options);
    }

    Kiosk& kiosk(const std::string& name, const std::string& centre = "dhaka-1") {
        auto found = kiosks_.find(name);
        if (found == kiosks_.end())
            found = kiosks_.emplace(name, std::make_unique<Kiosk>(*store_, centre, server_->url()))
                        .first;
        return *found->second;
    }

    json sealed(const std::string& name, const std::string& phone) {
        return sealing::seal(keys_->current_public(),
                             {{"fields", {{"name", name}, {"phone", phone}}}});
    }

    json saved(const std::string& who, const std::string& box, const std::string& saved_at) {
        return {{"login", who},
                {"box", box},
                {"saved_at", saved_at},
                {"sealed", sealed("Rahima Begum", "+8801711000001")}};
    }

    json referral(const std::string& reference, const std::string& opportunity,
                  const std::string& who, json profile = nullptr) {
        if (profile.is_null())
            profile = {{"education", "secondary"},
                       {"skills",
                        {{{"skill", "spreadsheet"}, {"verified", true}},
                         {{"skill", "typing-bangla"}, {"verified", false}}}},
                       {"languages", {"bn", "en"}},
                       {"place", "geo.bd.upazilas/156"}};
        return {{"reference", reference}, {"opportunity", opportunity},
                {"kind", "job"},          {"login", who},
                {"profile", profile},     {"sealed", sealed("Rahima Begum", "+8801711000001")}};
    }

    // The event's payload as the server keeps it, read raw from its database file.
    json raw(const std::string& uuid) {
        const std::vector<std::vector<std::string>> rows = seba::testing::query_test_store(
            dir_.path(),
            "SELECT payload, coalesce(citizen, '') FROM server__events WHERE uuid = '" + uuid + "'",
            2);
        EXPECT_EQ(rows.size(), 1u) << uuid;
        if (rows.empty()) return json();
        json payload = json::parse(rows[0][0]);
        payload["(citizen column)"] = rows[0][1];
        return payload;
    }

    seba::testing::TempDir dir_;
    std::shared_ptr<const SealKeys> keys_ = std::make_shared<const SealKeys>(SealKeys::generate());
    std::unique_ptr<Store> store_ = seba::testing::open_test_store(dir_.path());
    std::unique_ptr<RunningServer> server_;
    std::map<std::string, std::unique_ptr<Kiosk>> kiosks_;
};

TEST_F(NiseTest, ASavedProfileReachesTheKiosksOfItsCentreOnly) {
    kiosk("a").queue("nise.profile_saved",
                     saved(login(1), "Ym94LW9uZQ==", "2026-12-07T08:00:00.000Z"));
    EXPECT_EQ(kiosk("a").push().accepted, 1);

    kiosk("a2").pull("nise.profiles");
    const std::optional<json> record = kiosk("a2").record("nise.profiles", login(1));
    ASSERT_TRUE(record);
    EXPECT_EQ(*record, json({{"box", "Ym94LW9uZQ=="}, {"saved_at", "2026-12-07T08:00:00.000Z"}}))
        << "the box and its time, nothing sealed";
    kiosk("b", "dhaka-2").pull("nise.profiles");
    EXPECT_FALSE(kiosk("b").record("nise.profiles", login(1))) << "another centre's kiosk";
}

TEST_F(NiseTest, TheNewestSaveWinsWhateverOrderTheyArrive) {
    kiosk("a").queue("nise.profile_saved", saved(login(1), "b2xk", "2026-12-07T08:00:00Z"));
    kiosk("a").push();
    kiosk("a").queue("nise.profile_saved", saved(login(1), "bmV3", "2026-12-07T08:00:00.5Z"));
    kiosk("a").push();
    kiosk("a2").pull("nise.profiles");
    EXPECT_EQ(kiosk("a2").record("nise.profiles", login(1))->at("box"), "bmV3");

    // An older save from a kiosk that was offline: stored, but the channel keeps the newer.
    kiosk("late").queue("nise.profile_saved",
                        saved(login(1), "b2xkZXI=", "2026-12-06T23:59:59.999Z"));
    EXPECT_EQ(kiosk("late").push().accepted, 1);
    EXPECT_FALSE(kiosk("a2").pull("nise.profiles").changed());
    EXPECT_EQ(kiosk("a2").record("nise.profiles", login(1))->at("box"), "bmV3");
}

TEST_F(NiseTest, TheSameEventPushedTwiceChangesNothing) {
    const json payload = saved(login(1), "Ym94", "2026-12-07T08:00:00.000Z");
    const std::string uuid = kiosk("a").queue("nise.profile_saved", payload);
    const json referred = referral("DHK1-N261207-A7-0001", "data-entry", login(1));
    const std::string ref = kiosk("a").queue("nise.referral", referred);
    EXPECT_EQ(kiosk("a").push().accepted, 2);
    const auto version = store_->channel_version("nise.profiles", "dhaka-1");

    kiosk("a").queue_again(uuid, "nise.profile_saved", payload);  // its reply was lost
    kiosk("a").queue_again(ref, "nise.referral", referred);
    const SyncClient::PushReport again = kiosk("a").push();
    EXPECT_EQ(again.duplicates, 2);
    EXPECT_EQ(again.accepted, 0);
    EXPECT_EQ(store_->channel_version("nise.profiles", "dhaka-1"), version);
    EXPECT_EQ(store_->event_count(), 2);
    EXPECT_EQ(store_->nise_referrals("", "").size(), 1u);
}

TEST_F(NiseTest, AWithdrawalDeletesTheProfileForGood) {
    const std::string save =
        kiosk("a").queue("nise.profile_saved", saved(login(1), "Ym94", "2026-12-07T08:00:00.000Z"));
    const std::string before =
        kiosk("a").queue("nise.referral", referral("DHK1-N261207-A7-0001", "data-entry", login(1)));
    // Someone else's profile at the centre, and the same login at another centre, stay.
    const std::string other =
        kiosk("a").queue("nise.profile_saved", saved(login(2), "b3RoZXI=", "2026-12-07T08:01:00Z"));
    kiosk("b", "dhaka-2")
        .queue("nise.profile_saved", saved(login(1), "dGhlcmU=", "2026-12-07T08:02:00Z"));
    kiosk("a").push();
    kiosk("b").push();
    kiosk("a2").pull("nise.profiles");
    ASSERT_TRUE(kiosk("a2").record("nise.profiles", login(1)));

    kiosk("a").queue("nise.profile_withdrawn", {{"login", login(1)}});
    EXPECT_EQ(kiosk("a").push().accepted, 1);

    // The kiosks of the centre get a marker that holds nothing of the citizen's: the box is
    // gone, and a kiosk still keeping its own copy learns to drop it.
    kiosk("a2").pull("nise.profiles");
    const std::optional<json> marker = kiosk("a2").record("nise.profiles", login(1));
    ASSERT_TRUE(marker);
    EXPECT_EQ(marker->size(), 1u) << marker->dump();
    EXPECT_TRUE(marker->contains("withdrawn_at")) << marker->dump();
    EXPECT_TRUE(kiosk("a2").record("nise.profiles", login(2)));
    kiosk("b").pull("nise.profiles");
    EXPECT_TRUE(kiosk("b").record("nise.profiles", login(1))) << "another centre's profile";

    // What the citizen gave is gone from the stored events; what happened stays.
    const json saved_row = raw(save);
    EXPECT_FALSE(saved_row.contains("box"));
    EXPECT_FALSE(saved_row.contains("sealed"));
    EXPECT_EQ(saved_row["(citizen column)"], "");
    const json referral_row = raw(before);
    EXPECT_FALSE(referral_row.contains("profile"));
    EXPECT_FALSE(referral_row.contains("sealed"));
    EXPECT_EQ(referral_row["reference"], "DHK1-N261207-A7-0001");
    EXPECT_TRUE(raw(other).contains("box"));
    EXPECT_TRUE(raw(other).contains("sealed"));

    // The referral made before is kept for the employer, without its profile.
    const std::vector<nise::Referral> kept = store_->nise_referrals("dhaka-1", "");
    ASSERT_EQ(kept.size(), 1u);
    const json listed = json::parse(nise::referrals_json(kept, keys_.get()))[0];
    EXPECT_EQ(listed["reference"], "DHK1-N261207-A7-0001");
    EXPECT_TRUE(listed["profile_withdrawn"].get<bool>());
    EXPECT_EQ(listed["skills"], json::array());
    EXPECT_EQ(listed["name"], "") << "the sealed name went with the profile";

    // Later events of that login are rejected with the reason, also from a kiosk that was
    // offline when the profile was withdrawn; nothing of them is kept.
    const std::string later = kiosk("offline").queue(
        "nise.referral", referral("DHK1-N261207-B2-0001", "data-entry", login(1)));
    const std::string again =
        kiosk("a").queue("nise.profile_saved", saved(login(1), "YWdhaW4=", "2026-12-08T08:00:00Z"));
    kiosk("offline").push();
    kiosk("a").push();
    EXPECT_THAT(kiosk("offline").failure(later), HasSubstr("withdrawn at centre dhaka-1"));
    EXPECT_THAT(kiosk("a").failure(again), HasSubstr("withdrawn at centre dhaka-1"));
    EXPECT_EQ(store_->nise_referrals("dhaka-1", "").size(), 1u);
    EXPECT_FALSE(kiosk("a2").pull("nise.profiles").changed());

    // Audited without the login or anything of the citizen.
    const std::vector<AuditEntry> audit = store_->audit_log();
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "nise.profile_withdrawn");
    EXPECT_THAT(audit.back().detail, HasSubstr("centre dhaka-1"));
    EXPECT_THAT(audit.back().detail, HasSubstr("2 event(s)"));
    EXPECT_THAT(audit.back().detail, Not(HasSubstr(login(1))));
}

TEST_F(NiseTest, AReferenceIsUsedOnceAtACentre) {
    const std::string first =
        kiosk("a").queue("nise.referral", referral("DHK1-N261207-A7-0001", "data-entry", login(1)));
    const std::string second =
        kiosk("a2").queue("nise.referral", referral("DHK1-N261207-A7-0001", "tailoring", login(2)));
    const std::string elsewhere =
        kiosk("b", "dhaka-2")
            .queue("nise.referral", referral("DHK1-N261207-A7-0001", "tailoring", login(2)));
    kiosk("a").push();
    kiosk("a2").push();
    kiosk("b").push();
    EXPECT_EQ(kiosk("a").failure(first), "");
    EXPECT_EQ(kiosk("a2").failure(second),
              "reference DHK1-N261207-A7-0001 was already used at centre dhaka-1 by another "
              "referral");
    EXPECT_EQ(kiosk("b").failure(elsewhere), "") << "references are per centre";
    const std::vector<nise::Referral> at_dhaka = store_->nise_referrals("dhaka-1", "");
    ASSERT_EQ(at_dhaka.size(), 1u);
    EXPECT_EQ(at_dhaka[0].opportunity, "data-entry");
}

// One malformed payload per limit of docs/nise.md: rejected alone, with its reason, nothing
// stored.
struct Malformed {
    const char* name;
    const char* type;
    std::function<void(json&)> spoil;
    const char* reason;
};

class NiseMalformed : public NiseTest, public ::testing::WithParamInterface<Malformed> {};

TEST_P(NiseMalformed, IsRejectedWithItsReason) {
    const Malformed& m = GetParam();
    json payload = std::string(m.type) == "nise.profile_saved"
                       ? saved(login(1), "Ym94", "2026-12-07T08:00:00.000Z")
                   : std::string(m.type) == "nise.referral"
                       ? referral("DHK1-N261207-A7-0001", "data-entry", login(1))
                       : json{{"login", login(1)}};
    m.spoil(payload);
    const std::string bad = kiosk("a").queue(m.type, payload);
    const std::string fine =
        kiosk("a").queue("nise.profile_saved", saved(login(3), "ZmluZQ==", "2026-12-07T08:00:00Z"));
    const SyncClient::PushReport report = kiosk("a").push();
    EXPECT_EQ(report.accepted, 1);
    EXPECT_THAT(kiosk("a").failure(bad), HasSubstr(m.reason));
    EXPECT_EQ(kiosk("a").failure(fine), "");
    EXPECT_EQ(store_->event_count(), 1);
    EXPECT_TRUE(store_->nise_referrals("", "").empty());
}

const std::string kLong(97, 'x');

INSTANTIATE_TEST_SUITE_P(
    Limits, NiseMalformed,
    ::testing::Values(
        Malformed{"LoginNotLowerHex", "nise.profile_saved",
                  [](json& p) { p["login"] = std::string(64, 'A'); },
                  "login is not 64 lower-case hex digits"},
        Malformed{"LoginTooShort", "nise.profile_withdrawn", [](json& p) { p["login"] = "ab12"; },
                  "login is not 64 lower-case hex digits"},
        Malformed{"BoxOver16KiB", "nise.profile_saved",
                  [](json& p) { p["box"] = std::string(16 * 1024 + 4, 'A'); },
                  "box is 16388 bytes; at most 16384 are allowed"},
        Malformed{"BoxNotBase64", "nise.profile_saved", [](json& p) { p["box"] = "not base64!"; },
                  "box is not base64"},
        Malformed{"SavedAtNotATime", "nise.profile_saved",
                  [](json& p) { p["saved_at"] = "yesterday"; }, "saved_at is not a UTC time"},
        Malformed{"ReferenceOver40", "nise.referral",
                  [](json& p) { p["reference"] = std::string(41, 'A'); },
                  "reference is not 1 to 40 of A-Z, 0-9 and -"},
        Malformed{"ReferenceLowerCase", "nise.referral",
                  [](json& p) { p["reference"] = "dhk1-n261207-a7-0001"; },
                  "reference is not 1 to 40 of A-Z, 0-9 and -"},
        Malformed{"OpportunityNotAnId", "nise.referral",
                  [](json& p) { p["opportunity"] = "Data Entry"; },
                  "opportunity is not an opportunity id"},
        Malformed{"OpportunityOver64", "nise.referral",
                  [](json& p) { p["opportunity"] = std::string(65, 'a'); },
                  "opportunity is not an opportunity id"},
        Malformed{"KindUnknown", "nise.referral", [](json& p) { p["kind"] = "volunteering"; },
                  "kind is not job, training or apprenticeship"},
        Malformed{"Over40Skills", "nise.referral",
                  [](json& p) {
                      json skills = json::array();
                      for (int i = 0; i < 41; ++i)
                          skills.push_back({{"skill", fmt::format("s{}", i)}, {"verified", false}});
                      p["profile"]["skills"] = skills;
                  },
                  "profile.skills has 41 skills; at most 40 are allowed"},
        Malformed{"SkillWithoutVerified", "nise.referral",
                  [](json& p) {
                      p["profile"]["skills"] = {{{"skill", "spreadsheet"}}};
                  },
                  "skill spreadsheet of profile.skills has no verified true/false"},
        Malformed{"SkillNotAnId", "nise.referral",
                  [](json& p) {
                      p["profile"]["skills"] = {{{"skill", "Excel!"}, {"verified", true}}};
                  },
                  "has no skill id"},
        Malformed{"Over8Languages", "nise.referral",
                  [](json& p) {
                      p["profile"]["languages"] = {"bn", "en", "ru", "uz", "hi",
                                                   "ur", "ar", "fr", "de"};
                  },
                  "profile.languages has 9 languages; at most 8 are allowed"},
        Malformed{"PlaceOver96", "nise.referral", [](json& p) { p["profile"]["place"] = kLong; },
                  "profile.place is longer than 96 characters"},
        Malformed{"EducationUnknown", "nise.referral",
                  [](json& p) { p["profile"]["education"] = "phd"; },
                  "profile.education is not an education level"},
        Malformed{"ProfileMissing", "nise.referral", [](json& p) { p.erase("profile"); },
                  "profile is missing"},
        Malformed{"UnknownType", "nise.profile_shared", [](json&) {},
                  "nise.profile_shared is not an event of NISE"}),
    [](const ::testing::TestParamInfo<Malformed>& param) { return std::string(param.param.name); });

TEST_F(NiseTest, AnAnswerIsPublishedForTheCentreAndItsKiosksPullIt) {
    kiosk("a").queue("nise.referral", referral("DHK1-N261207-A7-0001", "data-entry", login(1)));
    kiosk("a").push();

    // Typed in lower case with spaces, as read from a slip over the phone.
    EXPECT_TRUE(nise::answer(*store_,
                             {"dhaka-1",
                              "dhk1-n261207-a7-0001 ",
                              "interview",
                              {{"en", "Come on Sunday at 10"}, {"bn", "রবিবার ১০টায় আসুন"}}},
                             "admin"));
    kiosk("a2").pull("nise.referrals");
    const std::optional<json> got = kiosk("a2").record("nise.referrals", "DHK1-N261207-A7-0001");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->at("status"), "interview");
    EXPECT_EQ(got->at("opportunity"), "data-entry");
    EXPECT_EQ(got->at("note").at("bn"), "রবিবার ১০টায় আসুন");
    EXPECT_THAT(got->at("answered_at").get<std::string>(), ::testing::StartsWith("20"));
    kiosk("b", "dhaka-2").pull("nise.referrals");
    EXPECT_FALSE(kiosk("b").record("nise.referrals", "DHK1-N261207-A7-0001"));

    EXPECT_FALSE(
        nise::answer(*store_, {"dhaka-1", "DHK1-N261207-A7-0001", "accepted", {}}, "admin"))
        << "an update of the answer";
    kiosk("a2").pull("nise.referrals");
    EXPECT_EQ(kiosk("a2").record("nise.referrals", "DHK1-N261207-A7-0001")->at("status"),
              "accepted");
    EXPECT_EQ(store_->nise_referrals("dhaka-1", "")[0].status, "accepted");
    EXPECT_EQ(store_->audit_log().back().action, "nise.referral_answered");
    EXPECT_EQ(store_->audit_log().back().detail,
              "centre dhaka-1 referral DHK1-N261207-A7-0001: accepted");
}

TEST_F(NiseTest, AnAnswerToNoReferralIsRefusedWithAClearMessage) {
    kiosk("a").queue("nise.referral", referral("DHK1-N261207-A7-0001", "data-entry", login(1)));
    kiosk("a").push();
    auto refused = [&](const nise::Answer& a) {
        try {
            nise::answer(*store_, a, "admin");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(refused({"dhaka-1", "DHK1-N261207-A7-0404", "interview", {}}),
              "no referral DHK1-N261207-A7-0404 has been received from centre dhaka-1");
    EXPECT_EQ(refused({"dhaka-2", "DHK1-N261207-A7-0001", "interview", {}}),
              "no referral DHK1-N261207-A7-0001 has been received from centre dhaka-2");
    EXPECT_EQ(refused({"nowhere", "DHK1-N261207-A7-0001", "interview", {}}), "no centre nowhere");
    EXPECT_EQ(refused({"dhaka-1", "DHK1-N261207-A7-0001", "hired", {}}),
              "status hired is not one of received, interview, accepted, rejected");
    EXPECT_EQ(
        refused({"dhaka-1", "DHK1-N261207-A7-0001", "interview", {{"en", std::string(501, 'x')}}}),
        "the en note must be 1 to 500 characters (found 501)");
    EXPECT_EQ(store_->channel_version("nise.referrals", "dhaka-1").first, 0) << "nothing published";
}

TEST_F(NiseTest, TheEmployersListInJsonAndCsvWithFormulasDefused) {
    kiosk("a").queue("nise.referral", referral("DHK1-N261207-A7-0001", "data-entry", login(1)));
    // An opportunity id and a place a spreadsheet would take for formulas.
    kiosk("b", "dhaka-2")
        .queue("nise.referral", referral("MIR1-N261207-C3-0001", "-cmd.calc", login(2),
                                         {{"education", ""},
                                          {"skills", json::array()},
                                          {"languages", json::array()},
                                          {"place", "=HYPERLINK(\"http://x\",\"click\")"}}));
    kiosk("a").push();
    kiosk("b").push();

    const std::vector<nise::Referral> all = nise::referrals(*store_, {});
    ASSERT_EQ(all.size(), 2u);
    const json list = json::parse(nise::referrals_json(all));
    EXPECT_EQ(list[0]["reference"], "DHK1-N261207-A7-0001");
    EXPECT_EQ(list[0]["centre"], "dhaka-1");
    EXPECT_EQ(list[0]["opportunity"], "data-entry");
    EXPECT_EQ(list[0]["kind"], "job");
    EXPECT_EQ(list[0]["status"], "sent");
    EXPECT_EQ(list[0]["answered_at"], nullptr);
    EXPECT_EQ(list[0]["education"], "secondary");
    EXPECT_EQ(list[0]["skills"], json::parse(R"([{"skill": "spreadsheet", "verified": true},
                                                 {"skill": "typing-bangla", "verified": false}])"));
    EXPECT_EQ(list[0]["languages"], json({"bn", "en"}));
    EXPECT_EQ(list[0]["place"], "geo.bd.upazilas/156");
    EXPECT_FALSE(list[0].contains("name")) << "no contacts unless asked";
    EXPECT_FALSE(list[0].contains("phone"));
    EXPECT_THAT(list.dump(), Not(HasSubstr("Rahima")));

    // Filters.
    ASSERT_EQ(nise::referrals(*store_, {"dhaka-2", ""}).size(), 1u);
    ASSERT_EQ(nise::referrals(*store_, {"", "data-entry"}).size(), 1u);
    EXPECT_TRUE(nise::referrals(*store_, {"dhaka-2", "data-entry"}).empty());
    EXPECT_THROW(nise::referrals(*store_, {"nowhere", ""}), Error);
    EXPECT_THROW(nise::referrals(*store_, {"", "Data Entry"}), Error);

    seba::testing::write_file(dir_ / "list.csv", nise::referrals_csv(all, keys_.get()));
    const std::vector<std::vector<std::string>> rows = seba::testing::read_csv(dir_ / "list.csv");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0],
              (std::vector<std::string>{"reference", "centre", "opportunity", "kind", "received_at",
                                        "status", "answered_at", "education", "skills", "languages",
                                        "place", "profile_withdrawn", "name", "phone"}));
    EXPECT_EQ(rows[1][8], "spreadsheet (verified); typing-bangla");
    EXPECT_EQ(rows[1][9], "bn en");
    EXPECT_EQ(rows[1][12], "Rahima Begum") << "--contacts opens the sealed fields";
    EXPECT_EQ(rows[1][13], "'+8801711000001");
    EXPECT_EQ(rows[2][2], "'-cmd.calc");
    EXPECT_EQ(rows[2][10], "'=HYPERLINK(\"http://x\",\"click\")");
    const std::string text = nise::referrals_csv(all);
    EXPECT_THAT(text, HasSubstr("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""));
    EXPECT_THAT(text, HasSubstr("\r\n"));
    EXPECT_THAT(text, Not(HasSubstr("Rahima")));
}

// The real binary, as an administrator runs it, on the database the server wrote.
TEST_F(NiseTest, TheAdminCommandsFromTheCommandLine) {
    kiosk("a").queue("nise.referral", referral("DHK1-N261207-A7-0001", "data-entry", login(1)));
    kiosk("a").push();
    keys_->save(dir_ / "seal-keys.json");
    seba::testing::write_file(dir_ / "seba-server.toml",
                              seba::testing::test_store_config(dir_.path()));
    auto admin = [&](const std::string& args) {
        return seba::testing::run_process(std::string(SEBA_SERVER_BIN) + " --config " +
                                          (dir_ / "seba-server.toml").string() + " admin " + args +
                                          " 2>&1");
    };
    auto answered =
        admin("nise-answer dhaka-1 dhk1-n261207-a7-0001 interview --note 'Sunday 10:00'");
    ASSERT_EQ(answered.exit_code, 0) << answered.output;
    EXPECT_THAT(answered.output, HasSubstr("interview (answered)"));
    kiosk("a").pull("nise.referrals");
    EXPECT_EQ(kiosk("a").record("nise.referrals", "DHK1-N261207-A7-0001")->at("note"),
              json({{"en", "Sunday 10:00"}}));

    auto unknown = admin("nise-answer dhaka-1 DHK1-N261207-A7-9999 interview");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_THAT(
        unknown.output,
        HasSubstr("no referral DHK1-N261207-A7-9999 has been received from centre dhaka-1"));
    EXPECT_NE(admin("nise-answer dhaka-1 DHK1-N261207-A7-0001 hired").exit_code, 0);

    auto listed = admin("nise-referrals --centre dhaka-1");
    ASSERT_EQ(listed.exit_code, 0) << listed.output;
    const json list = json::parse(listed.output);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["status"], "interview");
    auto csv = admin("nise-referrals --format csv --contacts");
    ASSERT_EQ(csv.exit_code, 0) << csv.output;
    EXPECT_THAT(csv.output, HasSubstr("Rahima Begum"));
    EXPECT_EQ(store_->audit_log().back().action, "nise.contacts_opened");
    EXPECT_EQ(store_->audit_log().back().detail, "names and phones of 1 referral(s) opened");
    auto bad = admin("nise-referrals --format xlsx");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_THAT(bad.output, HasSubstr("--format xlsx is not a format: json or csv"));
}

}  // namespace
}  // namespace seba::server
