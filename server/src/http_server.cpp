// SPDX-License-Identifier: Apache-2.0
#include "seba/server/http_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <shared_mutex>
#include <thread>

#include "compress.hpp"
#include "dashboard.hpp"
#include "latency_histogram.hpp"
#include "pg_pool.hpp"
#include "requests.hpp"
#include "seba/build_info.hpp"
#include "seba/logging.hpp"
#include "seba/server/credential_trust.hpp"
#include "seba/server/file_store.hpp"
#include "seba/signing.hpp"
#include "verify_page.hpp"

namespace seba::server {

namespace {

using detail::format_cursor;
using nlohmann::json;

void reply_error(httplib::Response& res, int status, std::string_view error,
                 std::string_view message) {
    res.status = status;
    res.set_content(json{{"error", error}, {"message", message}}.dump(), "application/json");
}

// A Prometheus label value, escaped as the text format requires (backslash, quote, newline):
// a value can then never end its series or start another.
std::string escape_label(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

// `name{label="value",...}` with every value escaped.
std::string series(std::string_view name,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
    std::string out(name);
    char sep = '{';
    for (const auto& [label, value] : labels) {
        out += fmt::format("{}{}=\"{}\"", sep, label, escape_label(value));
        sep = ',';
    }
    if (sep == ',') out += '}';
    return out;
}

// The route a request path belongs to, as the requests counter names it: the routes the
// server has, and "other" for anything else, so a client cannot mint new series.
std::string_view route_label(std::string_view path) {
    for (std::string_view route :
         {"/healthz", "/metrics", "/v1/enroll", "/v1/events", "/v1/seal-key",
          "/v1/credentials/trust-key", "/v1/credentials/verify", "/verify"})
        if (path == route) return route;
    if (path.starts_with("/v1/channels/")) return "/v1/channels";
    if (path.starts_with("/v1/files/")) return "/v1/files";
    if (path == "/dashboard" || path.starts_with("/dashboard/")) return "/dashboard";
    return "other";
}

// Every label route_label gives, in one list: the latency histogram has a series for each.
// clang-format off
constexpr std::array<std::string_view, 12> kRouteLabels{
    "/healthz", "/metrics", "/v1/enroll", "/v1/events", "/v1/seal-key",
    "/v1/credentials/trust-key", "/v1/credentials/verify", "/verify", "/v1/channels",
    "/v1/files", "/dashboard", "other"};
// clang-format on

std::size_t route_index(std::string_view label) {
    std::size_t i = 0;
    while (i + 1 < kRouteLabels.size() && kRouteLabels[i] != label) ++i;
    return i;
}

// When the request this worker thread handles began (its headers read): set as routing
// starts, read and cleared when the reply has been written. A request refused before routing
// (a malformed request line) finds it cleared and counts as taking no time.
thread_local std::chrono::steady_clock::time_point request_started{};

// Gauges that say which server answers: its build, and when its process started (a restart
// shows as a new start time even between two scrapes).
const std::chrono::system_clock::time_point kProcessStarted = std::chrono::system_clock::now();

std::string build_metrics() {
    return fmt::format(
        "# HELP seba_build_info The seba-server build: release version and git commit.\n"
        "# TYPE seba_build_info gauge\n"
        "{} 1\n"
        "# HELP seba_process_start_time_seconds When the server process started, in Unix "
        "seconds.\n"
        "# TYPE seba_process_start_time_seconds gauge\n"
        "seba_process_start_time_seconds {:.3f}\n",
        series("seba_build_info", {{"version", release_version()}, {"commit", git_commit()}}),
        std::chrono::duration<double>(kProcessStarted.time_since_epoch()).count());
}

// Counters for /metrics, in Prometheus' text format. Every request counts, from many worker
// threads at once: a plain mutex here put workers to sleep on each other (futex waits were
// a fifth of the server's time under load), so known series are bumped under a shared lock.
// Labels come from fixed sets (routes, status codes, reasons, outcomes, published channels),
// and past kMaxSeries new series are not made but counted as dropped.
class Metrics {
  public:
    static constexpr std::size_t kMaxSeries = 2000;

    void count(const std::string& name, std::uint64_t n = 1) {
        {
            std::shared_lock lock(mutex_);
            auto it = counters_.find(name);
            if (it != counters_.end()) {
                it->second->fetch_add(n, std::memory_order_relaxed);
                return;
            }
        }
        std::unique_lock lock(mutex_);
        auto it = counters_.find(name);
        if (it == counters_.end()) {
            if (counters_.size() >= kMaxSeries) {
                dropped_.fetch_add(n, std::memory_order_relaxed);
                return;
            }
            it = counters_.emplace(name, std::make_unique<std::atomic<std::uint64_t>>(0)).first;
        }
        it->second->fetch_add(n, std::memory_order_relaxed);
    }
    std::string text() {
        std::shared_lock lock(mutex_);
        std::string out =
            "# HELP seba_requests_total HTTP requests by route and status.\n"
            "# TYPE seba_requests_total counter\n"
            "# HELP seba_events_total Pushed events by outcome.\n"
            "# TYPE seba_events_total counter\n"
            "# HELP seba_auth_failures_total Refused signed requests by reason.\n"
            "# TYPE seba_auth_failures_total counter\n"
            "# HELP seba_pulled_records_total Channel changes sent to kiosks.\n"
            "# TYPE seba_pulled_records_total counter\n"
            "# HELP seba_push_busy_total Pushes turned away with 503: too many in flight.\n"
            "# TYPE seba_push_busy_total counter\n"
            "# HELP seba_metrics_dropped_total Counts not kept: the series limit was reached.\n"
            "# TYPE seba_metrics_dropped_total counter\n";
        for (const auto& [name, value] : counters_)
            out += fmt::format("{} {}\n", name, value->load(std::memory_order_relaxed));
        out += fmt::format("seba_metrics_dropped_total {}\n",
                           dropped_.load(std::memory_order_relaxed));
        return out;
    }

  private:
    std::shared_mutex mutex_;
    std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>, std::less<>> counters_;
    std::atomic<std::uint64_t> dropped_{0};
};

// True when an Accept-Encoding header lists gzip without refusing it (q=0).
bool accepts_gzip(std::string_view header) {
    while (!header.empty()) {
        std::size_t comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        std::size_t semicolon = item.find(';');
        std::string_view name = item.substr(0, semicolon);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (name != "gzip") continue;
        std::size_t q = item.find("q=");
        if (q == std::string_view::npos) return true;
        return std::strtod(std::string(item.substr(q + 2)).c_str(), nullptr) > 0;
    }
    return false;
}

// HTTP's Date (RFC 9110 IMF-fixdate), spelled by hand: strftime's names follow the locale.
std::string http_date(std::chrono::system_clock::time_point when) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&t, &utc);
    return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[utc.tm_wday], utc.tm_mday,
                       kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                       utc.tm_sec);
}

