// SPDX-License-Identifier: Apache-2.0
// Reading the search indexes: ranked queries as the citizen types, the hierarchy, status.
#include "seba/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "search_internal.hpp"
#include "seba/storage.hpp"
#include "seba/utf8.hpp"

namespace seba::search {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxWords = 16;
constexpr std::size_t kMaxQueryBytes = 256;
constexpr std::size_t kMaxLimit = 200;
constexpr std::size_t kCandidates = 1000;  // per stage, best tier and shortest name first
constexpr std::size_t kMaxFuzzyTerms = 32;
constexpr int kMaxDepth = 8;

std::vector<std::string> split_words(std::string_view folded) {
    std::vector<std::string> words;
    std::size_t bytes = 0;
    std::size_t start = 0;
    while (start < folded.size() && words.size() < kMaxWords) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string_view::npos) end = folded.size();
        if (end > start) {
            if (bytes + (end - start) > kMaxQueryBytes) break;
            bytes += end - start + 1;
            words.emplace_back(folded.substr(start, end - start));
        }
        start = end + 1;
    }
    return words;
}

// One word as an FTS5 string: nothing the citizen typed is read as FTS syntax.
std::string fts_string(std::string_view word) {
    std::string out = "\"";
    for (char c : word) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string prefix_match(std::string_view column, const std::vector<std::string>& words) {
    std::string out = fmt::format("{{{}}} : (", column);
    for (std::size_t i = 0; i < words.size(); ++i)
        out += (i ? " AND " : "") + fts_string(words[i]) + "*";
    return out + ")";
}

// The least Damerau-Levenshtein (optimal string alignment) distance between `word` and a
// start of `term` one letter shorter, as long or one longer than `word` (a typo while still
// typing, a letter left out or doubled), or `cap` + 1 once it exceeds `cap`. One table gives
// all three: its last row holds the distances to every start of `term`.
std::size_t prefix_distance(std::u32string_view word, std::u32string_view term, std::size_t cap) {
    const std::size_t n = word.size(), m = std::min(term.size(), n + 1);
    if (m + 1 < n) return cap + 1;
    thread_local std::vector<std::size_t> rows;
    rows.assign(3 * (m + 1), 0);
    std::size_t* before = rows.data();  // row i - 2
    std::size_t* last = before + m + 1;  // row i - 1
    std::size_t* row = last + m + 1;     // row i
    for (std::size_t j = 0; j <= m; ++j) last[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        row[0] = i;
        std::size_t row_min = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = word[i - 1] == term[j - 1] ? 0 : 1;
            std::size_t d = std::min({last[j] + 1, row[j - 1] + 1, last[j - 1] + cost});
            if (i > 1 && j > 1 && word[i - 1] == term[j - 2] && word[i - 2] == term[j - 1])
                d = std::min(d, before[j - 2] + 1);
            row[j] = d;
            row_min = std::min(row_min, d);
        }
        if (row_min > cap) return cap + 1;
        std::swap(before, last);
        std::swap(last, row);
    }
    std::size_t best = cap + 1;
    for (std::size_t j = n > 0 ? n - 1 : 0; j <= m; ++j) best = std::min(best, last[j]);
    return best;
}

// The index's words, read once per change of any index and kept for the process.
struct Vocabulary {
    std::int64_t generation = -1;
    std::shared_ptr<const std::vector<std::u32string>> terms;
};
std::mutex vocabulary_mutex;
std::unordered_map<std::string, Vocabulary> vocabularies;  // by database file

std::shared_ptr<const std::vector<std::u32string>> vocabulary(Database& db) {
    Statement g = db.prepare_cached("SELECT generation FROM core__search_state WHERE id = 1");
    const std::int64_t generation = g.step() ? g.integer(0) : 0;
    const std::string key =
        fmt::format("{}@{}", db.path().string(), static_cast<const void*>(db.handle()));
    {
        std::lock_guard lock(vocabulary_mutex);
        auto it = vocabularies.find(key);
        if (it != vocabularies.end() && it->second.generation == generation)
            return it->second.terms;
    }
    auto terms = std::make_shared<std::vector<std::u32string>>();
    Statement q = db.prepare_cached("SELECT term FROM core__search_vocab WHERE col = 'folded'");
    while (q.step()) terms->push_back(utf8::to_utf32(q.text(0)));
    std::lock_guard lock(vocabulary_mutex);
    vocabularies[key] = {generation, terms};
    return terms;
}

