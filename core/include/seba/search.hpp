// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

/// Search as the citizen types, over catalog channels, offline, in any script.
///
/// An index is data: a spec names the channels it reads, where each record's names are,
/// its tier and its parent (so results show their place in a hierarchy). Specs come from a
/// plugin's manifest ("search": {name: spec}) and from the catalog channel "search.indexes"
/// (record key = index name), which a country pack publishes; the channel's spec replaces a
/// manifest's of the same name. Every kiosk keeps that channel and the channels its specs
/// name.
///
/// Entries live in core tables (an FTS5 table per kiosk database) and are changed inside the
/// transaction that keeps a channel page (catalog::keep_page), so a removed record leaves
/// search in the same commit. Names are indexed and queries are read through one
/// normalisation, fold(). docs/search.md describes specs, folding and ranking.
namespace seba {
class Database;
}

namespace seba::search {

/// The catalog channel of index specs.
inline constexpr std::string_view kIndexesChannel = "search.indexes";

/// Where a source's records sit in the hierarchy: the record named by `field`'s value in
/// `channel`. With `channel` empty, the value names both: "<channel>/<key>".
struct ParentLink {
    std::string channel;
    std::string field;
    friend bool operator==(const ParentLink&, const ParentLink&) = default;
};

/// One channel an index reads.
struct Source {
    std::string channel;
    std::string key_prefix;  ///< only records whose key starts with it ("service/")
    int tier = 1;            ///< 1 ranks first on ties (a division before a union)
    std::string kind;        ///< what an entry is, for the UI ("division", "union", "office")
    /// Language tag -> field holding the name in that language ("bn" -> "name_bn").
    std::map<std::string, std::string> name_fields;
    /// Or one field holding {tag: name} (the Digital Centre's "name"). Either or both.
    std::string names_field;
    /// Extra fields searched but not shown as names (a service's keywords: text or
    /// {tag: text}).
    std::vector<std::string> also_fields;
    std::optional<ParentLink> parent;
    friend bool operator==(const Source&, const Source&) = default;
};

struct SEBA_API IndexSpec {
    std::string name;  ///< [a-z][a-z0-9_.]{0,63}
    std::vector<Source> sources;
    /// Checks every field (unknown fields refused, at most 32 sources); throws seba::Error
    /// naming the index and the field.
    static IndexSpec from_json(std::string_view name, const nlohmann::json& spec);
    nlohmann::json to_json() const;
    friend bool operator==(const IndexSpec&, const IndexSpec&) = default;
};

/// The normalisation used for both index and query: case and diacritics folded; any script
/// to Latin (Bangla by ICU transliteration, Uzbek Cyrillic and Russian by Uzbek Latin
/// rules, so Бухоро and Buxoro fold alike); the Uzbek letter marks ʻ ' ’ ` and ʼ dropped;
/// Bangla spelling variants alike (ণ/ন, ী/ি, ূ/ু, য়/য, with or without chandrabindu);
/// anything that is not a letter or digit separates words. Words are joined by one space.
SEBA_API std::string fold(std::string_view text);
/// The looser key of a folded text, where romanisation variants and the vowels Russian and
/// Uzbek write apart meet (Фергана / Fargʻona, Kumilla / Komilla): h after k g c j t d p b s
/// dropped, ng -> n, dj -> j, o and u -> a, x -> h, w and v -> b, q -> k, y between vowels
/// dropped, doubled letters single, a final a of a word of more than 3 letters dropped.
/// Coarse on purpose: a match on it ranks below a match on fold().
SEBA_API std::string loose(std::string_view folded);

/// A record in an index.
struct SEBA_API Entry {
    std::string channel;
    std::string key;
    int tier = 1;
    std::string kind;
    std::map<std::string, std::string> names;  ///< tag -> name, as the record has them
    std::optional<std::pair<std::string, std::string>> parent;  ///< (channel, key)
    nlohmann::json data;  ///< the record as kept (filled by entry(); find() leaves it null)
    /// The record's "lat" and "lon" (numbers, or decimal text), when both are in range.
    struct Coordinates {
        double lat = 0, lon = 0;
    };
    std::optional<Coordinates> coordinates;

    /// The name in `language`, else English, else any.
    const std::string& name(std::string_view language) const;
};

enum class Match { Exact, Prefix, Fuzzy };
SEBA_API std::string_view to_string(Match match);  // "exact", "prefix", "fuzzy"

struct Hit {
    Entry entry;
    std::vector<Entry> path;  ///< its parents, the top of the hierarchy first
    Match match = Match::Exact;
    double score = 0;  ///< higher first; exact > prefix > fuzzy, then tier, then name
};

struct Query {
    std::string text;
    std::size_t limit = 20;   ///< at most 200
    std::string kind;         ///< only entries of this kind, when set
};

/// What an index holds, for the operator.
struct SourceStatus {
    std::string channel;
    std::int64_t records = 0;  ///< records the channel holds now
    std::int64_t entries = 0;  ///< of them, in the index
    std::string updated_at;    ///< when the channel last changed on this kiosk (UTC, ISO 8601)
};
struct IndexStatus {
    std::string name;
    std::string origin;  ///< "catalog" or the plugin id whose manifest declared it
    std::vector<SourceStatus> sources;
};

/// Reads the indexes of one kiosk database. Cheap to make; holds no statement between
/// calls. Never throws for a query's text: empty, one character, 1 KB, emoji, quotes, FTS
/// syntax (NEAR, *, -, ") all give results or none. Throws StorageError for the database.
class SEBA_API Search {
  public:
    explicit Search(Database& db);

    std::vector<std::string> indexes() const;
    std::optional<IndexSpec> spec(std::string_view index) const;
    /// Ranked results; none for an unknown index or a query with nothing to search for.
    std::vector<Hit> find(std::string_view index, const Query& query) const;
    /// The entries whose parent is `parent` ((channel, key)), or the top tier's with
    /// nullopt, ordered by name in `language`.
    std::vector<Entry> children(std::string_view index,
                                const std::optional<std::pair<std::string, std::string>>& parent,
                                std::string_view language = "en") const;
    /// One entry with its record's data, or nullopt.
    std::optional<Entry> entry(std::string_view index, std::string_view channel,
                               std::string_view key) const;
    /// Its parents, the top first.
    std::vector<Entry> path(std::string_view index, const Entry& entry) const;
    /// Every entry with coordinates (for "offices near this centre").
    std::vector<Entry> located(std::string_view index) const;
    std::vector<IndexStatus> status() const;
    /// Changes whenever any index's entries may have changed: what a screen that asks every
    /// frame keeps its answers by.
    std::int64_t generation() const;

  private:
    Database& db_;
};

}  // namespace seba::search
