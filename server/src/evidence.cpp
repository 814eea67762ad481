// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include <regex>

#include "evidence_sql.hpp"
#include "seba/error.hpp"

namespace seba::server {

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

std::string check(const EvidenceFilter& filter) {
    static const std::regex kMonth(R"((19|20)\d\d-(0[1-9]|1[0-2]))");
    for (const std::string* month : {&filter.from_month, &filter.to_month})
        if (!month->empty() && !std::regex_match(*month, kMonth))
            return fmt::format("\"{}\" is not a month: write YYYY-MM, e.g. 2026-11", *month);
    if (!filter.from_month.empty() && !filter.to_month.empty() &&
        filter.from_month > filter.to_month)
        return fmt::format("the months are the wrong way round: {} is after {}", filter.from_month,
                           filter.to_month);
    static const std::regex kName(R"([A-Za-z0-9._ -]{0,64})");
    for (const std::string* name :
         {&filter.region, &filter.district, &filter.centre, &filter.service})
        if (!std::regex_match(*name, kName))
            return "a region, district, centre or service is up to 64 letters, digits, spaces, "
                   "'.', '_' or '-'";
    return {};
}

Evidence compute_evidence(Database&, EvidenceLevel, const EvidenceFilter&) {
    throw Error("the evidence is not computed yet");  // replaced by the SQL (issue 20, part 2)
}

}  // namespace seba::server
