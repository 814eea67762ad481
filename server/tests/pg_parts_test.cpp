// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL store's projections against the SQLite store's (issue 22, part 2c): the same
// events, stored as each store stores them and then checked and projected in the same
// transaction, must give the same outcomes and reasons, the same channel records, referral
// lists, purged payloads and audit lines, and the same evidence to the last bit. A real SQLite
// file and a real PostgreSQL 15 on loopback.
#include "pg_parts.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "evidence_sql.hpp"
#include "muktopaath_learners.hpp"
#include "nise_events.hpp"
#include "pg_migrations.hpp"
#include "pg_pool.hpp"
#include "pg_schema.hpp"
#include "postgres.hpp"
#include "seba/server/store.hpp"
#include "seba/storage.hpp"
#include "seba/tcv.hpp"
#include "store_rules.hpp"
#include "temp_dir.hpp"

namespace {

namespace pg = seba::server::pg;
namespace server = seba::server;
using json = nlohmann::json;
using seba::Database;
using seba::Statement;
using server::StoredEvent;
using namespace std::chrono_literals;

// ---- The two stores ----------------------------------------------------------------------------

/// A SQLite store's database and a PostgreSQL database with the PostgreSQL store's schema,
/// fed the same events.
class BothStores {
  public:
    BothStores() {
        server::open_sqlite_store(dir_.path() / "server.db").reset();  // its migrations
        sqlite_.emplace(Database::open(dir_.path() / "server.db"));
        pg::PoolConfig config;
        config.host = postgres_.host();
        config.port = postgres_.port();
        config.database = postgres_.database();
        config.user = postgres_.user();
        config.password = postgres_.password();
        config.sslmode = "disable";
        config.max_connections = 2;
        pool_ = std::make_unique<pg::Pool>(config);
        const std::vector<pg::Migration> migrations = {
            {1, "core", pg::kCoreSchema},
            {2, "nise", pg::nise::kSchema},
            {3, "muktopaath learners", pg::muktopaath::kSchema}};
        pg::migrate(*pool_, migrations);
    }

    Database& sqlite() { return *sqlite_; }
    pg::Pool& pool() { return *pool_; }

    /// SQL run on both (plain SQL both dialects read alike).
    void exec_both(const std::string& sql) {
        sqlite_->exec(sql);
        pool_->with_transaction([&](pqxx::work& tx) { tx.exec(sql); });
    }

    /// One pushed event through each store's push transaction; what each did, as a line.
    std::pair<std::string, std::string> push(const StoredEvent& event) {
        return {push_sqlite(event), push_pg(event)};
    }

    /// Why each store would reject the event now (asked after its transaction).
    std::pair<std::string, std::string> rejection(const StoredEvent& event) {
        std::string in_sqlite = server::rejection_reason(event);
        if (in_sqlite.empty()) in_sqlite = server::nise::rejection(*sqlite_, event);
        std::string in_pg = server::rejection_reason(event);
        if (in_pg.empty())
            in_pg = pool_->with_transaction(
                [&](pqxx::work& tx) { return pg::nise::rejection(tx, event); });
        return {in_sqlite, in_pg};
    }

  private:
    std::string push_sqlite(const StoredEvent& event) {
        Database& db = *sqlite_;
        const server::rules::EventContent content = server::rules::content_of(event);
        const std::optional<std::string> tracking = server::rules::tcv_tracking(event);
        seba::Transaction tx = db.transaction();
        Statement insert = db.prepare(
            "INSERT OR IGNORE INTO server__events (device, uuid, centre, type, payload, "
            "payload_hash, received_at, created_at, clock_checked, citizen, tcv_tracking) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)");
        insert.bind_all(event.device, event.uuid, event.centre, event.type, event.payload,
                        content.payload_hash, server::rules::received_at(event));
        if (event.created_at.empty())
            insert.bind(8, nullptr);
        else
            insert.bind(8, event.created_at);
        if (event.citizen.empty())
            insert.bind(9, nullptr);
        else
            insert.bind(9, event.citizen);
        if (tracking)
            insert.bind(10, *tracking);
        else
            insert.bind(10, nullptr);
        insert.run();
        if (db.changes() == 0) return "seen before";
        if (!server::fit_for_evidence(db, event)) return "rejected: unfit for the evidence";
        if (std::optional<std::string> refused = server::nise::take(db, event))
            return "rejected: " + *refused;
        std::string line = "accepted";
        if (event.type.starts_with("muktopaath.")) {
            seba::Transaction projection = db.transaction();
            if (std::optional<std::string> skipped = server::muktopaath::project(db, event))
                line += ", left out: " + *skipped;
            else
                projection.commit();
        }
        tx.commit();
        return line;
    }

