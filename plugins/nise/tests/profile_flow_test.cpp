// SPDX-License-Identifier: Apache-2.0
// The profile with the real catalog and books behind it: skills picked by category and found
// by a word typed in Bangla; a MuktoPaath certificate signed by a real kiosk key (vouched for
// by a trust list the server signed) attaches and marks its course's skills verified; a
// profile saved at another kiosk of the centre opens here with phone and code, shows what it
// holds, and once withdrawn is gone and opens no more.
#include "profile_flow_fixture.hpp"

namespace seba::nise::profile_testing {
namespace {

using ::testing::HasSubstr;

TEST_F(NiseProfileFlow, SkillsArePickedByCategoryAndFoundInBangla) {
    start();
    to_skills();
    // The categories of the pack, with their pictograms.
    ASSERT_TRUE(node("nise.skills.cat.digital")) << tree();
    EXPECT_EQ(label("nise.skills.cat.digital"), "ডিজিটাল দক্ষতা");
    EXPECT_EQ(node("nise.skills.cat.digital")->icon, "computer");
    tap("nise.skills.cat.digital");
    EXPECT_EQ(label("nise.skills.cat.title"), "ডিজিটাল দক্ষতা");
    EXPECT_THAT(label("nav.steps"), HasSubstr("২"));
    tap("nise.skill.spreadsheet");
    tap("nise.skill.typing-bangla");
    tap("nise.skill.typing-bangla");
    EXPECT_EQ(node("nise.skill.spreadsheet")->value, kChosen);
    EXPECT_EQ(node("nise.skill.typing-bangla")->value, "");
    tap("nise.skills.cat.done");
    // Chosen ones listed; a tap takes one away.
    ASSERT_TRUE(node("nise.skills.chosen.spreadsheet"));
    EXPECT_EQ(label("nise.skills.chosen.spreadsheet"), "স্প্রেডশিট ব্যবহার");
    // Found by a word typed in Bangla: the results are chips too.
    run(R"([{"tap": "nise.skills.search"}, {"type": "সেলাই"}])");
    ASSERT_TRUE(node("nise.skill.sewing-machine")) << tree();
    tap("nise.skill.sewing-machine");
    EXPECT_EQ(node("nise.skill.sewing-machine")->value, kChosen);
    expect("nise.skills.chosen.sewing-machine");
    tap("nise.skills.chosen.spreadsheet");
    expect_absent("nise.skills.chosen.spreadsheet");
    // Kept through the next steps and back.
    run(R"([{"tap": "osk.enter"}, {"tap": "nise.skills.next"}, {"tap": "shell.back"}])");
    expect("nise.skills.chosen.sewing-machine");
}

TEST_F(NiseProfileFlow, ACertificateOfARealKioskAttachesAndVerifiesItsSkills) {
    start();
    const std::string sb1 = certificate("digital-literacy-bn", "রহিম উদ্দিন");
    to_skills();
    tap("nise.skills.next");
    run(json::array({{{"tap", "nise.cert.code"}}, {{"type", sb1}}, {{"tap", "nise.cert.add"}}}));
    ASSERT_TRUE(node("nise.cert.result")) << tree();
    EXPECT_EQ(node("nise.cert.result")->value, "success");
    EXPECT_THAT(label("nise.cert.result"), HasSubstr("সনদ যোগ হয়েছে"));
    const ui::Node* item = node("nise.cert.item.00112233445566aa");
    ASSERT_TRUE(item) << tree();
    EXPECT_EQ(item->label, "ডিজিটাল সাক্ষরতা: স্মার্টফোনের প্রথম পাঠ");
    EXPECT_THAT(item->value, HasSubstr("স্মার্টফোন ব্যবহার"));
    // The same again: refused with its own words, nothing doubled.
    run(json::array({{{"tap", "nise.cert.code"}}, {{"type", sb1}}, {{"tap", "nise.cert.add"}}}));
    EXPECT_EQ(node("nise.cert.result")->value, "error");
    EXPECT_EQ(label("nise.cert.result"), "এই সনদটি আগেই যোগ করা হয়েছে।");
    // Its skills show verified on the skills step, and stay whatever is tapped.
    tap("shell.back");
    ASSERT_TRUE(node("nise.skills.chosen.smartphone-basics")) << tree();
    EXPECT_EQ(node("nise.skills.chosen.smartphone-basics")->value, kVerified);
    EXPECT_EQ(node("nise.skills.chosen.smartphone-basics")->icon, "verified_user");
    tap("nise.skills.chosen.smartphone-basics");
    EXPECT_EQ(node("nise.skills.chosen.smartphone-basics")->value, kVerified);
}

TEST_F(NiseProfileFlow, ASavedProfileOpensWithPhoneAndCodeAndAWithdrawalEndsIt) {
    start();
    Profile rahim;
    rahim.name = "রহিম উদ্দিন";
    rahim.education = "vocational";
    rahim.skills = {"sewing-machine", "tailoring"};
    rahim.languages = {"bn", "en"};
    rahim.place = "geo.bd.upazilas/156";
    const std::string code = saved_elsewhere(rahim, "+8801711223344");
    // Typed as people type it: the local number, the code in lower case without its hyphen.
    std::string typed_code = code;
    for (char& c : typed_code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    open_with("01711-223344", typed_code);
    ASSERT_TRUE(node("nise.me.title")) << tree();
    EXPECT_EQ(node("nise.me.education")->value, "কারিগরি বা ডিপ্লোমা");
    EXPECT_EQ(node("nise.me.skills")->value, "২");
    EXPECT_EQ(label("nise.me.skill.sewing-machine"), "সেলাই মেশিন চালানো");
    EXPECT_EQ(node("nise.me.languages")->value, "বাংলা, English");
    EXPECT_FALSE(node("nise.me.place")->value.empty());
    // Edit opens the steps with what it holds.
    tap("nise.me.edit");
    EXPECT_EQ(node("nise.edu.vocational")->value, kChosen);
    tap("nise.edu.next");
    expect("nise.skills.chosen.tailoring");
    run(R"([{"tap": "shell.back"}, {"tap": "shell.back"}])");
    // Withdrawal: what it does in plain words; No keeps it, Yes ends it.
    tap("nise.me.withdraw");
    EXPECT_THAT(label("nise.withdraw.what"), HasSubstr("ফেরানো যাবে না"));
    tap("nise.withdraw.no");
    expect("nise.me.title");
    EXPECT_EQ(events("nise.profile_withdrawn"), 0);
    run(R"([{"tap": "nise.me.withdraw"}, {"tap": "nise.withdraw.yes"}])");
    ASSERT_TRUE(node("nise.deleted.title")) << tree();
    EXPECT_EQ(events("nise.profile_withdrawn"), 1);
    tap("nise.deleted.home");
    expect("nise.home.profile");
    // The same phone and code open nothing any more, and the profile steps start empty.
    open_with("01711223344", code);
    ASSERT_TRUE(node("nise.return.problem")) << tree();
    expect_absent("nise.me.title");
    run(R"([{"tap": "shell.back"}, {"tap": "nise.home.profile"}])");
    EXPECT_EQ(node("nise.edu.vocational")->value, "");
}

}  // namespace
}  // namespace seba::nise::profile_testing
