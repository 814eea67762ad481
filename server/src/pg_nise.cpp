// SPDX-License-Identifier: Apache-2.0
// NISE in the PostgreSQL store (pg_parts.hpp): nise.cpp's SQL in PostgreSQL, with the same
// checks (nise_rules.hpp), the same records and the same reasons.
#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "nise_rules.hpp"
#include "pg_parts.hpp"
#include "seba/error.hpp"
#include "seba/storage.hpp"

namespace seba::server::pg {

namespace nise {

const char* const kSchema = R"sql(
CREATE TABLE server__nise_profiles (
    centre text NOT NULL,
    login text NOT NULL,
    saved_at text NOT NULL,
    device text NOT NULL,
    uuid text NOT NULL,
    PRIMARY KEY (centre, login)
);
CREATE TABLE server__nise_withdrawn (
    centre text NOT NULL,
    login text NOT NULL,
    at text NOT NULL,
    PRIMARY KEY (centre, login)
);
CREATE TABLE server__nise_referrals (
    centre text NOT NULL,
    reference text NOT NULL,
    opportunity text NOT NULL,
    kind text NOT NULL,
    login text NOT NULL,
    received_at text NOT NULL,
    device text NOT NULL,
    uuid text NOT NULL,
    status text NOT NULL DEFAULT 'sent',
    answered_at text,
    PRIMARY KEY (centre, reference)
);
CREATE INDEX server__nise_referrals_by_opportunity ON server__nise_referrals (opportunity);
CREATE INDEX server__nise_referrals_by_login ON server__nise_referrals (centre, login);
)sql";

}  // namespace nise

namespace {

using json = nlohmann::json;
using server::nise::Checked;
using server::nise::Refused;

// ---- The withdrawal's purge, as SQLite's json_remove does it -------------------------------
//
// The SQLite store clears a withdrawn citizen's data with json_remove(payload, '$.box',
// '$.sealed', '$.profile', '$.fields'): the first member of each name (keys compared as
// written) goes, and the rest is written again without white space, every token as it was.
// PostgreSQL's jsonb would reorder members and rewrite numbers, so this is done here, on the
// text, to keep the payloads byte for byte what the SQLite store keeps.

struct Member {
    std::string_view key;  ///< as written, without its quotes
    std::string value;     ///< without white space
};

class CompactReader {
  public:
    explicit CompactReader(std::string_view text) : s_(text) {}

    /// The members of a top-level object, or nullopt when the text is not JSON (json_valid).
    std::optional<std::vector<Member>> object_members() {
        std::vector<Member> members;
        space();
        if (!take('{')) return std::nullopt;
        space();
        if (!take('}')) {
            for (;;) {
                space();
                const std::size_t start = i_;
                if (!string(nullptr)) return std::nullopt;
                Member m{s_.substr(start + 1, i_ - start - 2), {}};
                space();
                if (!take(':')) return std::nullopt;
                if (!value(&m.value)) return std::nullopt;
                members.push_back(std::move(m));
                space();
                if (take(',')) continue;
                if (take('}')) break;
                return std::nullopt;
            }
        }
        space();
        if (i_ != s_.size()) return std::nullopt;
        return members;
    }