// Terms within typo distance of `word`, compared with each term's start of about the
// word's length (a typo while still typing matches too).
std::vector<std::string> near_terms(Database& db, const std::string& word) {
    const std::u32string w = utf8::to_utf32(word);
    if (w.size() < 4) return {};
    const std::size_t cap = w.size() >= 8 ? 2 : 1;
    std::vector<std::pair<std::size_t, std::string>> found;
    for (const std::u32string& term : *vocabulary(db)) {
        const std::size_t d = prefix_distance(w, term, cap);
        if (d > 0 && d <= cap) found.emplace_back(d, utf8::from_utf32(term));
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& [d, term] : found) {
        if (out.size() == kMaxFuzzyTerms) break;
        out.push_back(std::move(term));
    }
    return out;
}

struct Candidate {
    Entry entry;
    std::string sort_name;
    std::string exact;
    std::string folded;
};

const char* kEntryColumns =
    "e.channel, e.key, e.tier, e.kind, e.names, e.parent_channel, e.parent_key, e.sort_name, "
    "e.exact, e.folded, e.lat, e.lon";

Candidate read_candidate(Statement& q) {
    Candidate c;
    c.entry.channel = q.text(0);
    c.entry.key = q.text(1);
    c.entry.tier = static_cast<int>(q.integer(2));
    c.entry.kind = q.text(3);
    json names = json::parse(q.text(4), nullptr, false);
    if (names.is_object())
        for (const auto& [tag, name] : names.items())
            if (name.is_string()) c.entry.names[tag] = name.get<std::string>();
    if (!q.is_null(5)) c.entry.parent = std::make_pair(q.text(5), q.text(6));
    c.sort_name = q.text(7);
    c.exact = q.text(8);
    c.folded = q.text(9);
    if (!q.is_null(10) && !q.is_null(11))
        c.entry.coordinates = Entry::Coordinates{q.real(10), q.real(11)};
    return c;
}

std::optional<Entry> find_entry(Database& db, std::string_view index, std::string_view channel,
                                std::string_view key) {
    Statement q = db.prepare_cached(fmt::format(
        "SELECT {} FROM core__search_entries e WHERE e.idx = ? AND e.channel = ? AND e.key = ?",
        kEntryColumns));
    q.bind_all(index, channel, key);
    if (!q.step()) return std::nullopt;
    return read_candidate(q).entry;
}

bool whole_words(const std::string& folded_names, const std::vector<std::string>& words) {
    std::set<std::string_view> have;
    std::string_view text = folded_names;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find_first_of(" |", start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) have.insert(text.substr(start, end - start));
        start = end + 1;
    }
    return std::all_of(words.begin(), words.end(),
                       [&](const std::string& w) { return have.count(w) > 0; });
}

double score_of(Match match, int tier, std::size_t name_length) {
    const double klass = match == Match::Exact ? 3 : match == Match::Prefix ? 2 : 1;
    return klass * 1e6 + (10 - std::clamp(tier, 0, 9)) * 1e4 +
           (1000 - static_cast<double>(std::min<std::size_t>(name_length, 999)));
}

}  // namespace

Search::Search(Database& db) : db_(db) {
}

std::vector<std::string> Search::indexes() const {
    std::vector<std::string> out;
    Statement q = db_.prepare_cached(
        "SELECT name FROM core__search_indexes WHERE spec IS NOT NULL ORDER BY name");
    while (q.step()) out.push_back(q.text(0));
    return out;
}

std::optional<IndexSpec> Search::spec(std::string_view index) const {
    for (const IndexSpec& s : *detail::specs_in_force(db_))
        if (s.name == index) return s;
    return std::nullopt;
}

