// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "seba/credential_keys.hpp"
#include "seba/server/store.hpp"
#include "seba/signing.hpp"

/// The server's side of credentials (docs/credentials.md): its trust key, the trust list it
/// publishes as the catalog channel credentials.trust, and checking a credential against
/// its own device table.
namespace seba::server {

/// The server's Ed25519 trust key, kept in `file` (mode 0600, made at first start like the
/// sealing keys). Throws seba::Error naming the file when it cannot be used.
signing::KeyPair load_or_create_trust_key(const std::filesystem::path& file);

/// The trust list's entry for `device`.
credentials::TrustEntry trust_entry(const Device& device);

/// Publishes (adds or replaces) one device's entry: at enrollment and at revocation.
void publish_trust_entry(Store& store, const Device& device, const signing::KeyPair& trust_key);
/// Publishes one credential's revocation.
void publish_revocation(Store& store, const RevokedCredential& revoked,
                        const signing::KeyPair& trust_key);
/// Publishes the whole list from the device table and the revocations, replacing what the
/// channel held (at every start: entries made by an older server, or signed by an older key,
/// are made again). Entries are signed deterministically: unchanged ones stay unchanged.
PublishReport publish_trust_list(Store& store, const signing::KeyPair& trust_key);

/// Checks a credential's text (or its URL) against the server's own device table and
/// revocations, today (UTC). Never throws.
credentials::Verdict verify_credential(Store& store, std::string_view scanned_or_typed);

}  // namespace seba::server
