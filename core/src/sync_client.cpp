// SPDX-License-Identifier: Apache-2.0
#include "seba/sync_client.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>

#include "content_files_store.hpp"
#include "seba/catalog.hpp"
#include "seba/config.hpp"
#include "seba/credential_keys.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/logging.hpp"
#include "seba/sealing.hpp"
#include "seba/signing.hpp"
#include "seba/storage_health.hpp"
#include "sync_protocol.hpp"

namespace seba {

namespace {

using nlohmann::json;

constexpr const char* kDeviceKey = "sync.device";
constexpr const char* kCentreKey = "sync.centre";
// The enrolled device's public key (base64): a key file that does not match was replaced.
constexpr const char* kPublicKeyKey = "sync.public_key";
// The public key made to enroll again after a loss, until that enrollment succeeds: the same
// code may be sent again with it when the reply was lost.
constexpr const char* kPendingKeyKey = "sync.pending_key";
// A device the server refused the key of (401 bad_signature) when the kiosk had no record
// of its enrolled key: the key was made silently by an older build after a loss.
constexpr const char* kKeyRefusedKey = "sync.key_refused";
constexpr std::size_t kMaxReplyBytes = sync_limits::kMaxReplyBytes;

struct Reply {
    long status = 0;
    std::string body;
    std::string etag;
    std::optional<std::chrono::system_clock::time_point> date;  ///< the server's Date
    std::int64_t wire_bytes = 0;  ///< as received, before gzip is undone
    std::optional<std::chrono::seconds> retry_after;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    std::size_t n = size * count;
    if (body->size() + n > kMaxReplyBytes) return 0;  // an oversized reply aborts the transfer
    body->append(data, n);
    return n;
}

// Keeps the ETag and Date headers' values; libcurl calls this once per header line.
std::size_t collect_headers(char* data, std::size_t size, std::size_t count, void* user) {
    std::size_t n = size * count;
    auto* reply = static_cast<Reply*>(user);
    std::string_view line(data, n);
    if (auto etag = detail::etag_from_header_line(line))
        reply->etag = std::move(*etag);
    else if (auto date = detail::date_from_header_line(line))
        reply->date = *date;
    return n;
}

void curl_global() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Plain HTTP carries citizens' data readable by anyone on the way: only to this machine.
// Empty when the address may be used; else why not.
std::string plain_http_refusal(const std::string& server_url) {
    CURLU* url = curl_url();
    std::string why;
    char* scheme = nullptr;
    char* host = nullptr;
    if (curl_url_set(url, CURLUPART_URL, server_url.c_str(), 0) != CURLUE_OK ||
        curl_url_get(url, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(url, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        why = fmt::format("\"{}\" is not a server address; set server.url to https://...",
                          server_url);
    } else if (std::string_view(scheme) != "https") {
        const std::string_view h(host);
        const bool loopback = h == "localhost" || h == "[::1]" || h.starts_with("127.");
        if (std::string_view(scheme) != "http" || !loopback)
            why = fmt::format(
                "the server address {} is not https://: a kiosk sends citizens' "
                "data to its server only over TLS; set server.url to https://...",
                server_url);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(url);
    return why;
}

// The transfer settings every request to the server gets.
void set_transfer_limits(CURL* curl, const SyncOptions& options) {
    // TLS 1.2 or later, the server's certificate verified against the configured CA file
    // (or the system's CAs) and, when pinned, its public key; only a pin and no CA file
    // means the pin alone is the trust.
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!options.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
    if (!options.pinned_key.empty()) {
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, options.pinned_key.c_str());
        if (options.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    }
    // Asked for explicitly: cpp-httplib answers an empty Accept-Encoding with brotli.
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
    // libcurl's defaults wait 300 s to connect and forever on a stalled transfer.
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options.total_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes_per_s);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.low_speed_time_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
}

// Keeps the Date header's time; libcurl calls this once per header line.
std::size_t collect_date(char* data, std::size_t size, std::size_t count, void* user) {
    std::size_t n = size * count;
    if (auto date = detail::date_from_header_line(std::string_view(data, n)))
        *static_cast<std::optional<std::chrono::system_clock::time_point>*>(user) = *date;
    return n;
}

// The server's certificate or key is not the one this kiosk trusts (or TLS failed).
bool is_tls_trust_failure(CURLcode code) {
    return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
           code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CONNECT_ERROR ||
           code == CURLE_SSL_ISSUER_ERROR;
}

ServerProbe::Outcome outcome_of(CURLcode code, long os_errno) {
    switch (code) {
        case CURLE_OK:
            return ServerProbe::Outcome::Answered;
        case CURLE_COULDNT_CONNECT:
            return os_errno == ECONNREFUSED ? ServerProbe::Outcome::Refused
                                            : ServerProbe::Outcome::Other;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return ServerProbe::Outcome::NameNotFound;
        case CURLE_OPERATION_TIMEDOUT:
            return ServerProbe::Outcome::TimedOut;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_USE_SSL_FAILED:
            return ServerProbe::Outcome::Tls;
        default:
            return ServerProbe::Outcome::Other;
    }
}

std::string server_reason(const Reply& reply) {
    return detail::server_reason(reply.status, reply.body);
}

// Saves what the kiosk learned of its clock when the operation ends, however it ends: on
// the operation's own thread, outside any transaction (a pull's prefetch runs beside one).
class ClockSaver {
  public:
    explicit ClockSaver(Database& db) : db_(db) {}
    ~ClockSaver() {
        try {
            KioskClock::instance().save(db_);
        } catch (const std::exception&) {
            // A busy or full disk: the offset is learned again from the next reply.
        }
    }
    ClockSaver(const ClockSaver&) = delete;
    ClockSaver& operator=(const ClockSaver&) = delete;

  private:
    Database& db_;
};

}  // namespace

struct SyncClient::Impl {
    Database& db;
    SyncOptions options;
    CURL* curl = nullptr;                 // one handle: its connection is reused between requests
    std::optional<signing::KeyPair> key;  // none while the enrolled key is lost
    std::optional<std::chrono::steady_clock::time_point> seal_key_checked;
    std::optional<std::chrono::steady_clock::time_point> trust_key_checked;

    Impl(Database& d, SyncOptions o) : db(d), options(std::move(o)) {
        curl_global();
        if (std::string why = plain_http_refusal(options.server_url); !why.empty())
            throw SyncError(why);
        curl = curl_easy_init();
        if (!curl) throw SyncError("libcurl failed to start");
        KioskClock::instance().load(db);
        load_key();
    }
    ~Impl() { curl_easy_cleanup(curl); }

    std::string config(const char* key_name) const {
        return read_core_value(db, key_name).value_or("");
    }

    void put_config(const char* key_name, const std::string& value) {
        write_core_value(db, key_name, value, "system");
    }

    // The device key as the kiosk's state says it should be: made if the kiosk is not
    // enrolled yet; for an enrolled kiosk, only the enrolled one. Read again before each
    // operation, since `seba-kiosk enroll` in another process may have replaced it.
    void load_key() {
        if (config(kDeviceKey).empty()) {
            key = signing::load_or_create_device_key(options.device_key_file);
            return;
        }
        key = signing::load_device_key(options.device_key_file);
        const std::string enrolled_key = config(kPublicKeyKey);
        if (key && !enrolled_key.empty() && signing::to_base64(key->public_key) != enrolled_key)
            key.reset();  // another key than the enrolled one: lost all the same
    }

    bool key_lost() const {
        const std::string device = config(kDeviceKey);
        return !device.empty() && (!key || config(kKeyRefusedKey) == device);
    }

    std::string lost_key_message() const {
        const std::string device = config(kDeviceKey);
        return fmt::format(
            "this kiosk is enrolled as {0}, but its device key {1} is missing or is not the "
            "key enrolled as {0}, and the kiosk cannot sync until it is re-enrolled: the "
            "administrator revokes the old device (seba-server admin revoke {0}) and makes a "
            "new code (seba-server admin enroll-code CENTRE), then seba-kiosk enroll CODE on "
            "this kiosk enrolls it with a new key (nothing waiting in the outbox is lost)",
            device, options.device_key_file.string());
    }

    // Before a push or a pull: enrolled, with the enrolled key.
    void require_key() {
        if (config(kDeviceKey).empty())
            throw SyncError("this kiosk is not enrolled yet; enroll it with a code");
        load_key();
        if (key_lost()) throw SyncError(lost_key_message());
    }

    // The server refused a signed request: why, in words for the operator, as a SyncError.
    // A refused key means the key was lost (an older build made a new one silently).
    [[noreturn]] void refused(const Reply& reply, const std::string& what) {
        const std::string code = detail::server_error_code(reply.body);
        if (reply.status == 401 && (code == "bad_signature" || code == "unknown_device")) {
            const std::string device = config(kDeviceKey);
            if (code == "bad_signature" && config(kPublicKeyKey).empty())
                put_config(kKeyRefusedKey, device);
            throw SyncError(fmt::format("{}: {}. {}", what, server_reason(reply),
                                        code == "unknown_device"
                                            ? fmt::format("The server does not know the device "
                                                          "{}: re-enroll this kiosk with a new "
                                                          "code (seba-kiosk enroll CODE)",
                                                          device)
                                            : lost_key_message()),
                            reply.retry_after, /*answered=*/true);
        }
        throw SyncError(fmt::format("{}: {}", what, server_reason(reply)), reply.retry_after,
                        /*answered=*/true);
    }

    // The server's sealing key, asked for when the kiosk has none (enrolled before servers
    // gave one) and hourly after, so that a rotated key reaches every kiosk. Trusted as
    // everything else the server sends: over the TLS the kiosk verifies. A failure here is
    // left to the push that follows to report.
    void refresh_seal_key() {
        const auto now = std::chrono::steady_clock::now();
        if (seal_key_checked && now - *seal_key_checked < std::chrono::hours(1) &&
            sealing::server_key(db))
            return;
        Reply reply = request("GET", "/v1/seal-key", "", /*sign=*/false);
        if (reply.status != 200) return;
        std::optional<sealing::ServerKey> sent = detail::parse_seal_key_reply(reply.body);
        if (!sent) return;
        if (sealing::server_key(db) != sent) sealing::store_server_key(db, *sent);
        seal_key_checked = now;
    }

    // The key the server signs its trust list with (and its public verification page), asked
    // for over a signed request before the trust list is pulled, when the kiosk has none
    // (enrolled before servers gave one) and hourly after. A failure is left to the pull.
    void refresh_trust_key(const std::string& device) {
        const auto now = std::chrono::steady_clock::now();
        if (trust_key_checked && now - *trust_key_checked < std::chrono::hours(1) &&
            credentials::trust_key(db))
            return;
        Reply reply = request("GET", "/v1/credentials/trust-key", "", /*sign=*/true, {}, device);
        if (reply.status != 200) return;
        std::optional<credentials::TrustKey> sent = detail::parse_trust_key_reply(reply.body);
        if (!sent) return;
        if (credentials::trust_key(db) != sent) credentials::store_trust_key(db, *sent);
        trust_key_checked = now;
    }

    // An older kiosk enrolled before its public key was kept: a signed request that went
    // through proves the key file is the enrolled one, so it is kept from now on.
    void remember_working_key() {
        if (key && config(kPublicKeyKey).empty())
            put_config(kPublicKeyKey, signing::to_base64(key->public_key));
    }

    // One request over the reused connection, timed and signed with the kiosk's corrected
    // clock. A refusal for a stale timestamp carries the server's Date, from which the
    // offset is corrected: the request is then signed again and sent once more.
    // `if_none_match`: an ETag from an earlier reply. `device`: the signer's id when known (a
    // pull's prefetch runs beside a transaction on the database); otherwise read from it.
    Reply request(const char* method, const std::string& path, const std::string& body, bool sign,
                  const std::string& if_none_match = {}, const std::string& device = {}) {
        const std::string signer = sign && device.empty() ? config(kDeviceKey) : device;
        Reply reply = perform(method, path, body, sign, if_none_match, signer);
        if (sign && reply.status == 401 && reply.date &&
            detail::server_error_code(reply.body) == "stale_timestamp")
            reply = perform(method, path, body, sign, if_none_match, signer);
        return reply;
    }

    // The four headers of a signed request, appended to `headers`.
    curl_slist* sign_into(curl_slist* headers, const char* method, const std::string& path,
                          const std::string& body, const std::string& device) {
        if (!key) {
            curl_slist_free_all(headers);
            throw SyncError(lost_key_message());
        }
        auto now =
            std::chrono::duration_cast<std::chrono::seconds>(kiosk_now().at.time_since_epoch())
                .count();
        signing::SignedHeaders h = signing::sign_request(*key, device, method, path, body, now);
        for (const std::string& line :
             {"X-Seba-Device: " + h.device, "X-Seba-Timestamp: " + h.timestamp,
              "X-Seba-Nonce: " + h.nonce, "X-Seba-Signature: " + h.signature})
            headers = curl_slist_append(headers, line.c_str());
        return headers;
    }

    // Content files: content_files.cpp below (download_file).
    struct Sink;
    Reply download(const std::string& path, std::int64_t from, Sink& sink);
    enum class Fetched { Done, Stop, Next };
    Fetched download_file(const files::detail::Download& file, FilesReport& report,
                          std::chrono::steady_clock::time_point deadline, std::int64_t& bytes_left);

    Reply perform(const char* method, const std::string& path, const std::string& body, bool sign,
                  const std::string& if_none_match, const std::string& device) {
        Reply reply;
        std::string url = options.server_url + path;
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        if (sign) headers = sign_into(headers, method, path, body, device);
        if (!if_none_match.empty())
            headers = curl_slist_append(headers, ("If-None-Match: " + if_none_match).c_str());
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        if (std::string_view(method) == "POST") {
            curl_easy_setopt(curl, CURLOPT_POST, 1L);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(body.size()));
        }
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        set_transfer_limits(curl, options);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_headers);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
        const auto sent = std::chrono::system_clock::now();
        CURLcode rc = curl_easy_perform(curl);
        const auto received = std::chrono::system_clock::now();
        curl_slist_free_all(headers);
        if (rc == CURLE_OPERATION_TIMEDOUT)
            throw SyncError(
                fmt::format("the server at {} did not answer in time; the kiosk "
                            "keeps working offline and will try again",
                            options.server_url));
        if (rc == CURLE_WRITE_ERROR)
            throw SyncError(
                fmt::format("the server's reply was larger than {} MiB and was "
                            "refused; the kiosk will try again later",
                            kMaxReplyBytes >> 20));
        if (is_tls_trust_failure(rc))
            throw SyncError(fmt::format(
                "the server at {} could not be verified as this kiosk's server ({}); nothing "
                "was sent. Give the kiosk the server's certificate or its CA (server.ca_file) "
                "or its key's pin (server.pin): docs/deployment.md",
                options.server_url, curl_easy_strerror(rc)));
        if (rc != CURLE_OK)
            throw SyncError(
                fmt::format("cannot reach the server at {}: {}; the kiosk keeps "
                            "working offline and will try again",
                            options.server_url, curl_easy_strerror(rc)));
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
        // Every reply says the server's time, refusals too: the kiosk's clock follows it.
        if (reply.date) KioskClock::instance().learn(*reply.date, sent, received);
        curl_off_t retry_after = 0;
        if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
            retry_after > 0)
            reply.retry_after = std::chrono::seconds(retry_after);
        curl_off_t received_bytes = 0;
        if (curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &received_bytes) == CURLE_OK)
            reply.wire_bytes = static_cast<std::int64_t>(received_bytes);
        return reply;
    }

    // Marks events failed with a reason, for the operator; they no longer hold up the rest.
    void fail(const std::vector<std::pair<std::string, std::string>>& events) {
        if (events.empty()) return;
        Transaction tx = db.transaction();
        Statement mark =
            db.prepare("UPDATE core__outbox SET state = 'failed', last_error = ? WHERE uuid = ?");
        for (const auto& [uuid, reason] : events) {
            mark.bind_all(reason, uuid).run();
            mark.reset();
        }
        tx.commit();
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
bool SyncClient::key_lost() const {
    return impl_->key_lost();
}

void SyncClient::enroll(std::string_view code, std::string_view centre) {
    ClockSaver saver(impl_->db);
    impl_->load_key();
    if (impl_->key_lost()) {
        // A new key for the new enrollment; kept for it until that succeeds, so that the same
        // code can be sent again with the same key when the reply is lost.
        const std::string pending = impl_->config(kPendingKeyKey);
        if (!impl_->key || pending.empty() ||
            signing::to_base64(impl_->key->public_key) != pending) {
            std::optional<signing::KeyPair> current =
                signing::load_device_key(impl_->options.device_key_file);
            if (current && !pending.empty() && signing::to_base64(current->public_key) == pending)
                impl_->key = current;
            else
                impl_->key = signing::replace_device_key(impl_->options.device_key_file);
            impl_->put_config(kPendingKeyKey, signing::to_base64(impl_->key->public_key));
        }
    }
    json body = {{"code", code}, {"public_key", signing::to_base64(impl_->key->public_key)}};
    if (!centre.empty()) body["centre"] = centre;
    Reply reply = impl_->request("POST", "/v1/enroll", body.dump(), /*sign=*/false);
    if (reply.status != 201)
        throw SyncError(fmt::format("enrollment refused: {}", server_reason(reply)),
                        reply.retry_after, /*answered=*/true);
    std::optional<detail::EnrollReply> answer = detail::parse_enroll_reply(reply.body);
    if (!answer) throw SyncError("the server's enrollment reply is malformed; try again later");
    Transaction tx = impl_->db.transaction();
    impl_->put_config(kDeviceKey, answer->device);
    impl_->put_config(kCentreKey, answer->centre);
    impl_->put_config(kPublicKeyKey, signing::to_base64(impl_->key->public_key));
    if (answer->seal_key) sealing::store_server_key(impl_->db, *answer->seal_key);
    if (answer->trust_key) credentials::store_trust_key(impl_->db, *answer->trust_key);
    impl_->db.prepare("DELETE FROM core__config WHERE key IN (?, ?)")
        .bind_all(kPendingKeyKey, kKeyRefusedKey)
        .run();
    tx.commit();
}

SyncClient::PushReport SyncClient::push_outbox(int batch_size) {
    impl_->require_key();
    ClockSaver saver(impl_->db);
    impl_->refresh_seal_key();
    Database& db = impl_->db;
    const std::size_t limit = impl_->options.max_push_bytes;
    // Shrinks when something on the way (a proxy) refuses a body the server would take.
    std::size_t budget = limit;
    batch_size = std::clamp(batch_size, 1, static_cast<int>(sync_limits::kMaxEventsPerPush));
    const std::string head = fmt::format(R"({{"centre":{},"events":[)", json(centre()).dump());
    constexpr std::string_view kTail = "]}";
    PushReport report;
    for (;;) {
        // The body is built event by event, so that its size is known exactly.
        Statement pending = db.prepare(
            "SELECT uuid, type, payload, created_at, clock_checked FROM core__outbox "
            "WHERE state = 'pending' ORDER BY seq LIMIT ?");
        pending.bind(1, batch_size);
        std::string body = head;
        std::vector<std::string> batch;                               // uuids, in order
        std::vector<std::pair<std::string, std::string>> unsendable;  // uuid, reason
        std::vector<std::pair<std::string, std::string>> unreadable;  // uuid, reason
        while (pending.step()) {
            std::string uuid = pending.text(0);
            json payload = json::parse(pending.text(2), nullptr, false);
            if (payload.is_discarded()) {
                unreadable.emplace_back(uuid, "its payload in the outbox is not JSON");
                continue;
            }
            std::string event = json{{"uuid", uuid},
                                     {"type", pending.text(1)},
                                     {"payload", std::move(payload)},
                                     {"created_at", pending.text(3)},
                                     {"clock_checked", pending.integer(4) != 0}}
                                    .dump();
            const std::size_t alone = head.size() + event.size() + kTail.size();
            if (alone > limit) {
                unsendable.emplace_back(
                    uuid, fmt::format("too large to send: a request with this event alone is {} "
                                      "bytes, and the server takes at most {}",
                                      alone, limit));
                continue;
            }
            if (!batch.empty() && body.size() + 1 + event.size() + kTail.size() > budget) break;
            if (!batch.empty()) body += ',';
            body += event;
            batch.push_back(std::move(uuid));
        }
        pending.reset();
        body += kTail;
        impl_->fail(unsendable);
        impl_->fail(unreadable);
        report.too_large += static_cast<int>(unsendable.size());
        report.conflicts += static_cast<int>(unreadable.size());
        if (batch.empty()) {
            if (!unsendable.empty() || !unreadable.empty()) continue;  // the rest waits
            impl_->remember_working_key();
            return report;
        }

        Reply reply = impl_->request("POST", "/v1/events", body, /*sign=*/true);
        if (reply.status == 413) {
            if (batch.size() > 1) {
                // Something before the server takes less than it does: smaller batches.
                budget = std::max<std::size_t>(body.size() / 2, 1);
                batch_size = std::max(1, static_cast<int>(batch.size()) / 2);
                continue;
            }
            impl_->fail(
                {{batch.front(), fmt::format("too large to send: the server refused a request with "
                                             "this event alone ({} bytes) as too large",
                                             body.size())}});
            ++report.too_large;
            continue;
        }
        if (reply.status != 200) {
            db.exec("UPDATE core__outbox SET attempts = attempts + 1 WHERE state = 'pending'");
            impl_->refused(reply, "the server refused the events");
        }
        std::optional<detail::PushReply> answer = detail::parse_push_reply(reply.body);
        if (!answer) throw SyncError("the server's reply is malformed; the events stay queued");

        // Acknowledgements and their outbox changes commit together.
        Transaction tx = db.transaction();
        Statement remove = db.prepare("DELETE FROM core__outbox WHERE uuid = ?");
        Statement fail =
            db.prepare("UPDATE core__outbox SET state = 'failed', last_error = ? WHERE uuid = ?");
        int acknowledged = 0;
        using Status = detail::PushResult::Status;
        for (const detail::PushResult& r : answer->results) {
            if (r.status == Status::Accepted || r.status == Status::Duplicate) {
                remove.bind(1, r.uuid).run();
                remove.reset();
                (r.status == Status::Accepted ? report.accepted : report.duplicates)++;
                ++acknowledged;
            } else if (r.status == Status::Conflict || r.status == Status::Rejected) {
                fail.bind_all(r.reason, r.uuid).run();
                fail.reset();
                ++report.conflicts;
                ++acknowledged;
            }
        }
        tx.commit();
        report.sent += static_cast<int>(batch.size());
        if (acknowledged == 0)
            throw SyncError("the server acknowledged none of the events; they stay queued");
    }
}

}  // namespace seba

