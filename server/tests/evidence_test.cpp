// SPDX-License-Identifier: Apache-2.0
// The pilot's evidence (docs/civil-service.md, "The evidence") from what real kiosks pushed
// to the real seba-server over loopback: three centres (two districts of one region, and
// another region), services delivered over months, exit surveys with skipped answers,
// events sent twice, late surveys, grievances and their answers. Every figure of every level
// is compared with a computation in plain C++ over what the kiosks sent.
#include "seba/server/evidence.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "csv.hpp"
#include "process.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"
#include "seba/sync_client.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// "2026-MM-DDTHH:MM:SS.mmmZ" for a day of 2026 and milliseconds since its midnight.
std::string at(int month, int day, std::int64_t ms) {
    return fmt::format("2026-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", month, day,
                       ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60, ms % 1000);
}

// One kiosk of a centre: its own database and device key, enrolled with the real server, and
// its real outbox and signed pushes.
class Kiosk {
  public:
    Kiosk(Store& store, const std::string& centre, const std::string& url) : centre_(centre) {
        migrate_core(db_);
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = dir_ / "device.key";
        options.total_timeout_ms = 10000;
        client_ = std::make_unique<SyncClient>(db_, options);
        client_->enroll(store.create_enrollment_code(centre, std::chrono::hours(1), Clock::now()));
    }
    const std::string& centre() const { return centre_; }

    // An event in the outbox, as a plugin's emit leaves it; its uuid.
    std::string queue(const std::string& type, const json& payload, const std::string& created_at) {
        static int next = 0;
        std::string uuid = fmt::format("00000000-0000-4000-8000-{:012d}", ++next);
        queue_again(uuid, type, payload, created_at);
        return uuid;
    }
    // The same uuid again: a reply that was lost, so the kiosk sends it once more.
    void queue_again(const std::string& uuid, const std::string& type, const json& payload,
                     const std::string& created_at) {
        db_.prepare(
               "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) VALUES (?, "
               "'dc', ?, ?, ?)")
            .bind_all(uuid, type, payload.dump(), created_at)
            .run();
    }
    SyncClient::PushReport push() { return client_->push_outbox(); }
    // Why the server refused an event ("" while it is not failed).
    std::string failure(const std::string& uuid) {
        Statement row = db_.prepare(
            "SELECT coalesce(last_error, '') FROM core__outbox WHERE uuid = ? AND state = "
            "'failed'");
        row.bind_all(uuid);
        return row.step() ? row.text(0) : std::string();
    }
    std::int64_t pending() {
        Statement row = db_.prepare("SELECT count(*) FROM core__outbox WHERE state = 'pending'");
        row.step();
        return row.integer(0);
    }

  private:
    std::string centre_;
    seba::testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "kiosk.db");
    std::unique_ptr<SyncClient> client_;
};

// What the kiosks sent and the server accepted, in the order it received them: the test's
// own account, from which it computes every figure without SQL.
struct Sent {
    std::string centre;
    std::string uuid;
    std::string type;
    json payload;
    std::string created_at;
};

struct Place {
    std::string region, district;
};

// A filter from the names the CLI's options give its fields.
EvidenceFilter where(const std::map<std::string, std::string>& fields) {
    EvidenceFilter f;
    for (const auto& [name, value] : fields) {
        std::string* field = name == "from"       ? &f.from_month
                             : name == "to"       ? &f.to_month
                             : name == "region"   ? &f.region
                             : name == "district" ? &f.district
                             : name == "centre"   ? &f.centre
                                                  : &f.service;
        *field = value;
    }
    return f;
}

// Nearest rank: the value at rank ceil(p * n / 100).
std::optional<double> percentile(std::vector<double> values, int p) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    const std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;
    return values[rank - 1];
}

double minutes_between(const std::string& from, const std::string& to) {
    auto ms = [](const std::string& t) {
        // 2026-MM-DDTHH:MM:SS.mmmZ: days of 2026 suffice for these tests.
        static constexpr int kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
        const int month = std::stoi(t.substr(5, 2)), day = std::stoi(t.substr(8, 2));
        const std::int64_t days = kBefore[month - 1] + day;
        return ((days * 24 + std::stoi(t.substr(11, 2))) * 60 + std::stoi(t.substr(14, 2))) *
                   60'000LL +
               std::stoi(t.substr(17, 2)) * 1000LL + std::stoi(t.substr(20, 3));
    };
    return static_cast<double>(ms(to) - ms(from)) / 60'000.0;
}

class EvidenceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const auto& [id, place] : places_) {
            store_->create_centre(id, "Centre " + id);
            store_->set_centre_place(id, place.region, place.district);
        }
        server_ = std::make_unique<RunningServer>(*store_);
        for (const auto& [id, place] : places_)
            kiosks_.emplace(id, std::make_unique<Kiosk>(*store_, id, server_->url()));
        store_->publish("tcv.baselines", "",
                        {{"birth_registration", R"({"minutes": 420, "cost": 350000, "visits": 3,
               "currency": "UZS", "source": "ministry study 2025", "illustrative": true})"},
                         {"land_mutation", R"({"minutes": 2880, "cost": 900000, "visits": 5,
               "currency": "UZS", "source": "estimate", "illustrative": true})"},
                         {"p.one", R"({"minutes": "a lot"})"}},  // not a baseline: no numbers
                        true, false);
    }

    Kiosk& kiosk(const std::string& centre) { return *kiosks_.at(centre); }

    // A service delivered: the plugin's event with its `tcv` member.
    std::string deliver(const std::string& centre, const std::string& tracking,
                        const std::string& service, const std::string& arrived_at,
                        const std::string& ended_at, std::int64_t cost) {
        json payload = {{"service", service},
                        {"tcv",
                         {{"tracking", tracking},
                          {"service", service},
                          {"arrived_at", arrived_at},
                          {"ended_at", ended_at},
                          {"cost", cost},
                          {"currency", cost > 0 ? "UZS" : ""}}}};
        return send(centre, "dc.request_confirmed", payload, ended_at);
    }

    std::string send(const std::string& centre, const std::string& type, const json& payload,
                     const std::string& created_at, bool accepted = true) {
        std::string uuid = kiosk(centre).queue(type, payload, created_at);
        if (accepted) sent_.push_back({centre, uuid, type, payload, created_at});
        return uuid;
    }

    void push_all() {
        for (auto& [id, k] : kiosks_) {
            k->push();
            EXPECT_EQ(k->pending(), 0) << id;
        }
    }

    // The figures, computed from `sent_` alone.
    Evidence expected(EvidenceLevel level, const EvidenceFilter& filter) {
        auto area = [&](const std::string& centre) -> std::string {
            switch (level) {
                case EvidenceLevel::Country:
                    return "";
                case EvidenceLevel::Region:
                    return places_.at(centre).region;
                case EvidenceLevel::District:
                    return places_.at(centre).district;
                case EvidenceLevel::Centre:
                    return centre;
            }
            return "";
        };
        auto kept = [&](const std::string& centre, const std::string& month,
                        const std::string& service) {
            const Place& p = places_.at(centre);
            return (filter.from_month.empty() || month >= filter.from_month) &&
                   (filter.to_month.empty() || month <= filter.to_month) &&
                   (filter.region.empty() || p.region == filter.region) &&
                   (filter.district.empty() || p.district == filter.district) &&
                   (filter.centre.empty() || centre == filter.centre) &&
                   (filter.service.empty() || service == filter.service);
        };
        // First received per (centre, tracking number), services and surveys alike.
        std::map<std::pair<std::string, std::string>, const Sent*> services, surveys;
        std::map<std::pair<std::string, std::string>, const Sent*> grievances;
        for (const Sent& s : sent_) {
            auto key = [&](const json& id) {
                return std::pair<std::string, std::string>(s.centre, id.get<std::string>());
            };
            if (s.payload.contains("tcv")) services.emplace(key(s.payload["tcv"]["tracking"]), &s);
            if (s.type == "tcv.survey") surveys.emplace(key(s.payload["tracking"]), &s);
            if (s.type == "civil_service.grievance")
                grievances.emplace(key(s.payload["reference"]), &s);
        }
        struct Group {
            std::int64_t requests = 0, surveys = 0, paid_extra = 0;
            std::vector<double> centre, minutes, cost, visits, ratings;
            std::array<std::int64_t, 5> by_rating{};
        };
        std::map<std::tuple<std::string, std::string, std::string>, Group> groups;
        for (const auto& [key, s] : services) {
            const json& tcv = s->payload["tcv"];
            const std::string month = tcv["ended_at"].get<std::string>().substr(0, 7);
            const std::string service = tcv["service"].get<std::string>();
            if (!kept(s->centre, month, service)) continue;
            Group& g = groups[{month, area(s->centre), service}];
            ++g.requests;
            const double centre_minutes = minutes_between(tcv["arrived_at"].get<std::string>(),
                                                          tcv["ended_at"].get<std::string>());
            g.centre.push_back(centre_minutes);
            auto survey = surveys.find(key);
            if (survey == surveys.end()) continue;
            const json& a = survey->second->payload;
            auto answer = [&](const char* name) -> std::optional<std::int64_t> {
                if (!a.contains(name) || a[name].is_null()) return std::nullopt;
                return a[name].get<std::int64_t>();
            };
            ++g.surveys;
            const auto visits = answer("visits"), travel = answer("travel_minutes"),
                       fare = answer("travel_cost"), extra = answer("extra_amount"),
                       rating = answer("rating");
            if (visits) g.visits.push_back(static_cast<double>(*visits));
            if (visits && travel)
                g.minutes.push_back(centre_minutes + static_cast<double>(*visits * 2 * *travel));
            if (visits && fare)
                g.cost.push_back(static_cast<double>(tcv["cost"].get<std::int64_t>() +
                                                     *visits * 2 * *fare + extra.value_or(0)));
            if (a.contains("paid_extra") && a["paid_extra"] == true) ++g.paid_extra;
            if (rating) {
                ++g.by_rating[static_cast<std::size_t>(*rating - 1)];
                g.ratings.push_back(static_cast<double>(*rating));
            }
        }
        Evidence out;
        out.level = level;
        out.filter = filter;
        for (const auto& [key, g] : groups) {
            EvidenceRow r;
            std::tie(r.month, r.area, r.service) = key;
            r.requests = g.requests;
            r.median_centre_minutes = percentile(g.centre, 50);
            r.p90_centre_minutes = percentile(g.centre, 90);
            r.surveys = g.surveys;
            r.baseline = baseline(r.service);
            if (g.surveys >= kMinAnswersShown) {
                auto shown = [](const std::vector<double>& v) {
                    return v.size() >= static_cast<std::size_t>(kMinAnswersShown)
                               ? percentile(v, 50)
                               : std::nullopt;
                };
                r.median_minutes = shown(g.minutes);
                r.median_cost = shown(g.cost);
                r.median_visits = shown(g.visits);
                if (r.baseline && r.median_minutes)
                    r.saved_minutes = r.baseline->minutes - *r.median_minutes;
                if (r.baseline && r.median_cost) r.saved_cost = r.baseline->cost - *r.median_cost;
                if (r.baseline && r.median_visits)
                    r.saved_visits = r.baseline->visits - *r.median_visits;
                r.paid_extra = g.paid_extra;
                r.ratings = g.by_rating;
                if (!g.ratings.empty()) {
                    double sum = 0;
                    for (double v : g.ratings) sum += v;
                    r.mean_rating = sum / static_cast<double>(g.ratings.size());
                }
            }
            out.rows.push_back(r);
        }
        std::map<std::tuple<std::string, std::string, std::string>, GrievanceRow> filed;
        for (const auto& [key, s] : grievances) {
            std::string month = s->created_at.substr(0, 7);
            if (s->created_at.empty()) month = received_at(s->centre, s->uuid).substr(0, 7);
            const std::string category = s->payload.value("category", "");
            if (!kept(s->centre, month, s->payload.value("service", ""))) continue;
            GrievanceRow& g = filed[{month, area(s->centre), category}];
            std::tie(g.month, g.area, g.category) = std::tuple{month, area(s->centre), category};
            ++g.filed;
            auto answer = answers_.find(key);
            if (answer != answers_.end() &&
                (answer->second == "resolved" || answer->second == "rejected"))
                ++g.resolved;
        }
        for (auto& [key, g] : filed) out.grievances.push_back(g);
        return out;
    }

    std::optional<Baseline> baseline(const std::string& service) {
        if (service == "birth_registration")
            return Baseline{service, 420, 350000, 3, "UZS", "ministry study 2025", true};
        if (service == "land_mutation")
            return Baseline{service, 2880, 900000, 5, "UZS", "estimate", true};
        return std::nullopt;
    }

    std::string received_at(const std::string& centre, const std::string& uuid) {
        for (const StoredEvent& e : store_->events(centre))
            if (e.uuid == uuid) return e.received_at;
        ADD_FAILURE() << "no event " << uuid;
        return {};
    }

    // The centre's answer to a grievance, on its channel.
    void answer(const std::string& centre, const std::string& reference,
                const std::string& status) {
        answers_[{centre, reference}] = status;
        std::vector<ChannelRecord> records;
        for (const auto& [key, s] : answers_) {
            if (key.first != centre) continue;
            records.push_back(
                {key.second, json{{"status", s}, {"answered_at", "2026-11-30T10:00:00Z"}}.dump()});
        }
        store_->publish("civil_service.grievances", centre, records, true, false);
    }

    static void expect_same(const std::optional<double>& want, const std::optional<double>& got,
                            const std::string& what) {
        ASSERT_EQ(want.has_value(), got.has_value()) << what;
        if (want) {
            EXPECT_NEAR(*want, *got, 1e-4) << what;
        }
    }

    static void expect_same(const Evidence& want, const Evidence& got, const std::string& where) {
        ASSERT_EQ(want.rows.size(), got.rows.size()) << where;
        for (std::size_t i = 0; i < want.rows.size(); ++i) {
            const EvidenceRow& w = want.rows[i];
            const EvidenceRow& g = got.rows[i];
            const std::string row = fmt::format("{} {} {} {}", where, w.month, w.area, w.service);
            EXPECT_EQ(w.month, g.month) << row;
            EXPECT_EQ(w.area, g.area) << row;
            EXPECT_EQ(w.service, g.service) << row;
            EXPECT_EQ(w.requests, g.requests) << row;
            expect_same(w.median_centre_minutes, g.median_centre_minutes, row + " centre median");
            expect_same(w.p90_centre_minutes, g.p90_centre_minutes, row + " centre p90");
            EXPECT_EQ(w.surveys, g.surveys) << row;
            expect_same(w.median_minutes, g.median_minutes, row + " median minutes");
            expect_same(w.median_cost, g.median_cost, row + " median cost");
            expect_same(w.median_visits, g.median_visits, row + " median visits");
            EXPECT_EQ(w.baseline.has_value(), g.baseline.has_value()) << row;
            if (w.baseline && g.baseline) {
                EXPECT_EQ(w.baseline->minutes, g.baseline->minutes) << row;
                EXPECT_EQ(w.baseline->cost, g.baseline->cost) << row;
                EXPECT_EQ(w.baseline->visits, g.baseline->visits) << row;
                EXPECT_EQ(w.baseline->source, g.baseline->source) << row;
                EXPECT_EQ(w.baseline->illustrative, g.baseline->illustrative) << row;
            }
            expect_same(w.saved_minutes, g.saved_minutes, row + " saved minutes");
            expect_same(w.saved_cost, g.saved_cost, row + " saved cost");
            expect_same(w.saved_visits, g.saved_visits, row + " saved visits");
            EXPECT_EQ(w.paid_extra, g.paid_extra) << row;
            EXPECT_EQ(w.ratings, g.ratings) << row;
            expect_same(w.mean_rating, g.mean_rating, row + " mean rating");
        }
        ASSERT_EQ(want.grievances.size(), got.grievances.size()) << where;
        for (std::size_t i = 0; i < want.grievances.size(); ++i) {
            const GrievanceRow& w = want.grievances[i];
            const GrievanceRow& g = got.grievances[i];
            const std::string row = fmt::format("{} {} {} {}", where, w.month, w.area, w.category);
            EXPECT_EQ(w.month, g.month) << row;
            EXPECT_EQ(w.area, g.area) << row;
            EXPECT_EQ(w.category, g.category) << row;
            EXPECT_EQ(w.filed, g.filed) << row;
            EXPECT_EQ(w.resolved, g.resolved) << row;
        }
    }

    void expect_every_level(const EvidenceFilter& filter, const std::string& what) {
        for (EvidenceLevel level : {EvidenceLevel::Country, EvidenceLevel::Region,
                                    EvidenceLevel::District, EvidenceLevel::Centre}) {
            const Evidence got = store_->evidence(level, filter);
            EXPECT_EQ(got.level, level);
            expect_same(expected(level, filter), got,
                        fmt::format("{} at level {}", what, to_string(level)));
        }
    }

    static const EvidenceRow* find(const Evidence& evidence, const std::string& month,
                                   const std::string& area, const std::string& service) {
        for (const EvidenceRow& r : evidence.rows)
            if (r.month == month && r.area == area && r.service == service) return &r;
        return nullptr;
    }

    seba::testing::TempDir dir_;
    std::unique_ptr<Store> store_ = seba::testing::open_test_store(dir_.path());
    // Two districts of one region, and a centre of another region.
    const std::map<std::string, Place> places_ = {{"tash-1", {"Toshkent", "Chilonzor"}},
                                                  {"tash-2", {"Toshkent", "Yunusobod"}},
                                                  {"sam-1", {"Samarqand", "Urgut"}}};
    std::unique_ptr<RunningServer> server_;
    std::map<std::string, std::unique_ptr<Kiosk>> kiosks_;
    std::vector<Sent> sent_;
    std::map<std::pair<std::string, std::string>, std::string> answers_;
};

