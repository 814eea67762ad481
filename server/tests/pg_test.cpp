// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL foundations of seba-server (issue 22): the connection pool and the schema
// migrations, against a real PostgreSQL 15 started for the tests on loopback.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "pg_migrations.hpp"
#include "pg_pool.hpp"
#include "postgres.hpp"
#include "process.hpp"
#include "seba/error.hpp"

namespace {

namespace pg = seba::server::pg;
using seba::testing::Postgres;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

pg::PoolConfig config_for(const Postgres& server, const std::string& database = "") {
    pg::PoolConfig config;
    config.host = server.host();
    config.port = server.port();
    config.database = database.empty() ? server.database() : database;
    config.user = server.user();
    config.password = server.password();
    config.sslmode = "disable";
    config.min_connections = 1;
    config.max_connections = 4;
    config.acquire_timeout = 5s;
    config.connect_timeout = 5s;
    config.statement_timeout = 10s;
    return config;
}

int backend_pid(pg::Pool& pool) {
    return pool.with_transaction(
        [](pqxx::work& tx) { return tx.exec("SELECT pg_backend_pid()")[0][0].as<int>(); });
}

/// What an operator would see, with the places it names, and never the password.
void expect_names_database_not_password(const std::string& message, const Postgres& server,
                                        const std::string& password,
                                        const std::string& database = "") {
    EXPECT_THAT(message, HasSubstr("127.0.0.1:" + std::to_string(server.port())));
    EXPECT_THAT(message,
                HasSubstr("database " + (database.empty() ? server.database() : database)));
    EXPECT_THAT(message, HasSubstr("user " + server.user()));
    EXPECT_THAT(message, Not(HasSubstr(password)));
}

/// True while process `pid` runs (not yet exited, or exited but not reaped: a zombie).
bool process_runs(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const std::size_t close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

/// Ends a backend as an operator (or a failover) would, and waits until its process has
/// exited, so its socket is closed (a backend leaves pg_stat_activity a moment before).
void terminate_backend(const Postgres& server, int pid) {
    EXPECT_EQ(server.superuser_query("SELECT pg_terminate_backend(" + std::to_string(pid) + ")"),
              "t");
    for (int i = 0; i < 3000 && process_runs(pid); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_FALSE(process_runs(pid)) << "backend " << pid << " did not end";
}

// One server for the tests that leave it running; each test gets a database of its own.
class PgTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = std::make_unique<Postgres>(); }
    static void TearDownTestSuite() { server_.reset(); }
    void SetUp() override {
        // The first test uses the server's own database (under ctest, each test is a process
        // of its own and the only one); later ones in the same process get a fresh one.
        static int count = 0;
        if (++count == 1) {
            database_ = server_->database();
            return;
        }
        database_ = "t" + std::to_string(count);
        server_->superuser_query("CREATE DATABASE " + database_ + " OWNER " + server_->user(),
                                 "postgres");
    }
    pg::PoolConfig config() const { return config_for(*server_, database_); }
    const Postgres& server() const { return *server_; }
    std::string query(const std::string& sql) const {
        return server_->superuser_query(sql, database_);
    }

    static std::unique_ptr<Postgres> server_;
    std::string database_;
};
std::unique_ptr<Postgres> PgTest::server_;

TEST(Postgres, RunsWithFsyncInAPrivateDirectoryRemovedAfterwards) {
    std::filesystem::path directory;
    {
        Postgres server;
        directory = server.directory();
        struct stat data {};
        ASSERT_EQ(::stat(server.data_dir().c_str(), &data), 0);
        EXPECT_EQ(data.st_mode & 0777, 0700u);
        EXPECT_EQ(server.superuser_query("SHOW fsync"), "on");
        EXPECT_EQ(server.superuser_query("SHOW synchronous_commit"), "on");
        // The test's own role logs in with its password over TCP, to its own database.
        pg::Pool pool(config_for(server));
        EXPECT_EQ(pool.with_transaction([](pqxx::work& tx) {
            return tx.exec("SELECT current_user || '@' || current_database()")[0][0]
                .as<std::string>();
        }),
                  "seba_test@seba_test");
    }
    EXPECT_FALSE(std::filesystem::exists(directory));
}

TEST(PgConfig, RefusesValuesOutOfRangeNamingTheKey) {
    pg::PoolConfig config;
    config.max_connections = 0;
    EXPECT_THROW(
        {
            try {
                config.validate();
            } catch (const seba::ConfigError& error) {
                EXPECT_THAT(error.what(), HasSubstr("postgresql.max_connections"));
                throw;
            }
        },
        seba::ConfigError);
    config = {};
    config.sslmode = "sometimes";
    EXPECT_THROW(pg::Pool{config}, seba::ConfigError);
    config = {};
    config.min_connections = 9;  // more than max_connections (8)
    EXPECT_THROW(config.validate(), seba::ConfigError);
}

// Tried: a database on another host with no sslmode, and with each weaker mode; the same
// modes on loopback names, addresses and a unix socket directory; a host list that leaves
// the machine through one of its hosts.
TEST(PgConfig, ADatabaseOnAnotherHostIsReachedOnlyOverVerifiedTls) {
    pg::PoolConfig remote;
    remote.host = "db.example.org";
    EXPECT_EQ(remote.effective_sslmode(), "verify-full");
    EXPECT_NO_THROW(remote.validate());
    for (const char* weaker : {"disable", "allow", "prefer", "require", "verify-ca"}) {
        remote.sslmode = weaker;
        try {
            remote.validate();
            ADD_FAILURE() << "sslmode " << weaker << " was accepted for db.example.org";
        } catch (const seba::ConfigError& error) {
            EXPECT_THAT(error.what(), HasSubstr("postgresql.sslmode must be verify-full"));
            EXPECT_THAT(error.what(), HasSubstr("db.example.org"));
        }
    }
    pg::PoolConfig list;
    list.host = "127.0.0.1,10.0.0.7";
    list.sslmode = "disable";
    EXPECT_THROW(list.validate(), seba::ConfigError);
    for (const char* elsewhere : {"10.0.0.7", "127.db.example.org", "127.0.0.1.example.org"}) {
        pg::PoolConfig address;
        address.host = elsewhere;
        EXPECT_EQ(address.effective_sslmode(), "verify-full") << elsewhere;
    }

    for (const char* local :
         {"127.0.0.1", "localhost", "::1", "/var/run/postgresql", "127.0.0.1,localhost"}) {
        pg::PoolConfig here;
        here.host = local;
        EXPECT_EQ(here.effective_sslmode(), "prefer") << local;
        here.sslmode = "disable";
        EXPECT_NO_THROW(here.validate()) << local;
    }
}

TEST_F(PgTest, HandsOutConnectionsAndTakesThemBack) {
    pg::Pool pool(config());
    EXPECT_EQ(pool.stats().open, 1);  // min_connections, opened at start
    {
        pg::Pool::Lease first = pool.acquire();
        pg::Pool::Lease second = pool.acquire();
        EXPECT_NE(first->backendpid(), second->backendpid());
        EXPECT_EQ(pool.stats().idle, 0);
    }
    EXPECT_EQ(pool.stats().open, 2);
    EXPECT_EQ(pool.stats().idle, 2);
    for (int i = 0; i < 5; ++i) backend_pid(pool);  // reused, not reopened
    EXPECT_EQ(pool.stats().opened, 2u);
    // statement_timeout is set on every connection, from the config.
    EXPECT_EQ(pool.with_transaction([](pqxx::work& tx) {
        return tx.exec("SHOW statement_timeout")[0][0].as<std::string>();
    }),
              "10s");
}

TEST_F(PgTest, WhenAllConnectionsStayBusyACallerGetsAClearErrorAfterTheWait) {
    pg::PoolConfig settings = config();
    settings.max_connections = 2;
    settings.acquire_timeout = 200ms;
    pg::Pool pool(settings);
    pg::Pool::Lease one = pool.acquire();
    pg::Pool::Lease two = pool.acquire();
    const auto start = std::chrono::steady_clock::now();
    try {
        pool.acquire();
        FAIL() << "a third connection was handed out beyond max_connections";
    } catch (const pg::Busy& error) {
        EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);  // it did wait
        EXPECT_THAT(error.what(), HasSubstr("all 2 connections stayed in use for 200 ms"));
        expect_names_database_not_password(error.what(), server(), server().password(), database_);
    }
    EXPECT_EQ(pool.stats().busy, 1u);
    EXPECT_EQ(pool.stats().open, 2);
}

