// SPDX-License-Identifier: Apache-2.0
// The profile with the real catalog and books behind it: skills picked by category and found
// by a word typed in Bangla; a MuktoPaath certificate signed by a real kiosk key (vouched for
// by a trust list the server signed) attaches and marks its course's skills verified; a
// profile saved at another kiosk of the centre opens here with phone and code, shows what it
// holds, and once withdrawn is gone and opens no more.
#include <sodium.h>

#include <regex>
#include <seba/catalog.hpp>
#include <seba/credential_keys.hpp>
#include <seba/manifest.hpp>
#include <seba/sealing.hpp>
#include <seba/signing.hpp>
#include <seba/storage.hpp>

#include "desk.hpp"
#include "nise_fixture.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace seba::nise::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kChosen = "বেছে নেওয়া হয়েছে";
constexpr const char* kVerified = "সনদে প্রমাণিত";

class ProfileFlowTest : public NiseTest {
  protected:
    // To the skills step, the profile fresh.
    void to_skills() {
        open_nise();
        run(R"([{"tap": "nise.home.profile"}, {"tap": "nise.edu.secondary"},
                {"tap": "nise.edu.next"}])");
        expect("nise.skills.title");
    }

    // A certificate of `course` for `name`, signed by another kiosk of the centre whose key the
    // server vouches for on the trust list this kiosk holds.
    std::string certificate(const std::string& course, const std::string& name) {
        const signing::KeyPair server = signing::generate_key_pair();
        const signing::KeyPair issuer = signing::generate_key_pair();
        credentials::store_trust_key(host().database(), {server.public_key, ""});
        credentials::TrustEntry entry;
        entry.kid = credentials::key_id(issuer.public_key);
        entry.device = "dev-00000000000000b2";
        entry.centre = "test-centre";
        entry.public_key = issuer.public_key;
        entry.since = "2026-12-01T00:00:00.000Z";
        publish(credentials::kTrustChannel, entry.kid, credentials::sign_entry(entry, server));
        credentials::Claims c;
        c.id = "00112233445566aa";
        c.type = "course-certificate";
        c.subject = name;
        c.achievement = {{"course", course},
                         {"title", {{"bn", "ডিজিটাল সাক্ষরতা"}, {"en", "Digital literacy"}}},
                         {"version", "1.0"},
                         {"score_band", "merit"}};
        c.issued = "2026-12-07";
        c.expires = "2036-12-31";
        c.issuer = entry.device;
        c.centre = entry.centre;
        return credentials::encode(c, issuer);
    }

    // A profile saved at another kiosk of this centre, as the centre's channel nise.profiles
    // brings it here. Returns its return code.
    std::string saved_elsewhere(const Profile& profile, const std::string& phone_e164) {
        Database other = Database::open(other_dir_ / "other.db");
        migrate_core(other);
        apply_migrations(other, "nise", Desk::migrations());
        sealing::ServerKey server;
        std::array<std::uint8_t, 32> secret{};
        crypto_box_keypair(server.public_key.data(), secret.data());
        server.id = sealing::key_id(server.public_key);
        sealing::store_server_key(other, server);
        const Manifest manifest = load_manifest(SEBA_NISE_MANIFEST);
        PluginStore store{other, manifest};
        ProfileBook book{store, read_core_value(host().database(), "sync.centre").value_or("")};
        Citizen c;
        c.profile = profile;
        c.profile.phone = phone_e164;
        c.consented = true;
        const std::string code = book.save(c);
        Statement q =
            other.prepare("SELECT payload FROM core__outbox WHERE type = 'nise.profile_saved'");
        EXPECT_TRUE(q.step());
        const json event = json::parse(q.text(0));
        publish(kProfilesChannel, event.at("login").get<std::string>(),
                {{"box", event.at("box")}, {"saved_at", event.at("saved_at")}});
        return code;
    }

    void open_with(const std::string& phone, const std::string& code) {
        open_nise();
        run(json::array({{{"tap", "nise.home.return"}},
                         {{"tap", "nise.return.phone"}},
                         {{"type", phone}},
                         {{"tap", "nise.return.code"}},
                         {{"type", code}},
                         {{"tap", "nise.return.open"}}}));
    }

    // From NISE's home, through the first of the matches, to Apply: the profile is not saved,
    // so the save screen opens.
    void to_save_screen() {
        publish(kOpportunitiesChannel, pack_records("nise/opportunities.json"));
        to_skills();
        run(R"([{"tap": "nise.skills.cat.digital"}, {"tap": "nise.skill.data-entry"},
                {"tap": "nise.skills.cat.done"}, {"tap": "nise.skills.next"},
                {"tap": "nise.cert.next"}, {"tap": "nise.place.next"}, {"tap": "nise.lang.next"}])");
        std::string card;
        for (const std::string& id : ids())
            if (id.starts_with("nise.match.") && card.empty()) card = id;
        ASSERT_FALSE(card.empty()) << tree();
        run(json::array({{{"tap", card}}, {{"tap", "nise.detail.refer"}}}));
        ASSERT_TRUE(node("nise.save.name")) << tree();
    }

    void fill_save(const std::string& name, const std::string& phone) {
        run(json::array({{{"tap", "nise.save.name"}},
                         {{"type", name}},
                         {{"tap", "nise.save.phone"}},
                         {{"type", phone}},
                         {{"tap", "nise.save.agree"}}}));
    }

    std::string printed_text(const std::string& reference) {
        const std::filesystem::path pdf = dir() / "slips" / (reference + ".pdf");
        for (int i = 0; i < 500 && !std::filesystem::exists(pdf); ++i) run(R"([{"wait_s": 0.01}])");
        return seba::testing::run_process("'" + std::string(SEBA_PDFTOTEXT) + "' '" + pdf.string() +
                                          "' -")
            .output;
    }

    seba::testing::TempDir other_dir_;
};

TEST_F(ProfileFlowTest, SkillsArePickedByCategoryAndFoundInBangla) {
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

TEST_F(ProfileFlowTest, ACertificateOfARealKioskAttachesAndVerifiesItsSkills) {
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

TEST_F(ProfileFlowTest, ASavedProfileOpensWithPhoneAndCodeAndAWithdrawalEndsIt) {
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

TEST_F(ProfileFlowTest, SavingPrintsTheReturnCodeAndGoesOnToTheReferral) {
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

TEST_F(ProfileFlowTest, AKioskNotEnrolledSavesNothingAndKeepsWhatWasTyped) {
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
}  // namespace seba::nise::testing
