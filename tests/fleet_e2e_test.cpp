// SPDX-License-Identifier: Apache-2.0
// Issue 22, part 3: a fleet. Three real seba-server processes share one store (one SQLite
// file, WAL; or one real PostgreSQL 15 that the test starts: every test runs on both) behind
// one seba-front (nginx, TLS with a certificate made for the test) whose
// upstream names all three (docs/deployment.md, "Several backends"). Real kiosks (the real
// sync client) sync through it while one backend is killed (SIGKILL) with a push in flight,
// and is started again; the server then holds every event exactly once, and every kiosk's
// catalog cursor is right. The protocol's checks hold across backends (a nonce used at one
// is refused at the others), and a burst from one device is limited at the front (429 with
// Retry-After, which the kiosk takes) while another device is served.
#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "fault_proxy.hpp"
#include "front.hpp"
#include "pg_pool.hpp"
#include "postgres.hpp"
#include "process.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/server/dashboard.hpp"
#include "seba/server/store.hpp"
#include "seba/signing.hpp"
#include "seba/storage.hpp"
#include "seba/sync_client.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kCentre = "dhaka-1";
constexpr const char* kChannel = "fleet.notices";

// Polls `done` every 20 ms for at most `limit`; true once it holds.
template <typename Done>
bool eventually(Done done, std::chrono::milliseconds limit = 10s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

// The store every backend of a fleet shares: one SQLite file, or one PostgreSQL database.
enum class Engine { sqlite, postgresql };

std::string engine_name(const ::testing::TestParamInfo<Engine>& info) {
    return info.param == Engine::sqlite ? "SQLite" : "PostgreSQL";
}
void PrintTo(Engine engine, std::ostream* out) {
    *out << (engine == Engine::sqlite ? "SQLite" : "PostgreSQL");
}

// How a backend (and the test itself) reaches the test's PostgreSQL: by password over TCP,
// as an operator's fleet does; each of the three backends and the test keeps a few
// connections (the test cluster allows 60).
server::pg::PoolConfig pool_config(const testing::Postgres& postgres) {
    server::pg::PoolConfig config;
    config.host = postgres.host();
    config.port = postgres.port();
    config.database = postgres.database();
    config.user = postgres.user();
    config.password = postgres.password();
    config.sslmode = "disable";
    config.max_connections = 8;
    return config;
}

// One seba-server process (`seba-server -c FILE serve`, as the package runs it), on its own
// port and metrics port, with the database, key files and content files every backend shares.
class Backend {
  public:
    /// On the SQLite file in `shared`, or on `postgres` when given.
    Backend(const fs::path& dir, const fs::path& shared, const testing::Postgres* postgres)
        : dir_(dir),
          port_(testing::free_loopback_port()),
          admin_port_(testing::free_loopback_port()) {
        fs::create_directories(dir);
        std::string store = fmt::format("database = \"{}\"\n", (shared / "server.db").string());
        if (postgres) {
            const server::pg::PoolConfig pool = pool_config(*postgres);
            // The password in a file only its owner reads, as the server demands.
            testing::write_file(dir / "pg-password", pool.password + "\n");
            fs::permissions(dir / "pg-password", fs::perms::owner_read | fs::perms::owner_write);
            store = fmt::format(
                "\n[store]\nengine = \"postgresql\"\n\n[postgresql]\nhost = \"{}\"\nport = {}\n"
                "database = \"{}\"\nuser = \"{}\"\npassword_file = \"pg-password\"\n"
                "sslmode = \"disable\"\nmax_connections = {}\n",
                pool.host, pool.port, pool.database, pool.user, pool.max_connections);
        }
        // [server] first: the store's tables follow it.
        std::ofstream(dir / "seba-server.toml") << fmt::format(
            "[server]\nlisten = \"127.0.0.1\"\nport = {}\nadmin_port = {}\nthreads = 8\n"
            "seal_key_file = \"{}\"\ntrust_key_file = \"{}\"\n"
            "files_dir = \"{}\"\nlog_dir = \"logs\"\n{}",
            port_, admin_port_, (shared / "seal-keys.json").string(),
            (shared / "trust.key").string(), (shared / "files").string(), store);
    }
    ~Backend() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    void start() {
        const std::string config = (dir_ / "seba-server.toml").string();
        const std::string out = (dir_ / "out.log").string();
        pid_ = ::fork();
        if (pid_ == 0) {
            int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
            ::execl(SEBA_SERVER_BIN, SEBA_SERVER_BIN, "-c", config.c_str(), "serve",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    /// Until /healthz answers; false (with the server's output in the test's log) if not.
    bool ready() {
        bool up = eventually([&] {
            httplib::Result r = http().Get("/healthz");
            return r && r->status == 200;
        });
        if (!up) ADD_FAILURE() << "backend did not start: " << output();
        return up;
    }
    /// As a crash or a power cut at that machine: no clean stop, nothing flushed.
    void kill() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    httplib::Client http() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_connection_timeout(1, 0);
        c.set_read_timeout(10, 0);
        return c;
    }
    std::string metrics() const {
        httplib::Result r = httplib::Client("127.0.0.1", admin_port_).Get("/metrics");
        return r ? r->body : std::string();
    }
    std::string output() const {
        std::ifstream in(dir_ / "out.log");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    int port() const { return port_; }

  private:
    fs::path dir_;
    int port_;
    int admin_port_;
    pid_t pid_ = -1;
};

const Manifest& dc_manifest() {
    static const Manifest manifest = parse_manifest(
        R"({"id": "dc", "version": "1.0.0", "api": "1.0", "names": {"en": "DC"},
            "capabilities": ["storage", "outbox"], "events": ["dc.request_created"]})",
        "dc/manifest.json");
    return manifest;
}

Database kiosk_database(const fs::path& dir) {
    fs::create_directories(dir);
    Database db = Database::open(dir / "kiosk.db");
    migrate_core(db);
    db.exec("CREATE TABLE dc__requests (id INTEGER PRIMARY KEY, service TEXT)");
    return db;
}

// A kiosk: its database, a plugin that records citizens' requests, and the real sync client,
// which reaches the fleet through the front and trusts the front's certificate.
class Kiosk {
  public:
    Kiosk(const fs::path& dir, const testing::Front& front)
        : dir_(dir), db_(kiosk_database(dir)), dc_(db_, dc_manifest()), client(db_, [&] {
              SyncOptions o;
              o.server_url = front.url();
              o.ca_file = front.certificate();
              o.device_key_file = dir / "device.key";
              o.connect_timeout_ms = 2000;
              o.total_timeout_ms = 20000;
              return o;
          }()) {}

    // Citizens' requests, each with its event, as a plugin records them.
    void record(int count) {
        for (int i = 0; i < count; ++i)
            dc_.transaction([&] {
                dc_.prepare("INSERT INTO dc__requests (service) VALUES ('birth')").run();
                emitted.insert(dc_.emit("dc.request_created", {{"service", "birth"}, {"fee", 50}}));
            });
    }
    std::int64_t outbox(const char* state = "pending") {
        Statement q = db_.prepare("SELECT count(*) FROM core__outbox WHERE state = ?");
        q.bind(1, state);
        q.step();
        return q.integer(0);
    }
    signing::KeyPair key() const { return *signing::load_device_key(dir_ / "device.key"); }

    std::set<std::string> emitted;  // every event's uuid, as recorded

  private:
    fs::path dir_;
    Database db_;
    PluginStore dc_;

  public:
    SyncClient client;
};

struct Pushed {
    int accepted = 0;
    int duplicates = 0;
    int failures = 0;
};

// Pushes until the outbox is empty, as the kiosk's sync engine does: after a failure it
// waits (as Retry-After says, at most a second here) and tries again.
Pushed push_all(Kiosk& kiosk, int tries = 8) {
    Pushed p;
    for (int i = 0; i < tries && kiosk.outbox() > 0; ++i) {
        try {
            SyncClient::PushReport r = kiosk.client.push_outbox();
            p.accepted += r.accepted;
            p.duplicates += r.duplicates;
        } catch (const SyncError& e) {
            ++p.failures;
            std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
                e.retry_after.value_or(std::chrono::seconds(0)) + 200ms, 1s));
        }
    }
    EXPECT_EQ(kiosk.outbox(), 0) << "the outbox did not empty in " << tries << " tries";
    return p;
}

