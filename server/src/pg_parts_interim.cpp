// SPDX-License-Identifier: Apache-2.0
// INTERIM (issue 22): stand-ins for the PostgreSQL store's parts another branch writes
// (pg_evidence.cpp, pg_nise.cpp, pg_learners.cpp; their contract is pg_parts.hpp). This file
// goes away when they land on main. Events these parts do not concern pass as they would
// with the real parts (most pushes); anything that needs them throws.
#include <string>

#include "pg_parts.hpp"
#include "seba/error.hpp"

namespace seba::server::pg {

namespace {

[[noreturn]] void not_yet(const char* what) {
    throw Error(std::string(what) + " is not yet on PostgreSQL (issue 22: pg_parts)");
}

}  // namespace

Evidence compute_evidence(pqxx::work&, EvidenceLevel, const EvidenceFilter&) {
    not_yet("the evidence");
}

bool fit_for_evidence(pqxx::work&, const StoredEvent& event) {
    // Neither a survey nor a service delivered with a "tcv" member: nothing to check.
    if (event.type != "tcv.survey" && event.payload.find("\"tcv\"") == std::string::npos)
        return true;
    not_yet("the evidence's events");
}

namespace nise {

const char* const kSchema = "SELECT 1";

std::optional<std::string> take(pqxx::work&, const StoredEvent& event) {
    if (!event.type.starts_with("nise.")) return std::nullopt;
    not_yet("NISE");
}

std::string rejection(pqxx::work&, const StoredEvent& event) {
    if (!event.type.starts_with("nise.")) return {};
    not_yet("NISE");
}

std::vector<server::nise::Referral> list(pqxx::work&, std::string_view, std::string_view) {
    not_yet("NISE");
}

std::optional<server::nise::Referral> find(pqxx::work&, std::string_view, std::string_view) {
    not_yet("NISE");
}

void set_status(pqxx::work&, std::string_view, std::string_view, std::string_view,
                std::string_view) {
    not_yet("NISE");
}

}  // namespace nise

namespace muktopaath {

const char* const kSchema = "SELECT 1";

std::optional<std::string> project(pqxx::work&, const StoredEvent& event) {
    if (!event.type.starts_with("muktopaath.")) return std::nullopt;
    not_yet("MuktoPaath's learners");
}

}  // namespace muktopaath

}  // namespace seba::server::pg
