// SPDX-License-Identifier: Apache-2.0
// NISE matching (plugins/nise/src/matching.hpp) at a country's scale: 100,000 synthetic
// opportunities on the real place chains of Bangladesh (division > district > upazila > union,
// district seats' coordinates) and Uzbekistan (region > district > village), 200 synthetic
// citizens. p50/p95 of Matcher::rank (limit 20) next to the same ranking by one plain SQL
// query over SQLite tables (opportunity, opportunity_skill, place_ancestor) in the same run,
// and a check that both give the same top 20 for every citizen (exit 1 when not).
// Run: build/bin/nise_bench [opportunities] [citizens]   (default: 100000 200)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "matching.hpp"
#include "profile.hpp"
#include "seba/server/catalog_import.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace {

using namespace seba::nise;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr const char* kToday = "2026-12-10";
constexpr std::size_t kLimit = 20;
constexpr int kSkills = 300;
constexpr int kRounds = 3;  // the Matcher; the SQL query runs once per citizen

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::vector<seba::server::CatalogRecord> read(const std::string& file,
                                              std::vector<std::string> columns = {}) {
    seba::server::ImportSpec spec;
    spec.columns = std::move(columns);
    return seba::server::read_catalog_file(std::string(SEBA_DATA_DIR) + "/" + file, spec).records;
}

