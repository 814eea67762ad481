// SPDX-License-Identifier: Apache-2.0
// The kiosk reading a page of a catalog channel from GET /v1/channels/NAME.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_check.hpp"
#include "sync_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using nlohmann::json;
    using seba::detail::parse_pull_page;
    constexpr std::string_view kChannel = "geo.unions";
    std::string_view body(reinterpret_cast<const char*>(data), size);
    auto page = parse_pull_page(body, kChannel);
    if (!page) return 0;
    // A page of one channel is never applied to another.
    SEBA_FUZZ_CHECK(!parse_pull_page(body, "geo.unionz"));
    json changes = json::array();
    for (const auto& change : page->changes) {
        // An empty key would name no record; data is a JSON object that the kiosk's readers
        // (nlohmann) parse.
        SEBA_FUZZ_CHECK(!change.key.empty());
        if (!change.data) {
            changes.push_back({{"key", change.key}, {"deleted", true}});
            continue;
        }
        json record = json::parse(*change.data, nullptr, /*allow_exceptions=*/false);
        SEBA_FUZZ_CHECK(record.is_object());
        changes.push_back({{"key", change.key}, {"data", record}});
    }
    // What was accepted reads the same once written again the way the server writes it.
    json again = {{"channel", kChannel},        {"changes", changes},
                  {"cursor", page->cursor},     {"has_more", page->has_more},
                  {"snapshot", page->snapshot}, {"reset", page->reset}};
    auto reread = parse_pull_page(again.dump(), kChannel);
    SEBA_FUZZ_CHECK(reread && reread->cursor == page->cursor &&
                    reread->has_more == page->has_more && reread->snapshot == page->snapshot &&
                    reread->reset == page->reset && reread->changes.size() == page->changes.size());
    for (std::size_t i = 0; i < page->changes.size(); ++i) {
        const auto& a = page->changes[i];
        const auto& b = reread->changes[i];
        SEBA_FUZZ_CHECK(a.key == b.key && a.data.has_value() == b.data.has_value());
        if (a.data) SEBA_FUZZ_CHECK(json::parse(*a.data) == json::parse(*b.data));
    }
    return 0;
}
