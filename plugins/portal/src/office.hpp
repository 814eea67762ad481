// SPDX-License-Identifier: Apache-2.0
#pragma once

// An office's details as portal.offices carries them (docs/portal.md): contacts, hours, the
// citizen charter, forms and notices. Read defensively: a record that is not what the format
// says is refused with the reason, and a bad charter entry, form or notice is left out with
// a warning while the rest of the office shows.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seba::portal {

/// Text in several languages: tag -> text.
using Texts = std::map<std::string, std::string>;

struct Fee {
    std::optional<double> amount;  ///< with `currency`; nullopt: `text` says it
    std::string currency;          ///< ISO 4217 ("BDT", "UZS")
    Texts text;                    ///< "Free within 45 days of birth"
};

struct CharterEntry {
    Texts service;
    std::optional<Fee> fee;
    Texts time_limit;
    std::vector<Texts> documents;
    Texts officer;
    std::string source;
};

struct FormRef {
    std::string id;
    Texts title;
    std::string version;
    std::string file;  ///< where to get it: a URL on the portal
    std::vector<std::string> languages;
};

struct Notice {
    Texts title;
    std::string date;     ///< YYYY-MM-DD
    std::string expires;  ///< YYYY-MM-DD; empty: does not expire
};

struct Office {
    Texts name;         ///< an office record's own name; empty for a place's office
    std::string place;  ///< an office record's place, "<channel>/<key>"
    std::string portal_url, phone, email;
    Texts address, hours;
    std::optional<double> lat, lon;
    std::vector<CharterEntry> charter;
    std::vector<FormRef> forms;
    std::vector<Notice> notices;
    std::string source;

    bool has_coordinates() const { return lat && lon; }
    /// The notices still in force on `today` (YYYY-MM-DD): expiring today still shows.
    std::vector<const Notice*> current_notices(std::string_view today) const;
};

/// Reads a portal.offices record (or a place's record merged with one). Returns nullopt and
/// sets `refused` when the record cannot be an office; adds a warning per part left out.
std::optional<Office> read_office(const nlohmann::json& record, std::string& refused,
                                  std::vector<std::string>& warnings);

/// `details` over `base`: what a details record says wins, except a portal_url the place
/// already has (the place's own portal address is the authority).
nlohmann::json merge_details(const nlohmann::json& base, const nlohmann::json& details);

/// Great-circle distance in kilometres (haversine, mean Earth radius 6371 km).
double distance_km(double lat1, double lon1, double lat2, double lon2);

/// "12.3" below 10 km, "123" above: how far, in ASCII digits (the UI converts them).
std::string km_text(double km);

}  // namespace seba::portal
