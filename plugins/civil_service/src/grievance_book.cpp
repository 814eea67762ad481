// SPDX-License-Identifier: Apache-2.0
#include "grievance_book.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <set>

#include "categories.hpp"
#include "reference.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/utf8.hpp"

namespace seba::civil {

namespace {

constexpr Migration kMigrations[] = {
    {1, "complaints filed at this kiosk, and its own tag", R"sql(
CREATE TABLE civil_service__grievances (
    reference TEXT PRIMARY KEY,
    day TEXT NOT NULL,               -- YYYY-MM-DD, UTC
    seq INTEGER NOT NULL,            -- the day's sequence on this kiosk
    category TEXT NOT NULL,
    service TEXT NOT NULL,           -- '' when not about one service
    phrases TEXT NOT NULL,           -- JSON array of phrase ids; never the citizen's words
    filed_at TEXT NOT NULL,
    printed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (day, seq)
);
CREATE INDEX civil_service__grievances_filed ON civil_service__grievances (filed_at);
CREATE TABLE civil_service__meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql"},
};

constexpr std::string_view kChannel = "civil_service.grievances";

bool valid_service_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    });
}

}  // namespace

std::span<const Migration> GrievanceBook::migrations() {
    return kMigrations;
}

GrievanceBook::GrievanceBook(PluginStore& store, std::string centre_code)
    : store_(store),
      centre_code_(std::move(centre_code)),
      numbering_(store, "civil_service__meta", "civil_service__grievances") {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

void GrievanceBook::check(const NewGrievance& g) {
    if (!find_category(g.category))
        throw GrievanceRefused(
            fmt::format("no such category: {}", utf8::replace_invalid(g.category)));
    if (!g.service.empty() && !valid_service_id(g.service))
        throw GrievanceRefused("not a service id");
    std::set<std::string> seen;
    for (const std::string& p : g.phrases) {
        if (!find_phrase(p)) throw GrievanceRefused("no such phrase");
        if (!seen.insert(p).second) throw GrievanceRefused("a phrase chosen twice");
    }
    if (utf8::invalid_at(g.text) != std::string_view::npos)
        throw GrievanceRefused("the text is not UTF-8");
    if (utf8::count(g.text) > kMaxTextChars)
        throw GrievanceRefused(fmt::format("the text is longer than {} characters", kMaxTextChars));
}

std::string GrievanceBook::file(const NewGrievance& g,
                                const std::function<void(const std::string&)>& also) {
    check(g);
    const KioskTime now = kiosk_now();
    const std::string filed_at = now.iso();
    const std::string day = filed_at.substr(0, 10);
    std::string reference;
    store_.transaction([&] {
        const std::int64_t seq = numbering_.next(day);
        reference = make_reference(centre_code_, day, numbering_.tag(), seq);
        const nlohmann::json phrases = g.phrases;
        store_
            .prepare(
                "INSERT INTO civil_service__grievances (reference, day, seq, category, service, "
                "phrases, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind_all(reference, day, seq, g.category, g.service, phrases.dump(), filed_at)
            .run();
        nlohmann::json payload = {{"reference", reference},       {"category", g.category},
                                  {"phrases", phrases},           {"filed_at", filed_at},
                                  {"clock_checked", now.checked}, {"language", g.language}};
        if (!g.service.empty()) payload["service"] = g.service;
        // A citizen may write their name or a phone number: their words go sealed, so that
        // this kiosk cannot read them back; without words there is nothing to seal.
        if (g.text.empty())
            store_.emit("civil_service.grievance", payload);
        else
            store_.emit("civil_service.grievance", payload, {{"fields", {{"text", g.text}}}});
        if (also) also(reference);
    });
    return reference;
}

std::optional<StoredGrievance> GrievanceBook::find(std::string_view reference) {
    Statement row = store_.prepare(
        "SELECT reference, category, service, filed_at FROM civil_service__grievances "
        "WHERE reference = ?");
    row.bind_all(reference);
    if (!row.step()) return std::nullopt;
    return StoredGrievance{row.text(0), row.text(1), row.text(2), row.text(3)};
}

std::optional<Answer> read_answer(const nlohmann::json& data) {
    std::optional<reference::Answer> read =
        reference::read_answer(data, {"received", "in_progress", "resolved", "rejected"});
    if (!read) return std::nullopt;
    return Answer{std::move(read->status),
                  std::move(read->answered_at),
                  {read->note.begin(), read->note.end()}};
}

std::optional<Answer> GrievanceBook::answer(std::string_view reference) {
    std::optional<nlohmann::json> record = store_.catalog_record(kChannel, reference);
    if (!record) return std::nullopt;
    return read_answer(*record);
}

OpenGrievances GrievanceBook::open(std::size_t limit) {
    // The answers once (the centre's own channel), then this kiosk's complaints against them.
    std::map<std::string, std::string, std::less<>> status;
    store_.for_each_catalog_record(kChannel, [&](std::string_view key, const nlohmann::json& d) {
        if (std::optional<Answer> a = read_answer(d)) status.emplace(std::string(key), a->status);
    });
    OpenGrievances open;
    Statement rows = store_.prepare(
        "SELECT reference, category, service, filed_at FROM civil_service__grievances "
        "ORDER BY filed_at DESC, reference DESC");
    while (rows.step()) {
        StoredGrievance g{rows.text(0), rows.text(1), rows.text(2), rows.text(3)};
        auto answered = status.find(g.reference);
        std::string state = answered == status.end() ? "received" : answered->second;
        if (state == "resolved" || state == "rejected") continue;
        ++open.total;
        ++open.by_category[g.category];
        if (open.newest.size() < limit) open.newest.push_back({std::move(g), std::move(state)});
    }
    return open;
}

std::string GrievanceBook::example_reference() {
    // The tag is made with the kiosk's first complaint; until then any two letters show the
    // shape (reading must not write: the disk may be full).
    const std::string shown = numbering_.known_tag().value_or("AB");
    return make_reference(centre_code_, kiosk_now().iso().substr(0, 10), shown, 1);
}

void GrievanceBook::mark_printed(std::string_view reference) {
    store_.transaction([&] {
        store_.prepare("UPDATE civil_service__grievances SET printed = 1 WHERE reference = ?")
            .bind_all(reference)
            .run();
    });
}

}  // namespace seba::civil