std::string etag(std::int64_t head, std::int64_t horizon) {
    return fmt::format("W/\"{}.{}\"", head, horizon);
}

// The page as JSON text. Record data is stored as JSON text already: copied in, not parsed.
std::string page_json(std::string_view channel, const ChannelPage& page) {
    std::string out = fmt::format("{{\"channel\":{},\"changes\":[", json(channel).dump());
    bool first = true;
    for (const ChannelChange& c : page.changes) {
        if (!first) out += ',';
        first = false;
        out += "{\"key\":";
        out += json(c.key).dump();
        if (c.data) {
            out += ",\"data\":";
            out += *c.data;
        } else {
            out += ",\"deleted\":true";
        }
        out += '}';
    }
    out += fmt::format("],\"cursor\":\"{}\",\"has_more\":{},\"snapshot\":{},\"reset\":{}}}",
                       format_cursor(page.next), page.has_more, page.snapshot, page.reset);
    return out;
}

// Checks per address and minute, for the unsigned credential checks anyone may make. A fixed
// window: the table is emptied each minute, and holds at most kMaxAddresses meanwhile (past
// them, unknown addresses share one count).
class PerAddressLimit {
  public:
    static constexpr std::size_t kMaxAddresses = 10000;

    bool allow(const std::string& address, int per_minute) {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (now - window_ >= std::chrono::minutes(1)) {
            counts_.clear();
            window_ = now;
        }
        auto it = counts_.find(address);
        if (it == counts_.end())
            it = counts_.size() < kMaxAddresses ? counts_.emplace(address, 0).first
                                                : counts_.emplace("", 0).first;
        return ++it->second <= per_minute;
    }

  private:
    std::mutex mutex_;
    std::chrono::steady_clock::time_point window_ = std::chrono::steady_clock::now();
    std::map<std::string, int> counts_;
};

// Who asks, for the per-address limit: the front's X-Forwarded-For when the peer is the front
// on loopback, the peer otherwise.
std::string client_address(const httplib::Request& req) {
    if (req.remote_addr == "127.0.0.1" || req.remote_addr == "::1") {
        std::string forwarded = req.get_header_value("X-Forwarded-For");
        if (!forwarded.empty()) return forwarded.substr(0, 64);
    }
    return req.remote_addr;
}

constexpr std::size_t kMaxVerifyBodyBytes = 8 * 1024;

}  // namespace

struct HttpServer::Impl {
    Store& store;
    ServerOptions options;
    httplib::Server http;
    Metrics metrics;
    detail::LatencyHistogram latency{
        "seba_request_duration_seconds",
        "Time to answer a request, from its headers read to its reply written, by route.", "path",
        kRouteLabels};
    int socket = -1;
    httplib::Server admin;  // /metrics, on loopback
    int admin_port = -1;
    std::thread admin_thread;
    std::shared_ptr<spdlog::logger> log = logging::get("server");
    PerAddressLimit verify_limit;

