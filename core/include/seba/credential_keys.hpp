// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The host's side of credentials (docs/credentials.md): the encoding, the trust list the
/// server signs, and the kiosk's view of both. Kiosk and server code only: plugins reach
/// credentials through PluginContext::credentials() (seba/credentials.hpp), and this header
/// is not part of seba/sdk.hpp.

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/credentials.hpp"
#include "seba/export.hpp"
#include "seba/signing.hpp"

namespace seba {
class Database;
}

namespace seba::credentials {

/// The catalog channel of the server's trust list, which every kiosk pulls.
inline constexpr std::string_view kTrustChannel = "credentials.trust";

// Limits on every input (docs/credentials.md, "Limits").
inline constexpr std::size_t kMaxTextChars = 4096;         ///< a credential's whole text
inline constexpr std::size_t kMaxSubjectChars = 128;       ///< code points
inline constexpr std::size_t kMaxAchievementBytes = 2048;  ///< its JSON text
inline constexpr std::size_t kMaxFieldBytes = 256;         ///< type, issuer, centre
inline constexpr std::size_t kMaxPayloadBytes = 8192;      ///< the inflated COSE_Sign1
inline constexpr std::size_t kMaxCborDepth = 8;
inline constexpr std::size_t kMaxCborItems = 512;
inline constexpr std::size_t kMaxScannedChars = 16384;  ///< what extract_text() looks at

// [SECTION] base45 (RFC 9285)

SEBA_API std::string base45_encode(std::span<const std::uint8_t> bytes);
/// Why base45 text does not decode.
enum class Base45Error { None, BadCharacter, CutOff };
/// The bytes, or the error: a character outside the alphabet, or an ending that is not a
/// whole group (what a cut-off text looks like).
SEBA_API std::optional<std::vector<std::uint8_t>> base45_decode(std::string_view text,
                                                                Base45Error* error = nullptr);

// [SECTION] the credential itself

/// The first 8 bytes of BLAKE2b-256 of a device's Ed25519 public key, as 16 hex digits: the
/// COSE "kid" (as bytes) and the trust list's key.
SEBA_API std::string key_id(const std::array<std::uint8_t, 32>& public_key);

/// Throws seba::Error naming the field that is over its limit or malformed (issued and
/// expires must be YYYY-MM-DD dates, id 16 hex digits).
SEBA_API void check_claims(const Claims& claims);

/// "SB1:" + base45(zlib(COSE_Sign1 over the claims)), signed with `key`. Every field of
/// `claims` must be set (issue() does that); throws seba::Error as check_claims().
SEBA_API std::string encode(const Claims& claims, const signing::KeyPair& key);

/// A credential's text taken apart, before anyone says whether its signer is trusted.
struct Decoded {
    Reason reason = Reason::None;  ///< None: it decoded; the rest is set
    std::string detail;            ///< English, when it did not
    std::string kid;               ///< hex
    Claims claims;
    std::vector<std::uint8_t> signed_bytes;  ///< the Sig_structure the signature covers
    std::array<std::uint8_t, 64> signature{};
};

/// Never throws: what does not decode says why in `reason`.
SEBA_API Decoded decode(std::string_view text);
SEBA_API bool signature_valid(const Decoded& decoded, const std::array<std::uint8_t, 32>& key);

/// A UTC date YYYY-MM-DD.
SEBA_API std::string utc_date(std::chrono::system_clock::time_point when);

// [SECTION] the trust list (channel kTrustChannel)

/// One enrolled kiosk's key, as the server vouches for it. Record key: `kid`.
struct TrustEntry {
    std::string kid;
    std::string device;
    std::string centre;
    std::array<std::uint8_t, 32> public_key{};
    std::string since;       ///< when it was enrolled, UTC ISO 8601
    std::string revoked_at;  ///< when it was revoked; "" while it is not
};

/// One revoked credential. Record key: "credential/<id>".
struct CredentialRevocation {
    std::string id;
    std::string revoked_at;
};

SEBA_API std::string revocation_key(std::string_view credential_id);

/// The record's data, signed with the server's trust key.
SEBA_API nlohmann::json sign_entry(const TrustEntry& entry, const signing::KeyPair& trust_key);
SEBA_API nlohmann::json sign_revocation(const CredentialRevocation& revocation,
                                        const signing::KeyPair& trust_key);
/// The entry a record holds when its signature verifies with `trust_key` and it is the
/// record it says it is; nullopt otherwise (never throws).
SEBA_API std::optional<TrustEntry> read_entry(std::string_view record_key,
                                              const nlohmann::json& data,
                                              const std::array<std::uint8_t, 32>& trust_key);
SEBA_API std::optional<CredentialRevocation> read_revocation(
    std::string_view record_key, const nlohmann::json& data,
    const std::array<std::uint8_t, 32>& trust_key);

// [SECTION] checking

/// What a verifier knows: the keys it trusts and the credentials revoked.
struct TrustSource {
    /// False when there is no trust list at all (a kiosk that never synced one).
    bool has_list = true;
    std::function<std::optional<TrustEntry>(std::string_view kid)> entry;
    std::function<bool(std::string_view credential_id)> revoked;
};

/// Checks a credential's text (or a URL holding it) against `trust` on day `today`
/// (YYYY-MM-DD). Never throws.
SEBA_API Verdict check(std::string_view scanned_or_typed, const TrustSource& trust,
                       std::string_view today);

// [SECTION] the kiosk's copy

/// The server's trust key as the kiosk keeps it, and the server's public verification page.
struct TrustKey {
    std::array<std::uint8_t, 32> public_key{};
    std::string public_url;  ///< "https://server.example" or ""
    friend bool operator==(const TrustKey&, const TrustKey&) = default;
};

/// {"alg": "ed25519", "id": key_id, "key": base64, "public_url": ...}: how the server names
/// it (enrollment reply, GET /v1/credentials/trust-key).
SEBA_API nlohmann::json to_json(const TrustKey& key);
/// nullopt unless alg, a 32-byte key and its id all match; public_url must be https:// or
/// http:// (or absent).
SEBA_API std::optional<TrustKey> trust_key_from_json(const nlohmann::json& value);

SEBA_API std::optional<TrustKey> trust_key(Database& db);
/// Kept as the server sent it over its authenticated channel.
SEBA_API void store_trust_key(Database& db, const TrustKey& key);

/// The trust list this kiosk synced, read from its catalog with `trust_key`.
SEBA_API TrustSource kiosk_trust(Database& db);

/// The verification URL for a credential's text: `public_url` + "/verify?c=" + the text
/// percent-encoded.
SEBA_API std::string verify_url(std::string_view public_url, std::string_view text);

/// The kiosk's Credentials: signs with the device key in `device_key_file` as the device
/// this kiosk's sync state says it was enrolled as; checks against kiosk_trust(db).
SEBA_API std::unique_ptr<Credentials> kiosk_credentials(Database& db,
                                                        std::filesystem::path device_key_file);

}  // namespace seba::credentials
