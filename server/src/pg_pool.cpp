// SPDX-License-Identifier: Apache-2.0
#include "pg_pool.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <random>
#include <string_view>
#include <thread>

#include "seba/logging.hpp"

namespace seba::server::pg {

namespace {

/// A value for a libpq key=value connection string: quoted, with ' and \ escaped.
std::string quoted(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

std::string conninfo_for(const PoolConfig& config) {
    // keepalives: a database host that vanishes (power, network) is noticed in ~25 s instead
    // of a read that never returns; statement_timeout travels in the startup packet, so it
    // holds on every connection, however it was made.
    return fmt::format(
        "host={} port={} dbname={} user={} password={} sslmode={} connect_timeout={} "
        "application_name=seba-server keepalives=1 keepalives_idle=10 keepalives_interval=5 "
        "keepalives_count=3 options={}{}",
        quoted(config.host), config.port, quoted(config.database), quoted(config.user),
        quoted(config.password), quoted(config.effective_sslmode()), config.connect_timeout.count(),
        quoted(fmt::format("-c statement_timeout={}", config.statement_timeout.count())),
        config.sslrootcert.empty() ? "" : " sslrootcert=" + quoted(config.sslrootcert));
}

/// libpq's words about a failure, on one line, with the password cut out should it ever
/// appear (libpq does not echo it; this is a second lock on the same door).
std::string reason(const std::exception& error, const PoolConfig& config) {
    std::string text = error.what();
    std::replace(text.begin(), text.end(), '\n', ' ');
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (config.password.size() >= 4)
        for (std::size_t at; (at = text.find(config.password)) != std::string::npos;)
            text.replace(at, config.password.size(), "***");
    return text;
}

/// False when the server has dropped this idle connection: its socket is readable (an idle
/// connection gets nothing but a goodbye or EOF) and reading it finds the connection closed.
/// One poll() with no wait in the usual case.
bool still_connected(pqxx::connection& connection) {
    for (int round = 0; round < 4; ++round) {
        if (!connection.is_open() || connection.sock() < 0) return false;
        pollfd watch{connection.sock(), POLLIN, 0};
        if (::poll(&watch, 1, 0) == 0) return true;
        try {
            connection.get_notifs();  // reads what came (libpq's PQconsumeInput)
        } catch (const std::exception&) {
            return false;
        }
    }
    return connection.is_open();
}

/// SQLSTATE 40001 and 40P01: nothing was committed; the same transaction may succeed if run
/// again.
bool retryable(const pqxx::failure& error) {
    return dynamic_cast<const pqxx::serialization_failure*>(&error) ||
           dynamic_cast<const pqxx::deadlock_detected*>(&error);
}

const char* isolation_sql(Isolation isolation) {
    switch (isolation) {
        case Isolation::repeatable_read:
            return "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
        case Isolation::serializable:
            return "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE";
        case Isolation::read_committed:
            break;
    }
    return nullptr;
}

/// Full jitter: a random pause up to 2^attempt ms (at most 100 ms), so two transactions that
/// collided do not collide again in lockstep.
void pause_before_retry(int attempt) {
    thread_local std::minstd_rand random{std::random_device{}()};
    const int ceiling = std::min(100, 1 << std::min(attempt + 1, 7));
    std::uniform_int_distribution<int> pick(0, ceiling);
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
}

}  // namespace

std::string PoolConfig::describe() const {
    return fmt::format("PostgreSQL at {}:{}, database {}, user {}", host, port, database, user);
}

namespace {

// 127.0.0.0/8 written as an address; a name such as "127.db.example.org" is not one.
bool loopback_ipv4(const std::string& text) {
    in_addr address{};
    return ::inet_pton(AF_INET, text.c_str(), &address) == 1 &&
           (ntohl(address.s_addr) >> 24) == 127;
}

}  // namespace

bool PoolConfig::on_this_machine() const {
    // libpq takes a comma-separated list of hosts; each must stay on this machine.
    std::string_view rest = host;
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view one = rest.substr(0, comma);
        const bool local = one.starts_with('/') || one == "localhost" || one == "::1" ||
                           loopback_ipv4(std::string(one));
        if (!local) return false;
        if (comma == std::string_view::npos) return true;
        rest.remove_prefix(comma + 1);
    }
}

std::string PoolConfig::effective_sslmode() const {
    if (!sslmode.empty()) return sslmode;
    return on_this_machine() ? "prefer" : "verify-full";
}

void PoolConfig::validate() const {
    auto refuse = [](const std::string& key, const std::string& range) {
        throw seba::ConfigError("postgresql." + key + " must be " + range);
    };
    static constexpr std::array kSslModes = {"disable", "allow",     "prefer",
                                             "require", "verify-ca", "verify-full"};
    if (host.empty() || host.size() > 255) refuse("host", "a host name, address or directory");
    if (port < 1 || port > 65535) refuse("port", "1-65535");
    if (database.empty() || database.size() > 63) refuse("database", "a name of 1-63 bytes");
    if (user.empty() || user.size() > 63) refuse("user", "a name of 1-63 bytes");
    if (password.size() > 1024) refuse("password_file", "a file of at most 1024 bytes");
    const std::string mode = effective_sslmode();
    if (std::find(kSslModes.begin(), kSslModes.end(), mode) == kSslModes.end())
        refuse("sslmode", "disable, allow, prefer, require, verify-ca or verify-full");
    // Anything weaker lets whoever sits on the network read or change every event and key
    // on the way (require encrypts but accepts any certificate; verify-ca any host's).
    if (mode != "verify-full" && !on_this_machine())
        refuse("sslmode", "verify-full for a database on another host (" + host +
                              "): set sslrootcert to the CA that signed its certificate");
    if (max_connections < 1 || max_connections > 1000) refuse("max_connections", "1-1000");
    if (min_connections < 1 || min_connections > max_connections)
        refuse("min_connections", "1-max_connections");
    if (acquire_timeout.count() < 1 || acquire_timeout.count() > 60000)
        refuse("acquire_timeout_ms", "1-60000");
    if (connect_timeout.count() < 2 || connect_timeout.count() > 60)
        refuse("connect_timeout_s", "2-60");
    if (statement_timeout.count() < 100 || statement_timeout.count() > 600000)
        refuse("statement_timeout_ms", "100-600000");
    if (transaction_attempts < 1 || transaction_attempts > 20)
        refuse("transaction_attempts", "1-20");
}

Pool::Lease::Lease(Pool* pool, std::unique_ptr<pqxx::connection> connection)
    : pool_(pool), connection_(std::move(connection)) {
}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)), discard_(other.discard_) {
}

