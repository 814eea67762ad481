// SPDX-License-Identifier: Apache-2.0
// The pilot's evidence (docs/civil-service.md, "The evidence"): SQL over the events kiosks
// pushed, the checks that keep unfit service and survey events out, and the JSON and CSV
// the dashboard and the admin CLI give.
#include <fmt/format.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "csv_cells.hpp"
#include "evidence_rules.hpp"
#include "evidence_sql.hpp"
#include "seba/error.hpp"
#include "seba/tcv.hpp"
#include "seba/utf8.hpp"

namespace seba::server {

namespace {

using nlohmann::json;

// The services delivered: every stored event with a `tcv` member, the first received per
// (centre, tracking number). tcv_tracking (migration 9) is filled at push for them and for
// surveys; the partial index server__events_tcv holds exactly those events, in that order.
constexpr const char* kDelivered = R"sql(
delivered AS (
    SELECT e.centre AS centre,
           e.tcv_tracking AS tracking,
           json_extract(e.payload, '$.tcv.service') AS service,
           json_extract(e.payload, '$.tcv.arrived_at') AS arrived_at,
           json_extract(e.payload, '$.tcv.ended_at') AS ended_at,
           json_extract(e.payload, '$.tcv.cost') AS cost,
           row_number() OVER (PARTITION BY e.centre, e.tcv_tracking
                              ORDER BY e.received_at, e.rowid) AS nth
    FROM server__events e
    WHERE e.tcv_tracking IS NOT NULL AND e.type != 'tcv.survey'
))sql";

// The exit surveys: the first received per (centre, tracking number).
constexpr const char* kSurveyed = R"sql(
surveyed AS (
    SELECT e.centre AS centre,
           e.tcv_tracking AS tracking,
           json_extract(e.payload, '$.visits') AS visits,
           json_extract(e.payload, '$.travel_minutes') AS travel_minutes,
           json_extract(e.payload, '$.travel_cost') AS travel_cost,
           json_extract(e.payload, '$.paid_extra') AS paid_extra,
           json_extract(e.payload, '$.extra_amount') AS extra_amount,
           json_extract(e.payload, '$.rating') AS rating,
           row_number() OVER (PARTITION BY e.centre, e.tcv_tracking
                              ORDER BY e.received_at, e.rowid) AS nth
    FROM server__events e
    WHERE e.tcv_tracking IS NOT NULL AND e.type = 'tcv.survey'
))sql";

