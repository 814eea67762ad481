// SPDX-License-Identifier: Apache-2.0
#include "postgres.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "process.hpp"
#include "seba/error.hpp"

namespace seba::testing {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Bounds: a test's server starts in about a second; these only stop a broken one hanging CI.
constexpr auto kInitdbLimit = 60s;
constexpr auto kReadyLimit = 30s;
constexpr auto kShutdownLimit = 15s;

/// Who the cluster's programs run as: the `postgres` system user when we are root (initdb and
/// postgres refuse root), else ourselves.
struct RunAs {
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

RunAs run_as() {
    if (::geteuid() != 0) return {};
    const passwd* user = ::getpwnam("postgres");
    if (!user)
        throw seba::Error(
            "cannot start PostgreSQL as root without the `postgres` system user: install "
            "Debian's postgresql-15 package (scripts/setup), which creates it");
    return {true, user->pw_uid, user->pw_gid};
}

/// Starts `argv` in its own session (so a whole server can be killed as one process group),
/// as `who`, with its output appended to `log`. Everything is prepared before fork: the child
/// only calls async-signal-safe functions.
pid_t spawn(const std::vector<std::string>& argv, const fs::path& log, const RunAs& who) {
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const std::string log_path = log.string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw seba::Error("cannot fork to start " + argv[0]);
    if (pid == 0) {
        ::setsid();
        const int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (out < 0 || in < 0) ::_exit(126);
        ::dup2(in, STDIN_FILENO);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
        if (who.switch_user &&
            (::setgroups(0, nullptr) != 0 || ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0))
            ::_exit(125);
        // A test that dies (a crash, a timeout's SIGKILL) takes its server with it: SIGQUIT is
        // PostgreSQL's immediate shutdown. Set after setuid, which clears it; it follows the
        // thread that forks, so start and restart from a thread that outlives the server.
        if (::prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || ::getppid() != parent) ::_exit(124);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

/// Waits up to `limit` for `pid` to exit; true (and its status) if it did.
bool wait_exit(pid_t pid, Clock::duration limit, int& status) {
    const auto deadline = Clock::now() + limit;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno == ECHILD)) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
}

/// True while any live (not zombie) process is in process group `group`: the server's
/// backends outlive a SIGKILLed postmaster for a moment, and a new postmaster refuses to start
/// while they still hold the old shared memory.
bool group_alive(pid_t group) {
    std::error_code ignored;
    for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ignored)) {
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        const std::size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 1));
        char state = 0;
        long parent = 0, process_group = 0;
        if (rest >> state >> parent >> process_group && process_group == group && state != 'Z')
            return true;
    }
    return false;
}

void wait_group_gone(pid_t group) {
    const auto deadline = Clock::now() + kShutdownLimit;
    while (group_alive(group) && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
}

/// Writes a file the server's user can read and nobody else (0600).
void write_private(const fs::path& file, const std::string& text, const RunAs& who) {
    write_file(file, text);
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    if (who.switch_user && ::chown(file.c_str(), who.uid, who.gid) != 0)
        throw seba::Error("cannot hand " + file.string() + " to the postgres user");
}

std::string random_password() {
    std::random_device random;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string password;
    for (int i = 0; i < 32; ++i) password += kHex[random() % 16];
    return password;
}

std::string tail(const std::string& text, std::size_t lines) {
    std::size_t at = text.size();
    for (std::size_t seen = 0; at > 0 && seen <= lines;)
        if (text[--at] == '\n') ++seen;
    return text.substr(at);
}

}  // namespace

Postgres::Postgres() : Postgres(Options{}) {
}

