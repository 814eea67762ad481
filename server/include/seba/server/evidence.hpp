// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The pilot's evidence (docs/civil-service.md): Time, Cost and Visits per service, area and
/// month, against the traditional baseline, from the events kiosks pushed. Computed by SQL in
/// the store, so late events count in the month of their service and an event or a survey
/// sent twice counts once. Figures are aggregates only: nothing here names or lists one
/// citizen's answers.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seba::server {

/// How far figures are summed: the whole country, or per region, district or centre.
enum class EvidenceLevel { Country, Region, District, Centre };

/// "country", "region", "district", "centre"; nullopt for another word.
std::optional<EvidenceLevel> parse_evidence_level(std::string_view word);
std::string_view to_string(EvidenceLevel level);

/// Which services are counted. Empty fields do not filter. Months are "YYYY-MM", inclusive,
/// of the service's end (by the kiosk's corrected clock).
struct EvidenceFilter {
    std::string from_month;
    std::string to_month;
    std::string region;
    std::string district;
    std::string centre;
    std::string service;
};

/// Checks a filter's fields (months real and in order; centre and service [A-Za-z0-9._-]{0,64};
/// region and district place names of any script, docs/civil-service.md);
/// empty when fine, else what is wrong, for the person who typed it.
std::string check(const EvidenceFilter& filter);

/// The traditional Time, Cost and Visits of a service before Seba (channel `tcv.baselines`,
/// one record per service id), with where the figures come from.
struct Baseline {
    std::string service;
    double minutes = 0;  ///< a citizen's whole time for the service: travel, waiting, processing
    double cost = 0;     ///< fees, travel and other payments, whole units of currency
    double visits = 0;
    std::string currency;
    std::string source;
    bool illustrative = false;  ///< not measured: a demo or an estimate
};

/// One service in one area and month. Percentiles are nearest-rank (the value at rank
/// ceil(p/100 * n) of the n values in order); none when there are no values.
struct EvidenceRow {
    std::string month;          ///< "YYYY-MM"
    std::string area;           ///< "" for the country; the region, district or centre id
    std::string service;        ///< the catalog's service id
    std::int64_t requests = 0;  ///< services delivered (distinct tracking numbers)
    /// At the centre: from arriving at the kiosk to the confirmed request, in minutes.
    std::optional<double> median_centre_minutes;
    std::optional<double> p90_centre_minutes;
    std::int64_t surveys = 0;  ///< of those requests, how many have a survey (first one counts)
    /// Per surveyed request, what the citizen spent for this service (docs/civil-service.md):
    /// time = at the centre + visits x 2 x one-way journey; cost = paid at the centre +
    /// visits x 2 x one-way journey cost + extra payments; visits as reported. Medians over
    /// the surveys that answered what each needs.
    std::optional<double> median_minutes;
    std::optional<double> median_cost;
    std::optional<double> median_visits;
    std::optional<Baseline> baseline;
    /// baseline - median: positive is a saving. None without a baseline or a median.
    std::optional<double> saved_minutes;
    std::optional<double> saved_cost;
    std::optional<double> saved_visits;
    std::int64_t paid_extra = 0;            ///< surveys that said they paid someone extra
    std::array<std::int64_t, 5> ratings{};  ///< surveys that gave 1..5 faces
    std::optional<double> mean_rating;
};

/// A row's survey figures are shown only when at least this many surveys answered, so that
/// no citizen's answers can be read from them; a median of the surveys also needs this many
/// answers to what it needs (docs/civil-service.md, "The evidence").
inline constexpr int kMinAnswersShown = 5;

/// Grievances filed in one area and month, per category.
struct GrievanceRow {
    std::string month;
    std::string area;
    std::string category;
    std::int64_t filed = 0;
    std::int64_t resolved = 0;  ///< answered "resolved" or "rejected" by the centre since
};

struct Evidence {
    EvidenceLevel level = EvidenceLevel::Country;
    EvidenceFilter filter;
    std::vector<EvidenceRow> rows;         ///< by month, area, service
    std::vector<GrievanceRow> grievances;  ///< by month, area, category
    std::string computed_at;               ///< UTC ISO 8601
    /// The names of the services in the rows, by service id and then language, from the
    /// Digital Centre's catalog (channel dc.services, records "service/<id>"): people read
    /// "Birth registration", not "birth_registration".
    std::map<std::string, std::map<std::string, std::string>> service_names;
};

/// The evidence as JSON (docs/civil-service.md, "The evidence"): figures rounded to one
/// decimal, null where a figure is left out.
std::string evidence_json(const Evidence& evidence);
/// The evidence as CSV (RFC 4180, CRLF, a header row): one line per service row, then one per
/// grievance row (column "kind"); numbers with at most one decimal; a text cell that starts
/// with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet does not run it.
std::string evidence_csv(const Evidence& evidence);

}  // namespace seba::server