// Per service delivered that the filter keeps (?1 from month, ?2 to month, ?3 region,
// ?4 district, ?5 centre, ?6 service; '' keeps all): its group, its minutes at the centre
// and, when surveyed, what the citizen spent. {area} is the level's column.
constexpr const char* kRowsSql = R"sql(
WITH {delivered}, {surveyed},
counted AS (
    SELECT substr(d.ended_at, 1, 7) AS month, {area} AS area, d.service AS service,
           (julianday(d.ended_at) - julianday(d.arrived_at)) * 1440.0 AS centre_minutes,
           d.cost AS cost, s.tracking IS NOT NULL AS surveyed, s.visits AS visits,
           s.travel_minutes AS travel_minutes, s.travel_cost AS travel_cost,
           s.paid_extra AS paid_extra, s.extra_amount AS extra_amount, s.rating AS rating
    FROM delivered d
    JOIN server__centres c ON c.id = d.centre
    LEFT JOIN surveyed s ON s.centre = d.centre AND s.tracking = d.tracking AND s.nth = 1
    WHERE d.nth = 1
      AND (?1 = '' OR substr(d.ended_at, 1, 7) >= ?1)
      AND (?2 = '' OR substr(d.ended_at, 1, 7) <= ?2)
      AND (?3 = '' OR c.region = ?3)
      AND (?4 = '' OR c.district = ?4)
      AND (?5 = '' OR c.id = ?5)
      AND (?6 = '' OR d.service = ?6)
),
spent AS (
    SELECT month, area, service, centre_minutes, surveyed, visits, paid_extra, rating,
           CASE WHEN surveyed AND visits IS NOT NULL AND travel_minutes IS NOT NULL
                THEN centre_minutes + visits * 2 * travel_minutes END AS minutes,
           CASE WHEN surveyed AND visits IS NOT NULL AND travel_cost IS NOT NULL
                THEN cost + visits * 2 * travel_cost + coalesce(extra_amount, 0) END AS total_cost
    FROM counted
),
-- Each figure ranked within its group; a request without the figure sorts last, so the
-- ranks 1..n are those of the n requests that have it.
ranked AS (
    SELECT *,
           row_number() OVER (g ORDER BY centre_minutes NULLS LAST) AS rank_centre,
           count(centre_minutes) OVER g AS n_centre,
           row_number() OVER (g ORDER BY minutes NULLS LAST) AS rank_minutes,
           count(minutes) OVER g AS n_minutes,
           row_number() OVER (g ORDER BY total_cost NULLS LAST) AS rank_cost,
           count(total_cost) OVER g AS n_cost,
           row_number() OVER (g ORDER BY surveyed_visits NULLS LAST) AS rank_visits,
           count(surveyed_visits) OVER g AS n_visits
    FROM (SELECT *, CASE WHEN surveyed THEN visits END AS surveyed_visits FROM spent)
    WINDOW g AS (PARTITION BY month, area, service)
)
-- Nearest rank: the p-th percentile of n values is the one at rank ceil(p * n / 100).
SELECT month, area, service, count(*) AS requests,
       max(CASE WHEN rank_centre = (50 * n_centre + 99) / 100 THEN centre_minutes END),
       max(CASE WHEN rank_centre = (90 * n_centre + 99) / 100 THEN centre_minutes END),
       sum(surveyed) AS surveys,
       max(CASE WHEN rank_minutes = (50 * n_minutes + 99) / 100 THEN minutes END), max(n_minutes),
       max(CASE WHEN rank_cost = (50 * n_cost + 99) / 100 THEN total_cost END), max(n_cost),
       max(CASE WHEN rank_visits = (50 * n_visits + 99) / 100 THEN surveyed_visits END),
       max(n_visits),
       sum(surveyed AND paid_extra = 1),
       sum(surveyed AND rating = 1), sum(surveyed AND rating = 2), sum(surveyed AND rating = 3),
       sum(surveyed AND rating = 4), sum(surveyed AND rating = 5),
       avg(CASE WHEN surveyed AND rating BETWEEN 1 AND 5 THEN rating END)
FROM ranked
GROUP BY month, area, service
ORDER BY month, area, service
)sql";

// Grievances filed: the first received per (centre, reference), in the month the kiosk
// recorded it; resolved when the centre's answer says "resolved" or "rejected". The service
// filter keeps the grievances about that service.
constexpr const char* kGrievancesSql = R"sql(
WITH filed AS (
    SELECT e.centre AS centre,
           json_extract(e.payload, '$.reference') AS reference,
           coalesce(json_extract(e.payload, '$.category'), '') AS category,
           coalesce(json_extract(e.payload, '$.service'), '') AS service,
           substr(coalesce(nullif(e.created_at, ''), e.received_at), 1, 7) AS month,
           row_number() OVER (PARTITION BY e.centre, json_extract(e.payload, '$.reference')
                              ORDER BY e.received_at, e.rowid) AS nth
    FROM server__events e
    WHERE e.type = 'civil_service.grievance' AND json_valid(e.payload)
      AND json_type(e.payload, '$.reference') = 'text'
)
SELECT f.month, {area} AS area, f.category, count(*) AS filed,
       sum(EXISTS (SELECT 1 FROM server__channel_records r
                   WHERE r.channel = 'civil_service.grievances' AND r.scope = f.centre
                     AND r.key = f.reference AND r.data IS NOT NULL AND json_valid(r.data)
                     AND json_extract(r.data, '$.status') IN ('resolved', 'rejected')))
FROM filed f
JOIN server__centres c ON c.id = f.centre
WHERE f.nth = 1
  AND (?1 = '' OR f.month >= ?1)
  AND (?2 = '' OR f.month <= ?2)
  AND (?3 = '' OR c.region = ?3)
  AND (?4 = '' OR c.district = ?4)
  AND (?5 = '' OR c.id = ?5)
  AND (?6 = '' OR f.service = ?6)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
)sql";