    FileStore files;
    detail::Dashboard dashboard;
    std::atomic<int> pushes_in_flight{0};
    /// max_pushes_in_flight, or fewer when the store serves fewer requests at once.
    const int push_limit;
    /// Connections accepted and waiting for a worker (WaitingAwarePool).
    std::atomic<int> connections_waiting{0};

    Impl(Store& s, ServerOptions o)
        : store(s),
          options(std::move(o)),
          files(options.files_dir),
          dashboard(s, options.dashboard_secure_cookies, fleet_secret(options)),
          push_limit(push_limit_for(options.max_pushes_in_flight, s.concurrent_requests())) {}

    // A push admitted past the store's connections would only wait for one, holding a worker,
    // and then fail as store_unavailable: better turned away at once with a Retry-After.
    static int push_limit_for(int configured, int store_can_serve) {
        if (store_can_serve <= 0) return configured;
        return configured > 0 ? std::min(configured, store_can_serve) : store_can_serve;
    }

    // What every backend of a fleet holds alike (docs/deployment.md, "Several backends"):
    // the trust key's secret, from which the dashboard derives its form key.
    static std::span<const std::uint8_t> fleet_secret(const ServerOptions& o) {
        if (!o.trust_key) return {};
        return std::span<const std::uint8_t>(o.trust_key->secret_key);
    }

    std::optional<credentials::TrustKey> public_trust_key() const {
        if (!options.trust_key) return std::nullopt;
        return credentials::TrustKey{options.trust_key->public_key, options.public_url};
    }

    struct Signed {
        Device device;
        std::string nonce;
        Clock::time_point now;
    };

    // Who signed this request, or why it is refused (the response is then filled in). With
    // `remember`, its nonce is recorded now; otherwise the caller records it together with
    // what the request writes.
    std::optional<Signed> authenticate(const httplib::Request& req, httplib::Response& res,
                                       bool remember = true) {
        auto refuse = [&](int status, std::string_view error, std::string_view message) {
            metrics.count(series("seba_auth_failures_total", {{"reason", error}}));
            reply_error(res, status, error, message);
            return std::nullopt;
        };
        signing::SignedHeaders h{
            req.get_header_value("X-Seba-Device"), req.get_header_value("X-Seba-Timestamp"),
            req.get_header_value("X-Seba-Nonce"), req.get_header_value("X-Seba-Signature")};
        if (h.device.empty() || h.timestamp.empty() || h.nonce.empty() || h.signature.empty())
            return refuse(401, "missing_signature",
                          "the request is not signed (X-Seba-Device, X-Seba-Timestamp, "
                          "X-Seba-Nonce, X-Seba-Signature)");
        std::optional<std::int64_t> sent_s = detail::parse_timestamp(h.timestamp);
        if (!sent_s)
            return refuse(401, "bad_timestamp",
                          "X-Seba-Timestamp is not Unix time in whole seconds; update the kiosk");
        std::optional<Device> device = store.device(h.device);
        if (!device) return refuse(401, "unknown_device", "this device is not enrolled");
        if (!signing::verify_request(device->public_key, h, req.method, req.target, req.body))
            return refuse(401, "bad_signature", "the request's signature does not verify");
        if (device->revoked)
            return refuse(403, "revoked_device", "this device was revoked by an administrator");
        auto now = Clock::now();
        if (!detail::timestamp_fresh(*sent_s, now, options.clock_skew))
            return refuse(401, "stale_timestamp",
                          "the request's time is too far from the server's; check the "
                          "kiosk's clock");
        if (remember && !store.remember_nonce(device->id, h.nonce, now, nonce_horizon(now)))
            return refuse_replay(res);
        return Signed{std::move(*device), std::move(h.nonce), now};
    }

    // Nonces are kept for twice the allowed clock skew: older requests are stale anyway.
    Clock::time_point nonce_horizon(Clock::time_point now) const {
        return now - 2 * options.clock_skew;
    }

    std::nullopt_t refuse_replay(httplib::Response& res) {
        metrics.count(series("seba_auth_failures_total", {{"reason", "replayed_nonce"}}));
        reply_error(res, 409, "replayed_nonce", "this request was already received");
        return std::nullopt;
    }

