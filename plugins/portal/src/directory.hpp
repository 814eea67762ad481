// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the portal's screens read: places and offices in a hierarchy, found by name, with an
// office's details: the kiosk's search index "portal" (seba/search.hpp), which a country pack
// declares on search.indexes, and the catalog channel portal.offices, read through the
// plugin's store.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <seba/sdk.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seba::portal {

inline constexpr const char* kIndex = "portal";
inline constexpr const char* kOfficesChannel = "portal.offices";

/// A record of a channel: (channel, key).
struct PlaceRef {
    std::string channel;
    std::string key;
    friend bool operator==(const PlaceRef&, const PlaceRef&) = default;
    friend auto operator<=>(const PlaceRef&, const PlaceRef&) = default;
};

/// A place or an office of the directory.
struct Place {
    PlaceRef ref;
    int tier = 1;                              ///< 1 division/region ... 5 office
    std::string kind;                          ///< "division", "union", "office"...
    std::map<std::string, std::string> names;  ///< tag -> name
    std::optional<PlaceRef> parent;
};

/// The name in `language`, falling back as a citizen would read best: uz-Cyrl -> uz-Latn ->
/// ru -> en; uz-Latn -> uz-Cyrl -> ru -> en; bn -> en; anything -> en -> any.
const std::string& name_in(const std::map<std::string, std::string>& names,
                           std::string_view language);

/// A search result.
struct Found {
    Place place;
    std::vector<Place> path;  ///< its parents, the top first
    bool exact = false;
};

/// A place or office with coordinates, for "offices near this centre".
struct Located {
    Place place;
    double lat = 0, lon = 0;
};

/// One channel feeding the directory, for the operator.
struct FeedStatus {
    std::string channel;
    long long records = 0;
    long long entries = 0;
    std::string updated_at;
};

class Directory {
  public:
    explicit Directory(PluginStore& store) : store_(store) {}

    /// The places under `parent` (the top tier with nullopt), ordered by name in `language`.
    std::vector<Place> children(const std::optional<PlaceRef>& parent, std::string_view language);
    std::optional<Place> place(const PlaceRef& ref);
    /// Its parents, the top first.
    std::vector<Place> path(const Place& place);
    /// Ranked results for what the citizen typed so far (none for an empty query).
    std::vector<Found> find(std::string_view text, std::size_t limit);
    /// The office details of `ref`: its own record when it is an office ("office/<id>" of
    /// portal.offices), merged over portal.offices' "details/<channel>/<key>" record and the
    /// place's own fields (portal_url, lat, lon); null when there is nothing.
    nlohmann::json details(const PlaceRef& ref);
    /// Every place or office with coordinates that has office details.
    std::vector<Located> located();
    /// The channels feeding the directory.
    std::vector<FeedStatus> status();
    /// Forgets the last search (the citizen's session ended).
    void forget();

  private:
    // The screens ask every frame; the index is asked again only when the question or the
    // index changed.
    struct Asked {
        std::int64_t generation = -1;
        std::string text;
        std::size_t limit = 0;
        std::vector<Found> found;
    };
    struct Listed {
        std::int64_t generation = -1;
        std::optional<PlaceRef> parent;
        std::string language;
        std::vector<Place> places;
    };

    PluginStore& store_;
    Asked asked_;
    Listed listed_;
};

}  // namespace seba::portal
