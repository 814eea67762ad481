#include "seba/server/http_server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "seba/logging.hpp"
#include "seba/signing.hpp"

namespace seba::server {

namespace {

using nlohmann::json;

void reply_error(httplib::Response& res, int status, std::string_view error,
                 std::string_view message) {
    res.status = status;
    res.set_content(json{{"error", error}, {"message", message}}.dump(), "application/json");
}

// Counters for /metrics, in Prometheus' text format.
class Metrics {
  public:
    void count(const std::string& series, std::uint64_t n = 1) {
        std::lock_guard lock(mutex_);
        counters_[series] += n;
    }
    std::string text() {
        std::lock_guard lock(mutex_);
        std::string out =
            "# HELP seba_requests_total HTTP requests by path and status.\n"
            "# TYPE seba_requests_total counter\n"
            "# HELP seba_events_total Pushed events by outcome.\n"
            "# TYPE seba_events_total counter\n"
            "# HELP seba_auth_failures_total Refused signed requests by reason.\n"
            "# TYPE seba_auth_failures_total counter\n"
            "# HELP seba_pulled_records_total Channel changes sent to kiosks.\n"
            "# TYPE seba_pulled_records_total counter\n";
        for (const auto& [series, value] : counters_) out += fmt::format("{} {}\n", series, value);
        return out;
    }