  private:
    bool take(char c) {
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void space() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }
    static bool hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    bool string(std::string* out) {
        const std::size_t start = i_;
        if (!take('"')) return false;
        for (;;) {
            if (i_ >= s_.size()) return false;
            const unsigned char c = static_cast<unsigned char>(s_[i_]);
            if (c < 0x20) return false;
            if (c == '\\') {
                if (++i_ >= s_.size()) return false;
                const char e = s_[i_];
                if (e == 'u') {
                    if (i_ + 4 >= s_.size() || !hex(s_[i_ + 1]) || !hex(s_[i_ + 2]) ||
                        !hex(s_[i_ + 3]) || !hex(s_[i_ + 4]))
                        return false;
                    i_ += 4;
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            } else if (c == '"') {
                ++i_;
                break;
            }
            ++i_;
        }
        if (out) out->append(s_.substr(start, i_ - start));
        return true;
    }
    bool digits() {
        const std::size_t start = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > start;
    }
    bool number(std::string* out) {
        const std::size_t start = i_;
        take('-');
        if (take('0')) {
            if (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') return false;
        } else if (!digits()) {
            return false;
        }
        if (take('.') && !digits()) return false;
        if (take('e') || take('E')) {
            if (!take('+')) take('-');
            if (!digits()) return false;
        }
        out->append(s_.substr(start, i_ - start));
        return true;
    }
    bool value(std::string* out) {
        space();
        if (i_ >= s_.size()) return false;
        const char c = s_[i_];
        if (c == '"') return string(out);
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            out->push_back(c);
            ++i_;
            space();
            if (take(close)) {
                out->push_back(close);
                return true;
            }
            for (;;) {
                if (c == '{') {
                    space();
                    if (!string(out)) return false;
                    space();
                    if (!take(':')) return false;
                    out->push_back(':');
                }
                if (!value(out)) return false;
                space();
                if (take(',')) {
                    out->push_back(',');
                    continue;
                }
                if (!take(close)) return false;
                out->push_back(close);
                return true;
            }
        }
        for (const char* word : {"true", "false", "null"}) {
            const std::string_view w(word);
            if (s_.substr(i_, w.size()) == w) {
                i_ += w.size();
                out->append(w);
                return true;
            }
        }
        return number(out);
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

const Member* first_member(const std::vector<Member>& members, std::string_view key) {
    for (const Member& m : members)
        if (m.key == key) return &m;
    return nullptr;
}

// A nise.* event's payload after its citizen's withdrawal, or nullopt when the SQLite store's
// UPDATE would leave the event alone (not this login's, or nothing of the citizen's left).
std::optional<std::string> purged_payload(std::string_view payload, std::string_view login,
                                          bool has_citizen) {
    std::optional<std::vector<Member>> members = CompactReader(payload).object_members();
    if (!members) return std::nullopt;
    const Member* said = first_member(*members, "login");
    if (!said || said->value.empty() || said->value.front() != '"') return std::nullopt;
    const json decoded = json::parse(said->value, nullptr, false);
    if (!decoded.is_string() || decoded.get_ref<const std::string&>() != login) return std::nullopt;
    constexpr std::array<std::string_view, 4> kCitizens = {"box", "sealed", "profile", "fields"};
    bool any = has_citizen;
    for (std::string_view name : kCitizens) any = any || first_member(*members, name);
    if (!any) return std::nullopt;
    std::vector<bool> removed(members->size(), false);
    for (std::string_view name : kCitizens)
        for (std::size_t i = 0; i < members->size(); ++i)
            if (!removed[i] && (*members)[i].key == name) {
                removed[i] = true;
                break;
            }
    std::string out = "{";
    for (std::size_t i = 0; i < members->size(); ++i) {
        if (removed[i]) continue;
        if (out.size() > 1) out += ',';
        out += '"';
        out += (*members)[i].key;
        out += "\":";
        out += (*members)[i].value;
    }
    out += '}';
    return out;
}

// ---- The projection ------------------------------------------------------------------------

bool withdrawn(pqxx::work& tx, const std::string& centre, const std::string& login) {
    return !tx.exec_params("SELECT 1 FROM server__nise_withdrawn WHERE centre = $1 AND login = $2",
                           centre, login)
                .empty();
}

void put_record(pqxx::work& tx, std::string_view channel, const std::string& centre,
                const std::string& key, const std::string& data) {
    try {
        put_centre_record(tx, channel, centre, key, data);
    } catch (const seba::Error&) {
        throw Refused{fmt::format("channel {} is published for every centre", channel)};
    }
}

// Clears the citizen's data from every nise.* event of theirs at the centre; how many.
std::int64_t purge(pqxx::work& tx, const std::string& centre, const std::string& login,
                   const std::string& now) {
    // The login appears as written in the payloads the push path writes (nlohmann's dump); a
    // payload with a \u escape might spell it otherwise, so those are read too.
    const pqxx::result rows = tx.exec_params(
        "SELECT device, uuid, payload, citizen IS NOT NULL FROM server__events WHERE centre = $1 "
        "AND left(type, 5) = 'nise.' AND (strpos(payload, $2) > 0 OR strpos(payload, '\\u') > 0) "
        "FOR UPDATE",
        centre, login);
    std::int64_t cleared = 0;
    for (const pqxx::row& row : rows) {
        const std::optional<std::string> purged =
            purged_payload(row[2].as<std::string>(), login, row[3].as<bool>());
        if (!purged) continue;
        tx.exec_params(
            "UPDATE server__events SET payload = $1, citizen = NULL, purged_at = "
            "coalesce(purged_at, $2) WHERE device = $3 AND uuid = $4",
            *purged, now, row[0].as<std::string>(), row[1].as<std::string>());
        ++cleared;
    }
    return cleared;
}

void handle(pqxx::work& tx, const StoredEvent& event, bool apply) {
    const Checked checked = server::nise::check_event(event);
    const std::string& login = checked.login;
    if (checked.kind == Checked::Kind::Saved) {
        if (withdrawn(tx, event.centre, login))
            throw Refused{server::nise::withdrawn_reason(event.centre)};
        if (!apply) return;
        // The newest save wins, whatever order the kiosks' pushes arrive in.
        const pqxx::result had = tx.exec_params(
            "SELECT saved_at FROM server__nise_profiles WHERE centre = $1 AND login = $2 FOR "
            "UPDATE",
            event.centre, login);
        if (!had.empty() &&
            server::nise::comparable_time(had[0][0].as<std::string>()) >= checked.saved_when)
            return;
        tx.exec_params(
            "INSERT INTO server__nise_profiles (centre, login, saved_at, device, uuid) VALUES "
            "($1, $2, $3, $4, $5) ON CONFLICT (centre, login) DO UPDATE SET saved_at = $3, "
            "device = $4, uuid = $5",
            event.centre, login, checked.saved_at, event.device, event.uuid);
        put_record(tx, server::nise::kProfilesChannel, event.centre, login,
                   server::nise::profile_record(checked.box, checked.saved_at));
        return;
    }
    if (checked.kind == Checked::Kind::Withdrawn) {
        if (!apply) return;
        const std::string now = utc_now_iso();
        tx.exec_params(
            "INSERT INTO server__nise_withdrawn (centre, login, at) VALUES ($1, $2, $3) ON "
            "CONFLICT DO NOTHING",
            event.centre, login, now);
        tx.exec_params("DELETE FROM server__nise_profiles WHERE centre = $1 AND login = $2",
                       event.centre, login);
        put_record(tx, server::nise::kProfilesChannel, event.centre, login,
                   server::nise::withdrawn_record(now));
        const std::int64_t cleared = purge(tx, event.centre, login, now);
        tx.exec_params(
            "INSERT INTO server__audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)", now,
            "device " + event.device, std::string(server::nise::kWithdrawalAction),
            server::nise::withdrawal_audit_detail(event.centre, cleared));
        return;
    }
    // A referral.
    if (withdrawn(tx, event.centre, login))
        throw Refused{server::nise::withdrawn_reason(event.centre)};
    const pqxx::result had = tx.exec_params(
        "SELECT uuid FROM server__nise_referrals WHERE centre = $1 AND reference = $2",
        event.centre, checked.reference);
    if (!had.empty()) {
        if (had[0][0].as<std::string>() != event.uuid)
            throw Refused{server::nise::reference_taken_reason(checked.reference, event.centre)};
        return;  // the same referral, sent again by another device of the centre
    }
    if (!apply) return;
    tx.exec_params(
        "INSERT INTO server__nise_referrals (centre, reference, opportunity, kind, login, "
        "received_at, device, uuid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        event.centre, checked.reference, checked.opportunity, checked.referral_kind, login,
        event.received_at.empty() ? utc_now_iso() : event.received_at, event.device, event.uuid);
}

std::optional<std::string> refusal(pqxx::work& tx, const StoredEvent& event, bool apply) {
    if (!server::nise::concerns_nise(event)) return std::nullopt;
    try {
        handle(tx, event, apply);
        return std::nullopt;
    } catch (const Refused& r) {
        return r.why;
    } catch (const json::exception& e) {
        return std::string("unreadable: ") + e.what();
    }
}

constexpr const char* kReferralColumns =
    "SELECT r.centre, r.reference, r.opportunity, r.kind, r.received_at, r.status, "
    "coalesce(r.answered_at, ''), coalesce(e.payload, '{}') FROM server__nise_referrals r LEFT "
    "JOIN server__events e ON e.device = r.device AND e.uuid = r.uuid ";

server::nise::Referral referral_from(const pqxx::row& row) {
    return {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
            row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>(),
            row[6].as<std::string>(), row[7].as<std::string>()};
}

}  // namespace

namespace nise {

std::optional<std::string> take(pqxx::work& tx, const StoredEvent& event) {
    return refusal(tx, event, /*apply=*/true);
}

std::string rejection(pqxx::work& tx, const StoredEvent& event) {
    return refusal(tx, event, /*apply=*/false).value_or(std::string());
}

std::vector<server::nise::Referral> list(pqxx::work& tx, std::string_view centre,
                                         std::string_view opportunity) {
    // Ordered as SQLite orders text: by bytes.
    const pqxx::result rows = tx.exec_params(
        std::string(kReferralColumns) +
            "WHERE ($1 = '' OR r.centre = $1) AND ($2 = '' OR r.opportunity = $2) ORDER BY "
            "r.received_at COLLATE \"C\", r.centre COLLATE \"C\", r.reference COLLATE \"C\"",
        std::string(centre), std::string(opportunity));
    std::vector<server::nise::Referral> out;
    out.reserve(rows.size());
    for (const pqxx::row& row : rows) out.push_back(referral_from(row));
    return out;
}

std::optional<server::nise::Referral> find(pqxx::work& tx, std::string_view centre,
                                           std::string_view reference) {
    const pqxx::result row =
        tx.exec_params(std::string(kReferralColumns) + "WHERE r.centre = $1 AND r.reference = $2",
                       std::string(centre), std::string(reference));
    if (row.empty()) return std::nullopt;
    return referral_from(row[0]);
}

void set_status(pqxx::work& tx, std::string_view centre, std::string_view reference,
                std::string_view status, std::string_view answered_at) {
    tx.exec_params(
        "UPDATE server__nise_referrals SET status = $1, answered_at = $2 WHERE centre = $3 AND "
        "reference = $4",
        std::string(status), std::string(answered_at), std::string(centre), std::string(reference));
}

}  // namespace nise

}  // namespace seba::server::pg