SyncClient::PullReport pull(Kiosk& kiosk, int tries = 5) {
    for (int i = 1;; ++i) {
        try {
            return kiosk.client.pull(kChannel);
        } catch (const SyncError& e) {
            if (i == tries) throw;
            std::this_thread::sleep_for(200ms);
        }
    }
}

std::vector<server::ChannelRecord> notices(int from, int to, const std::string& text) {
    std::vector<server::ChannelRecord> records;
    for (int i = from; i < to; ++i)
        records.push_back({fmt::format("n{:02}", i), json{{"text", text}, {"n", i}}.dump()});
    return records;
}

// A request signed now (or at `now_s`) by `kiosk`'s device, to send by hand.
struct SignedPush {
    std::string body;
    httplib::Headers headers;
};
SignedPush signed_push(Kiosk& kiosk, std::int64_t now_s) {
    SignedPush p;
    p.body = json{{"centre", kCentre},
                  {"events",
                   {{{"uuid", fmt::format("00000000-0000-4000-8000-{:012}", now_s % 1000000000)},
                     {"type", "dc.request_created"},
                     {"payload", {{"service", "by hand"}}}}}}}
                 .dump();
    signing::SignedHeaders h = signing::sign_request(kiosk.key(), kiosk.client.device_id(), "POST",
                                                     "/v1/events", p.body, now_s);
    p.headers = {{"X-Seba-Device", h.device},
                 {"X-Seba-Timestamp", h.timestamp},
                 {"X-Seba-Nonce", h.nonce},
                 {"X-Seba-Signature", h.signature}};
    return p;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class FleetTest : public ::testing::TestWithParam<Engine> {
  protected:
    // Three backends started at the same moment on one new database, as a fleet's first
    // start does; backend 0 is reached through a proxy that, with `hold_first_push`, holds
    // the first push it carries in flight (FaultProxy::Fault::Hold).
    void start_fleet(bool hold_first_push = false) {
        store_->create_centre(kCentre, "Dhaka Union Digital Centre");
        for (int i = 0; i < 3; ++i)
            backends_.push_back(std::make_unique<Backend>(dir_ / fmt::format("backend-{}", i),
                                                          dir_ / "shared", postgres_.get()));
        for (auto& b : backends_) b->start();
        for (auto& b : backends_) ASSERT_TRUE(b->ready());
        proxy_ = std::make_unique<testing::FaultProxy>(backends_[0]->port(),
                                                       testing::FaultProxy::Fault::Hold,
                                                       "POST /v1/events", hold_first_push ? 1 : 0);
        front_ = std::make_unique<testing::Front>(
            dir_ / "front",
            std::vector<int>{proxy_->port(), backends_[1]->port(), backends_[2]->port()},
            /*fail_timeout_s=*/1);
    }

    Kiosk& new_kiosk() {
        kiosks_.push_back(
            std::make_unique<Kiosk>(dir_ / fmt::format("kiosk-{}", kiosks_.size()), *front_));
        Kiosk& k = *kiosks_.back();
        k.client.enroll(
            store_->create_enrollment_code(kCentre, std::chrono::hours(1), server::Clock::now()),
            kCentre);
        return k;
    }

    // The front, as a script would reach it: TLS, the front's certificate trusted.
    std::unique_ptr<httplib::SSLClient> front_client() const {
        auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", front_->port());
        c->set_ca_cert_path(front_->certificate().c_str());
        c->enable_server_certificate_verification(true);
        c->set_read_timeout(10, 0);
        return c;
    }

    // The events the shared store holds from `kiosk`, by uuid, with how often each is there.
    std::map<std::string, int> stored(Kiosk& kiosk) {
        std::map<std::string, int> by_uuid;
        for (const server::StoredEvent& e : store_->events(kCentre))
            if (e.device == kiosk.client.device_id()) ++by_uuid[e.uuid];
        return by_uuid;
    }

    testing::TempDir dir_;
    // The PostgreSQL the fleet shares, started for this test (none on SQLite).
    std::unique_ptr<testing::Postgres> postgres_ =
        GetParam() == Engine::postgresql ? std::make_unique<testing::Postgres>() : nullptr;
    // The shared store as an operator's tools see it; opened first, so it makes the schema.
    std::unique_ptr<server::Store> store_ = [this] {
        fs::create_directories(dir_ / "shared");
        return postgres_ ? server::open_postgres_store(pool_config(*postgres_))
                         : server::open_sqlite_store(dir_ / "shared" / "server.db");
    }();
    std::vector<std::unique_ptr<Backend>> backends_;
    std::unique_ptr<testing::FaultProxy> proxy_;
    std::unique_ptr<testing::Front> front_;
    std::vector<std::unique_ptr<Kiosk>> kiosks_;
};

TEST_P(FleetTest, EveryEventIsStoredOnceWhenABackendIsKilledWithAPushInFlight) {
    start_fleet(/*hold_first_push=*/true);
    ASSERT_FALSE(HasFailure());
    store_->publish(kChannel, "", notices(0, 30, "first"), /*replace=*/true, /*dry_run=*/false);
    Kiosk& one = new_kiosk();
    Kiosk& two = new_kiosk();
    Kiosk& three = new_kiosk();
    for (Kiosk* k : {&one, &two, &three}) EXPECT_EQ(pull(*k).upserts, 30);

    // Kiosk one pushes batches of 50 until one goes to backend 0, whose proxy holds it there
    // (the front's round robin sends every third request there; a health check between tries
    // moves the turn, in case the pushes keep missing it).
    std::future<SyncClient::PushReport> held;
    for (int attempt = 0; attempt < 9 && proxy_->faults_seen()[5] == 0; ++attempt) {
        one.record(50);
        held = std::async(std::launch::async, [&] { return one.client.push_outbox(); });
        eventually([&] {
            return proxy_->faults_seen()[5] > 0 || held.wait_for(0s) == std::future_status::ready;
        });
        if (proxy_->faults_seen()[5] == 0) {
            EXPECT_EQ(held.get().accepted, 50);
            for (int shift = 0; shift <= attempt % 2; ++shift) front_client()->Get("/healthz");
        }
    }
    ASSERT_EQ(proxy_->faults_seen()[5], 1) << "no push went to backend 0";
    // Backend 0 has stored the batch and not yet answered: killed now, its answer never leaves.
    ASSERT_TRUE(eventually([&] { return stored(one).size() == one.emitted.size(); }))
        << "backend 0 did not store the held push";
    backends_[0]->kill();
    EXPECT_THROW(held.get(), SyncError) << "the kiosk heard no answer: the push failed for it";
    EXPECT_EQ(one.outbox(), 50) << "nothing leaves the outbox without an answer";

    // The kiosk tries again; another backend finds every event already there.
    Pushed retried = push_all(one);
    EXPECT_EQ(retried.duplicates, 50);
    EXPECT_EQ(retried.accepted, 0);

    // While backend 0 is down, the others serve pushes and pulls (the front leaves it out,
    // and a GET that met it goes on to the next backend). The catalog changes meanwhile:
    // five changed, five removed, two added.
    store_->publish(
        kChannel, "",
        [] {
            auto r = notices(0, 5, "changed");
            for (auto& more : notices(5, 25, "first")) r.push_back(more);
            for (auto& more : notices(30, 32, "added")) r.push_back(more);
            return r;
        }(),
        /*replace=*/true, /*dry_run=*/false);
    for (Kiosk* k : {&two, &three}) {
        k->record(40);
        EXPECT_EQ(push_all(*k).duplicates, 0);
    }
    for (Kiosk* k : {&one, &two, &three}) {
        SyncClient::PullReport r = pull(*k);
        EXPECT_EQ(r.upserts, 7) << "the changes since its cursor, not the whole channel";
        EXPECT_EQ(r.deletes, 5);
        EXPECT_FALSE(r.snapshot);
    }

    // Backend 0 comes back (the same configuration, the same shared store and keys) and is
    // given pushes again once the front's fail_timeout has passed.
    backends_[0]->start();
    ASSERT_TRUE(backends_[0]->ready());
    const std::string served = "seba_requests_total{path=\"/v1/events\",code=\"200\"}";
    for (int round = 0; round < 10 && backends_[0]->metrics().find(served) == std::string::npos;
         ++round) {
        std::this_thread::sleep_for(300ms);
        for (Kiosk* k : {&one, &two, &three}) {
            k->record(5);
            push_all(*k);
        }
    }
    EXPECT_THAT(backends_[0]->metrics(), HasSubstr(served)) << "the restarted backend serves";

    // Every event once, and only the kiosks' own; every outbox empty; every cursor current.
    std::size_t total = 0;
    for (Kiosk* k : {&one, &two, &three}) {
        std::map<std::string, int> held_by_server = stored(*k);
        EXPECT_EQ(held_by_server.size(), k->emitted.size());
        for (const auto& [uuid, count] : held_by_server) {
            EXPECT_EQ(count, 1) << uuid;
            EXPECT_TRUE(k->emitted.count(uuid)) << uuid << " was never recorded by this kiosk";
        }
        EXPECT_EQ(k->outbox("pending"), 0);
        EXPECT_EQ(k->outbox("failed"), 0);
        EXPECT_FALSE(pull(*k).changed());
        total += k->emitted.size();
    }
    EXPECT_EQ(static_cast<std::size_t>(store_->event_count()), total);
}

TEST_P(FleetTest, TheProtocolsChecksHoldAcrossBackends) {
    start_fleet();
    ASSERT_FALSE(HasFailure());
    // Started together on one new database, the backends made one set of keys: a kiosk
    // seals to the same key whichever backend it asks.
    std::set<std::string> seal_keys;
    for (auto& b : backends_) {
        httplib::Result r = b->http().Get("/v1/seal-key");
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 200);
        seal_keys.insert(json::parse(r->body).at("id").get<std::string>());
    }
    EXPECT_EQ(seal_keys.size(), 1u);

    // Enrollment and signed pushes through the front.
    Kiosk& kiosk = new_kiosk();
    kiosk.record(3);
    EXPECT_EQ(kiosk.client.push_outbox().accepted, 3);

    // One signed request, taken at one backend, is refused as a replay at every other.
    SignedPush once = signed_push(kiosk, unix_now());
    httplib::Result first =
        backends_[1]->http().Post("/v1/events", once.headers, once.body, "application/json");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200) << first->body;
    for (int i : {2, 0}) {
        httplib::Result again = backends_[static_cast<std::size_t>(i)]->http().Post(
            "/v1/events", once.headers, once.body, "application/json");
        ASSERT_TRUE(again);
        EXPECT_EQ(again->status, 409) << "backend " << i << ": " << again->body;
        EXPECT_THAT(again->body, HasSubstr("replayed_nonce"));
    }
    // Through the front: a new request is taken once, and its replays, which the round robin
    // gives to the other backends, are refused.
    SignedPush fresh = signed_push(kiosk, unix_now() + 1);
    for (int i = 0; i < 3; ++i) {
        httplib::Result r =
            front_client()->Post("/v1/events", fresh.headers, fresh.body, "application/json");
        ASSERT_TRUE(r) << httplib::to_string(r.error());
        EXPECT_EQ(r->status, i == 0 ? 200 : 409) << r->body;
    }
    // A request from too far in the past, or from a device nobody enrolled.
    SignedPush stale = signed_push(kiosk, unix_now() - 1000);
    httplib::Result late =
        front_client()->Post("/v1/events", stale.headers, stale.body, "application/json");
    ASSERT_TRUE(late);
    EXPECT_EQ(late->status, 401);
    EXPECT_THAT(late->body, HasSubstr("stale_timestamp"));
    SignedPush stranger = signed_push(kiosk, unix_now());
    for (auto& [name, value] : stranger.headers)
        if (name == "X-Seba-Device") value = "dev-0000000000000000";
    httplib::Result unknown =
        front_client()->Post("/v1/events", stranger.headers, stranger.body, "application/json");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 401);
    EXPECT_THAT(unknown->body, HasSubstr("unknown_device"));
    EXPECT_EQ(store_->event_count(), 5) << "three pushed, two by hand, once each";

    // The dashboard's sign-in form from one backend signs in at another, and the session
    // opens the dashboard at a third.
    server::create_dashboard_user(*store_, "pilot", "correct horse battery");
    httplib::Result form = backends_[0]->http().Get("/dashboard/login");
    ASSERT_TRUE(form);
    std::string prelogin;
    for (const auto& [header, value] : form->headers)
        if (header == "Set-Cookie" && value.starts_with("seba_prelogin="))
            prelogin = value.substr(14, value.find(';') - 14);
    std::smatch csrf;
    ASSERT_TRUE(
        std::regex_search(form->body, csrf, std::regex(R"re(name="csrf" value="([0-9a-f]+)")re")));
    httplib::Result signed_in = backends_[1]->http().Post(
        "/dashboard/login", {{"Cookie", "seba_prelogin=" + prelogin}},
        "user=pilot&password=correct%20horse%20battery&lang=en&csrf=" + csrf[1].str(),
        "application/x-www-form-urlencoded");
    ASSERT_TRUE(signed_in);
    EXPECT_EQ(signed_in->status, 303) << signed_in->body;
    std::string session;
    for (const auto& [header, value] : signed_in->headers)
        if (header == "Set-Cookie" && value.starts_with("seba_session="))
            session = value.substr(13, value.find(';') - 13);
    ASSERT_FALSE(session.empty());
    httplib::Result page =
        backends_[2]->http().Get("/dashboard?lang=en", {{"Cookie", "seba_session=" + session}});
    ASSERT_TRUE(page);
    EXPECT_THAT(page->body, HasSubstr("Signed in as <b>pilot</b>")) << "the session holds";
    EXPECT_EQ(page->status, 200) << "the page is whole on either store: " << page->body;
}

