// SPDX-License-Identifier: Apache-2.0
#include "muktopaath_learners.hpp"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "event_payload.hpp"
#include "store_rules.hpp"

namespace seba::server::muktopaath {

namespace {

using json = nlohmann::json;

constexpr std::string_view kChannel = "muktopaath.learners";
constexpr std::size_t kMaxCourses = 200;
constexpr std::size_t kMaxLessons = 200;
constexpr std::size_t kMaxBoxBytes = 4096;
constexpr std::size_t kMaxRecordBytes = rules::kMaxRecordBytes;  // a channel record's
constexpr std::size_t kMaxWaiting = 10000;                       // per centre

using payload::flag;
using payload::integer;
using payload::is_lower_hex;
using payload::text;
using Unreadable = payload::Unreadable;

// A course or lesson id.
bool is_id(std::string_view s) {
    return payload::is_id(s, "-_");
}

// "1.10" after "1.9": dotted numbers compared part by part, text otherwise.
bool version_before(std::string_view a, std::string_view b) {
    auto parts = [](std::string_view v) {
        std::vector<std::int64_t> out;
        std::int64_t n = 0;
        bool digits = false;
        for (char c : v) {
            if (c >= '0' && c <= '9') {
                n = std::min<std::int64_t>(n * 10 + (c - '0'), 1'000'000'000);
                digits = true;
            } else if (c == '.') {
                out.push_back(n);
                n = 0;
            } else {
                return std::optional<std::vector<std::int64_t>>();
            }
        }
        if (!digits) return std::optional<std::vector<std::int64_t>>();
        out.push_back(n);
        return std::optional(out);
    };
    auto pa = parts(a), pb = parts(b);
    if (pa && pb) return *pa < *pb;
    return a < b;
}

int band_rank(std::string_view band) {
    return band == "distinction" ? 3 : band == "merit" ? 2 : band == "pass" ? 1 : 0;
}

// The course entry of `record`, made when new (within the limit).
json& course_of(json& record, const std::string& course) {
    json& courses = record["courses"];
    if (!courses.is_object()) courses = json::object();
    if (!courses.contains(course) && courses.size() >= kMaxCourses)
        throw Unreadable{"the learner has too many courses"};
    json& c = courses[course];
    if (!c.is_object())
        c = {{"version", ""}, {"lessons", json::object()}, {"attempts", 0}, {"passed", false}};
    return c;
}

void note_version(json& c, const std::string& version) {
    const std::string now = c.value("version", std::string());
    if (now.empty() || version_before(now, version)) c["version"] = version;
}

// Applies one event to the record; the record is the learner's, looked up by login.
void apply(json& record, std::string_view type, const json& p, std::string_view created_at) {
    const std::string course = text(p, "course", 64);
    if (!is_id(course)) throw Unreadable{"course is not an id"};
    const std::string version = text(p, "version", 32);
    json& c = course_of(record, course);
    note_version(c, version);
    if (type == "muktopaath.enrolled") return;
    if (type == "muktopaath.progress") {
        const std::string lesson = text(p, "lesson", 64);
        if (!is_id(lesson)) throw Unreadable{"lesson is not an id"};
        const std::int64_t page = integer(p, "page", 0, 1000);
        const bool done = flag(p, "done");
        json& lessons = c["lessons"];
        if (!lessons.contains(lesson) && lessons.size() >= kMaxLessons)
            throw Unreadable{"too many lessons"};
        json& l = lessons[lesson];
        if (!l.is_object()) l = {{"page", 0}, {"done", false}};
        l["page"] = std::max(l.value("page", std::int64_t{0}), page);
        l["done"] = l.value("done", false) || done;
        return;
    }
    if (type == "muktopaath.quiz_attempt") {
        const std::int64_t attempt = integer(p, "attempt", 1, 1000);
        integer(p, "score", 0, 100);
        const bool passed = flag(p, "passed");
        c["attempts"] = std::max(c.value("attempts", std::int64_t{0}), attempt);
        if (!created_at.empty() &&
            std::string(created_at) > c.value("last_attempt_at", std::string()))
            c["last_attempt_at"] = std::string(created_at);
        c["passed"] = c.value("passed", false) || passed;
        return;
    }
    if (type == "muktopaath.certified") {
        const std::string band = text(p, "score_band", 16);
        const std::string box = text(p, "box", kMaxBoxBytes);
        text(p, "credential", 64);
        c["passed"] = true;
        // The best certificate is the one the learner reprints; of equals, the latest.
        const std::string had = c.value("score_band", std::string());
        const std::string had_at = c.value("certified_at", std::string());
        if (band_rank(band) > band_rank(had) ||
            (band_rank(band) == band_rank(had) && std::string(created_at) >= had_at)) {
            c["score_band"] = band;
            c["certificate"] = box;
            c["certified_at"] = std::string(created_at);
        }
        return;
    }
    throw Unreadable{"not an event type of MuktoPaath"};
}

std::optional<json> load(Database& db, const std::string& centre, const std::string& login) {
    Statement row = db.prepare(
        "SELECT data FROM server__channel_records WHERE channel = ? AND scope = ? AND key = ? AND "
        "data IS NOT NULL");
    row.bind_all(std::string(kChannel), centre, login);
    if (!row.step()) return std::nullopt;
    json data = json::parse(row.text(0), nullptr, false);
    if (!data.is_object()) return std::nullopt;
    return data;
}

// Writes the record as a new version of the channel when it changed.
void save(Database& db, const std::string& centre, const std::string& login, const json& record) {
    const std::string text = record.dump();
    if (text.size() > kMaxRecordBytes) throw Unreadable{"the learner's record would be too large"};
    const std::string hash = rules::hash_hex(text);
    {
        Statement old = db.prepare(
            "SELECT data_hash FROM server__channel_records WHERE channel = ? AND scope = ? AND "
            "key = ?");
        old.bind_all(std::string(kChannel), centre, login);
        if (old.step() && !old.is_null(0) && old.text(0) == hash) return;
    }
    std::int64_t head = 0;
    {
        Statement row = db.prepare("SELECT per_centre, head FROM server__channels WHERE name = ?");
        row.bind_all(std::string(kChannel));
        if (row.step()) {
            if (row.integer(0) == 0)
                throw Unreadable{"channel muktopaath.learners is published for every centre"};
            head = row.integer(1);
        } else {
            db.prepare(
                  "INSERT INTO server__channels (name, per_centre, updated_at) VALUES (?, 1, "
                  "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")
                .bind_all(std::string(kChannel))
                .run();
        }
    }
    ++head;
    db.prepare(
          "INSERT INTO server__channel_records (channel, scope, key, data, data_hash, version) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (channel, scope, key) DO UPDATE SET "
          "data = ?4, data_hash = ?5, version = ?6")
        .bind_all(std::string(kChannel), centre, login, text, hash, head)
        .run();
    db.prepare(
          "UPDATE server__channels SET head = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
          "'now') WHERE name = ?")
        .bind_all(head, std::string(kChannel))
        .run();
}

}  // namespace

std::optional<std::string> project(Database& db, const StoredEvent& event) {
    if (!event.type.starts_with("muktopaath.")) return std::nullopt;
    try {
        const json p = json::parse(event.payload, nullptr, false);
        if (!p.is_object()) throw Unreadable{"the payload is not an object"};
        const std::string learner = text(p, "learner", 32);
        if (!is_lower_hex(learner, 32)) throw Unreadable{"learner is not 32 hex digits"};
        if (event.type == "muktopaath.enrolled") {
            const std::string login = text(p, "login", 64);
            if (!is_lower_hex(login, 64)) throw Unreadable{"login is not 64 hex digits"};
            const std::string box = text(p, "box", kMaxBoxBytes);
            db.prepare(
                  "INSERT OR IGNORE INTO server__muktopaath_learners (centre, learner, login) "
                  "VALUES (?, ?, ?)")
                .bind_all(event.centre, learner, login)
                .run();
            json record = load(db, event.centre, login).value_or(json::object());
            if (!record.contains("learner")) record["learner"] = learner;
            if (record.value("box", std::string()).empty()) record["box"] = box;
            if (!record.contains("courses")) record["courses"] = json::object();
            apply(record, event.type, p, event.created_at);
            // What arrived before the enrolment, in the order it arrived.
            Statement waiting = db.prepare(
                "SELECT type, payload, created_at FROM server__muktopaath_waiting WHERE centre = "
                "? AND learner = ? ORDER BY seq");
            waiting.bind_all(event.centre, learner);
            while (waiting.step()) {
                try {
                    apply(record, waiting.text(0), json::parse(waiting.text(1)), waiting.text(2));
                } catch (const Unreadable&) {
                }
            }
            db.prepare("DELETE FROM server__muktopaath_waiting WHERE centre = ? AND learner = ?")
                .bind_all(event.centre, learner)
                .run();
            save(db, event.centre, login, record);
            return std::nullopt;
        }
        std::string login;
        {
            Statement row = db.prepare(
                "SELECT login FROM server__muktopaath_learners WHERE centre = ? AND learner = ?");
            row.bind_all(event.centre, learner);
            if (row.step()) login = row.text(0);
        }
        if (login.empty()) {
            json check = json::object();
            apply(check, event.type, p, event.created_at);  // refuse what could never apply
            Statement count =
                db.prepare("SELECT count(*) FROM server__muktopaath_waiting WHERE centre = ?");
            count.bind_all(event.centre);
            count.step();
            if (static_cast<std::size_t>(count.integer(0)) >= kMaxWaiting)
                throw Unreadable{"too many events wait for their learner's enrolment"};
            db.prepare(
                  "INSERT INTO server__muktopaath_waiting (centre, learner, type, payload, "
                  "created_at) VALUES (?, ?, ?, ?, ?)")
                .bind_all(event.centre, learner, event.type, event.payload, event.created_at)
                .run();
            return std::nullopt;
        }
        json record = load(db, event.centre, login).value_or(json{{"learner", learner}});
        apply(record, event.type, p, event.created_at);
        save(db, event.centre, login, record);
        return std::nullopt;
    } catch (const Unreadable& u) {
        return u.why;
    } catch (const json::exception& e) {
        return std::string("unreadable: ") + e.what();
    }
}

}  // namespace seba::server::muktopaath
