// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Civil Service Reform's grievances on the server: the answer to a complaint a kiosk filed
/// (event "civil_service.grievance"), published on the per-centre channel
/// "civil_service.grievances" keyed by the complaint's reference, where the kiosks of that
/// centre find it when the citizen checks (docs/civil-service.md, "Grievances").

#include <map>
#include <string>

#include "seba/server/store.hpp"

namespace seba::server {

/// What an administrator answers.
struct GrievanceAnswer {
    std::string centre;
    std::string reference;  ///< as typed; matched to the received complaint ignoring case
    std::string status;     ///< received, in_progress, resolved or rejected
    /// A note for the citizen by language ("en", "bn", ...): at most 8 languages, each at most
    /// 500 characters. May be empty.
    std::map<std::string, std::string> note;
};

/// Publishes (or updates) the answer's record for its centre, answered now, with replace=false
/// (the centre's other answers stay), and audits it as "grievance.answered" by `actor` (the
/// note stays out of the audit log). Throws seba::Error for an unknown centre, a status that
/// is not one, a note too long or in no language, or a reference no complaint received from
/// that centre carries. Returns what the publish changed.
PublishReport answer_grievance(Store& store, const GrievanceAnswer& answer, std::string_view actor);

}  // namespace seba::server
