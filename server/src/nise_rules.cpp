// SPDX-License-Identifier: Apache-2.0
// NISE's checks of a pushed event that need no store (docs/nise.md, "Events"), shared by the
// SQLite and PostgreSQL stores.
#include "nise_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "seba/utf8.hpp"

namespace seba::server::nise {

namespace {

using json = nlohmann::json;

// The limits of docs/nise.md ("Events"); the kiosk keeps to them (plugins/nise/src/profile.hpp).
constexpr std::size_t kMaxBoxBytes = 16 * 1024;
constexpr std::size_t kMaxSealedBytes = 8 * 1024;
constexpr std::size_t kMaxReferenceBytes = 40;
constexpr std::size_t kMaxSkills = 40;
constexpr std::size_t kMaxLanguages = 8;
constexpr std::size_t kMaxPlaceChars = 96;

bool base64_text(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
    });
}

bool education_level(std::string_view id) {
    static const std::set<std::string, std::less<>> kLevels = {
        "none", "primary", "secondary", "higher_secondary", "vocational", "tertiary"};
    return kLevels.count(id) > 0;
}

std::string login_of(const json& p) {
    const std::string& login = payload::text(p, "login");
    if (!payload::is_lower_hex(login, 64)) throw Refused{"login is not 64 lower-case hex digits"};
    return login;
}

// The sealed envelope, when there is one: an object of modest size (the server opens it only
// for the employers' list with --contacts).
void check_sealed(const json& p) {
    auto f = p.find("sealed");
    if (f == p.end()) return;
    if (!f->is_object()) throw Refused{"sealed is not a sealed envelope"};
    if (f->dump().size() > kMaxSealedBytes)
        throw Refused{fmt::format("sealed is larger than {} bytes", kMaxSealedBytes)};
}

void check_profile(const json& p) {
    auto f = p.find("profile");
    if (f == p.end() || !f->is_object()) throw Refused{"profile is missing"};
    const json& profile = *f;
    if (auto e = profile.find("education"); e != profile.end()) {
        if (!e->is_string() ||
            (!e->get_ref<const std::string&>().empty() && !education_level(e->get<std::string>())))
            throw Refused{"profile.education is not an education level"};
    }
    auto skills = profile.find("skills");
    if (skills == profile.end() || !skills->is_array())
        throw Refused{"profile.skills is not a list"};
    if (skills->size() > kMaxSkills)
        throw Refused{fmt::format("profile.skills has {} skills; at most {} are allowed",
                                  skills->size(), kMaxSkills)};
    std::set<std::string> seen;
    for (const json& s : *skills) {
        if (!s.is_object() || !s.contains("skill") || !s["skill"].is_string() ||
            !catalog_id(s["skill"].get_ref<const std::string&>()))
            throw Refused{"a skill of profile.skills has no skill id ([a-z0-9._-]{1,64})"};
        if (!s.contains("verified") || !s["verified"].is_boolean())
            throw Refused{fmt::format("skill {} of profile.skills has no verified true/false",
                                      s["skill"].get<std::string>())};
        if (!seen.insert(s["skill"].get<std::string>()).second)
            throw Refused{fmt::format("skill {} appears twice in profile.skills",
                                      s["skill"].get<std::string>())};
    }
    if (auto l = profile.find("languages"); l != profile.end()) {
        if (!l->is_array()) throw Refused{"profile.languages is not a list"};
        if (l->size() > kMaxLanguages)
            throw Refused{fmt::format("profile.languages has {} languages; at most {} are allowed",
                                      l->size(), kMaxLanguages)};
        for (const json& tag : *l)
            if (!tag.is_string() || !language_tag(tag.get_ref<const std::string&>()))
                throw Refused{"a language of profile.languages is not a language tag"};
    }
    if (auto place = profile.find("place"); place != profile.end()) {
        if (!place->is_string() || !utf8::is_valid(place->get_ref<const std::string&>()))
            throw Refused{"profile.place is not text"};
        if (utf8::count(place->get_ref<const std::string&>()) > kMaxPlaceChars)
            throw Refused{
                fmt::format("profile.place is longer than {} characters", kMaxPlaceChars)};
    }
}

}  // namespace

