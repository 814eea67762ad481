// SPDX-License-Identifier: Apache-2.0
#pragma once

// Confirmed requests: each written with its outbox event in one transaction, under a
// tracking number a citizen can read out and type back ("DHK1-261128-A7-0042": centre,
// day, this kiosk's tag, the day's sequence).

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "seba/plugin_store.hpp"
#include "seba/tcv.hpp"
#include "service_catalog.hpp"

namespace seba::dc {

/// What the citizen confirmed.
struct Confirmation {
    const Service* service = nullptr;
    std::string payment;  ///< "cash" or "mobile"
    // UTC ISO 8601, by the kiosk's clock corrected to the server's (seba/kiosk_clock.hpp).
    std::string arrived_at;  ///< the citizen opened the service; "": when confirmed
    std::string started_at;  ///< the form was started; "": when confirmed
    std::string ended_at;    ///< confirmed; "": now, by the kiosk's clock
    /// Whether the kiosk's clock had been checked against the server's for these times; sent
    /// with them, so that times the kiosk could not check are not taken for right ones.
    bool clock_checked = false;
    std::string operator_name;
    /// The normalised value of the field that identifies the citizen (NID, birth
    /// registration number...), or empty. Sent sealed; the server keeps its keyed hash.
    std::string identifier;
    /// The fields that say who the citizen is, normalised: sealed to the server's key.
    nlohmann::json sealed_fields = nlohmann::json::object();
    /// The fields the catalog marks non-identifying: sent as they are.
    nlohmann::json fields = nlohmann::json::object();
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
    std::string arrived_at;
};

/// The request as a service delivered (Time-Cost-Visit, seba/tcv.hpp): what its event's "tcv"
/// member says, and what the exit survey is linked to. Its cost is what the citizen paid at
/// the centre: the government fee and the centre's service charge.
tcv::Delivered delivered(const StoredRequest& request);

/// The day's requests, summed for the operator's cash book.
struct DayTotals {
    struct Line {
        std::string service;
        int requests = 0;
        long long government_fee = 0;
        long long service_charge = 0;
    };
    std::string day;       ///< YYYY-MM-DD, UTC
    std::string currency;  ///< of the day's requests (a centre works in one)
    std::vector<Line> by_service;
    int requests = 0;
    long long government_fee = 0;
    long long service_charge = 0;
    long long cash = 0;    ///< paid in cash: what the drawer should hold
    long long mobile = 0;  ///< paid by mobile money
};

/// A closed day: what was counted against what the requests say the drawer holds.
struct DayClose {
    std::string day;
    long long expected = 0;
    long long counted = 0;
    long long difference() const { return counted - expected; }
    std::string closed_at;
};

class RequestBook {
  public:
    static std::span<const Migration> migrations();

    RequestBook(PluginStore& store, std::string centre_code);

    /// Writes the request and its "digital_centre.request_confirmed" event together, the
    /// citizen's fields sealed to the server (docs/digital-centre.md); returns the tracking
    /// number. Throws what the store throws (nothing is kept then): sealing::NoServerKey
    /// while the kiosk has no server key to seal with.
    std::string confirm(const Confirmation& confirmation);
    std::optional<StoredRequest> find(std::string_view tracking);
    /// The stored request `tracking` as a service delivered; nullopt for no such request.
    std::optional<tcv::Delivered> delivered(std::string_view tracking);
    /// A tracking number as this kiosk makes them today (its centre code, today's date, its
    /// tag), to show a citizen what one looks like.
    std::string example_tracking();
    const std::string& centre_code() const { return centre_code_; }
    void mark_printed(std::string_view tracking);

    DayTotals today();
    /// The close of today, if the operator made it.
    std::optional<DayClose> closed_today();
    /// Closes today's cash book: stores the close and queues a "digital_centre.day_closed"
    /// event with the totals, and runs `also` (the audit entry) in the same transaction.
    /// Throws seba::Error when today is already closed.
    DayClose close_today(long long counted, const std::string& operator_name,
                         const std::function<void(const DayClose&, const DayTotals&)>& also);

  private:
    std::string meta(std::string_view key);
    PluginStore& store_;
    std::string centre_code_;
};

/// The tracking number of the day's `seq`th request on the kiosk tagged `tag` at centre
/// `centre_code`, made on `day` (YYYY-MM-DD): "DHK1-261128-A7-0042". What a citizen types back
/// is read by normalise_tracking (validators.hpp).
std::string tracking_number(std::string_view centre_code, std::string_view day,
                            std::string_view tag, long long seq);

}  // namespace seba::dc