Pool::Lease::~Lease() {
    if (connection_) pool_->give_back(std::move(connection_), discard_);
}

Pool::Pool(PoolConfig config)
    : config_((config.validate(), std::move(config))), conninfo_(conninfo_for(config_)) {
    std::vector<Lease> first;
    for (int i = 0; i < config_.min_connections; ++i) first.push_back(acquire());
}  // the leases go back to the pool, idle

Pool::~Pool() = default;

std::unique_ptr<pqxx::connection> Pool::connect() {
    try {
        return std::make_unique<pqxx::connection>(conninfo_);
    } catch (const std::exception& error) {
        throw Unavailable(fmt::format(
            "{}: cannot connect ({}). Check that the database runs and is reachable, and the "
            "postgresql.* settings in seba-server's config",
            config_.describe(), reason(error, config_)));
    }
}

Pool::Lease Pool::acquire() {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + config_.acquire_timeout;
    for (;;) {
        while (!idle_.empty()) {
            std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
            idle_.pop_back();
            lock.unlock();
            const bool alive = still_connected(*connection);
            if (!alive) {
                seba::logging::get("pg")->warn(
                    "{}: an idle connection was closed by the server; replacing it",
                    config_.describe());
                connection.reset();
            }
            lock.lock();
            if (alive) return Lease(this, std::move(connection));
            --open_;
            ++counts_.lost;
        }
        if (open_ < config_.max_connections) {
            ++open_;  // the slot is ours while we connect without the lock
            lock.unlock();
            try {
                std::unique_ptr<pqxx::connection> connection = connect();
                lock.lock();
                ++counts_.opened;
                return Lease(this, std::move(connection));
            } catch (...) {
                lock.lock();
                --open_;
                returned_.notify_one();
                throw;
            }
        }
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= config_.max_connections) {
            ++counts_.busy;
            throw Busy(fmt::format(
                "{}: all {} connections stayed in use for {} ms; the server is overloaded or "
                "a query is stuck (raise postgresql.max_connections if the database has room)",
                config_.describe(), config_.max_connections, config_.acquire_timeout.count()));
        }
    }
}

void Pool::give_back(std::unique_ptr<pqxx::connection> connection, bool discard) {
    const bool keep = !discard && connection->is_open();
    if (!keep) connection.reset();  // closes the socket, outside the lock
    {
        std::lock_guard lock(mutex_);
        if (keep) {
            idle_.push_back(std::move(connection));
        } else {
            --open_;
            if (!discard) ++counts_.lost;
        }
    }
    returned_.notify_one();
}

void Pool::run_transaction(const std::function<void(pqxx::work&)>& fn, Isolation isolation) {
    bool reconnected = false;
    bool pause = false;
    for (int attempt = 1;; ++attempt) {
        if (pause) pause_before_retry(attempt - 1);  // holding no connection meanwhile
        pause = false;
        Lease lease = acquire();
        try {
            pqxx::work transaction(*lease);
            if (const char* level = isolation_sql(isolation)) transaction.exec(level);
            fn(transaction);
            transaction.commit();
            return;
        } catch (const pqxx::in_doubt_error& error) {
            lease.discard();
            throw Unavailable(fmt::format(
                "{}: the connection was lost while committing ({}); whether the transaction "
                "was committed is unknown",
                config_.describe(), reason(error, config_)));
        } catch (const pqxx::failure& error) {
            if (!lease->is_open() || dynamic_cast<const pqxx::broken_connection*>(&error)) {
                lease.discard();
                std::lock_guard lock(mutex_);
                ++counts_.lost;
                if (reconnected)
                    throw Unavailable(fmt::format("{}: the connection was lost ({})",
                                                  config_.describe(), reason(error, config_)));
                reconnected = true;  // nothing was committed: once more, on a new connection
                ++counts_.retries;
                continue;
            }
            if (!retryable(error)) throw;
            if (attempt >= config_.transaction_attempts)
                throw Conflict(fmt::format(
                    "{}: the transaction still conflicted with concurrent ones after {} "
                    "attempts ({}); try again",
                    config_.describe(), attempt, reason(error, config_)));
            std::lock_guard lock(mutex_);
            ++counts_.retries;
            pause = true;
        }
    }
}

Pool::Stats Pool::stats() const {
    std::lock_guard lock(mutex_);
    Stats now = counts_;
    now.open = open_;
    now.idle = static_cast<int>(idle_.size());
    return now;
}

}  // namespace seba::server::pg
