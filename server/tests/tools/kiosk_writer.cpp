// SPDX-License-Identifier: Apache-2.0
// A kiosk process for the kill test: records numbered citizen requests (row + outbox event
// in one transaction) and pushes the outbox to the server between them, forever, until it
// is killed. Usage: kiosk_writer DATABASE DEVICE_KEY SERVER_URL FIRST_NUMBER COUNT
#include <cstdio>
#include <cstdlib>
#include <string>

#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/storage.hpp"
#include "seba/sync_client.hpp"

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: kiosk_writer DATABASE DEVICE_KEY SERVER_URL FIRST COUNT\n");
        return 2;
    }
    seba::Database db = seba::Database::open(argv[1]);
    seba::migrate_core(db);
    seba::Manifest manifest = seba::parse_manifest(
        R"({"id": "dc", "version": "1.0.0", "api": "1.0", "names": {"en": "DC"},
            "capabilities": ["storage", "outbox"], "events": ["dc.request_created"]})",
        "dc/manifest.json");
    seba::PluginStore store(db, manifest);
    store.exec("CREATE TABLE IF NOT EXISTS dc__requests (number INTEGER PRIMARY KEY)");
    seba::SyncOptions options;
    options.device_key_file = argv[2];
    options.server_url = argv[3];
    options.total_timeout_ms = 2000;
    seba::SyncClient client(db, options);
    long first = std::atol(argv[4]), count = std::atol(argv[5]);
    for (long number = first; number < first + count; ++number) {
        store.transaction([&] {
            store.prepare("INSERT INTO dc__requests (number) VALUES (?)")
                .bind(1, static_cast<std::int64_t>(number))
                .run();
            store.emit("dc.request_created", {{"number", number}});
        });
        if (number % 3 == 0) {
            try {
                client.push_outbox(7);
            } catch (const seba::SyncError&) {
            }
        }
    }
    client.push_outbox();
    return 0;
}
