#pragma once

// Confirmed requests: each written with its outbox event in one transaction, under a
// tracking number a citizen can read out and type back ("DHK1-261128-A7-0042": centre,
// day, this kiosk's tag, the day's sequence).

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "seba/plugin_store.hpp"
#include "service_catalog.hpp"

namespace seba::dc {

/// What the citizen confirmed.
struct Confirmation {
    const Service* service = nullptr;
    std::string payment;     ///< "cash" or "mobile"
    std::string arrived_at;  ///< UTC ISO 8601: the citizen opened the service
    std::string started_at;  ///< the form was started
    std::string operator_name;
    /// The normalised value of the field that identifies the citizen (NID, birth
    /// registration number...), or empty. Only its keyed hash is kept or sent.
    std::string identifier;
    nlohmann::json fields = nlohmann::json::object();  ///< the other fields, as sent
};

struct StoredRequest {
    std::string tracking;
    std::string service;
    long long government_fee = 0;
    long long service_charge = 0;
    std::string currency;
    std::string payment;
    std::string ended_at;
    bool printed = false;
};

class RequestBook {
  public:
    static std::span<const Migration> migrations();

    /// `citizen_key`: the fleet's key for citizen hashes (hex, 32 bytes); empty: this
    /// kiosk's own random key (hashes then match only within the kiosk).
    RequestBook(PluginStore& store, std::string centre_code, std::string citizen_key);

    /// Writes the request and its "digital_centre.request_confirmed" event together; returns the
    /// tracking number. Throws what the store throws (nothing is kept then).
    std::string confirm(const Confirmation& confirmation);
    std::optional<StoredRequest> find(std::string_view tracking);
    void mark_printed(std::string_view tracking);
    /// A keyed BLAKE2b hash of a citizen identifier, hex.
    std::string citizen_hash(std::string_view identifier);

  private:
    std::string meta(std::string_view key);
    PluginStore& store_;
    std::string centre_code_;
    std::string citizen_key_;  // raw bytes
};

/// A tracking number as a citizen may type it back: upper case, spaces dropped, Bangla
/// digits as ASCII; nullopt when it cannot be one.
std::optional<std::string> normalise_tracking(std::string_view typed);

}  // namespace seba::dc
