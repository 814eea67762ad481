// SPDX-License-Identifier: Apache-2.0
#include "request_book.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <chrono>

#include "seba/error.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/storage.hpp"
#include "validators.hpp"

namespace seba::dc {

namespace {

constexpr Migration kMigrations[] = {
    {1, "requests and this kiosk's own keys", R"sql(
CREATE TABLE digital_centre__requests (
    tracking TEXT PRIMARY KEY,
    day TEXT NOT NULL,               -- YYYY-MM-DD, UTC
    seq INTEGER NOT NULL,            -- the day's sequence on this kiosk
    service TEXT NOT NULL,
    category TEXT NOT NULL,
    government_fee INTEGER NOT NULL,
    service_charge INTEGER NOT NULL,
    currency TEXT NOT NULL,
    payment TEXT NOT NULL,
    arrived_at TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    operator TEXT NOT NULL,
    citizen_hash TEXT,               -- keyed hash of the identifier, never the identifier
    printed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (day, seq)
);
CREATE TABLE digital_centre__meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql"},
    {2, "the operator's daily cash book", R"sql(
CREATE TABLE digital_centre__day_closes (
    day TEXT PRIMARY KEY,            -- one close a day
    requests INTEGER NOT NULL,
    government_fee INTEGER NOT NULL,
    service_charge INTEGER NOT NULL,
    expected INTEGER NOT NULL,       -- cash the requests say the drawer holds
    counted INTEGER NOT NULL,
    currency TEXT NOT NULL,
    operator TEXT NOT NULL,
    closed_at TEXT NOT NULL
);
)sql"},
    {3, "no citizen hash on the kiosk: the server computes it from the sealed fields", R"sql(
UPDATE digital_centre__requests SET citizen_hash = NULL;
ALTER TABLE digital_centre__requests DROP COLUMN citizen_hash;
DELETE FROM digital_centre__meta WHERE key = 'citizen_key';
)sql"},
    // Receipts have waited in the kiosk's queue since (old_print_jobs.hpp moves what is left).
    {4, "receipts waiting for the printer (print_queue.hpp)", R"sql(
CREATE TABLE digital_centre__print_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- printed in this order
    tracking TEXT NOT NULL,
    receipt TEXT NOT NULL,                  -- JSON, translated; no citizen input in it
    queued_at TEXT NOT NULL,
    handed INTEGER NOT NULL DEFAULT 0,      -- given to the printer, outcome not recorded yet
    copy INTEGER NOT NULL DEFAULT 0,        -- printed marked as a copy
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    set_aside INTEGER NOT NULL DEFAULT 0    -- failed too often: waits for the operator
);
CREATE INDEX digital_centre__print_jobs_tracking ON digital_centre__print_jobs (tracking);
)sql"},
};

// Letters and digits no one misreads (no 0/O, 1/I).
constexpr std::string_view kTagAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

}  // namespace

std::span<const Migration> RequestBook::migrations() {
    return kMigrations;
}

RequestBook::RequestBook(PluginStore& store, std::string centre_code)
    : store_(store), centre_code_(std::move(centre_code)) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

// A value of this kiosk's own, made once: its tracking tag.
std::string RequestBook::meta(std::string_view key) {
    std::string value;
    store_.transaction([&] {
        Statement row = store_.prepare("SELECT value FROM digital_centre__meta WHERE key = ?");
        row.bind_all(key);
        if (row.step()) {
            value = row.text(0);
            return;
        }
        if (key != "tag") throw Error(fmt::format("no such value of the kiosk's own: {}", key));
        for (int i = 0; i < 2; ++i)
            value +=
                kTagAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kTagAlphabet.size()))];
        store_.prepare("INSERT INTO digital_centre__meta (key, value) VALUES (?, ?)")
            .bind_all(key, value)
            .run();
    });
    return value;
}

