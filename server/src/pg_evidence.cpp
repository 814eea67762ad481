// SPDX-License-Identifier: Apache-2.0
// The evidence in the PostgreSQL store (pg_parts.hpp): evidence.cpp's SQL in PostgreSQL, with
// the same results to the last bit. The payloads are text exactly as the kiosks sent them; the
// push path wrote each as nlohmann's dump of the JSON it parsed (requests.cpp), and an event
// files a tracking number only when its payload parsed (rules::tcv_tracking), so these
// queries read them as json. What SQLite computes is computed the same way: julianday's
// milliseconds as a double, numbers as doubles, text ordered by its bytes (COLLATE "C"), and
// ties of received_at broken by the order rows were written (seq, as SQLite's rowid). A \u0000
// escape is the one JSON PostgreSQL cannot read as text: it is read as U+FFFD, so that one
// kiosk's odd payload cannot make the evidence fail for everyone.
#include <fmt/format.h>

#include <set>

#include "evidence_rules.hpp"
#include "evidence_sql.hpp"
#include "pg_parts.hpp"
#include "seba/storage.hpp"
#include "seba/tcv.hpp"

namespace seba::server::pg {

namespace {

// A member as SQLite's json_extract gives it to arithmetic: a number, or true 1 and false 0.
std::string number(std::string_view member) {
    return fmt::format(
        "(CASE json_typeof({0}) WHEN 'number' THEN ({0} #>> '{{}}')::float8 "
        "WHEN 'boolean' THEN CASE WHEN ({0} #>> '{{}}') = 'true' THEN 1.0::float8 ELSE "
        "0.0::float8 END END)",
        member);
}

// A time as SQLite's julianday(): whole milliseconds since the Julian epoch, as days.
std::string julian_day(std::string_view text) {
    return fmt::format(
        "((round(extract(epoch FROM ({0})::timestamptz) * 1000)::bigint + 210866760000000)"
        "::float8 / 86400000.0::float8)",
        text);
}

const std::string kDelivered = fmt::format(R"sql(
delivered AS (
    SELECT e.centre AS centre,
           e.tcv_tracking AS tracking,
           e.j -> 'tcv' ->> 'service' AS service,
           e.j -> 'tcv' ->> 'arrived_at' AS arrived_at,
           e.j -> 'tcv' ->> 'ended_at' AS ended_at,
           {cost} AS cost,
           row_number() OVER (PARTITION BY e.centre, e.tcv_tracking
                              ORDER BY e.received_at COLLATE "C", e.seq) AS nth
    FROM (SELECT centre, tcv_tracking, received_at, seq, replace(payload, '\u0000', '\ufffd')::json AS j
          FROM server__events WHERE tcv_tracking IS NOT NULL AND type <> 'tcv.survey') e
))sql",
                                           fmt::arg("cost", number("e.j -> 'tcv' -> 'cost'")));

const std::string kSurveyed = fmt::format(
    R"sql(
surveyed AS (
    SELECT e.centre AS centre,
           e.tcv_tracking AS tracking,
           {visits} AS visits,
           {travel_minutes} AS travel_minutes,
           {travel_cost} AS travel_cost,
           {paid_extra} AS paid_extra,
           {extra_amount} AS extra_amount,
           {rating} AS rating,
           row_number() OVER (PARTITION BY e.centre, e.tcv_tracking
                              ORDER BY e.received_at COLLATE "C", e.seq) AS nth
    FROM (SELECT centre, tcv_tracking, received_at, seq, replace(payload, '\u0000', '\ufffd')::json AS j
          FROM server__events WHERE tcv_tracking IS NOT NULL AND type = 'tcv.survey') e
))sql",
    fmt::arg("visits", number("e.j -> 'visits'")),
    fmt::arg("travel_minutes", number("e.j -> 'travel_minutes'")),
    fmt::arg("travel_cost", number("e.j -> 'travel_cost'")),
    fmt::arg("paid_extra", number("e.j -> 'paid_extra'")),
    fmt::arg("extra_amount", number("e.j -> 'extra_amount'")),
    fmt::arg("rating", number("e.j -> 'rating'")));

