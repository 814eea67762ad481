// SPDX-License-Identifier: Apache-2.0
#include "seba/sync_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>

#include "seba/signing.hpp"
#include "sync_protocol.hpp"

namespace seba {

namespace {

using nlohmann::json;

constexpr const char* kDeviceKey = "sync.device";
constexpr const char* kCentreKey = "sync.centre";
constexpr std::size_t kMaxReplyBytes = 8 * 1024 * 1024;

struct Reply {
    long status = 0;
    std::string body;
    std::string etag;
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

// Keeps the ETag header's value; libcurl calls this once per header line.
std::size_t collect_etag(char* data, std::size_t size, std::size_t count, void* user) {
    std::size_t n = size * count;
    if (auto etag = detail::etag_from_header_line(std::string_view(data, n)))
        static_cast<std::string*>(user)->assign(std::move(*etag));
    return n;
}

void curl_global() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The transfer settings every request to the server gets.
void set_transfer_limits(CURL* curl, const SyncOptions& options) {
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
    std::string_view line(data, n);
    constexpr std::string_view kDate = "date:";
    if (line.size() > kDate.size() &&
        std::equal(kDate.begin(), kDate.end(), line.begin(), [](char a, char b) {
            return a == (b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
        })) {
        std::string value(line.substr(kDate.size()));
        time_t t = curl_getdate(value.c_str(), nullptr);  // RFC 1123 and its older spellings
        if (t != -1)
            *static_cast<std::optional<std::chrono::system_clock::time_point>*>(user) =
                std::chrono::system_clock::from_time_t(t);
    }
    return n;
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

    // One request over the reused connection. `if_none_match`: an ETag from an earlier reply.
    // `device`: the signer's id when known (a pull's prefetch runs beside a transaction on
    // the database); otherwise read from it.
    Reply request(const char* method, const std::string& path, const std::string& body, bool sign,
                  const std::string& if_none_match = {}, const std::string& device = {}) {
        Reply reply;
        std::string url = options.server_url + path;
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        if (sign) {
            auto now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
            signing::SignedHeaders h = signing::sign_request(
                key, device.empty() ? config(kDeviceKey) : device, method, path, body, now);
            for (const std::string& line :
                 {"X-Seba-Device: " + h.device, "X-Seba-Timestamp: " + h.timestamp,
                  "X-Seba-Nonce: " + h.nonce, "X-Seba-Signature: " + h.signature})
                headers = curl_slist_append(headers, line.c_str());
        }
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
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_etag);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.etag);
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
                            "refused; the kiosk will try again later",
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
        curl_off_t received = 0;
        if (curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &received) == CURLE_OK)
            reply.wire_bytes = static_cast<std::int64_t>(received);
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
    Reply reply = impl_->request("POST", "/v1/enroll", body.dump(), /*sign=*/false);
    if (reply.status != 201)
        throw SyncError(fmt::format("enrollment refused: {}", server_reason(reply)));
    std::optional<detail::EnrollReply> answer = detail::parse_enroll_reply(reply.body);
    if (!answer) throw SyncError("the server's enrollment reply is malformed; try again later");
    Transaction tx = impl_->db.transaction();
    impl_->put_config(kDeviceKey, answer->device);
    impl_->put_config(kCentreKey, answer->centre);
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
        Reply reply = impl_->request("POST", "/v1/events", body.dump(), /*sign=*/true);
        if (reply.status != 200) {
            impl_->db.exec(
                "UPDATE core__outbox SET attempts = attempts + 1 WHERE state = "
                "'pending'");
            throw SyncError(fmt::format("the server refused the events: {}", server_reason(reply)),
                            reply.retry_after);
        }
        std::optional<detail::PushReply> answer = detail::parse_push_reply(reply.body);
        if (!answer) throw SyncError("the server's reply is malformed; the events stay queued");

        // Acknowledgements and their outbox changes commit together.
        Transaction tx = impl_->db.transaction();
        Statement remove = impl_->db.prepare("DELETE FROM core__outbox WHERE uuid = ?");
        Statement fail = impl_->db.prepare(
            "UPDATE core__outbox SET state = 'failed', last_error = ? WHERE uuid = ?");
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
        report.sent += static_cast<int>(events.size());
        if (acknowledged == 0)
            throw SyncError("the server acknowledged none of the events; they stay queued");
    }
}

}  // namespace seba

namespace seba {

SyncClient::PullReport SyncClient::pull(std::string_view channel,
                                        const std::function<void(const PullReport&)>& progress) {
    if (!enrolled()) throw SyncError("this kiosk is not enrolled yet; enroll it with a code");
    Database& db = impl_->db;
    PullReport report;
    std::string cursor, etag;
    std::int64_t generation = 0;
    {
        Statement row = db.prepare(
            "SELECT cursor, coalesce(etag, ''), generation FROM core__sync_cursors "
            "WHERE channel = ?");
        row.bind(1, channel);
        if (row.step()) {
            cursor = row.text(0);
            etag = row.text(1);
            generation = row.integer(2);
        }
    }
    std::string device = device_id();
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
            return report;
        }
        if (reply.status != 200)
            throw SyncError(
                fmt::format("the server refused to send {}: {}", channel, server_reason(reply)),
                reply.retry_after);
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
        Transaction tx = db.transaction();
        if (page->reset) ++generation;
        Statement upsert = db.prepare(
            "INSERT INTO core__catalog (channel, key, data, generation) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (channel, key) DO UPDATE SET "
            "data = excluded.data, generation = excluded.generation");
        Statement remove = db.prepare("DELETE FROM core__catalog WHERE channel = ? AND key = ?");
        for (const detail::PullPage::Change& c : page->changes) {
            if (c.data) {
                upsert.bind(1, channel).bind(2, c.key).bind(3, *c.data).bind(4, generation).run();
                upsert.reset();
                ++report.upserts;
            } else {
                remove.bind(1, channel).bind(2, c.key).run();
                remove.reset();
                ++report.deletes;
            }
        }
        if (page->snapshot && !page->has_more) {
            // The snapshot named everything the channel holds: the rest is gone.
            Statement sweep =
                db.prepare("DELETE FROM core__catalog WHERE channel = ? AND generation < ?");
            sweep.bind(1, channel).bind(2, generation).run();
            report.deletes += db.changes();
        }
        db.prepare(
              "INSERT INTO core__sync_cursors (channel, cursor, etag, generation, updated_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (channel) DO UPDATE SET cursor = ?2, "
              "etag = ?3, generation = ?4, updated_at = ?5")
            .bind_all(channel, page->cursor, page->has_more ? std::string() : reply.etag,
                      generation, utc_now_iso())
            .run();
        tx.commit();
        cursor = page->cursor;
        report.snapshot = report.snapshot || page->snapshot;
        ++report.pages;
        if (progress) progress(report);
        if (!page->has_more) return report;
    }
}

ServerProbe probe_server(const std::string& server_url, const SyncOptions& limits,
                         const std::function<std::chrono::system_clock::time_point()>& now) {
    curl_global();
    ServerProbe probe;
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