  private:
    std::mutex mutex_;
    std::map<std::string, std::uint64_t> counters_;
};

// A cursor's text: "" (from the start), "N" (after version N) or "sH.N" (in a snapshot that
// began at horizon H, after version N). Kiosks keep it as it is; only the server reads it.
std::optional<std::int64_t> parse_decimal(std::string_view digits) {
    if (digits.empty() || digits.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<std::optional<ChannelCursor>> parse_cursor(std::string_view text) {
    if (text.empty()) return std::optional<ChannelCursor>();
    auto number = parse_decimal;
    ChannelCursor cursor;
    if (text[0] == 's') {
        std::size_t dot = text.find('.');
        if (dot == std::string_view::npos) return std::nullopt;
        auto horizon = number(text.substr(1, dot - 1));
        auto after = number(text.substr(dot + 1));
        if (!horizon || !after) return std::nullopt;
        cursor = {.after = *after, .snapshot = true, .snapshot_horizon = *horizon};
    } else {
        auto after = number(text);
        if (!after) return std::nullopt;
        cursor.after = *after;
    }
    return std::optional<ChannelCursor>(cursor);
}

std::string format_cursor(const ChannelCursor& cursor) {
    return cursor.snapshot ? fmt::format("s{}.{}", cursor.snapshot_horizon, cursor.after)
                           : std::to_string(cursor.after);
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

}  // namespace

struct HttpServer::Impl {
    Store& store;
    ServerOptions options;
    httplib::Server http;
    Metrics metrics;
    int socket = -1;
    std::shared_ptr<spdlog::logger> log = logging::get("server");

    Impl(Store& s, ServerOptions o) : store(s), options(std::move(o)) {}

    // Who signed this request, or why it is refused (the response is then filled in).
    std::optional<Device> authenticate(const httplib::Request& req, httplib::Response& res) {
        auto refuse = [&](int status, std::string_view error, std::string_view message) {
            metrics.count(fmt::format("seba_auth_failures_total{{reason=\"{}\"}}", error));
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
        std::optional<Device> device = store.device(h.device);
        if (!device) return refuse(401, "unknown_device", "this device is not enrolled");
        if (!signing::verify_request(device->public_key, h, req.method, req.target, req.body))
            return refuse(401, "bad_signature", "the request's signature does not verify");
        if (device->revoked)
            return refuse(403, "revoked_device", "this device was revoked by an administrator");
        auto now = Clock::now();
        auto sent = Clock::time_point(std::chrono::seconds(std::stoll(h.timestamp)));
        if (sent < now - options.clock_skew || sent > now + options.clock_skew)
            return refuse(401, "stale_timestamp",
                          "the request's time is too far from the server's; check the "
                          "kiosk's clock");
        if (!store.remember_nonce(device->id, h.nonce, now, now - 2 * options.clock_skew))
            return refuse(409, "replayed_nonce", "this request was already received");
        return device;
    }

    void enroll(const httplib::Request& req, httplib::Response& res) {
        json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
        if (!body.is_object() || !body.value("code", json()).is_string() ||
            !body.value("public_key", json()).is_string())
            return reply_error(res, 400, "bad_request",
                               "expected {\"code\": \"...\", \"public_key\": \"<base64>\"}");
        auto key = signing::from_base64(body["public_key"].get<std::string>());
        if (!key || key->size() != 32)
            return reply_error(res, 400, "bad_request", "public_key must be 32 bytes of base64");
        std::array<std::uint8_t, 32> public_key{};
        std::copy(key->begin(), key->end(), public_key.begin());
        try {
            Device device = store.enroll(body["code"].get<std::string>(), public_key, Clock::now());
            log->info("enrolled device {} for centre {}", device.id, device.centre);
            res.status = 201;
            res.set_content(json{{"device", device.id}, {"centre", device.centre}}.dump(),
                            "application/json");
        } catch (const EnrollError& e) {
            reply_error(res, 403, "enrollment_refused", e.what());
        }
    }

    void pull(const httplib::Request& req, httplib::Response& res) {
        std::optional<Device> device = authenticate(req, res);
        if (!device) return;
        std::string channel = req.matches[1];
        auto cursor = parse_cursor(req.get_param_value("cursor"));
        if (!cursor)
            return reply_error(
                res, 400, "bad_cursor",
                "the cursor is not one this server gave out; pull again without one");
        std::size_t limit = options.page_records;
        if (req.has_param("limit")) {
            auto asked = parse_decimal(req.get_param_value("limit"));
            if (!asked || *asked < 1)
                return reply_error(res, 400, "bad_request", "limit must be a positive number");
            limit = std::min(limit, static_cast<std::size_t>(*asked));
        }
        // Nothing new since the kiosk's last complete pull: say so without reading records.
        auto [head, horizon] = store.channel_version(channel);
        std::string current = etag(head, horizon);
        if (*cursor && req.get_header_value("If-None-Match") == current) {
            res.status = 304;
            res.set_header("ETag", current);
            return;
        }
        ChannelPage page =
            store.changes(channel, device->centre, *cursor, limit, options.page_bytes);
        if (!page.has_more) res.set_header("ETag", etag(page.head, page.horizon));
        metrics.count(fmt::format("seba_pulled_records_total{{channel=\"{}\"}}", channel),
                      page.changes.size());
        res.set_content(page_json(channel, page), "application/json");
    }

    void push(const httplib::Request& req, httplib::Response& res) {
        std::optional<Device> device = authenticate(req, res);
        if (!device) return;
        json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
        if (!body.is_object() || !body.value("events", json()).is_array() ||
            !body.value("centre", json()).is_string())
            return reply_error(res, 400, "bad_request",
                               "expected {\"centre\": \"...\", \"events\": [...]}");
        if (body["centre"] != device->centre)
            return reply_error(res, 403, "wrong_centre",
                               fmt::format("this device acts for centre {}, not {}", device->centre,
                                           body["centre"].get<std::string>()));
        const json& events = body["events"];
        if (events.size() > options.max_events_per_push)
            return reply_error(
                res, 413, "too_many_events",
                fmt::format("at most {} events per request", options.max_events_per_push));
        // Check every event, then store the valid ones together: one commit per request.
        json results = json::array();
        std::vector<StoredEvent> valid;
        std::vector<std::size_t> slot;  // where each valid event's result goes
        for (const json& e : events) {
            std::string uuid = e.is_object() ? e.value("uuid", "") : "";
            if (uuid.size() != 36 || !e.value("type", json()).is_string() ||
                !e.contains("payload")) {
                results.push_back({{"uuid", uuid},
                                   {"status", "rejected"},
                                   {"reason", "an event needs uuid, type and payload"}});
                continue;
            }
            slot.push_back(results.size());
            results.push_back({{"uuid", uuid}});
            valid.push_back({device->id, device->centre, uuid, e["type"].get<std::string>(),
                             e["payload"].dump(), ""});
        }
        std::vector<PushOutcome> outcomes = store.push_events(valid);
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            static constexpr const char* kNames[] = {"accepted", "duplicate", "conflict"};
            const char* status = kNames[static_cast<int>(outcomes[i])];
            metrics.count(fmt::format("seba_events_total{{outcome=\"{}\"}}", status));
            json& result = results[slot[i]];
            result["status"] = status;
            if (outcomes[i] == PushOutcome::Conflict)
                result["reason"] =
                    "an event with this id and different content was received before";
        }
        res.set_content(json{{"results", results}}.dump(), "application/json");
    }
};

HttpServer::HttpServer(Store& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {
    httplib::Server& http = impl_->http;
    const ServerOptions& o = impl_->options;
    // Defaults measured on this stack: 291 req/s with Nagle; 8 idle keep-alive clients
    // blocked a 9th for 5 s; unlimited bodies. See PITFALLS.
    http.set_tcp_nodelay(true);
    int threads = o.threads;
    http.new_task_queue = [threads] {
        return new httplib::ThreadPool(static_cast<std::size_t>(threads));
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

    Impl* impl = impl_.get();
    http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("ok\n", "text/plain");
    });
    http.Get("/metrics", [impl](const httplib::Request&, httplib::Response& res) {
        res.set_content(impl->metrics.text(), "text/plain; version=0.0.4");
    });
    http.Post("/v1/enroll", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->enroll(req, res);
    });
    http.Post("/v1/events", [impl](const httplib::Request& req, httplib::Response& res) {
        impl->push(req, res);
    });
    http.Get(R"(/v1/channels/([a-z][a-z0-9_.]{0,63}))",
             [impl](const httplib::Request& req, httplib::Response& res) { impl->pull(req, res); });
    http.set_exception_handler(
        [impl](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            impl->log->error("request failed: {}", what);
            reply_error(res, 500, "internal", "the server could not handle this request");
        });
    http.set_logger([impl](const httplib::Request& req, const httplib::Response& res) {
        impl->metrics.count(
            fmt::format("seba_requests_total{{path=\"{}\",code=\"{}\"}}", req.path, res.status));
    });
}

HttpServer::~HttpServer() {
    stop();
}

int HttpServer::bind() {
    const ServerOptions& o = impl_->options;
    int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host)
                           : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
    if (port < 0)
        throw Error(fmt::format("cannot listen on {}:{}; is another server using the port?", o.host,
                                o.port));
    // cpp-httplib listens with a backlog of 5; raise it on the same socket.
    if (impl_->socket >= 0) ::listen(impl_->socket, o.listen_backlog);
    return port;
}

void HttpServer::run() {
    impl_->http.listen_after_bind();
}

void HttpServer::stop() {
    impl_->http.stop();
}

bool HttpServer::running() const {
    return impl_->http.is_running();
}

}  // namespace seba::server
