// SPDX-License-Identifier: Apache-2.0
// The trust list the server signs (channel credentials.trust), the server's trust key as the
// kiosk keeps it, and the kiosk's Credentials (docs/credentials.md).
#include <fmt/format.h>
#include <sodium.h>

#include <utility>

#include "seba/catalog.hpp"
#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_time.hpp"
#include "seba/storage.hpp"

namespace seba::credentials {

namespace {

using nlohmann::json;

constexpr std::string_view kTrustTag = "seba-credentials-trust-v1";
constexpr std::string_view kKeyConfig = "credentials.trust_key";
// The sync state this kiosk signs as (sync_client.cpp writes them at enrollment).
constexpr std::string_view kDeviceConfig = "sync.device";
constexpr std::string_view kCentreConfig = "sync.centre";
constexpr std::string_view kPublicKeyConfig = "sync.public_key";

// What the server signs for a record: the record's key and its data without the signature,
// as nlohmann::json writes it (members sorted, one spelling).
std::string signed_text(std::string_view record_key, const json& unsigned_data) {
    return fmt::format("{}\n{}\n{}", kTrustTag, record_key, unsigned_data.dump());
}

json sign(std::string_view record_key, json data, const signing::KeyPair& trust_key) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    const std::string text = signed_text(record_key, data);
    std::array<std::uint8_t, 64> signature{};
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         trust_key.secret_key.data());
    data["signature"] = signing::to_base64(signature);
    return data;
}

// The data without its signature, when the signature verifies with `trust_key`.
std::optional<json> verified(std::string_view record_key, const json& data,
                             const std::array<std::uint8_t, 32>& trust_key) {
    if (!data.is_object() || sodium_init() < 0) return std::nullopt;
    auto it = data.find("signature");
    if (it == data.end() || !it->is_string()) return std::nullopt;
    std::optional<std::vector<std::uint8_t>> signature =
        signing::from_base64(it->get<std::string>());
    if (!signature || signature->size() != 64) return std::nullopt;
    json rest = data;
    rest.erase("signature");
    const std::string text = signed_text(record_key, rest);
    if (crypto_sign_verify_detached(signature->data(),
                                    reinterpret_cast<const unsigned char*>(text.data()),
                                    text.size(), trust_key.data()) != 0)
        return std::nullopt;
    return rest;
}

std::string member(const json& data, const char* name) {
    auto it = data.find(name);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class KioskCredentials final : public Credentials {
  public:
    KioskCredentials(Database& db, std::filesystem::path key_file)
        : db_(db), key_file_(std::move(key_file)) {}

    Credential issue(Claims claims) override {
        const std::string device = read_core_value(db_, kDeviceConfig).value_or("");
        if (device.empty())
            throw Error(
                "this kiosk is not enrolled with a server, so it cannot sign credentials: "
                "enroll it first (seba-kiosk enroll CODE)");
        std::optional<signing::KeyPair> key = signing::load_device_key(key_file_);
        const std::string enrolled = read_core_value(db_, kPublicKeyConfig).value_or("");
        if (!key || (!enrolled.empty() && signing::to_base64(key->public_key) != enrolled))
            throw Error(fmt::format(
                "this kiosk's device key {} is missing or is not the key enrolled as {}, so it "
                "cannot sign credentials; the kiosk must be enrolled again",
                key_file_.string(), device));
        std::array<std::uint8_t, 8> id{};
        randombytes_buf(id.data(), id.size());
        std::array<char, 17> id_hex{};
        sodium_bin2hex(id_hex.data(), id_hex.size(), id.data(), id.size());
        claims.id = std::string(id_hex.data(), 16);
        claims.issued = utc_date(kiosk_now().at);
        claims.issuer = device;
        claims.centre = read_core_value(db_, kCentreConfig).value_or("");
        Credential out;
        try {
            out.text = encode(claims, *key);
        } catch (...) {
            sodium_memzero(key->secret_key.data(), key->secret_key.size());
            throw;
        }
        sodium_memzero(key->secret_key.data(), key->secret_key.size());
        std::optional<TrustKey> server = trust_key(db_);
        out.qr = server && !server->public_url.empty() ? verify_url(server->public_url, out.text)
                                                       : out.text;
        out.claims = std::move(claims);
        return out;
    }

    Verdict verify(std::string_view scanned_or_typed) override {
        try {
            return check(scanned_or_typed, kiosk_trust(db_), utc_date(kiosk_now().at));
        } catch (const std::exception& e) {
            Verdict v;
            v.reason = Reason::Malformed;
            v.detail = fmt::format("the kiosk could not check it: {}", e.what());
            return v;
        }
    }

  private:
    Database& db_;
    std::filesystem::path key_file_;
};

}  // namespace