    void enroll(const httplib::Request& req, httplib::Response& res) {
        std::optional<detail::EnrollRequest> body = detail::parse_enroll_request(req.body);
        if (!body)
            return reply_error(res, 400, "bad_request",
                               "expected {\"code\": \"...\", \"public_key\": \"<base64>\"}");
        auto public_key = detail::parse_public_key(body->public_key);
        if (!public_key)
            return reply_error(res, 400, "bad_request", "public_key must be 32 bytes of base64");
        try {
            Device device = store.enroll(body->code, *public_key, Clock::now(), body->centre);
            log->info("enrolled device {} for centre {}", device.id, device.centre);
            res.status = 201;
            json reply{{"device", device.id}, {"centre", device.centre}};
            if (options.seal_keys)
                reply["seal_key"] = sealing::to_json(options.seal_keys->current_public());
            if (options.trust_key) {
                reply["trust_key"] = credentials::to_json(*public_trust_key());
                // Its key joins the trust list now, so credentials it issues check everywhere
                // once kiosks pull. A failure here is mended at the server's next start.
                try {
                    publish_trust_entry(store, device, *options.trust_key);
                } catch (const Error& e) {
                    log->error("device {} is not in the credentials trust list yet: {}", device.id,
                               e.what());
                }
            }
            res.set_content(reply.dump(), "application/json");
        } catch (const EnrollLimited& e) {
            res.set_header("Retry-After", std::to_string(e.retry_after.count()));
            reply_error(res, 429, "too_many_attempts", e.what());
        } catch (const EnrollError& e) {
            reply_error(res, 403, "enrollment_refused", e.what());
        }
    }

    void pull(const httplib::Request& req, httplib::Response& res) {
        std::optional<Signed> request = authenticate(req, res);
        if (!request) return;
        const Device* device = &request->device;
        std::string channel = req.matches[1];
        auto cursor = detail::parse_cursor(req.get_param_value("cursor"));
        if (!cursor)
            return reply_error(
                res, 400, "bad_cursor",
                "the cursor is not one this server gave out; pull again without one");
        std::size_t limit = options.page_records;
        if (req.has_param("limit")) {
            auto asked = detail::parse_decimal(req.get_param_value("limit"));
            if (!asked || *asked < 1)
                return reply_error(res, 400, "bad_request", "limit must be a positive number");
            limit = std::min(limit, static_cast<std::size_t>(*asked));
        }
        // Nothing new since the kiosk's last complete pull: say so without reading records.
        auto [head, horizon] = store.channel_version(channel, device->centre);
        std::string current = etag(head, horizon);
        if (*cursor && req.get_header_value("If-None-Match") == current) {
            res.status = 304;
            res.set_header("ETag", current);
            return;
        }
        ChannelPage page =
            store.changes(channel, device->centre, *cursor, limit, options.page_bytes);
        if (!page.has_more) res.set_header("ETag", etag(page.head, page.horizon));
        metrics.count(series("seba_pulled_records_total", {{"channel", channel}}),
                      page.changes.size());
        // Compressed here at zlib's fastest level rather than by cpp-httplib at its default
        // (level 6 was most of the server's time in a first pull). The charset in the type
        // keeps cpp-httplib from compressing again: it matches "application/json" exactly.
        std::string body = page_json(channel, page);
        res.set_header("Vary", "Accept-Encoding");
        if (accepts_gzip(req.get_header_value("Accept-Encoding"))) {
            res.set_header("Content-Encoding", "gzip");
            body = detail::gzip_fast(body);
        }
        res.set_content(std::move(body), "application/json; charset=utf-8");
    }

    // The server's keyed hash of the identifier inside an event's sealed fields; "" when it
    // has none, or they do not open here. The fields are opened for this alone, in memory,
    // and wiped: they are stored as they came, sealed.
    std::string citizen_hash(const std::string& payload) const {
        if (!options.seal_keys || payload.find("\"sealed\"") == std::string::npos) return {};
        json doc = json::parse(payload, nullptr, /*allow_exceptions=*/false);
        if (!doc.is_object() || !doc.contains("sealed")) return {};
        std::optional<json> fields = options.seal_keys->open(doc["sealed"]);
        if (!fields) {
            log->warn("an event's sealed fields do not open with this server's keys");
            return {};
        }
        std::string hash;
        if (auto id = fields->find("identifier");
            id != fields->end() && id->is_string() && !id->get_ref<const std::string&>().empty()) {
            std::string& text = id->get_ref<std::string&>();
            hash = options.seal_keys->citizen_hash(text);
            sodium_memzero(text.data(), text.size());
        }
        return hash;
    }

