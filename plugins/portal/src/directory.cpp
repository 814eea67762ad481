// SPDX-License-Identifier: Apache-2.0
#include "directory.hpp"

#include <algorithm>
#include <map>
#include <seba/search.hpp>

#include "office.hpp"

namespace seba::portal {

namespace {

Place to_place(const search::Entry& e) {
    Place p{{e.channel, e.key}, e.tier, e.kind, e.names, std::nullopt};
    if (e.parent) p.parent = PlaceRef{e.parent->first, e.parent->second};
    return p;
}

search::Entry to_entry(const Place& p) {
    search::Entry e;
    e.channel = p.ref.channel;
    e.key = p.ref.key;
    e.tier = p.tier;
    e.kind = p.kind;
    e.names = p.names;
    if (p.parent) e.parent = std::make_pair(p.parent->channel, p.parent->key);
    return e;
}

std::vector<Place> to_places(const std::vector<search::Entry>& entries) {
    std::vector<Place> out;
    out.reserve(entries.size());
    for (const search::Entry& e : entries) out.push_back(to_place(e));
    return out;
}

// "<channel>/<key>" of a details record's key "details/<channel>/<key>"; channels have no '/'.
std::optional<PlaceRef> split_ref(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size())
        return std::nullopt;
    return PlaceRef{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

}  // namespace

std::vector<Place> Directory::children(const std::optional<PlaceRef>& parent,
                                       std::string_view language) {
    const std::int64_t generation = store_.search().generation();
    if (listed_.generation == generation && listed_.parent == parent &&
        listed_.language == language)
        return listed_.places;
    std::optional<std::pair<std::string, std::string>> of;
    if (parent) of = std::make_pair(parent->channel, parent->key);
    listed_ = {generation, parent, std::string(language),
               to_places(store_.search().children(kIndex, of, language))};
    return listed_.places;
}

void Directory::forget() {
    // What the citizen typed is theirs: overwritten before it is let go.
    std::fill(asked_.text.begin(), asked_.text.end(), '\0');
    asked_ = {};
}

std::optional<Place> Directory::place(const PlaceRef& ref) {
    std::optional<search::Entry> e = store_.search().entry(kIndex, ref.channel, ref.key);
    if (!e) return std::nullopt;
    return to_place(*e);
}

std::vector<Place> Directory::path(const Place& place) {
    return to_places(store_.search().path(kIndex, to_entry(place)));
}

std::vector<Found> Directory::find(std::string_view text, std::size_t limit) {
    const std::int64_t generation = store_.search().generation();
    if (asked_.generation == generation && asked_.text == text && asked_.limit == limit)
        return asked_.found;
    search::Query query;
    query.text = std::string(text);
    query.limit = limit;
    std::vector<Found> out;
    for (const search::Hit& h : store_.search().find(kIndex, query))
        out.push_back({to_place(h.entry), to_places(h.path), h.match == search::Match::Exact});
    asked_ = {generation, std::string(text), limit, out};
    return out;
}

nlohmann::json Directory::details(const PlaceRef& ref) {
    if (ref.channel == kOfficesChannel) {
        std::optional<nlohmann::json> own = store_.catalog_record(kOfficesChannel, ref.key);
        return own ? *own : nlohmann::json();
    }
    std::optional<nlohmann::json> extra =
        store_.catalog_record(kOfficesChannel, "details/" + ref.channel + "/" + ref.key);
    // The place's own record says its portal address (every office of Bangladesh's portal
    // framework has one) and, for districts, its coordinates: an office page even with no
    // details record.
    std::optional<search::Entry> e = store_.search().entry(kIndex, ref.channel, ref.key);
    nlohmann::json base = nlohmann::json::object();
    if (e && e->data.is_object())
        for (const char* field : {"portal_url", "lat", "lon"})
            if (e->data.contains(field)) base[field] = e->data[field];
    nlohmann::json merged = merge_details(base, extra ? *extra : nlohmann::json());
    return merged.empty() ? nlohmann::json() : merged;
}

std::vector<Located> Directory::located() {
    // Places whose own record has coordinates (Bangladesh's districts), then details records'
    // (an office building's, which win over its place's centre).
    std::map<PlaceRef, Located> by_ref;
    for (const search::Entry& e : store_.search().located(kIndex))
        by_ref[{e.channel, e.key}] = {to_place(e), e.coordinates->lat, e.coordinates->lon};
    store_.for_each_catalog_record(
        kOfficesChannel, [&](std::string_view key, const nlohmann::json& data) {
            std::optional<PlaceRef> ref;
            if (key.starts_with("details/")) ref = split_ref(key.substr(8));
            if (!ref || !data.is_object()) return;
            const auto lat = data.find("lat"), lon = data.find("lon");
            if (lat == data.end() || lon == data.end() || !lat->is_number() || !lon->is_number())
                return;
            std::optional<Place> p = place(*ref);
            if (p) by_ref[*ref] = {std::move(*p), lat->get<double>(), lon->get<double>()};
        });
    std::vector<Located> out;
    out.reserve(by_ref.size());
    for (auto& [ref, located] : by_ref) out.push_back(std::move(located));
    return out;
}

std::vector<FeedStatus> Directory::status() {
    std::vector<FeedStatus> out;
    for (const search::IndexStatus& index : store_.search().status()) {
        if (index.name != kIndex) continue;
        for (const search::SourceStatus& s : index.sources)
            out.push_back({s.channel, s.records, s.entries, s.updated_at});
    }
    return out;
}

}  // namespace seba::portal