Postgres::Postgres(Options options) : options_(options), password_(random_password()) {
    const RunAs who = run_as();
    if (who.switch_user && ::chown(dir_.path().c_str(), who.uid, who.gid) != 0)
        throw seba::Error("cannot hand " + dir_.path().string() + " to the postgres user");

    // The cluster: trusted on the unix socket (in our 0700 directory), passwords over TCP.
    // initdb's own final sync is skipped: it only guards the new cluster against a power cut,
    // which no test makes; the server itself runs with fsync on.
    int status = 0;
    const pid_t initdb =
        spawn({SEBA_PG_BINDIR "/initdb", "-D", data_dir().string(), "-U", "postgres", "-E", "UTF8",
               "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
               "--no-instructions", "--wal-segsize=1"},
              dir_ / "initdb.log", who);
    if (!wait_exit(initdb, kInitdbLimit, status)) {
        ::kill(-initdb, SIGKILL);
        ::waitpid(initdb, nullptr, 0);
        throw seba::Error("initdb did not finish: " + tail(read_file(dir_ / "initdb.log"), 20));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw seba::Error("initdb failed: " + tail(read_file(dir_ / "initdb.log"), 20));

    std::string hba = "local all all trust\n";
    if (options_.tls) {
        certificate_ = dir_ / "server.crt";
        const ProcessResult cert = run_process(
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
            "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
            (dir_ / "server.key").string() + " -out " + certificate_.string() + " 2>&1");
        if (cert.exit_code != 0)
            throw seba::Error("openssl could not make a certificate: " + cert.output);
        write_private(dir_ / "server.key", read_file(dir_ / "server.key"), who);
        if (who.switch_user && ::chown(certificate_.c_str(), who.uid, who.gid) != 0)
            throw seba::Error("cannot hand the certificate to the postgres user");
        hba += "hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\n";
    } else {
        hba += "host all all 127.0.0.1/32 scram-sha-256\n";
    }
    write_private(data_dir() / "pg_hba.conf", hba, who);

    port_ = free_loopback_port();
    start_server();
    try {
        wait_until_ready();
        superuser_query("CREATE ROLE " + user_ + " LOGIN PASSWORD '" + password_ + "'", "postgres");
        superuser_query("CREATE DATABASE " + database_ + " OWNER " + user_, "postgres");
    } catch (...) {
        stop();  // no destructor runs for an object whose constructor threw
        throw;
    }
}

Postgres::~Postgres() {
    try {
        stop();
    } catch (...) {  // a destructor must not throw; the directory goes anyway
    }
}

std::string Postgres::uri() const {
    std::string uri = "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + database_ +
                      " user=" + user_ + " password=" + password_;
    if (options_.tls) uri += " sslmode=verify-full sslrootcert=" + certificate_.string();
    return uri;
}

std::string Postgres::superuser_uri(const std::string& database) const {
    return "host=" + dir_.path().string() + " port=" + std::to_string(port_) +
           " user=postgres connect_timeout=5 dbname=" + (database.empty() ? database_ : database);
}

std::string Postgres::superuser_query(const std::string& sql, const std::string& database) const {
    PGconn* connection = PQconnectdb(superuser_uri(database).c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(connection);
        PQfinish(connection);
        throw seba::Error("cannot connect to the test's PostgreSQL as superuser: " + why);
    }
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType state = PQresultStatus(result);
    std::string value;
    const bool ok = state == PGRES_TUPLES_OK || state == PGRES_COMMAND_OK;
    if (!ok)
        value = PQerrorMessage(connection);
    else if (PQntuples(result) > 0 && PQnfields(result) > 0)
        value = PQgetvalue(result, 0, 0);
    PQclear(result);
    PQfinish(connection);
    if (!ok)
        throw seba::Error("superuser SQL failed (" +
                          (sql.find(password_) == std::string::npos ? sql : "making the role") +
                          "): " + value);
    return value;
}

void Postgres::start_server() {
    std::vector<std::string> argv = {SEBA_PG_BINDIR "/postgres",
                                     "-D",
                                     data_dir().string(),
                                     "-c",
                                     "listen_addresses=127.0.0.1",
                                     "-c",
                                     "port=" + std::to_string(port_),
                                     "-c",
                                     "unix_socket_directories=" + dir_.path().string(),
                                     "-c",
                                     "fsync=on",
                                     "-c",
                                     "synchronous_commit=on",
                                     "-c",
                                     "max_connections=60",
                                     "-c",
                                     "shared_buffers=32MB"};
    if (options_.tls)
        for (const std::string& setting :
             {std::string("ssl=on"), "ssl_cert_file=" + certificate_.string(),
              "ssl_key_file=" + (dir_ / "server.key").string()}) {
            argv.push_back("-c");
            argv.push_back(setting);
        }
    pid_ = spawn(argv, dir_ / "postgres.log", run_as());
}

void Postgres::wait_until_ready() {
    const std::string probe = superuser_uri("postgres");
    const auto deadline = Clock::now() + kReadyLimit;
    for (;;) {
        if (PQping(probe.c_str()) == PQPING_OK) return;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw seba::Error("PostgreSQL did not start: " + log_tail());
        }
        if (Clock::now() >= deadline) {
            stop();
            throw seba::Error("PostgreSQL did not accept connections within 30 s: " + log_tail());
        }
        std::this_thread::sleep_for(20ms);
    }
}

void Postgres::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    wait_group_gone(pid_);
    pid_ = -1;
}

void Postgres::restart() {
    stop();
    start_server();
    wait_until_ready();
}

void Postgres::stop() {
    if (pid_ <= 0) return;
    int status = 0;
    ::kill(pid_, SIGINT);  // PostgreSQL's fast shutdown: roll back sessions, checkpoint, exit
    if (!wait_exit(pid_, kShutdownLimit, status)) {
        ::kill(-pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    wait_group_gone(pid_);
    pid_ = -1;
}

std::string Postgres::log_tail() const {
    return tail(read_file(dir_ / "postgres.log"), 20);
}

}  // namespace seba::testing