std::string_view area_column(EvidenceLevel level) {
    switch (level) {
        case EvidenceLevel::Country:
            return "''";
        case EvidenceLevel::Region:
            return "c.region";
        case EvidenceLevel::District:
            return "c.district";
        case EvidenceLevel::Centre:
            return "c.id";
    }
    return "''";
}

void bind_filter(Statement& statement, const EvidenceFilter& f) {
    statement.bind_all(f.from_month, f.to_month, f.region, f.district, f.centre, f.service);
}

std::optional<double> optional_real(const Statement& row, int column) {
    if (row.is_null(column)) return std::nullopt;
    return row.real(column);
}

// The catalog's names of the services the rows name (at most a few hundred), each name cut
// to 200 bytes: the catalog is the pilot's, but the page is for everyone.
void read_service_names(Database& db, Evidence& evidence) {
    std::set<std::string> wanted;
    for (const EvidenceRow& r : evidence.rows) wanted.insert(r.service);
    Statement row = db.prepare(
        "SELECT data FROM server__channel_records WHERE channel = 'dc.services' AND scope = '' "
        "AND key = ? AND data IS NOT NULL");
    for (const std::string& service : wanted) {
        row.reset();
        row.bind_all("service/" + service);
        if (!row.step()) continue;
        add_service_names(evidence, service, row.text(0));
    }
}

// The baselines published on channel tcv.baselines, by service id.
Baselines read_baselines(Database& db) {
    Baselines out;
    Statement rows = db.prepare(
        "SELECT key, data FROM server__channel_records WHERE channel = 'tcv.baselines' AND "
        "scope = '' AND data IS NOT NULL");
    while (rows.step())
        if (std::optional<Baseline> b = baseline_from(rows.text(0), rows.text(1)))
            out.emplace(b->service, std::move(*b));
    return out;
}

EvidenceFigures read_figures(const Statement& row) {
    EvidenceFigures f;
    f.month = row.text(0);
    f.area = row.text(1);
    f.service = row.text(2);
    f.requests = row.integer(3);
    f.median_centre_minutes = optional_real(row, 4);
    f.p90_centre_minutes = optional_real(row, 5);
    f.surveys = row.integer(6);
    f.median_minutes = optional_real(row, 7);
    f.minutes_answers = row.integer(8);
    f.median_cost = optional_real(row, 9);
    f.cost_answers = row.integer(10);
    f.median_visits = optional_real(row, 11);
    f.visits_answers = row.integer(12);
    f.paid_extra = row.integer(13);
    for (int i = 0; i < 5; ++i) f.ratings[static_cast<std::size_t>(i)] = row.integer(14 + i);
    f.mean_rating = optional_real(row, 19);
    return f;
}

// A median of the surveys, when enough of them answered what it needs.
std::optional<double> shown_median(const std::optional<double>& median, std::int64_t answers) {
    if (answers < kMinAnswersShown) return std::nullopt;
    return median;
}

std::optional<double> saved(const std::optional<Baseline>& baseline, double Baseline::*figure,
                            const std::optional<double>& median) {
    if (!baseline || !median) return std::nullopt;
    return (*baseline).*figure - *median;
}

// At most one decimal: 7, 7.5, -3.2; what JSON and CSV show.
double one_decimal(double value) {
    return std::round(value * 10.0) / 10.0;
}

json number_or_null(const std::optional<double>& value) {
    return value ? json(one_decimal(*value)) : json(nullptr);
}

std::string csv_number(double value) {
    const double rounded = one_decimal(value);
    if (rounded == std::trunc(rounded)) return fmt::format("{:.0f}", rounded);
    return fmt::format("{:.1f}", rounded);
}

std::string csv_number(const std::optional<double>& value) {
    return value ? csv_number(*value) : std::string();
}

// The fields of one grievance, or of one survey, that its checks need.
bool has_member(const json& payload, const char* name) {
    return payload.is_object() && payload.contains(name);
}

json parse_payload(const StoredEvent& event) {
    return json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
}

}  // namespace

std::optional<EvidenceLevel> parse_evidence_level(std::string_view word) {
    if (word == "country") return EvidenceLevel::Country;
    if (word == "region") return EvidenceLevel::Region;
    if (word == "district") return EvidenceLevel::District;
    if (word == "centre") return EvidenceLevel::Centre;
    return std::nullopt;
}

