// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL store's guarantees across several seba-servers (issue 22): two stores, each
// with its own pool (two "servers"), on one real PostgreSQL 15 database. What must hold comes
// from the database, so it holds between them as within one.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <latch>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "pg_pool.hpp"
#include "postgres.hpp"
#include "process.hpp"
#include "seba/error.hpp"
#include "seba/server/store.hpp"
#include "seba/tcv.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace {

namespace pg = seba::server::pg;
using seba::server::ChannelCursor;
using seba::server::ChannelRecord;
using seba::server::Clock;
using seba::server::Device;
using seba::server::EnrollError;
using seba::server::PushOutcome;
using seba::server::Store;
using seba::server::StoredEvent;
using seba::testing::Postgres;
using namespace std::chrono_literals;

std::array<std::uint8_t, 32> key(std::uint8_t seed) {
    std::array<std::uint8_t, 32> k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 7 + i);
    return k;
}

class TwoServers : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = std::make_unique<Postgres>(); }
    static void TearDownTestSuite() { server_.reset(); }
    void SetUp() override {
        static int count = 0;
        const std::string database = "two" + std::to_string(++count);
        server_->superuser_query("CREATE DATABASE " + database + " OWNER " + server_->user(),
                                 "postgres");
        pg::PoolConfig& config = config_;
        config.host = server_->host();
        config.port = server_->port();
        config.database = database;
        config.user = server_->user();
        config.password = server_->password();
        config.sslmode = "disable";
        config.max_connections = 6;
        config.acquire_timeout = 10s;
        // Both start at once on the new database: the migrations run once.
        std::thread other([&] { a_ = seba::server::open_postgres_store(config); });
        b_ = seba::server::open_postgres_store(config);
        other.join();
        a_->create_centre("c1", "Centre One");
    }

    // Runs `each(store, i)` on `threads` threads, alternating between the two servers, all
    // released at once.
    template <typename Fn>
    void race(int threads, Fn each) {
        std::latch start(threads);
        std::vector<std::thread> running;
        for (int i = 0; i < threads; ++i)
            running.emplace_back([&, i] {
                start.arrive_and_wait();
                each(i % 2 == 0 ? *a_ : *b_, i);
            });
        for (std::thread& t : running) t.join();
    }

    static std::unique_ptr<Postgres> server_;
    pg::PoolConfig config_;
    std::unique_ptr<Store> a_, b_;
};
std::unique_ptr<Postgres> TwoServers::server_;

TEST_F(TwoServers, TheSameNonceFromBothAtOnceIsAcceptedOnce) {
    const Device device =
        a_->enroll(a_->create_enrollment_code("c1", 1h, Clock::now()), key(1), Clock::now());
    for (int round = 0; round < 20; ++round) {
        std::atomic<int> accepted = 0;
        const std::string nonce = "nonce-" + std::to_string(round);
        race(8, [&](Store& store, int) {
            const auto now = Clock::now();
            if (store.remember_nonce(device.id, nonce, now, now - 10min)) ++accepted;
        });
        EXPECT_EQ(accepted, 1) << nonce;
    }
    // And a whole signed push: its events are stored by the one that took the nonce.
    std::atomic<int> pushed = 0;
    race(8, [&](Store& store, int) {
        const auto now = Clock::now();
        StoredEvent event;
        event.device = device.id;
        event.centre = "c1";
        event.uuid = "u-push";
        event.type = "intake.request_created";
        event.payload = "{\"n\":1}";
        if (store.push_events_once(device.id, "nonce-push", now, now - 10min, {event})) ++pushed;
    });
    EXPECT_EQ(pushed, 1);
    EXPECT_EQ(b_->event_count(), 1);
}