TEST_F(PgTest, AWaitingCallerGetsTheConnectionAnotherGivesBack) {
    pg::PoolConfig settings = config();
    settings.max_connections = 1;
    settings.acquire_timeout = 20s;
    pg::Pool pool(settings);
    std::optional<pg::Pool::Lease> held(pool.acquire());
    const int pid = (*held)->backendpid();
    std::atomic<int> got{0};
    std::thread waiter([&] { got = pool.acquire()->backendpid(); });
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(got.load(), 0);  // still waiting: the only connection is held
    held.reset();
    waiter.join();
    EXPECT_EQ(got.load(), pid);
}

TEST_F(PgTest, AConnectionTheServerEndedIsReplacedWithoutAFailedCall) {
    pg::PoolConfig settings = config();
    settings.max_connections = 1;
    pg::Pool pool(settings);
    const int before = backend_pid(pool);
    terminate_backend(server(), before);

    // The idle connection is found dead when handed out: the caller sees no failure at all.
    int after = 0;
    EXPECT_NO_THROW(after = backend_pid(pool));
    EXPECT_NE(after, before);
    EXPECT_EQ(pool.stats().lost, 1u);
    EXPECT_EQ(pool.stats().open, 1);
    // The same through a plain lease.
    terminate_backend(server(), after);
    EXPECT_NO_THROW(EXPECT_NE(
        pqxx::nontransaction(*pool.acquire()).exec("SELECT pg_backend_pid()")[0][0].as<int>(),
        after));
}

