// SPDX-License-Identifier: Apache-2.0
#include "places.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace seba::nise {

namespace {

constexpr std::size_t kMaxRefBytes = 160;
// Offices hang under places in the same index (portal.offices "office/<id>"): a citizen lives
// in a place, not in an office.
constexpr std::string_view kOfficePrefix = "office/";

std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view ref) {
    const std::size_t slash = ref.find('/');
    if (ref.size() > kMaxRefBytes || slash == std::string_view::npos || slash == 0 ||
        slash + 1 == ref.size())
        return std::nullopt;
    return std::make_pair(ref.substr(0, slash), ref.substr(slash + 1));
}

Names names_of(const search::Entry& e) {
    return Names(e.names.begin(), e.names.end());
}

bool is_office(const search::Entry& e) {
    return e.kind == "office" || std::string_view(e.key).starts_with(kOfficePrefix);
}

PlaceName place_name(const search::Entry& e, const std::vector<search::Entry>& path,
                     std::string_view language) {
    PlaceName p;
    p.ref = e.channel + "/" + e.key;
    p.names = names_of(e);
    p.kind = e.kind;
    for (const search::Entry& parent : path) p.path.push_back(name_in(names_of(parent), language));
    return p;
}

}  // namespace

std::string country_of(std::string_view ref) {
    if (!ref.starts_with("geo.")) return {};
    ref.remove_prefix(4);
    const std::size_t dot = ref.find('.');
    if (dot == 0 || dot == std::string_view::npos || ref.substr(0, dot).find('/') != ref.npos)
        return {};
    return std::string(ref.substr(0, dot));
}

std::string_view to_string(Nearness nearness) {
    switch (nearness) {
        case Nearness::SamePlace:
            return "same_place";
        case Nearness::SameArea:
            return "same_area";
        case Nearness::SameDistrict:
            return "same_district";
        case Nearness::SameRegion:
            return "same_region";
        case Nearness::SameCountry:
            return "same_country";
        case Nearness::Elsewhere:
            return "elsewhere";
    }
    return "elsewhere";
}

Nearness nearness(const PlaceChain& a, const PlaceChain& b) {
    if (a.refs.empty() || b.refs.empty() || a.country.empty() || a.country != b.country)
        return Nearness::Elsewhere;
    const std::size_t depth = std::min(a.refs.size(), b.refs.size());
    std::size_t shared = 0;
    while (shared < depth && a.refs[shared] == b.refs[shared]) ++shared;
    // The same place, or one inside the other's own place (its whole chain is the other's
    // beginning).
    if (shared == depth) return Nearness::SamePlace;
    if (shared >= 3) return Nearness::SameArea;  // an upazila, a union, a village
    if (shared == 2) return Nearness::SameDistrict;
    if (shared == 1) return Nearness::SameRegion;
    return Nearness::SameCountry;
}

std::optional<double> km_between(const PlaceChain& a, const PlaceChain& b) {
    if (!a.lat || !a.lon || !b.lat || !b.lon) return std::nullopt;
    // Haversine on the mean Earth radius: within 0.5 % of the ellipsoid, enough for "12 km".
    constexpr double kEarthKm = 6371.0088;
    constexpr double kRad = std::numbers::pi / 180.0;
    const double dlat = (*b.lat - *a.lat) * kRad, dlon = (*b.lon - *a.lon) * kRad;
    const double h =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(*a.lat * kRad) * std::cos(*b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(h)));
}

Places::Places(PluginStore& store) : store_(&store) {
}

Places::Places(std::map<std::string, PlaceChain, std::less<>> chains) {
    for (auto& [ref, chain] : chains) cache_.emplace(ref, std::move(chain));
}

const PlaceChain* Places::chain(std::string_view ref) {
    if (!store_) {
        auto it = cache_.find(ref);
        return it != cache_.end() && it->second ? &*it->second : nullptr;
    }
    search::Search search = store_->search();
    const std::int64_t generation = search.generation();
    if (generation != generation_) {
        cache_.clear();
        generation_ = generation;
    }
    if (auto it = cache_.find(ref); it != cache_.end()) return it->second ? &*it->second : nullptr;

    std::optional<PlaceChain> chain;
    if (auto parts = split(ref)) {
        const std::optional<search::Entry> e =
            search.entry(kPlacesIndex, parts->first, parts->second);
        if (e) {
            std::vector<search::Entry> path = search.path(kPlacesIndex, *e);
            path.push_back(*e);
            chain.emplace();
            for (const search::Entry& p : path) chain->refs.push_back(p.channel + "/" + p.key);
            // Its own coordinates, else the nearest parent's (Bangladesh's district seats).
            for (auto p = path.rbegin(); p != path.rend(); ++p)
                if (p->coordinates) {
                    chain->lat = p->coordinates->lat;
                    chain->lon = p->coordinates->lon;
                    break;
                }
            chain->country = country_of(e->channel);
            if (chain->country.empty()) chain->country = country_of(path.front().channel);
        }
    }
    auto [it, added] = cache_.emplace(std::string(ref), std::move(chain));
    return it->second ? &*it->second : nullptr;
}

std::optional<PlaceName> Places::name(std::string_view ref, std::string_view language) {
    if (!store_) return std::nullopt;
    const auto parts = split(ref);
    if (!parts) return std::nullopt;
    search::Search search = store_->search();
    const std::optional<search::Entry> e = search.entry(kPlacesIndex, parts->first, parts->second);
    if (!e) return std::nullopt;
    return place_name(*e, search.path(kPlacesIndex, *e), language);
}

std::vector<PlaceName> Places::find(std::string_view typed, std::string_view language,
                                    std::size_t limit) {
    std::vector<PlaceName> out;
    if (!store_ || limit == 0) return out;
    search::Search search = store_->search();
    search::Query query;
    query.text = std::string(typed);
    // Offices share the index; asked for more so that enough places remain.
    query.limit = std::min<std::size_t>(limit * 2 + 10, 200);
    for (const search::Hit& hit : search.find(kPlacesIndex, query)) {
        if (is_office(hit.entry)) continue;
        out.push_back(place_name(hit.entry, hit.path, language));
        if (out.size() >= limit) break;
    }
    return out;
}

}  // namespace seba::nise
