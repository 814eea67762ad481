// SPDX-License-Identifier: Apache-2.0
// The complaints behind the operator's PIN: the open ones filed at this kiosk (reference, what
// about, age, state) and counts by category; an answer that closes one takes it off the list.
#include "cs_fixture.hpp"

namespace seba::civil::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class OperatorPageTest : public CivilServiceTest {
  protected:
    void file_about(const std::string& category) {
        if (screen() != "home") tap("shell.home");
        run(json::array({{{"tap", "shell.home.civil_service"}},
                         {{"tap", "civil_service.file"}},
                         {{"tap", "civil_service.cat." + category}},
                         {{"tap", "civil_service.service.none"}},
                         {{"tap", "civil_service.details.next"}},
                         {{"tap", "civil_service.review.agree"}},
                         {{"tap", "civil_service.send"}}}));
        references_.push_back(node("civil_service.slip.panel")->value);
        run(R"([{"tap": "civil_service.done"}, {"tap": "shell.home"}])");
    }
    void open_page() {
        log_in_as_operator();
        tap("shell.op.open.civil_service");
    }
    std::vector<std::string> references_;
};

TEST_F(OperatorPageTest, OpenComplaintsAreListedAndAClosedOneLeavesTheList) {
    config().default_language = "en";
    start();
    open_page();
    expect("civil_service.op.none");
    run(R"([{"tap": "shell.op.back"}, {"tap": "shell.op.exit"}])");

    file_about("delay");
    file_about("delay");
    file_about("extra_money");
    open_page();
    EXPECT_EQ(node("civil_service.op.total")->value, "3");
    EXPECT_EQ(node("civil_service.op.count.delay")->value, "2");
    EXPECT_EQ(node("civil_service.op.count.extra_money")->value, "1");
    expect_absent("civil_service.op.count.other");
    for (const std::string& reference : references_) {
        SCOPED_TRACE(reference);
        const ui::Node* row = node("civil_service.op.g." + reference);
        ASSERT_TRUE(row);
        EXPECT_EQ(row->label, reference);
        EXPECT_THAT(row->value, HasSubstr("0 days"));
        EXPECT_THAT(row->value, HasSubstr("Received"));
    }
    EXPECT_THAT(node("civil_service.op.g." + references_[2])->value, HasSubstr("extra money"));

    // The office answers: one in progress stays, one resolved and one rejected go.
    publish("civil_service.grievances",
            json::array({{{"key", references_[0]}, {"status", "resolved"}},
                         {{"key", references_[1]}, {"status", "in_progress"}},
                         {{"key", references_[2]}, {"status", "rejected"}}}));
    run(R"([{"wait_s": 1}])");
    EXPECT_EQ(node("civil_service.op.total")->value, "1");
    expect_absent("civil_service.op.g." + references_[0]);
    expect_absent("civil_service.op.g." + references_[2]);
    EXPECT_THAT(node("civil_service.op.g." + references_[1])->value,
                HasSubstr("Being looked into"));
    EXPECT_EQ(node("civil_service.op.count.delay")->value, "1");
    expect_absent("civil_service.op.count.extra_money");
}

}  // namespace
}  // namespace seba::civil::testing
