// SPDX-License-Identifier: Apache-2.0
// seba-herd: the reconnect herd after a national outage (issue 22, docs/performance.md "The
// reconnect herd"). Thousands of simulated kiosks, each with a backlog of events, come back
// within --outage-window seconds and push it with the kiosk's own protocol and retry policy:
// requests signed with seba::signing (as SyncClient signs them), libcurl with the kiosk's
// timeouts (SyncOptions' defaults) and one connection per kiosk, batches sent back to back
// until the backlog is empty, and after a failure seba::SyncEngine::backoff (full jitter,
// the server's Retry-After honoured exactly).
//
// Setup, "before the outage": the centres and one enrollment code per kiosk are made with
// the server library in the server's store file (--store; one process, seconds for 10,000,
// where `seba-server admin enroll-code` once per kiosk took minutes), then every kiosk
// enrolls over HTTP, in parallel, with a key made in memory and kept only there.
// The kiosks are split over --processes forked processes of --threads threads each; a free
// thread takes whichever of its process's kiosks has waited long enough. At the end the store
// file is read back: it must hold every event of the herd exactly once.
#include <curl/curl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pg_pool.hpp"
#include "report.hpp"
#include "seba/logging.hpp"
#include "seba/server/store.hpp"
#include "seba/signing.hpp"
#include "seba/storage.hpp"
#include "seba/sync_client.hpp"
#include "seba/sync_engine.hpp"
#include "temp_dir.hpp"

namespace {

using nlohmann::json;
using Steady = std::chrono::steady_clock;
using seba::herd::KioskResult;
using seba::herd::ProcessResults;
using seba::herd::Sample;

struct Options {
    std::string url = "http://127.0.0.1:8470";
    std::string ca_file;
    std::string store;
    std::string postgresql;  // "host=... port=... dbname=... user=...": the store is there
    std::string pg_password_file;
    int kiosks = 1000;
    int centres = 0;  // 0: one per kiosk, as in Bangladesh
    int backlog = 20;
    int batch = 50;
    int processes = 2;
    int threads = 64;
    double outage_window_s = 60;
    double deadline_s = 600;
    double setup_timeout_s = 600;
    long backoff_base_ms = 1000;
    long backoff_cap_ms = 300000;
    bool json_output = false;
    std::string enroll = "store";  // or "http"
};

struct Kiosk {
    int index = 0;
    std::string centre;
    std::string code;
    std::string device;
    seba::signing::KeyPair key;
    CURL* curl = nullptr;  // its own connection, reused as the kiosk reuses its one
    int next_event = 0;    // events before it are acknowledged
    int attempt = 0;       // failures in a row
    Steady::time_point due;
    Steady::time_point asked_at;  // when the server last said Retry-After
    std::chrono::seconds asked_wait{0};
    KioskResult result;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    const std::size_t n = size * count;
    if (body->size() + n > seba::sync_limits::kMaxReplyBytes) return 0;
    body->append(data, n);
    return n;
}

// The kiosk's transfer settings (core/src/sync_client.cpp): TLS 1.2 or later, verified
// against --ca-file, gzip asked for, every timeout set, no signals, TCP keepalive.
void kiosk_transfer(CURL* curl, const Options& o, long total_ms) {
    const seba::SyncOptions kiosk;
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!o.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kiosk.connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, std::min(total_ms, kiosk.total_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, kiosk.low_speed_bytes_per_s);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, kiosk.low_speed_time_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
}

struct Reply {
    long status = 0;  // HTTP status; 0 with `transport` set when none came
    CURLcode transport = CURLE_OK;
    std::string body;
    std::chrono::seconds retry_after{0};
};

Reply post(CURL* curl, const Options& o, const std::string& path, const std::string& body,
           curl_slist* headers, long total_ms) {
    Reply reply;
    const std::string url = o.url + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    kiosk_transfer(curl, o, total_ms);
    reply.transport = curl_easy_perform(curl);
    if (reply.transport != CURLE_OK) return reply;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_off_t wait = 0;
    if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &wait) == CURLE_OK && wait > 0)
        reply.retry_after = std::chrono::seconds(wait);
    return reply;
}

