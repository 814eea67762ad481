// SPDX-License-Identifier: Apache-2.0
// The sealing that needs the kiosk's database: the server's key kept in core__config, and
// PluginStore's sealed emit. Apart from sealing.cpp, whose pure parts the fuzzers compile.
#include <fmt/format.h>

#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/sealing.hpp"
#include "seba/storage.hpp"

namespace seba {

namespace sealing {

namespace {
constexpr std::string_view kConfigKey = "sync.seal_key";
}  // namespace

std::optional<ServerKey> server_key(Database& db) {
    std::optional<std::string> stored = read_core_value(db, kConfigKey);
    if (!stored) return std::nullopt;
    return from_json(nlohmann::json::parse(*stored, nullptr, /*allow_exceptions=*/false));
}

void store_server_key(Database& db, const ServerKey& key) {
    write_core_value(db, kConfigKey, to_json(key).dump(), "server");
}

}  // namespace sealing

// PluginStore's sealed emit, beside the key it seals with.
std::string PluginStore::emit(std::string_view type, nlohmann::json payload,
                              const nlohmann::json& sealed) {
    if (!payload.is_object())
        throw Error(
            fmt::format("plugin {} emitted \"{}\" with sealed fields and a payload "
                        "that is not an object",
                        manifest_.id, type));
    if (payload.contains("sealed"))
        throw Error(
            fmt::format("plugin {} emitted \"{}\" with a payload of its own named "
                        "\"sealed\"; that name is the envelope's",
                        manifest_.id, type));
    std::optional<sealing::ServerKey> key = sealing::server_key(db_);
    if (!key)
        throw sealing::NoServerKey(
            "this kiosk has no key of its server yet to seal citizens' data with, so "
            "requests cannot be stored; enroll it (seba-kiosk enroll CODE) and sync once");
    payload["sealed"] = sealing::seal(*key, sealed);
    return emit(type, payload);
}

}  // namespace seba