TEST_F(PgTest, ATransactionWhoseConnectionDiesMidwayRunsAgainOnANewOne) {
    pg::Pool pool(config());
    query("CREATE TABLE visits (n integer)");
    query("GRANT ALL ON visits TO " + server().user());
    int runs = 0;
    pool.with_transaction([&](pqxx::work& tx) {
        ++runs;
        tx.exec("INSERT INTO visits VALUES (1)");
        if (runs == 1) {  // the backend is ended under the open transaction
            const int pid = tx.exec("SELECT pg_backend_pid()")[0][0].as<int>();
            terminate_backend(server(), pid);
            tx.exec("SELECT 1");
        }
    });
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(query("SELECT count(*) FROM visits"), "1");  // the first run left nothing
    EXPECT_EQ(pool.stats().lost, 1u);
}

TEST_F(PgTest, SerializationFailuresAreRetriedUntilBothTransactionsCommit) {
    query("CREATE TABLE queue (position integer NOT NULL)");
    query("GRANT ALL ON queue TO " + server().user());
    pg::Pool pool(config());
    // Each takes the next position: count, then insert. Run together under SERIALIZABLE, one
    // of them must fail (40001) and run again, or both would take position 0.
    std::latch both_counted(2);
    std::atomic<int> runs{0};
    auto take_position = [&] {
        bool first_run = true;
        pool.with_transaction([&](pqxx::work& tx) {
            ++runs;
            const int next = tx.exec("SELECT count(*) FROM queue")[0][0].as<int>();
            if (first_run) both_counted.arrive_and_wait();
            first_run = false;
            tx.exec_params("INSERT INTO queue VALUES ($1)", next);
        });
    };
    std::thread a(take_position), b(take_position);
    a.join();
    b.join();
    EXPECT_EQ(query("SELECT string_agg(position::text, ',' ORDER BY position) FROM queue"), "0,1");
    EXPECT_GE(runs.load(), 3);
    EXPECT_GE(pool.stats().retries, 1u);
}

