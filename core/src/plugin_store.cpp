// SPDX-License-Identifier: Apache-2.0
#include "seba/plugin_store.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "namespace_guard.hpp"
#include "seba/catalog.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/manifest.hpp"
#include "seba/search.hpp"
#include "seba/storage.hpp"
#include "seba/tcv.hpp"

namespace seba {

namespace detail {

namespace {

bool in_namespace(const char* name, const std::string& prefix) {
    return name && std::strncmp(name, prefix.c_str(), prefix.size()) == 0;
}

// SQLite's own bookkeeping tables, touched as a side effect of DDL and AUTOINCREMENT.
bool is_engine_table(const char* name) {
    return name &&
           (std::strcmp(name, "sqlite_master") == 0 || std::strcmp(name, "sqlite_schema") == 0 ||
            std::strcmp(name, "sqlite_temp_master") == 0 ||
            std::strcmp(name, "sqlite_sequence") == 0);
}

// Functions no plugin needs and an attacker would: fts3_tokenizer('simple') returns a
// library address; load_extension loads native code.
bool is_refused_function(const char* name) {
    return name && (sqlite3_stricmp(name, "fts3_tokenizer") == 0 ||
                    sqlite3_stricmp(name, "load_extension") == 0);
}

// Full-text and r-tree indexes are the only virtual tables a plugin may make: others read
// what SQL cannot (dbstat: every table's pages; sqlite_dbpage: the raw file).
bool is_allowed_module(const char* module) {
    for (const char* allowed : {"fts3", "fts4", "fts5", "rtree"})
        if (module && sqlite3_stricmp(module, allowed) == 0) return true;
    return false;
}

// What SQL compiled for the plugin with namespace `prefix` may do.
int plugin_may(const std::string& prefix, int action, const char* a, const char* b) {
    auto own = [&](const char* table) {
        return in_namespace(table, prefix) || is_engine_table(table) ? SQLITE_OK : SQLITE_DENY;
    };
    switch (action) {
        // a = table name
        case SQLITE_READ:
        case SQLITE_INSERT:
        case SQLITE_UPDATE:
        case SQLITE_DELETE:
        case SQLITE_CREATE_TABLE:
        case SQLITE_DROP_TABLE:
        case SQLITE_CREATE_VIEW:
        case SQLITE_DROP_VIEW:
        case SQLITE_DROP_VTABLE:
        case SQLITE_ANALYZE:
            return own(a);
        case SQLITE_CREATE_VTABLE:  // a = table name, b = module name
            return is_allowed_module(b) ? own(a) : SQLITE_DENY;
        // a = index or trigger name, b = table name: both must be the plugin's. SQLite names
        // the index behind a PRIMARY KEY or UNIQUE column "sqlite_autoindex_<table>_N".
        case SQLITE_CREATE_INDEX:
        case SQLITE_DROP_INDEX:
            if (in_namespace(a, "sqlite_autoindex_" + prefix)) return own(b);
            [[fallthrough]];
        case SQLITE_CREATE_TRIGGER:
        case SQLITE_DROP_TRIGGER:
            return own(a) == SQLITE_OK && own(b) == SQLITE_OK ? SQLITE_OK : SQLITE_DENY;
        case SQLITE_ALTER_TABLE:  // a = database, b = table
            return own(b);
        case SQLITE_REINDEX:
            return own(a);
        case SQLITE_FUNCTION:  // b = function name
            return is_refused_function(b) ? SQLITE_DENY : SQLITE_OK;
        case SQLITE_PRAGMA:  // a = pragma, b = its argument: only FTS5's read of a counter
            return a && sqlite3_stricmp(a, "data_version") == 0 && !b ? SQLITE_OK : SQLITE_DENY;
        case SQLITE_SELECT:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        default:  // ATTACH, DETACH, PRAGMA, TRANSACTION, SAVEPOINT, temp objects...
            return SQLITE_DENY;
    }
}

// The namespace of the view or trigger that SQLite is compiling the body of: "<id>__" for a
// plugin's, empty for the core's ("core__*") and for top-level SQL.
std::string owner_of(const char* view_or_trigger) {
    if (!view_or_trigger || in_namespace(view_or_trigger, "core__")) return {};
    const char* end = std::strstr(view_or_trigger, "__");
    if (!end) return {};  // plugins must name theirs "<id>__*": only the core makes others
    return std::string(view_or_trigger, static_cast<std::size_t>(end - view_or_trigger) + 2);
}

int authorize(void* user, int action, const char* a, const char* b, const char*,
              const char* view_or_trigger) {
    const auto& state = *static_cast<const GuardState*>(user);
    if (const std::string owner = owner_of(view_or_trigger); !owner.empty())
        if (plugin_may(owner, action, a, b) != SQLITE_OK) return SQLITE_DENY;
    return state.plugin_prefix ? plugin_may(*state.plugin_prefix, action, a, b) : SQLITE_OK;
}

}  // namespace

void install_authorizer(sqlite3* db, GuardState& state) {
    sqlite3_set_authorizer(db, authorize, &state);
}

NamespaceGuard::NamespaceGuard(Database& db, const std::string& prefix)
    : state_(db.guard_state()), previous_(std::exchange(state_.plugin_prefix, &prefix)) {
}

NamespaceGuard::~NamespaceGuard() {
    state_.plugin_prefix = previous_;
}

bool refused_by_guard(sqlite3* db) {
    return sqlite3_errcode(db) == SQLITE_AUTH ||
           std::strncmp(sqlite3_errmsg(db), "not authorized", 14) == 0;
}

std::string namespace_refusal(std::string_view prefix, std::string_view detail) {
    return fmt::format(
        "plugin {} may only use its own tables, named {}*, and no ATTACH, PRAGMA, VACUUM or "
        "BEGIN/COMMIT: {}",
        prefix.substr(0, prefix.size() - 2), prefix, detail);
}

}  // namespace detail

namespace {

// A random (version 4) UUID: the event's identity on the wire, forever.
std::string new_uuid() {
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return fmt::format(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
        "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
        b[14], b[15]);
}

}  // namespace

PluginStore::PluginStore(Database& db, const Manifest& manifest)
    : db_(db), manifest_(manifest), prefix_(manifest.id + "__") {
}

void PluginStore::transaction(const std::function<void()>& work) {
    Transaction tx = db_.transaction();
    work();
    tx.commit();
}

Statement PluginStore::prepare(std::string_view sql) {
    detail::NamespaceGuard guard(db_, prefix_);
    try {
        return db_.prepare(sql);
    } catch (const StorageError& e) {
        if (!detail::refused_by_guard(db_.handle())) throw;
        throw StorageError(detail::namespace_refusal(prefix_, e.what()));
    }
}

void PluginStore::exec(std::string_view sql) {
    detail::NamespaceGuard guard(db_, prefix_);
    try {
        db_.exec(sql);
    } catch (const StorageError& e) {
        if (!detail::refused_by_guard(db_.handle())) throw;
        throw StorageError(detail::namespace_refusal(prefix_, e.what()));
    }
}

std::string PluginStore::emit(std::string_view type, const nlohmann::json& payload) {
    if (!manifest_.pushes(type))
        throw Error(
            fmt::format("plugin {} emitted event type \"{}\", which its manifest does not "
                        "declare in \"events\"",
                        manifest_.id, type));
    if (!db_.in_transaction())
        throw Error(
            fmt::format("plugin {} emitted \"{}\" outside store().transaction(); an event "
                        "must commit together with the rows it reports",
                        manifest_.id, type));
    if (payload.is_null() || payload.is_discarded())
        throw Error(
            fmt::format("plugin {} emitted \"{}\" without a payload; the server refuses "
                        "an event whose payload is null",
                        manifest_.id, type));
    // A service delivered must say what it cost the citizen in time and money (seba/tcv.hpp):
    // refused here, before anything is written, so that a plugin cannot forget it.
    if (std::find(manifest_.service_events.begin(), manifest_.service_events.end(), type) !=
        manifest_.service_events.end()) {
        std::string problem;
        auto member = payload.is_object() ? payload.find("tcv") : payload.end();
        if (!payload.is_object() || member == payload.end())
            problem = "the payload has no \"tcv\" member";
        else if (!tcv::read_delivered(*member, &problem))
            problem = "its \"tcv\" member is not valid: " + problem;
        if (!problem.empty())
            throw Error(fmt::format(
                "plugin {} emitted \"{}\", a service event (\"service_events\"), but {}; make "
                "it with seba::tcv::delivered_member (docs/civil-service.md)",
                manifest_.id, type, problem));
    }
    // The exit survey's answers are read by the server as tcv::read_survey reads them: one it
    // would reject is refused here, where the plugin can still say so.
    if (type == tcv::kSurveyEvent) {
        std::string problem;
        if (!tcv::read_survey(payload, &problem))
            throw Error(
                fmt::format("plugin {} emitted \"{}\" with answers that are not a survey: {}",
                            manifest_.id, type, problem));
    }
    std::string uuid = new_uuid();
    // Stamped with the kiosk's corrected clock, and whether it had been checked yet.
    const KioskTime now = kiosk_now();
    db_.prepare(
           "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at, clock_checked) "
           "VALUES (?, ?, ?, ?, ?, ?)")
        .bind_all(uuid, manifest_.id, type, payload.dump(), now.iso(), now.checked ? 1 : 0)
        .run();
    return uuid;
}

void PluginStore::check_declared(std::string_view channel) const {
    if (std::find(manifest_.channels.begin(), manifest_.channels.end(), channel) ==
        manifest_.channels.end())
        throw StorageError(fmt::format(
            "plugin {} read catalog channel \"{}\", which its manifest does not declare in "
            "\"channels\"",
            manifest_.id, channel));
}

std::optional<nlohmann::json> PluginStore::catalog_record(std::string_view channel,
                                                          std::string_view key) {
    check_declared(channel);
    return catalog::record(db_, channel, key);
}

void PluginStore::for_each_catalog_record(
    std::string_view channel,
    const std::function<void(std::string_view key, const nlohmann::json& data)>& each) {
    check_declared(channel);
    catalog::for_each(db_, channel, each);
}

std::string PluginStore::catalog_cursor(std::string_view channel) {
    check_declared(channel);
    return catalog::cursor(db_, channel);
}

// Search's SQL is the core's: prepared outside any NamespaceGuard, so it reads the core's
// tables while the plugin's own prepare() still may not.
search::Search PluginStore::search() {
    return search::Search(db_);
}

}  // namespace seba
