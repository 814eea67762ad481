// SPDX-License-Identifier: Apache-2.0
// Moving a pilot's server from SQLite to PostgreSQL (issue 22): `seba-server admin
// copy-store` from a real SQLite store, filled through the protocol and the Store API, into a
// real PostgreSQL 15; then what kiosks, operators and the dashboard notice on the new store.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pg_pool.hpp"
#include "postgres.hpp"
#include "process.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/server/dashboard.hpp"
#include "seba/server/store.hpp"
#include "seba/storage.hpp"
#include "seba/sync_client.hpp"
#include "seba/tcv.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace {

namespace server = seba::server;
using json = nlohmann::json;
using seba::testing::Postgres;
using server::Clock;
using server::PushOutcome;
using server::StoredEvent;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr const char* kPassword = "correct horse battery";

std::array<std::uint8_t, 32> key(std::uint8_t seed) {
    std::array<std::uint8_t, 32> k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 11 + i);
    return k;
}

StoredEvent event_of(const server::Device& device, int n, std::string type, std::string payload,
                     std::string received_at) {
    StoredEvent e;
    e.device = device.id;
    e.centre = device.centre;
    e.uuid = fmt::format("00000000-0000-4000-8000-{:012d}", n);
    e.type = std::move(type);
    e.payload = std::move(payload);
    e.received_at = std::move(received_at);
    e.created_at = e.received_at;
    e.clock_checked = n % 2 == 0;
    return e;
}

std::string saved(const std::string& login, const std::string& at) {
    return json{{"login", login},
                {"box", "Ym94"},
                {"saved_at", at},
                {"sealed", {{"v", 1}, {"kid", "k1"}, {"nonce", "bm9uY2U="}, {"box", "c2VhbA=="}}}}
        .dump();
}

std::string referral(const std::string& reference, const std::string& login) {
    return json{{"reference", reference},
                {"opportunity", "garments.operator"},
                {"kind", "job"},
                {"login", login},
                {"profile",
                 {{"education", "secondary"},
                  {"skills", json::array({{{"skill", "sewing"}, {"verified", true}}})},
                  {"languages", json::array({"bn", "en"})},
                  {"place", "কুমিল্লা"}}},
                {"sealed", {{"v", 1}, {"kid", "k1"}, {"nonce", "bm9uY2U="}, {"box", "c2VhbA=="}}}}
        .dump();
}

std::vector<std::string> referral_lines(const std::vector<server::nise::Referral>& list) {
    std::vector<std::string> out;
    for (const server::nise::Referral& r : list)
        out.push_back(fmt::format("{} {} {} {} {} {} {}", r.centre, r.reference, r.opportunity,
                                  r.received_at, r.status, r.answered_at, r.payload));
    return out;
}

std::vector<std::string> audit_lines(server::Store& store) {
    std::vector<std::string> out;
    for (const server::AuditEntry& a : store.audit_log())
        out.push_back(fmt::format("{} {} {} {} {}", a.seq, a.at, a.actor, a.action, a.detail));
    return out;
}

class CopyStore : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { postgres_ = std::make_unique<Postgres>(); }
    static void TearDownTestSuite() { postgres_.reset(); }

    // A new database and a seba-server.toml that names it.
    std::filesystem::path new_target(const std::string& database) {
        postgres_->superuser_query("CREATE DATABASE " + database + " OWNER " + postgres_->user(),
                                   "postgres");
        std::ofstream(dir_ / "pg-password") << postgres_->password() << "\n";
        std::filesystem::permissions(dir_ / "pg-password", std::filesystem::perms::owner_read |
                                                               std::filesystem::perms::owner_write);
        const std::filesystem::path config = dir_ / (database + ".toml");
        std::ofstream(config) << fmt::format(
            "[server]\nlog_dir = \"logs\"\n[store]\nengine = \"postgresql\"\n[postgresql]\n"
            "host = \"127.0.0.1\"\nport = {}\ndatabase = \"{}\"\nuser = \"{}\"\n"
            "password_file = \"pg-password\"\nsslmode = \"disable\"\nmax_connections = 4\n",
            postgres_->port(), database, postgres_->user());
        pg_.host = postgres_->host();
        pg_.port = postgres_->port();
        pg_.database = database;
        pg_.user = postgres_->user();
        pg_.password = postgres_->password();
        pg_.sslmode = "disable";
        return config;
    }

    seba::testing::ProcessResult copy(const std::filesystem::path& config,
                                      const std::filesystem::path& from) {
        return seba::testing::run_process(
            fmt::format("{} --config {} admin copy-store --from {} 2>&1", SEBA_SERVER_BIN,
                        config.string(), from.string()));
    }

    std::string count(const std::string& database, const std::string& table) {
        return postgres_->superuser_query("SELECT count(*) FROM " + table, database);
    }

    static std::unique_ptr<Postgres> postgres_;
    seba::testing::TempDir dir_;
    server::pg::PoolConfig pg_;
};
std::unique_ptr<Postgres> CopyStore::postgres_;