bool catalog_id(std::string_view s) {
    return payload::is_id(s, "._-");
}

bool reference_text(std::string_view s) {
    return !s.empty() && s.size() <= kMaxReferenceBytes &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
           });
}

bool language_tag(std::string_view tag) {
    return !tag.empty() && tag.size() <= 16 && std::all_of(tag.begin(), tag.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-';
    });
}

std::string comparable_time(const std::string& at) {
    static const std::regex kTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.(\d{1,9}))?Z)");
    std::smatch m;
    if (at.size() > 40 || !std::regex_match(at, m, kTime))
        throw Refused{"saved_at is not a UTC time (YYYY-MM-DDTHH:MM:SS.sssZ)"};
    std::string fraction = m[2].str();
    fraction.resize(9, '0');
    return at.substr(0, 19) + "." + fraction;
}

Checked check_event(const StoredEvent& event) {
    const json p = json::parse(event.payload, nullptr, false);
    if (!p.is_object()) throw Refused{"the payload is not a JSON object"};
    Checked out;
    if (event.type == kSaved) {
        out.kind = Checked::Kind::Saved;
        out.login = login_of(p);
        out.box = payload::text(p, "box");
        if (out.box.size() > kMaxBoxBytes)
            throw Refused{fmt::format("box is {} bytes; at most {} are allowed", out.box.size(),
                                      kMaxBoxBytes)};
        if (!base64_text(out.box)) throw Refused{"box is not base64"};
        out.saved_at = payload::text(p, "saved_at");
        out.saved_when = comparable_time(out.saved_at);
        check_sealed(p);
        return out;
    }
    if (event.type == kWithdrawn) {
        out.kind = Checked::Kind::Withdrawn;
        out.login = login_of(p);
        return out;
    }
    if (event.type == kReferral) {
        out.kind = Checked::Kind::Referral;
        out.reference = payload::text(p, "reference");
        if (!reference_text(out.reference))
            throw Refused{"reference is not 1 to 40 of A-Z, 0-9 and -"};
        out.opportunity = payload::text(p, "opportunity");
        if (!catalog_id(out.opportunity))
            throw Refused{"opportunity is not an opportunity id ([a-z0-9._-]{1,64})"};
        out.referral_kind = payload::text(p, "kind");
        if (out.referral_kind != "job" && out.referral_kind != "training" &&
            out.referral_kind != "apprenticeship")
            throw Refused{"kind is not job, training or apprenticeship"};
        out.login = login_of(p);
        check_profile(p);
        check_sealed(p);
        return out;
    }
    throw Refused{not_nise_reason(event.type)};
}

std::string withdrawn_reason(std::string_view centre) {
    return fmt::format(
        "this profile was withdrawn at centre {}: a withdrawn profile cannot be saved or "
        "referred again",
        centre);
}

std::string reference_taken_reason(std::string_view reference, std::string_view centre) {
    return fmt::format("reference {} was already used at centre {} by another referral", reference,
                       centre);
}

std::string not_nise_reason(std::string_view type) {
    return fmt::format("{} is not an event of NISE ({}, {} or {})",
                       utf8::replace_invalid(utf8::truncated(type, 64)), kSaved, kWithdrawn,
                       kReferral);
}

std::string profile_record(std::string_view box, std::string_view saved_at) {
    return json{{"box", box}, {"saved_at", saved_at}}.dump();
}

std::string withdrawn_record(std::string_view at) {
    return json{{"withdrawn_at", at}}.dump();
}

std::string withdrawal_audit_detail(std::string_view centre, std::int64_t cleared) {
    return fmt::format("centre {}: a profile withdrawn; citizen data of {} event(s) deleted",
                       centre, cleared);
}

}  // namespace seba::server::nise
