// SPDX-License-Identifier: Apache-2.0
// NISE on the server (docs/nise.md, "On the server"): the checks and projection of nise.*
// events in the store's transaction, the answers to referrals and the employers' list.
#include "seba/server/nise.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "csv_cells.hpp"
#include "event_payload.hpp"
#include "nise_events.hpp"
#include "seba/error.hpp"
#include "seba/server/seal_keys.hpp"
#include "seba/server/store.hpp"
#include "seba/utf8.hpp"
#include "store_rules.hpp"

namespace seba::server::nise {

namespace {

using json = nlohmann::json;

constexpr std::string_view kProfilesChannel = "nise.profiles";
constexpr std::string_view kReferralsChannel = "nise.referrals";
constexpr std::string_view kSaved = "nise.profile_saved";
constexpr std::string_view kWithdrawn = "nise.profile_withdrawn";
constexpr std::string_view kReferral = "nise.referral";

// The limits of docs/nise.md ("Events"); the kiosk keeps to them (plugins/nise/src/profile.hpp).
constexpr std::size_t kMaxBoxBytes = 16 * 1024;
constexpr std::size_t kMaxSealedBytes = 8 * 1024;
constexpr std::size_t kMaxReferenceBytes = 40;
constexpr std::size_t kMaxSkills = 40;
constexpr std::size_t kMaxLanguages = 8;
constexpr std::size_t kMaxPlaceChars = 96;
constexpr std::size_t kMaxNoteChars = 500;
constexpr std::size_t kMaxNoteLanguages = 8;

// What NISE refuses; the shared payload reader throws the same.
using Refused = payload::Unreadable;

// An id of the catalog: a skill or an opportunity.
bool catalog_id(std::string_view s) {
    return payload::is_id(s, "._-");
}

bool reference_text(std::string_view s) {
    return !s.empty() && s.size() <= kMaxReferenceBytes &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
           });
}

bool base64_text(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
    });
}