TEST_F(TwoServers, TheSameEventPushedThroughBothFromManyThreadsIsStoredOnce) {
    constexpr int kThreads = 8, kEvents = 60;
    std::atomic<int> accepted = 0, duplicates = 0, other = 0;
    race(kThreads, [&](Store& store, int) {
        for (int i = 0; i < kEvents; ++i) {
            StoredEvent event;
            event.device = "dev-x";
            event.centre = "c1";
            event.uuid = "u" + std::to_string(i);
            event.type = "intake.request_created";
            event.payload = "{\"i\":" + std::to_string(i) + "}";
            switch (store.push_events({event}).at(0)) {
                case PushOutcome::Accepted:
                    ++accepted;
                    break;
                case PushOutcome::Duplicate:
                    ++duplicates;
                    break;
                default:
                    ++other;
            }
        }
    });
    EXPECT_EQ(accepted, kEvents);
    EXPECT_EQ(duplicates, kEvents * (kThreads - 1));
    EXPECT_EQ(other, 0);
    EXPECT_EQ(a_->event_count(), kEvents);
    EXPECT_EQ(b_->events("c1").size(), static_cast<std::size_t>(kEvents));
}

TEST_F(TwoServers, AReaderPagingWhileTwoServersPublishEndsWithEveryRecord) {
    constexpr int kRounds = 40;
    std::atomic<bool> publishing = true;
    // Two publishers, one per server, each adding its own keys to one channel (keep the rest).
    std::vector<std::thread> publishers;
    for (int p = 0; p < 2; ++p)
        publishers.emplace_back([&, p] {
            Store& store = p == 0 ? *a_ : *b_;
            for (int round = 0; round < kRounds; ++round)
                store.publish("geo.places", "",
                              {ChannelRecord{fmt::format("p{}-{:03}", p, round),
                                             fmt::format("{{\"round\":{}}}", round)}},
                              /*replace=*/false, /*dry_run=*/false);
        });
    // A kiosk pulling from one server, then the other, small pages, while they publish.
    std::set<std::string> seen;
    std::optional<ChannelCursor> cursor;
    std::int64_t last_version = 0;
    int pulls = 0;
    auto pull_once = [&] {
        Store& store = pulls++ % 2 == 0 ? *a_ : *b_;
        seba::server::ChannelPage page = store.changes("geo.places", "c1", cursor, 3, 1 << 20);
        for (const auto& change : page.changes) {
            EXPECT_GT(change.version, last_version) << "versions come in order";
            last_version = change.version;
            if (change.data) seen.insert(change.key);
        }
        cursor = page.next;
        return page.has_more;
    };
    std::thread reader([&] {
        while (publishing) pull_once();
    });
    for (std::thread& t : publishers) t.join();
    publishing = false;
    reader.join();
    while (pull_once()) {
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(2 * kRounds)) << "no version was skipped";
    EXPECT_EQ(a_->channel_version("geo.places").first, 2 * kRounds);
}

TEST_F(TwoServers, OneCodeUsedFromBothAtOnceMakesOneDevice) {
    for (int round = 0; round < 10; ++round) {
        // A centre per round: the losers' attempts count as failures against its limit.
        const std::string centre = "r" + std::to_string(round);
        a_->create_centre(centre, "Round " + centre);
        const std::string code = a_->create_enrollment_code(centre, 1h, Clock::now());
        std::atomic<int> enrolled = 0, refused = 0;
        race(6, [&](Store& store, int i) {
            try {
                store.enroll(code, key(static_cast<std::uint8_t>(round * 10 + i)), Clock::now(),
                             centre);
                ++enrolled;
            } catch (const EnrollError& e) {
                EXPECT_THAT(e.what(), ::testing::HasSubstr("not valid"));
                ++refused;
            }
        });
        EXPECT_EQ(enrolled, 1) << "round " << round;
        EXPECT_EQ(refused, 5);
    }
    EXPECT_EQ(b_->devices().size(), 10u);
}

// ---- A batch as the SQLite store takes it ------------------------------------------------------