TEST_F(PgTest, WithoutRetriesLeftTheConflictIsReported) {
    query("CREATE TABLE queue (position integer NOT NULL)");
    query("GRANT ALL ON queue TO " + server().user());
    pg::PoolConfig settings = config();
    settings.transaction_attempts = 1;
    pg::Pool pool(settings);
    std::latch both_counted(2);
    std::atomic<int> conflicts{0};
    auto take_position = [&] {
        try {
            pool.with_transaction([&](pqxx::work& tx) {
                const int next = tx.exec("SELECT count(*) FROM queue")[0][0].as<int>();
                both_counted.arrive_and_wait();
                tx.exec_params("INSERT INTO queue VALUES ($1)", next);
            });
        } catch (const pg::Conflict& error) {
            EXPECT_THAT(error.what(), HasSubstr("after 1 attempts"));
            ++conflicts;
        }
    };
    std::thread a(take_position), b(take_position);
    a.join();
    b.join();
    EXPECT_EQ(conflicts.load(), 1);
    EXPECT_EQ(query("SELECT count(*) FROM queue"), "1");
}

TEST_F(PgTest, AWrongPasswordOrADownServerIsNamedWithoutThePassword) {
    pg::PoolConfig settings = config();
    settings.password = "Wrong-Pa55word-" + server().password();
    try {
        pg::Pool pool(settings);
        FAIL() << "connected with a wrong password";
    } catch (const pg::Unavailable& error) {
        EXPECT_THAT(error.what(), HasSubstr("password authentication failed"));
        expect_names_database_not_password(error.what(), server(), settings.password, database_);
        EXPECT_THAT(error.what(), Not(HasSubstr(server().password())));
    }
    settings = config();
    settings.port = seba::testing::free_loopback_port();
    try {
        pg::Pool pool(settings);
        FAIL() << "connected to a port nothing listens on";
    } catch (const pg::Unavailable& error) {
        EXPECT_THAT(error.what(), HasSubstr("cannot connect"));
        EXPECT_THAT(error.what(), Not(HasSubstr(server().password())));
    }
}

pqxx::result exec(pg::Pool& pool, const std::string& sql) {
    return pool.with_transaction([&](pqxx::work& tx) { return tx.exec(sql); });
}

TEST(PgRestart, ThePoolRecoversWhenTheDatabaseCrashesAndComesBack) {
    Postgres server;
    pg::Pool pool(config_for(server));
    exec(pool, "CREATE TABLE receipts (id integer PRIMARY KEY)");
    exec(pool, "INSERT INTO receipts VALUES (1), (2)");

    server.kill_hard();
    try {
        exec(pool, "SELECT 1");
        FAIL() << "a query succeeded with the database down";
    } catch (const pg::Unavailable& error) {
        expect_names_database_not_password(error.what(), server, server.password());
    }
    server.restart();  // crash recovery
    int failures = 0;
    for (int i = 0; i < 3; ++i) try {
            exec(pool, "SELECT 1");
        } catch (const seba::Error&) {
            ++failures;
        }
    EXPECT_LE(failures, 1);
    // What was committed before the crash is there after it.
    EXPECT_EQ(exec(pool, "SELECT count(*) FROM receipts")[0][0].as<int>(), 2);
}