// A pilot's months: every centre delivers two services in two months, most citizens answer
// the exit survey and skip some questions; some events come twice, some surveys late.
TEST_F(EvidenceTest, EveryFigureOfEveryLevelMatchesWhatTheKiosksSent) {
    std::mt19937 rng(20);
    auto uniform = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(rng);
    };
    struct Delivery {
        std::string centre, tracking;
    };
    std::vector<Delivery> delivered;
    std::vector<std::pair<std::string, json>> late;  // surveys that come after everything
    int serial = 0;
    for (const auto& [centre, place] : places_)
        for (int month : {10, 11})
            for (const std::string service : {"birth_registration", "land_mutation"}) {
                const int requests = uniform(4, 12);
                for (int i = 0; i < requests; ++i) {
                    const std::string tracking = fmt::format("{}-{:04d}", centre, ++serial);
                    const int day = uniform(1, 28);
                    const std::int64_t arrived = uniform(8 * 3600, 16 * 3600) * 1000LL;
                    const std::int64_t spent_ms = uniform(60'000, 3'600'000);
                    const std::int64_t cost =
                        service == "birth_registration" ? 25000 : uniform(0, 30) * 10000;
                    std::string uuid = deliver(centre, tracking, service, at(month, day, arrived),
                                               at(month, day, arrived + spent_ms), cost);
                    delivered.push_back({centre, tracking});
                    if (uniform(1, 10) > 7) continue;  // no survey
                    json s = {{"tracking", tracking},
                              {"service", service},
                              {"currency", "UZS"},
                              {"language", "uz-Latn"}};
                    if (uniform(1, 10) > 1) s["visits"] = uniform(1, 6);
                    if (uniform(1, 20) > 3) s["travel_minutes"] = uniform(0, 180);
                    if (uniform(1, 20) > 3) s["travel_cost"] = uniform(0, 20) * 1000;
                    const int paid = uniform(1, 10);
                    if (paid <= 2) {
                        s["paid_extra"] = true;
                        if (uniform(1, 10) > 3) s["extra_amount"] = uniform(1, 50) * 10000;
                    } else if (paid <= 8) {
                        s["paid_extra"] = false;
                    }
                    if (uniform(1, 10) > 1) s["rating"] = uniform(1, 5);
                    if (uniform(1, 12) == 1 && month == 10) {
                        late.emplace_back(centre, s);
                        continue;
                    }
                    send(centre, "tcv.survey", s, at(month, day, arrived + spent_ms + 60'000));
                }
            }
    ASSERT_FALSE(late.empty());
    push_all();
    const std::int64_t stored = store_->event_count();

    // A lost reply: the same events again under their uuids are duplicates, stored once.
    for (int i = 0; i < 3; ++i) {
        const Sent& s = sent_[static_cast<std::size_t>(i)];
        kiosk(s.centre).queue_again(s.uuid, s.type, s.payload, s.created_at);
    }
    SyncClient::PushReport again = kiosk(sent_[0].centre).push();
    EXPECT_EQ(again.duplicates + kiosk(sent_[1].centre).push().duplicates +
                  kiosk(sent_[2].centre).push().duplicates,
              3);
    EXPECT_EQ(store_->event_count(), stored);

    // The same service and the same survey sent again by a plugin under new uuids, changed:
    // stored, but the first received counts (the test's account keeps both, and counts the
    // first as well).
    {
        const Sent first = sent_[0];
        json changed = first.payload;
        changed["tcv"]["ended_at"] = "2026-12-01T09:00:00.000Z";  // another month
        send(first.centre, first.type, changed, "2026-12-01T09:00:00.000Z");
        const auto survey = std::find_if(sent_.begin(), sent_.end(),
                                         [](const Sent& s) { return s.type == "tcv.survey"; });
        ASSERT_NE(survey, sent_.end());
        json other = survey->payload;
        const std::string centre = survey->centre;
        other["visits"] = 30;
        other["rating"] = 1;
        send(centre, "tcv.survey", other, "2026-12-02T09:00:00.000Z");
    }
    // Grievances, one sent twice with another category, one without a kiosk time.
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>> filed = {
        {"tash-1", "G-1", "delay", "2026-10-03T10:00:00.000Z"},
        {"tash-1", "G-2", "extra_money", "2026-10-09T10:00:00.000Z"},
        {"tash-1", "G-3", "delay", "2026-11-04T10:00:00.000Z"},
        {"tash-2", "G-1", "delay", "2026-11-05T10:00:00.000Z"},  // another centre's G-1
        {"tash-2", "G-4", "rude", "2026-11-06T10:00:00.000Z"},
        {"sam-1", "G-5", "delay", "2026-10-07T10:00:00.000Z"},
        {"sam-1", "G-6", "extra_money", ""}};
    for (const auto& [centre, reference, category, created_at] : filed)
        send(centre, "civil_service.grievance",
             {{"reference", reference},
              {"category", category},
              {"service", reference == "G-4" ? "land_mutation" : "birth_registration"},
              {"phrases", json::array({"asked_for_extra_money"})}},
             created_at);
    send("tash-1", "civil_service.grievance",
         {{"reference", "G-1"}, {"category", "rude"}, {"service", "birth_registration"}},
         "2026-11-20T10:00:00.000Z");
    push_all();
    answer("tash-1", "G-1", "resolved");
    answer("tash-1", "G-2", "in_progress");
    answer("tash-2", "G-1", "rejected");
    answer("sam-1", "G-6", "resolved");

    expect_every_level({}, "everything");
    {
        // The data reach both sides of kMinAnswersShown, at the centres and above them.
        int shown = 0, hidden = 0;
        for (const EvidenceRow& r : store_->evidence(EvidenceLevel::Centre, {}).rows)
            ++(r.median_cost ? shown : hidden);
        EXPECT_GT(shown, 3);
        EXPECT_GT(hidden, 1);
        for (const EvidenceRow& r : store_->evidence(EvidenceLevel::Region, {}).rows)
            if (r.area == "Toshkent") {  // two centres' surveys
                EXPECT_TRUE(r.median_minutes && r.mean_rating) << r.month << " " << r.service;
            }
    }

    // Surveys received late count in their service's month, not in the month they came.
    const std::string late_centre = late.front().first;
    const Evidence before = store_->evidence(EvidenceLevel::Centre, {});
    for (const auto& [centre, s] : late) send(centre, "tcv.survey", s, "2026-12-20T10:00:00.000Z");
    push_all();
    const Evidence after = store_->evidence(EvidenceLevel::Centre, {});
    std::int64_t surveys_before = 0, surveys_after = 0;
    for (const EvidenceRow& r : before.rows) surveys_before += r.surveys;
    for (const EvidenceRow& r : after.rows) {
        surveys_after += r.surveys;
        EXPECT_NE(r.month, "2026-12") << "a late survey made a month of its own";
    }
    EXPECT_EQ(surveys_after, surveys_before + static_cast<std::int64_t>(late.size()));

    expect_every_level({}, "with the late surveys");
    expect_every_level(where({{"from", "2026-11"}}), "from November");
    expect_every_level(where({{"to", "2026-10"}}), "up to October");
    expect_every_level(where({{"from", "2026-10"}, {"to", "2026-10"}}), "October alone");
    expect_every_level(where({{"region", "Toshkent"}}), "one region");
    expect_every_level(where({{"district", "Yunusobod"}}), "one district");
    expect_every_level(where({{"centre", "sam-1"}}), "one centre");
    expect_every_level(where({{"service", "land_mutation"}}), "one service");
    expect_every_level(where({{"from", "2026-12"}, {"service", "birth_registration"}}),
                       "December's birth registrations");

    // The figures a pilot reads: a requests count, and savings against the baseline.
    const Evidence country = store_->evidence(EvidenceLevel::Country, {});
    std::int64_t requests = 0;
    for (const EvidenceRow& r : country.rows) requests += r.requests;
    EXPECT_EQ(requests, static_cast<std::int64_t>(delivered.size()));
    const EvidenceRow* birth = find(country, "2026-11", "", "birth_registration");
    ASSERT_NE(birth, nullptr);
    ASSERT_TRUE(birth->median_minutes && birth->saved_minutes);
    EXPECT_DOUBLE_EQ(*birth->saved_minutes, 420 - *birth->median_minutes);
    EXPECT_EQ(country.grievances.size(), expected(EvidenceLevel::Country, {}).grievances.size());
}

// Unfit events are refused with a reason the kiosk's operator reads, and nothing is stored;
// a survey right after its service in one push is fine.
TEST_F(EvidenceTest, ImpossibleSurveysAndUnknownServicesAreRejectedWithTheirReasons) {
    deliver("tash-1", "T-1", "birth_registration", "2026-11-02T09:00:00.000Z",
            "2026-11-02T09:12:00.000Z", 25000);
    const std::string fine =
        send("tash-1", "tcv.survey",
             {{"tracking", "T-1"}, {"service", "birth_registration"}, {"visits", 1}, {"rating", 5}},
             "2026-11-02T09:13:00.000Z");
    const std::string unknown =
        send("tash-1", "tcv.survey", {{"tracking", "T-404"}, {"service", "birth_registration"}},
             "2026-11-02T09:14:00.000Z", false);
    const std::string impossible =
        send("tash-1", "tcv.survey",
             {{"tracking", "T-1"}, {"service", "birth_registration"}, {"visits", 500}},
             "2026-11-02T09:15:00.000Z", false);
    const std::string backwards = send("tash-1", "dc.request_confirmed",
                                       {{"tcv",
                                         {{"tracking", "T-2"},
                                          {"service", "birth_registration"},
                                          {"arrived_at", "2026-11-02T10:00:00.000Z"},
                                          {"ended_at", "2026-11-02T09:00:00.000Z"},
                                          {"cost", 0},
                                          {"currency", ""}}}},
                                       "2026-11-02T10:00:00.000Z", false);
    // T-1 was delivered at tash-1, not at tash-2.
    deliver("tash-2", "T-9", "birth_registration", "2026-11-02T09:00:00.000Z",
            "2026-11-02T09:05:00.000Z", 25000);
    const std::string elsewhere =
        send("tash-2", "tcv.survey", {{"tracking", "T-1"}, {"service", "birth_registration"}},
             "2026-11-02T09:16:00.000Z", false);
    push_all();

    EXPECT_EQ(kiosk("tash-1").failure(fine), "");
    EXPECT_EQ(kiosk("tash-1").failure(unknown),
              "no service with tracking number T-404 was delivered at centre tash-1");
    EXPECT_THAT(kiosk("tash-1").failure(impossible),
                HasSubstr("Enter how many times you came: 1 to 30"));
    EXPECT_THAT(kiosk("tash-1").failure(backwards),
                HasSubstr("\"tcv\".arrived_at is after its ended_at"));
    EXPECT_EQ(kiosk("tash-2").failure(elsewhere),
              "no service with tracking number T-1 was delivered at centre tash-2");
    EXPECT_EQ(store_->event_count(), 3) << "only the two services and the fine survey";
    EXPECT_THAT(server_->metrics(), HasSubstr("seba_events_total{outcome=\"rejected\"} 4"));

    // The T-1 survey counts, once; the rejected ones nowhere.
    const Evidence evidence = store_->evidence(EvidenceLevel::Centre, {});
    ASSERT_EQ(evidence.rows.size(), 2u);
    EXPECT_EQ(evidence.rows[0].area, "tash-1");
    EXPECT_EQ(evidence.rows[0].requests, 1);
    EXPECT_EQ(evidence.rows[0].surveys, 1);
    EXPECT_EQ(evidence.rows[1].surveys, 0);
    expect_every_level({}, "after rejections");
}

// Percentiles by nearest rank, on the smallest groups: one value, two, ten.
TEST_F(EvidenceTest, PercentilesAreNearestRankForOneTwoAndTenRequests) {
    auto service_of = [&](const std::string& service, std::vector<int> minutes) {
        std::shuffle(minutes.begin(), minutes.end(), std::mt19937(7));
        int n = 0;
        for (int m : minutes) {
            const std::int64_t arrived = (9 * 3600 + n * 1000) * 1000LL;
            deliver("tash-1", fmt::format("{}-{}", service, ++n), service, at(9, 14, arrived),
                    at(9, 14, arrived + m * 60'000LL), 0);
        }
    };
    service_of("p.one", {7});
    service_of("p.two", {9, 4});
    service_of("p.ten", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    push_all();
    const Evidence e = store_->evidence(EvidenceLevel::Centre, where({{"from", "2026-09"}}));
    ASSERT_EQ(e.rows.size(), 3u);
    const EvidenceRow *one = find(e, "2026-09", "tash-1", "p.one"),
                      *two = find(e, "2026-09", "tash-1", "p.two"),
                      *ten = find(e, "2026-09", "tash-1", "p.ten");
    ASSERT_TRUE(one && two && ten);
    EXPECT_NEAR(one->median_centre_minutes.value(), 7, 1e-6);
    EXPECT_NEAR(one->p90_centre_minutes.value(), 7, 1e-6);
    EXPECT_NEAR(two->median_centre_minutes.value(), 4, 1e-6);  // rank ceil(1.0) = 1
    EXPECT_NEAR(two->p90_centre_minutes.value(), 9, 1e-6);     // rank ceil(1.8) = 2
    EXPECT_NEAR(ten->median_centre_minutes.value(), 5, 1e-6);  // rank 5
    EXPECT_NEAR(ten->p90_centre_minutes.value(), 9, 1e-6);     // rank 9
    EXPECT_FALSE(one->baseline) << "a baseline record without its numbers is none";
    expect_every_level({}, "percentiles");
}

// The dashboard never shows one citizen's answers: below kMinAnswersShown surveys a row says
// only how many there were.
TEST_F(EvidenceTest, FewerThanFiveSurveysHideEverySurveyFigure) {
    for (int i = 1; i <= 6; ++i)
        deliver("tash-2", fmt::format("S-{}", i), "birth_registration",
                at(11, 3, (9 * 3600 + i * 600) * 1000LL),
                at(11, 3, (9 * 3600 + i * 600 + 300) * 1000LL), 25000);
    auto survey = [&](int i) {
        send("tash-2", "tcv.survey",
             {{"tracking", fmt::format("S-{}", i)},
              {"service", "birth_registration"},
              {"visits", i == 5 ? 30 : 1},
              {"travel_minutes", 20},
              {"travel_cost", 3000},
              {"paid_extra", i == 2},
              {"rating", i % 5 + 1},
              {"currency", "UZS"}},
             at(11, 3, 12 * 3600 * 1000LL));
    };
    for (int i = 1; i <= 4; ++i) survey(i);
    push_all();
    Evidence e = store_->evidence(EvidenceLevel::District, where({{"district", "Yunusobod"}}));
    ASSERT_EQ(e.rows.size(), 1u);
    EXPECT_EQ(e.rows[0].requests, 6);
    EXPECT_EQ(e.rows[0].surveys, 4);
    EXPECT_FALSE(e.rows[0].median_minutes || e.rows[0].median_cost || e.rows[0].median_visits ||
                 e.rows[0].saved_minutes || e.rows[0].saved_cost || e.rows[0].saved_visits ||
                 e.rows[0].mean_rating);
    EXPECT_EQ(e.rows[0].paid_extra, 0);
    EXPECT_EQ(e.rows[0].ratings, (std::array<std::int64_t, 5>{}));
    EXPECT_TRUE(e.rows[0].median_centre_minutes) << "the kiosk's own times are no answers";
    const json shown = json::parse(evidence_json(e));
    EXPECT_TRUE(shown["rows"][0]["median_cost"].is_null());
    EXPECT_EQ(shown["rows"][0]["surveys"], 4);

    survey(5);
    push_all();
    e = store_->evidence(EvidenceLevel::District, where({{"district", "Yunusobod"}}));
    ASSERT_EQ(e.rows.size(), 1u);
    EXPECT_EQ(e.rows[0].surveys, 5);
    // Five answers: 5 minutes at the centre + 1 x 2 x 20 for four, + 30 x 2 x 20 for one.
    EXPECT_NEAR(e.rows[0].median_minutes.value(), 45, 1e-6);
    EXPECT_NEAR(e.rows[0].median_cost.value(), 25000 + 2 * 3000, 1e-6);
    EXPECT_NEAR(e.rows[0].median_visits.value(), 1, 1e-6);
    EXPECT_NEAR(e.rows[0].saved_minutes.value(), 420 - 45, 1e-6);
    EXPECT_NEAR(e.rows[0].saved_visits.value(), 2, 1e-6);
    EXPECT_EQ(e.rows[0].paid_extra, 1);
    EXPECT_EQ(e.rows[0].ratings, (std::array<std::int64_t, 5>{1, 1, 1, 1, 1}));
    EXPECT_NEAR(e.rows[0].mean_rating.value(), 3, 1e-6);
    expect_every_level({}, "five surveys");
}

TEST_F(EvidenceTest, FiltersAreCheckedWithMessagesForWhoTypedThem) {
    auto refused = [&](const EvidenceFilter& filter) {
        try {
            store_->evidence(EvidenceLevel::Country, filter);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(refused(where({{"from", "2026-13"}})),
              "\"2026-13\" is not a month: write YYYY-MM, e.g. 2026-11");
    EXPECT_EQ(refused(where({{"to", "November"}})),
              "\"November\" is not a month: write YYYY-MM, e.g. 2026-11");
    EXPECT_EQ(refused(where({{"from", "2026-11"}, {"to", "2026-10"}})),
              "the months are the wrong way round: 2026-11 is after 2026-10");
    for (const char* field : {"region", "district", "centre", "service"}) {
        EXPECT_THAT(refused(where({{field, "tash-1' OR 1=1 --"}})), HasSubstr("up to 64 letters"))
            << field;
        EXPECT_THAT(refused(where({{field, std::string(65, 'a')}})), HasSubstr("up to 64 letters"))
            << field;
    }
    EXPECT_EQ(refused(where({{"region", "Toshkent"}, {"district", "Yunusobod"}})), "(accepted)");
    // Places are named in the pilot's scripts: Uzbek's ʻ, Cyrillic, Bangla's vowel signs.
    EXPECT_EQ(refused(where({{"region", "Fargʻona"}, {"district", "Фарғона"}})), "(accepted)");
    EXPECT_EQ(refused(where({{"region", "চট্টগ্রাম"}, {"district", "Cox's Bazar"}})), "(accepted)");
    EXPECT_THAT(refused(where({{"region", "<b>Toshkent</b>"}})), HasSubstr("up to 64 letters"));
    EXPECT_EQ(parse_evidence_level("district"), EvidenceLevel::District);
    EXPECT_EQ(parse_evidence_level("planet"), std::nullopt);
}

Evidence sample() {
    Evidence e;
    e.level = EvidenceLevel::District;
    e.computed_at = "2026-12-07T10:00:00.000Z";
    EvidenceRow r;
    r.month = "2026-11";
    r.area = "=HYPERLINK(\"http://x\")";
    r.service = "birth,registration";
    r.requests = 12;
    r.median_centre_minutes = 7.4444;
    r.p90_centre_minutes = 30.06;
    r.surveys = 6;
    r.median_minutes = 45.25;
    r.median_cost = 31000;
    r.median_visits = 1;
    r.baseline = Baseline{"birth,registration", 420, 350000, 3, "UZS", "-study \"A\"", true};
    r.saved_minutes = 374.75;
    r.saved_cost = -12.34;
    r.saved_visits = 2;
    r.paid_extra = 1;
    r.ratings = {0, 1, 2, 2, 1};
    r.mean_rating = 3.5;
    e.rows.push_back(r);
    EvidenceRow hidden;
    hidden.month = "2026-11";
    hidden.area = "@Urgut";
    hidden.service = "land_mutation";
    hidden.requests = 3;
    hidden.surveys = 2;
    e.rows.push_back(hidden);
    e.grievances.push_back({"2026-10", "+Chilonzor", "delay", 4, 3});
    return e;
}

TEST(EvidenceFormats, CsvIsRfc4180WithOneDecimalAndNoFormulas) {
    const std::string csv = evidence_csv(sample());
    seba::testing::TempDir dir;
    seba::testing::write_file(dir / "e.csv", csv);
    const auto rows = seba::testing::read_csv(dir / "e.csv");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\r'), 4) << "CRLF line ends";
    const std::vector<std::string>& header = rows[0];
    ASSERT_EQ(header.size(), 30u);
    for (const auto& row : rows) EXPECT_EQ(row.size(), header.size());
    auto cell = [&](std::size_t row, const std::string& column) {
        auto it = std::find(header.begin(), header.end(), column);
        EXPECT_NE(it, header.end()) << column;
        return rows[row][static_cast<std::size_t>(it - header.begin())];
    };
    EXPECT_EQ(cell(1, "kind"), "service");
    EXPECT_EQ(cell(1, "area"), "'=HYPERLINK(\"http://x\")");
    EXPECT_EQ(cell(1, "service"), "birth,registration");
    EXPECT_EQ(cell(1, "median_centre_minutes"), "7.4");
    EXPECT_EQ(cell(1, "p90_centre_minutes"), "30.1");
    EXPECT_EQ(cell(1, "median_minutes"), "45.3");
    EXPECT_EQ(cell(1, "median_cost"), "31000");
    EXPECT_EQ(cell(1, "saved_cost"), "-12.3") << "a number is a number, even below zero";
    EXPECT_EQ(cell(1, "baseline_source"), "'-study \"A\"");
    EXPECT_EQ(cell(1, "baseline_illustrative"), "true");
    EXPECT_EQ(cell(1, "rating_3"), "2");
    EXPECT_EQ(cell(1, "mean_rating"), "3.5");
    EXPECT_EQ(cell(2, "area"), "'@Urgut");
    EXPECT_EQ(cell(2, "median_minutes"), "") << "left out";
    EXPECT_EQ(cell(2, "baseline_minutes"), "");
    EXPECT_EQ(cell(3, "kind"), "grievance");
    EXPECT_EQ(cell(3, "area"), "'+Chilonzor");
    EXPECT_EQ(cell(3, "category"), "delay");
    EXPECT_EQ(cell(3, "grievances_filed"), "4");
    EXPECT_EQ(cell(3, "grievances_resolved"), "3");
    EXPECT_EQ(cell(3, "requests"), "");
    EXPECT_THAT(csv, HasSubstr("\"birth,registration\""));
}

TEST(EvidenceFormats, JsonHasEveryFigureOrNull) {
    const json j = json::parse(evidence_json(sample()));
    EXPECT_EQ(j["level"], "district");
    EXPECT_EQ(j["min_answers_shown"], kMinAnswersShown);
    EXPECT_EQ(j["computed_at"], "2026-12-07T10:00:00.000Z");
    ASSERT_EQ(j["rows"].size(), 2u);
    const json& r = j["rows"][0];
    EXPECT_EQ(r["area"], "=HYPERLINK(\"http://x\")") << "JSON is data, not a spreadsheet";
    EXPECT_EQ(r["requests"], 12);
    EXPECT_EQ(r["median_centre_minutes"], 7.4);
    EXPECT_EQ(r["saved_cost"], -12.3);
    EXPECT_EQ(r["baseline"]["minutes"], 420);
    EXPECT_EQ(r["baseline"]["illustrative"], true);
    EXPECT_EQ(r["ratings"], json::array({0, 1, 2, 2, 1}));
    EXPECT_EQ(r["mean_rating"], 3.5);
    const json& hidden = j["rows"][1];
    for (const char* figure : {"median_centre_minutes", "median_minutes", "median_cost",
                               "median_visits", "saved_minutes", "mean_rating", "baseline"})
        EXPECT_TRUE(hidden[figure].is_null()) << figure;
    EXPECT_EQ(j["grievances"][0], json({{"month", "2026-10"},
                                        {"area", "+Chilonzor"},
                                        {"category", "delay"},
                                        {"filed", 4},
                                        {"resolved", 3}}));
    for (const char* key : {"from", "to", "region", "district", "centre", "service"})
        EXPECT_TRUE(j["filter"].contains(key)) << key;
}

// The real binary, as an administrator runs it.
TEST(EvidenceCommands, AdminEvidenceAndCentrePlaceFromTheCommandLine) {
    seba::testing::TempDir dir;
    seba::testing::write_file(dir / "seba-server.toml",
                              "[server]\ndatabase = \"" + (dir / "cli.db").string() + "\"\n");
    auto admin = [&](const std::string& args) {
        return seba::testing::run_process(std::string(SEBA_SERVER_BIN) + " --config " +
                                          (dir / "seba-server.toml").string() + " admin " + args +
                                          " 2>&1");
    };
    seba::testing::write_file(dir / "pack.json",
                              R"({"name": "Uzbekistan pilot", "centres": [
              {"id": "tash-1", "name": "Chilonzor PSC", "region": "Toshkent", "district": "Chilonzor"},
              {"id": "far-1", "name": "Fargʻona PSC"}]})");
    auto imported = admin("import-pack " + (dir / "pack.json").string());
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
    auto placed = admin("centre-place far-1 --region Fargʻona --district 'Fargʻona shahri'");
    EXPECT_EQ(placed.exit_code, 0) << placed.output;
    EXPECT_THAT(placed.output, HasSubstr("centre far-1 is in district Fargʻona shahri of region "
                                         "Fargʻona"));
    {
        std::unique_ptr<Store> store = open_sqlite_store(dir / "cli.db");
        EXPECT_EQ(store->centre_place("tash-1"),
                  (std::pair<std::string, std::string>{"Toshkent", "Chilonzor"}));
        EXPECT_EQ(store->centre_place("far-1"),
                  (std::pair<std::string, std::string>{"Fargʻona", "Fargʻona shahri"}));
    }
    EXPECT_EQ(admin("centre-place nowhere --region A --district B").exit_code, 2);

    auto json_out = admin("evidence --level region --from 2026-10");
    ASSERT_EQ(json_out.exit_code, 0) << json_out.output;
    const json doc = json::parse(json_out.output);
    EXPECT_EQ(doc["level"], "region");
    EXPECT_EQ(doc["filter"]["from"], "2026-10");
    EXPECT_TRUE(doc["rows"].is_array());
    auto csv_out = admin("evidence --format csv --region Toshkent");
    ASSERT_EQ(csv_out.exit_code, 0) << csv_out.output;
    EXPECT_THAT(csv_out.output, StartsWith("kind,month,area,service,category,requests,"));

    auto bad_month = admin("evidence --from 2026-13");
    EXPECT_EQ(bad_month.exit_code, 2);
    EXPECT_THAT(bad_month.output, HasSubstr("\"2026-13\" is not a month: write YYYY-MM"));
    auto bad_level = admin("evidence --level planet");
    EXPECT_EQ(bad_level.exit_code, 2);
    EXPECT_THAT(bad_level.output,
                HasSubstr("--level planet is not a level: country, region, district or centre"));
    auto bad_format = admin("evidence --format xlsx");
    EXPECT_EQ(bad_format.exit_code, 2);
    EXPECT_THAT(bad_format.output, HasSubstr("--format xlsx is not a format: json or csv"));
}

}  // namespace
}  // namespace seba::server