TEST_F(CopyStore, APilotsStoreMovesWholeAndItsKiosksCarryOnWithChangesOnly) {
    ASSERT_GE(sodium_init(), 0);
    const std::filesystem::path db_file = dir_ / "server.db";
    auto sqlite = server::open_sqlite_store(db_file);

    // Centres, one with its place; codes used and unused; a failed enrollment.
    sqlite->create_centre("dhaka-1", "Dhaka Union Digital Centre");
    sqlite->create_centre("comilla-2", "Comilla Centre");
    sqlite->set_centre_place("dhaka-1", "Dhaka", "Dhaka North");
    sqlite->create_enrollment_code("comilla-2", 24h, Clock::now());
    EXPECT_THROW(sqlite->enroll("AAAA-BBBBB", key(9), Clock::now(), "comilla-2"),
                 server::EnrollError);

    // Channels: one for every centre with a tombstone and a compaction horizon, one per centre.
    const std::vector<server::ChannelRecord> services = {
        {"service/a", R"({"n":1})"}, {"service/b", R"({"n":2})"}, {"service/c", R"({"n":3})"}};
    sqlite->publish("dc.services", "", services, false, false);
    sqlite->publish("centre.notices", "dhaka-1", {{"notice/1", R"({"t":"হ্যালো"})"}}, false, false);

    // A real kiosk, enrolled and syncing through the protocol.
    seba::Database kiosk_db = seba::Database::open(dir_ / "kiosk.db");
    seba::migrate_core(kiosk_db);
    seba::Manifest manifest = seba::parse_manifest(
        R"({"id": "dc", "version": "1.0.0", "api": "1.0", "names": {"en": "DC"},
            "capabilities": ["storage", "outbox"], "events": ["dc.request_created"]})",
        "dc/manifest.json");
    seba::PluginStore dc{kiosk_db, manifest};
    auto request = [&](const std::string& service) {
        dc.transaction([&] { dc.emit("dc.request_created", {{"service", service}, {"fee", 50}}); });
    };
    seba::SyncOptions options;
    options.device_key_file = dir_ / "device.key";
    options.total_timeout_ms = 5000;
    {
        server::RunningServer running(*sqlite);
        options.server_url = running.url();
        seba::SyncClient kiosk(kiosk_db, options);
        kiosk.enroll(sqlite->create_enrollment_code("dhaka-1", 1h, Clock::now()), "dhaka-1");
        request("birth_registration");
        request("land_record");
        EXPECT_EQ(kiosk.push_outbox().accepted, 2);
        EXPECT_TRUE(kiosk.pull("dc.services").snapshot);
        EXPECT_EQ(kiosk.pull("centre.notices").upserts, 1);
        sqlite->publish("dc.services", "", {services[0], {"service/b", R"({"n":22})"}}, true,
                        false);  // b changed, c a tombstone
        const auto pulled = kiosk.pull("dc.services");
        EXPECT_FALSE(pulled.snapshot);
        EXPECT_EQ(pulled.upserts + pulled.deletes, 2);
    }
    sqlite->compact("dc.services", sqlite->channel_version("dc.services").first);

    // Devices enrolled through the Store, one revoked; events of every projection.
    const server::Device d1 =
        sqlite->enroll(sqlite->create_enrollment_code("dhaka-1", 1h, Clock::now()), key(1),
                       Clock::now(), "dhaka-1");
    const server::Device d2 =
        sqlite->enroll(sqlite->create_enrollment_code("comilla-2", 1h, Clock::now()), key(2),
                       Clock::now(), "comilla-2");
    sqlite->revoke(d2.id);
    const std::string login(64, 'a'), other_login(64, 'b'), learner(32, '1'), waiting(32, '2');
    seba::tcv::Delivered delivered{
        "TR-1", "birth_registration", "2026-11-02T09:00:00Z", "2026-11-02T09:20:00Z", 50, "BDT"};
    seba::tcv::Survey survey;
    survey.tracking = "TR-1";
    survey.service = "birth_registration";
    survey.currency = "BDT";
    survey.language = "bn";
    survey.visits = 2;
    survey.rating = 4;
    int n = 0;
    std::vector<StoredEvent> events = {
        event_of(
            d1, ++n, "dc.request",
            json{{"service", "birth_registration"}, {"tcv", seba::tcv::delivered_member(delivered)}}
                .dump(),
            "2026-11-02T10:00:00.000Z"),
        event_of(d1, ++n, "tcv.survey", seba::tcv::survey_payload(survey).dump(),
                 "2026-11-02T10:00:00.000Z"),
        event_of(d1, ++n, "civil_service.grievance",
                 R"({"reference":"G-1","category":"fees","service":"land_record"})",
                 "2026-11-03T10:00:00.000Z"),
        event_of(d1, ++n, "muktopaath.enrolled",
                 json{{"learner", learner},
                      {"login", login},
                      {"box", "Ym94"},
                      {"course", "excel-basics"},
                      {"version", "1.9"}}
                     .dump(),
                 "2026-11-04T10:00:00.000Z"),
        event_of(d1, ++n, "muktopaath.progress",
                 json{{"learner", learner},
                      {"course", "excel-basics"},
                      {"version", "1.9"},
                      {"lesson", "l1"},
                      {"page", 3},
                      {"done", false}}
                     .dump(),
                 "2026-11-04T10:01:00.000Z"),
        // A learner whose enrolment has not come: it waits.
        event_of(d1, ++n, "muktopaath.progress",
                 json{{"learner", waiting},
                      {"course", "excel-basics"},
                      {"version", "1.9"},
                      {"lesson", "l1"},
                      {"page", 1},
                      {"done", false}}
                     .dump(),
                 "2026-11-04T10:02:00.000Z"),
        event_of(d1, ++n, "nise.profile_saved", saved(login, "2026-11-05T09:00:00Z"),
                 "2026-11-05T10:00:00.000Z"),
        event_of(d1, ++n, "nise.referral", referral("REF-1", login), "2026-11-05T10:01:00.000Z"),
        event_of(d1, ++n, "nise.profile_saved", saved(other_login, "2026-11-05T09:00:00Z"),
                 "2026-11-05T10:02:00.000Z"),
        event_of(d1, ++n, "nise.profile_withdrawn", json{{"login", other_login}}.dump(),
                 "2026-11-05T10:03:00.000Z"),
    };
    events[0].citizen = std::string(64, 'f');  // a citizen's hash, purged below
    events[2].citizen = std::string(64, 'e');
    const auto outcomes = sqlite->push_events_once(d1.id, "nonce-before-the-move", Clock::now(),
                                                   Clock::now() - 1h, events);
    ASSERT_TRUE(outcomes);
    for (const PushOutcome outcome : *outcomes) EXPECT_EQ(outcome, PushOutcome::Accepted);
    sqlite->set_nise_referral_status("dhaka-1", "REF-1", "shortlisted", "2026-11-06T10:00:00Z");
    EXPECT_GE(sqlite->purge_citizen_data("2026-11-03", "tester"), 1);

    // Revoked credentials, the dashboard's user, session and failures, audit lines.
    sqlite->revoke_credential("0123456789abcdef");
    server::create_dashboard_user(*sqlite, "pilot", kPassword);
    sqlite->add_dashboard_session("session-hash", {"pilot", "csrf-token", Clock::now() + 1h},
                                  Clock::now());
    sqlite->add_login_failure("192.0.2.7", "pilot", Clock::now());
    sqlite->audit("tester", "events.opened", "dhaka-1");

    // What users see before the move.
    server::EvidenceFilter everything;
    const std::string evidence_before =
        server::evidence_csv(sqlite->evidence(server::EvidenceLevel::Centre, everything));
    const auto referrals_before = referral_lines(sqlite->nise_referrals("", ""));
    const auto audit_before = audit_lines(*sqlite);
    const auto devices_before = sqlite->devices().size();
    ASSERT_NE(evidence_before.find("birth_registration"), std::string::npos);
    ASSERT_EQ(referrals_before.size(), 1u);
    sqlite.reset();  // the pilot's server is stopped

    const std::filesystem::path config = new_target("moved");
    const seba::testing::ProcessResult copied = copy(config, db_file);
    ASSERT_EQ(copied.exit_code, 0) << copied.output;
    EXPECT_THAT(copied.output, HasSubstr("copied and verified"));
    EXPECT_THAT(copied.output, HasSubstr("server__nise_referrals"));
    EXPECT_THAT(copied.output, HasSubstr("server__muktopaath_waiting"));
    EXPECT_THAT(copied.output, ::testing::Not(HasSubstr(postgres_->password())));
    EXPECT_EQ(count("moved", "server__events"), "12");
    EXPECT_EQ(count("moved", "server__muktopaath_waiting"), "1");

    auto moved = server::open_postgres_store(pg_);
    // The audit log is the same, plus the copy (the file and counts, nothing of citizens).
    auto audit_after = audit_lines(*moved);
    ASSERT_EQ(audit_after.size(), audit_before.size() + 1);
    EXPECT_EQ(std::vector(audit_after.begin(), audit_after.end() - 1), audit_before);
    const server::AuditEntry copied_entry = moved->audit_log().back();
    EXPECT_EQ(copied_entry.action, "store.copied");
    EXPECT_THAT(copied_entry.detail, HasSubstr(db_file.string()));
    EXPECT_THAT(copied_entry.detail, HasSubstr("events 12"));
    EXPECT_THAT(copied_entry.detail, ::testing::Not(HasSubstr(std::string(64, 'e'))));
    // The evidence, the referrals (with their answer), the devices: as before.
    EXPECT_EQ(server::evidence_csv(moved->evidence(server::EvidenceLevel::Centre, everything)),
              evidence_before);
    EXPECT_EQ(referral_lines(moved->nise_referrals("", "")), referrals_before);
    EXPECT_EQ(moved->devices().size(), devices_before);
    EXPECT_TRUE(moved->device(d2.id)->revoked);
    EXPECT_TRUE(moved->credential_revoked("0123456789abcdef"));
    // The dashboard user signs in with the same password; the open session goes on.
    const auto hash = moved->dashboard_password_hash("pilot");
    ASSERT_TRUE(hash);
    EXPECT_EQ(crypto_pwhash_str_verify(hash->c_str(), kPassword, std::strlen(kPassword)), 0);
    EXPECT_TRUE(moved->dashboard_session("session-hash", Clock::now()));
    EXPECT_EQ(moved->login_failures("192.0.2.7", "pilot", Clock::now() - 1h).first.count, 1);

    // A replayed request is still refused; an event sent again is a duplicate; the events'
    // order carries on past the copied ones.
    EXPECT_FALSE(moved->push_events_once(d1.id, "nonce-before-the-move", Clock::now(),
                                         Clock::now() - 1h, {events[1]}));
    EXPECT_EQ(moved->push_event(events[3]), PushOutcome::Duplicate);
    StoredEvent later =
        event_of(d1, ++n, "dc.request", R"({"service":"x"})", "2026-11-07T10:00:00.000Z");
    EXPECT_EQ(moved->push_event(later), PushOutcome::Accepted);
    EXPECT_EQ(postgres_->superuser_query(
                  "SELECT uuid FROM server__events ORDER BY seq DESC LIMIT 1", "moved"),
              later.uuid);
    EXPECT_EQ(postgres_->superuser_query("SELECT count(DISTINCT seq) FROM server__events", "moved"),
              "13");

    // The kiosk enrolled before the move pushes and pulls on: changes only, no snapshot.
    moved->publish("dc.services", "", {{"service/d", R"({"n":4})"}}, false, false);
    {
        server::RunningServer running(*moved);
        options.server_url = running.url();
        seba::SyncClient kiosk(kiosk_db, options);
        request("trade_licence");
        const auto pushed = kiosk.push_outbox();
        EXPECT_EQ(pushed.accepted, 1);
        EXPECT_EQ(pushed.conflicts, 0);
        const auto pulled = kiosk.pull("dc.services");
        EXPECT_FALSE(pulled.snapshot);
        EXPECT_EQ(pulled.upserts, 1);
        EXPECT_EQ(pulled.deletes, 0);
        const auto notices = kiosk.pull("centre.notices");
        EXPECT_FALSE(notices.snapshot);
        EXPECT_FALSE(notices.changed());
    }
}

