// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every screen of the portal shares: the directory, the printer, the centre's own
// coordinates (plugin settings centre_lat / centre_lon, which the fleet configuration may
// set too) and the papers it prints. Screens keep only what they show.

#include <functional>
#include <optional>
#include <seba/sdk.hpp>
#include <string>
#include <utility>
#include <vector>

#include "directory.hpp"
#include "office.hpp"

namespace seba::portal {

using seba::ui::Ui;

struct Coordinates {
    double lat = 0, lon = 0;
};

/// How far "near this centre" reaches unless the operator sets near_km: a day's return trip
/// by bus, and never another country's offices.
inline constexpr double kDefaultNearKm = 50;

/// "23.47" and "91.18" as coordinates; nullopt when either is empty or not a coordinate.
std::optional<Coordinates> parse_coordinates(std::string_view lat, std::string_view lon);

class Portal {
  public:
    using Warn = std::function<void(const std::string&)>;

    Portal(Directory& directory, print::Printer& printer, std::optional<Coordinates> centre,
           Warn warn, double near_km = kDefaultNearKm);

    Directory& directory() { return directory_; }
    print::Printer& printer() { return printer_; }
    const std::optional<Coordinates>& centre() const { return centre_; }

    /// The office details of `ref`, read defensively (what was left out is logged); nullopt
    /// when it has none or its record is refused.
    std::optional<Office> office(const PlaceRef& ref);

    /// Offices with coordinates within near_km of the centre, nearest first, with their
    /// distance in km.
    std::vector<std::pair<Located, double>> near(std::size_t limit);
    double near_km() const { return near_km_; }

    /// "Debidwar › Cumilla › Chattagram": the place and its parents, nearest first.
    static std::string path_text(const std::vector<Place>& path, std::string_view language);

    /// The printed citizen charter of an office.
    print::Document charter_document(Ui& ui, const Place& place, const std::vector<Place>& path,
                                     const Office& office);
    /// A form's reference sheet: its title, version, languages, where to get it and a QR of it.
    print::Document form_document(Ui& ui, const Place& place, const FormRef& form);

    /// A fee as people read it ("৫০ টাকা", "Free", "34 000 soʻm").
    static std::string fee_text(Ui& ui, const Fee& fee);

  private:
    std::string next_reference(std::string_view what);

    Directory& directory_;
    print::Printer& printer_;
    std::optional<Coordinates> centre_;
    Warn warn_;
    double near_km_;
    unsigned printed_ = 0;
};

/// The pictogram of a kind of entry.
std::string_view kind_icon(std::string_view kind);
/// The kind in the citizen's language ("Union", "ইউনিয়ন").
std::string kind_text(Ui& ui, std::string_view kind);
/// A widget id for a place: "<prefix><channel>/<key>".
std::string place_id(std::string_view prefix, const PlaceRef& ref);

}  // namespace seba::portal
