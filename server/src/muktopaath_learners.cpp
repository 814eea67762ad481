// SPDX-License-Identifier: Apache-2.0
#include "muktopaath_learners.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "learners_rules.hpp"
#include "store_rules.hpp"

namespace seba::server::muktopaath {

namespace {

using json = nlohmann::json;
using Unreadable = payload::Unreadable;

std::optional<json> load(Database& db, const std::string& centre, const std::string& login) {
    Statement row = db.prepare(
        "SELECT data FROM server__channel_records WHERE channel = ? AND scope = ? AND key = ? AND "
        "data IS NOT NULL");
    row.bind_all(std::string(kChannel), centre, login);
    if (!row.step()) return std::nullopt;
    return record_from(row.text(0));
}

// Writes the record as a new version of the channel when it changed.
void save(Database& db, const std::string& centre, const std::string& login, const json& record) {
    const std::string text = record_text(record);
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
            if (row.integer(0) == 0) throw Unreadable{channel_not_per_centre_reason()};
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
    if (!concerns_learners(event)) return std::nullopt;
    try {
        const Read read = read_event(event);
        const json& p = read.payload;
        const std::string& learner = read.learner;
        if (event.type == kEnrolled) {
            db.prepare(
                  "INSERT OR IGNORE INTO server__muktopaath_learners (centre, learner, login) "
                  "VALUES (?, ?, ?)")
                .bind_all(event.centre, learner, read.login)
                .run();
            json record = enrolled_record(load(db, event.centre, read.login), read);
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
            save(db, event.centre, read.login, record);
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