    std::string push_pg(const StoredEvent& event) {
        const server::rules::EventContent content = server::rules::content_of(event);
        const std::optional<std::string> tracking = server::rules::tcv_tracking(event);
        std::optional<std::string> created_at, citizen;
        if (!event.created_at.empty()) created_at = event.created_at;
        if (!event.citizen.empty()) citizen = event.citizen;
        // A rejected event rolls the whole transaction back: the line leaves by an exception.
        struct Rejected {
            std::string line;
        };
        try {
            return pool_->with_transaction([&](pqxx::work& tx) -> std::string {
                const pqxx::result inserted = tx.exec_params(
                    "INSERT INTO server__events (device, uuid, centre, type, payload, "
                    "payload_hash, received_at, created_at, clock_checked, citizen, "
                    "tcv_tracking) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10) "
                    "ON CONFLICT DO NOTHING RETURNING 1",
                    event.device, event.uuid, event.centre, event.type, event.payload,
                    content.payload_hash, server::rules::received_at(event), created_at, citizen,
                    tracking);
                if (inserted.empty()) return "seen before";
                if (!pg::fit_for_evidence(tx, event))
                    throw Rejected{"rejected: unfit for the evidence"};
                if (std::optional<std::string> refused = pg::nise::take(tx, event))
                    throw Rejected{"rejected: " + *refused};
                std::string line = "accepted";
                if (event.type.starts_with("muktopaath.")) {
                    pqxx::subtransaction projection(tx, "projection");
                    if (std::optional<std::string> skipped = pg::muktopaath::project(tx, event)) {
                        line += ", left out: " + *skipped;
                        projection.abort();
                    } else {
                        projection.commit();
                    }
                }
                return line;
            });
        } catch (const Rejected& r) {
            return r.line;
        }
    }