namespace seba {

SyncClient::PullReport SyncClient::pull(std::string_view channel,
                                        const std::function<void(const PullReport&)>& progress) {
    impl_->require_key();
    Database& db = impl_->db;
    ClockSaver saver(db);
    PullReport report;
    std::string cursor, etag;
    {
        Statement row = db.prepare(
            "SELECT cursor, coalesce(etag, '') FROM core__sync_cursors WHERE channel = ?");
        row.bind(1, channel);
        if (row.step()) {
            cursor = row.text(0);
            etag = row.text(1);
        }
    }
    std::string device = device_id();
    if (channel == credentials::kTrustChannel) impl_->refresh_trust_key(device);
    auto fetch = [this, channel, device](std::string from, std::string tag) {
        std::string path = fmt::format("/v1/channels/{}", channel);
        if (!from.empty()) {
            char* escaped =
                curl_easy_escape(impl_->curl, from.data(), static_cast<int>(from.size()));
            path += fmt::format("?cursor={}", escaped);
            curl_free(escaped);
        }
        return impl_->request("GET", path, "", /*sign=*/true, from.empty() ? "" : tag, device);
    };
    // The next page is fetched while this one is applied: the server's and the network's
    // part of a long pull overlap the kiosk's inserts (one connection, one request at once).
    std::future<Reply> next = std::async(std::launch::deferred, fetch, cursor, etag);
    for (;;) {
        Reply reply = next.get();
        report.bytes += reply.wire_bytes;
        if (reply.status == 304) {
            report.not_modified = true;
            impl_->remember_working_key();
            return report;
        }
        if (reply.status != 200)
            impl_->refused(reply, fmt::format("the server refused to send {}", channel));
        std::optional<detail::PullPage> page = detail::parse_pull_page(reply.body, channel);
        if (!page)
            throw SyncError(fmt::format(
                "the server's page of {} is malformed; the kiosk keeps its copy and will try "
                "again later",
                channel));
        if (page->has_more && page->cursor == cursor)
            throw SyncError(fmt::format(
                "the server sent a page of {} that does not move on; the kiosk will try again "
                "later",
                channel));
        if (page->has_more) next = std::async(std::launch::async, fetch, page->cursor, "");

        // A page and its cursor commit together: a kiosk killed mid-pull resumes after the
        // last page it kept, and never keeps half a page.
        catalog::KeptPage kept = catalog::keep_page(db, channel, *page, reply.etag);
        report.upserts += kept.upserts;
        report.deletes += kept.deletes;
        cursor = page->cursor;
        report.snapshot = report.snapshot || page->snapshot;
        ++report.pages;
        if (progress) progress(report);
        if (!page->has_more) {
            impl_->remember_working_key();
            return report;
        }
    }
}

SyncOptions sync_options(const Config& config) {
    if (config.server_url.empty())
        throw ConfigError(config.source.string() +
                          ": server.url is not set; the kiosk does not know its server");
    SyncOptions options;
    options.server_url = config.server_url;
    options.ca_file = config.server_ca_file;
    options.pinned_key = config.server_pin;
    options.device_key_file = config.data_dir / "device.key";
    options.files_dir = config.data_dir / "files";
    options.files_keep_free_bytes = config.min_free_bytes;
    return options;
}

ServerProbe probe_server(const std::string& server_url, const SyncOptions& limits,
                         const std::function<std::chrono::system_clock::time_point()>& now) {
    curl_global();
    ServerProbe probe;
    if (std::string why = plain_http_refusal(server_url); !why.empty()) {
        probe.error = why;
        return probe;
    }
    CURL* curl = curl_easy_init();
    if (!curl) {
        probe.error = "libcurl failed to start";
        return probe;
    }
    const std::string url = server_url + "/healthz";
    std::string body;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    set_transfer_limits(curl, limits);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_date);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &probe.server_time);
    const auto before = now();
    const auto started = std::chrono::steady_clock::now();
    const CURLcode code = curl_easy_perform(curl);
    probe.took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    probe.local_time = before + (now() - before) / 2;
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &probe.http_status);
    curl_easy_cleanup(curl);
    probe.outcome = outcome_of(code, os_errno);
    probe.is_seba_server = code == CURLE_OK && probe.http_status == 200 && body.rfind("ok", 0) == 0;
    if (code != CURLE_OK) probe.error = error[0] != '\0' ? error : curl_easy_strerror(code);
    return probe;
}

}  // namespace seba

