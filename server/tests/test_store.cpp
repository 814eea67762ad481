// SPDX-License-Identifier: Apache-2.0
#include "test_store.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <thread>

#include "pg_pool.hpp"
#include "postgres.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba::testing {

namespace pg = seba::server::pg;

namespace {

// One PostgreSQL per test process, started at the first use, stopped at exit; a database per
// test folder.
class SharedPostgres {
  public:
    static SharedPostgres& get() {
        static SharedPostgres instance;
        return instance;
    }

    // The database of `dir`, made at its first use: a copy of a template that has the
    // store's schema already (one migration per process, not one per test).
    std::string database_for(const std::filesystem::path& dir) {
        std::lock_guard lock(mutex_);
        if (!server_) start();
        auto [it, fresh] = databases_.try_emplace(dir.string(), "");
        if (fresh) {
            it->second = "t" + std::to_string(databases_.size());
            // The template's last connection may take a moment to leave after its pool closed.
            for (int attempt = 0;; ++attempt) {
                try {
                    server_->superuser_query("CREATE DATABASE " + it->second + " TEMPLATE " +
                                                 kTemplate + " OWNER " + server_->user(),
                                             "postgres");
                    break;
                } catch (const seba::Error&) {
                    if (attempt >= 50) throw;
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
            }
        }
        return it->second;
    }

    // The cluster is thrown away: no shutdown checkpoint to wait for.
    ~SharedPostgres() {
        if (server_) server_->kill_hard();
    }

    pg::PoolConfig config(const std::string& database) const {
        pg::PoolConfig config;
        config.host = server_->host();
        config.port = server_->port();
        config.database = database;
        config.user = server_->user();
        config.password = server_->password();
        config.sslmode = "disable";
        config.min_connections = 1;
        config.max_connections = 8;
        config.acquire_timeout = std::chrono::seconds(10);
        config.statement_timeout = std::chrono::seconds(60);
        return config;
    }

    std::string uri(const std::string& database) const { return server_->superuser_uri(database); }

  private:
    static constexpr const char* kTemplate = "seba_template";

    void start() {
        server_ = std::make_unique<Postgres>();
        server_->superuser_query(
            std::string("CREATE DATABASE ") + kTemplate + " OWNER " + server_->user(), "postgres");
        seba::server::open_postgres_store(config(kTemplate)).reset();  // migrates it
    }

    std::mutex mutex_;
    std::unique_ptr<Postgres> server_;
    std::map<std::string, std::string> databases_;
};

}  // namespace

bool on_postgres() {
    const char* engine = std::getenv("SEBA_TEST_STORE");
    return engine && std::string(engine) == "postgresql";
}

std::unique_ptr<Store> open_test_store(const std::filesystem::path& dir) {
    if (!on_postgres()) return seba::server::open_sqlite_store(dir / "server.db");
    SharedPostgres& postgres = SharedPostgres::get();
    return seba::server::open_postgres_store(postgres.config(postgres.database_for(dir)));
}

std::string test_store_config(const std::filesystem::path& dir) {
    if (!on_postgres()) return "[server]\ndatabase = \"" + (dir / "server.db").string() + "\"\n";
    SharedPostgres& postgres = SharedPostgres::get();
    const pg::PoolConfig config = postgres.config(postgres.database_for(dir));
    const std::filesystem::path password_file = dir / "pg-password";
    write_file(password_file, config.password);
    std::filesystem::permissions(
        password_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return fmt::format(
        "[server]\n[store]\nengine = \"postgresql\"\n[postgresql]\nhost = \"{}\"\nport = {}\n"
        "database = \"{}\"\nuser = \"{}\"\npassword_file = \"{}\"\nsslmode = \"disable\"\n",
        config.host, config.port, config.database, config.user, password_file.string());
}

std::vector<std::vector<std::string>> query_test_store(const std::filesystem::path& dir,
                                                       const std::string& sql, int columns) {
    std::vector<std::vector<std::string>> out;
    if (!on_postgres()) {
        Database db = Database::open(dir / "server.db");
        Statement rows = db.prepare(sql);
        while (rows.step()) {
            std::vector<std::string>& row = out.emplace_back();
            for (int i = 0; i < columns; ++i)
                row.push_back(rows.is_null(i) ? std::string() : rows.text(i));
        }
        return out;
    }
    SharedPostgres& postgres = SharedPostgres::get();
    pqxx::connection connection(postgres.uri(postgres.database_for(dir)));
    pqxx::nontransaction tx(connection);
    for (const pqxx::row& row : tx.exec(sql)) {
        std::vector<std::string>& values = out.emplace_back();
        for (const pqxx::field& field : row) {
            std::string value = field.is_null() ? std::string() : field.as<std::string>();
            if (field.type() == 16) value = value == "t" ? "1" : "0";  // boolean, as SQLite
            values.push_back(value);
        }
    }
    return out;
}

void exec_test_store(const std::filesystem::path& dir, const std::string& sql) {
    if (!on_postgres()) {
        Database::open(dir / "server.db").exec(sql);
        return;
    }
    SharedPostgres& postgres = SharedPostgres::get();
    pqxx::connection connection(postgres.uri(postgres.database_for(dir)));
    pqxx::nontransaction tx(connection);
    tx.exec(sql);
}

struct StoreWriteLock::Held {
    std::optional<Database> sqlite;
    std::unique_ptr<pqxx::connection> connection;
    std::unique_ptr<pqxx::work> transaction;
};

StoreWriteLock::StoreWriteLock(const std::filesystem::path& dir) : held_(std::make_unique<Held>()) {
    if (!on_postgres()) {
        held_->sqlite.emplace(Database::open(dir / "server.db"));
        held_->sqlite->exec("BEGIN IMMEDIATE");
        return;
    }
    SharedPostgres& postgres = SharedPostgres::get();
    held_->connection =
        std::make_unique<pqxx::connection>(postgres.uri(postgres.database_for(dir)));
    held_->transaction = std::make_unique<pqxx::work>(*held_->connection);
    held_->transaction->exec("LOCK TABLE server__nonces IN EXCLUSIVE MODE");
}

StoreWriteLock::~StoreWriteLock() {
    release();
}

void StoreWriteLock::release() {
    if (!held_) return;
    if (held_->sqlite) held_->sqlite->exec("ROLLBACK");
    if (held_->transaction) held_->transaction->abort();
    held_.reset();
}

}  // namespace seba::testing