// As evidence.cpp's kRowsSql ($1 from month, $2 to month, $3 region, $4 district, $5 centre,
// $6 service; '' keeps all), column for column.
constexpr const char* kRowsSql = R"sql(
WITH {delivered}, {surveyed},
counted AS (
    SELECT substr(d.ended_at, 1, 7) AS month, {area} AS area, d.service AS service,
           ({ended} - {arrived}) * 1440.0::float8 AS centre_minutes,
           d.cost AS cost, s.tracking IS NOT NULL AS surveyed, s.visits AS visits,
           s.travel_minutes AS travel_minutes, s.travel_cost AS travel_cost,
           s.paid_extra AS paid_extra, s.extra_amount AS extra_amount, s.rating AS rating
    FROM delivered d
    JOIN server__centres c ON c.id = d.centre
    LEFT JOIN surveyed s ON s.centre = d.centre AND s.tracking = d.tracking AND s.nth = 1
    WHERE d.nth = 1
      AND ($1 = '' OR substr(d.ended_at, 1, 7) >= $1 COLLATE "C")
      AND ($2 = '' OR substr(d.ended_at, 1, 7) <= $2 COLLATE "C")
      AND ($3 = '' OR c.region = $3)
      AND ($4 = '' OR c.district = $4)
      AND ($5 = '' OR c.id = $5)
      AND ($6 = '' OR d.service = $6)
),
spent AS (
    SELECT month, area, service, centre_minutes, surveyed, visits, paid_extra, rating,
           CASE WHEN surveyed AND visits IS NOT NULL AND travel_minutes IS NOT NULL
                THEN centre_minutes + visits * 2 * travel_minutes END AS minutes,
           CASE WHEN surveyed AND visits IS NOT NULL AND travel_cost IS NOT NULL
                THEN cost + visits * 2 * travel_cost + coalesce(extra_amount, 0) END AS total_cost
    FROM counted
),
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
    FROM (SELECT *, CASE WHEN surveyed THEN visits END AS surveyed_visits FROM spent) sp
    WINDOW g AS (PARTITION BY month, area, service)
),
grouped AS (
SELECT month, area, service, count(*) AS requests,
       max(CASE WHEN rank_centre = (50 * n_centre + 99) / 100 THEN centre_minutes END),
       max(CASE WHEN rank_centre = (90 * n_centre + 99) / 100 THEN centre_minutes END),
       count(*) FILTER (WHERE surveyed) AS surveys,
       max(CASE WHEN rank_minutes = (50 * n_minutes + 99) / 100 THEN minutes END), max(n_minutes),
       max(CASE WHEN rank_cost = (50 * n_cost + 99) / 100 THEN total_cost END), max(n_cost),
       max(CASE WHEN rank_visits = (50 * n_visits + 99) / 100 THEN surveyed_visits END),
       max(n_visits),
       count(*) FILTER (WHERE surveyed AND paid_extra = 1),
       count(*) FILTER (WHERE surveyed AND rating = 1),
       count(*) FILTER (WHERE surveyed AND rating = 2),
       count(*) FILTER (WHERE surveyed AND rating = 3),
       count(*) FILTER (WHERE surveyed AND rating = 4),
       count(*) FILTER (WHERE surveyed AND rating = 5),
       avg(CASE WHEN surveyed AND rating BETWEEN 1 AND 5 THEN rating END)
FROM ranked
GROUP BY month, area, service
)
SELECT * FROM grouped
ORDER BY month COLLATE "C", area COLLATE "C", service COLLATE "C"
)sql";

// As evidence.cpp's kGrievancesSql.
constexpr const char* kGrievancesSql = R"sql(
WITH filed AS (
    SELECT e.centre AS centre,
           e.j ->> 'reference' AS reference,
           coalesce(e.j ->> 'category', '') AS category,
           coalesce(e.j ->> 'service', '') AS service,
           substr(coalesce(nullif(e.created_at, ''), e.received_at), 1, 7) AS month,
           row_number() OVER (PARTITION BY e.centre, e.j ->> 'reference'
                              ORDER BY e.received_at COLLATE "C", e.seq) AS nth
    FROM (SELECT centre, created_at, received_at, seq, replace(payload, '\u0000', '\ufffd')::json AS j
          FROM server__events WHERE type = 'civil_service.grievance') e
    WHERE json_typeof(e.j -> 'reference') = 'string'
),
grouped AS (
SELECT f.month AS month, {area} AS area, f.category AS category, count(*) AS filed,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM server__channel_records r
           WHERE r.channel = 'civil_service.grievances' AND r.scope = f.centre
             AND r.key = f.reference AND r.data IS NOT NULL
             AND (r.data::json ->> 'status') IN ('resolved', 'rejected'))) AS resolved
FROM filed f
JOIN server__centres c ON c.id = f.centre
WHERE f.nth = 1
  AND ($1 = '' OR f.month >= $1 COLLATE "C")
  AND ($2 = '' OR f.month <= $2 COLLATE "C")
  AND ($3 = '' OR c.region = $3)
  AND ($4 = '' OR c.district = $4)
  AND ($5 = '' OR c.id = $5)
  AND ($6 = '' OR f.service = $6)
GROUP BY 1, 2, 3
)
SELECT * FROM grouped
ORDER BY month COLLATE "C", area COLLATE "C", category COLLATE "C"
)sql";

