// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where a citizen and an opportunity are, on the portal directory's hierarchy (search index
// "portal", docs/portal.md): Bangladesh division > district > upazila > union, Uzbekistan
// region > district > village. Nearness is read along that hierarchy (the deepest place two
// chains share); kilometres are added where both ends have coordinates (the place's own or its
// nearest parent's: Bangladesh's district seats). A place channel is named
// "geo.<country>.<level>", and two places of different countries are never near.

#include <map>
#include <optional>
#include <seba/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "catalog.hpp"

namespace seba::nise {

inline constexpr const char* kPlacesIndex = "portal";

/// A place with its parents: `refs` from the top (division/region) down to the place itself,
/// each "<channel>/<key>".
struct PlaceChain {
    std::vector<std::string> refs;
    std::optional<double> lat, lon;  ///< its own coordinates, else its nearest parent's
    std::string country;             ///< "bd" of "geo.bd.upazilas"; "" when not so named
};

/// How near two places are, nearest first.
enum class Nearness {
    SamePlace,      ///< the same place, or one inside the other's smallest
    SameArea,       ///< share a parent below the district (an upazila, a union)
    SameDistrict,   ///< share the second level (a district)
    SameRegion,     ///< share the top level (a division, a region)
    SameCountry,
    Elsewhere,      ///< another country, or a place the directory does not know
};
/// "same_place", "same_area", "same_district", "same_region", "same_country", "elsewhere".
std::string_view to_string(Nearness nearness);

Nearness nearness(const PlaceChain& a, const PlaceChain& b);
/// The country a place or channel is named for: "bd" of "geo.bd.upazilas/156" or of
/// "geo.bd.upazilas"; "" when not so named. Known even for a place the directory lacks.
std::string country_of(std::string_view ref);
/// Great-circle kilometres between two chains' coordinates, when both have them.
std::optional<double> km_between(const PlaceChain& a, const PlaceChain& b);

/// A place as a citizen picks it.
struct PlaceName {
    std::string ref;
    Names names;
    std::string kind;              ///< "division", "district", "upazila", "union", "village"...
    std::vector<std::string> path; ///< its parents' names in the language asked, top first
};

class Places {
  public:
    /// The kiosk's directory (search index kPlacesIndex).
    explicit Places(PluginStore& store);
    /// Fixed chains (tests and the bench): ref -> chain.
    explicit Places(std::map<std::string, PlaceChain, std::less<>> chains);

    /// The chain of `ref`, or null when the directory has no such place. Cached until the
    /// index changes.
    const PlaceChain* chain(std::string_view ref);
    /// The place's name, and its kind and parents in `language`; nullopt when unknown.
    std::optional<PlaceName> name(std::string_view ref, std::string_view language);
    /// Places (not offices) whose name matches what the citizen typed, best first.
    std::vector<PlaceName> find(std::string_view typed, std::string_view language,
                                std::size_t limit);

  private:
    PluginStore* store_ = nullptr;
    std::int64_t generation_ = -1;
    std::map<std::string, std::optional<PlaceChain>, std::less<>> cache_;
};

}  // namespace seba::nise