std::vector<Hit> Search::find(std::string_view index, const Query& query) const {
    const std::size_t limit = std::min(query.limit, kMaxLimit);
    if (limit == 0) return {};
    const std::string folded_query = fold(query.text);
    const std::vector<std::string> words = split_words(folded_query);
    if (words.empty()) return {};
    std::string joined;
    for (const std::string& w : words) joined += (joined.empty() ? "" : " ") + w;

    std::map<std::pair<std::string, std::string>, Hit> hits;
    std::vector<std::string> sort_names;
    std::map<std::pair<std::string, std::string>, std::string> sort_name_of;
    // Entry ids order entries by tier and name length (search_index.cpp), so rows come best
    // first: a stage reads `limit` of them, then the rest of the last one's (tier, length),
    // whose order among themselves is by name.
    const std::string sql = fmt::format(
        "SELECT {}, e.id FROM core__search_fts f JOIN core__search_entries e ON e.id = f.rowid "
        "WHERE core__search_fts MATCH ?1 AND e.idx = ?2 AND (?3 = '' OR e.kind = ?3) "
        "ORDER BY f.rowid LIMIT {}",
        kEntryColumns, kCandidates);
    constexpr std::int64_t kBucket = std::int64_t{1} << 40;
    auto run = [&](const std::string& match, std::optional<Match> as) {
        Statement q = db_.prepare_cached(sql);
        q.bind(1, match).bind(2, index).bind(3, query.kind);
        std::size_t read = 0;
        std::int64_t last_bucket = -1;
        while (q.step()) {
            const std::int64_t bucket = q.integer(12) / kBucket;
            if (read >= limit && bucket != last_bucket) break;
            ++read;
            last_bucket = bucket;
            Candidate c = read_candidate(q);
            auto id = std::make_pair(c.entry.channel, c.entry.key);
            if (hits.count(id)) continue;
            // A name equal to the whole query ranks above one that has its words among others
            // ("Fargʻona" the city before "Fargʻona viloyati", whatever their tiers).
            const bool whole_name = !as && c.exact.find("|" + joined + "|") != std::string::npos;
            Match m;
            if (as)
                m = *as;
            else if (whole_name || whole_words(c.exact, words))
                m = Match::Exact;
            else
                m = Match::Prefix;
            Hit hit;
            hit.match = m;
            hit.score = score_of(m, c.entry.tier, c.sort_name.size()) + (whole_name ? 5e5 : 0);
            hit.entry = std::move(c.entry);
            sort_name_of[id] = c.sort_name;
            hits.emplace(id, std::move(hit));
        }
    };
    // Whole words first, so a common prefix's many entries cannot crowd an exact one out.
    {
        std::string whole = "{folded} : (";
        for (std::size_t i = 0; i < words.size(); ++i)
            whole += (i ? " AND " : "") + fts_string(words[i]);
        run(whole + ")", std::nullopt);
    }
    run(prefix_match("folded", words), std::nullopt);
    if (hits.size() < limit) {
        std::vector<std::string> loose_words;
        for (const std::string& w : words)
            if (std::string l = loose(w); !l.empty()) loose_words.push_back(l);
        if (!loose_words.empty()) run(prefix_match("loose", loose_words), Match::Fuzzy);
    }
    if (hits.size() < limit) {
        std::string match = "{folded} : (";
        bool any = false;
        for (std::size_t i = 0; i < words.size(); ++i) {
            std::vector<std::string> near = near_terms(db_, words[i]);
            any = any || !near.empty();
            match += (i ? " AND (" : "(") + fts_string(words[i]) + "*";
            for (const std::string& term : near) match += " OR " + fts_string(term);
            match += ")";
        }
        if (any) run(match + ")", Match::Fuzzy);
    }

    std::vector<Hit> out;
    out.reserve(hits.size());
    for (auto& [id, hit] : hits) out.push_back(std::move(hit));
    std::sort(out.begin(), out.end(), [&](const Hit& a, const Hit& b) {
        if (a.score != b.score) return a.score > b.score;
        const std::string& an = sort_name_of[{a.entry.channel, a.entry.key}];
        const std::string& bn = sort_name_of[{b.entry.channel, b.entry.key}];
        if (an != bn) return an < bn;
        return std::tie(a.entry.channel, a.entry.key) < std::tie(b.entry.channel, b.entry.key);
    });
    if (out.size() > limit) out.resize(limit);
    for (Hit& hit : out) hit.path = path(index, hit.entry);
    return out;
}