// The same uuid for the same event of the same run, in every process and in the check.
std::string event_uuid(const std::string& run, int kiosk, int event) {
    const std::string name = fmt::format("{}:{}:{}", run, kiosk, event);
    unsigned char id[16];
    crypto_generichash(id, sizeof id, reinterpret_cast<const unsigned char*>(name.data()),
                       name.size(), nullptr, 0);
    id[6] = static_cast<unsigned char>((id[6] & 0x0f) | 0x40);
    id[8] = static_cast<unsigned char>((id[8] & 0x3f) | 0x80);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    const std::string h(hex);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

// The next batch of a kiosk's backlog, as push_outbox() builds it.
std::string push_body(const Options& o, const std::string& run, const Kiosk& k) {
    json events = json::array();
    const int end = std::min(k.next_event + o.batch, o.backlog);
    for (int e = k.next_event; e < end; ++e)
        events.push_back({{"uuid", event_uuid(run, k.index, e)},
                          {"type", "dc.request_created"},
                          {"payload", {{"service", "birth_registration"}, {"fee", 50}}},
                          {"created_at", seba::utc_now_iso()},
                          {"clock_checked", true}});
    return json{{"centre", k.centre}, {"events", std::move(events)}}.dump();
}

// The kiosks of one process, handed to whichever thread is free once their wait is over.
class Schedule {
  public:
    Schedule(std::vector<Kiosk>& kiosks, Steady::time_point deadline)
        : kiosks_(kiosks), deadline_(deadline) {}

    void add(int slot) {
        std::lock_guard lock(mutex_);
        waiting_.emplace(kiosks_[static_cast<std::size_t>(slot)].due, slot);
        wake_.notify_one();
    }
    /// The next kiosk whose wait is over; -1 when none is left or the deadline passed.
    int next() {
        std::unique_lock lock(mutex_);
        for (;;) {
            const auto now = Steady::now();
            if (now >= deadline_) return -1;
            if (waiting_.empty()) {
                if (busy_ == 0) return -1;
                wake_.wait_until(lock, deadline_);
                continue;
            }
            if (waiting_.top().first <= now) break;
            wake_.wait_until(lock, std::min(waiting_.top().first, deadline_));
        }
        const int slot = waiting_.top().second;
        waiting_.pop();
        ++busy_;
        return slot;
    }
    /// The kiosk's request is over: back in line when `again`, else done.
    void done(int slot, bool again) {
        std::lock_guard lock(mutex_);
        --busy_;
        if (again) waiting_.emplace(kiosks_[static_cast<std::size_t>(slot)].due, slot);
        wake_.notify_all();
    }

  private:
    using Entry = std::pair<Steady::time_point, int>;
    std::vector<Kiosk>& kiosks_;
    Steady::time_point deadline_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> waiting_;
    int busy_ = 0;
};

std::int64_t micros(Steady::time_point t, Steady::time_point zero) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - zero).count();
}

// One push of the kiosk's next batch; reschedules it as the kiosk's sync engine would.
// Returns whether the kiosk has more to send.
bool push_once(const Options& o, const std::string& run, Kiosk& k, Steady::time_point zero,
               Steady::time_point deadline, std::mt19937& random, std::vector<Sample>& samples) {
    Sample s;
    s.due_us = micros(k.due, zero);
    const auto start = Steady::now();
    if (k.asked_wait.count() > 0) {
        ++k.result.waits_followed;
        if (start >= k.asked_at + k.asked_wait) ++k.result.waits_honoured;
        k.asked_wait = std::chrono::seconds(0);
    }
    const std::string body = push_body(o, run, k);
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const seba::signing::SignedHeaders h =
        seba::signing::sign_request(k.key, k.device, "POST", "/v1/events", body, now_s);
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const std::string& line :
         {"X-Seba-Device: " + h.device, "X-Seba-Timestamp: " + h.timestamp,
          "X-Seba-Nonce: " + h.nonce, "X-Seba-Signature: " + h.signature})
        headers = curl_slist_append(headers, line.c_str());
    if (!k.curl) k.curl = curl_easy_init();
    const long left_ms = std::max<long>(
        1, static_cast<long>(
               std::chrono::duration_cast<std::chrono::milliseconds>(deadline - start).count()));
    s.start_us = micros(start, zero);
    const Reply reply = post(k.curl, o, "/v1/events", body, headers, left_ms);
    const auto end = Steady::now();
    curl_slist_free_all(headers);
    s.end_us = micros(end, zero);
    s.status = reply.transport != CURLE_OK ? -static_cast<std::int32_t>(reply.transport)
                                           : static_cast<std::int32_t>(reply.status);
    s.retry_after_s = static_cast<std::int32_t>(reply.retry_after.count());
    int acknowledged = 0;
    if (reply.status == 200) {
        json answer = json::parse(reply.body, nullptr, false);
        if (answer.is_object() && answer.contains("results") && answer["results"].is_array())
            for (const json& r : answer["results"]) {
                const std::string status = r.value("status", "");
                if (status == "accepted")
                    ++s.accepted;
                else if (status == "duplicate")
                    ++s.duplicates;
                else if (status == "conflict" || status == "rejected")
                    ++s.refused;
                else
                    continue;
                ++acknowledged;
            }
    }
    samples.push_back(s);
    if (acknowledged > 0) {
        // As push_outbox(): the next batch at once, until the outbox is empty.
        k.attempt = 0;
        k.next_event += acknowledged;
        k.result.acknowledged += s.accepted + s.duplicates;
        k.due = end;
        if (k.next_event < o.backlog) return true;
        k.result.drained_us = s.end_us;
        return false;
    }
    // As the sync engine after a failed sync: full-jitter backoff, or exactly Retry-After.
    seba::SyncEngine::Timing timing;
    timing.backoff_base = std::chrono::milliseconds(o.backoff_base_ms);
    timing.backoff_cap = std::chrono::milliseconds(o.backoff_cap_ms);
    ++k.attempt;
    std::optional<std::chrono::seconds> asked;
    if (reply.retry_after.count() > 0) {
        asked = reply.retry_after;
        k.asked_at = end;
        k.asked_wait = reply.retry_after;
    }
    k.due = end + seba::SyncEngine::backoff(k.attempt, timing, asked, random);
    return true;
}