TEST(PgTls, ConnectsOverVerifiedTlsWhenTheConfigSaysSo) {
    Postgres server(Postgres::Options{.tls = true});
    pg::PoolConfig settings = config_for(server);
    settings.sslmode = "verify-full";
    settings.sslrootcert = server.certificate().string();
    pg::Pool pool(settings);
    EXPECT_TRUE(pool.with_transaction([](pqxx::work& tx) {
        return tx.exec("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0][0].as<bool>();
    }));
    settings.sslmode = "disable";  // this server refuses clients without TLS
    EXPECT_THROW(pg::Pool{settings}, pg::Unavailable);
}

// Migrations --------------------------------------------------------------------------------

std::vector<pg::Migration> three_migrations() {
    return {
        // No IF NOT EXISTS and a pause: applied twice, this fails or doubles the row.
        {1, "receipts", "CREATE TABLE receipts (id integer PRIMARY KEY); SELECT pg_sleep(0.2)"},
        {2, "first receipt", "INSERT INTO receipts VALUES (1)"},
        {3, "receipt note", "ALTER TABLE receipts ADD COLUMN note text"},
    };
}

TEST_F(PgTest, MigrationsRacingFromFourServersAreEachAppliedOnce) {
    const std::vector<pg::Migration> migrations = three_migrations();
    std::vector<pg::MigrationResult> results(4);
    std::vector<std::string> errors(4);
    std::latch start(4);
    std::vector<std::thread> servers;
    for (int i = 0; i < 4; ++i)
        servers.emplace_back([&, i] {
            try {
                pg::Pool pool(config());  // each "server" with its own connections
                start.arrive_and_wait();
                results[i] = pg::migrate(pool, migrations);
            } catch (const std::exception& error) {
                errors[i] = error.what();
            }
        });
    for (std::thread& server : servers) server.join();
    std::size_t applied = 0;
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(errors[i], "");
        EXPECT_EQ(results[i].version_after, 3);
        applied += results[i].applied.size();
    }
    EXPECT_EQ(applied, 3u);
    EXPECT_EQ(query("SELECT string_agg(version::text || ':' || name, ',' ORDER BY version) FROM "
                    "server__migrations"),
              "1:receipts,2:first receipt,3:receipt note");
    EXPECT_EQ(query("SELECT count(*) FROM receipts"), "1");

    // Started again: nothing to do.
    pg::Pool pool(config());
    const pg::MigrationResult again = pg::migrate(pool, migrations);
    EXPECT_TRUE(again.applied.empty());
    EXPECT_EQ(again.version_before, 3);
    EXPECT_EQ(again.version_after, 3);
}

TEST_F(PgTest, ADatabaseMigratedByANewerServerIsRefused) {
    pg::Pool pool(config());
    pg::migrate(pool, three_migrations());
    std::vector<pg::Migration> older = three_migrations();
    older.pop_back();
    try {
        pg::migrate(pool, older);
        FAIL() << "an older server took a newer database";
    } catch (const seba::StorageError& error) {
        EXPECT_THAT(error.what(), HasSubstr("schema migration 3 (receipt note) applied, newer "
                                            "than this seba-server knows (it knows up to 2)"));
        EXPECT_THAT(error.what(), HasSubstr("upgrade seba-server"));
        expect_names_database_not_password(error.what(), server(), server().password(), database_);
    }
    EXPECT_EQ(query("SELECT max(version) FROM server__migrations"), "3");
}

TEST_F(PgTest, AMigrationChangedAfterReleaseOrFailingIsRefusedAndLeavesNothing) {
    pg::Pool pool(config());
    std::vector<pg::Migration> migrations = three_migrations();
    migrations.resize(2);
    pg::migrate(pool, migrations);
    std::vector<pg::Migration> edited = migrations;
    edited[1].sql = "INSERT INTO receipts VALUES (2)";
    EXPECT_THROW(
        {
            try {
                pg::migrate(pool, edited);
            } catch (const seba::StorageError& error) {
                EXPECT_THAT(error.what(), HasSubstr("migration 2 (first receipt) was changed"));
                throw;
            }
        },
        seba::StorageError);

    migrations.push_back({3, "broken", "CREATE TABLE notes (id integer); SELEKT 1"});
    EXPECT_THROW(
        {
            try {
                pg::migrate(pool, migrations);
            } catch (const seba::StorageError& error) {
                EXPECT_THAT(error.what(), HasSubstr("schema migration 3 (broken) failed"));
                throw;
            }
        },
        seba::StorageError);
    EXPECT_EQ(query("SELECT max(version) FROM server__migrations"), "2");
    EXPECT_EQ(query("SELECT to_regclass('notes') IS NULL"), "t");
}

}  // namespace