    // GET /v1/files/<sha256>: a content file, streamed from the store (never read whole into
    // memory), from the byte a Range asks for. cpp-httplib 0.11 slices every reply by a
    // request's Range itself, error replies included, and does not check the range against
    // the file (a start past the end is sent as a huge length): the ranges are taken from the
    // request here, before anything is answered, and checked.
    void serve_file(const httplib::Request& req, httplib::Response& res) {
        auto& ranges = const_cast<httplib::Request&>(req).ranges;
        const httplib::Ranges asked = std::move(ranges);
        ranges.clear();
        std::optional<Signed> request = authenticate(req, res);
        if (!request) return;
        const std::string sha256 = req.matches[1];
        std::optional<std::filesystem::path> file = files.find(sha256);
        const int fd = file ? ::open(file->c_str(), O_RDONLY | O_CLOEXEC) : -1;
        struct stat st {};
        if (fd < 0 || ::fstat(fd, &st) != 0 || st.st_size <= 0) {
            if (fd >= 0) ::close(fd);
            return reply_error(res, 404, "unknown_file", "this server has no file with that hash");
        }
        const auto size = static_cast<std::int64_t>(st.st_size);
        std::int64_t first = 0, last = size - 1;
        if (req.has_header("Range")) {
            // One range: bytes=N- (what kiosks ask, to resume), bytes=N-M, or bytes=-N.
            bool ok = asked.size() == 1;
            if (ok) {
                const auto [from, to] = asked.front();
                if (from < 0 && to > 0) {
                    first = std::max<std::int64_t>(0, size - to);
                } else {
                    first = from;
                    if (to >= 0) last = std::min<std::int64_t>(to, size - 1);
                }
                ok = from >= 0 ? first < size && first <= last : to > 0;
            }
            if (!ok) {
                ::close(fd);
                res.set_header("Content-Range", fmt::format("bytes */{}", size));
                return reply_error(res, 416, "bad_range",
                                   fmt::format("this file has {} bytes; resume with Range: "
                                               "bytes=N- where N is below that",
                                               size));
            }
            res.status = 206;
            res.set_header("Content-Range", fmt::format("bytes {}-{}/{}", first, last, size));
        }
        res.set_header("ETag", fmt::format("\"{}\"", sha256));
        res.set_header("Accept-Ranges", "bytes");
        res.set_content_provider(
            static_cast<std::size_t>(last - first + 1), "application/octet-stream",
            [fd, first](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                char buffer[1 << 16];
                const std::size_t want = std::min(length, sizeof buffer);
                const ssize_t n = ::pread(fd, buffer, want,
                                          static_cast<off_t>(first) + static_cast<off_t>(offset));
                if (n <= 0) return false;  // the file shrank: the connection is closed
                return sink.write(buffer, static_cast<std::size_t>(n));
            },
            [fd](bool) { ::close(fd); });
    }

    void seal_key(httplib::Response& res) const {
        if (!options.seal_keys)
            return reply_error(res, 404, "no_seal_key", "this server has no sealing key");
        res.set_content(sealing::to_json(options.seal_keys->current_public()).dump(),
                        "application/json");
    }

    void trust_key(const httplib::Request& req, httplib::Response& res) {
        if (!authenticate(req, res)) return;
        if (!options.trust_key)
            return reply_error(res, 404, "no_trust_key", "this server issues no credentials");
        res.set_content(credentials::to_json(*public_trust_key()).dump(), "application/json");
    }

    bool limited(const httplib::Request& req, httplib::Response& res) {
        if (verify_limit.allow(client_address(req), options.verify_per_minute)) return false;
        res.set_header("Retry-After", "60");
        reply_error(res, 429, "too_many_requests",
                    "too many checks from this address; wait a minute and try again");
        return true;
    }

    // POST /v1/credentials/verify: unsigned, for employers' and citizens' phones.
    void verify(const httplib::Request& req, httplib::Response& res) {
        if (req.body.size() > kMaxVerifyBodyBytes)
            return reply_error(res, 413, "too_large",
                               fmt::format("a check takes at most {} bytes", kMaxVerifyBodyBytes));
        if (limited(req, res)) return;
        std::string text = req.body;
        json doc = parse_bounded_json(req.body);
        if (doc.is_object()) {
            const std::string* member = json_string_member(doc, "text");
            if (!member)
                return reply_error(res, 400, "bad_request",
                                   "expected {\"text\": \"SB1:...\"} (the text or its URL)");
            text = *member;
        }
        credentials::Verdict v = verify_credential(store, text);
        json reply{{"status", credentials::to_string(v.status)},
                   {"reason", credentials::to_string(v.reason)}};
        if (v.claims)
            reply["claims"] = {{"subject", v.claims->subject},         {"type", v.claims->type},
                               {"achievement", v.claims->achievement}, {"issued", v.claims->issued},
                               {"expires", v.claims->expires},         {"issuer", v.claims->issuer},
                               {"centre", v.claims->centre},           {"id", v.claims->id}};
        res.set_header("Cache-Control", "no-store");
        res.set_content(reply.dump(), "application/json");
    }

    // GET /verify: the public page; with ?c=..., the verdict on it.
    void verify_page(const httplib::Request& req, httplib::Response& res) {
        const std::string language = detail::page_language(req.get_param_value("lang"),
                                                           req.get_header_value("Accept-Language"));
        std::optional<credentials::Verdict> verdict;
        std::string text = req.get_param_value("c");
        if (text.size() > kMaxVerifyBodyBytes) text.clear();
        if (!text.empty() && !limited(req, res)) verdict = verify_credential(store, text);
        if (res.status == 429) verdict.reset();
        res.set_header("Content-Security-Policy", std::string(detail::kVerifyPagePolicy));
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("X-Frame-Options", "DENY");
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Language", language);
        res.set_header("Vary", "Accept-Language");
        res.set_content(detail::verify_page(language, text, verdict), "text/html; charset=utf-8");
    }

