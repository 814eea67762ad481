// SPDX-License-Identifier: Apache-2.0
// Keeping the search indexes in step with the catalog, inside the transaction that keeps a
// page: entries re-made from records, specs from manifests and the "search.indexes" channel.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <map>
#include <mutex>

#include "search_internal.hpp"
#include "seba/catalog.hpp"
#include "seba/error.hpp"
#include "seba/logging.hpp"
#include "seba/search_index.hpp"

namespace seba::search {

namespace detail {

namespace {

struct SpecCache {
    std::string stamp;
    std::shared_ptr<const std::vector<IndexSpec>> specs;
};

std::mutex spec_mutex;
std::map<const void*, SpecCache> spec_caches;  // per connection

// Changes whenever a spec in force changes: the specs' texts are small, so they are it.
std::string spec_stamp(Database& db) {
    Statement q = db.prepare_cached(
        "SELECT group_concat(name || char(1) || spec || char(1) || origin, char(2)) FROM "
        "(SELECT name, spec, origin FROM core__search_indexes WHERE spec IS NOT NULL "
        "ORDER BY name)");
    q.step();
    return q.is_null(0) ? std::string() : q.text(0);
}

}  // namespace

std::shared_ptr<const std::vector<IndexSpec>> specs_in_force(Database& db) {
    const std::string stamp = spec_stamp(db);
    {
        std::lock_guard lock(spec_mutex);
        auto it = spec_caches.find(db.handle());
        if (it != spec_caches.end() && it->second.stamp == stamp) return it->second.specs;
    }
    auto specs = std::make_shared<std::vector<IndexSpec>>();
    Statement q = db.prepare_cached(
        "SELECT name, spec FROM core__search_indexes WHERE spec IS NOT NULL ORDER BY name");
    while (q.step()) {
        try {
            specs->push_back(IndexSpec::from_json(q.text(0), nlohmann::json::parse(q.text(1))));
        } catch (const std::exception& e) {
            logging::get("search")->error("search: index {} has an unreadable spec, left out: {}",
                                          q.text(0), e.what());
        }
    }
    std::lock_guard lock(spec_mutex);
    spec_caches[db.handle()] = {stamp, specs};
    return specs;
}

std::optional<std::pair<std::string, std::string>> parent_of(const nlohmann::json& record,
                                                             const ParentLink& link) {
    auto it = record.find(link.field);
    if (it == record.end()) return std::nullopt;
    std::string value;
    if (it->is_string())
        value = it->get<std::string>();
    else if (it->is_number_integer())
        value = std::to_string(it->get<std::int64_t>());
    else
        return std::nullopt;
    if (value.empty()) return std::nullopt;
    if (!link.channel.empty()) return std::make_pair(link.channel, value);
    const std::size_t slash = value.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == value.size()) return std::nullopt;
    return std::make_pair(value.substr(0, slash), value.substr(slash + 1));
}

}  // namespace detail

namespace {

using nlohmann::json;

// Text of a field that is text or {tag: text}, each piece appended to `out`.
void append_text(const json& value, std::vector<std::string>& out) {
    if (value.is_string()) {
        out.push_back(value.get<std::string>());
    } else if (value.is_object()) {
        for (const auto& [tag, text] : value.items())
            if (text.is_string()) out.push_back(text.get<std::string>());
    }
}

const Source* source_for(const IndexSpec& spec, std::string_view channel, std::string_view key) {
    for (const Source& s : spec.sources)
        if (s.channel == channel && key.substr(0, s.key_prefix.size()) == s.key_prefix) return &s;
    return nullptr;
}

bool reads(const IndexSpec& spec, std::string_view channel) {
    for (const Source& s : spec.sources)
        if (s.channel == channel) return true;
    return false;
}

void bump(Database& db, std::string_view index) {
    db.prepare_cached("UPDATE core__search_indexes SET version = version + 1 WHERE name = ?")
        .bind(1, index)
        .run();
    db.prepare_cached("UPDATE core__search_state SET generation = generation + 1 WHERE id = 1")
        .run();
}

// Deletes entries with their full-text rows (an external-content table is told what the
// row held). `where` selects from core__search_entries.
void remove_entries(Database& db, std::string_view where, std::string_view index,
                    std::string_view channel = {}, std::string_view key = {}) {
    Statement rows = db.prepare_cached(
        fmt::format("SELECT id, folded, loose FROM core__search_entries WHERE {}", where));
    rows.bind(1, index);
    if (!channel.empty()) rows.bind(2, channel).bind(3, key);
    std::vector<std::int64_t> ids;
    while (rows.step()) {
        ids.push_back(rows.integer(0));
        db.prepare_cached(
              "INSERT INTO core__search_fts (core__search_fts, rowid, folded, loose) "
              "VALUES ('delete', ?, ?, ?)")
            .bind_all(rows.integer(0), rows.text(1), rows.text(2))
            .run();
    }
    for (std::int64_t id : ids)
        db.prepare_cached("DELETE FROM core__search_entries WHERE id = ?").bind(1, id).run();
}

void remove_entry(Database& db, std::string_view index, std::string_view channel,
                  std::string_view key) {
    remove_entries(db, "idx = ?1 AND channel = ?2 AND key = ?3", index, channel, key);
}

// A record's "lat" or "lon": a number, or decimal text as CSV files give it, within `limit`
// degrees of zero.
std::optional<double> degrees(const json& record, const char* field, double limit) {
    auto it = record.find(field);
    if (it == record.end()) return std::nullopt;
    double value = 0;
    if (it->is_number()) {
        value = it->get<double>();
    } else if (it->is_string()) {
        const std::string& text = it->get_ref<const std::string&>();
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error != std::errc() || stop != end) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(value) || value < -limit || value > limit) return std::nullopt;
    return value;
}