// [SECTION] content files (seba/content_files.hpp, docs/protocol.md "Content files")
namespace seba {

namespace {

bool no_room_errno(int e) {
    return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

// fsync of a folder, so that a rename in it survives a power cut.
void sync_dir(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

// Where a download's bytes go: appended to the .part file as they arrive, never held in
// memory; the reply's status decides whether they are the file's or an error's.
struct SyncClient::Impl::Sink {
    CURL* curl = nullptr;
    int fd = -1;
    std::int64_t offset = 0;  // the .part file's size: where the next byte goes
    std::int64_t size = 0;    // the file's, as the record says
    std::int64_t limit = 0;   // what this sync may still receive
    std::int64_t received = 0;
    std::chrono::steady_clock::time_point deadline;
    const std::filesystem::path* dir = nullptr;
    std::uint64_t keep_free = 0;
    std::int64_t unchecked_room = 0;  // bytes written since the room was last looked at
    bool started = false;
    long status = 0;
    std::optional<std::int64_t> range_start;  // from Content-Range
    std::string error_body;                   // a refusal's body (bounded)
    // Why the transfer was stopped from here:
    bool at_limit = false, late = false, too_long = false, wrong_range = false, no_room = false;
    int write_errno = 0;

    static std::size_t header(char* data, std::size_t size, std::size_t count, void* user) {
        auto* sink = static_cast<Sink*>(user);
        std::string_view line(data, size * count);
        constexpr std::string_view kName = "content-range:";
        if (line.size() > kName.size()) {
            std::string lower(line.substr(0, kName.size()));
            for (char& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (lower == kName) {
                std::string_view value = line.substr(kName.size());
                std::size_t bytes = value.find("bytes ");
                if (bytes != std::string_view::npos) {
                    std::int64_t start = 0;
                    value.remove_prefix(bytes + 6);
                    auto [end, ec] =
                        std::from_chars(value.data(), value.data() + value.size(), start);
                    if (ec == std::errc()) sink->range_start = start;
                }
            }
        }
        return size * count;
    }

    static std::size_t write(char* data, std::size_t size, std::size_t count, void* user) {
        auto* sink = static_cast<Sink*>(user);
        const std::size_t n = size * count;
        if (!sink->started) {
            sink->started = true;
            curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &sink->status);
            if (sink->status == 200 && sink->offset > 0) {
                // The whole file came back: it starts again from its first byte.
                if (::ftruncate(sink->fd, 0) != 0) {
                    sink->write_errno = errno;
                    return 0;
                }
                sink->offset = 0;
            }
            if (sink->status == 206 && sink->range_start != sink->offset) {
                sink->wrong_range = true;
                return 0;
            }
        }
        if (sink->status != 200 && sink->status != 206) {
            if (sink->error_body.size() < 65536) sink->error_body.append(data, n);
            return n;
        }
        if (sink->offset + static_cast<std::int64_t>(n) > sink->size) {
            sink->too_long = true;
            return 0;
        }
        std::size_t take = n;
        if (sink->received + static_cast<std::int64_t>(n) > sink->limit) {
            take =
                static_cast<std::size_t>(std::max<std::int64_t>(0, sink->limit - sink->received));
            sink->at_limit = true;
        }
        // The database's room is never the files': the room is looked at every few MiB.
        sink->unchecked_room += static_cast<std::int64_t>(take);
        if (sink->keep_free > 0 && sink->unchecked_room >= (std::int64_t{4} << 20)) {
            sink->unchecked_room = 0;
            std::optional<DiskRoom> room = disk_room(*sink->dir);
            if (room && room->free_bytes < sink->keep_free + (std::uint64_t{4} << 20)) {
                sink->no_room = true;
                return 0;
            }
        }
        std::size_t done = 0;
        while (done < take) {
            const ssize_t w =
                ::pwrite(sink->fd, data + done, take - done, static_cast<off_t>(sink->offset));
            if (w < 0) {
                if (errno == EINTR) continue;
                sink->write_errno = errno;
                return 0;
            }
            done += static_cast<std::size_t>(w);
            sink->offset += w;
            sink->received += w;
        }
        return sink->at_limit ? 0 : n;
    }

    static int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        auto* sink = static_cast<Sink*>(user);
        if (std::chrono::steady_clock::now() < sink->deadline) return 0;
        sink->late = true;
        return 1;
    }
};

// GET /v1/files/<sha256>, signed, from byte `from`, streamed into the sink. Network failures
// throw SyncError (what arrived stays in the .part file); the sink says why it stopped a
// transfer itself.
Reply SyncClient::Impl::download(const std::string& path, std::int64_t from, Sink& sink) {
    const std::string device = config(kDeviceKey);
    Reply reply;
    for (int attempt = 0; attempt < 2; ++attempt) {
        sink.started = false;
        sink.status = 0;
        sink.range_start.reset();
        sink.error_body.clear();
        reply = Reply{};
        // Files are sent as they are (already compressed, most of them): identity, so that
        // a byte's offset is the file's.
        curl_slist* headers = curl_slist_append(nullptr, "Accept-Encoding: identity");
        headers = sign_into(headers, "GET", path, "", device);
        if (from > 0)
            headers = curl_slist_append(headers, fmt::format("Range: bytes={}-", from).c_str());
        const std::string url = options.server_url + path;
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        set_transfer_limits(curl, options);
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, nullptr);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        // A file takes as long as it takes within the sync's own deadline (the progress
        // callback); the low-speed limit still ends a stalled transfer.
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 0L);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Sink::progress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &sink);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Sink::write);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
        curl_write_callback on_header = [](char* data, std::size_t size, std::size_t count,
                                           void* user) {
            auto* pair = static_cast<std::pair<Sink*, Reply*>*>(user);
            Sink::header(data, size, count, pair->first);
            return collect_headers(data, size, count, pair->second);
        };
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        std::pair<Sink*, Reply*> both{&sink, &reply};
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &both);
        const auto sent = std::chrono::system_clock::now();
        const CURLcode rc = curl_easy_perform(curl);
        const auto received = std::chrono::system_clock::now();
        curl_slist_free_all(headers);
        const bool stopped_here = sink.at_limit || sink.late || sink.too_long || sink.wrong_range ||
                                  sink.no_room || sink.write_errno != 0;
        if (rc != CURLE_OK && !stopped_here) {
            if (is_tls_trust_failure(rc))
                throw SyncError(fmt::format(
                    "the server at {} could not be verified as this kiosk's server ({})",
                    options.server_url, curl_easy_strerror(rc)));
            throw SyncError(
                fmt::format("a content file's download from {} stopped: {}; it "
                            "resumes where it stopped at the next sync",
                            options.server_url, curl_easy_strerror(rc)));
        }
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
        if (reply.date) KioskClock::instance().learn(*reply.date, sent, received);
        reply.body = sink.error_body;
        reply.wire_bytes = sink.received;
        if (reply.status == 401 && reply.date &&
            detail::server_error_code(reply.body) == "stale_timestamp" && attempt == 0)
            continue;  // the clock is corrected from the reply: signed again, once
        break;
    }
    return reply;
}