std::string text(const json& data, const char* field) {
    auto it = data.find(field);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Every place of both countries as the directory chains it (the "portal" index's parents).
struct Directory {
    std::map<std::string, PlaceChain, std::less<>> chains;
    std::vector<std::string> bd_unions, bd_upazilas, bd_districts, uz_villages, uz_districts;

    void add(const std::string& ref, const std::string& parent, std::optional<double> lat = {},
             std::optional<double> lon = {}) {
        PlaceChain c;
        if (!parent.empty()) c = chains.at(parent);
        c.refs.push_back(ref);
        if (lat && lon) c.lat = lat, c.lon = lon;
        c.country = country_of(ref);
        chains[ref] = std::move(c);
    }
};

Directory load_directory() {
    Directory d;
    for (const auto& r :
         read("bd-geocode/divisions.csv", {"id", "name_en", "name_bn", "portal_url"}))
        d.add("geo.bd.divisions/" + r.key, "");
    for (const auto& r :
         read("bd-geocode/districts.csv",
              {"id", "division_id", "name_en", "name_bn", "lat", "lon", "portal_url"})) {
        d.add("geo.bd.districts/" + r.key, "geo.bd.divisions/" + text(r.data, "division_id"),
              std::stod(text(r.data, "lat")), std::stod(text(r.data, "lon")));
        d.bd_districts.push_back("geo.bd.districts/" + r.key);
    }
    for (const auto& r : read("bd-geocode/upazilas.csv",
                              {"id", "district_id", "name_en", "name_bn", "portal_url"})) {
        d.add("geo.bd.upazilas/" + r.key, "geo.bd.districts/" + text(r.data, "district_id"));
        d.bd_upazilas.push_back("geo.bd.upazilas/" + r.key);
    }
    for (const auto& r :
         read("bd-geocode/unions.csv", {"id", "upazila_id", "name_en", "name_bn", "portal_url"})) {
        const std::string parent = "geo.bd.upazilas/" + text(r.data, "upazila_id");
        if (!d.chains.count(parent)) continue;
        d.add("geo.bd.unions/" + r.key, parent);
        d.bd_unions.push_back("geo.bd.unions/" + r.key);
    }
    for (const auto& r : read("uz-regions/regions.csv")) d.add("geo.uz.regions/" + r.key, "");
    for (const auto& r : read("uz-regions/districts.csv")) {
        d.add("geo.uz.districts/" + r.key, "geo.uz.regions/" + text(r.data, "region_id"));
        d.uz_districts.push_back("geo.uz.districts/" + r.key);
    }
    for (const auto& r : read("uz-regions/villages.csv")) {
        const std::string parent = "geo.uz.districts/" + text(r.data, "district_id");
        if (!d.chains.count(parent)) continue;
        d.add("geo.uz.villages/" + r.key, parent);
        d.uz_villages.push_back("geo.uz.villages/" + r.key);
    }
    return d;
}

std::string day_after(int days) {
    using namespace std::chrono;
    const sys_days today = sys_days(year(2026) / December / 10) + std::chrono::days(days);
    const year_month_day ymd(today);
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return out;
}

std::string skill_id(int i) {
    char out[8];
    std::snprintf(out, sizeof out, "s%03d", i);
    return out;
}

struct Synthetic {
    std::vector<Opportunity> opportunities;
    std::vector<Seeker> citizens;
};

Synthetic synthesise(const Directory& d, std::size_t opportunities, std::size_t citizens) {
    std::mt19937 rng(20261210);
    // A few skills are asked for far more than the rest, as in any labour market.
    std::vector<double> popularity;
    for (int i = 0; i < kSkills; ++i) popularity.push_back(1.0 / std::pow(i + 1, 0.8));
    std::discrete_distribution<int> skill(popularity.begin(), popularity.end());
    auto pick = [&](const std::vector<std::string>& v) {
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    auto between = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
    const auto levels = education_levels();

    Synthetic s;
    s.opportunities.reserve(opportunities);
    for (std::size_t i = 0; i < opportunities; ++i) {
        Opportunity o;
        char id[32];
        std::snprintf(id, sizeof id, "op-%06zu", i);
        o.id = id;
        o.kind = chance(0.6) ? Kind::Job : chance(0.7) ? Kind::Training : Kind::Apprenticeship;
        o.title = {{"en", o.id}};
        if (chance(0.05))
            o.place = chance(0.8) ? pick(d.uz_villages) : pick(d.uz_districts);
        else {
            const double r = std::uniform_real_distribution<double>(0, 1)(rng);
            o.place = r < 0.7    ? pick(d.bd_unions)
                      : r < 0.95 ? pick(d.bd_upazilas)
                                 : pick(d.bd_districts);
            if (chance(0.3)) {
                const PlaceChain& c = d.chains.at(o.place);
                o.lat = *c.lat + between(-200, 200) / 1000.0;
                o.lon = *c.lon + between(-200, 200) / 1000.0;
            }
        }
        const int asked = between(1, 6);
        while (static_cast<int>(o.skills.size()) < asked) {
            std::string sk = skill_id(skill(rng));
            if (std::none_of(o.skills.begin(), o.skills.end(),
                             [&](const RequiredSkill& r) { return r.skill == sk; }))
                o.skills.push_back({sk, between(1, 3)});
        }
        o.closes = day_after(between(-30, 150));
        if (chance(0.2)) o.opens = std::min(o.closes, day_after(between(-30, 20)));
        o.seats = chance(0.1) ? 0 : between(1, 30);
        if (chance(0.6))
            o.education = std::string(levels[static_cast<std::size_t>(between(0, 5))].id);
        s.opportunities.push_back(std::move(o));
    }
    for (std::size_t i = 0; i < citizens; ++i) {
        Seeker c;
        const int held = between(1, 8);
        while (static_cast<int>(c.skills.size()) < held) {
            std::string sk = skill_id(skill(rng));
            if (std::none_of(c.skills.begin(), c.skills.end(),
                             [&](const Holding& h) { return h.skill == sk; }))
                c.skills.push_back({sk, chance(0.4)});
        }
        c.place = chance(0.9) ? pick(d.bd_unions) : pick(d.bd_upazilas);
        if (!chance(0.1))
            c.education = std::string(levels[static_cast<std::size_t>(between(0, 5))].id);
        s.citizens.push_back(std::move(c));
    }
    return s;
}

// The baseline: the same catalog in plain tables and the ranking as one SQL query.
void fill_tables(seba::Database& db, const Directory& d, const std::vector<Opportunity>& all) {
    db.exec(R"sql(
CREATE TABLE opportunity (idx INTEGER PRIMARY KEY, id TEXT NOT NULL, place TEXT NOT NULL,
    country TEXT NOT NULL, depth INTEGER NOT NULL, closes TEXT NOT NULL, opens TEXT,
    seats INTEGER NOT NULL, edu_rank INTEGER NOT NULL);
CREATE TABLE opportunity_skill (opp INTEGER NOT NULL, skill TEXT NOT NULL, weight INTEGER NOT NULL);
CREATE INDEX opportunity_skill_by_skill ON opportunity_skill (skill, opp);
CREATE INDEX opportunity_skill_by_opp ON opportunity_skill (opp);
CREATE TABLE place_ancestor (place TEXT NOT NULL, ancestor TEXT NOT NULL, depth INTEGER NOT NULL,
    PRIMARY KEY (place, ancestor)) WITHOUT ROWID;
)sql");
    auto t = db.transaction();
    seba::Statement place = db.prepare("INSERT INTO place_ancestor VALUES (?, ?, ?)");
    for (const auto& [ref, chain] : d.chains)
        for (std::size_t i = 0; i < chain.refs.size(); ++i) {
            place.bind_all(ref, chain.refs[i], static_cast<std::int64_t>(i + 1)).run();
            place.reset();
        }
    seba::Statement opp = db.prepare("INSERT INTO opportunity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    seba::Statement skill = db.prepare("INSERT INTO opportunity_skill VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Opportunity& o = all[i];
        const PlaceChain& c = d.chains.at(o.place);
        opp.bind_all(static_cast<std::int64_t>(i), o.id, o.place, c.country,
                     static_cast<std::int64_t>(c.refs.size()), o.closes);
        if (o.opens.empty())
            opp.bind(7, nullptr);
        else
            opp.bind(7, o.opens);
        opp.bind(8, o.seats).bind(9, o.education.empty() ? -1 : education_rank(o.education));
        opp.run();
        opp.reset();
        for (const RequiredSkill& r : o.skills) {
            skill.bind_all(static_cast<std::int64_t>(i), r.skill, r.weight).run();
            skill.reset();
        }
    }
    t.commit();
    db.exec("ANALYZE");
}

// docs/nise.md, "Matching", as SQL: the same exclusions, coverage, nearness by the deepest
// shared ancestor, closing soon, seats and education, ordered the same way.
constexpr const char* kRankSql = R"sql(
WITH me(skill, verified) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:skills)),
mine(ancestor) AS (SELECT ancestor FROM place_ancestor WHERE place = :place),
candidate(opp) AS (SELECT DISTINCT s.opp FROM opportunity_skill s JOIN me ON me.skill = s.skill),
open AS (
    SELECT o.* FROM candidate c JOIN opportunity o ON o.idx = c.opp
    WHERE o.seats > 0 AND o.closes >= :today AND (o.opens IS NULL OR o.opens <= :today)
      AND (:country = '' OR o.country = :country)),
reasons AS (
    SELECT o.id, o.closes, o.seats, o.edu_rank, o.depth,
        (SELECT sum(s.weight * CASE WHEN me.skill IS NULL THEN 0.0 WHEN me.verified THEN 1.0
                                    ELSE 0.8 END) / sum(s.weight)
         FROM opportunity_skill s LEFT JOIN me ON me.skill = s.skill WHERE s.opp = o.idx)
            AS coverage,
        (SELECT count(*) FROM place_ancestor a WHERE a.place = o.place AND a.ancestor IN mine)
            AS shared,
        julianday(o.closes) - julianday(:today) AS days
    FROM open o),
scored AS (
    SELECT id, closes, round(max(0.0, min(1.0,
        0.6 * coverage
        + 0.25 * (CASE WHEN :depth = 0 THEN 0.1
                       WHEN shared = min(depth, :depth) THEN 1.0
                       WHEN shared >= 3 THEN 0.8 WHEN shared = 2 THEN 0.6
                       WHEN shared = 1 THEN 0.3 ELSE 0.1 END)
        + 0.1 * (CASE WHEN days <= 7 THEN 1.0 WHEN days <= 30 THEN 0.5 ELSE 0.0 END)
        + 0.05 * (min(seats, 10) / 10.0)
        - (CASE WHEN edu_rank < 0 OR :education >= edu_rank THEN 0.0 ELSE 0.1 END))), 9) AS score
    FROM reasons)
SELECT id, score FROM scored ORDER BY score DESC, closes, id LIMIT :limit
)sql";