    seba::testing::TempDir dir_;
    seba::testing::Postgres postgres_;
    std::optional<Database> sqlite_;
    std::unique_ptr<pg::Pool> pool_;
};

// ---- Reading both the same way -----------------------------------------------------------------

/// Rows of a query as lines, the same query on both (ORDER BY names the order).
std::vector<std::string> sqlite_lines(Database& db, const std::string& sql, int columns) {
    std::vector<std::string> out;
    Statement rows = db.prepare(sql);
    while (rows.step()) {
        std::string line;
        for (int i = 0; i < columns; ++i)
            line += (i ? " | " : "") + (rows.is_null(i) ? std::string("NULL") : rows.text(i));
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> pg_lines(pg::Pool& pool, const std::string& sql) {
    return pool.with_transaction([&](pqxx::work& tx) {
        std::vector<std::string> out;
        for (const pqxx::row& row : tx.exec(sql)) {
            std::string line;
            for (pqxx::row::size_type i = 0; i < row.size(); ++i)
                line += (i ? " | " : "") +
                        (row[i].is_null() ? std::string("NULL") : row[i].as<std::string>());
            out.push_back(line);
        }
        return out;
    });
}

/// A withdrawal's time is each store's own clock: the same shape, another instant.
std::string without_times(std::string text) {
    static const std::regex kNow(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z)");
    return std::regex_replace(text, kNow, "<time>");
}

void expect_same_rows(BothStores& both, const std::string& sqlite_sql, const std::string& pg_sql,
                      int columns, bool times_differ = false) {
    std::vector<std::string> in_sqlite = sqlite_lines(both.sqlite(), sqlite_sql, columns);
    std::vector<std::string> in_pg = pg_lines(both.pool(), pg_sql);
    if (times_differ) {
        for (std::string& line : in_sqlite) line = without_times(line);
        for (std::string& line : in_pg) line = without_times(line);
    }
    EXPECT_EQ(in_sqlite, in_pg) << sqlite_sql;
    EXPECT_FALSE(in_sqlite.empty()) << "nothing to compare: " << sqlite_sql;
}

void expect_same_channel(BothStores& both, const std::string& channel, bool times_differ) {
    const std::string sql = fmt::format(
        "SELECT scope, key, data, version FROM server__channel_records WHERE channel = '{}' "
        "ORDER BY scope, key",
        channel);
    expect_same_rows(both, sql,
                     fmt::format("SELECT scope, key, data, version FROM server__channel_records "
                                 "WHERE channel = '{}' ORDER BY scope COLLATE \"C\", key COLLATE "
                                 "\"C\"",
                                 channel),
                     4, times_differ);
}

StoredEvent event_of(std::string centre, std::string device, std::string uuid, std::string type,
                     const std::string& payload, std::string received_at,
                     std::string created_at = "") {
    StoredEvent e;
    e.centre = std::move(centre);
    e.device = std::move(device);
    e.uuid = std::move(uuid);
    e.type = std::move(type);
    e.payload = payload;
    e.received_at = std::move(received_at);
    e.created_at = std::move(created_at);
    return e;
}

/// A uuid-shaped id, unique per n.
std::string uuid(int n) {
    return fmt::format("00000000-0000-4000-8000-{:012d}", n);
}

void push_all(BothStores& both, const std::vector<StoredEvent>& events) {
    for (const StoredEvent& e : events) {
        const auto [in_sqlite, in_pg] = both.push(e);
        EXPECT_EQ(in_sqlite, in_pg) << e.type << " " << e.payload;
        if (in_sqlite.starts_with("rejected")) {
            const auto [why_sqlite, why_pg] = both.rejection(e);
            EXPECT_EQ(why_sqlite, why_pg) << e.type << " " << e.payload;
        }
    }
}

}  // namespace

namespace {

// ---- The evidence ------------------------------------------------------------------------------

std::string delivered_payload(const std::string& tracking, const std::string& service,
                              const std::string& arrived, const std::string& ended,
                              std::int64_t cost) {
    seba::tcv::Delivered d{tracking, service, arrived, ended, cost, cost > 0 ? "BDT" : ""};
    return json{{"service", service}, {"tcv", seba::tcv::delivered_member(d)}}.dump();
}

std::string survey_payload(const std::string& tracking, const std::string& service, int n) {
    seba::tcv::Survey s;
    s.tracking = tracking;
    s.service = service;
    s.currency = "BDT";
    s.language = "bn";
    if (n % 7 != 3) s.visits = 1 + n % 4;
    if (n % 5 != 1) s.travel_minutes = 10 + (n * 7) % 50;
    if (n % 6 != 2) s.travel_cost = (n * 13) % 90;
    s.paid_extra = n % 3 == 0;
    if (*s.paid_extra) s.extra_amount = 20 + n % 30;
    if (n % 4 != 0) s.rating = 1 + n % 5;
    return seba::tcv::survey_payload(s).dump();
}

/// Every figure of the evidence at full precision, and what the dashboard shows of it.
std::string exact(server::Evidence evidence) {
    evidence.computed_at.clear();
    auto number = [](const std::optional<double>& v) {
        return v ? fmt::format("{}", *v) : std::string("-");
    };
    std::string out = server::evidence_json(evidence) + "\n" + server::evidence_csv(evidence);
    for (const server::EvidenceRow& r : evidence.rows)
        out += fmt::format("\n{} {} {} {} {} {} {} {} {} {} {}", r.month, r.area, r.service,
                           r.requests, number(r.median_centre_minutes),
                           number(r.p90_centre_minutes), r.surveys, number(r.median_minutes),
                           number(r.median_cost), number(r.median_visits), number(r.mean_rating));
    for (const auto& [service, names] : evidence.service_names)
        for (const auto& [language, name] : names)
            out += fmt::format("\n{} {} {}", service, language, name);
    return out;
}

TEST(PgParts, EvidenceIsTheSameAsSqlites) {
    BothStores both;
    both.exec_both(
        "INSERT INTO server__centres (id, name, created_at, region, district) VALUES "
        "('c1', 'One', '2026-01-01T00:00:00Z', 'Dhaka', 'Dhaka'), "
        "('c2', 'Two', '2026-01-01T00:00:00Z', 'Dhaka', 'Gazipur'), "
        "('c3', 'Three', '2026-01-01T00:00:00Z', 'Chattogram', 'কুমিল্লা'), "
        "('C4', 'Four', '2026-01-01T00:00:00Z', 'chattogram', 'Feni')");
    both.exec_both(
        "INSERT INTO server__channels (name, per_centre, head, updated_at) VALUES "
        "('tcv.baselines', false, 2, '2026-01-01T00:00:00Z'), "
        "('dc.services', false, 2, '2026-01-01T00:00:00Z'), "
        "('civil_service.grievances', true, 3, '2026-01-01T00:00:00Z')");
    both.exec_both(
        "INSERT INTO server__channel_records (channel, scope, key, data, data_hash, version) "
        "VALUES ('tcv.baselines', '', 'birth_registration', "
        "'{\"cost\":900,\"currency\":\"BDT\",\"illustrative\":true,\"minutes\":480,\"source\":"
        "\"study\",\"visits\":3}', 'h', 1), "
        "('tcv.baselines', '', 'land_record', '{\"minutes\":300}', 'h', 2), "
        "('dc.services', '', 'service/birth_registration', "
        "'{\"names\":{\"bn\":\"জন্ম নিবন্ধন\",\"en\":\"Birth registration\"}}', 'h', 1), "
        "('dc.services', '', 'service/land_record', '{\"names\":{\"en\":\"Land record\"}}', "
        "'h', 2), "
        "('civil_service.grievances', 'c1', 'G-1', '{\"status\":\"resolved\"}', 'h', 1), "
        "('civil_service.grievances', 'c1', 'G-2', '{\"status\":\"open\"}', 'h', 2), "
        "('civil_service.grievances', 'c2', 'G-3', '{\"status\":\"rejected\"}', 'h', 3)");

    std::vector<StoredEvent> events;
    int n = 0;
    const std::vector<std::string> centres = {"c1", "c2", "c3", "C4"};
    const std::vector<std::string> services = {"birth_registration", "land_record", "b_cert"};
    // Services delivered over two months at four centres, most surveyed; the minutes at the
    // centre fall on quarter and half minutes, and on thirds of a second, where rounding bites.
    for (int i = 0; i < 72; ++i) {
        const std::string centre = centres[static_cast<std::size_t>(i % 4)];
        const std::string service = services[static_cast<std::size_t>((i / 4) % 3)];
        const std::string tracking = fmt::format("TR-{:03d}", i);
        const int day = 1 + i % 27;
        const std::string month = i % 5 == 0 ? "10" : "11";
        const int seconds = (i * 15) % 60, millis = (i * 333) % 1000;
        const std::string arrived = fmt::format("2026-{}-{:02d}T09:00:00Z", month, day);
        const std::string ended = fmt::format("2026-{}-{:02d}T09:{:02d}:{:02d}.{:03d}Z", month, day,
                                              3 + (i * 7) % 50, seconds, millis);
        // A batch's events share received_at: the first written is the first received.
        const std::string received = fmt::format("2026-11-28T10:{:02d}:00.000Z", i / 6);
        events.push_back(
            event_of(centre, "d-" + centre, uuid(++n), "dc.request",
                     delivered_payload(tracking, service, arrived, ended, i % 3 == 0 ? 0 : 10 * i),
                     received));
        if (i % 9 != 4)
            events.push_back(event_of(centre, "d-" + centre, uuid(++n), "tcv.survey",
                                      survey_payload(tracking, service, i), received));
        if (i % 11 == 0)  // a second survey of the same service: the first counts
            events.push_back(event_of(centre, "d-" + centre, uuid(++n), "tcv.survey",
                                      survey_payload(tracking, service, i + 1), received));
        if (i % 17 == 0)  // the same service sent again by another device: counted once
            events.push_back(event_of(centre, "d2-" + centre, uuid(++n), "dc.request",
                                      delivered_payload(tracking, service, arrived, arrived, 5),
                                      received));
    }
    // Refused: a survey of a service never delivered, or delivered at another centre; a
    // service whose times are backwards; a survey that is no survey.
    events.push_back(event_of("c1", "d-c1", uuid(++n), "tcv.survey",
                              survey_payload("NOPE-1", "land_record", 3),
                              "2026-11-29T00:00:00.000Z"));
    events.push_back(event_of("c2", "d-c2", uuid(++n), "tcv.survey",
                              survey_payload("TR-000", "birth_registration", 3),
                              "2026-11-29T00:00:00.000Z"));
    events.push_back(event_of(
        "c1", "d-c1", uuid(++n), "dc.request",
        delivered_payload("TR-X", "land_record", "2026-11-02T10:00:00Z", "2026-11-02T09:00:00Z", 0),
        "2026-11-29T00:00:00.000Z"));
    events.push_back(event_of("c1", "d-c1", uuid(++n), "tcv.survey",
                              R"({"tracking":"TR-001","service":"land_record","visits":99})",
                              "2026-11-29T00:00:00.000Z"));
    // A re-sent event (seen before), and grievances, one filed twice.
    events.push_back(events.front());
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>> grievances = {
        {"c1", "G-1", "fees", "birth_registration"},
        {"c1", "G-2", "staff", "land_record"},
        {"c1", "G-1", "fees", "birth_registration"},
        {"c2", "G-3", "fees", ""},
        {"c3", "G-4", "", "birth_registration"}};
    for (const auto& [centre, reference, category, service] : grievances) {
        json p = {{"reference", reference}};
        if (!category.empty()) p["category"] = category;
        if (!service.empty()) p["service"] = service;
        events.push_back(event_of(centre, "d-" + centre, uuid(++n), "civil_service.grievance",
                                  p.dump(), "2026-11-30T00:00:00.000Z",
                                  reference == "G-4" ? "2026-10-31T23:00:00.000Z" : ""));
    }
    events.push_back(event_of("c1", "d-c1", uuid(++n), "civil_service.grievance",
                              R"({"reference":7})", "2026-11-30T00:00:00.000Z"));
    push_all(both, events);

    // A filter with one field set (the others empty).
    auto only = [](std::string server::EvidenceFilter::*field, std::string value) {
        server::EvidenceFilter f;
        f.*field = std::move(value);
        return f;
    };
    using F = server::EvidenceFilter;
    std::vector<server::EvidenceFilter> filters = {F{},
                                                   only(&F::from_month, "2026-11"),
                                                   only(&F::to_month, "2026-10"),
                                                   only(&F::region, "Dhaka"),
                                                   only(&F::district, "কুমিল্লা"),
                                                   only(&F::centre, "c2"),
                                                   only(&F::service, "birth_registration")};
    F both_months = only(&F::region, "Chattogram");
    both_months.from_month = "2026-10";
    both_months.to_month = "2026-11";
    filters.push_back(both_months);
    int compared_rows = 0;
    for (server::EvidenceLevel level :
         {server::EvidenceLevel::Country, server::EvidenceLevel::Region,
          server::EvidenceLevel::District, server::EvidenceLevel::Centre})
        for (const server::EvidenceFilter& filter : filters) {
            ASSERT_EQ(server::check(filter), "");
            const server::Evidence in_sqlite =
                server::compute_evidence(both.sqlite(), level, filter);
            const server::Evidence in_pg = both.pool().with_transaction(
                [&](pqxx::work& tx) { return pg::compute_evidence(tx, level, filter); },
                pg::Isolation::repeatable_read);
            EXPECT_EQ(exact(in_sqlite), exact(in_pg))
                << server::to_string(level) << " " << server::evidence_json(in_sqlite);
            compared_rows += static_cast<int>(in_sqlite.rows.size() + in_sqlite.grievances.size());
        }
    // The comparison saw real figures: medians shown, savings against a baseline, grievances.
    const server::Evidence country = server::compute_evidence(
        both.sqlite(), server::EvidenceLevel::Country, server::EvidenceFilter{});
    bool saw_saving = false;
    for (const server::EvidenceRow& r : country.rows)
        saw_saving = saw_saving || (r.saved_minutes && r.median_cost && r.mean_rating);
    EXPECT_TRUE(saw_saving) << server::evidence_json(country);
    EXPECT_FALSE(country.grievances.empty());
    EXPECT_GT(compared_rows, 100);

    // A payload PostgreSQL cannot read as text (an escaped NUL, which nlohmann writes as
    // \u0000) does not make the evidence fail for everyone: the grievance still counts.
    auto filed = [&] {
        std::int64_t total = 0;
        const server::Evidence e = both.pool().with_transaction([](pqxx::work& tx) {
            return pg::compute_evidence(tx, server::EvidenceLevel::Country, {});
        });
        for (const server::GrievanceRow& g : e.grievances) total += g.filed;
        return total;
    };
    const std::int64_t before = filed();
    StoredEvent odd = event_of("c1", "d-c1", uuid(++n), "civil_service.grievance",
                               json{{"reference", "G-9"}, {"note", std::string("a\0b", 3)}}.dump(),
                               "2026-11-30T00:00:00.000Z");
    ASSERT_NE(odd.payload.find("\\u0000"), std::string::npos);
    EXPECT_EQ(both.push(odd).second, "accepted");
    EXPECT_EQ(filed(), before + 1);
}

}  // namespace

namespace {

// ---- NISE --------------------------------------------------------------------------------------

const std::string kLogin1(64, 'a');
const std::string kLogin2 = std::string(63, 'b') + "1";
const std::string kLogin3 = std::string(63, 'c') + "2";

json profile_json() {
    return {{"education", "secondary"},
            {"skills", json::array({{{"skill", "sewing"}, {"verified", true}},
                                    {{"skill", "driving.light"}, {"verified", false}}})},
            {"languages", json::array({"bn", "en"})},
            {"place", "কুমিল্লা"}};
}

json sealed_json() {
    return {{"v", 1}, {"kid", "k1"}, {"nonce", "bm9uY2U="}, {"box", "c2VhbGVk"}};
}

std::string saved(const std::string& login, const std::string& box, const std::string& at) {
    return json{{"login", login}, {"box", box}, {"saved_at", at}, {"sealed", sealed_json()}}.dump();
}

std::string referral(const std::string& reference, const std::string& login,
                     const std::string& kind = "job") {
    return json{
        {"reference", reference}, {"opportunity", "garments.operator"}, {"kind", kind},
        {"login", login},         {"profile", profile_json()},          {"sealed", sealed_json()}}
        .dump();
}

std::vector<std::string> referral_lines(const std::vector<server::nise::Referral>& list) {
    std::vector<std::string> out;
    for (const server::nise::Referral& r : list)
        out.push_back(fmt::format("{} {} {} {} {} {} {} {}", r.centre, r.reference, r.opportunity,
                                  r.kind, r.received_at, r.status, r.answered_at, r.payload));
    return out;
}

void expect_same_referrals(BothStores& both) {
    for (const auto& [centre, opportunity] :
         std::vector<std::pair<std::string, std::string>>{{"", ""},
                                                          {"c1", ""},
                                                          {"", "garments.operator"},
                                                          {"c2", "garments.operator"},
                                                          {"c9", ""}}) {
        const auto in_sqlite = server::nise::list(both.sqlite(), centre, opportunity);
        const auto in_pg = both.pool().with_transaction(
            [&](pqxx::work& tx) { return pg::nise::list(tx, centre, opportunity); });
        EXPECT_EQ(referral_lines(in_sqlite), referral_lines(in_pg)) << centre << opportunity;
        for (const server::nise::Referral& r : in_sqlite) {
            const auto one = both.pool().with_transaction(
                [&](pqxx::work& tx) { return pg::nise::find(tx, r.centre, r.reference); });
            ASSERT_TRUE(one.has_value()) << r.reference;
            EXPECT_EQ(referral_lines({*one}),
                      referral_lines({*server::nise::find(both.sqlite(), r.centre, r.reference)}));
        }
    }
    EXPECT_FALSE(server::nise::find(both.sqlite(), "c1", "NONE-1"));
    EXPECT_FALSE(both.pool().with_transaction(
        [&](pqxx::work& tx) { return pg::nise::find(tx, "c1", "NONE-1"); }));
}

TEST(PgParts, NiseIsTheSameAsSqlites) {
    BothStores both;
    int n = 0;
    auto at = [](int minute) { return fmt::format("2026-11-20T10:{:02d}:00.000Z", minute); };
    std::vector<StoredEvent> events = {
        event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                 saved(kLogin1, "Ym94MQ==", "2026-11-20T09:00:00.5Z"), at(1)),
        // Older than the one kept (by the fraction, as times): changes nothing.
        event_of("c1", "d2", uuid(++n), "nise.profile_saved",
                 saved(kLogin1, "b2xk", "2026-11-20T09:00:00.499999Z"), at(2)),
        event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                 saved(kLogin1, "bmV3ZXI=", "2026-11-20T09:30:00Z"), at(3)),
        event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                 saved(kLogin2, "Ym94Mg==", "2026-11-20T09:31:00Z"), at(4)),
        event_of("c2", "d3", uuid(++n), "nise.profile_saved",
                 saved(kLogin1, "YzI=", "2026-11-20T09:32:00Z"), at(5)),
        event_of("c1", "d1", uuid(++n), "nise.referral", referral("REF-1", kLogin1), at(6)),
        event_of("c1", "d2", uuid(++n), "nise.referral", referral("REF-2", kLogin2, "training"),
                 at(6)),
        event_of("c2", "d3", uuid(++n), "nise.referral", referral("REF-1", kLogin1), at(7)),
        // The same reference by another referral: refused; the same referral from another
        // device (the same uuid): nothing new.
        event_of("c1", "d2", uuid(++n), "nise.referral", referral("REF-1", kLogin2), at(8)),
        event_of("c1", "d2", uuid(6), "nise.referral", referral("REF-1", kLogin1), at(8)),
        // Each check's refusal.
        event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                 saved("ABC", "Ym94", "2026-11-20T09:00:00Z"), at(9)),
        event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                 saved(kLogin3, "not base64!", "2026-11-20T09:00:00Z"), at(9)),
        event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                 saved(kLogin3, std::string(17000, 'A'), "2026-11-20T09:00:00Z"), at(9)),
        event_of("c1", "d1", uuid(++n), "nise.profile_saved", saved(kLogin3, "Ym94", "20 Nov 2026"),
                 at(9)),
        event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                 json{{"login", kLogin3},
                      {"box", "Ym94"},
                      {"saved_at", "2026-11-20T09:00:00Z"},
                      {"sealed", "text"}}
                     .dump(),
                 at(9)),
        event_of("c1", "d1", uuid(++n), "nise.referral", referral("ref-low", kLogin3), at(9)),
        event_of("c1", "d1", uuid(++n), "nise.referral", referral("REF-9", kLogin3, "gig"), at(9)),
        event_of("c1", "d1", uuid(++n), "nise.referral",
                 json{{"reference", "REF-8"},
                      {"opportunity", "Bad Id"},
                      {"kind", "job"},
                      {"login", kLogin3},
                      {"profile", profile_json()}}
                     .dump(),
                 at(9)),
        event_of("c1", "d1", uuid(++n), "nise.referral",
                 json{{"reference", "REF-7"},
                      {"opportunity", "garments.operator"},
                      {"kind", "job"},
                      {"login", kLogin3},
                      {"profile",
                       {{"skills", json::array({{{"skill", "sewing"}, {"verified", true}},
                                                {{"skill", "sewing"}, {"verified", true}}})}}}}
                     .dump(),
                 at(9)),
        event_of("c1", "d1", uuid(++n), "nise.referral",
                 json{{"reference", "REF-6"},
                      {"opportunity", "garments.operator"},
                      {"kind", "job"},
                      {"login", kLogin3},
                      {"profile", {{"skills", json::array()}, {"education", "phd"}}}}
                     .dump(),
                 at(9)),
        event_of("c1", "d1", uuid(++n), "nise.unknown", json{{"login", kLogin3}}.dump(), at(9)),
        event_of("c1", "d1", uuid(++n), "nise.profile_saved", "[1,2]", at(9)),
        event_of("c1", "d1", uuid(++n), "nise.profile_withdrawn", R"({"login":"x"})", at(9)),
        // Written by hand (another tool, an older server): spaces, escapes and numbers as
        // written must come out of the purge as SQLite's json_remove writes them.
        event_of("c1", "d9", uuid(++n), "nise.profile_saved",
                 "{ \"login\" : \"" + kLogin1 +
                     "\", \"box\":\"Ym94\" , \"saved_at\" : \"2026-11-20T08:00:00Z\", "
                     "\"extra\": [1, 2.50, -0, 1e3, {\"a\" : \"\\u00e9\\n\"}, true, null], "
                     "\"fields\": {\"name\": \"x\"}, \"box\": \"second\" }",
                 at(10)),
        event_of("c1", "d9", uuid(++n), "nise.profile_saved",
                 "{\"login\":\"\\u0062" + kLogin2.substr(1) +
                     "\",\"box\":\"QQ==\",\"saved_at\":\"2026-11-20T08:00:00Z\"}",
                 at(10)),
    };
    // A withdrawal of login 1 at c1: its events' citizen data go, at c1 only; then it may be
    // neither saved nor referred again there.
    StoredEvent with_citizen = event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                                        saved(kLogin1, "Y2l0", "2026-11-20T09:40:00Z"), at(11));
    with_citizen.citizen = std::string(64, 'f');
    events.push_back(with_citizen);
    events.push_back(event_of("c1", "d2", uuid(++n), "nise.profile_withdrawn",
                              json{{"login", kLogin1}}.dump(), at(12)));
    events.push_back(event_of("c1", "d1", uuid(++n), "nise.profile_saved",
                              saved(kLogin1, "YWdhaW4=", "2026-11-21T09:00:00Z"), at(13)));
    events.push_back(
        event_of("c1", "d1", uuid(++n), "nise.referral", referral("REF-3", kLogin1), at(13)));
    events.push_back(event_of("c1", "d2", uuid(++n), "nise.profile_withdrawn",
                              json{{"login", kLogin1}}.dump(), at(14)));
    events.push_back(event_of("c1", "d2", uuid(++n), "nise.profile_withdrawn",
                              json{{"login", kLogin2}}.dump(), at(15)));
    push_all(both, events);

    expect_same_referrals(both);
    server::nise::set_status(both.sqlite(), "c1", "REF-2", "interview", "2026-11-22T08:00:00Z");
    both.pool().with_transaction([](pqxx::work& tx) {
        pg::nise::set_status(tx, "c1", "REF-2", "interview", "2026-11-22T08:00:00Z");
    });
    expect_same_referrals(both);

    expect_same_channel(both, "nise.profiles", /*times_differ=*/true);
    expect_same_rows(both,
                     "SELECT centre, login, saved_at, device, uuid FROM server__nise_profiles "
                     "ORDER BY centre, login",
                     "SELECT centre, login, saved_at, device, uuid FROM server__nise_profiles "
                     "ORDER BY centre COLLATE \"C\", login COLLATE \"C\"",
                     5);
    expect_same_rows(both,
                     "SELECT centre, login FROM server__nise_withdrawn ORDER BY centre, login",
                     "SELECT centre, login FROM server__nise_withdrawn ORDER BY centre COLLATE "
                     "\"C\", login COLLATE \"C\"",
                     2);
    // What the purge left of every event, byte for byte.
    expect_same_rows(
        both,
        "SELECT device, uuid, payload, citizen, purged_at IS NOT NULL FROM server__events "
        "ORDER BY device, uuid",
        "SELECT device, uuid, payload, citizen, CASE WHEN purged_at IS NOT NULL THEN 1 ELSE 0 END "
        "FROM server__events ORDER BY device COLLATE \"C\", uuid COLLATE \"C\"",
        5);
    expect_same_rows(both, "SELECT actor, action, detail FROM server__audit ORDER BY seq",
                     "SELECT actor, action, detail FROM server__audit ORDER BY seq", 3);
}