StoredEvent pushed(const std::string& uuid, const std::string& type, const std::string& payload) {
    StoredEvent e;
    e.device = "dev-mix";
    e.centre = "c1";
    e.uuid = uuid;
    e.type = type;
    e.payload = payload;
    e.received_at = "2026-12-07T10:00:00.000Z";
    return e;
}

std::string delivered(const std::string& tracking) {
    const seba::tcv::Delivered d{
        tracking, "birth_registration", "2026-12-07T09:00:00Z", "2026-12-07T09:20:00Z", 50, "BDT"};
    return nlohmann::json{{"service", d.service}, {"tcv", seba::tcv::delivered_member(d)}}.dump();
}

std::string survey(const std::string& tracking) {
    seba::tcv::Survey s;
    s.tracking = tracking;
    s.service = "birth_registration";
    s.currency = "BDT";
    s.language = "bn";
    s.visits = 2;
    s.rating = 4;
    return seba::tcv::survey_payload(s).dump();
}

std::vector<std::string> names(const std::vector<PushOutcome>& outcomes) {
    static const char* kNames[] = {"accepted", "duplicate", "conflict", "rejected"};
    std::vector<std::string> out;
    for (PushOutcome o : outcomes) out.push_back(kNames[static_cast<int>(o)]);
    return out;
}

// What the store gives back of a centre's events.
std::vector<std::string> stored_lines(Store& store) {
    std::vector<std::string> out;
    for (const StoredEvent& e : store.events("c1"))
        out.push_back(fmt::format(
            "{} {} {} {} created {} checked {} citizen {}", e.device, e.uuid, e.type, e.payload,
            e.created_at, e.clock_checked ? (*e.clock_checked ? "yes" : "no") : "-", e.citizen));
    std::sort(out.begin(), out.end());
    return out;
}