std::string_view area_column(EvidenceLevel level) {
    switch (level) {
        case EvidenceLevel::Country:
            return "''::text";
        case EvidenceLevel::Region:
            return "c.region";
        case EvidenceLevel::District:
            return "c.district";
        case EvidenceLevel::Centre:
            return "c.id";
    }
    return "''::text";
}

pqxx::result run_filtered(pqxx::work& tx, const std::string& sql, const EvidenceFilter& f) {
    return tx.exec_params(sql, f.from_month, f.to_month, f.region, f.district, f.centre, f.service);
}

std::optional<double> optional_real(const pqxx::field& field) {
    if (field.is_null()) return std::nullopt;
    return field.as<double>();
}

EvidenceFigures read_figures(const pqxx::row& row) {
    EvidenceFigures f;
    f.month = row[0].as<std::string>();
    f.area = row[1].as<std::string>();
    f.service = row[2].as<std::string>();
    f.requests = row[3].as<std::int64_t>();
    f.median_centre_minutes = optional_real(row[4]);
    f.p90_centre_minutes = optional_real(row[5]);
    f.surveys = row[6].as<std::int64_t>();
    f.median_minutes = optional_real(row[7]);
    f.minutes_answers = row[8].as<std::int64_t>(0);
    f.median_cost = optional_real(row[9]);
    f.cost_answers = row[10].as<std::int64_t>(0);
    f.median_visits = optional_real(row[11]);
    f.visits_answers = row[12].as<std::int64_t>(0);
    f.paid_extra = row[13].as<std::int64_t>();
    for (pqxx::row::size_type i = 0; i < 5; ++i)
        f.ratings[static_cast<std::size_t>(i)] = row[14 + i].as<std::int64_t>();
    f.mean_rating = optional_real(row[19]);
    return f;
}

Baselines read_baselines(pqxx::work& tx) {
    Baselines out;
    for (const pqxx::row& row :
         tx.exec("SELECT key, data FROM server__channel_records WHERE channel = 'tcv.baselines' "
                 "AND scope = '' AND data IS NOT NULL"))
        if (std::optional<Baseline> b =
                baseline_from(row[0].as<std::string>(), row[1].as<std::string>()))
            out.emplace(b->service, std::move(*b));
    return out;
}

void read_service_names(pqxx::work& tx, Evidence& evidence) {
    std::set<std::string> wanted;
    for (const EvidenceRow& r : evidence.rows) wanted.insert(r.service);
    for (const std::string& service : wanted) {
        const pqxx::result row = tx.exec_params(
            "SELECT data FROM server__channel_records WHERE channel = 'dc.services' AND scope = "
            "'' AND key = $1 AND data IS NOT NULL",
            "service/" + service);
        if (!row.empty()) add_service_names(evidence, service, row[0][0].as<std::string>());
    }
}

}  // namespace

Evidence compute_evidence(pqxx::work& tx, EvidenceLevel level, const EvidenceFilter& filter) {
    Evidence evidence;
    evidence.level = level;
    evidence.filter = filter;
    evidence.computed_at = utc_now_iso();
    const Baselines baselines = read_baselines(tx);
    const std::string rows_sql = fmt::format(
        kRowsSql, fmt::arg("delivered", kDelivered), fmt::arg("surveyed", kSurveyed),
        fmt::arg("area", area_column(level)), fmt::arg("ended", julian_day("d.ended_at")),
        fmt::arg("arrived", julian_day("d.arrived_at")));
    for (const pqxx::row& row : run_filtered(tx, rows_sql, filter))
        evidence.rows.push_back(evidence_row(read_figures(row), baselines));
    const std::string grievances_sql =
        fmt::format(kGrievancesSql, fmt::arg("area", area_column(level)));
    for (const pqxx::row& row : run_filtered(tx, grievances_sql, filter))
        evidence.grievances.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                                       row[2].as<std::string>(), row[3].as<std::int64_t>(),
                                       row[4].as<std::int64_t>()});
    read_service_names(tx, evidence);
    return evidence;
}

bool fit_for_evidence(pqxx::work& tx, const StoredEvent& event) {
    if (!may_concern_evidence(event)) return true;
    if (!evidence_content_problem(event).empty()) return false;
    if (event.type != tcv::kSurveyEvent) return true;
    // One lookup in the partial index server__events_tcv.
    return !tx.exec_params(
                  "SELECT 1 FROM server__events WHERE centre = $1 AND tcv_tracking = $2 AND "
                  "type <> 'tcv.survey' LIMIT 1",
                  event.centre, survey_tracking(event))
                .empty();
}

}  // namespace seba::server::pg