TEST_F(CopyStore, NeverMergesAndNeverLeavesATableBehind) {
    const std::filesystem::path db_file = dir_ / "server.db";
    server::open_sqlite_store(db_file)->create_centre("dhaka-1", "Dhaka Union Digital Centre");

    const std::filesystem::path config = new_target("second");
    ASSERT_EQ(copy(config, db_file).exit_code, 0);
    // Into a store that holds data already: refused, and nothing changes.
    const seba::testing::ProcessResult again = copy(config, db_file);
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_THAT(again.output, HasSubstr("not empty"));
    EXPECT_THAT(again.output, HasSubstr("server__centres (1 rows)"));
    EXPECT_EQ(count("second", "server__centres"), "1");
    EXPECT_EQ(count("second", "server__audit"), "1");

    // A table this seba-server does not know: the copy fails naming it, nothing is copied.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db_file.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE server__future_things (id TEXT)", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
    const std::filesystem::path fresh = new_target("third");
    const seba::testing::ProcessResult unknown = copy(fresh, db_file);
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_THAT(unknown.output, HasSubstr("server__future_things"));
    EXPECT_EQ(postgres_->superuser_query("SELECT to_regclass('server__centres') IS NULL", "third"),
              "t")
        << "the source is refused before the target is touched";
}

}  // namespace