    // How loaded the server is now: a herd shows first as connections waiting for a worker,
    // then as pushes at their limit.
    std::string load_metrics() const {
        return fmt::format(
            "# HELP seba_connections_waiting Connections accepted and waiting for a worker.\n"
            "# TYPE seba_connections_waiting gauge\n"
            "seba_connections_waiting {}\n"
            "# HELP seba_pushes_in_flight Pushes being handled now.\n"
            "# TYPE seba_pushes_in_flight gauge\n"
            "seba_pushes_in_flight {}\n"
            "# HELP seba_push_limit Pushes handled at once at most (admission control; 0: none).\n"
            "# TYPE seba_push_limit gauge\n"
            "seba_push_limit {}\n",
            connections_waiting.load(std::memory_order_relaxed),
            pushes_in_flight.load(std::memory_order_relaxed), push_limit);
    }

    // A push past max_pushes_in_flight: 503, a spread Retry-After, and the connection closed.
    void busy(httplib::Response& res) {
        thread_local std::mt19937 random(std::random_device{}());
        const int wait = std::uniform_int_distribution<int>(
            options.busy_retry_after_s,
            options.busy_retry_after_s + options.busy_retry_spread_s)(random);
        metrics.count("seba_push_busy_total");
        res.set_header("Retry-After", std::to_string(wait));
        res.set_header("Connection", "close");
        reply_error(res, 503, "busy",
                    fmt::format("the server is busy with other kiosks; nothing was stored, try "
                                "again in {} s",
                                wait));
    }

    // The database is out of reach, or every connection stayed busy (pg_pool.hpp): nothing
    // was stored; 503 with a spread Retry-After, as for a busy server, so that kiosks come
    // back later and not all at once.
    void store_unavailable(httplib::Response& res, const std::exception& e) {
        thread_local std::mt19937 random(std::random_device{}());
        const int wait = std::uniform_int_distribution<int>(
            options.busy_retry_after_s,
            options.busy_retry_after_s + options.busy_retry_spread_s)(random);
        metrics.count("seba_store_unavailable_total");
        log->warn("store unavailable: {}", e.what());
        res.set_header("Retry-After", std::to_string(wait));
        reply_error(res, 503, "store_unavailable",
                    fmt::format("the server cannot reach its database just now; nothing was "
                                "stored, try again in {} s",
                                wait));
    }

    void push(const httplib::Request& req, httplib::Response& res) {
        const int limit = push_limit;
        if (limit > 0 && pushes_in_flight.fetch_add(1, std::memory_order_acq_rel) >= limit) {
            pushes_in_flight.fetch_sub(1, std::memory_order_acq_rel);
            return busy(res);
        }
        struct Admitted {
            std::atomic<int>* count;
            ~Admitted() {
                if (count) count->fetch_sub(1, std::memory_order_acq_rel);
            }
        } admitted{limit > 0 ? &pushes_in_flight : nullptr};
        std::optional<Signed> request = authenticate(req, res, /*remember=*/false);
        if (!request) return;
        const Device* device = &request->device;
        std::optional<detail::PushRequest> body = detail::parse_push_request(req.body);
        if (!body)
            return reply_error(res, 400, "bad_request",
                               "expected {\"centre\": \"...\", \"events\": [...]}");
        if (body->centre != device->centre)
            return reply_error(res, 403, "wrong_centre",
                               fmt::format("this device acts for centre {}, not {}", device->centre,
                                           body->centre));
        if (body->events.size() > options.max_events_per_push)
            return reply_error(
                res, 413, "too_many_events",
                fmt::format("at most {} events per request", options.max_events_per_push));
        // Store the valid events together (one commit per request); the rest are rejected.
        json results = json::array();
        std::vector<StoredEvent> valid;
        std::vector<std::size_t> slot;  // where each valid event's result goes
        std::uint64_t malformed = 0;
        for (detail::PushedEvent& e : body->events) {
            if (!e.valid) {
                ++malformed;
                results.push_back({{"uuid", e.uuid},
                                   {"status", "rejected"},
                                   {"reason", "an event needs uuid, type and payload"}});
                continue;
            }
            slot.push_back(results.size());
            results.push_back({{"uuid", e.uuid}});
            valid.push_back(detail::stored_event(*device, std::move(e)));
            valid.back().citizen = citizen_hash(valid.back().payload);
        }
        std::optional<std::vector<PushOutcome>> stored = store.push_events_once(
            device->id, request->nonce, request->now, nonce_horizon(request->now), valid);
        if (!stored) {
            refuse_replay(res);
            return;
        }
        const std::vector<PushOutcome>& outcomes = *stored;
        static constexpr const char* kNames[] = {"accepted", "duplicate", "conflict", "rejected"};
        std::uint64_t by_outcome[4] = {0, 0, 0, malformed};
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            const char* status = kNames[static_cast<int>(outcomes[i])];
            ++by_outcome[static_cast<int>(outcomes[i])];
            json& result = results[slot[i]];
            result["status"] = status;
            if (outcomes[i] == PushOutcome::Conflict)
                result["reason"] =
                    "an event with this id and different content was received before";
            if (outcomes[i] == PushOutcome::Rejected)
                result["reason"] = store.why_rejected(valid[i]);
        }
        for (int i = 0; i < 4; ++i)
            if (by_outcome[i] > 0)
                metrics.count(series("seba_events_total", {{"outcome", kNames[i]}}), by_outcome[i]);
        res.set_content(json{{"results", results}}.dump(), "application/json");
    }
};

