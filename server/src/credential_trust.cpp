// SPDX-License-Identifier: Apache-2.0
#include "seba/server/credential_trust.hpp"

#include <fmt/format.h>

#include <chrono>

#include "seba/error.hpp"

namespace seba::server {

signing::KeyPair load_or_create_trust_key(const std::filesystem::path& file) {
    try {
        return signing::load_or_create_device_key(file);
    } catch (const Error& e) {
        throw Error(fmt::format("the credentials trust key: {}", e.what()));
    }
}

credentials::TrustEntry trust_entry(const Device& device) {
    credentials::TrustEntry entry;
    entry.kid = credentials::key_id(device.public_key);
    entry.device = device.id;
    entry.centre = device.centre;
    entry.public_key = device.public_key;
    entry.since = device.enrolled_at;
    // A device revoked before revocation times were kept is revoked all the same.
    entry.revoked_at = device.revoked && device.revoked_at.empty() ? std::string("unknown")
                       : device.revoked                            ? device.revoked_at
                                                                   : std::string();
    return entry;
}

void publish_trust_entry(Store& store, const Device& device, const signing::KeyPair& trust_key) {
    credentials::TrustEntry entry = trust_entry(device);
    store.publish(credentials::kTrustChannel, "",
                  {{entry.kid, credentials::sign_entry(entry, trust_key).dump()}},
                  /*replace=*/false, /*dry_run=*/false);
}

void publish_revocation(Store& store, const RevokedCredential& revoked,
                        const signing::KeyPair& trust_key) {
    credentials::CredentialRevocation r{revoked.id, revoked.revoked_at};
    store.publish(
        credentials::kTrustChannel, "",
        {{credentials::revocation_key(r.id), credentials::sign_revocation(r, trust_key).dump()}},
        /*replace=*/false, /*dry_run=*/false);
}

PublishReport publish_trust_list(Store& store, const signing::KeyPair& trust_key) {
    std::vector<ChannelRecord> records;
    for (const Device& device : store.devices()) {
        credentials::TrustEntry entry = trust_entry(device);
        records.push_back({entry.kid, credentials::sign_entry(entry, trust_key).dump()});
    }
    for (const RevokedCredential& revoked : store.revoked_credentials())
        records.push_back(
            {credentials::revocation_key(revoked.id),
             credentials::sign_revocation({revoked.id, revoked.revoked_at}, trust_key).dump()});
    return store.publish(credentials::kTrustChannel, "", records, /*replace=*/true,
                         /*dry_run=*/false);
}

credentials::Verdict verify_credential(Store& store, std::string_view scanned_or_typed) {
    try {
        credentials::TrustSource trust;
        trust.entry = [&store](std::string_view kid) -> std::optional<credentials::TrustEntry> {
            if (std::optional<Device> device = store.device_by_key_id(kid))
                return trust_entry(*device);
            return std::nullopt;
        };
        trust.revoked = [&store](std::string_view id) { return store.credential_revoked(id); };
        return credentials::check(scanned_or_typed, trust,
                                  credentials::utc_date(std::chrono::system_clock::now()));
    } catch (const std::exception& e) {
        credentials::Verdict v;
        v.reason = credentials::Reason::Malformed;
        v.detail = e.what();
        return v;
    }
}

}  // namespace seba::server