// A fifty-event push mixing plain events (one statement), events a check looks at (each in
// a savepoint), duplicates and conflicts with stored events and within the batch, rejected
// events and a survey of a service sent earlier in the same batch: per event, what the SQLite
// store answers; stored, what the SQLite store stores; of a rejected event, nothing.
TEST_F(TwoServers, AMixedBatchHasTheSqliteStoresOutcomesEventByEvent) {
    seba::testing::TempDir dir;
    std::unique_ptr<Store> sqlite = seba::server::open_sqlite_store(dir.path() / "server.db");
    sqlite->create_centre("c1", "Centre One");
    std::vector<Store*> stores = {sqlite.get(), a_.get()};
    const auto now = Clock::now();

    // Stored before: two plain events and a service delivered.
    const std::vector<StoredEvent> before = {pushed("old-1", "intake.request_created", "{\"n\":1}"),
                                             pushed("old-2", "intake.request_created", "{\"n\":2}"),
                                             pushed("old-svc", "dc.request", delivered("T-OLD"))};
    for (Store* store : stores)
        ASSERT_EQ(names(*store->push_events_once("dev-mix", "n-before", now, now - 10min, before)),
                  std::vector<std::string>(3, "accepted"));

    std::vector<StoredEvent> batch;
    std::vector<std::string> expected;
    auto add = [&](StoredEvent e, const char* outcome) {
        batch.push_back(std::move(e));
        expected.push_back(outcome);
    };
    for (int i = 0; i < 12; ++i)
        add(pushed(
                fmt::format("plain-{}", i), "intake.request_created",
                fmt::format("{{\"i\":{},\"note\":\"a \\\"quoted\\\" \\\\ {{brace}}, comma\"}}", i)),
            "accepted");
    add(pushed("old-1", "intake.request_created", "{\"n\":1}"), "duplicate");
    add(pushed("old-2", "intake.request_created", "{\"n\":222}"), "conflict");
    add(pushed("old-svc", "dc.request", delivered("T-OLD")), "duplicate");
    add(pushed("svc-1", "dc.request", delivered("T-1")), "accepted");
    for (int i = 12; i < 20; ++i)
        add(pushed(fmt::format("plain-{}", i), "intake.request_created",
                   fmt::format("{{\"i\":{}}}", i)),
            "accepted");
    // The service above, sent earlier in this batch; and the one stored before.
    add(pushed("survey-1", "tcv.survey", survey("T-1")), "accepted");
    add(pushed("survey-old", "tcv.survey", survey("T-OLD")), "accepted");
    // Rejected: a survey of no service, a "tcv" member that is no service delivered, a NISE
    // profile whose login is no hash.
    add(pushed("survey-none", "tcv.survey", survey("T-NONE")), "rejected");
    add(pushed("bad-tcv", "dc.request", "{\"tcv\":{\"tracking\":\"x\"}}"), "rejected");
    add(pushed("bad-nise", "nise.profile_saved",
               "{\"login\":\"ABC\",\"box\":\"Ym94\",\"saved_at\":\"2026-12-07T09:00:00Z\"}"),
        "rejected");
    // A rejected event leaves nothing: its id is free for the next one.
    add(pushed("bad-nise", "intake.request_created", "{\"after\":\"rejected\"}"), "accepted");
    // Within the batch: the same event again, and another one under a plain event's id.
    add(pushed("plain-3", "intake.request_created",
               "{\"i\":3,\"note\":\"a \\\"quoted\\\" \\\\ {brace}, comma\"}"),
        "duplicate");
    add(pushed("plain-4", "intake.other_type",
               "{\"i\":4,\"note\":\"a \\\"quoted\\\" \\\\ {brace}, comma\"}"),
        "conflict");
    // A checked event under the id of a plain one pushed before it: the plain one was stored
    // first, so this is a conflict, and a survey of its service finds none.
    add(pushed("shared-id", "intake.request_created", "{\"first\":true}"), "accepted");
    add(pushed("shared-id", "dc.request", delivered("T-2")), "conflict");
    add(pushed("survey-2", "tcv.survey", survey("T-2")), "rejected");
    // A MuktoPaath event the projection cannot read: stored, left out of the learners.
    add(pushed("mp-1", "muktopaath.page_viewed", "{\"learner\":\"nobody\"}"), "accepted");
    add(pushed("svc-1", "dc.request", delivered("T-1")), "duplicate");
    while (batch.size() < 50)
        add(pushed(fmt::format("tail-{}", batch.size()), "intake.request_created",
                   fmt::format("{{\"tail\":{},\"created\":null}}", batch.size())),
            "accepted");
    batch[45].created_at = "2026-12-07T09:59:00.000Z";
    batch[46].clock_checked = true;
    batch[47].citizen = "c0ffee";

    std::vector<std::vector<std::string>> outcomes;
    for (Store* store : stores) {
        std::optional<std::vector<PushOutcome>> got =
            store->push_events_once("dev-mix", "n-batch", now, now - 10min, batch);
        ASSERT_TRUE(got);
        outcomes.push_back(names(*got));
    }
    EXPECT_EQ(outcomes[0], expected) << "the SQLite store";
    EXPECT_EQ(outcomes[1], outcomes[0]) << "the PostgreSQL store, event by event";
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (expected[i] == "rejected") {
            EXPECT_EQ(a_->why_rejected(batch[i]), sqlite->why_rejected(batch[i])) << i;
        }
    }
    EXPECT_EQ(stored_lines(*a_), stored_lines(*sqlite));
    const std::vector<std::string> lines = stored_lines(*a_);
    for (const char* gone : {"survey-none", "bad-tcv", "nise.profile_saved"})
        EXPECT_TRUE(std::none_of(lines.begin(), lines.end(),
                                 [&](const std::string& l) { return l.find(gone) != l.npos; }))
            << gone << " was rejected: nothing of it is stored";
    EXPECT_EQ(a_->event_count(), sqlite->event_count());
    EXPECT_EQ(a_->event_count(), 3 + std::count(expected.begin(), expected.end(), "accepted"));

    // The same push again (a new nonce: the kiosk's retry): nothing new anywhere; the same
    // nonce again: a replay on both.
    for (Store* store : stores) {
        std::optional<std::vector<PushOutcome>> again =
            store->push_events_once("dev-mix", "n-retry", now, now - 10min, batch);
        ASSERT_TRUE(again);
        EXPECT_EQ(names(*again),
                  names(*store->push_events_once("dev-mix", "n-retry-2", now, now - 10min, batch)));
        EXPECT_FALSE(store->push_events_once("dev-mix", "n-batch", now, now - 10min, batch));
    }
    EXPECT_EQ(stored_lines(*a_), stored_lines(*sqlite));

    // A push of plain events only (PostgreSQL: one statement), with a duplicate, a conflict
    // and the same event twice: the same outcomes.
    std::vector<StoredEvent> plain = {
        pushed("p-new", "intake.request_created", "{\"a\":1}"),
        pushed("plain-0", "intake.request_created",
               "{\"i\":0,\"note\":\"a \\\"quoted\\\" \\\\ {brace}, comma\"}"),
        pushed("plain-1", "intake.request_created", "{\"i\":\"changed\"}"),
        pushed("p-new", "intake.request_created", "{\"a\":1}"),
        pushed("p-new", "intake.request_created", "{\"a\":2}"),
        pushed("p-new-2", "intake.request_created", "{\"a\":3}")};
    plain[5].created_at = "2026-12-07T09:58:00.000Z";
    plain[5].clock_checked = false;
    plain[5].citizen = "beef";
    for (Store* store : stores) {
        std::optional<std::vector<PushOutcome>> got =
            store->push_events_once("dev-mix", "n-plain", now, now - 10min, plain);
        ASSERT_TRUE(got);
        EXPECT_EQ(names(*got), (std::vector<std::string>{"accepted", "duplicate", "conflict",
                                                         "duplicate", "conflict", "accepted"}));
        EXPECT_FALSE(store->push_events_once("dev-mix", "n-plain", now, now - 10min, plain))
            << "its nonce again: a replay, nothing stored";
    }
    EXPECT_EQ(stored_lines(*a_), stored_lines(*sqlite));
}

