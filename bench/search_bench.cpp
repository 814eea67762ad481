// SPDX-License-Identifier: Apache-2.0
// Search as the citizen types (seba/search.hpp) over the real places of Bangladesh and
// Uzbekistan plus synthetic offices, next to a raw FTS5 prefix query on the same index in
// the same run (the baseline):
//  - building the index: every page kept by catalog::keep_page as sync keeps it;
//  - a keystroke's search: each prefix of real names typed in Bangla, Latin, Uzbek Latin,
//    Uzbek Cyrillic and Russian, p50/p95/p99 of Search::find (fold, stages, ranking, paths)
//    against MATCH of the folded words as prefixes with LIMIT, nothing else;
//  - the process's memory (VmRSS) with the directory loaded and searched.
// Run: build/bin/search_bench [entries...]   (default: 100000 1000000)
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "seba/catalog.hpp"
#include "seba/search.hpp"
#include "seba/server/catalog_import.hpp"
#include "seba/storage.hpp"
#include "seba/utf8.hpp"
#include "temp_dir.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long rss_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

struct Channel {
    std::string name;
    std::vector<seba::server::CatalogRecord> records;
};

Channel read(const std::string& channel, const std::string& file,
             std::vector<std::string> columns = {}, std::vector<std::string> uz_latin = {}) {
    seba::server::ImportSpec spec;
    spec.columns = std::move(columns);
    spec.uz_latin = std::move(uz_latin);
    return {channel, seba::server::read_catalog_file(std::string(SEBA_DATA_DIR) + "/" + file, spec)
                         .records};
}

// The demo pack's "portal" index: the spec a pilot ships.
json portal_spec() {
    std::ifstream in(SEBA_PORTAL_INDEXES);
    return json::parse(in).at("portal");
}

// Offices a portal lists under every place, in the place's languages.
struct OfficeKind {
    const char* en;
    const char* bn;
    const char* uz;
    const char* oz;
    const char* ru;
};
const OfficeKind kOfficeKinds[] = {
    {"Land Office", "ভূমি অফিস", "Yer kadastri bo'limi", "Ер кадастри бўлими", "Отдел кадастра"},
    {"Post Office", "ডাকঘর", "Pochta bo'limi", "Почта бўлими", "Почтовое отделение"},
    {"Health Complex", "স্বাস্থ্য কমপ্লেক্স", "Oilaviy poliklinika", "Оилавий поликлиника",
     "Семейная поликлиника"},
    {"Primary School", "প্রাথমিক বিদ্যালয়", "Maktab", "Мактаб", "Школа"},
    {"Agriculture Office", "কৃষি অফিস", "Qishloq xo'jaligi bo'limi", "Қишлоқ хўжалиги бўлими",
     "Отдел сельского хозяйства"},
    {"Public Services Centre", "সেবা কেন্দ্র", "Davlat xizmatlari markazi",
     "Давлат хизматлари маркази", "Центр госуслуг"},
};

void keep(seba::Database& db, const std::string& channel,
          const std::vector<seba::catalog::Page::Change>& changes) {
    // Pages of 500 records, as the server sends them.
    for (std::size_t at = 0; at < changes.size(); at += 500) {
        seba::catalog::Page page;
        page.changes.assign(changes.begin() + at,
                            changes.begin() + std::min(changes.size(), at + 500));
        page.cursor = std::to_string(at + page.changes.size());
        page.has_more = at + 500 < changes.size();
        seba::catalog::keep_page(db, channel, page);
    }
}

struct Percentiles {
    double p50, p95, p99, max;
};
Percentiles percentiles(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
    return {at(0.50), at(0.95), at(0.99), v.back()};
}

// Each prefix of `name`, a character at a time, as a citizen's keystrokes make them.
void keystrokes(const std::string& name, std::vector<std::string>& out) {
    std::size_t chars = seba::utf8::count(name);
    for (std::size_t n = 1; n <= chars; ++n)
        out.emplace_back(seba::utf8::first_code_points(name, n));
}

