// SPDX-License-Identifier: Apache-2.0
// A kiosk's content-file downloads in a process of their own, for the disk-full test (a
// program under a small disk's limit): one SyncClient::download_files() call, its report
// printed as JSON. Usage: files_fetcher DATABASE DEVICE_KEY SERVER_URL FILES_DIR
#include <cstdio>
#include <nlohmann/json.hpp>

#include "seba/storage.hpp"
#include "seba/sync_client.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: files_fetcher DATABASE DEVICE_KEY SERVER_URL FILES_DIR\n");
        return 2;
    }
    try {
        seba::Database db = seba::Database::open(argv[1]);
        seba::SyncOptions options;
        options.device_key_file = argv[2];
        options.server_url = argv[3];
        options.files_dir = argv[4];
        options.total_timeout_ms = 5000;
        seba::SyncClient client(db, options);
        seba::SyncClient::FilesReport r = client.download_files();
        std::printf("%s\n", nlohmann::json{{"ready", r.ready},
                                           {"bytes", r.bytes},
                                           {"more", r.more},
                                           {"disk_problem", r.disk_problem}}
                                .dump()
                                .c_str());
        return 0;
    } catch (const std::exception& e) {
        std::printf("%s\n", nlohmann::json{{"error", e.what()}}.dump().c_str());
        return 1;
    }
}
