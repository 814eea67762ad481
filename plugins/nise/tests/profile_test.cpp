// SPDX-License-Identifier: Apache-2.0
// The profile book on real kiosk databases: a profile saved with consent is boxed under
// phone + return code and sent with name and phone sealed, nothing readable left in the
// database file; signing in here and, through the centre's channel, at a second kiosk; a
// wrong code or phone; a withdrawal that deletes it here and keeps it from coming back.
#include <regex>

#include "books_fixture.hpp"
#include "seba/server/store.hpp"
#include "seba/sync_client.hpp"
#include "server_fixture.hpp"

namespace seba::nise::books_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Citizen rahim() {
    Citizen c;
    c.profile.name = kName;
    c.profile.phone = kPhone;
    c.profile.education = "secondary";
    c.profile.skills = {"spreadsheet", "typing-bangla"};
    c.profile.languages = {"bn", "en"};
    c.profile.place = "geo.bd.upazilas/156";
    c.consented = true;
    return c;
}

using NiseProfiles = Books;

TEST(NiseProfileJson, RoundTripsAndRefusesWhatIsNotAProfile) {
    Profile p = rahim().profile;
    p.certificates.push_back(
        {"0123456789abcdef", "spreadsheets-101", "2026-12-02", {"spreadsheet"}});
    std::optional<Profile> back = profile_from_json(to_json(p));
    ASSERT_TRUE(back);
    EXPECT_EQ(to_json(*back), to_json(p));

    for (const char* bad :
         {R"([])", R"({"name": 5})", R"({"phone": "01711223344"})", R"({"education": "phd"})",
          R"({"skills": ["Not An Id"]})", R"({"skills": ["a", "a"]})", R"({"skills": "a"})",
          R"({"languages": ["bn", "bn"]})",
          R"({"certificates": [{"credential": "12", "course": "c", "issued": "2026-12-02"}]})"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(profile_from_json(json::parse(bad)));
    }
    json many = to_json(p);
    many["skills"] = json::array();
    for (std::size_t i = 0; i <= kMaxProfileSkills; ++i)
        many["skills"].push_back("s" + std::to_string(i));
    EXPECT_FALSE(profile_from_json(many)) << "over the limit of skills";
    json long_name = to_json(p);
    long_name["name"] = std::string(kMaxNameChars + 1, 'a');
    EXPECT_FALSE(profile_from_json(long_name));
}

TEST(NiseProfileSeeker, SaidAndVerifiedSkillsOnceEach) {
    Profile p;
    p.skills = {"spreadsheet", "typing-bangla"};
    p.certificates.push_back({"0123456789abcdef", "c", "2026-12-02", {"spreadsheet", "email"}});
    p.place = "geo.bd.upazilas/156";
    p.education = "secondary";
    Seeker s = p.seeker();
    ASSERT_EQ(s.skills.size(), 3u);
    EXPECT_EQ(s.skills[0].skill, "spreadsheet");
    EXPECT_TRUE(s.skills[0].verified);
    EXPECT_EQ(s.skills[1].skill, "typing-bangla");
    EXPECT_FALSE(s.skills[1].verified);
    EXPECT_EQ(s.skills[2].skill, "email");
    EXPECT_TRUE(s.skills[2].verified);
    EXPECT_EQ(s.place, "geo.bd.upazilas/156");
    EXPECT_EQ(s.education, "secondary");
    p.wipe();
    EXPECT_TRUE(p.skills.empty() && p.certificates.empty() && p.name.empty());
}

TEST_F(NiseProfiles, SavedWithConsentIsBoxedSentSealedAndNothingReadableStays) {
    Citizen c = rahim();
    const std::string code = a_->profiles.save(c);
    EXPECT_TRUE(std::regex_match(code, std::regex("[A-HJ-NP-Z2-9]{8}"))) << code;
    EXPECT_TRUE(std::regex_match(c.login, std::regex("[0-9a-f]{64}")));
    EXPECT_EQ(a_->count("SELECT count(*) FROM nise__profile_boxes"), 1);
    const json event = a_->last_event("nise.profile_saved");
    ASSERT_FALSE(event.is_null());
    EXPECT_EQ(event["login"], c.login);
    EXPECT_LE(event["box"].get<std::string>().size(), 16u * 1024);
    EXPECT_EQ(event["saved_at"].get<std::string>().substr(0, 4), kiosk_now().iso().substr(0, 4));
    EXPECT_EQ(unseal(event["sealed"]), json({{"fields", {{"name", kName}, {"phone", kPhone}}}}));
    // The box opens with phone + code only.
    return_code::Keys right =
        return_code::derive_keys(kPhone, code, kCentre, {"ns_login", "ns_box__"});
    EXPECT_EQ(right.login, c.login);
    std::optional<std::string> plain =
        return_code::open_box(right.box_key, event["box"].get<std::string>());
    ASSERT_TRUE(plain);
    EXPECT_EQ(json::parse(*plain), to_json(rahim().profile));
    return_code::Keys wrong_phone =
        return_code::derive_keys("+8801711223345", code, kCentre, {"ns_login", "ns_box__"});
    EXPECT_FALSE(return_code::open_box(wrong_phone.box_key, event["box"].get<std::string>()));
    return_code::Keys muktopaath =
        return_code::derive_keys(kPhone, code, kCentre, {"mp_login", "mp_box__"});
    EXPECT_NE(muktopaath.login, c.login) << "a MuktoPaath login says nothing of a NISE one";
    EXPECT_FALSE(return_code::open_box(muktopaath.box_key, event["box"].get<std::string>()));

    // The database file, byte for byte: no name, no phone, no code.
    a_->db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").step();
    const std::string bytes = file_bytes("a.db");
    EXPECT_GT(bytes.size(), 4096u);
    EXPECT_THAT(bytes, Not(HasSubstr(kName)));
    EXPECT_THAT(bytes, Not(HasSubstr("1711223344")));
    EXPECT_THAT(bytes, Not(HasSubstr(code)));
    EXPECT_THAT(bytes, HasSubstr(c.login)) << "the file was read";
    EXPECT_EQ(a_->profiles.saved_on(kiosk_now().iso().substr(0, 10)), 1);

    // Saved again by the same citizen: their own code, no new one.
    c.profile.skills.push_back("email");
    EXPECT_EQ(a_->profiles.save(c), "");
    EXPECT_EQ(a_->count("SELECT count(*) FROM core__outbox WHERE type = 'nise.profile_saved'"), 2);
    EXPECT_EQ(a_->profiles.saved_on(kiosk_now().iso().substr(0, 10)), 1) << "one profile";
}

TEST_F(NiseProfiles, WithoutConsentOrAPhoneOrOverALimitNothingIsKept) {
    Citizen c = rahim();
    c.consented = false;
    EXPECT_THROW(a_->profiles.save(c), ProfileRefused);
    c = rahim();
    c.profile.phone = "01711223344";
    EXPECT_THROW(a_->profiles.save(c), ProfileRefused) << "not E.164";
    c = rahim();
    c.profile.languages.assign(kMaxLanguages + 1, "bn");
    EXPECT_THROW(a_->profiles.save(c), ProfileRefused);
    EXPECT_EQ(a_->count("SELECT count(*) FROM nise__profile_boxes"), 0);
    EXPECT_EQ(a_->count("SELECT count(*) FROM core__outbox"), 0);
    EXPECT_TRUE(c.login.empty());

    // A kiosk never enrolled cannot seal: neither box nor event.
    seba::testing::TempDir other;
    Database never = Database::open(other / "n.db");
    migrate_core(never);
    apply_migrations(never, "nise", Desk::migrations());
    Manifest manifest = load_manifest(SEBA_NISE_MANIFEST);
    PluginStore store{never, manifest};
    ProfileBook book{store, kCentre};
    Citizen d = rahim();
    EXPECT_THROW(book.save(d), sealing::NoServerKey);
    EXPECT_TRUE(d.login.empty());
    Statement rows = never.prepare(
        "SELECT (SELECT count(*) FROM nise__profile_boxes) + (SELECT count(*) FROM core__outbox)");
    rows.step();
    EXPECT_EQ(rows.integer(0), 0);
}

TEST_F(NiseProfiles, SignInHereAndAtASecondKioskThroughTheChannelAndAWrongCodeFails) {
    Citizen c = rahim();
    const std::string code = a_->profiles.save(c);

    std::optional<Citizen> here = a_->profiles.sign_in(kPhone, return_code::grouped(code));
    ASSERT_TRUE(here);
    EXPECT_EQ(here->login, c.login);
    EXPECT_EQ(here->profile.name, kName);
    EXPECT_EQ(here->profile.skills, rahim().profile.skills);
    EXPECT_TRUE(here->consented);

    std::string lower = code;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_TRUE(a_->profiles.sign_in(kPhone, lower)) << "typed in lower case";
    std::string wrong = code;
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(a_->profiles.sign_in(kPhone, wrong));
    EXPECT_FALSE(a_->profiles.sign_in("+8801711223345", code));
    EXPECT_FALSE(a_->profiles.sign_in(kPhone, "not a code"));

    // Kiosk B of the centre knows nothing until the channel brings the box the server
    // published from A's event.
    std::unique_ptr<Kiosk> b = second_kiosk();
    EXPECT_FALSE(b->profiles.sign_in(kPhone, code));
    const json event = a_->last_event("nise.profile_saved");
    const json record = {{"box", event["box"]}, {"saved_at", event["saved_at"]}};
    b->keep(kProfilesChannel, c.login, record);
    std::optional<Citizen> there = b->profiles.sign_in(kPhone, code);
    ASSERT_TRUE(there);
    EXPECT_EQ(there->profile.name, kName);
    EXPECT_EQ(there->profile.place, "geo.bd.upazilas/156");
    EXPECT_FALSE(b->profiles.sign_in(kPhone, wrong));

    // Once A's channel has it too, A's own copy goes.
    a_->keep(kProfilesChannel, c.login, record);
    EXPECT_TRUE(a_->profiles.sign_in(kPhone, code));
    EXPECT_EQ(a_->count("SELECT count(*) FROM nise__profile_boxes"), 0);
    EXPECT_TRUE(a_->profiles.sign_in(kPhone, code)) << "from the channel now";

    // A damaged box in the channel opens to nothing.
    b->keep(kProfilesChannel, c.login, {{"box", "AAAA"}, {"saved_at", event["saved_at"]}});
    EXPECT_FALSE(b->profiles.sign_in(kPhone, code));
}

TEST_F(NiseProfiles, AWithdrawnProfileIsGoneHereAndCannotBeSignedIntoOrSavedAgain) {
    Citizen c = rahim();
    const std::string code = a_->profiles.save(c);
    const std::string login = c.login;
    a_->profiles.withdraw(c);
    EXPECT_TRUE(c.login.empty());
    EXPECT_TRUE(c.profile.name.empty()) << "the citizen is wiped";
    EXPECT_EQ(a_->last_event("nise.profile_withdrawn"), json({{"login", login}}));
    EXPECT_EQ(a_->count("SELECT count(*) FROM nise__profile_boxes"), 0);
    EXPECT_TRUE(a_->profiles.withdrawn(login));
    EXPECT_FALSE(a_->profiles.sign_in(kPhone, code));

    // Even while the channel still holds the box (the server has not had the event yet).
    const json event = a_->last_event("nise.profile_saved");
    a_->keep(kProfilesChannel, login, {{"box", event["box"]}, {"saved_at", event["saved_at"]}});
    EXPECT_FALSE(a_->profiles.sign_in(kPhone, code));

    Citizen again = rahim();
    again.login = login;
    EXPECT_THROW(a_->profiles.save(again), ProfileRefused);
    Citizen never;
    EXPECT_THROW(a_->profiles.withdraw(never), ProfileRefused) << "nothing saved to withdraw";
}

// A kiosk of the centre enrolled with the real seba-server over loopback: its own database,
// device key and outbox, NISE's real store and books on it.
struct EnrolledKiosk {
    EnrolledKiosk(server::Store& server_store, const std::string& url) {
        migrate_core(db);
        apply_migrations(db, "nise", Desk::migrations());
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = dir / "device.key";
        options.total_timeout_ms = 10000;
        client = std::make_unique<SyncClient>(db, options);
        client->enroll(server_store.create_enrollment_code(kCentre, std::chrono::hours(1),
                                                           server::Clock::now()));
    }
    std::string failure(const std::string& type) {
        Statement row = db.prepare(
            "SELECT coalesce(last_error, '') FROM core__outbox WHERE type = ? AND state = "
            "'failed'");
        row.bind_all(type);
        return row.step() ? row.text(0) : std::string();
    }
    seba::testing::TempDir dir;
    Database db = Database::open(dir / "kiosk.db");
    std::unique_ptr<SyncClient> client;
    Manifest manifest = load_manifest(SEBA_NISE_MANIFEST);
    PluginStore store{db, manifest};
    ProfileBook profiles{store, kCentre};
    ReferralBook referrals{store, profiles, "DHK1"};
};

TEST(NiseProfilesThroughTheServer, SavedAtOneKioskSignedInAtAnotherWithdrawnEverywhere) {
    seba::testing::TempDir dir;
    std::unique_ptr<server::Store> store = server::open_sqlite_store(dir / "server.db");
    store->create_centre(kCentre, "Debidwar Union Digital Centre");
    server::RunningServer running(*store);
    EnrolledKiosk a(*store, running.url()), b(*store, running.url());

    Citizen c = rahim();
    const std::string code = a.profiles.save(c);
    EXPECT_EQ(a.client->push_outbox().accepted, 1);
    b.client->pull(kProfilesChannel);
    std::optional<Citizen> there = b.profiles.sign_in(kPhone, return_code::grouped(code));
    ASSERT_TRUE(there) << "kiosk B finds the profile kiosk A saved";
    EXPECT_EQ(there->profile.name, kName);
    EXPECT_EQ(there->profile.skills, rahim().profile.skills);

    // A's own box goes once the channel brings it back.
    a.client->pull(kProfilesChannel);
    EXPECT_TRUE(a.profiles.sign_in(kPhone, code));
    Statement boxes = a.db.prepare("SELECT count(*) FROM nise__profile_boxes");
    boxes.step();
    EXPECT_EQ(boxes.integer(0), 0);

    // Withdrawn at A: gone from the channel at B after its next sync.
    Citizen kept_at_b = *there;
    a.profiles.withdraw(c);
    EXPECT_EQ(a.client->push_outbox().accepted, 1);
    b.client->pull(kProfilesChannel);
    EXPECT_FALSE(b.profiles.sign_in(kPhone, code));

    // B, still holding the citizen from before, refers them: the server refuses it, and B
    // keeps the event as failed with the reason.
    Opportunity o;
    o.id = "data-entry";
    o.kind = Kind::Job;
    o.closes = "2999-12-31";
    o.seats = 1;
    b.referrals.refer(kept_at_b, o, "2026-12-07", nullptr);
    b.client->push_outbox();
    EXPECT_THAT(b.failure("nise.referral"), HasSubstr("withdrawn"));
}

}  // namespace
}  // namespace seba::nise::books_testing