std::vector<Entry> Search::children(
    std::string_view index, const std::optional<std::pair<std::string, std::string>>& parent,
    std::string_view language) const {
    std::vector<Entry> out;
    Statement q = parent
                      ? db_.prepare_cached(fmt::format(
                            "SELECT {} FROM core__search_entries e WHERE e.idx = ?1 AND "
                            "e.parent_channel = ?2 AND e.parent_key = ?3",
                            kEntryColumns))
                      : db_.prepare_cached(fmt::format(
                            "SELECT {} FROM core__search_entries e WHERE e.idx = ?1 AND e.tier = "
                            "(SELECT min(tier) FROM core__search_entries WHERE idx = ?1)",
                            kEntryColumns));
    q.bind(1, index);
    if (parent) q.bind(2, parent->first).bind(3, parent->second);
    while (q.step()) out.push_back(read_candidate(q).entry);
    std::sort(out.begin(), out.end(), [&](const Entry& a, const Entry& b) {
        return std::tie(a.name(language), a.key) < std::tie(b.name(language), b.key);
    });
    return out;
}

std::optional<Entry> Search::entry(std::string_view index, std::string_view channel,
                                   std::string_view key) const {
    std::optional<Entry> e = find_entry(db_, index, channel, key);
    if (!e) return e;
    Statement q =
        db_.prepare_cached("SELECT data FROM core__catalog WHERE channel = ? AND key = ?");
    q.bind(1, channel).bind(2, key);
    if (q.step()) e->data = json::parse(q.text(0), nullptr, false);
    return e;
}

std::vector<Entry> Search::path(std::string_view index, const Entry& entry) const {
    std::vector<Entry> up;
    std::set<std::pair<std::string, std::string>> seen = {{entry.channel, entry.key}};
    std::optional<std::pair<std::string, std::string>> next = entry.parent;
    while (next && up.size() < kMaxDepth && seen.insert(*next).second) {
        std::optional<Entry> parent = find_entry(db_, index, next->first, next->second);
        if (!parent) break;
        next = parent->parent;
        up.push_back(std::move(*parent));
    }
    std::reverse(up.begin(), up.end());
    return up;
}

std::int64_t Search::generation() const {
    Statement g = db_.prepare_cached("SELECT generation FROM core__search_state WHERE id = 1");
    return g.step() ? g.integer(0) : 0;
}

std::vector<Entry> Search::located(std::string_view index) const {
    std::vector<Entry> out;
    Statement q = db_.prepare_cached(fmt::format(
        "SELECT {} FROM core__search_entries e WHERE e.idx = ? AND e.lat IS NOT NULL",
        kEntryColumns));
    q.bind(1, index);
    while (q.step()) out.push_back(read_candidate(q).entry);
    return out;
}

std::vector<IndexStatus> Search::status() const {
    std::vector<IndexStatus> out;
    Statement origins = db_.prepare("SELECT name, origin FROM core__search_indexes");
    std::map<std::string, std::string> origin_of;
    while (origins.step()) origin_of[origins.text(0)] = origins.is_null(1) ? "" : origins.text(1);
    for (const IndexSpec& spec : *detail::specs_in_force(db_)) {
        IndexStatus status{spec.name, origin_of[spec.name], {}};
        for (const Source& s : spec.sources) {
            SourceStatus ss;
            ss.channel = s.channel;
            Statement records = db_.prepare_cached(
                "SELECT count(*) FROM core__catalog WHERE channel = ? AND substr(key, 1, ?) = ?");
            records.bind(1, s.channel)
                .bind(2, static_cast<std::int64_t>(s.key_prefix.size()))
                .bind(3, s.key_prefix);
            records.step();
            ss.records = records.integer(0);
            Statement entries = db_.prepare_cached(
                "SELECT count(*) FROM core__search_entries WHERE idx = ? AND channel = ? AND "
                "substr(key, 1, ?) = ?");
            entries.bind(1, spec.name)
                .bind(2, s.channel)
                .bind(3, static_cast<std::int64_t>(s.key_prefix.size()))
                .bind(4, s.key_prefix);
            entries.step();
            ss.entries = entries.integer(0);
            Statement updated =
                db_.prepare_cached("SELECT updated_at FROM core__sync_cursors WHERE channel = ?");
            updated.bind(1, s.channel);
            if (updated.step()) ss.updated_at = updated.text(0);
            status.sources.push_back(std::move(ss));
        }
        out.push_back(std::move(status));
    }
    return out;
}

}  // namespace seba::search