std::string RequestBook::confirm(const Confirmation& c) {
    if (!c.service) throw Error("a request needs its service");
    const Service& s = *c.service;
    std::string tag = meta("tag");
    std::string tracking;
    // By the kiosk's clock, corrected to the server's: the day on the tracking number too.
    std::string ended_at = c.ended_at;
    bool clock_checked = c.clock_checked;
    if (ended_at.empty()) {
        const KioskTime now = kiosk_now();
        ended_at = now.iso();
        clock_checked = now.checked;
    }
    const std::string arrived_at = c.arrived_at.empty() ? ended_at : c.arrived_at;
    const std::string started_at = c.started_at.empty() ? arrived_at : c.started_at;
    const std::string day = ended_at.substr(0, 10);
    store_.transaction([&] {
        Statement next = store_.prepare(
            "SELECT coalesce(max(seq), 0) + 1 FROM digital_centre__requests WHERE day = ?");
        next.bind_all(day);
        next.step();
        std::int64_t seq = next.integer(0);
        tracking = tracking_number(centre_code_, day, tag, seq);
        store_
            .prepare(
                "INSERT INTO digital_centre__requests (tracking, day, seq, service, category, "
                "government_fee, service_charge, currency, payment, arrived_at, started_at, "
                "ended_at, operator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind_all(tracking, day, seq, s.id, s.category,
                      static_cast<std::int64_t>(s.government_fee),
                      static_cast<std::int64_t>(s.service_charge), s.currency, c.payment,
                      arrived_at, started_at, ended_at, c.operator_name)
            .run();
        nlohmann::json fees = {{"government", s.government_fee},
                               {"service", s.service_charge},
                               {"total", s.government_fee + s.service_charge},
                               {"currency", s.currency}};
        // Who the citizen is goes sealed: the server opens it, and keeps the keyed hash of
        // the identifier; this kiosk cannot read it back.
        nlohmann::json sealed = {{"fields", c.sealed_fields}};
        if (!c.identifier.empty()) sealed["identifier"] = c.identifier;
        // A service delivered (docs/civil-service.md): its times and what it cost.
        StoredRequest stored{tracking,         s.id,       s.government_fee,
                             s.service_charge, s.currency, c.payment,
                             ended_at,         false,      arrived_at};
        store_.emit("digital_centre.request_confirmed",
                    {{"tracking", tracking},
                     {"tcv", tcv::delivered_member(seba::dc::delivered(stored))},
                     {"service", s.id},
                     {"category", s.category},
                     {"fees", fees},
                     {"payment", c.payment},
                     {"arrived_at", arrived_at},
                     {"started_at", started_at},
                     {"ended_at", ended_at},
                     {"clock_checked", clock_checked},
                     {"operator", c.operator_name},
                     {"fields", c.fields}},
                    sealed);
    });
    return tracking;
}

std::optional<StoredRequest> RequestBook::find(std::string_view tracking) {
    Statement row = store_.prepare(
        "SELECT tracking, service, government_fee, service_charge, currency, payment, "
        "ended_at, printed, arrived_at FROM digital_centre__requests WHERE tracking = ?");
    row.bind_all(tracking);
    if (!row.step()) return std::nullopt;
    return StoredRequest{row.text(0), row.text(1), row.integer(2),      row.integer(3), row.text(4),
                         row.text(5), row.text(6), row.integer(7) != 0, row.text(8)};
}

std::optional<tcv::Delivered> RequestBook::delivered(std::string_view tracking) {
    std::optional<StoredRequest> request = find(tracking);
    if (!request) return std::nullopt;
    return seba::dc::delivered(*request);
}

tcv::Delivered delivered(const StoredRequest& r) {
    return {r.tracking,
            r.service,
            r.arrived_at,
            r.ended_at,
            static_cast<std::int64_t>(r.government_fee + r.service_charge),
            r.currency};
}

std::string RequestBook::example_tracking() {
    // The tag is made with the kiosk's first request; until then any two of its letters
    // show the shape (reading must not write: the disk may be full).
    std::string tag = "AB";
    Statement row = store_.prepare("SELECT value FROM digital_centre__meta WHERE key = 'tag'");
    if (row.step()) tag = row.text(0);
    return tracking_number(centre_code_, kiosk_now().iso().substr(0, 10), tag, 1);
}

