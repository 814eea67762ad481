// SPDX-License-Identifier: Apache-2.0
#include "profile.hpp"

#include <sodium.h>

#include <algorithm>
#include <seba/return_code.hpp>
#include <set>
#include <vector>

#include "clock_guard.hpp"

namespace seba::nise {

namespace {

using json = nlohmann::json;

constexpr EducationLevel kLevels[] = {
    {"none", "block", "No schooling"},
    {"primary", "child_care", "Primary school"},
    {"secondary", "menu_book", "Secondary school (SSC)"},
    {"higher_secondary", "school", "Higher secondary (HSC)"},
    {"vocational", "construction", "Vocational or diploma"},
    {"tertiary", "workspace_premium", "University degree"},
};

// The plugin has one schema namespace ("nise") numbered 1, 2, 3... over the books in the
// order Desk::migrations() lists them: the clock guard's, then these, then the referral
// book's. Each book counts from where the one before it ends (migrations()).
constexpr Migration kMigrations[] = {
    {1, "saved profiles' boxes until the channel has them, saves by day, withdrawn logins",
     R"sql(
CREATE TABLE nise__profile_boxes (
    login TEXT PRIMARY KEY,   -- 64 hex: from phone + return code, tells nothing of either
    box TEXT NOT NULL,        -- secretbox under the citizen's key: opens only with phone + code
    saved_at TEXT NOT NULL
);
CREATE TABLE nise__profile_saves (
    day TEXT NOT NULL,        -- YYYY-MM-DD, UTC
    login TEXT NOT NULL,      -- "" once withdrawn: the count stays, the login goes
    saved_at TEXT NOT NULL
);
CREATE INDEX nise__profile_saves_by_day ON nise__profile_saves (day);
CREATE TABLE nise__withdrawn (
    login TEXT PRIMARY KEY,
    withdrawn_at TEXT NOT NULL
);
)sql"},
};

constexpr return_code::Contexts kProfileContexts{"ns_login", "ns_box__"};
constexpr std::size_t kMaxBoxBytes = 16 * 1024;
constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxPlaceChars = 96;  // as the server takes it (docs/nise.md)
constexpr std::size_t kMaxLanguageBytes = 16;

bool valid_id(std::string_view id) {
    return !id.empty() && id.size() <= kMaxIdBytes && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

bool valid_e164(std::string_view phone) {
    if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') return false;
    return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_language(std::string_view tag) {
    return !tag.empty() && tag.size() <= kMaxLanguageBytes &&
           std::all_of(tag.begin(), tag.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
           });
}

bool valid_date(std::string_view day) {
    return day.size() == 10 && day[4] == '-' && day[7] == '-' &&
           std::all_of(day.begin(), day.end(),
                       [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

// What a profile may hold, however it came (typed, or read from a box).
std::optional<std::string> problem(const Profile& p) {
    if (!utf8::is_valid(p.name) || utf8::count(p.name) > kMaxNameChars)
        return "the name is not text of at most 128 characters";
    if (!p.phone.empty() && !valid_e164(p.phone)) return "the phone is not an E.164 number";
    if (!p.education.empty() && education_rank(p.education) < 0) return "no such education level";
    if (p.skills.size() > kMaxProfileSkills) return "too many skills";
    if (p.certificates.size() > kMaxCertificates) return "too many certificates";
    if (p.languages.size() > kMaxLanguages) return "too many languages";
    if (!utf8::is_valid(p.place) || utf8::count(p.place) > kMaxPlaceChars) return "not a place";
    std::set<std::string_view> seen;
    for (const std::string& s : p.skills)
        if (!valid_id(s) || !seen.insert(s).second) return "a skill is not an id, or twice";
    seen.clear();
    for (const std::string& l : p.languages)
        if (!valid_language(l) || !seen.insert(l).second) return "not a language tag, or twice";
    seen.clear();
    for (const Certificate& c : p.certificates) {
        if (c.credential.size() != 16 || !seen.insert(c.credential).second)
            return "a certificate's id is not one, or twice";
        if (!valid_id(c.course) || !valid_date(c.issued) || c.skills.size() > kMaxProfileSkills)
            return "a certificate is not one";
        for (const std::string& s : c.skills)
            if (!valid_id(s)) return "a certificate's skill is not an id";
    }
    return std::nullopt;
}

std::optional<std::vector<std::string>> strings(const json& data, const char* key,
                                                std::size_t limit) {
    auto found = data.find(key);
    if (found == data.end()) return std::vector<std::string>{};
    if (!found->is_array() || found->size() > limit) return std::nullopt;
    std::vector<std::string> out;
    for (const json& item : *found) {
        if (!item.is_string()) return std::nullopt;
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::optional<std::string> text(const json& data, const char* key) {
    auto found = data.find(key);
    if (found == data.end()) return std::string();
    if (!found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

void wipe_string(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
}

}  // namespace

std::span<const EducationLevel> education_levels() {
    return kLevels;
}
int education_rank(std::string_view id) {
    for (std::size_t i = 0; i < std::size(kLevels); ++i)
        if (kLevels[i].id == id) return static_cast<int>(i);
    return -1;
}

Seeker Profile::seeker() const {
    Seeker seeker;
    seeker.place = place;
    seeker.education = education;
    std::set<std::string, std::less<>> verified;
    for (const Certificate& c : certificates) verified.insert(c.skills.begin(), c.skills.end());
    std::set<std::string, std::less<>> seen;
    for (const std::string& s : skills)
        if (seen.insert(s).second) seeker.skills.push_back({s, verified.contains(s)});
    for (const Certificate& c : certificates)
        for (const std::string& s : c.skills)
            if (seen.insert(s).second) seeker.skills.push_back({s, true});
    return seeker;
}

void Profile::wipe() {
    wipe_string(name);
    wipe_string(phone);
    *this = Profile{};
}

json to_json(const Profile& profile) {
    json certificates = json::array();
    for (const Certificate& c : profile.certificates)
        certificates.push_back({{"credential", c.credential},
                                {"course", c.course},
                                {"issued", c.issued},
                                {"skills", c.skills}});
    return {{"name", profile.name},           {"phone", profile.phone},
            {"education", profile.education}, {"skills", profile.skills},
            {"certificates", certificates},   {"languages", profile.languages},
            {"place", profile.place}};
}

std::optional<Profile> profile_from_json(const json& data) {
    if (!data.is_object()) return std::nullopt;
    Profile p;
    std::optional<std::string> name = text(data, "name"), phone = text(data, "phone"),
                               education = text(data, "education"), place = text(data, "place");
    auto skills = strings(data, "skills", kMaxProfileSkills);
    auto languages = strings(data, "languages", kMaxLanguages);
    if (!name || !phone || !education || !place || !skills || !languages) return std::nullopt;
    p.name = std::move(*name);
    p.phone = std::move(*phone);
    p.education = std::move(*education);
    p.place = std::move(*place);
    p.skills = std::move(*skills);
    p.languages = std::move(*languages);
    if (auto certificates = data.find("certificates"); certificates != data.end()) {
        if (!certificates->is_array() || certificates->size() > kMaxCertificates)
            return std::nullopt;
        for (const json& c : *certificates) {
            if (!c.is_object()) return std::nullopt;
            std::optional<std::string> id = text(c, "credential"), course = text(c, "course"),
                                       issued = text(c, "issued");
            auto taught = strings(c, "skills", kMaxProfileSkills);
            if (!id || !course || !issued || !taught) return std::nullopt;
            p.certificates.push_back(
                {std::move(*id), std::move(*course), std::move(*issued), std::move(*taught)});
        }
    }
    if (problem(p)) return std::nullopt;
    return p;
}

void Citizen::wipe() {
    profile.wipe();
    login.clear();
    sodium_memzero(box_key.data(), box_key.size());
    consented = false;
}
Citizen::~Citizen() {
    wipe_string(profile.name);
    wipe_string(profile.phone);
    sodium_memzero(box_key.data(), box_key.size());
}

std::span<const Migration> ProfileBook::migrations() {
    static const std::vector<Migration> numbered = [] {
        std::vector<Migration> out(std::begin(kMigrations), std::end(kMigrations));
        const int before = static_cast<int>(ClockGuard::migrations().size());
        for (Migration& m : out) m.version += before;
        return out;
    }();
    return numbered;
}

ProfileBook::ProfileBook(PluginStore& store, std::string centre, std::function<std::string()> today)
    : store_(store), centre_(std::move(centre)), today_(std::move(today)) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

// Boxes the centre's channel already holds (as new as ours or newer) need not stay here; a
// profile the channel marks withdrawn (at another kiosk) is dropped and remembered withdrawn.
void ProfileBook::forget_published() {
    std::vector<std::string> published, withdrawn_there;
    {
        Statement rows = store_.prepare("SELECT login, saved_at FROM nise__profile_boxes");
        while (rows.step()) {
            std::optional<json> record = store_.catalog_record(kProfilesChannel, rows.text(0));
            if (!record || !record->is_object()) continue;
            if (record->contains("withdrawn_at")) {
                withdrawn_there.push_back(rows.text(0));
                continue;
            }
            auto at = record->find("saved_at");
            if (at != record->end() && at->is_string() && at->get<std::string>() >= rows.text(1))
                published.push_back(rows.text(0));
        }
    }
    if (published.empty() && withdrawn_there.empty()) return;
    try {
        store_.transaction([&] {
            for (const std::string& login : published)
                store_.prepare("DELETE FROM nise__profile_boxes WHERE login = ?")
                    .bind_all(login)
                    .run();
            for (const std::string& login : withdrawn_there) {
                store_.prepare("DELETE FROM nise__profile_boxes WHERE login = ?")
                    .bind_all(login)
                    .run();
                store_
                    .prepare(
                        "INSERT OR IGNORE INTO nise__withdrawn (login, withdrawn_at) VALUES (?, ?)")
                    .bind_all(login, kiosk_now().iso())
                    .run();
            }
        });
    } catch (const StorageError&) {
        // A full or failing disk: the boxes stay until the next time, and signing in goes on.
    }
}

std::string ProfileBook::save(Citizen& citizen) {
    if (!citizen.consented)
        throw ProfileRefused("the citizen has not agreed that their profile is kept");
    if (!valid_e164(citizen.profile.phone))
        throw ProfileRefused("a profile is saved under a mobile phone number (E.164)");
    if (std::optional<std::string> why = problem(citizen.profile)) throw ProfileRefused(*why);
    if (!citizen.login.empty() && withdrawn(citizen.login))
        throw ProfileRefused("this profile was withdrawn");
    forget_published();

    std::string code;
    std::string login = citizen.login;
    std::array<std::uint8_t, 32> key = citizen.box_key;
    if (login.empty()) {
        code = return_code::make();
        return_code::Keys keys =
            return_code::derive_keys(citizen.profile.phone, code, centre_, kProfileContexts);
        login = keys.login;
        key = keys.box_key;
    }
    std::string plain = to_json(citizen.profile).dump();
    const std::string box = return_code::seal_box(key, plain);
    sodium_memzero(plain.data(), plain.size());
    if (box.size() > kMaxBoxBytes) {
        sodium_memzero(key.data(), key.size());
        throw ProfileRefused("the profile is too large to save");
    }
    const std::string saved_at = kiosk_now().iso();
    // The local day, not saved_at's UTC one: in Dhaka a save at 00:30 is today's, and the
    // operator's "saved today" asks by the local day.
    const std::string day = today_ ? today_() : saved_at.substr(0, 10);
    try {
        store_.transaction([&] {
            store_
                .prepare(
                    "INSERT OR REPLACE INTO nise__profile_boxes (login, box, saved_at) VALUES (?, "
                    "?, ?)")
                .bind_all(login, box, saved_at)
                .run();
            store_
                .prepare(
                    "INSERT INTO nise__profile_saves (day, login, saved_at) SELECT ?, ?, ? WHERE "
                    "NOT EXISTS (SELECT 1 FROM nise__profile_saves WHERE day = ? AND login = ?)")
                .bind_all(day, login, saved_at, day, login)
                .run();
            store_.emit(
                "nise.profile_saved", {{"login", login}, {"box", box}, {"saved_at", saved_at}},
                {{"fields", {{"name", citizen.profile.name}, {"phone", citizen.profile.phone}}}});
        });
    } catch (...) {
        sodium_memzero(key.data(), key.size());
        throw;
    }
    citizen.login = login;
    citizen.box_key = key;
    sodium_memzero(key.data(), key.size());
    return code;
}

std::optional<Citizen> ProfileBook::sign_in(std::string_view phone_e164, std::string_view code) {
    const std::optional<std::string> normal = return_code::normalise(code);
    if (!normal || !valid_e164(phone_e164)) return std::nullopt;
    forget_published();
    return_code::Keys keys =
        return_code::derive_keys(phone_e164, *normal, centre_, kProfileContexts);
    if (withdrawn(keys.login)) return std::nullopt;
    if (std::optional<json> marker = store_.catalog_record(kProfilesChannel, keys.login);
        marker && marker->is_object() && marker->contains("withdrawn_at"))
        return std::nullopt;  // withdrawn at another kiosk of the centre
    // The newest of this kiosk's box (not yet published) and the channel's.
    std::string box, saved_at;
    {
        Statement row =
            store_.prepare("SELECT box, saved_at FROM nise__profile_boxes WHERE login = ?");
        row.bind_all(keys.login);
        if (row.step()) {
            box = row.text(0);
            saved_at = row.text(1);
        }
    }
    if (std::optional<json> record = store_.catalog_record(kProfilesChannel, keys.login);
        record && record->is_object()) {
        auto b = record->find("box");
        auto at = record->find("saved_at");
        if (b != record->end() && b->is_string() && at != record->end() && at->is_string() &&
            (box.empty() || at->get<std::string>() > saved_at)) {
            box = b->get<std::string>();
            saved_at = at->get<std::string>();
        }
    }
    if (box.empty()) return std::nullopt;
    std::optional<std::string> plain = return_code::open_box(keys.box_key, box);
    if (!plain) return std::nullopt;
    json data = json::parse(*plain, nullptr, false);
    sodium_memzero(plain->data(), plain->size());
    std::optional<Profile> profile = profile_from_json(data);
    if (!profile) return std::nullopt;
    Citizen citizen;
    citizen.profile = std::move(*profile);
    citizen.login = keys.login;
    citizen.box_key = keys.box_key;
    citizen.consented = true;  // a saved profile was saved with consent
    return citizen;
}

void ProfileBook::withdraw(Citizen& citizen) {
    if (citizen.login.empty()) throw ProfileRefused("this profile was never saved");
    const std::string login = citizen.login;
    store_.transaction([&] {
        store_.emit("nise.profile_withdrawn", {{"login", login}});
        store_.prepare("DELETE FROM nise__profile_boxes WHERE login = ?").bind_all(login).run();
        store_.prepare("UPDATE nise__profile_saves SET login = '' WHERE login = ?")
            .bind_all(login)
            .run();
        store_.prepare("INSERT OR IGNORE INTO nise__withdrawn (login, withdrawn_at) VALUES (?, ?)")
            .bind_all(login, kiosk_now().iso())
            .run();
    });
    citizen.wipe();
}

bool ProfileBook::withdrawn(std::string_view login) {
    Statement row = store_.prepare("SELECT 1 FROM nise__withdrawn WHERE login = ?");
    row.bind_all(std::string(login));
    return row.step();
}

int ProfileBook::saved_on(std::string_view day) {
    Statement count = store_.prepare("SELECT count(*) FROM nise__profile_saves WHERE day = ?");
    count.bind_all(std::string(day));
    count.step();
    return static_cast<int>(count.integer(0));
}

}  // namespace seba::nise