// Enrolls the kiosks over HTTP on `threads` threads, each with a key made here. A kiosk
// whose enrollment keeps failing is left out of the herd (and counted).
void enroll_all(const Options& o, std::vector<Kiosk>& kiosks, ProcessResults& results) {
    std::atomic<std::size_t> next{0};
    std::atomic<int> enrolled{0}, failed{0};
    const auto until = Steady::now() + std::chrono::duration_cast<Steady::duration>(
                                           std::chrono::duration<double>(o.setup_timeout_s));
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t)
        threads.emplace_back([&] {
            CURL* curl = curl_easy_init();
            curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
            for (std::size_t i; (i = next++) < kiosks.size();) {
                Kiosk& k = kiosks[i];
                k.key = seba::signing::generate_key_pair();
                const std::string body = json{
                    {"code", k.code},
                    {"public_key", seba::signing::to_base64(k.key.public_key)},
                    {"centre", k.centre}}.dump();
                // The same code with the same key again is the same device (a lost reply).
                for (int attempt = 1; attempt <= 8 && Steady::now() < until; ++attempt) {
                    const Reply reply = post(curl, o, "/v1/enroll", body, headers, 30000);
                    if (reply.status == 201) {
                        json answer = json::parse(reply.body, nullptr, false);
                        if (answer.is_object() && answer.value("device", "") != "") {
                            k.device = answer["device"].get<std::string>();
                            break;
                        }
                    }
                    if (reply.status >= 400 && reply.status < 500 && reply.status != 429) break;
                    std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
                }
                (k.device.empty() ? failed : enrolled)++;
            }
            curl_slist_free_all(headers);
            curl_easy_cleanup(curl);
        });
    for (std::thread& t : threads) t.join();
    results.enrolled = enrolled;
    results.enroll_failures = failed;
}

// The outage ends at `zero`: every enrolled kiosk comes back at a random time within the
// window and pushes its backlog.
void run_herd(const Options& o, const std::string& run, std::vector<Kiosk>& kiosks,
              Steady::time_point zero, ProcessResults& results) {
    const auto deadline = zero + std::chrono::duration_cast<Steady::duration>(
                                     std::chrono::duration<double>(o.deadline_s));
    Schedule schedule(kiosks, deadline);
    std::mt19937 random(std::random_device{}());
    std::uniform_real_distribution<double> back(0, o.outage_window_s);
    for (std::size_t i = 0; i < kiosks.size(); ++i) {
        Kiosk& k = kiosks[i];
        k.result.index = k.index;
        k.due = zero + std::chrono::duration_cast<Steady::duration>(
                           std::chrono::duration<double>(back(random)));
        k.result.return_us = micros(k.due, zero);
        if (!k.device.empty()) schedule.add(static_cast<int>(i));
    }
    std::vector<std::vector<Sample>> samples(static_cast<std::size_t>(o.threads));
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t)
        threads.emplace_back([&, t] {
            std::mt19937 random_t(std::random_device{}());
            auto& mine = samples[static_cast<std::size_t>(t)];
            for (int slot; (slot = schedule.next()) >= 0;) {
                const bool again = push_once(o, run, kiosks[static_cast<std::size_t>(slot)], zero,
                                             deadline, random_t, mine);
                schedule.done(slot, again);
            }
        });
    for (std::thread& t : threads) t.join();
    for (auto& s : samples) results.samples.insert(results.samples.end(), s.begin(), s.end());
    for (Kiosk& k : kiosks) {
        results.kiosks.push_back(k.result);
        if (k.curl) curl_easy_cleanup(k.curl);
    }
}