void RequestBook::mark_printed(std::string_view tracking) {
    store_.transaction([&] {
        store_.prepare("UPDATE digital_centre__requests SET printed = 1 WHERE tracking = ?")
            .bind_all(tracking)
            .run();
    });
}

DayTotals RequestBook::today() {
    DayTotals t;
    t.day = kiosk_now().iso().substr(0, 10);
    Statement rows = store_.prepare(
        "SELECT service, count(*), sum(government_fee), sum(service_charge), "
        "sum(CASE WHEN payment = 'cash' THEN government_fee + service_charge ELSE 0 END), "
        "sum(CASE WHEN payment = 'cash' THEN 0 ELSE government_fee + service_charge END), "
        "min(currency) FROM digital_centre__requests WHERE day = ? GROUP BY service "
        "ORDER BY service");
    rows.bind_all(t.day);
    while (rows.step()) {
        DayTotals::Line line{rows.text(0), static_cast<int>(rows.integer(1)), rows.integer(2),
                             rows.integer(3)};
        t.requests += line.requests;
        t.government_fee += line.government_fee;
        t.service_charge += line.service_charge;
        t.cash += rows.integer(4);
        t.mobile += rows.integer(5);
        t.currency = rows.text(6);
        t.by_service.push_back(std::move(line));
    }
    return t;
}

std::optional<DayClose> RequestBook::closed_today() {
    Statement row = store_.prepare(
        "SELECT day, expected, counted, closed_at FROM digital_centre__day_closes "
        "WHERE day = ?");
    row.bind_all(kiosk_now().iso().substr(0, 10));
    if (!row.step()) return std::nullopt;
    return DayClose{row.text(0), row.integer(1), row.integer(2), row.text(3)};
}

DayClose RequestBook::close_today(
    long long counted, const std::string& operator_name,
    const std::function<void(const DayClose&, const DayTotals&)>& also) {
    DayClose close;
    store_.transaction([&] {
        if (closed_today()) throw Error("today's cash book is already closed");
        DayTotals t = today();
        close = {t.day, t.cash, counted, kiosk_now().iso()};
        store_
            .prepare(
                "INSERT INTO digital_centre__day_closes (day, requests, government_fee, "
                "service_charge, expected, counted, currency, operator, closed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind_all(t.day, t.requests, static_cast<std::int64_t>(t.government_fee),
                      static_cast<std::int64_t>(t.service_charge),
                      static_cast<std::int64_t>(t.cash), static_cast<std::int64_t>(counted),
                      t.currency, operator_name, close.closed_at)
            .run();
        nlohmann::json services = nlohmann::json::array();
        for (const DayTotals::Line& l : t.by_service)
            services.push_back({{"service", l.service},
                                {"requests", l.requests},
                                {"government", l.government_fee},
                                {"service_charge", l.service_charge}});
        store_.emit("digital_centre.day_closed", {{"day", t.day},
                                                  {"currency", t.currency},
                                                  {"requests", t.requests},
                                                  {"government", t.government_fee},
                                                  {"service_charge", t.service_charge},
                                                  {"cash_expected", t.cash},
                                                  {"mobile", t.mobile},
                                                  {"cash_counted", counted},
                                                  {"difference", close.difference()},
                                                  {"operator", operator_name},
                                                  {"services", services}});
        if (also) also(close, t);
    });
    return close;
}

std::string tracking_number(std::string_view centre_code, std::string_view day,
                            std::string_view tag, long long seq) {
    const std::string yymmdd =
        fmt::format("{}{}{}", day.substr(2, 2), day.substr(5, 2), day.substr(8, 2));
    return fmt::format("{}-{}-{}-{:04}", centre_code, yymmdd, tag, seq);
}

}  // namespace seba::dc