namespace {

// cpp-httplib gives each connection a worker until its keep-alive ends, and connections beyond
// the workers wait unseen in its queue. A fleet reconnecting after an outage then queues
// behind idle keep-alives: each kiosk's one push holds a worker for the keep-alive time
// (docs/performance.md, "The reconnect herd"). Counting the waiting connections lets a reply
// close its own connection while others wait, so the workers serve kiosks in turn.
class WaitingAwarePool final : public httplib::TaskQueue {
  public:
    WaitingAwarePool(std::size_t threads, std::atomic<int>& waiting)
        : pool_(threads), waiting_(waiting) {}
    void enqueue(std::function<void()> fn) override {
        waiting_.fetch_add(1, std::memory_order_relaxed);
        pool_.enqueue([this, fn = std::move(fn)] {
            waiting_.fetch_sub(1, std::memory_order_relaxed);
            fn();
        });
    }
    void shutdown() override { pool_.shutdown(); }

  private:
    httplib::ThreadPool pool_;
    std::atomic<int>& waiting_;
};

}  // namespace

HttpServer::HttpServer(Store& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {
    httplib::Server& http = impl_->http;
    const ServerOptions& o = impl_->options;
    // Defaults measured on this stack: 291 req/s with Nagle; 8 idle keep-alive clients
    // blocked a 9th for 5 s; unlimited bodies. See PITFALLS.
    http.set_tcp_nodelay(true);
    int threads = o.threads;
    std::atomic<int>* waiting = &impl_->connections_waiting;
    http.new_task_queue = [threads, waiting] {
        return new WaitingAwarePool(static_cast<std::size_t>(threads), *waiting);
    };
    http.set_keep_alive_max_count(1000);
    http.set_keep_alive_timeout(o.keep_alive_s);
    http.set_read_timeout(o.read_timeout_s, 0);
    http.set_write_timeout(o.write_timeout_s, 0);
    http.set_payload_max_length(o.max_body_bytes);
    http.set_socket_options([this](int sock) {
        httplib::default_socket_options(sock);
        impl_->socket = sock;
    });

    // Every reply says the server's time, so a kiosk (seba-kiosk doctor) can compare its
    // clock before signed requests are refused as stale. /healthz's body stays "ok".
    http.set_post_routing_handler([waiting](const httplib::Request&, httplib::Response& res) {
        res.set_header("Date", http_date(std::chrono::system_clock::now()));
        // Others wait for a worker: free this one instead of holding it for a keep-alive.
        if (waiting->load(std::memory_order_relaxed) > 0 && !res.has_header("Connection"))
            res.set_header("Connection", "close");
    });

    Impl* impl = impl_.get();
    http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("ok\n", "text/plain");
    });
    impl->admin.Get("/metrics", [impl](const httplib::Request&, httplib::Response& res) {
        res.set_content(
            impl->metrics.text() + impl->latency.text() + build_metrics() + impl->load_metrics(),
            "text/plain; version=0.0.4");
    });
    impl->admin.new_task_queue = [] { return new httplib::ThreadPool(2); };
    impl->admin.set_read_timeout(5, 0);

    // What the front stops first, refused here too before a byte of a body is read: a body
    // must come with a Content-Length (a chunked one streams past the size limit) and
    // unencoded (cpp-httplib would inflate a gzip body with no limit), and a request carries
    // at most max_headers headers. The connection is closed: its body is not read.
    http.set_pre_routing_handler([impl](const httplib::Request& req, httplib::Response& res) {
        request_started = std::chrono::steady_clock::now();  // for the latency histogram
        auto refuse = [&](int status, std::string_view error, std::string_view message) {
            reply_error(res, status, error, message);
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        };
        if (req.headers.size() > impl->options.max_headers)
            return refuse(
                431, "too_many_headers",
                fmt::format("a request may carry at most {} headers", impl->options.max_headers));
        if (req.has_header("Transfer-Encoding"))
            return refuse(411, "length_required", "send the body with a Content-Length");
        if (req.has_header("Content-Encoding"))
            return refuse(415, "encoded_body", "send the body unencoded (no Content-Encoding)");
        // The dashboard's forms are small: a sign-in is a name, a password and a token.
        if (req.path.starts_with("/dashboard") &&
            std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) >
                detail::kMaxDashboardBodyBytes)
            return refuse(413, "too_large",
                          fmt::format("a dashboard form is at most {} bytes",
                                      detail::kMaxDashboardBodyBytes));
        return httplib::Server::HandlerResponse::Unhandled;
    });
    http.Post("/v1/enroll", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->enroll(req, res);
    });
    http.Post("/v1/events", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->push(req, res);
    });
    http.Get(
        "/v1/credentials/trust-key",
        [impl](const httplib::Request& req, httplib::Response& res) { impl->trust_key(req, res); });
    http.Post("/v1/credentials/verify", [impl](const httplib::Request& req,
                                               httplib::Response& res) { impl->verify(req, res); });
    http.Get("/verify", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->verify_page(req, res);
    });
    // The pilot's dashboard (docs/civil-service.md, "The dashboard").
    http.Get("/dashboard/login", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->dashboard.login_form(req, res);
    });
    http.Post("/dashboard/login", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->dashboard.login(req, res, client_address(req));
    });
    http.Post("/dashboard/logout", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->dashboard.logout(req, res);
    });
    http.Get("/dashboard", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->dashboard.page(req, res);
    });
    http.Get("/dashboard/report", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->dashboard.report(req, res);
    });
    http.Get("/dashboard/evidence.json",
             [impl](const httplib::Request& req, httplib::Response& res) {
                 impl->dashboard.evidence_json(req, res);
             });
    http.Get("/dashboard/evidence.csv",
             [impl](const httplib::Request& req, httplib::Response& res) {
                 impl->dashboard.evidence_csv(req, res);
             });
    http.Get("/v1/seal-key",
             [impl](const httplib::Request&, httplib::Response& res) { impl->seal_key(res); });
    http.Get(R"(/v1/channels/([a-z][a-z0-9_.]{0,63}))",
             [impl](const httplib::Request& req, httplib::Response& res) { impl->pull(req, res); });
    http.Get(R"(/v1/files/([0-9a-f]{64}))",
             [impl](const httplib::Request& req, httplib::Response& res) {
                 impl->serve_file(req, res);
             });
    http.set_exception_handler(
        [impl](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown";
            try {
                std::rethrow_exception(ep);
            } catch (const pg::Busy& e) {
                return impl->store_unavailable(res, e);
            } catch (const pg::Unavailable& e) {
                return impl->store_unavailable(res, e);
            } catch (const pg::Conflict& e) {
                return impl->store_unavailable(res, e);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            impl->log->error("request failed: {}", what);
            reply_error(res, 500, "internal", "the server could not handle this request");
        });
    // Called once the reply is written, for every request, routed or refused.
    http.set_logger([impl](const httplib::Request& req, const httplib::Response& res) {
        const std::string_view route = route_label(req.path);
        const auto now = std::chrono::steady_clock::now();
        impl->latency.observe(route_index(route),
                              request_started == std::chrono::steady_clock::time_point{}
                                  ? std::chrono::nanoseconds(0)
                                  : now - request_started);
        request_started = {};
        impl->metrics.count(
            series("seba_requests_total", {{"path", route}, {"code", std::to_string(res.status)}}));
    });
}

