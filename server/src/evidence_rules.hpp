// SPDX-License-Identifier: Apache-2.0
#pragma once

// The evidence's rules apart from its SQL (docs/civil-service.md, "The evidence"): what a
// baseline and a catalog name are, and which figures of a group are shown (privacy). The
// SQLite store (evidence.cpp) and the PostgreSQL store (pg_evidence.cpp) both read their
// query's rows into EvidenceFigures and make the rows through these. Pure: no SQL.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "seba/server/evidence.hpp"
#include "seba/server/store.hpp"

namespace seba::server {

/// One group (month, area, service) as the evidence's query gives it, before the rules.
struct EvidenceFigures {
    std::string month;
    std::string area;
    std::string service;
    std::int64_t requests = 0;
    std::optional<double> median_centre_minutes;
    std::optional<double> p90_centre_minutes;
    std::int64_t surveys = 0;
    std::optional<double> median_minutes;
    std::int64_t minutes_answers = 0;
    std::optional<double> median_cost;
    std::int64_t cost_answers = 0;
    std::optional<double> median_visits;
    std::int64_t visits_answers = 0;
    std::int64_t paid_extra = 0;
    std::array<std::int64_t, 5> ratings{};
    std::optional<double> mean_rating;
};

using Baselines = std::map<std::string, Baseline, std::less<>>;

/// A record of channel tcv.baselines as a baseline; nullopt without its three numbers.
std::optional<Baseline> baseline_from(const std::string& service, std::string_view data);
/// A group's row: its baseline, and its survey figures only where enough surveys answered.
EvidenceRow evidence_row(const EvidenceFigures& figures, const Baselines& baselines);
/// Adds the names of `service` from its dc.services record (each cut to 200 bytes).
void add_service_names(Evidence& evidence, const std::string& service, std::string_view data);

/// Whether an event may concern the evidence (a survey, or a payload that names "tcv"): most
/// do not, and are not parsed again.
bool may_concern_evidence(const StoredEvent& event);
/// A survey's `tracking` ("" when it has none).
std::string survey_tracking(const StoredEvent& event);

}  // namespace seba::server