void run(std::size_t entries, const std::vector<Channel>& places) {
    seba::testing::TempDir dir;
    seba::Database db = seba::Database::open(dir.path() / "kiosk.db");
    seba::migrate_core(db);
    long rss_before = rss_kib();

    Clock::time_point start = Clock::now();
    seba::catalog::Page spec_page;
    spec_page.changes.push_back({"portal", portal_spec().dump()});
    spec_page.cursor = "1";
    seba::catalog::keep_page(db, std::string(seba::search::kIndexesChannel), spec_page);
    std::size_t real = 0;
    for (const Channel& c : places) {
        std::vector<seba::catalog::Page::Change> changes;
        for (const auto& r : c.records) changes.push_back({r.key, r.data.dump()});
        real += changes.size();
        keep(db, c.name, changes);
    }
    // Synthetic offices under the real unions and villages, named after their place.
    std::vector<seba::catalog::Page::Change> offices;
    const Channel& unions = places[3];
    const Channel& villages = places[6];
    for (std::size_t i = 0; real + offices.size() < entries; ++i) {
        const OfficeKind& kind = kOfficeKinds[i % std::size(kOfficeKinds)];
        bool bd = (i / std::size(kOfficeKinds)) % 2 == 0;
        const Channel& under = bd ? unions : villages;
        const auto& place = under.records[(i / 12) % under.records.size()];
        json name = bd ? json{{"en", place.data.value("name_en", "") + " " + kind.en},
                              {"bn", place.data.value("name_bn", "") + " " + kind.bn}}
                       : json{{"uz-Latn", place.data.value("name_uz", "") + " " + kind.uz},
                              {"uz-Cyrl", place.data.value("name_oz", "") + " " + kind.oz},
                              {"ru", place.data.value("name_ru", "") + " " + kind.ru}};
        char key[32];
        std::snprintf(key, sizeof key, "office/%09zu", i);
        offices.push_back(
            {key, json{{"name", name}, {"place", under.name + "/" + place.key}}.dump()});
    }
    keep(db, "portal.offices", offices);
    double build_ms = ms_since(start);
    const std::size_t total = real + offices.size();
    // The records were the server's to send: what stays is the kiosk's.
    offices = {};
    malloc_trim(0);
    long rss_built = rss_kib();

    // Names to type: every 97th record of each channel, in each of its name fields.
    std::vector<std::string> queries;
    for (const Channel& c : places)
        for (std::size_t i = 0; i < c.records.size(); i += 97)
            for (const char* field : {"name_bn", "name_en", "name_uz", "name_oz", "name_ru"})
                if (c.records[i].data.contains(field))
                    keystrokes(c.records[i].data[field].get<std::string>(), queries);

    seba::search::Search search(db);
    std::vector<double> ours, raw;
    std::size_t found = 0;
    seba::Statement fts = db.prepare(
        "SELECT rowid FROM core__search_fts WHERE core__search_fts MATCH ? LIMIT 20");
    for (const std::string& q : queries) {
        Clock::time_point t = Clock::now();
        seba::search::Query query;
        query.text = q;
        found += !search.find("portal", query).empty();
        ours.push_back(ms_since(t));

        t = Clock::now();
        std::string folded = seba::search::fold(q), match;
        for (std::size_t at = 0; at < folded.size();) {
            std::size_t end = std::min(folded.find(' ', at), folded.size());
            match += (match.empty() ? "\"" : " AND \"") + folded.substr(at, end - at) + "\"*";
            at = end + 1;
        }
        if (!match.empty()) {
            fts.bind(1, match);
            while (fts.step()) {
            }
            fts.reset();
        }
        raw.push_back(ms_since(t));
    }
    long rss_searched = rss_kib();
    Percentiles o = percentiles(ours), r = percentiles(raw);
    std::printf("\n%zu entries (%zu real places), index built in %.1f s (%.1f µs an entry)\n",
                total, real, build_ms / 1000, build_ms * 1000 / static_cast<double>(total));
    std::printf("%zu keystrokes, %.1f%% with a result\n", queries.size(),
                100.0 * static_cast<double>(found) / static_cast<double>(queries.size()));
    std::printf("%-22s %8s %8s %8s %8s\n", "ms a keystroke", "p50", "p95", "p99", "max");
    std::printf("%-22s %8.2f %8.2f %8.2f %8.2f\n", "Search::find", o.p50, o.p95, o.p99, o.max);
    std::printf("%-22s %8.2f %8.2f %8.2f %8.2f\n", "raw FTS5 prefix", r.p50, r.p95, r.p99,
                r.max);
    std::printf("%-22s %8.2f %8.2f %8.2f\n", "ratio", o.p50 / r.p50, o.p95 / r.p95,
                o.p99 / r.p99);
    std::printf("VmRSS: %ld MiB before, %ld MiB with the directory kept, %ld MiB after "
                "searching (the process holds the real places' records too)\n",
                rss_before / 1024, rss_built / 1024, rss_searched / 1024);
    std::printf("database file: %.1f MiB\n",
                static_cast<double>(std::filesystem::file_size(dir.path() / "kiosk.db")) / 1048576.0);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<Channel> places = {
        read("geo.bd.divisions", "bd-geocode/divisions.csv",
             {"id", "name_en", "name_bn", "portal_url"}),
        read("geo.bd.districts", "bd-geocode/districts.csv",
             {"id", "division_id", "name_en", "name_bn", "lat", "lon", "portal_url"}),
        read("geo.bd.upazilas", "bd-geocode/upazilas.csv",
             {"id", "district_id", "name_en", "name_bn", "portal_url"}),
        read("geo.bd.unions", "bd-geocode/unions.csv",
             {"id", "upazila_id", "name_en", "name_bn", "portal_url"}),
        read("geo.uz.regions", "uz-regions/regions.csv", {}, {"name_uz"}),
        read("geo.uz.districts", "uz-regions/districts.csv", {}, {"name_uz"}),
        read("geo.uz.villages", "uz-regions/villages.csv", {}, {"name_uz"}),
    };
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoul(argv[i], nullptr, 10));
    if (sizes.empty()) sizes = {100000, 1000000};
    for (std::size_t n : sizes) run(n, places);
}