bool write_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool read_all(int fd, void* data, std::size_t size, int timeout_ms) {
    char* p = static_cast<char*>(data);
    while (size > 0) {
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, timeout_ms) <= 0) return false;
        const ssize_t n = ::read(fd, p, size);
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// A forked process of the herd: enroll, say so, wait for the outage's end, run, write results.
[[noreturn]] void child(const Options& o, const std::string& run, std::vector<Kiosk> kiosks,
                        int to_parent, int from_parent, const std::string& results_file) {
    ProcessResults results;
    if (o.enroll == "http") enroll_all(o, kiosks, results);
    const std::int32_t ready[2] = {results.enrolled, results.enroll_failures};
    std::int64_t end_of_outage_us = 0;  // system clock: the same in every process
    if (!write_all(to_parent, ready, sizeof ready) ||
        !read_all(from_parent, &end_of_outage_us, sizeof end_of_outage_us,
                  static_cast<int>(o.setup_timeout_s * 1000)))
        ::_exit(3);
    const auto wall_now = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    const auto zero = Steady::now() + std::chrono::microseconds(end_of_outage_us - wall_now);
    std::this_thread::sleep_until(zero);
    run_herd(o, run, kiosks, zero, results);
    ::_exit(seba::herd::write_results(results_file, results) ? 0 : 4);
}

// The store the server(s) share: the SQLite file, or the PostgreSQL database (the password
// from a 0600 file, never from the command line, which `ps` shows).
std::unique_ptr<seba::server::Store> open_store(const Options& o) {
    if (o.postgresql.empty()) return seba::server::open_sqlite_store(o.store);
    seba::server::pg::PoolConfig config;
    config.sslmode = "disable";  // loopback; a real deployment names its sslmode
    std::istringstream words(o.postgresql);
    for (std::string word; words >> word;) {
        const std::size_t eq = word.find('=');
        const std::string key = word.substr(0, eq),
                          value = eq == std::string::npos ? "" : word.substr(eq + 1);
        if (key == "host")
            config.host = value;
        else if (key == "port")
            config.port = std::stoi(value);
        else if (key == "dbname")
            config.database = value;
        else if (key == "user")
            config.user = value;
        else if (key == "sslmode")
            config.sslmode = value;
        else
            throw std::runtime_error("--postgresql: unknown key " + key +
                                     " (host, port, dbname, user, sslmode)");
    }
    if (!o.pg_password_file.empty()) {
        std::ifstream in(o.pg_password_file);
        std::getline(in, config.password);
        if (config.password.empty())
            throw std::runtime_error("--pg-password-file is empty or unreadable");
    }
    config.max_connections = 4;
    config.acquire_timeout = std::chrono::seconds(30);
    return seba::server::open_postgres_store(config);
}

std::string store_name(const Options& o) {
    return o.postgresql.empty() ? o.store : "PostgreSQL (" + o.postgresql + ")";
}

// Every event of the run's centres in the store, against the herd's own: each once.
void check_store(const Options& o, const std::string& run, const std::vector<Kiosk>& kiosks,
                 const std::vector<std::string>& centres, seba::herd::RunFacts& facts) {
    std::set<std::string> expected;
    for (const Kiosk& k : kiosks)
        for (int e = 0; e < o.backlog; ++e) expected.insert(event_uuid(run, k.index, e));
    facts.stored_expected = static_cast<std::int64_t>(expected.size());
    std::unique_ptr<seba::server::Store> store = open_store(o);
    facts.stored = 0;
    for (const std::string& centre : centres)
        for (const seba::server::StoredEvent& e : store->events(centre)) {
            ++facts.stored;
            if (expected.erase(e.uuid) == 0) ++facts.unexpected;
        }
    facts.missing = static_cast<std::int64_t>(expected.size());
}

