// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Credentials anyone can check offline (docs/credentials.md): a certificate a kiosk issues
/// (a MuktoPaath course passed) is a compact signed record, COSE_Sign1 (RFC 9052, EdDSA)
/// over a CBOR claims map, deflated and base45-encoded (RFC 9285) behind the prefix "SB1:",
/// as the EU Digital COVID Certificate carried its record in one QR code. The kiosk signs
/// with its device key; the server vouches for kiosk keys in a trust list it signs, which
/// every kiosk syncs, so any kiosk checks a certificate with no network.
///
/// Plugins with the "credentials" capability reach this through PluginContext::credentials().

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "seba/export.hpp"

namespace seba::credentials {

/// The prefix of a credential's text, and of what its QR code holds after any URL.
inline constexpr std::string_view kPrefix = "SB1:";

/// What a credential says. Text fields are UTF-8, as printed.
struct Claims {
    std::string id;       ///< set by issue(): random, 16 hex digits; names it in revocation
    std::string type;     ///< what it is, e.g. "course-certificate"
    std::string subject;  ///< the holder's name as the citizen gave it (max 128 characters)
    /// What was achieved, e.g. {"course": "digital-literacy", "title": {"bn": ..., "en": ...},
    /// "version": "1.0", "score_band": "merit"}: a JSON object of at most 2 KiB, stored in CBOR.
    nlohmann::json achievement = nlohmann::json::object();
    std::string issued;   ///< set by issue(): UTC date YYYY-MM-DD by the kiosk's corrected clock
    std::string expires;  ///< UTC date YYYY-MM-DD, or empty: never
    std::string issuer;   ///< set by issue(): the issuing kiosk's device id
    std::string centre;   ///< set by issue(): the issuing kiosk's centre
};

/// A signed credential, ready to print.
struct Credential {
    Claims claims;
    std::string text;  ///< "SB1:" + base45: what a person can type in to check it
    /// What the QR code holds: the server's public verification page with the text
    /// (https://server/verify?c=...) when the kiosk knows that page, else the text alone.
    std::string qr;
};

enum class Status {
    Valid,
    Invalid,        ///< not a credential, damaged, altered or forged: `reason` says which
    Expired,        ///< genuine, but past its expiry date
    Revoked,        ///< the issuing kiosk's key (or this credential) was revoked
    UnknownIssuer,  ///< signed by a key the trust list does not hold (yet: sync, try again)
};

/// Why a credential is not valid, as a code a screen translates.
enum class Reason {
    None,
    NotACredential,  ///< no "SB1:" prefix, or not base45
    Truncated,       ///< the data ends too soon (a partly typed or cut-off code)
    Malformed,       ///< it decodes, but is not a COSE_Sign1 credential of this format
    BadSignature,    ///< the signature does not match: altered after signing, or forged
    Expired,
    KeyRevoked,
    CredentialRevoked,
    UnknownKey,
    NoTrustList,  ///< this kiosk has never received a trust list
};

struct Verdict {
    Status status = Status::Invalid;
    Reason reason = Reason::None;
    std::string detail;            ///< English, for logs and the operator; never a name
    std::optional<Claims> claims;  ///< when it decoded and its signature verified
};

/// Status and Reason as stable words ("valid", "bad_signature", ...), as the server's JSON
/// and the translations use them.
SEBA_API std::string_view to_string(Status status);
SEBA_API std::string_view to_string(Reason reason);

/// The credential text from what a scanner read or a person typed: the bare "SB1:..." text,
/// or a verification URL holding it (percent-encoded in its "c" query parameter). Spaces a
/// person typed around it are dropped; case is kept (base45 is upper case: lower case is
/// taken as upper case). nullopt when there is no credential text in it.
SEBA_API std::optional<std::string> extract_text(std::string_view scanned_or_typed);

/// A kiosk's view, through PluginContext::credentials(). Use from the plugin's calls.
class SEBA_API Credentials {
  public:
    virtual ~Credentials();

    /// Signs `claims` with this kiosk's device key, filling id, issued, issuer and centre.
    /// Throws seba::Error when the kiosk was never enrolled (it has no device id to sign as)
    /// or a field is over its limit.
    virtual Credential issue(Claims claims) = 0;

    /// Checks a credential against the trust list this kiosk last synced, with no network,
    /// at the kiosk's corrected time. Never throws on bad input.
    virtual Verdict verify(std::string_view scanned_or_typed) = 0;
};

}  // namespace seba::credentials