// ---- MuktoPaath --------------------------------------------------------------------------------

TEST(PgParts, MuktopaathLearnersAreTheSameAsSqlites) {
    BothStores both;
    const std::string learner1(32, '1'), learner2(32, '2'), learner3(32, '3');
    const std::string login1(64, 'd'), login2(64, 'e');
    int n = 0;
    auto event = [&](const std::string& centre, const std::string& type, const json& p,
                     const std::string& created_at) {
        ++n;
        return event_of(centre, "d-" + centre, uuid(n), type, p.dump(),
                        fmt::format("2026-11-25T10:00:{:02d}.000Z", n % 60), created_at);
    };
    auto progress = [](const std::string& learner, const std::string& course,
                       const std::string& lesson, int page, bool done) {
        return json{{"learner", learner}, {"course", course}, {"version", "1.9"},
                    {"lesson", lesson},   {"page", page},     {"done", done}};
    };
    auto attempt = [](const std::string& learner, int number, int score, bool passed) {
        return json{{"learner", learner}, {"course", "excel-basics"}, {"version", "1.10"},
                    {"attempt", number},  {"score", score},           {"passed", passed}};
    };
    std::vector<StoredEvent> events = {
        // Before the enrolment: they wait, in the order they came.
        event("c1", "muktopaath.progress", progress(learner1, "excel-basics", "l1", 3, false),
              "2026-11-25T09:00:00Z"),
        event("c1", "muktopaath.quiz_attempt", attempt(learner1, 2, 40, false),
              "2026-11-25T09:05:00Z"),
        event("c1", "muktopaath.progress", progress(learner1, "excel-basics", "l1", 2, true),
              "2026-11-25T09:01:00Z"),
        event("c1", "muktopaath.enrolled",
              {{"learner", learner1},
               {"login", login1},
               {"box", "Ym94"},
               {"course", "excel-basics"},
               {"version", "1.9"}},
              "2026-11-25T08:00:00Z"),
        // Out of order after it: the furthest page, the most attempts, the latest attempt.
        event("c1", "muktopaath.quiz_attempt", attempt(learner1, 1, 90, true),
              "2026-11-25T09:02:00Z"),
        event("c1", "muktopaath.progress", progress(learner1, "excel-basics", "l2", 5, false),
              "2026-11-25T09:10:00Z"),
        event("c1", "muktopaath.progress", progress(learner1, "excel-basics", "l2", 4, false),
              "2026-11-25T09:11:00Z"),
        event("c1", "muktopaath.certified",
              {{"learner", learner1},
               {"course", "excel-basics"},
               {"version", "1.10"},
               {"score_band", "merit"},
               {"box", "Y2VydA=="},
               {"credential", "cred-1"}},
              "2026-11-25T09:20:00Z"),
        event("c1", "muktopaath.certified",
              {{"learner", learner1},
               {"course", "excel-basics"},
               {"version", "1.10"},
               {"score_band", "pass"},
               {"box", "bG93ZXI="},
               {"credential", "cred-2"}},
              "2026-11-25T09:30:00Z"),
        // A second learner at another centre, and the same learner id at c2 (another person).
        event("c2", "muktopaath.enrolled",
              {{"learner", learner2},
               {"login", login2},
               {"box", "Ym94Mg=="},
               {"course", "spoken-english"},
               {"version", "2"}},
              "2026-11-25T08:00:00Z"),
        event("c2", "muktopaath.progress", progress(learner2, "spoken-english", "intro", 1, true),
              ""),
        // Left out, each for its reason; a learner never enrolled stays waiting.
        event("c1", "muktopaath.progress", progress("XYZ", "excel-basics", "l1", 1, false), ""),
        event("c1", "muktopaath.progress", progress(learner1, "Bad Course", "l1", 1, false), ""),
        event("c1", "muktopaath.progress", progress(learner1, "excel-basics", "l1", 5000, false),
              ""),
        event("c1", "muktopaath.quiz_attempt", attempt(learner3, 0, 10, false), ""),
        event("c1", "muktopaath.renamed", {{"learner", learner1}}, ""),
        event("c1", "muktopaath.enrolled",
              {{"learner", learner3}, {"login", "short"}, {"box", "Ym94"}}, ""),
        event("c1", "muktopaath.progress", progress(learner3, "excel-basics", "l9", 2, false), ""),
    };
    // A waiting event that cannot apply once its enrolment arrives is dropped then.
    events.push_back(event("c2", "muktopaath.progress",
                           progress(std::string(32, '4'), "excel-basics", "l1", 1, false), ""));
    events.push_back(event("c2", "muktopaath.enrolled",
                           {{"learner", std::string(32, '4')},
                            {"login", std::string(64, '9')},
                            {"box", "Ym94"},
                            {"course", "excel-basics"},
                            {"version", "0.1"}},
                           ""));
    push_all(both, events);

    expect_same_channel(both, "muktopaath.learners", /*times_differ=*/false);
    expect_same_rows(both,
                     "SELECT centre, learner, login FROM server__muktopaath_learners ORDER BY "
                     "centre, learner",
                     "SELECT centre, learner, login FROM server__muktopaath_learners ORDER BY "
                     "centre COLLATE \"C\", learner COLLATE \"C\"",
                     3);
    expect_same_rows(both,
                     "SELECT centre, learner, type, payload, created_at FROM "
                     "server__muktopaath_waiting ORDER BY seq",
                     "SELECT centre, learner, type, payload, created_at FROM "
                     "server__muktopaath_waiting ORDER BY seq",
                     5);
}

}  // namespace
