// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>
#include <vector>

#include "seba/error.hpp"

/// PostgreSQL for seba-server: a connection pool (libpqxx over libpq) and the transactions
/// the stores run on it. Several seba-servers share one database; everything they must agree
/// on lives in the database (constraints, transactions, advisory locks), never in a process.
namespace seba::server::pg {

/// How seba-server reaches its database. The config keys (a `[postgresql]` table in
/// seba-server.toml; the store wires them) are:
///
///   host = "db.example.org"        # name or address; a directory means a unix socket
///   port = 5432
///   database = "seba"
///   user = "seba"
///   password_file = "pg-password"  # 0600, one line; never the password in the config itself
///   sslmode = "verify-full"        # disable | allow | prefer | require | verify-ca | verify-full;
///                                  # the default and the only one allowed for a database on
///                                  # another host (the network between is assumed hostile);
///                                  # on loopback or a unix socket any, by default prefer
///   sslrootcert = "db-ca.crt"      # the CA that signed the database's certificate
///   min_connections = 2            # opened at start (1-max_connections)
///   max_connections = 16           # per seba-server process (1-1000); size the database's
///                                  # max_connections for every process together
///   acquire_timeout_ms = 2000      # how long a request waits for a free connection (1-60000)
///                                  # before a clear "busy" error (the HTTP answer is 503)
///   connect_timeout_s = 5          # libpq's connect_timeout (2-60)
///   statement_timeout_ms = 30000   # set on every connection (100-600000); migrations lift it
///   transaction_attempts = 5       # tries for a transaction that hits a serialization
///                                  # failure or deadlock (SQLSTATE 40001/40P01) (1-20)
struct PoolConfig {
    std::string host = "127.0.0.1";
    int port = 5432;
    std::string database = "seba";
    std::string user = "seba";
    std::string password;     ///< read from password_file; never logged nor put in an error
    std::string sslmode;      ///< empty: verify-full, or prefer for a database on this machine
    std::string sslrootcert;  ///< empty: libpq's default (~/.postgresql/root.crt)
    int min_connections = 1;
    int max_connections = 8;
    std::chrono::milliseconds acquire_timeout{2000};
    std::chrono::seconds connect_timeout{5};
    std::chrono::milliseconds statement_timeout{30000};
    int transaction_attempts = 5;

    /// "PostgreSQL at HOST:PORT, database D, user U": what every error names (no password).
    std::string describe() const;
    /// True when every host is a unix socket directory or a loopback name or address: the
    /// connection never crosses a network.
    bool on_this_machine() const;
    /// sslmode, or its default for the host.
    std::string effective_sslmode() const;
    /// Throws seba::ConfigError naming the key when a value is out of its range.
    void validate() const;
};

/// The database cannot be reached, or a connection was lost where retrying is not safe.
class Unavailable : public seba::Error {
  public:
    using Error::Error;
};

/// Every connection stayed in use for acquire_timeout: the server is overloaded (or a query
/// is stuck). Answer 503 with Retry-After; raise max_connections if the database has room.
class Busy : public seba::Error {
  public:
    using Error::Error;
};

/// A transaction still hit serialization failures or deadlocks after transaction_attempts.
class Conflict : public seba::Error {
  public:
    using Error::Error;
};

enum class Isolation { read_committed, repeatable_read, serializable };

/// Connections to one database, at most max_connections, shared by threads. A connection the
/// server dropped (restart, pg_terminate_backend, network) is noticed when it is handed out or
/// fails, dropped, and replaced by a new one, so a caller sees at most one failed call.
class Pool {
  public:
    /// Opens min_connections. Throws ConfigError for a bad config, Unavailable if the
    /// database cannot be reached.
    explicit Pool(PoolConfig config);
    /// Every Lease must be gone first.
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    /// One connection, for one caller, until the lease goes away. Leave the session as you
    /// found it (no SET without LOCAL, no open transaction).
    class Lease {
      public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        ~Lease();
        pqxx::connection& operator*() const { return *connection_; }
        pqxx::connection* operator->() const { return connection_.get(); }
        /// Close this connection when the lease ends instead of reusing it.
        void discard() { discard_ = true; }

      private:
        friend class Pool;
        Lease(Pool* pool, std::unique_ptr<pqxx::connection> connection);
        Pool* pool_;
        std::unique_ptr<pqxx::connection> connection_;
        bool discard_ = false;
    };

    /// A connection: an idle one that is still connected, else a new one while fewer than
    /// max_connections are open, else the first one given back within acquire_timeout.
    /// Throws Busy after acquire_timeout, Unavailable when a new connection fails.
    Lease acquire();

    /// Runs `fn(transaction)` in a transaction at `isolation` and commits; returns what fn
    /// returns. Runs fn again (so fn must only touch the database, or be safe to repeat) when
    /// the transaction hits a serialization failure or deadlock, up to transaction_attempts
    /// times with a short random pause, and once more on a fresh connection when the
    /// connection was lost before the commit. Throws Conflict, Unavailable (also when the
    /// connection is lost during the commit: its outcome is unknown), or fn's own error.
    template <typename Fn>
    auto with_transaction(Fn&& fn, Isolation isolation = Isolation::serializable) {
        using Result = std::invoke_result_t<Fn&, pqxx::work&>;
        if constexpr (std::is_void_v<Result>) {
            run_transaction([&](pqxx::work& transaction) { fn(transaction); }, isolation);
        } else {
            std::optional<Result> result;
            run_transaction([&](pqxx::work& transaction) { result.emplace(fn(transaction)); },
                            isolation);
            return std::move(*result);
        }
    }

    struct Stats {
        int open = 0;               ///< connections open now (idle + in use)
        int idle = 0;               ///< open and waiting in the pool
        std::uint64_t opened = 0;   ///< connections made since start
        std::uint64_t lost = 0;     ///< connections found dropped by the server and replaced
        std::uint64_t retries = 0;  ///< transactions run again (serialization, deadlock, lost)
        std::uint64_t busy = 0;     ///< acquire() calls that gave up after acquire_timeout
    };
    Stats stats() const;
    const PoolConfig& config() const { return config_; }

  private:
    void run_transaction(const std::function<void(pqxx::work&)>& fn, Isolation isolation);
    std::unique_ptr<pqxx::connection> connect();
    void give_back(std::unique_ptr<pqxx::connection> connection, bool discard);

    const PoolConfig config_;
    const std::string conninfo_;
    mutable std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
    int open_ = 0;
    Stats counts_;
};

}  // namespace seba::server::pg