// Writes the entry for one record (replacing any); a record with no name is left out.
void index_record(Database& db, const IndexSpec& spec, const Source& source,
                  std::string_view channel, std::string_view key, const json& record) {
    remove_entry(db, spec.name, channel, key);
    if (!record.is_object()) return;
    std::map<std::string, std::string> names;
    for (const auto& [tag, field] : source.name_fields) {
        auto it = record.find(field);
        if (it != record.end() && it->is_string() && !it->get<std::string>().empty())
            names[tag] = it->get<std::string>();
    }
    if (!source.names_field.empty()) {
        auto it = record.find(source.names_field);
        if (it != record.end() && it->is_object())
            for (const auto& [tag, name] : it->items())
                if (name.is_string() && !name.get<std::string>().empty() && !names.count(tag))
                    names[tag] = name.get<std::string>();
    }
    if (names.empty()) return;

    std::string folded;
    std::string exact = "|";
    auto add = [&](const std::string& f) {
        if (f.empty()) return;
        if (!folded.empty()) folded += ' ';
        folded += f;
    };
    for (const auto& [tag, name] : names) {
        std::string f = fold(name);
        exact += f + "|";
        add(f);
    }
    std::vector<std::string> also;
    for (const std::string& field : source.also_fields)
        if (auto it = record.find(field); it != record.end()) append_text(*it, also);
    for (const std::string& text : also) add(fold(text));
    if (folded.empty()) return;  // names with no letter or digit: nothing to find them by

    auto shown = names.find("en");
    const std::string sort_name =
        fold(shown != names.end() ? shown->second : names.begin()->second);
    std::optional<std::pair<std::string, std::string>> parent;
    if (source.parent) parent = detail::parent_of(record, *source.parent);

    // An entry's id orders it as results rank (tier, then the length of its name), so that
    // a query reads matches best first in the full-text table's rowid order and stops at its
    // limit instead of sorting every match of a one-letter prefix.
    const std::int64_t bucket = (std::int64_t{source.tier} << 50) |
                                (std::int64_t{std::min<int>(static_cast<int>(sort_name.size()),
                                                            1023)}
                                 << 40);
    Statement last = db.prepare_cached(
        "SELECT max(id) FROM core__search_entries WHERE id BETWEEN ?1 AND ?1 + 1099511627775");
    last.bind(1, bucket);
    const std::int64_t id = last.step() && !last.is_null(0) ? last.integer(0) + 1 : bucket;
    last.reset();
    Statement insert = db.prepare_cached(
        "INSERT INTO core__search_entries (idx, channel, key, tier, kind, names, parent_channel, "
        "parent_key, sort_name, exact, folded, loose, id, lat, lon) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind_all(spec.name, channel, key, source.tier, source.kind, json(names).dump());
    insert.bind(13, id);
    const std::optional<double> lat = degrees(record, "lat", 90), lon = degrees(record, "lon", 180);
    if (lat && lon)
        insert.bind(14, *lat).bind(15, *lon);
    else
        insert.bind(14, nullptr).bind(15, nullptr);
    if (parent)
        insert.bind(7, parent->first).bind(8, parent->second);
    else
        insert.bind(7, nullptr).bind(8, nullptr);
    const std::string loose_text = loose(folded);
    insert.bind(9, sort_name).bind(10, exact).bind(11, folded).bind(12, loose_text).run();
    db.prepare_cached("INSERT INTO core__search_fts (rowid, folded, loose) VALUES (?, ?, ?)")
        .bind_all(db.last_insert_rowid(), folded, loose_text)
        .run();
}

// Makes an index's entries again from everything the catalog holds.
void rebuild(Database& db, const IndexSpec& spec) {
    remove_entries(db, "idx = ?1", spec.name);
    for (const Source& source : spec.sources) {
        Statement rows = db.prepare(
            "SELECT key, data FROM core__catalog WHERE channel = ? AND substr(key, 1, ?) = ?");
        rows.bind(1, source.channel)
            .bind(2, static_cast<std::int64_t>(source.key_prefix.size()))
            .bind(3, source.key_prefix);
        while (rows.step()) {
            const std::string key = rows.text(0);
            if (source_for(spec, source.channel, key) != &source) continue;  // a longer prefix's
            json record = json::parse(rows.text(1), nullptr, false);
            if (record.is_discarded()) continue;
            index_record(db, spec, source, source.channel, key, record);
        }
    }
    bump(db, spec.name);
}

void drop(Database& db, std::string_view index) {
    remove_entries(db, "idx = ?1", index);
    db.prepare_cached("DELETE FROM core__search_indexes WHERE name = ?").bind(1, index).run();
    db.prepare_cached("UPDATE core__search_state SET generation = generation + 1 WHERE id = 1")
        .run();
}

struct Stored {
    std::optional<std::string> spec, origin, manifest_spec, manifest_origin;
};

std::optional<Stored> stored(Database& db, std::string_view index) {
    Statement q = db.prepare_cached(
        "SELECT spec, origin, manifest_spec, manifest_origin FROM core__search_indexes "
        "WHERE name = ?");
    q.bind(1, index);
    if (!q.step()) return std::nullopt;
    auto text = [&](int column) {
        return q.is_null(column) ? std::nullopt : std::optional<std::string>(q.text(column));
    };
    return Stored{text(0), text(1), text(2), text(3)};
}

// Puts `spec` in force (from `origin`), re-indexing when it differs from the one in force.
void put_in_force(Database& db, const IndexSpec& spec, std::string_view origin) {
    const std::string text = spec.to_json().dump();
    std::optional<Stored> now = stored(db, spec.name);
    const bool same = now && now->spec == text;
    db.prepare_cached(
          "INSERT INTO core__search_indexes (name, spec, origin) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (name) DO UPDATE SET spec = ?2, origin = ?3")
        .bind_all(spec.name, text, origin)
        .run();
    if (!same) rebuild(db, spec);
}

void catalog_specs_changed(Database& db, const std::vector<std::string>& removed,
                           const std::vector<std::string>& upserted) {
    for (const std::string& name : removed) {
        std::optional<Stored> now = stored(db, name);
        if (!now || now->origin != "catalog") continue;
        std::optional<IndexSpec> manifest_spec;
        if (now->manifest_spec) {
            try {
                manifest_spec = IndexSpec::from_json(name, json::parse(*now->manifest_spec));
            } catch (const std::exception& e) {
                logging::get("search")->error(
                    "search: index {}: the manifest's spec no longer reads: {}", name, e.what());
            }
        }
        if (manifest_spec)
            put_in_force(db, *manifest_spec, now->manifest_origin.value_or(""));
        else
            drop(db, name);
    }
    for (const std::string& name : upserted) {
        std::optional<json> record = catalog::record(db, kIndexesChannel, name);
        if (!record) continue;
        // A bad spec is the publisher's mistake: it must not stop the kiosk's sync. (The
        // database's own failures still roll the page back.)
        std::optional<IndexSpec> spec;
        try {
            spec = IndexSpec::from_json(name, *record);
        } catch (const Error& e) {
            logging::get("search")->error(
                "search: catalog channel {} record {} is not a usable index spec, "
                "skipped: {}",
                kIndexesChannel, name, e.what());
            continue;
        }
        put_in_force(db, *spec, "catalog");
    }
}

}  // namespace

