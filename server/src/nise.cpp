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
#include "nise_rules.hpp"
#include "seba/error.hpp"
#include "seba/server/seal_keys.hpp"
#include "seba/server/store.hpp"
#include "seba/utf8.hpp"
#include "store_rules.hpp"

namespace seba::server::nise {

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxNoteChars = 500;
constexpr std::size_t kMaxNoteLanguages = 8;

bool withdrawn(Database& db, const std::string& centre, const std::string& login) {
    Statement row =
        db.prepare_cached("SELECT 1 FROM server__nise_withdrawn WHERE centre = ? AND login = ?");
    row.bind_all(centre, login);
    return row.step();
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
    const Checked checked = check_event(event);
    const std::string& login = checked.login;
    if (checked.kind == Checked::Kind::Saved) {
        if (withdrawn(db, event.centre, login)) throw Refused{withdrawn_reason(event.centre)};
        if (!apply) return;
        {
            // The newest save wins, whatever order the kiosks' pushes arrive in.
            Statement had = db.prepare(
                "SELECT saved_at FROM server__nise_profiles WHERE centre = ? AND login = ?");
            had.bind_all(event.centre, login);
            if (had.step() && comparable_time(had.text(0)) >= checked.saved_when) return;
        }
        db.prepare(
              "INSERT INTO server__nise_profiles (centre, login, saved_at, device, uuid) VALUES "
              "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (centre, login) DO UPDATE SET saved_at = ?3, "
              "device = ?4, uuid = ?5")
            .bind_all(event.centre, login, checked.saved_at, event.device, event.uuid)
            .run();
        put_record(db, kProfilesChannel, event.centre, login,
                   profile_record(checked.box, checked.saved_at));
        return;
    }
    if (checked.kind == Checked::Kind::Withdrawn) {
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
        put_record(db, kProfilesChannel, event.centre, login, withdrawn_record(now));
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
            .bind_all(now, "device " + event.device, std::string(kWithdrawalAction),
                      withdrawal_audit_detail(event.centre, cleared))
            .run();
        return;
    }
    // A referral.
    if (withdrawn(db, event.centre, login)) throw Refused{withdrawn_reason(event.centre)};
    {
        Statement had = db.prepare(
            "SELECT uuid FROM server__nise_referrals WHERE centre = ? AND reference = ?");
        had.bind_all(event.centre, checked.reference);
        if (had.step()) {
            if (had.text(0) != event.uuid)
                throw Refused{reference_taken_reason(checked.reference, event.centre)};
            return;  // the same referral, sent again by another device of the centre
        }
    }
    if (!apply) return;
    db.prepare(
          "INSERT INTO server__nise_referrals (centre, reference, opportunity, kind, login, "
          "received_at, device, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(event.centre, checked.reference, checked.opportunity, checked.referral_kind,
                  login, event.received_at.empty() ? utc_now_iso() : event.received_at,
                  event.device, event.uuid)
        .run();
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
    if (!concerns_nise(event)) return std::nullopt;
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
    if (!concerns_nise(event)) return {};
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