std::string_view to_string(EvidenceLevel level) {
    switch (level) {
        case EvidenceLevel::Country:
            return "country";
        case EvidenceLevel::Region:
            return "region";
        case EvidenceLevel::District:
            return "district";
        case EvidenceLevel::Centre:
            return "centre";
    }
    return "country";
}

namespace {

// A place's name as pilots write them, in any script: "Fargʻona", "Фарғона", "কুমিল্লা" (whose
// vowel signs are marks), "Cox's Bazar"; never markup or control characters.
bool place_name(std::string_view name) {
    if (name.size() > 64) return false;
    const std::optional<std::u32string> code_points = utf8::to_utf32_strict(name);
    if (!code_points) return false;
    for (char32_t c : *code_points) {
        const UChar32 u = static_cast<UChar32>(c);
        const bool allowed = u_isalnum(u) || (U_GET_GC_MASK(u) & U_GC_M_MASK) != 0 || c == U' ' ||
                             c == U'.' || c == U'-' || c == U'\'' || c == U'\u02BB' ||
                             c == U'\u02BC' || c == U'\u2018' || c == U'\u2019' || c == U'\u200C' ||
                             c == U'\u200D';
        if (!allowed) return false;
    }
    return true;
}

}  // namespace

bool may_concern_evidence(const StoredEvent& event) {
    return event.type == tcv::kSurveyEvent || event.payload.find("\"tcv\"") != std::string::npos;
}

std::string survey_tracking(const StoredEvent& event) {
    const json payload = parse_payload(event);
    auto it = payload.is_object() ? payload.find("tracking") : payload.end();
    return payload.is_object() && it != payload.end() && it->is_string() ? it->get<std::string>()
                                                                         : std::string();
}

