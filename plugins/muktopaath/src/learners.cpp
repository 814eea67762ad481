// SPDX-License-Identifier: Apache-2.0
#include "learners.hpp"

#include <sodium.h>

#include <algorithm>
#include <seba/ui/i18n.hpp>
#include <vector>

namespace seba::mp {

namespace {

using json = nlohmann::json;

constexpr Migration kMigrations[] = {
    {1, "learners, enrolments, progress, attempts and certificates", R"sql(
CREATE TABLE muktopaath__learners (
    learner TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    box TEXT NOT NULL,
    enrolled_at TEXT NOT NULL
);
CREATE TABLE muktopaath__enrolments (
    learner TEXT NOT NULL,
    course TEXT NOT NULL,
    version TEXT NOT NULL,
    login TEXT NOT NULL,
    box TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (learner, course)
);
CREATE INDEX muktopaath__enrolments_by_day ON muktopaath__enrolments (substr(at, 1, 10));
CREATE TABLE muktopaath__progress (
    seq INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    course TEXT NOT NULL,
    version TEXT NOT NULL,
    lesson TEXT NOT NULL,
    page INTEGER NOT NULL,
    done INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX muktopaath__progress_by_learner ON muktopaath__progress (learner, course);
CREATE TABLE muktopaath__attempts (
    learner TEXT NOT NULL,
    course TEXT NOT NULL,
    version TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    score INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (learner, course, attempt)
);
CREATE TABLE muktopaath__certificates (
    learner TEXT NOT NULL,
    course TEXT NOT NULL,
    version TEXT NOT NULL,
    credential TEXT NOT NULL,
    score_band TEXT NOT NULL,
    box TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (learner, course, version)
);
)sql"},
};

std::string hex(std::span<const std::uint8_t> bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

std::string now_iso() {
    return kiosk_now().iso();
}

std::string random_id() {
    std::array<std::uint8_t, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    return hex(bytes);
}

}  // namespace

void merge(CourseRecord& into, const CourseRecord& from) {
    if (into.version.empty()) into.version = from.version;
    for (const auto& [id, lesson] : from.lessons) {
        LessonProgress& mine = into.lessons[id];
        mine.page = std::max(mine.page, lesson.page);
        mine.done = mine.done || lesson.done;
    }
    into.attempts.used = std::max(into.attempts.used, from.attempts.used);
    if (from.attempts.last_at &&
        (!into.attempts.last_at || *into.attempts.last_at < *from.attempts.last_at))
        into.attempts.last_at = from.attempts.last_at;
    into.attempts.passed = into.attempts.passed || from.attempts.passed;
    if (into.score_band.empty()) into.score_band = from.score_band;
    if (into.certificate.empty()) into.certificate = from.certificate;
}

LearnerRecord learner_from_json(std::string_view login, const json& data) {
    LearnerRecord r;
    r.login = std::string(login);
    if (!data.is_object()) return r;
    auto text = [](const json& o, const char* key) {
        auto f = o.find(key);
        return f != o.end() && f->is_string() ? f->get<std::string>() : std::string();
    };
    r.learner = text(data, "learner");
    r.box = text(data, "box");
    auto courses = data.find("courses");
    if (courses == data.end() || !courses->is_object()) return r;
    for (const auto& [id, c] : courses->items()) {
        if (!c.is_object()) continue;
        CourseRecord cr;
        cr.version = text(c, "version");
        if (auto lessons = c.find("lessons"); lessons != c.end() && lessons->is_object())
            for (const auto& [lesson, p] : lessons->items()) {
                if (!p.is_object()) continue;
                LessonProgress lp;
                if (auto page = p.find("page"); page != p.end() && page->is_number_integer())
                    lp.page = static_cast<int>(std::clamp<std::int64_t>(
                        page->get<std::int64_t>(), 0, static_cast<std::int64_t>(kMaxPages)));
                lp.done = p.value("done", false) == true;
                cr.lessons[lesson] = lp;
            }
        if (auto a = c.find("attempts"); a != c.end() && a->is_number_integer())
            cr.attempts.used =
                static_cast<int>(std::clamp<std::int64_t>(a->get<std::int64_t>(), 0, 1000));
        cr.attempts.last_at = parse_iso(text(c, "last_attempt_at"));
        cr.attempts.passed = c.value("passed", false) == true;
        cr.score_band = text(c, "score_band");
        cr.certificate = text(c, "certificate");
        r.courses[id] = std::move(cr);
    }
    return r;
}

json to_json(const LearnerRecord& record) {
    json courses = json::object();
    for (const auto& [id, c] : record.courses) {
        json lessons = json::object();
        for (const auto& [lesson, p] : c.lessons)
            lessons[lesson] = {{"page", p.page}, {"done", p.done}};
        json out = {{"version", c.version},
                    {"lessons", lessons},
                    {"attempts", c.attempts.used},
                    {"passed", c.attempts.passed}};
        if (!c.score_band.empty()) out["score_band"] = c.score_band;
        if (!c.certificate.empty()) out["certificate"] = c.certificate;
        courses[id] = std::move(out);
    }
    return {{"learner", record.learner}, {"box", record.box}, {"courses", courses}};
}

void Learner::wipe() {
    sodium_memzero(name.data(), name.size());
    name.clear();
    login.clear();
    learner.clear();
    sodium_memzero(keys.box_key.data(), keys.box_key.size());
}

std::span<const Migration> LearnerBook::migrations() {
    return kMigrations;
}

LearnerBook::LearnerBook(PluginStore& store, std::string centre)
    : store_(store), centre_(std::move(centre)) {
}

LearnerBook::Enrolled LearnerBook::enrol(std::string_view name, std::string_view phone_e164,
                                         std::string_view nid, const Course& course) {
    Enrolled out;
    out.code = return_code::make();
    out.learner.keys = derive_keys(phone_e164, out.code, centre_);
    out.learner.login = out.learner.keys.login;
    out.learner.learner = random_id();
    out.learner.name = std::string(name);
    const std::string box =
        return_code::seal_box(out.learner.keys.box_key, json{{"name", name}}.dump());
    json sealed = {{"fields", {{"name", name}, {"phone", phone_e164}}}};
    if (!nid.empty()) sealed["identifier"] = nid;
    const std::string at = now_iso();
    store_.transaction([&] {
        store_
            .prepare(
                "INSERT INTO muktopaath__learners (learner, login, box, enrolled_at) VALUES (?, ?, "
                "?, ?)")
            .bind_all(out.learner.learner, out.learner.login, box, at)
            .run();
        store_
            .prepare(
                "INSERT INTO muktopaath__enrolments (learner, course, version, login, box, at) "
                "VALUES (?, ?, ?, ?, ?, ?)")
            .bind_all(out.learner.learner, course.id, course.version, out.learner.login, box, at)
            .run();
        store_.emit("muktopaath.enrolled",
                    {{"learner", out.learner.learner},
                     {"login", out.learner.login},
                     {"box", box},
                     {"course", course.id},
                     {"version", course.version}},
                    sealed);
    });
    return out;
}

void LearnerBook::enrol(const Learner& learner, const Course& course) {
    const LearnerRecord known = record(learner);
    if (known.courses.contains(course.id)) return;
    const std::string box =
        known.box.empty()
            ? return_code::seal_box(learner.keys.box_key, json{{"name", learner.name}}.dump())
            : known.box;
    store_.transaction([&] {
        store_
            .prepare(
                "INSERT OR IGNORE INTO muktopaath__enrolments (learner, course, version, login, "
                "box, at) VALUES (?, ?, ?, ?, ?, ?)")
            .bind_all(learner.learner, course.id, course.version, learner.login, box, now_iso())
            .run();
        store_.emit("muktopaath.enrolled", {{"learner", learner.learner},
                                            {"login", learner.login},
                                            {"box", box},
                                            {"course", course.id},
                                            {"version", course.version}});
    });
}

std::optional<LearnerRecord> LearnerBook::local(std::string_view login) {
    Statement row = store_.prepare("SELECT learner, box FROM muktopaath__learners WHERE login = ?");
    row.bind_all(std::string(login));
    if (row.step()) {
        LearnerRecord r;
        r.learner = row.text(0);
        r.login = std::string(login);
        r.box = row.text(1);
        return r;
    }
    // Enrolled here in a further course only (signed in from the channel).
    Statement enrolment =
        store_.prepare("SELECT learner, box FROM muktopaath__enrolments WHERE login = ? LIMIT 1");
    enrolment.bind_all(std::string(login));
    if (!enrolment.step()) return std::nullopt;
    LearnerRecord r;
    r.learner = enrolment.text(0);
    r.login = std::string(login);
    r.box = enrolment.text(1);
    return r;
}

std::optional<Learner> LearnerBook::sign_in(std::string_view phone_e164, std::string_view code) {
    Learner learner;
    learner.keys = derive_keys(phone_e164, code, centre_);
    learner.login = learner.keys.login;
    std::optional<LearnerRecord> found = local(learner.login);
    if (!found) {
        std::optional<json> data = store_.catalog_record("muktopaath.learners", learner.login);
        if (!data) return std::nullopt;
        found = learner_from_json(learner.login, *data);
    }
    std::optional<std::string> plain = return_code::open_box(learner.keys.box_key, found->box);
    if (!plain || found->learner.empty()) return std::nullopt;
    json box = json::parse(*plain, nullptr, false);
    sodium_memzero(plain->data(), plain->size());
    if (!box.is_object() || !box.contains("name") || !box["name"].is_string()) return std::nullopt;
    learner.learner = found->learner;
    learner.name = box["name"].get<std::string>();
    return learner;
}

LearnerRecord LearnerBook::record(const Learner& learner) {
    LearnerRecord r;
    if (std::optional<json> data = store_.catalog_record("muktopaath.learners", learner.login))
        r = learner_from_json(learner.login, *data);
    if (std::optional<LearnerRecord> mine = local(learner.login)) {
        if (r.learner.empty()) r.learner = mine->learner;
        if (r.box.empty()) r.box = mine->box;
    }
    r.learner = r.learner.empty() ? learner.learner : r.learner;
    r.login = learner.login;
    const std::string id = learner.learner;
    {
        Statement rows =
            store_.prepare("SELECT course, version FROM muktopaath__enrolments WHERE learner = ?");
        rows.bind_all(id);
        while (rows.step()) {
            CourseRecord& c = r.courses[rows.text(0)];
            if (c.version.empty()) c.version = rows.text(1);
        }
    }
    {
        Statement rows = store_.prepare(
            "SELECT course, version, lesson, max(page), max(done) FROM muktopaath__progress "
            "WHERE learner = ? GROUP BY course, lesson");
        rows.bind_all(id);
        while (rows.step()) {
            CourseRecord local;
            local.version = rows.text(1);
            local.lessons[rows.text(2)] = {static_cast<int>(rows.integer(3)), rows.integer(4) != 0};
            merge(r.courses[rows.text(0)], local);
        }
    }
    {
        Statement rows = store_.prepare(
            "SELECT course, version, max(attempt), max(at), max(passed) FROM muktopaath__attempts "
            "WHERE learner = ? GROUP BY course");
        rows.bind_all(id);
        while (rows.step()) {
            CourseRecord local;
            local.version = rows.text(1);
            local.attempts.used = static_cast<int>(rows.integer(2));
            local.attempts.last_at = parse_iso(rows.text(3));
            local.attempts.passed = rows.integer(4) != 0;
            merge(r.courses[rows.text(0)], local);
        }
    }
    {
        Statement rows = store_.prepare(
            "SELECT course, version, score_band, box FROM muktopaath__certificates WHERE learner "
            "= ? ORDER BY at DESC");
        rows.bind_all(id);
        while (rows.step()) {
            CourseRecord& c = r.courses[rows.text(0)];
            // This kiosk's newest certificate over an older one the channel holds.
            c.score_band = rows.text(2);
            c.certificate = rows.text(3);
            c.attempts.passed = true;
            if (c.version.empty()) c.version = rows.text(1);
        }
    }
    return r;
}

void LearnerBook::record_progress(const Learner& learner, const Course& course,
                                  std::string_view lesson, int page, bool done) {
    store_.transaction([&] {
        store_
            .prepare(
                "INSERT INTO muktopaath__progress (learner, course, version, lesson, page, done, "
                "at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind_all(learner.learner, course.id, course.version, std::string(lesson), page,
                      done ? 1 : 0, now_iso())
            .run();
        store_.emit("muktopaath.progress", {{"learner", learner.learner},
                                            {"course", course.id},
                                            {"version", course.version},
                                            {"lesson", lesson},
                                            {"page", page},
                                            {"done", done}});
    });
}

void LearnerBook::record_attempt(const Learner& learner, const Course& course, int score,
                                 bool passed, int attempt) {
    store_.transaction([&] {
        store_
            .prepare(
                "INSERT INTO muktopaath__attempts (learner, course, version, attempt, score, "
                "passed, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind_all(learner.learner, course.id, course.version, attempt, score, passed ? 1 : 0,
                      now_iso())
            .run();
        store_.emit("muktopaath.quiz_attempt", {{"learner", learner.learner},
                                                {"course", course.id},
                                                {"version", course.version},
                                                {"score", score},
                                                {"passed", passed},
                                                {"attempt", attempt}});
    });
}

void LearnerBook::record_certificate(const Learner& learner, const Course& course,
                                     std::string_view credential_id, std::string_view band,
                                     std::string_view credential_qr) {
    const std::string box = return_code::seal_box(learner.keys.box_key, credential_qr);
    store_.transaction([&] {
        store_
            .prepare(
                "INSERT OR REPLACE INTO muktopaath__certificates (learner, course, version, "
                "credential, score_band, box, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind_all(learner.learner, course.id, course.version, std::string(credential_id),
                      std::string(band), box, now_iso())
            .run();
        store_.emit("muktopaath.certified", {{"learner", learner.learner},
                                             {"course", course.id},
                                             {"version", course.version},
                                             {"credential", credential_id},
                                             {"score_band", band},
                                             {"box", box}});
    });
}

int LearnerBook::enrolled_on(std::string_view day) {
    Statement count =
        store_.prepare("SELECT count(*) FROM muktopaath__enrolments WHERE substr(at, 1, 10) = ?");
    count.bind_all(std::string(day));
    count.step();
    return static_cast<int>(count.integer(0));
}

}  // namespace seba::mp
