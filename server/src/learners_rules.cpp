// SPDX-License-Identifier: Apache-2.0
// MuktoPaath's learners projection without its storage, shared by the SQLite and PostgreSQL
// stores (learners_rules.hpp).
#include "learners_rules.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "store_rules.hpp"

namespace seba::server::muktopaath {

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxCourses = 200;
constexpr std::size_t kMaxLessons = 200;
constexpr std::size_t kMaxBoxBytes = 4096;
constexpr std::size_t kMaxRecordBytes = rules::kMaxRecordBytes;  // a channel record's

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

}  // namespace

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

Read read_event(const StoredEvent& event) {
    Read out;
    out.payload = json::parse(event.payload, nullptr, false);
    const json& p = out.payload;
    if (!p.is_object()) throw Unreadable{"the payload is not an object"};
    out.learner = text(p, "learner", 32);
    if (!is_lower_hex(out.learner, 32)) throw Unreadable{"learner is not 32 hex digits"};
    if (event.type == kEnrolled) {
        out.login = text(p, "login", 64);
        if (!is_lower_hex(out.login, 64)) throw Unreadable{"login is not 64 hex digits"};
        out.box = text(p, "box", kMaxBoxBytes);
    }
    return out;
}

std::optional<json> record_from(const std::optional<std::string>& data) {
    if (!data) return std::nullopt;
    json record = json::parse(*data, nullptr, false);
    if (!record.is_object()) return std::nullopt;
    return record;
}

json enrolled_record(std::optional<json> had, const Read& enrolment) {
    json record = had ? std::move(*had) : json::object();
    if (!record.contains("learner")) record["learner"] = enrolment.learner;
    if (record.value("box", std::string()).empty()) record["box"] = enrolment.box;
    if (!record.contains("courses")) record["courses"] = json::object();
    return record;
}

std::string record_text(const json& record) {
    std::string text = record.dump();
    if (text.size() > kMaxRecordBytes) throw Unreadable{"the learner's record would be too large"};
    return text;
}

std::string channel_not_per_centre_reason() {
    return "channel muktopaath.learners is published for every centre";
}

}  // namespace seba::server::muktopaath