// A server admits no more pushes at once than its pool has connections, whatever
// max_pushes_in_flight says: the others are turned away at once with a Retry-After instead of
// waiting for a connection and failing as store_unavailable. Tried: four pushes at once at a
// server with two connections while the database holds them (a lock, as a long backup would).
TEST_F(TwoServers, PushesBeyondThePoolsConnectionsAreTurnedAwayAtOnce) {
    pg::PoolConfig narrow = config_;
    narrow.max_connections = 2;
    narrow.acquire_timeout = 10s;  // a push wrongly admitted would wait this long
    std::unique_ptr<Store> store = seba::server::open_postgres_store(narrow);
    seba::server::ServerOptions options;
    ASSERT_EQ(options.max_pushes_in_flight, 64) << "the default, far above the pool";
    seba::server::RunningServer server(*store, options);  // four workers
    EXPECT_THAT(server.metrics(), ::testing::HasSubstr("\nseba_push_limit 2\n"));
    std::vector<seba::server::HerdKiosk> herd(4);
    for (std::size_t i = 0; i < herd.size(); ++i) {
        const std::string code = a_->create_enrollment_code("c1", 1h, Clock::now());
        herd[i].device = a_->enroll(code, herd[i].key.public_key, Clock::now(), "c1").id;
        herd[i].centre = "c1";
        herd[i].uuid = fmt::format("00000000-0000-4000-8000-{:012}", i);
    }

    pqxx::connection holder(server_->superuser_uri(config_.database));
    auto lock = std::make_unique<pqxx::work>(holder);
    lock->exec("LOCK TABLE server__nonces IN EXCLUSIVE MODE");
    seba::server::PushesAtOnce pushes(herd, server.port());
    EXPECT_EQ(pushes.turned_away(2, 5s), 2)
        << "two pushes past two connections are refused at once";
    lock->abort();
    const std::vector<seba::server::PushAnswer>& answers = pushes.answers();

    int stored = 0;
    for (const seba::server::PushAnswer& answer : answers) {
        if (answer.status == 200) {
            ++stored;
            continue;
        }
        EXPECT_EQ(answer.status, 503);
        EXPECT_THAT(answer.body, ::testing::HasSubstr("\"error\":\"busy\""));
        EXPECT_FALSE(answer.retry_after.empty());
    }
    EXPECT_EQ(stored, 2);
    for (std::size_t i = 0; i < herd.size(); ++i) {
        if (answers[i].status == 503) {
            EXPECT_EQ(herd[i].push(server.port()).status, 200);
        }
    }
    EXPECT_EQ(store->event_count(), 4) << "every event once, none lost";
}

}  // namespace

