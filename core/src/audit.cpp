// SPDX-License-Identifier: Apache-2.0
#include "seba/audit.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>

#include "seba/error.hpp"

namespace seba {

namespace {

using Hash = std::array<std::uint8_t, 32>;

void feed(crypto_generichash_state& state, std::string_view field) {
    // Length-prefixed, so ("ab","c") and ("a","bc") hash differently.
    std::uint64_t size = field.size();
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&size), sizeof size);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(field.data()),
                              field.size());
}

Hash entry_hash(const Hash& prev, const AuditEntry& e) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, sizeof(Hash));
    crypto_generichash_update(&state, prev.data(), prev.size());
    auto seq = static_cast<std::uint64_t>(e.seq);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&seq), sizeof seq);
    feed(state, e.at);
    feed(state, e.actor);
    feed(state, e.action);
    feed(state, e.subject);
    feed(state, e.detail);
    Hash out;
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

Hash to_hash(const std::vector<std::uint8_t>& bytes) {
    Hash out{};
    if (bytes.size() == out.size()) std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

}  // namespace

AuditLog::AuditLog(Database& db) : db_(db) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

std::int64_t AuditLog::append(std::string_view actor, std::string_view action,
                              std::string_view subject, std::string_view detail) {
    Transaction tx = db_.transaction();
    Hash prev{};
    AuditEntry entry{1,
                     utc_now_iso(),
                     std::string(actor),
                     std::string(action),
                     std::string(subject),
                     std::string(detail)};
    Statement last = db_.prepare("SELECT seq, hash FROM core__audit ORDER BY seq DESC LIMIT 1");
    if (last.step()) {
        entry.seq = last.integer(0) + 1;
        prev = to_hash(last.blob(1));
    }
    Hash hash = entry_hash(prev, entry);
    db_.prepare(
           "INSERT INTO core__audit (seq, at, actor, action, subject, detail, prev_hash, hash)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.detail,
                  std::span<const std::uint8_t>(prev), std::span<const std::uint8_t>(hash))
        .run();
    tx.commit();
    return entry.seq;
}

AuditLog::Verification AuditLog::verify() const {
    Verification result;
    Statement rows = db_.prepare(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM core__audit "
        "ORDER BY seq");
    Hash prev{};
    std::int64_t expected_seq = 1;
    while (rows.step()) {
        AuditEntry e{rows.integer(0), rows.text(1), rows.text(2),
                     rows.text(3),    rows.text(4), rows.text(5)};
        auto broken = [&](std::string reason) {
            result.ok = false;
            result.first_broken = e.seq;
            result.reason = std::move(reason);
        };
        if (e.seq != expected_seq)
            broken(
                fmt::format("entry {} is missing (the next one found is {})", expected_seq, e.seq));
        else if (to_hash(rows.blob(6)) != prev)
            broken(fmt::format("entry {} does not link to entry {}", e.seq, e.seq - 1));
        else if (entry_hash(prev, e) != to_hash(rows.blob(7)))
            broken(fmt::format("entry {} was changed after it was written", e.seq));
        if (!result.ok) {
            if (e.seq != expected_seq) result.first_broken = expected_seq;
            return result;
        }
        prev = to_hash(rows.blob(7));
        ++expected_seq;
        ++result.entries;
    }
    return result;
}

std::vector<AuditEntry> AuditLog::recent(int count) const {
    std::vector<AuditEntry> out;
    Statement rows = db_.prepare(
        "SELECT seq, at, actor, action, subject, detail FROM core__audit ORDER BY seq DESC "
        "LIMIT ?");
    rows.bind(1, count);
    while (rows.step())
        out.push_back({rows.integer(0), rows.text(1), rows.text(2), rows.text(3), rows.text(4),
                       rows.text(5)});
    return out;
}

}  // namespace seba