// A BCP 47 tag as the kiosk's languages are written ("bn", "uz-Latn").
bool language_tag(std::string_view tag) {
    return !tag.empty() && tag.size() <= 16 && std::all_of(tag.begin(), tag.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-';
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

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z", made comparable as text: the fraction to 9 digits.
std::string comparable_time(const std::string& at) {
    static const std::regex kTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.(\d{1,9}))?Z)");
    std::smatch m;
    if (at.size() > 40 || !std::regex_match(at, m, kTime))
        throw Refused{"saved_at is not a UTC time (YYYY-MM-DDTHH:MM:SS.sssZ)"};
    std::string fraction = m[2].str();
    fraction.resize(9, '0');
    return at.substr(0, 19) + "." + fraction;
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

bool withdrawn(Database& db, const std::string& centre, const std::string& login) {
    Statement row =
        db.prepare_cached("SELECT 1 FROM server__nise_withdrawn WHERE centre = ? AND login = ?");
    row.bind_all(centre, login);
    return row.step();
}

std::string withdrawn_reason(const std::string& centre) {
    return fmt::format(
        "this profile was withdrawn at centre {}: a withdrawn profile cannot be saved or "
        "referred again",
        centre);
}

// Writes one record of a per-centre channel (a tombstone without data) as its next version.
void put_record(Database& db, std::string_view channel, const std::string& centre,
                const std::string& key, const std::optional<std::string>& data) {
    std::int64_t head = 0;
    {
        Statement row = db.prepare("SELECT per_centre, head FROM server__channels WHERE name = ?");
        row.bind_all(std::string(channel));
        if (row.step()) {
            if (row.integer(0) == 0)
                throw Refused{fmt::format("channel {} is published for every centre", channel)};
            head = row.integer(1);
        } else {
            db.prepare(
                  "INSERT INTO server__channels (name, per_centre, updated_at) VALUES (?, 1, "
                  "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")
                .bind_all(std::string(channel))
                .run();
        }
    }
    ++head;
    Statement upsert = db.prepare(
        "INSERT INTO server__channel_records (channel, scope, key, data, data_hash, version) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (channel, scope, key) DO UPDATE SET "
        "data = ?4, data_hash = ?5, version = ?6");
    upsert.bind(1, std::string(channel)).bind(2, centre).bind(3, key);
    if (data)
        upsert.bind(4, *data).bind(5, rules::hash_hex(*data));
    else
        upsert.bind(4, nullptr).bind(5, nullptr);
    upsert.bind(6, head).run();
    db.prepare(
          "UPDATE server__channels SET head = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
          "'now') WHERE name = ?")
        .bind_all(head, std::string(channel))
        .run();
}

// What each event must be before anything is written; with `apply`, also what it does.
void handle(Database& db, const StoredEvent& event, bool apply) {
    const json p = json::parse(event.payload, nullptr, false);
    if (!p.is_object()) throw Refused{"the payload is not a JSON object"};
    if (event.type == kSaved) {
        const std::string login = login_of(p);
        const std::string& box = payload::text(p, "box");
        if (box.size() > kMaxBoxBytes)
            throw Refused{
                fmt::format("box is {} bytes; at most {} are allowed", box.size(), kMaxBoxBytes)};
        if (!base64_text(box)) throw Refused{"box is not base64"};
        const std::string& saved_at = payload::text(p, "saved_at");
        const std::string when = comparable_time(saved_at);
        check_sealed(p);
        if (withdrawn(db, event.centre, login)) throw Refused{withdrawn_reason(event.centre)};
        if (!apply) return;
        {
            // The newest save wins, whatever order the kiosks' pushes arrive in.
            Statement had = db.prepare(
                "SELECT saved_at FROM server__nise_profiles WHERE centre = ? AND login = ?");
            had.bind_all(event.centre, login);
            if (had.step() && comparable_time(had.text(0)) >= when) return;
        }
        db.prepare(
              "INSERT INTO server__nise_profiles (centre, login, saved_at, device, uuid) VALUES "
              "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (centre, login) DO UPDATE SET saved_at = ?3, "
              "device = ?4, uuid = ?5")
            .bind_all(event.centre, login, saved_at, event.device, event.uuid)
            .run();
        put_record(db, kProfilesChannel, event.centre, login,
                   json{{"box", box}, {"saved_at", saved_at}}.dump());
        return;
    }
    if (event.type == kWithdrawn) {
        const std::string login = login_of(p);
        if (!apply) return;
        const std::string now = utc_now_iso();
        db.prepare(
              "INSERT OR IGNORE INTO server__nise_withdrawn (centre, login, at) VALUES (?, ?, ?)")
            .bind_all(event.centre, login, now)
            .run();
        db.prepare("DELETE FROM server__nise_profiles WHERE centre = ? AND login = ?")
            .bind_all(event.centre, login)
            .run();
        // Not a tombstone but a marker with no data of the citizen's: a kiosk that saved the
        // profile and keeps its box until the channel has it (one that never pulled the box)
        // learns from it to drop its copy, and no kiosk of the centre opens it again.
        put_record(db, kProfilesChannel, event.centre, login,
                   nlohmann::json{{"withdrawn_at", now}}.dump());
        // Everything the citizen gave, in every event of theirs at this centre: the box, the
        // sealed name and phone, a referral's profile. What stays says only that something
        // happened (and a referral's reference, opportunity and answer).
        db.prepare(
              "UPDATE server__events SET payload = json_remove(payload, '$.box', '$.sealed', "
              "'$.profile', '$.fields'), citizen = NULL, purged_at = coalesce(purged_at, ?1) "
              "WHERE centre = ?2 AND substr(type, 1, 5) = 'nise.' AND json_valid(payload) AND "
              "json_extract(payload, '$.login') = ?3 AND (json_type(payload, '$.box') IS NOT "
              "NULL OR json_type(payload, '$.sealed') IS NOT NULL OR json_type(payload, "
              "'$.profile') IS NOT NULL OR json_type(payload, '$.fields') IS NOT NULL OR "
              "citizen IS NOT NULL)")
            .bind_all(now, event.centre, login)
            .run();
        const std::int64_t cleared = db.changes();
        db.prepare("INSERT INTO server__audit (at, actor, action, detail) VALUES (?, ?, ?, ?)")
            .bind_all(now, "device " + event.device, std::string("nise.profile_withdrawn"),
                      fmt::format("centre {}: a profile withdrawn; citizen data of {} event(s) "
                                  "deleted",
                                  event.centre, cleared))
            .run();
        return;
    }
    if (event.type == kReferral) {
        const std::string& reference = payload::text(p, "reference");
        if (!reference_text(reference)) throw Refused{"reference is not 1 to 40 of A-Z, 0-9 and -"};
        const std::string& opportunity = payload::text(p, "opportunity");
        if (!catalog_id(opportunity))
            throw Refused{"opportunity is not an opportunity id ([a-z0-9._-]{1,64})"};
        const std::string& kind = payload::text(p, "kind");
        if (kind != "job" && kind != "training" && kind != "apprenticeship")
            throw Refused{"kind is not job, training or apprenticeship"};
        const std::string login = login_of(p);
        check_profile(p);
        check_sealed(p);
        if (withdrawn(db, event.centre, login)) throw Refused{withdrawn_reason(event.centre)};
        {
            Statement had = db.prepare(
                "SELECT uuid FROM server__nise_referrals WHERE centre = ? AND reference = ?");
            had.bind_all(event.centre, reference);
            if (had.step()) {
                if (had.text(0) != event.uuid)
                    throw Refused{fmt::format(
                        "reference {} was already used at centre {} by another referral", reference,
                        event.centre)};
                return;  // the same referral, sent again by another device of the centre
            }
        }
        if (!apply) return;
        db.prepare(
              "INSERT INTO server__nise_referrals (centre, reference, opportunity, kind, login, "
              "received_at, device, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind_all(event.centre, reference, opportunity, kind, login,
                      event.received_at.empty() ? utc_now_iso() : event.received_at, event.device,
                      event.uuid)
            .run();
        return;
    }
    throw Refused{fmt::format("{} is not an event of NISE ({}, {} or {})",
                              utf8::replace_invalid(utf8::truncated(event.type, 64)), kSaved,
                              kWithdrawn, kReferral)};
}

Referral referral_from(Statement& row) {
    return {row.text(0), row.text(1), row.text(2), row.text(3),
            row.text(4), row.text(5), row.text(6), row.text(7)};
}

constexpr const char* kReferralColumns =
    "SELECT r.centre, r.reference, r.opportunity, r.kind, r.received_at, r.status, "
    "coalesce(r.answered_at, ''), coalesce(e.payload, '{}') FROM server__nise_referrals r LEFT "
    "JOIN server__events e ON e.device = r.device AND e.uuid = r.uuid ";

std::string upper_without_spaces(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == ' ') continue;
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

// The list's reading of one referral's payload.
struct Shown {
    std::string education;
    json skills = json::array();
    json languages = json::array();
    std::string place;
    bool withdrawn = false;
    std::string name, phone;
};

Shown shown(const Referral& r, const SealKeys* contacts) {
    Shown out;
    const json p = json::parse(r.payload, nullptr, false);
    if (!p.is_object() || !p.contains("profile") || !p["profile"].is_object()) {
        out.withdrawn = true;
        return out;
    }
    const json& profile = p["profile"];
    out.education = profile.value("education", std::string());
    if (profile.contains("skills") && profile["skills"].is_array())
        for (const json& s : profile["skills"])
            out.skills.push_back({{"skill", s.value("skill", std::string())},
                                  {"verified", s.value("verified", false)}});
    if (profile.contains("languages") && profile["languages"].is_array())
        out.languages = profile["languages"];
    out.place = profile.value("place", std::string());
    if (contacts && p.contains("sealed")) {
        if (std::optional<json> opened = contacts->open(p["sealed"])) {
            const json fields = opened->value("fields", json::object());
            if (fields.is_object()) {
                if (fields.contains("name") && fields["name"].is_string())
                    out.name = fields["name"].get<std::string>();
                if (fields.contains("phone") && fields["phone"].is_string())
                    out.phone = fields["phone"].get<std::string>();
            }
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> take(Database& db, const StoredEvent& event) {
    if (!event.type.starts_with("nise.")) return std::nullopt;
    try {
        handle(db, event, /*apply=*/true);
        return std::nullopt;
    } catch (const Refused& r) {
        return r.why;
    } catch (const json::exception& e) {
        return std::string("unreadable: ") + e.what();
    }
}

std::string rejection(Database& db, const StoredEvent& event) {
    if (!event.type.starts_with("nise.")) return {};
    try {
        handle(db, event, /*apply=*/false);
        return {};
    } catch (const Refused& r) {
        return r.why;
    } catch (const json::exception& e) {
        return std::string("unreadable: ") + e.what();
    }
}

std::vector<Referral> list(Database& db, std::string_view centre, std::string_view opportunity) {
    Statement rows = db.prepare(std::string(kReferralColumns) +
                                "WHERE (?1 = '' OR r.centre = ?1) AND (?2 = '' OR r.opportunity = "
                                "?2) ORDER BY r.received_at, r.centre, r.reference");
    rows.bind_all(std::string(centre), std::string(opportunity));
    std::vector<Referral> out;
    while (rows.step()) out.push_back(referral_from(rows));
    return out;
}

std::optional<Referral> find(Database& db, std::string_view centre, std::string_view reference) {
    Statement row =
        db.prepare(std::string(kReferralColumns) + "WHERE r.centre = ? AND r.reference = ?");
    row.bind_all(std::string(centre), std::string(reference));
    if (!row.step()) return std::nullopt;
    return referral_from(row);
}

void set_status(Database& db, std::string_view centre, std::string_view reference,
                std::string_view status, std::string_view answered_at) {
    db.prepare(
          "UPDATE server__nise_referrals SET status = ?, answered_at = ? WHERE centre = ? AND "
          "reference = ?")
        .bind_all(std::string(status), std::string(answered_at), std::string(centre),
                  std::string(reference))
        .run();
}

bool answer(Store& store, const Answer& answer, std::string_view actor) {
    static const std::set<std::string, std::less<>> kStatuses = {"received", "interview",
                                                                 "accepted", "rejected"};
    if (!store.centre_exists(answer.centre))
        throw Error(fmt::format("no centre {}", utf8::replace_invalid(answer.centre)));
    if (!kStatuses.count(answer.status))
        throw Error(fmt::format("status {} is not one of received, interview, accepted, rejected",
                                utf8::replace_invalid(answer.status)));
    if (answer.note.size() > kMaxNoteLanguages)
        throw Error(fmt::format("a note in at most {} languages", kMaxNoteLanguages));
    for (const auto& [language, text] : answer.note) {
        if (!language_tag(language))
            throw Error(fmt::format("note language {} is not a language tag",
                                    utf8::replace_invalid(language)));
        if (!utf8::is_valid(text)) throw Error(fmt::format("the {} note is not UTF-8", language));
        if (text.empty() || utf8::count(text) > kMaxNoteChars)
            throw Error(fmt::format("the {} note must be 1 to {} characters (found {})", language,
                                    kMaxNoteChars, utf8::count(text)));
    }
    const std::string reference = upper_without_spaces(answer.reference);
    std::optional<Referral> found;
    if (reference_text(reference)) found = store.nise_referral(answer.centre, reference);
    if (!found)
        throw Error(fmt::format("no referral {} has been received from centre {}",
                                utf8::replace_invalid(utf8::truncated(answer.reference, 64)),
                                answer.centre));
    const std::string answered_at = fmt::format(
        "{:%FT%TZ}", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    json data = {{"opportunity", found->opportunity},
                 {"status", answer.status},
                 {"answered_at", answered_at}};
    if (!answer.note.empty()) data["note"] = answer.note;
    store.publish(kReferralsChannel, answer.centre, {{reference, data.dump()}},
                  /*replace=*/false, /*dry_run=*/false);
    store.set_nise_referral_status(answer.centre, reference, answer.status, answered_at);
    store.audit(actor, "nise.referral_answered",
                fmt::format("centre {} referral {}: {}{}", answer.centre, reference, answer.status,
                            answer.note.empty() ? "" : " (with a note)"));
    return found->answered_at.empty();
}

std::vector<Referral> referrals(Store& store, const ListFilter& filter) {
    if (!filter.centre.empty() && !store.centre_exists(filter.centre))
        throw Error(fmt::format("no centre {}", utf8::replace_invalid(filter.centre)));
    if (!filter.opportunity.empty() && !catalog_id(filter.opportunity))
        throw Error(fmt::format("{} is not an opportunity id ([a-z0-9._-]{{1,64}})",
                                utf8::replace_invalid(utf8::truncated(filter.opportunity, 80))));
    return store.nise_referrals(filter.centre, filter.opportunity);
}

std::string referrals_json(const std::vector<Referral>& list, const SealKeys* contacts) {
    json out = json::array();
    for (const Referral& r : list) {
        const Shown s = shown(r, contacts);
        json entry = {{"reference", r.reference},
                      {"centre", r.centre},
                      {"opportunity", r.opportunity},
                      {"kind", r.kind},
                      {"received_at", r.received_at},
                      {"status", r.status},
                      {"answered_at", r.answered_at.empty() ? json(nullptr) : json(r.answered_at)},
                      {"education", s.education},
                      {"skills", s.skills},
                      {"languages", s.languages},
                      {"place", s.place},
                      {"profile_withdrawn", s.withdrawn}};
        if (contacts) {
            entry["name"] = s.name;
            entry["phone"] = s.phone;
        }
        out.push_back(std::move(entry));
    }
    return out.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string referrals_csv(const std::vector<Referral>& list, const SealKeys* contacts) {
    std::vector<std::string> header = {
        "reference",   "centre",    "opportunity", "kind",      "received_at", "status",
        "answered_at", "education", "skills",      "languages", "place",       "profile_withdrawn"};
    if (contacts) {
        header.push_back("name");
        header.push_back("phone");
    }
    std::string out = csv_line(header);
    for (const Referral& r : list) {
        const Shown s = shown(r, contacts);
        std::string skills, languages;
        for (const json& k : s.skills) {
            if (!skills.empty()) skills += "; ";
            skills += k["skill"].get<std::string>();
            if (k["verified"].get<bool>()) skills += " (verified)";
        }
        for (const json& l : s.languages) {
            if (!l.is_string()) continue;
            if (!languages.empty()) languages += ' ';
            languages += l.get<std::string>();
        }
        std::vector<std::string> cells = {csv_text(r.reference),
                                          csv_text(r.centre),
                                          csv_text(r.opportunity),
                                          csv_text(r.kind),
                                          csv_text(r.received_at),
                                          csv_text(r.status),
                                          csv_text(r.answered_at),
                                          csv_text(s.education),
                                          csv_text(skills),
                                          csv_text(languages),
                                          csv_text(utf8::replace_invalid(s.place)),
                                          s.withdrawn ? "true" : "false"};
        if (contacts) {
            cells.push_back(csv_text(utf8::replace_invalid(s.name)));
            cells.push_back(csv_text(utf8::replace_invalid(s.phone)));
        }
        out += csv_line(cells);
    }
    return out;
}

}  // namespace seba::server::nise
