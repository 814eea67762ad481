// SPDX-License-Identifier: Apache-2.0
// Keeping the profile, reached as citizens reach it (a match, Apply, not saved yet): the return
// code large and printed on a slip without name or phone, then the referral; on a kiosk not
// enrolled nothing is written and what was typed stays. Needs the match screens (nise-ui2).
#include "profile_flow_fixture.hpp"

namespace seba::nise::profile_testing {
namespace {

using ::testing::HasSubstr;

TEST_F(NiseProfileFlow, SavingPrintsTheReturnCodeAndGoesOnToTheReferral) {
    start();
    to_save_screen();
    EXPECT_THAT(label("nise.save.what"), HasSubstr("না মোছা পর্যন্ত"));
    EXPECT_FALSE(node("nise.save.send")->enabled) << "consent first";
    fill_save("রহিম উদ্দিন", "01711-223344");
    ASSERT_TRUE(node("nise.save.send")->enabled) << tree();
    tap("nise.save.send");
    ASSERT_TRUE(node("nise.code.panel")) << tree();
    const std::string grouped = node("nise.code.panel")->value;
    EXPECT_TRUE(std::regex_match(grouped, std::regex("[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")))
        << grouped;
    EXPECT_EQ(events("nise.profile_saved"), 1);
    EXPECT_EQ(node("nise.save.name"), nullptr);
    // The slip: the code and how to use it; no name, no phone; its file is not named by it.
    std::string slip;
    for (int i = 0; i < 500 && slip.empty(); ++i) {
        if (std::filesystem::exists(dir() / "slips"))
            for (const auto& f : std::filesystem::directory_iterator(dir() / "slips"))
                if (f.path().extension() == ".pdf" &&
                    !f.path().filename().string().starts_with("."))
                    slip = f.path().stem().string();  // not a file still being written
        if (slip.empty()) run(R"([{"wait_s": 0.01}])");
    }
    ASSERT_THAT(slip, ::testing::StartsWith("nise-code-"));
    EXPECT_THAT(slip, ::testing::Not(HasSubstr(grouped.substr(0, 4))));
    const std::string paper = printed_text(slip);
    EXPECT_THAT(paper, HasSubstr(grouped));
    EXPECT_THAT(paper, ::testing::Not(HasSubstr("রহিম")));
    EXPECT_THAT(paper, ::testing::Not(HasSubstr("223344")));
    // Next: the referral the citizen asked for.
    tap("nise.code.next");
    expect("nise.refer.agree");
}

TEST_F(NiseProfileFlow, AKioskNotEnrolledSavesNothingAndKeepsWhatWasTyped) {
    start(/*with_server_key=*/false);
    to_save_screen();
    fill_save("রহিম উদ্দিন", "01711223344");
    tap("nise.save.send");
    ASSERT_TRUE(node("nise.save.problem")) << tree();
    EXPECT_EQ(node("nise.save.problem")->value, "error");
    EXPECT_THAT(label("nise.save.problem"), HasSubstr("সার্ভার"));
    EXPECT_EQ(events("nise.profile_saved"), 0);
    EXPECT_EQ(node("nise.save.name")->value, "রহিম উদ্দিন") << "kept for another try";
    expect_absent("nise.code.panel");
}

}  // namespace
}  // namespace seba::nise::profile_testing