namespace {

// The operator's side: seba-server's config chooses PostgreSQL, and its admin commands and
// the server use that database; a password file others may read is refused.
class PostgresConfig : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = std::make_unique<Postgres>(); }
    static void TearDownTestSuite() { server_.reset(); }

    std::filesystem::path write_config(::mode_t password_mode) {
        const std::filesystem::path password = dir_ / "pg-password";
        std::ofstream(password) << server_->password() << "\n";
        std::filesystem::permissions(password, static_cast<std::filesystem::perms>(password_mode));
        const std::filesystem::path config = dir_ / "seba-server.toml";
        std::ofstream(config) << fmt::format(
            "[server]\nlog_dir = \"logs\"\n[store]\nengine = \"postgresql\"\n[postgresql]\n"
            "host = \"127.0.0.1\"\nport = {}\ndatabase = \"{}\"\nuser = \"{}\"\n"
            "password_file = \"pg-password\"\nsslmode = \"disable\"\nmax_connections = 2\n",
            server_->port(), server_->database(), server_->user());
        return config;
    }

    seba::testing::ProcessResult admin(const std::filesystem::path& config,
                                       const std::string& args) {
        return seba::testing::run_process(
            fmt::format("{} --config {} admin {} 2>&1", SEBA_SERVER_BIN, config.string(), args));
    }

    static std::unique_ptr<Postgres> server_;
    seba::testing::TempDir dir_;
};
std::unique_ptr<Postgres> PostgresConfig::server_;

TEST_F(PostgresConfig, AdminCommandsUseTheDatabaseTheConfigNames) {
    const std::filesystem::path config = write_config(0600);
    const seba::testing::ProcessResult made = admin(config, "create-centre pg-1 \"PG centre\"");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    EXPECT_EQ(server_->superuser_query("SELECT name FROM server__centres WHERE id = 'pg-1'"),
              "PG centre");
    const seba::testing::ProcessResult code = admin(config, "enroll-code pg-1");
    EXPECT_EQ(code.exit_code, 0) << code.output;
    EXPECT_FALSE(std::filesystem::exists(dir_ / "server.db")) << "no SQLite file on the side";
}

TEST_F(PostgresConfig, APasswordFileOthersMayReadIsRefusedAndNotShown) {
    const std::filesystem::path config = write_config(0644);
    const seba::testing::ProcessResult refused = admin(config, "create-centre pg-2 \"PG two\"");
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_THAT(refused.output, ::testing::HasSubstr("postgresql.password_file"));
    EXPECT_THAT(refused.output, ::testing::HasSubstr("0600"));
    EXPECT_THAT(refused.output, ::testing::Not(::testing::HasSubstr(server_->password())));
    EXPECT_THAT(refused.output, ::testing::Not(::testing::HasSubstr("created")));
}

}  // namespace