std::optional<Baseline> baseline_from(const std::string& service, std::string_view text_data) {
    const json data = json::parse(text_data, nullptr, false);
    if (!data.is_object()) return std::nullopt;
    auto number = [&](const char* name) -> std::optional<double> {
        auto it = data.find(name);
        if (it == data.end() || !it->is_number()) return std::nullopt;
        return it->get<double>();
    };
    auto text = [&](const char* name) {
        auto it = data.find(name);
        return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::optional<double> minutes = number("minutes"), cost = number("cost"),
                          visits = number("visits");
    if (!minutes || !cost || !visits) return std::nullopt;
    auto illustrative = data.find("illustrative");
    return Baseline{.service = service,
                    .minutes = *minutes,
                    .cost = *cost,
                    .visits = *visits,
                    .currency = text("currency"),
                    .source = text("source"),
                    .illustrative = illustrative != data.end() && illustrative->is_boolean() &&
                                    illustrative->get<bool>()};
}

EvidenceRow evidence_row(const EvidenceFigures& f, const Baselines& baselines) {
    EvidenceRow r;
    r.month = f.month;
    r.area = f.area;
    r.service = f.service;
    r.requests = f.requests;
    r.median_centre_minutes = f.median_centre_minutes;
    r.p90_centre_minutes = f.p90_centre_minutes;
    r.surveys = f.surveys;
    if (auto b = baselines.find(r.service); b != baselines.end()) r.baseline = b->second;
    // Privacy: too few surveys could be one citizen's own answers; the count alone stays.
    if (r.surveys < kMinAnswersShown) return r;
    r.median_minutes = shown_median(f.median_minutes, f.minutes_answers);
    r.median_cost = shown_median(f.median_cost, f.cost_answers);
    r.median_visits = shown_median(f.median_visits, f.visits_answers);
    r.saved_minutes = saved(r.baseline, &Baseline::minutes, r.median_minutes);
    r.saved_cost = saved(r.baseline, &Baseline::cost, r.median_cost);
    r.saved_visits = saved(r.baseline, &Baseline::visits, r.median_visits);
    r.paid_extra = f.paid_extra;
    r.ratings = f.ratings;
    r.mean_rating = f.mean_rating;
    return r;
}

void add_service_names(Evidence& evidence, const std::string& service, std::string_view text) {
    const json data = json::parse(text, nullptr, false);
    if (!data.is_object() || !data.contains("names") || !data["names"].is_object()) return;
    for (const auto& [language, name] : data["names"].items())
        if (name.is_string() && language.size() <= 35)
            evidence.service_names[service][language] =
                std::string(utf8::truncated(name.get<std::string>(), 200));
}

std::string check(const EvidenceFilter& filter) {
    static const std::regex kMonth(R"((19|20)\d\d-(0[1-9]|1[0-2]))");
    for (const std::string* month : {&filter.from_month, &filter.to_month})
        if (!month->empty() && !std::regex_match(*month, kMonth))
            return fmt::format("\"{}\" is not a month: write YYYY-MM, e.g. 2026-11", *month);
    if (!filter.from_month.empty() && !filter.to_month.empty() &&
        filter.from_month > filter.to_month)
        return fmt::format("the months are the wrong way round: {} is after {}", filter.from_month,
                           filter.to_month);
    static const std::regex kId(R"([A-Za-z0-9._-]{0,64})");
    for (const std::string* id : {&filter.centre, &filter.service})
        if (!std::regex_match(*id, kId))
            return "a centre or service is up to 64 letters, digits, '.', '_' or '-'";
    for (const std::string* place : {&filter.region, &filter.district})
        if (!place_name(*place))
            return "a region or district is up to 64 letters, digits, spaces, '.', '-' or "
                   "apostrophes, in any script";
    return {};
}

Evidence compute_evidence(Database& db, EvidenceLevel level, const EvidenceFilter& filter) {
    Evidence evidence;
    evidence.level = level;
    evidence.filter = filter;
    evidence.computed_at = utc_now_iso();
    // One read transaction: the rows, the grievances and the baselines agree.
    db.exec("BEGIN");
    try {
        const auto baselines = read_baselines(db);
        Statement rows = db.prepare(fmt::format(kRowsSql, fmt::arg("delivered", kDelivered),
                                                fmt::arg("surveyed", kSurveyed),
                                                fmt::arg("area", area_column(level))));
        bind_filter(rows, filter);
        while (rows.step()) evidence.rows.push_back(evidence_row(read_figures(rows), baselines));

        Statement grievances =
            db.prepare(fmt::format(kGrievancesSql, fmt::arg("area", area_column(level))));
        bind_filter(grievances, filter);
        while (grievances.step())
            evidence.grievances.push_back({grievances.text(0), grievances.text(1),
                                           grievances.text(2), grievances.integer(3),
                                           grievances.integer(4)});
        read_service_names(db, evidence);
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
    return evidence;
}

std::string evidence_content_problem(const StoredEvent& event) {
    if (!may_concern_evidence(event)) return {};
    const json payload = parse_payload(event);
    std::string problem;
    if (has_member(payload, "tcv") && !tcv::read_delivered(payload["tcv"], &problem))
        return fmt::format("its \"tcv\" member is not a service delivered: {}", problem);
    if (event.type == tcv::kSurveyEvent && !tcv::read_survey(payload, &problem))
        return fmt::format("not an exit survey seba-server can count: {}", problem);
    return {};
}

bool fit_for_evidence(Database& db, const StoredEvent& event) {
    if (!may_concern_evidence(event)) return true;
    if (!evidence_content_problem(event).empty()) return false;
    if (event.type != tcv::kSurveyEvent) return true;
    // One lookup in the partial index server__events_tcv.
    Statement found = db.prepare_cached(
        "SELECT 1 FROM server__events WHERE centre = ? AND tcv_tracking = ? AND type != "
        "'tcv.survey' LIMIT 1");
    found.bind_all(event.centre, survey_tracking(event));
    return found.step();
}

std::string rejection_reason(const StoredEvent& event) {
    if (std::string problem = evidence_content_problem(event); !problem.empty()) return problem;
    if (event.type != tcv::kSurveyEvent) return {};
    return fmt::format("no service with tracking number {} was delivered at centre {}",
                       survey_tracking(event), event.centre);
}

std::string evidence_json(const Evidence& evidence) {
    json rows = json::array();
    for (const EvidenceRow& r : evidence.rows) {
        json baseline = nullptr;
        if (r.baseline)
            baseline = {{"minutes", one_decimal(r.baseline->minutes)},
                        {"cost", one_decimal(r.baseline->cost)},
                        {"visits", one_decimal(r.baseline->visits)},
                        {"currency", r.baseline->currency},
                        {"source", r.baseline->source},
                        {"illustrative", r.baseline->illustrative}};
        rows.push_back({{"month", r.month},
                        {"area", r.area},
                        {"service", r.service},
                        {"requests", r.requests},
                        {"median_centre_minutes", number_or_null(r.median_centre_minutes)},
                        {"p90_centre_minutes", number_or_null(r.p90_centre_minutes)},
                        {"surveys", r.surveys},
                        {"median_minutes", number_or_null(r.median_minutes)},
                        {"median_cost", number_or_null(r.median_cost)},
                        {"median_visits", number_or_null(r.median_visits)},
                        {"baseline", std::move(baseline)},
                        {"saved_minutes", number_or_null(r.saved_minutes)},
                        {"saved_cost", number_or_null(r.saved_cost)},
                        {"saved_visits", number_or_null(r.saved_visits)},
                        {"paid_extra", r.paid_extra},
                        {"ratings", r.ratings},
                        {"mean_rating", number_or_null(r.mean_rating)}});
    }
    json grievances = json::array();
    for (const GrievanceRow& g : evidence.grievances)
        grievances.push_back({{"month", g.month},
                              {"area", g.area},
                              {"category", g.category},
                              {"filed", g.filed},
                              {"resolved", g.resolved}});
    const EvidenceFilter& f = evidence.filter;
    json out = {{"level", to_string(evidence.level)},
                {"filter",
                 {{"from", f.from_month},
                  {"to", f.to_month},
                  {"region", f.region},
                  {"district", f.district},
                  {"centre", f.centre},
                  {"service", f.service}}},
                {"computed_at", evidence.computed_at},
                {"min_answers_shown", kMinAnswersShown},
                {"rows", std::move(rows)},
                {"grievances", std::move(grievances)}};
    return out.dump();
}

std::string evidence_csv(const Evidence& evidence) {
    std::string out = csv_line({"kind",
                                "month",
                                "area",
                                "service",
                                "category",
                                "requests",
                                "median_centre_minutes",
                                "p90_centre_minutes",
                                "surveys",
                                "median_minutes",
                                "median_cost",
                                "median_visits",
                                "baseline_minutes",
                                "baseline_cost",
                                "baseline_visits",
                                "baseline_currency",
                                "baseline_source",
                                "baseline_illustrative",
                                "saved_minutes",
                                "saved_cost",
                                "saved_visits",
                                "paid_extra",
                                "rating_1",
                                "rating_2",
                                "rating_3",
                                "rating_4",
                                "rating_5",
                                "mean_rating",
                                "grievances_filed",
                                "grievances_resolved"});
    auto count = [](std::int64_t n) { return std::to_string(n); };
    for (const EvidenceRow& r : evidence.rows) {
        const std::optional<Baseline>& b = r.baseline;
        std::vector<std::string> cells = {"service",
                                          csv_text(r.month),
                                          csv_text(r.area),
                                          csv_text(r.service),
                                          "",
                                          count(r.requests),
                                          csv_number(r.median_centre_minutes),
                                          csv_number(r.p90_centre_minutes),
                                          count(r.surveys),
                                          csv_number(r.median_minutes),
                                          csv_number(r.median_cost),
                                          csv_number(r.median_visits),
                                          b ? csv_number(b->minutes) : "",
                                          b ? csv_number(b->cost) : "",
                                          b ? csv_number(b->visits) : "",
                                          b ? csv_text(b->currency) : "",
                                          b ? csv_text(b->source) : "",
                                          b ? (b->illustrative ? "true" : "false") : "",
                                          csv_number(r.saved_minutes),
                                          csv_number(r.saved_cost),
                                          csv_number(r.saved_visits),
                                          count(r.paid_extra)};
        for (std::int64_t n : r.ratings) cells.push_back(count(n));
        cells.push_back(csv_number(r.mean_rating));
        cells.push_back("");
        cells.push_back("");
        out += csv_line(cells);
    }
    for (const GrievanceRow& g : evidence.grievances) {
        std::vector<std::string> cells(30);
        cells[0] = "grievance";
        cells[1] = csv_text(g.month);
        cells[2] = csv_text(g.area);
        cells[4] = csv_text(g.category);
        cells[28] = count(g.filed);
        cells[29] = count(g.resolved);
        out += csv_line(cells);
    }
    return out;
}

}  // namespace seba::server