double cpu_seconds(const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"seba-herd: thousands of kiosks back after an outage, each with a backlog"};
    Options o;
    app.add_option("--url", o.url, "the server or its front (http://127.0.0.1 or https://)")
        ->capture_default_str();
    app.add_option("--ca-file", o.ca_file, "PEM certificates the https:// server must chain to");
    app.add_option("--store", o.store,
                   "the server's SQLite store file: centres and codes are made in it, and the "
                   "events are counted in it at the end");
    app.add_option("--postgresql", o.postgresql,
                   "instead of --store: the PostgreSQL the servers share, as \"host=H port=P "
                   "dbname=D user=U\"");
    app.add_option("--pg-password-file", o.pg_password_file,
                   "the file (0600) that holds --postgresql's password");
    app.add_option("--kiosks", o.kiosks, "simulated kiosks")
        ->check(CLI::Range(1, 20000))
        ->capture_default_str();
    app.add_option("--centres", o.centres, "centres the kiosks belong to (0: one each)")
        ->check(CLI::Range(0, 20000))
        ->capture_default_str();
    app.add_option("--backlog", o.backlog, "events each kiosk kept during the outage")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--batch", o.batch, "events per push")
        ->check(CLI::Range(1, static_cast<int>(seba::sync_limits::kMaxEventsPerPush)))
        ->capture_default_str();
    app.add_option("--processes", o.processes, "forked processes")
        ->check(CLI::Range(1, 16))
        ->capture_default_str();
    app.add_option("--threads", o.threads, "threads per process (each serves many kiosks)")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    app.add_option("--outage-window", o.outage_window_s,
                   "kiosks come back spread over this many seconds (0: all at once)")
        ->check(CLI::Range(0.0, 3600.0))
        ->capture_default_str();
    app.add_option("--deadline", o.deadline_s,
                   "seconds after the outage's end when the herd stops, drained or not")
        ->check(CLI::Range(1.0, 3600.0))
        ->capture_default_str();
    app.add_option("--setup-timeout", o.setup_timeout_s, "seconds the enrollment may take")
        ->check(CLI::Range(1.0, 3600.0))
        ->capture_default_str();
    app.add_option("--backoff-base-ms", o.backoff_base_ms, "the kiosk's backoff base")
        ->check(CLI::Range(1L, 3600000L))
        ->capture_default_str();
    app.add_option("--backoff-cap-ms", o.backoff_cap_ms, "the kiosk's backoff cap")
        ->check(CLI::Range(1L, 3600000L))
        ->capture_default_str();
    app.add_option("--enroll", o.enroll,
                   "store: enroll the kiosks with the server library in --store before the "
                   "outage (seconds for 10,000); http: each over POST /v1/enroll, in parallel")
        ->check(CLI::IsMember({"store", "http"}))
        ->capture_default_str();
    app.add_flag("--json", o.json_output, "print the figures as JSON");
    CLI11_PARSE(app, argc, argv);
    if (o.store.empty() == o.postgresql.empty()) {
        std::cerr << "seba-herd: give the servers' store: --store FILE or --postgresql ...\n";
        return 2;
    }
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 2;
    while (o.url.ends_with('/')) o.url.pop_back();
    if (o.centres == 0 || o.centres > o.kiosks) o.centres = o.kiosks;
    // Every kiosk keeps its connection, as a kiosk does: one descriptor each.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }

    seba::testing::TempDir dir;
    seba::logging::init(dir / "logs", "warn", false);
    unsigned char run_bytes[4];
    randombytes_buf(run_bytes, sizeof run_bytes);
    char run_hex[9];
    sodium_bin2hex(run_hex, sizeof run_hex, run_bytes, sizeof run_bytes);
    const std::string run = run_hex;

    // Before the outage: the centres and codes, in the store file.
    seba::herd::RunFacts facts;
    facts.url = o.url;
    facts.enroll = o.enroll;
    facts.kiosks = o.kiosks;
    facts.backlog = o.backlog;
    facts.batch = o.batch;
    facts.processes = o.processes;
    facts.threads = o.threads;
    facts.outage_window_s = o.outage_window_s;
    facts.deadline_s = o.deadline_s;
    std::vector<std::string> centres;
    std::vector<Kiosk> kiosks(static_cast<std::size_t>(o.kiosks));
    auto started = Steady::now();
    try {
        std::unique_ptr<seba::server::Store> store = open_store(o);
        for (int c = 0; c < o.centres; ++c) {
            centres.push_back(fmt::format("herd-{}-{}", run, c));
            store->create_centre(centres.back(), fmt::format("Herd centre {}", c));
        }
        for (int i = 0; i < o.kiosks; ++i) {
            Kiosk& k = kiosks[static_cast<std::size_t>(i)];
            k.index = i;
            k.centre = centres[static_cast<std::size_t>(i % o.centres)];
            k.code = store->create_enrollment_code(k.centre, std::chrono::hours(2),
                                                   seba::server::Clock::now());
            // Enrolled with the server library, as POST /v1/enroll enrolls (the server
            // publishes the trust-list entries of such devices when it next starts).
            if (o.enroll == "store") {
                k.key = seba::signing::generate_key_pair();
                k.device =
                    store->enroll(k.code, k.key.public_key, seba::server::Clock::now(), k.centre)
                        .id;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "seba-herd: cannot set up the kiosks in " << store_name(o) << ": " << e.what()
                  << "\n";
        return 2;
    }
    facts.setup_codes_s = std::chrono::duration<double>(Steady::now() - started).count();

    // The processes: each enrolls its share and reports; the outage ends for all at once.
    started = Steady::now();
    struct Child {
        pid_t pid = -1;
        int to_child = -1, from_child = -1;
        std::string results;
        bool ready = false;
    };
    std::vector<Child> children(static_cast<std::size_t>(o.processes));
    for (int p = 0; p < o.processes; ++p) {
        std::vector<Kiosk> share;
        for (int i = p; i < o.kiosks; i += o.processes)
            share.push_back(kiosks[static_cast<std::size_t>(i)]);
        int up[2], down[2];
        if (::pipe(up) != 0 || ::pipe(down) != 0) return 2;
        Child& c = children[static_cast<std::size_t>(p)];
        c.results = (dir / fmt::format("process-{}.bin", p)).string();
        std::cout.flush();
        c.pid = ::fork();
        if (c.pid == 0) {
            ::close(up[0]);
            ::close(down[1]);
            child(o, run, std::move(share), up[1], down[0], c.results);
        }
        ::close(up[1]);
        ::close(down[0]);
        c.from_child = up[0];
        c.to_child = down[1];
    }
    ProcessResults all;
    if (o.enroll == "store") all.enrolled = o.kiosks;
    for (Child& c : children) {
        std::int32_t ready[2];
        c.ready = read_all(c.from_child, ready, sizeof ready,
                           static_cast<int>(o.setup_timeout_s * 1000) + 5000);
    }
    facts.setup_enroll_s = std::chrono::duration<double>(Steady::now() - started).count();
    const std::int64_t end_of_outage_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count() +
                                          200000;
    for (Child& c : children)
        if (c.ready) write_all(c.to_child, &end_of_outage_us, sizeof end_of_outage_us);
    // For bench/herd/run-fleet, which counts the CPU its servers use from here on.
    std::cerr << "seba-herd: the outage is over" << std::endl;

    // Bounded: a process still running well past the deadline is killed (its kiosks count
    // as not drained).
    const auto kill_at = Steady::now() + std::chrono::duration_cast<Steady::duration>(
                                             std::chrono::duration<double>(o.deadline_s + 60));
    int failed_processes = 0;
    for (Child& c : children) {
        int status = 0;
        while (::waitpid(c.pid, &status, WNOHANG) == 0) {
            if (Steady::now() > kill_at) {
                ::kill(c.pid, SIGKILL);
                ::waitpid(c.pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ::close(c.to_child);
        ::close(c.from_child);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
            !seba::herd::read_results(c.results, all)) {
            ++failed_processes;
            std::cerr << "seba-herd: process " << c.pid << " failed (status " << status << ")\n";
        }
    }
    rusage herd_usage{};
    ::getrusage(RUSAGE_CHILDREN, &herd_usage);
    std::cerr << fmt::format("seba-herd: its processes used {:.1f} s of CPU\n",
                             cpu_seconds(herd_usage.ru_utime) + cpu_seconds(herd_usage.ru_stime));
    try {
        check_store(o, run, kiosks, centres, facts);
    } catch (const std::exception& e) {
        std::cerr << "seba-herd: cannot read the events back from " << store_name(o) << ": "
                  << e.what() << "\n";
    }
    const json summary = seba::herd::summarize(facts, all);
    if (o.json_output)
        std::cout << summary.dump(2) << "\n";
    else
        std::cout << seba::herd::text_report(summary);
    const bool exactly_once = summary.contains("store") && summary["store"]["exactly_once"];
    return failed_processes == 0 && summary["all_drained"].get<bool>() && exactly_once ? 0 : 1;
}
