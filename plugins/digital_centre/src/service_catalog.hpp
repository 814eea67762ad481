// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Digital Centre's service catalog, as a pilot publishes it on the sync channel
// "dc.services" (docs/digital-centre.md): categories and services, each service with its
// names, documents, fees (government fee and service charge kept apart), delivery time,
// responsible office and the form it needs, and the rules its forms' fields follow. Forms and
// rules are data, so a new service or a new country's ID number needs no build.

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "validators.hpp"

namespace seba::dc {

/// Text in every language the catalog gives; falls back to English, then to any.
struct Translated {
    std::map<std::string, std::string, std::less<>> by_language;
    const std::string& in(std::string_view language) const;
};

struct FormField {
    std::string id;    ///< stable within the service: "child_name"
    std::string rule;  ///< a rule record's id ("nid_bd") or a built-in rule's ("name")
    Translated label;
    bool required = true;
    /// The citizen's identifier (NID, birth registration number...): the server keeps its
    /// keyed hash, so one citizen's requests can be matched without the number.
    bool identifies = false;
    /// Says who the citizen is (a name, a date of birth, a phone, an ID, an address): sealed
    /// to the server's key before it is stored. Every field is, unless the catalog marks it
    /// `"identifying": false` (an area of land, a number of copies).
    bool identifying = true;
};

struct Service {
    std::string id;
    std::string category;
    Translated name;
    std::string icon;  ///< a pictogram (Material Icons name) beside its name, or empty
    std::vector<Translated> documents;
    long long government_fee = 0;  ///< whole units of `currency`
    long long service_charge = 0;
    std::string currency;  ///< ISO 4217: "BDT", "UZS"
    Translated delivery;   ///< "7 working days"
    Translated office;     ///< who delivers it
    std::vector<FormField> form;
    std::string source;  ///< where the fees and documents come from
};

struct Category {
    std::string id;
    Translated name;
    std::string icon;  ///< a pictogram (Material Icons name) on its tile, or empty
    int order = 0;
};

/// Records of the channel: "category/<id>", "service/<id>" and "rule/<id>".
class ServiceCatalog {
  public:
    /// Reads one record; a malformed one is skipped and its reason returned (for the log).
    /// A bad pictogram name does not cost the citizen the service: the record is read
    /// without it and a warning kept.
    std::optional<std::string> add(std::string_view key, const nlohmann::json& data);
    /// What add() left out of records it kept (for the log), in the order it met them.
    const std::vector<std::string>& warnings() const { return warnings_; }

    const std::vector<Category>& categories() const { return categories_; }
    std::vector<const Service*> in_category(std::string_view category) const;
    const Service* find(std::string_view id) const;
    bool empty() const { return services_.empty(); }
    /// The rule `id`: the catalog's record, else a built-in rule; null when neither exists.
    const FormRule* rule(std::string_view id) const;
    /// Sorts categories by their order and services by id, and drops every service with a
    /// field whose rule does not exist; call after the last add(). Returns why each was
    /// dropped (for the log).
    std::vector<std::string> finish();

  private:
    std::string icon(std::string_view key, const nlohmann::json& data);
    std::vector<Category> categories_;
    std::vector<Service> services_;
    std::map<std::string, FormRule, std::less<>> rules_;
    std::vector<std::string> warnings_;
};

}  // namespace seba::dc