HttpServer::~HttpServer() {
    stop();
    if (impl_->admin_thread.joinable()) impl_->admin_thread.join();
}

int HttpServer::bind() {
    const ServerOptions& o = impl_->options;
    int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host)
                           : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
    if (port < 0)
        throw Error(fmt::format("cannot listen on {}:{}; is another server using the port?", o.host,
                                o.port));
    if (o.admin_port >= 0) {
        impl_->admin_port = o.admin_port == 0 ? impl_->admin.bind_to_any_port("127.0.0.1")
                            : impl_->admin.bind_to_port("127.0.0.1", o.admin_port) ? o.admin_port
                                                                                   : -1;
        if (impl_->admin_port < 0)
            throw Error(
                fmt::format("cannot listen on 127.0.0.1:{} for /metrics; set another "
                            "server.admin_port, or -1 for none",
                            o.admin_port));
    }
    // cpp-httplib listens with a backlog of 5; raise it on the same socket.
    if (impl_->socket >= 0) ::listen(impl_->socket, o.listen_backlog);
    return port;
}

int HttpServer::admin_port() const {
    return impl_->admin_port;
}

void HttpServer::run() {
    if (impl_->admin_port >= 0 && !impl_->admin_thread.joinable()) {
        impl_->admin_thread = std::thread([this] { impl_->admin.listen_after_bind(); });
        // cpp-httplib's stop() does nothing to a server not listening yet: a stop() that came
        // before the admin thread listened left it in accept() for ever, and the destructor
        // waiting on it. The kiosks' listener starts (and says it runs) only after it.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!impl_->admin.is_running() && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    impl_->http.listen_after_bind();
}

void HttpServer::stop() {
    impl_->http.stop();
    impl_->admin.stop();
}

bool HttpServer::running() const {
    return impl_->http.is_running();
}

}  // namespace seba::server