SyncClient::Impl::Fetched SyncClient::Impl::download_file(
    const files::detail::Download& file, FilesReport& report,
    std::chrono::steady_clock::time_point deadline, std::int64_t& bytes_left) {
    namespace fd = files::detail;
    const std::filesystem::path& dir = options.files_dir;
    const std::filesystem::path part = fd::part_path(dir, file.sha256);
    const std::filesystem::path ready = fd::ready_path(dir, file.sha256);
    const std::string short_id = file.sha256.substr(0, 12);
    auto log = logging::get("files");

    // A file kept whole and checked, then moved in place: only the database says Ready.
    auto finish = [&]() -> Fetched {
        if (fd::sha256_of_file(part) != file.sha256) {
            std::error_code ec;
            std::filesystem::remove(part, ec);
            log->warn(
                "file {}: what arrived does not match its SHA-256; thrown away, fetched "
                "again at the next sync",
                short_id);
            Transaction tx = db.transaction();
            fd::mark_problem(db, file.sha256,
                             "what the server sent did not match the file's SHA-256; it was "
                             "thrown away and is fetched again",
                             /*queued_again=*/true);
            tx.commit();
            ++report.refetch;
            return Fetched::Next;
        }
        const int pfd = ::open(part.c_str(), O_RDONLY | O_CLOEXEC);
        if (pfd >= 0) {
            ::fsync(pfd);
            ::close(pfd);
        }
        Transaction tx = db.transaction();
        if (!fd::kept(db, file.sha256)) {
            std::error_code ec;
            std::filesystem::remove(part, ec);  // let go while it downloaded
            return Fetched::Next;
        }
        std::error_code ec;
        std::filesystem::rename(part, ready, ec);
        if (ec) return Fetched::Next;  // removed meanwhile (evicted): nothing to keep
        fd::mark_ready(db, file.sha256, fd::mtime_ns(ready));
        tx.commit();
        sync_dir(dir);
        log->info("file {} ({} bytes) downloaded and checked", short_id, file.size);
        ++report.ready;
        return Fetched::Next;
    };

    // Moved in place before a commit that did not happen: checked again and kept.
    if (fd::size_on_disk(ready) == file.size && fd::sha256_of_file(ready) == file.sha256) {
        Transaction tx = db.transaction();
        fd::mark_ready(db, file.sha256, fd::mtime_ns(ready));
        tx.commit();
        ++report.ready;
        return Fetched::Next;
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::int64_t have = std::max<std::int64_t>(0, fd::size_on_disk(part));
        if (have > file.size) {
            std::error_code ec;
            std::filesystem::remove(part, ec);
            have = 0;
        }
        if (have == file.size) return finish();
        if (bytes_left <= 0 || std::chrono::steady_clock::now() >= deadline) {
            report.more = true;
            return Fetched::Stop;
        }
        if (std::optional<DiskRoom> room = disk_room(dir);
            room && room->free_bytes < options.files_keep_free_bytes + (std::uint64_t{1} << 20)) {
            report.disk_problem = fmt::format(
                "content downloads stopped: {} free in {}, and the kiosk keeps {} for its "
                "database",
                human_size(room->free_bytes), dir.string(),
                human_size(options.files_keep_free_bytes));
            return Fetched::Stop;
        }
        const int out = ::open(part.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (out < 0) {
            report.disk_problem = fmt::format("content downloads stopped: {} cannot be written: {}",
                                              part.string(), std::strerror(errno));
            return Fetched::Stop;
        }
        Sink sink;
        sink.curl = curl;
        sink.fd = out;
        sink.offset = have;
        sink.size = file.size;
        sink.limit = bytes_left;
        sink.deadline = deadline;
        sink.dir = &dir;
        sink.keep_free = options.files_keep_free_bytes;
        Reply reply;
        try {
            reply = download("/v1/files/" + file.sha256, have, sink);
        } catch (...) {
            ::close(out);
            report.bytes += sink.received;
            throw;
        }
        ::close(out);
        report.bytes += sink.received;
        bytes_left -= sink.received;
        if (sink.write_errno != 0 || sink.no_room) {
            // Nothing is written to the database: on a full disk its writes would fail too.
            report.disk_problem =
                sink.no_room ? fmt::format(
                                   "content downloads stopped: the disk holding {} has less "
                                   "room than the {} the kiosk keeps for its database",
                                   dir.string(), human_size(options.files_keep_free_bytes))
                : no_room_errno(sink.write_errno)
                    ? fmt::format("content downloads stopped: the disk holding {} is full ({})",
                                  dir.string(), std::strerror(sink.write_errno))
                    : fmt::format("content downloads stopped: {} cannot be written ({})",
                                  part.string(), std::strerror(sink.write_errno));
            log->warn("{}; {} of file {} kept for later", report.disk_problem,
                      human_size(static_cast<std::uint64_t>(sink.offset)), short_id);
            return Fetched::Stop;
        }
        if (sink.at_limit || sink.late) {
            report.more = true;
            return Fetched::Stop;
        }
        if (reply.status == 416 || sink.wrong_range) {
            // The server does not have what the .part file says it has: start again.
            std::error_code ec;
            std::filesystem::remove(part, ec);
            continue;
        }
        if (reply.status == 404) {
            std::error_code ec;
            std::filesystem::remove(part, ec);
            Transaction tx = db.transaction();
            fd::mark_problem(db, file.sha256,
                             "the server does not have this file (404); tried again at the "
                             "next sync",
                             /*queued_again=*/false);
            tx.commit();
            log->warn("file {}: the server does not have it (404)", short_id);
            ++report.failed;
            return Fetched::Next;
        }
        if (sink.too_long) {
            std::error_code ec;
            std::filesystem::remove(part, ec);
            Transaction tx = db.transaction();
            fd::mark_problem(
                db, file.sha256,
                fmt::format("the server sent more than the file's {} bytes", file.size),
                /*queued_again=*/false);
            tx.commit();
            ++report.failed;
            return Fetched::Next;
        }
        if (reply.status != 200 && reply.status != 206)
            refused(reply, "the server refused to send a content file");
        if (sink.offset == file.size) return finish();
        // The reply ended early and cleanly: what came is kept; the rest at the next sync.
        throw SyncError(fmt::format(
            "the server's reply for content file {} ended after {} of {} bytes; the rest is "
            "fetched at the next sync",
            short_id, sink.offset, file.size));
    }
    return Fetched::Next;
}

SyncClient::FilesReport SyncClient::download_files() {
    FilesReport report;
    const std::filesystem::path& dir = impl_->options.files_dir;
    if (dir.empty()) return report;
    impl_->require_key();
    Database& db = impl_->db;
    ClockSaver saver(db);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    std::vector<std::filesystem::path> remove;
    {
        Transaction tx = db.transaction();
        remove = files::detail::settle(db, dir);
        tx.commit();
    }
    files::detail::remove_files(remove);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(impl_->options.files_ms_per_sync);
    std::int64_t bytes_left = impl_->options.files_bytes_per_sync;
    for (const files::detail::Download& file : files::detail::downloads(db))
        if (impl_->download_file(file, report, deadline, bytes_left) == Impl::Fetched::Stop) break;
    impl_->remember_working_key();
    return report;
}

}  // namespace seba