TEST_P(FleetTest, ABurstFromOneDeviceIsLimitedWhileAnotherDeviceIsServed) {
    start_fleet();
    ASSERT_FALSE(HasFailure());
    store_->publish(kChannel, "", notices(0, 3, "first"), /*replace=*/true, /*dry_run=*/false);
    Kiosk& noisy = new_kiosk();
    Kiosk& quiet = new_kiosk();

    // Requests in the name of one device, faster than its 5 a second and slower than the
    // address's 50 (so the address stays in credit for the other device), until the check
    // below is done. Paced and kept up rather than a fixed count: under CI's load a fixed
    // burst took so long that the device's allowance refilled meanwhile.
    std::atomic<int> sent = 0, limited = 0, limited_unlike_the_contract = 0;
    const std::string noisy_device = noisy.client.device_id();
    // Stopped and joined when the test ends, however it ends.
    std::jthread burst([&](std::stop_token stop) {
        std::unique_ptr<httplib::SSLClient> client = front_client();
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while (!stop.stop_requested() && std::chrono::steady_clock::now() < deadline) {
            const auto next = std::chrono::steady_clock::now() + 25ms;
            httplib::Result r = client->Get(std::string("/v1/channels/") + kChannel,
                                            {{"X-Seba-Device", noisy_device}});
            ++sent;
            if (r && r->status == 429) {
                ++limited;
                // Past its burst the front answers, saying when to come back, before any
                // backend sees the request.
                if (r->get_header_value("Retry-After") != "1" ||
                    r->body.find("too_many_requests") == std::string::npos)
                    ++limited_unlike_the_contract;
            }
            std::this_thread::sleep_until(next);
        }
    });
    ASSERT_TRUE(eventually([&] { return limited >= 30; }, 60s))
        << "of " << sent << " requests from one device, " << limited << " were limited";
    EXPECT_EQ(limited_unlike_the_contract, 0);

    // The kiosk itself is told to wait, and how long (its engine waits so long). The device
    // gets one request through every 200 ms; the burst takes nearly all of them, so one of
    // a few tries is turned away unless nothing limits the device at all.
    std::optional<std::chrono::seconds> told_to_wait;
    std::int64_t noisy_upserts = 0;  // a try that got through took the notices already
    for (int attempt = 0; attempt < 5 && !told_to_wait; ++attempt) {
        try {
            noisy_upserts += noisy.client.pull(kChannel).upserts;
        } catch (const SyncError& e) {
            told_to_wait = e.retry_after;
        }
    }
    ASSERT_TRUE(told_to_wait) << "the device past its limit was served 5 times of 5";
    EXPECT_EQ(*told_to_wait, std::chrono::seconds(1));
    // ...while another device at the same address is served at once...
    EXPECT_EQ(quiet.client.pull(kChannel).upserts, 3);
    // ...and once the burst stops and that wait is over, it is served again.
    burst.request_stop();
    burst.join();
    std::this_thread::sleep_for(1100ms);
    try {
        noisy_upserts += noisy.client.pull(kChannel).upserts;
    } catch (const SyncError& e) {
        ADD_FAILURE() << "the device was still refused after its wait: " << e.what();
    }
    EXPECT_EQ(noisy_upserts, 3);
}

INSTANTIATE_TEST_SUITE_P(Stores, FleetTest, ::testing::Values(Engine::sqlite, Engine::postgresql),
                         engine_name);

}  // namespace
}  // namespace seba