struct Ranked {
    std::string id;
    double score;
};

std::vector<Ranked> rank_by_sql(seba::Statement& q, const Seeker& c, const PlaceChain* chain) {
    json skills = json::array();
    for (const Holding& h : c.skills) skills.push_back({h.skill, h.verified ? 1 : 0});
    q.reset();
    q.bind(1, skills.dump())
        .bind(2, c.place)
        .bind(3, kToday)
        .bind(4, chain ? chain->country : std::string())
        .bind(5, static_cast<std::int64_t>(chain ? chain->refs.size() : 0))
        .bind(6, c.education.empty() ? -1 : education_rank(c.education))
        .bind(7, static_cast<std::int64_t>(kLimit));
    std::vector<Ranked> out;
    while (q.step()) out.push_back({q.text(0), q.real(1)});
    return out;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n_opportunities = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100'000;
    const std::size_t n_citizens = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200;

    Clock::time_point start = Clock::now();
    Directory directory = load_directory();
    Synthetic s = synthesise(directory, n_opportunities, n_citizens);
    std::sort(s.opportunities.begin(), s.opportunities.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    std::printf("directory: %zu places; %zu opportunities, %zu citizens made in %.0f ms\n",
                directory.chains.size(), s.opportunities.size(), s.citizens.size(),
                ms_since(start));

    // A course for one skill in ten, as MuktoPaath's catalog would teach.
    std::unordered_map<std::string, std::string> courses;
    for (int i = 0; i < kSkills; i += 10) courses[skill_id(i)] = "course-" + skill_id(i);
    start = Clock::now();
    Matcher matcher(s.opportunities, [&](std::string_view skill) {
        auto it = courses.find(std::string(skill));
        return it == courses.end() ? std::string() : it->second;
    });
    std::printf("Matcher built in %.1f ms\n", ms_since(start));
    Places places(directory.chains);

    seba::testing::TempDir folder;
    seba::Database db = seba::Database::open(folder / "nise_bench.db");
    start = Clock::now();
    fill_tables(db, directory, s.opportunities);
    std::printf("SQLite tables filled in %.0f ms\n", ms_since(start));
    seba::Statement query = db.prepare(kRankSql);

    std::vector<double> matcher_ms, sql_ms;
    std::size_t considered = 0, disagreements = 0;
    for (int round = 0; round < kRounds; ++round)
        for (const Seeker& c : s.citizens) {
            start = Clock::now();
            const Ranking r = matcher.rank(c, places, kToday, kLimit);
            matcher_ms.push_back(ms_since(start));
            if (round > 0) continue;  // the SQL query once per citizen: it is the slow one
            start = Clock::now();
            const std::vector<Ranked> by_sql = rank_by_sql(query, c, places.chain(c.place));
            sql_ms.push_back(ms_since(start));
            considered += r.considered;
            bool same = r.matches.size() == by_sql.size();
            for (std::size_t i = 0; same && i < by_sql.size(); ++i)
                same = r.matches[i].opportunity->id == by_sql[i].id &&
                       std::abs(r.matches[i].score - by_sql[i].score) < 1e-9;
            if (!same && ++disagreements <= 3) {
                std::printf("DISAGREE for citizen at %s:\n", c.place.c_str());
                for (std::size_t i = 0; i < std::max(r.matches.size(), by_sql.size()); ++i)
                    std::printf("  %2zu  %-10s %.9f   %-10s %.9f\n", i,
                                i < r.matches.size() ? r.matches[i].opportunity->id.c_str() : "-",
                                i < r.matches.size() ? r.matches[i].score : 0.0,
                                i < by_sql.size() ? by_sql[i].id.c_str() : "-",
                                i < by_sql.size() ? by_sql[i].score : 0.0);
            }
        }

    const double m50 = percentile(matcher_ms, 0.5), m95 = percentile(matcher_ms, 0.95);
    const double q50 = percentile(sql_ms, 0.5), q95 = percentile(sql_ms, 0.95);
    std::printf(
        "\n%zu opportunities, %zu citizens (Matcher %d rounds, SQL 1), limit %zu; %.0f considered "
        "per citizen\n",
        s.opportunities.size(), s.citizens.size(), kRounds, kLimit,
        static_cast<double>(considered) / static_cast<double>(s.citizens.size()));
    std::printf("%-28s %10s %10s\n", "", "p50 ms", "p95 ms");
    std::printf("%-28s %10.3f %10.3f\n", "Matcher::rank", m50, m95);
    std::printf("%-28s %10.3f %10.3f\n", "one SQL query (SQLite)", q50, q95);
    std::printf("%-28s %10.1fx %9.1fx\n", "SQL / Matcher", q50 / m50, q95 / m95);
    std::printf("top %zu agree for %zu of %zu citizens\n", kLimit,
                s.citizens.size() - disagreements, s.citizens.size());
    return disagreements == 0 ? 0 : 1;
}
