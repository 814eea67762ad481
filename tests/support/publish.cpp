// SPDX-License-Identifier: Apache-2.0
#include "publish.hpp"

#include <cstdint>
#include <string>

#include "seba/catalog.hpp"

namespace seba::testing {

namespace {

// A page of changes as the server would send it, with a cursor the channel has not had.
void keep(Database& db, std::string_view channel, std::vector<catalog::Page::Change> changes) {
    // A cursor in seba-server's form (the number of the last change sent), one past the
    // channel's: a kiosk that later syncs with a real server is not refused for it.
    const std::string previous = catalog::cursor(db, channel);
    std::int64_t last = 0;
    if (!previous.empty() && previous.find_first_not_of("0123456789") == std::string::npos)
        last = std::stoll(previous);
    catalog::Page page;
    page.changes = std::move(changes);
    page.cursor = std::to_string(last + 1);
    catalog::keep_page(db, channel, page);
}

}  // namespace

void publish(Database& db, std::string_view channel, const nlohmann::json& records) {
    std::vector<catalog::Page::Change> changes;
    for (const nlohmann::json& record : records)
        changes.push_back({record.at("key").get<std::string>(), record.dump()});
    keep(db, channel, std::move(changes));
}

void publish(Database& db, std::string_view channel, std::string_view key,
             const nlohmann::json& data) {
    keep(db, channel, {{std::string(key), data.dump()}});
}

}  // namespace seba::testing
