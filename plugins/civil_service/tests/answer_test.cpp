// SPDX-License-Identifier: Apache-2.0
// `seba-server admin grievance-answer`, the real binary on a real server database: the
// complaint a kiosk filed (its event as the kiosk's outbox holds it, stored as a push stores
// it) is answered; the record lands on the centre's channel civil_service.grievances, the
// centre's other answers stay, it is audited without the note, and the kiosk shows it. Wrong
// input is refused with a reason and changes nothing.
#include <fmt/format.h>

#include "cs_fixture.hpp"
#include "process.hpp"
#include "seba/server/store.hpp"

namespace seba::civil::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class GrievanceAnswerTest : public CivilServiceTest {
  protected:
    void SetUp() override {
        CivilServiceTest::SetUp();
        config_ = dir() / "seba-server.toml";
        seba::testing::write_file(
            config_, fmt::format("[server]\ndatabase = \"{}\"\n", (dir() / "server.db").string()));
        EXPECT_EQ(admin("create-centre dhaka-1 'Dhaka Union Digital Centre'").exit_code, 0);
        EXPECT_EQ(admin("create-centre tashkent-1 'Chilonzor'").exit_code, 0);
    }

    seba::testing::ProcessResult admin(const std::string& args) {
        return seba::testing::run_process(fmt::format("'{}' --config '{}' admin {} 2>&1",
                                                      SEBA_SERVER_BIN, config_.string(), args));
    }

    // The kiosk's grievance events, stored on the server as a push from centre `centre`.
    void push_to_server(const std::string& centre) {
        std::unique_ptr<server::Store> store = server::open_sqlite_store(dir() / "server.db");
        Statement e = host().database().prepare(
            "SELECT uuid, type, payload FROM core__outbox WHERE type = 'civil_service.grievance'");
        while (e.step()) {
            server::StoredEvent stored;
            stored.device = "dev-0123456789abcdef";
            stored.centre = centre;
            stored.uuid = e.text(0);
            stored.type = e.text(1);
            stored.payload = e.text(2);
            stored.received_at = "2026-12-08T09:00:00Z";
            ASSERT_EQ(store->push_event(stored), server::PushOutcome::Accepted);
        }
    }

    // The centre's records of the channel, by key.
    std::map<std::string, json> answers(const std::string& centre) {
        std::unique_ptr<server::Store> store = server::open_sqlite_store(dir() / "server.db");
        std::map<std::string, json> out;
        for (const server::ChannelChange& c :
             store->changes("civil_service.grievances", centre, std::nullopt, 100, 1 << 20).changes)
            if (c.data) out[c.key] = json::parse(*c.data);
        return out;
    }

    std::filesystem::path config_;
};

TEST_F(GrievanceAnswerTest, AnAnswerReachesTheCentresChannelAuditedAndTheKioskShowsIt) {
    start();
    const std::string first = file_complaint();
    const std::string second = file_complaint();
    push_to_server("dhaka-1");

    auto r = admin(fmt::format("grievance-answer dhaka-1 {} in_progress", first));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // Typed in lower case: the complaint as its kiosk made the reference.
    r = admin(
        fmt::format("grievance-answer dhaka-1 {} resolved --note 'The extra money was returned.' "
                    "--note-in bn 'বাড়তি টাকা ফেরত দেওয়া হয়েছে।'",
                    [&] {
                        std::string l = second;
                        for (char& c : l)
                            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                        return l;
                    }()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::map<std::string, json> records = answers("dhaka-1");
    ASSERT_EQ(records.size(), 2u) << "replace=false: the first answer stays";
    EXPECT_EQ(records[first]["status"], "in_progress");
    EXPECT_EQ(records[second]["status"], "resolved");
    EXPECT_EQ(records[second]["note"]["bn"], "বাড়তি টাকা ফেরত দেওয়া হয়েছে।");
    EXPECT_EQ(records[second]["note"]["en"], "The extra money was returned.");
    EXPECT_TRUE(records[second]["answered_at"].is_string());
    EXPECT_TRUE(answers("tashkent-1").empty()) << "another centre sees none of it";

    // Answered again: the record is updated, not doubled.
    ASSERT_EQ(admin(fmt::format("grievance-answer dhaka-1 {} resolved", first)).exit_code, 0);
    records = answers("dhaka-1");
    EXPECT_EQ(records.size(), 2u);
    EXPECT_EQ(records[first]["status"], "resolved");

    const std::string audit = admin("audit").output;
    EXPECT_THAT(audit, HasSubstr("grievance.answered"));
    EXPECT_THAT(audit, HasSubstr(second));
    EXPECT_THAT(audit, Not(HasSubstr("ফেরত"))) << "the note stays out of the audit log";

    // What the kiosk pulls, it shows.
    publish("civil_service.grievances", second, records[second]);
    check(second);
    EXPECT_EQ(node("civil_service.check.result")->value, "success");
    EXPECT_EQ(node("civil_service.check.note")->value, "বাড়তি টাকা ফেরত দেওয়া হয়েছে।");
}

TEST_F(GrievanceAnswerTest, WrongInputIsRefusedWithAReasonAndChangesNothing) {
    start();
    const std::string reference = file_complaint();
    push_to_server("dhaka-1");
    struct Case {
        std::string args, reason;
    };
    const Case cases[] = {
        {"nowhere-1 " + reference + " resolved", "no centre nowhere-1"},
        {"tashkent-1 " + reference + " resolved", "has been received from centre tashkent-1"},
        {"dhaka-1 DHK1-G261128-A7-9999 resolved", "no complaint DHK1-G261128-A7-9999"},
        {"dhaka-1 " + reference + " done", "status"},
        {"dhaka-1 " + reference + " resolved --note-in 'b n' x", "not a language tag"},
        {"dhaka-1 " + reference + " resolved --note " + std::string(501, 'x'), "1 to 500"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.args);
        auto r = admin("grievance-answer " + c.args);
        EXPECT_NE(r.exit_code, 0);
        EXPECT_THAT(r.output, HasSubstr(c.reason));
    }
    EXPECT_TRUE(answers("dhaka-1").empty());
    EXPECT_TRUE(answers("tashkent-1").empty());
    EXPECT_THAT(admin("audit").output, Not(HasSubstr("grievance.answered")));
}

}  // namespace
}  // namespace seba::civil::testing