std::string revocation_key(std::string_view credential_id) {
    return fmt::format("credential/{}", credential_id);
}

json sign_entry(const TrustEntry& entry, const signing::KeyPair& trust_key) {
    json data = {{"kid", entry.kid},
                 {"device", entry.device},
                 {"centre", entry.centre},
                 {"public_key", signing::to_base64(entry.public_key)},
                 {"since", entry.since}};
    if (!entry.revoked_at.empty()) data["revoked_at"] = entry.revoked_at;
    return sign(entry.kid, std::move(data), trust_key);
}

json sign_revocation(const CredentialRevocation& revocation, const signing::KeyPair& trust_key) {
    return sign(revocation_key(revocation.id),
                {{"credential", revocation.id}, {"revoked_at", revocation.revoked_at}}, trust_key);
}

std::optional<TrustEntry> read_entry(std::string_view record_key, const json& data,
                                     const std::array<std::uint8_t, 32>& trust_key) {
    try {
        std::optional<json> fields = verified(record_key, data, trust_key);
        if (!fields) return std::nullopt;
        TrustEntry entry;
        entry.kid = member(*fields, "kid");
        entry.device = member(*fields, "device");
        entry.centre = member(*fields, "centre");
        entry.since = member(*fields, "since");
        entry.revoked_at = member(*fields, "revoked_at");
        std::optional<std::vector<std::uint8_t>> key =
            signing::from_base64(member(*fields, "public_key"));
        if (!key || key->size() != 32 || entry.device.empty()) return std::nullopt;
        std::copy(key->begin(), key->end(), entry.public_key.begin());
        // Filed under its own key, and naming that key: never one entry under another's kid.
        if (entry.kid != record_key || key_id(entry.public_key) != entry.kid) return std::nullopt;
        return entry;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<CredentialRevocation> read_revocation(std::string_view record_key, const json& data,
                                                    const std::array<std::uint8_t, 32>& trust_key) {
    try {
        std::optional<json> fields = verified(record_key, data, trust_key);
        if (!fields) return std::nullopt;
        CredentialRevocation revocation{member(*fields, "credential"),
                                        member(*fields, "revoked_at")};
        if (revocation.id.empty() || revocation_key(revocation.id) != record_key)
            return std::nullopt;
        return revocation;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<TrustKey> trust_key(Database& db) {
    std::optional<std::string> stored = read_core_value(db, kKeyConfig);
    if (!stored) return std::nullopt;
    return trust_key_from_json(json::parse(*stored, nullptr, /*allow_exceptions=*/false));
}

void store_trust_key(Database& db, const TrustKey& key) {
    write_core_value(db, kKeyConfig, to_json(key).dump(), "server");
}

TrustSource kiosk_trust(Database& db) {
    TrustSource source;
    std::optional<TrustKey> key = trust_key(db);
    source.has_list = key && !catalog::cursor(db, kTrustChannel).empty();
    if (!source.has_list) return source;
    const std::array<std::uint8_t, 32> public_key = key->public_key;
    source.entry = [&db, public_key](std::string_view kid) -> std::optional<TrustEntry> {
        std::optional<json> data = catalog::record(db, kTrustChannel, kid);
        return data ? read_entry(kid, *data, public_key) : std::nullopt;
    };
    source.revoked = [&db, public_key](std::string_view id) {
        const std::string record_key = revocation_key(id);
        std::optional<json> data = catalog::record(db, kTrustChannel, record_key);
        return data && read_revocation(record_key, *data, public_key).has_value();
    };
    return source;
}

std::string verify_url(std::string_view public_url, std::string_view text) {
    std::string out(public_url);
    out += "/verify?c=";
    for (unsigned char c : text) {
        // Unreserved characters as they are; everything else (the base45 space, '+', ':',
        // '%', '/') percent-encoded, so no reader takes '+' for a space.
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::unique_ptr<Credentials> kiosk_credentials(Database& db,
                                               std::filesystem::path device_key_file) {
    return std::make_unique<KioskCredentials>(db, std::move(device_key_file));
}

}  // namespace seba::credentials
