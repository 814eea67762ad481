// SPDX-License-Identifier: Apache-2.0
// docs/protocol.md states the limits kiosks and servers are built to; this reads it, as
// cmake/CheckDocContains.cmake reads the plugin guide, and finds each limit as the code has
// it, so that the document cannot drift from the code again (it said pages of 2,000 while
// the server sent 5,000).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "seba/kiosk_clock.hpp"
#include "seba/kiosk_settings.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"
#include "seba/sync_client.hpp"
#include "seba/sync_limits.hpp"

namespace seba::server {
namespace {

using ::testing::HasSubstr;

// The document with every run of white space (line breaks included) made one space: a
// sentence may wrap anywhere.
std::string protocol_doc() {
    std::ifstream in(std::string(SEBA_SOURCE_DIR) + "/docs/protocol.md");
    std::stringstream text;
    text << in.rdbuf();
    std::string out;
    for (char c : text.str()) {
        bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    return out;
}

TEST(ProtocolDoc, StatesTheLimitsTheCodeHas) {
    const std::string doc = protocol_doc();
    ASSERT_THAT(doc, HasSubstr("# Seba sync protocol"));
    using namespace sync_limits;
    const std::vector<std::string> sentences = {
        fmt::format("At most {} events per request; bodies up to {} MiB.", kMaxEventsPerPush,
                    kMaxRequestBodyBytes >> 20),
        fmt::format("(the server's own limit, {} by default, still applies)", kPageRecords),
        fmt::format("the timestamp is more than {} s from the server's clock", kClockSkew.count()),
        fmt::format("nonces are kept {} s", 2 * kClockSkew.count()),
        fmt::format("a reply over {} MiB", kMaxReplyBytes >> 20),
        fmt::format("{} failed attempts for this centre within the last {} s",
                    kEnrollFailuresPerWindow, kEnrollFailureWindow.count()),
        fmt::format("A move of more than {} s is a jump", KioskClock::kJumpThreshold.count()),
    };
    for (const std::string& sentence : sentences)
        EXPECT_NE(doc.find(sentence), std::string::npos)
            << "docs/protocol.md does not say, as the code has it: " << sentence;
}

// The keys a fleet configuration may set are the table's (seba/kiosk_settings.hpp).
TEST(ProtocolDoc, NamesTheKioskSettingsAFleetMaySet) {
    std::string keys;
    for (const KioskSetting& setting : kiosk_settings())
        if (setting.settable_by(SettingLayer::Fleet)) {
            keys += (keys.empty() ? "`" : ", `") + std::string(setting.key) + "`";
        }
    EXPECT_THAT(protocol_doc(), HasSubstr("| `settings` | kiosk settings a fleet may set (" + keys +
                                          "), each value as the kiosks' table of settings "
                                          "requires |"));
}

// The kiosk sizes its pushes by the very numbers the server refuses past: one constant each.
TEST(ProtocolDoc, TheServerUsesTheLimitsTheKioskSizesItsRequestsBy) {
    const ServerOptions server;
    EXPECT_EQ(server.max_body_bytes, sync_limits::kMaxRequestBodyBytes);
    EXPECT_EQ(server.max_events_per_push, sync_limits::kMaxEventsPerPush);
    EXPECT_EQ(server.page_records, sync_limits::kPageRecords);
    EXPECT_EQ(server.clock_skew, sync_limits::kClockSkew);
    EXPECT_EQ(SyncOptions{}.max_push_bytes, sync_limits::kMaxRequestBodyBytes);
}

}  // namespace
}  // namespace seba::server
