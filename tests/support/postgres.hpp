// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

namespace seba::testing {

/// A real PostgreSQL 15 (Debian's postgresql-15) for one test: a cluster made by initdb in a
/// temporary directory this object owns, listening on a free loopback port and on a unix
/// socket in that directory, with fsync on, and a database and a login role with a password
/// made for the test. As root (CI, a fresh machine) it runs as the `postgres` system user,
/// since initdb and postgres refuse root; as anyone else it runs as that user.
class Postgres {
  public:
    struct Options {
        /// Serve TLS only (ssl=on; TCP clients without TLS are rejected), with a certificate
        /// for 127.0.0.1 and localhost made for the test; certificate() is its CA to trust.
        bool tls = false;
    };

    /// Makes the cluster, starts the server and waits until it accepts connections (a few
    /// seconds at most). Throws seba::Error with the end of the server's log if it does not.
    Postgres();
    explicit Postgres(Options options);
    /// Stops the server (fast shutdown, SIGKILL if that takes too long); removes the directory.
    ~Postgres();
    Postgres(const Postgres&) = delete;
    Postgres& operator=(const Postgres&) = delete;

    /// A libpq connection string for the test's role and database over TCP loopback
    /// (with sslmode=verify-full and the certificate when the server serves TLS).
    std::string uri() const;
    /// The superuser over the unix socket (trusted there), to a database (the test's if empty).
    std::string superuser_uri(const std::string& database = "") const;

    std::string host() const { return "127.0.0.1"; }
    int port() const { return port_; }
    const std::string& database() const { return database_; }
    const std::string& user() const { return user_; }
    const std::string& password() const { return password_; }
    /// The TLS certificate clients trust (sslrootcert); empty without Options::tls.
    const std::filesystem::path& certificate() const { return certificate_; }
    /// The cluster's data directory (PGDATA).
    std::filesystem::path data_dir() const { return dir_ / "data"; }
    /// The directory that holds everything: removed when this goes away.
    const std::filesystem::path& directory() const { return dir_.path(); }

    /// Runs SQL as the superuser in a database (the test's if empty) and returns the first
    /// column of the first row as text ("" when there is none). Throws seba::Error on failure.
    std::string superuser_query(const std::string& sql, const std::string& database = "") const;

    /// Kills the server and all its processes with SIGKILL, as a crash or power cut would
    /// leave it (no shutdown checkpoint); restart() then runs crash recovery.
    void kill_hard();
    /// Starts the server again on the same port and data (after kill_hard or stop) and waits
    /// until it accepts connections.
    void restart();
    /// Fast shutdown (SIGINT), then SIGKILL if it has not stopped within a bound.
    void stop();
    bool running() const { return pid_ > 0; }

  private:
    void start_server();
    void wait_until_ready();
    std::string log_tail() const;

    TempDir dir_;
    Options options_;
    pid_t pid_ = -1;
    int port_ = 0;
    std::string database_ = "seba_test";
    std::string user_ = "seba_test";
    std::string password_;
    std::filesystem::path certificate_;
};

}  // namespace seba::testing
