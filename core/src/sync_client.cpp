#include "seba/sync_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "seba/signing.hpp"

namespace seba {

namespace {

using nlohmann::json;

constexpr const char* kDeviceKey = "sync.device";
constexpr const char* kCentreKey = "sync.centre";
constexpr std::size_t kMaxReplyBytes = 8 * 1024 * 1024;

struct Reply {
    long status = 0;
    std::string body;
    std::optional<std::chrono::seconds> retry_after;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    std::size_t n = size * count;
    if (body->size() + n > kMaxReplyBytes) return 0;  // an oversized reply aborts the transfer
    body->append(data, n);
    return n;
}

void curl_global() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The server's message from an error body, or what the status means.
std::string server_reason(const Reply& reply) {
    json body = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_object() && body.value("message", json()).is_string())
        return fmt::format("{} ({})", body["message"].get<std::string>(), reply.status);
    return fmt::format("the server answered HTTP {}", reply.status);
}

}  // namespace

struct SyncClient::Impl {
    Database& db;
    SyncOptions options;
    CURL* curl = nullptr;  // one handle: its connection is reused between requests
    signing::KeyPair key;

    Impl(Database& d, SyncOptions o) : db(d), options(std::move(o)) {
        curl_global();
        curl = curl_easy_init();
        if (!curl) throw SyncError("libcurl failed to start");
        key = signing::load_or_create_device_key(options.device_key_file);
    }
    ~Impl() { curl_easy_cleanup(curl); }

    std::string config(const char* key_name) const {
        return read_core_value(db, key_name).value_or("");
    }

    void put_config(const char* key_name, const std::string& value) {
        write_core_value(db, key_name, value, "system");
    }

    Reply post(const std::string& path, const std::string& body, bool sign) {
        Reply reply;
        std::string url = options.server_url + path;
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Accept-Encoding: gzip");
        if (sign) {
            auto now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
            signing::SignedHeaders h =
                signing::sign_request(key, config(kDeviceKey), "POST", path, body, now);
            for (const std::string& line :
                 {"X-Seba-Device: " + h.device, "X-Seba-Timestamp: " + h.timestamp,
                  "X-Seba-Nonce: " + h.nonce, "X-Seba-Signature: " + h.signature})
                headers = curl_slist_append(headers, line.c_str());
        }
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
        // libcurl's defaults wait 300 s to connect and forever on a stalled transfer.
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options.total_timeout_ms);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes_per_s);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.low_speed_time_s);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
        CURLcode rc = curl_easy_perform(curl);
        curl_slist_free_all(headers);
        if (rc == CURLE_OPERATION_TIMEDOUT)
            throw SyncError(
                fmt::format("the server at {} did not answer in time; the kiosk "
                            "keeps working offline and will try again",
                            options.server_url));
        if (rc == CURLE_WRITE_ERROR)
            throw SyncError(
                fmt::format("the server's reply was larger than {} MiB and was "
                            "refused; the events stay queued",
                            kMaxReplyBytes >> 20));
        if (rc != CURLE_OK)
            throw SyncError(
                fmt::format("cannot reach the server at {}: {}; the kiosk keeps "
                            "working offline and will try again",
                            options.server_url, curl_easy_strerror(rc)));
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
        curl_off_t retry_after = 0;
        if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
            retry_after > 0)
            reply.retry_after = std::chrono::seconds(retry_after);
        return reply;
    }
};

SyncClient::SyncClient(Database& db, SyncOptions options)
    : impl_(std::make_unique<Impl>(db, std::move(options))) {
}

SyncClient::~SyncClient() = default;

bool SyncClient::enrolled() const {
    return !impl_->config(kDeviceKey).empty();
}
std::string SyncClient::device_id() const {
    return impl_->config(kDeviceKey);
}
std::string SyncClient::centre() const {
    return impl_->config(kCentreKey);
}

void SyncClient::enroll(std::string_view code) {
    json body = {{"code", code}, {"public_key", signing::to_base64(impl_->key.public_key)}};
    Reply reply = impl_->post("/v1/enroll", body.dump(), /*sign=*/false);
    if (reply.status != 201)
        throw SyncError(fmt::format("enrollment refused: {}", server_reason(reply)));
    json answer = json::parse(reply.body, nullptr, false);
    if (!answer.is_object() || !answer.value("device", json()).is_string() ||
        !answer.value("centre", json()).is_string())
        throw SyncError("the server's enrollment reply is malformed; try again later");
    Transaction tx = impl_->db.transaction();
    impl_->put_config(kDeviceKey, answer["device"].get<std::string>());
    impl_->put_config(kCentreKey, answer["centre"].get<std::string>());
    tx.commit();
}

SyncClient::PushReport SyncClient::push_outbox(int batch_size) {
    if (!enrolled()) throw SyncError("this kiosk is not enrolled yet; enroll it with a code");
    PushReport report;
    for (;;) {
        Statement pending = impl_->db.prepare(
            "SELECT uuid, type, payload, created_at FROM core__outbox WHERE state = 'pending' "
            "ORDER BY seq LIMIT ?");
        pending.bind(1, batch_size);
        json events = json::array();
        while (pending.step()) {
            json payload = json::parse(pending.text(2), nullptr, false);
            events.push_back({{"uuid", pending.text(0)},
                              {"type", pending.text(1)},
                              {"payload", payload},
                              {"created_at", pending.text(3)}});
        }
        if (events.empty()) return report;

        json body = {{"centre", centre()}, {"events", events}};
        Reply reply = impl_->post("/v1/events", body.dump(), /*sign=*/true);
        if (reply.status != 200) {
            impl_->db.exec(
                "UPDATE core__outbox SET attempts = attempts + 1 WHERE state = "
                "'pending'");
            throw SyncError(fmt::format("the server refused the events: {}", server_reason(reply)),
                            reply.retry_after);
        }
        json answer = json::parse(reply.body, nullptr, false);
        if (!answer.is_object() || !answer.value("results", json()).is_array())
            throw SyncError("the server's reply is malformed; the events stay queued");

        // Acknowledgements and their outbox changes commit together.
        Transaction tx = impl_->db.transaction();
        Statement remove = impl_->db.prepare("DELETE FROM core__outbox WHERE uuid = ?");
        Statement fail = impl_->db.prepare(
            "UPDATE core__outbox SET state = 'failed', last_error = ? WHERE uuid = ?");
        int acknowledged = 0;
        for (const json& r : answer["results"]) {
            std::string uuid = r.value("uuid", "");
            std::string status = r.value("status", "");
            if (status == "accepted" || status == "duplicate") {
                remove.bind(1, uuid).run();
                remove.reset();
                (status == "accepted" ? report.accepted : report.duplicates)++;
                ++acknowledged;
            } else if (status == "conflict" || status == "rejected") {
                fail.bind_all(r.value("reason", status), uuid).run();
                fail.reset();
                ++report.conflicts;
                ++acknowledged;
            }
        }
        tx.commit();
        report.sent += static_cast<int>(events.size());
        if (acknowledged == 0)
            throw SyncError("the server acknowledged none of the events; they stay queued");
    }
}

}  // namespace seba