void declare(Database& db, const IndexSpec& spec, std::string_view origin) {
    Transaction tx = db.transaction();
    const std::string text = spec.to_json().dump();
    db.prepare_cached(
          "INSERT INTO core__search_indexes (name, manifest_spec, manifest_origin) "
          "VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET manifest_spec = ?2, "
          "manifest_origin = ?3")
        .bind_all(spec.name, text, origin)
        .run();
    std::optional<Stored> now = stored(db, spec.name);
    if (!now || now->origin != "catalog") put_in_force(db, spec, origin);
    tx.commit();
}

void on_catalog_change(Database& db, std::string_view channel,
                       const std::vector<std::string>& removed,
                       const std::vector<std::string>& upserted) {
    if (channel == kIndexesChannel) {
        catalog_specs_changed(db, removed, upserted);
        return;
    }
    std::shared_ptr<const std::vector<IndexSpec>> specs = detail::specs_in_force(db);
    for (const IndexSpec& spec : *specs) {
        if (!reads(spec, channel)) continue;
        for (const std::string& key : removed) remove_entry(db, spec.name, channel, key);
        for (const std::string& key : upserted) {
            const Source* source = source_for(spec, channel, key);
            if (!source) continue;
            Statement row =
                db.prepare_cached("SELECT data FROM core__catalog WHERE channel = ? AND key = ?");
            row.bind(1, channel).bind(2, key);
            if (!row.step()) {
                remove_entry(db, spec.name, channel, key);
                continue;
            }
            json record = json::parse(row.text(0), nullptr, false);
            index_record(db, spec, *source, channel, key, record);
        }
        bump(db, spec.name);
    }
}

std::vector<std::string> indexed_channels(Database& db) {
    std::vector<std::string> out;
    for (const IndexSpec& spec : *detail::specs_in_force(db))
        for (const Source& s : spec.sources)
            if (std::find(out.begin(), out.end(), s.channel) == out.end()) out.push_back(s.channel);
    return out;
}

}  // namespace seba::search
