// SPDX-License-Identifier: Apache-2.0
// The Digital Centre in a whole kiosk (the harness: the real host and shell, drawn by the
// recorder): a citizen asks for a birth registration in Bangla, from the catalog (the demo
// country pack's real file, kept as a pull keeps it) to the receipt; what is stored and
// sent; what an invalid field, a broken printer and a malformed catalog record do.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "digital_centre_fixture.hpp"
#include "process.hpp"
#include "seba/audit.hpp"
#include "small_disk.hpp"
#include "temp_dir.hpp"

namespace seba::kiosk {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// What the citizen typed, as it would be stored: none of it may be readable on the kiosk.
// The phone is not the catalog's example (01711-223344), which the published rule record
// rightly holds.
const std::vector<std::string> kSentinels = {"আয়েশা সিদ্দিকা", "করিম উদ্দিন", "রাশেদা খাতুন",
                                             "8801819556677", "01819",      kNidAscii,
                                             kNidBangla,      "2018-03-15"};

// Every byte of the kiosk's database files, as a thief with the disk reads them.
std::string database_files(const std::filesystem::path& data_dir) {
    std::string all;
    for (const char* name : {"seba.db", "seba.db-wal", "seba.db-shm"})
        if (std::filesystem::exists(data_dir / name))
            all += seba::testing::read_file(data_dir / name);
    return all;
}

TEST_F(DigitalCentreTest, ABirthRegistrationInBanglaFromCatalogToReceipt) {
    start();
    publish_demo_services();
    run(R"([{"tap": "shell.home.digital_centre"}, {"expect": "dc.cat.certificates"},
            {"tap": "dc.cat.certificates"}, {"tap": "dc.svc.birth_registration"}])");
    // What to bring, and the fees kept apart, in Bangla with Bangla digits.
    EXPECT_EQ(label("dc.detail.title"), "জন্ম নিবন্ধন");
    EXPECT_EQ(label("dc.detail.gov_fee"), "সরকারি ফি: ৫০ টাকা");
    EXPECT_EQ(label("dc.detail.charge"), "সেবা মূল্য: ৩০ টাকা");
    EXPECT_EQ(label("dc.detail.total"), "মোট: ৮০ টাকা");
    EXPECT_THAT(label("dc.detail.doc.0"), HasSubstr("ইপিআই"));
    run(R"([{"tap": "shell.home"}])");
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}])");
    // Check answers: each row as typed, the ID number masked but for its last four digits.
    EXPECT_EQ(label("dc.review.applicant_nid"), "আবেদনকারীর জাতীয় পরিচয়পত্র নম্বর");
    EXPECT_EQ(node("dc.review.applicant_nid")->value, "•••••••••••••০০১২");
    EXPECT_EQ(node("dc.review.date_of_birth")->value, "১৫-০৩-২০১৮") << "the date as typed";
    EXPECT_TRUE(node("dc.review.applicant_nid.change")) << "a Change on every row";
    run(R"([{"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
    wait_for_printing();

    // One request, one event, written together; the tracking number on the receipt.
    Statement req = host().database().prepare(
        "SELECT tracking, government_fee, service_charge, currency, payment, operator, "
        "printed FROM digital_centre__requests");
    ASSERT_TRUE(req.step());
    std::string tracking = req.text(0);
    EXPECT_THAT(tracking, ::testing::MatchesRegex("DHK1-[0-9]{6}-[A-Z2-9]{2}-0001"));
    EXPECT_EQ(req.integer(1), 50);
    EXPECT_EQ(req.integer(2), 30);
    EXPECT_EQ(req.text(3), "BDT");
    EXPECT_EQ(req.text(4), "cash");
    EXPECT_EQ(req.text(5), "Rahima Begum");
    EXPECT_EQ(req.integer(6), 1) << "the receipt was printed";
    EXPECT_FALSE(req.step()) << "exactly one request";
    EXPECT_EQ(node("dc.receipt.qr")->value, tracking);
    const ui::SecretText* nid_typed = state().find_field("dc.f.birth_registration.applicant_nid");
    ASSERT_TRUE(nid_typed);
    EXPECT_TRUE(nid_typed->empty()) << "the form is wiped once the request is stored";
    EXPECT_EQ(node("dc.receipt.panel")->value, tracking) << "large, in the confirmation panel";

    Statement event = host().database().prepare(
        "SELECT payload FROM core__outbox WHERE type = 'digital_centre.request_confirmed'");
    ASSERT_TRUE(event.step());
    json payload = json::parse(event.text(0));
    EXPECT_FALSE(event.step());
    EXPECT_EQ(payload["tracking"], tracking);
    EXPECT_EQ(payload["fees"], json::parse(R"({"government": 50, "service": 30, "total": 80,
                                               "currency": "BDT"})"));
    // No hash the kiosk could reverse: the server makes it from the sealed identifier.
    EXPECT_FALSE(payload.contains("citizen"));
    EXPECT_EQ(payload["fields"], json::object()) << "every field of this form identifies";
    for (const char* t : {"arrived_at", "started_at", "ended_at"})
        EXPECT_TRUE(payload[t].is_string() && !payload[t].get<std::string>().empty()) << t;
    // What the citizen typed is sealed to the server, and opens there to the right values.
    json opened = open_sealed(payload["sealed"]);
    ASSERT_TRUE(opened.is_object()) << "the server's key opens the envelope";
    EXPECT_EQ(opened["identifier"], kNidAscii);
    EXPECT_EQ(opened["fields"]["child_name"], "আয়েশা সিদ্দিকা");
    EXPECT_EQ(opened["fields"]["date_of_birth"], "2018-03-15") << "dates sent normalised";
    EXPECT_EQ(opened["fields"]["phone"], "+8801819556677") << "phones sent as E.164";
    EXPECT_EQ(opened["fields"]["applicant_nid"], kNidAscii);

    // The receipt files, with a QR that a scanner reads back as the tracking number.
    std::filesystem::path png = dir() / "receipts" / (tracking + ".png");
    ASSERT_TRUE(std::filesystem::exists(dir() / "receipts" / (tracking + ".pdf")));
    ASSERT_TRUE(std::filesystem::exists(png));
    seba::testing::ProcessResult scan = seba::testing::run_process(
        fmt::format("('{}' --raw -q '{}' 2>/dev/null)", SEBA_ZBARIMG, png.string()));
    EXPECT_EQ(scan.output, tracking + "\n");

    // Done: the next citizen starts at the plugin's first screen with empty fields.
    run(R"([{"tap": "dc.done"}])");
    EXPECT_TRUE(node("dc.cat.certificates"));
}

// A stolen kiosk: its database files, read raw as a thief with the disk reads them, hold
// nothing the citizen typed: the outbox row holds the sealed envelope alone, no hash the
// kiosk could test NIDs against, and the kiosk cannot open the envelope itself.
TEST_F(DigitalCentreTest, AStolenKiosksFilesHoldNoNamePhoneOrNidOfAConfirmedRequest) {
    start();
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
    wait_for_printing();
    run(R"([{"tap": "dc.done"}])");

    Statement event = host().database().prepare(
        "SELECT payload FROM core__outbox WHERE type = 'digital_centre.request_confirmed'");
    ASSERT_TRUE(event.step());
    const std::string row = event.text(0);
    for (const std::string& sentinel : kSentinels)
        EXPECT_THAT(row, Not(HasSubstr(sentinel))) << "the outbox row holds " << sentinel;
    EXPECT_TRUE(json::parse(row).contains("sealed"));
    // Nothing on the kiosk makes a citizen hash: no key beside the hashes, no hashes.
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__meta WHERE key = 'citizen_key'"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM pragma_table_info('digital_centre__requests') "
                     "WHERE name = 'citizen_hash'"),
              0);

    const std::string disk = database_files(config().data_dir);
    ASSERT_FALSE(disk.empty());
    for (const std::string& sentinel : kSentinels)
        EXPECT_EQ(disk.find(sentinel), std::string::npos)
            << "the kiosk's files hold \"" << sentinel << "\"";
}

// A kiosk never enrolled has no server key to seal with: the request is held, not stored in
// clear, and the citizen is told, in their language, to ask the operator; nothing was
// charged. Once the kiosk has the key, the same form goes through.
TEST_F(DigitalCentreTest, AKioskWithoutItsServersKeyHoldsTheRequestAndStoresNothingInClear) {
    start(/*with_server_key=*/false);
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}])");
    EXPECT_FALSE(node("dc.receipt.qr")) << "no receipt for a request not stored";
    EXPECT_THAT(label("dc.confirm.problem"), HasSubstr("সার্ভারের সাথে যুক্ত"));
    EXPECT_THAT(label("dc.confirm.problem"), HasSubstr("অনুগ্রহ করে অপারেটরকে জানান"));
    EXPECT_EQ(scalar("SELECT count(*) FROM core__outbox"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests"), 0);
    const std::string disk = database_files(config().data_dir);
    for (const std::string& sentinel : kSentinels)
        EXPECT_EQ(disk.find(sentinel), std::string::npos)
            << "the kiosk's files hold \"" << sentinel << "\"";

    // Enrolled meanwhile: the citizen confirms again and leaves with a receipt.
    give_server_key();
    run(R"([{"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
    wait_for_printing();
    EXPECT_EQ(scalar("SELECT count(*) FROM core__outbox"), 1);
}

// [SECTION] a full disk (issue 14)

// The tree the kiosk printed for {"dump": name} with --out - ("tree NAME: JSON").
json printed_tree(const std::string& output, const std::string& name) {
    const std::string mark = "tree " + name + ": ";
    std::size_t at = output.find(mark);
    if (at == std::string::npos) return nullptr;
    at += mark.size();
    return json::parse(output.substr(at, output.find('\n', at) - at), nullptr, false);
}

const json* tree_node(const json& tree, const std::string& id) {
    if (tree.is_array())
        for (const json& n : tree)
            if (n.value("id", "") == id) return &n;
    return nullptr;
}

std::set<std::string> files_in(const std::filesystem::path& dir) {
    std::set<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        names.insert(entry.path().filename().string());
    return names;
}

// The disk fills while a citizen reviews a birth registration: the real kiosk, on a small
// disk of the test's (a tmpfs, or without root a file size limit of 0). Confirm shows no
// receipt but says in Bangla that the request was NOT recorded, with the form kept; the
// database holds nothing of it, whole or half, and everything from before; once there is
// room again the same citizen confirms, with no restart, and gets a receipt.
TEST_F(DigitalCentreTest, AConfirmOnAFullDiskIsNotRecordedSaysSoAndGoesThroughOnceThereIsRoom) {
    seba::testing::SmallDisk disk(dir() / "disk");
    config().data_dir = disk / "data";
    config().min_free_bytes = 1 << 20;  // the disk is small
    print_to(disk / "receipts");
    // A request from before, with its receipt.
    start();
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
    const std::string earlier = node("dc.receipt.qr")->value;
    wait_for_printing();
    stop();
    const std::set<std::string> receipts_before = files_in(disk / "receipts");
    ASSERT_FALSE(receipts_before.empty());

    seba::testing::write_file(dir() / "seba.toml",
                              fmt::format(R"(
[kiosk]
id = "full-kiosk"
centre = "test-centre"
languages = ["bn", "en"]
default_language = "bn"
data_dir = "{}"
min_free_mb = 1
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]

[plugin.digital_centre]
centre_code = "DHK1"
{})",
                                          config().data_dir.string(), SEBA_PLUGIN_DIR,
                                          SEBA_DEV_PUBLIC_KEY, printer_toml(disk / "receipts")));
    seba::testing::write_file(dir() / "script.json", R"([
        {"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
        {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
        {"tap": "dc.f.birth_registration.child_name"}, {"type": "আয়েশা সিদ্দিকা"},
        {"tap": "dc.f.birth_registration.date_of_birth"}, {"type": "১৫-০৩-২০১৮"},
        {"tap": "dc.f.birth_registration.father_name"}, {"type": "মোঃ করিম উদ্দিন"},
        {"tap": "dc.f.birth_registration.mother_name"}, {"type": "রাশেদা খাতুন"},
        {"tap": "dc.f.birth_registration.applicant_nid"}, {"type": "১৯৯০২৬৯২৬১৩০০০০১২"},
        {"tap": "dc.f.birth_registration.phone"}, {"type": "০১৭১১-২২৩৩৪৪"},
        {"tap": "dc.review"}, {"pause": "review"},
        {"tap": "dc.confirm"}, {"dump": "refused"}, {"pause": "full"},
        {"wait_s": 31}, {"dump": "room"}, {"tap": "dc.confirm"}, {"dump": "receipt"}])");
    seba::testing::Program kiosk({SEBA_KIOSK_BIN, "--config", (dir() / "seba.toml").string(),
                                  "--locale", SEBA_KIOSK_LOCALE_DIR, "--headless", "--script",
                                  (dir() / "script.json").string(), "--out", "-"},
                                 {"HOME=" + dir().path().string()}, &disk);
    const std::string how = "\n(the disk: " + disk.how() + ")\n";
    ASSERT_TRUE(kiosk.paused_at("review")) << how << kiosk.output();
    disk.fill();
    kiosk.resume();
    ASSERT_TRUE(kiosk.paused_at("full")) << how << kiosk.output();
    const std::set<std::string> receipts_while_full = files_in(disk / "receipts");
    disk.free();
    kiosk.resume();
    ASSERT_EQ(kiosk.finished(), 0) << how << kiosk.output();
    const std::string out = kiosk.output();

    // Refused: no receipt, a plain "NOT recorded" in Bangla, the form kept for later.
    json refused = printed_tree(out, "refused");
    ASSERT_TRUE(refused.is_array()) << how << out;
    const json* problem = tree_node(refused, "dc.confirm.problem");
    ASSERT_NE(problem, nullptr) << refused.dump(1);
    EXPECT_EQ(problem->value("label", ""),
              "আপনার আবেদন জমা হয়নি: এই কিয়স্ক এখন কোনো আবেদন সংরক্ষণ করতে পারছে না। কোনো "
              "টাকা নেওয়া হয়নি; অনুগ্রহ করে অপারেটরকে জানান।");
    for (const json& n : refused)
        EXPECT_EQ(n.value("id", "").rfind("dc.receipt", 0), std::string::npos) << n.dump();
    EXPECT_NE(tree_node(refused, "shell.trouble"), nullptr) << "the kiosk says it, above";
    EXPECT_NE(tree_node(refused, "dc.confirm"), nullptr) << "the review stays, filled in";
    EXPECT_EQ(receipts_while_full, receipts_before) << "no receipt file, whole or half";
    EXPECT_THAT(out, HasSubstr("needs at least 1 MiB")) << "standard error says why";

    // Room again, no restart: the same citizen confirms and leaves with a receipt.
    EXPECT_EQ(tree_node(printed_tree(out, "room"), "shell.trouble"), nullptr) << out;
    const json receipt = printed_tree(out, "receipt");
    const json* qr = tree_node(receipt, "dc.receipt.qr");
    ASSERT_NE(qr, nullptr) << out;
    const std::string later = qr->value("value", "");
    EXPECT_NE(later, earlier);

    // Nothing harmed and nothing half-written: a sound file with the earlier request, the
    // one confirmed once there was room, and exactly one event for each.
    Database db = Database::open(config().data_dir / "seba.db");
    Statement check = db.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.text(0), "ok");
    Statement requests = db.prepare("SELECT tracking FROM digital_centre__requests ORDER BY seq");
    std::vector<std::string> stored;
    while (requests.step()) stored.push_back(requests.text(0));
    EXPECT_EQ(stored, (std::vector<std::string>{earlier, later}));
    Statement pairs = db.prepare(
        "SELECT (SELECT count(*) FROM core__outbox WHERE type = "
        "'digital_centre.request_confirmed'), (SELECT count(*) FROM digital_centre__requests r "
        "WHERE (SELECT count(*) FROM core__outbox o WHERE o.type = "
        "'digital_centre.request_confirmed' AND json_extract(o.payload, '$.tracking') = "
        "r.tracking) != 1)");
    ASSERT_TRUE(pairs.step());
    EXPECT_EQ(pairs.integer(0), 2);
    EXPECT_EQ(pairs.integer(1), 0);
}

TEST_F(DigitalCentreTest, AnInvalidFieldKeepsTheRequestFromBeingConfirmed) {
    start();
    publish_demo_services();
    fill_birth_registration("১২৩৪৫");  // five digits: no NID has that
    const ui::Node* nid = node("dc.f.birth_registration.applicant_nid");
    ASSERT_TRUE(nid);
    EXPECT_THAT(nid->error, HasSubstr("১০, ১৩ বা ১৭"))
        << "shown once the citizen left the field, in Bangla: " << nid->error;
    // Review stays active (a disabled button says nothing); pressing it lists the problem
    // at the top of the form, and that entry takes the citizen to the field.
    const ui::Node* review = node("dc.review");
    ASSERT_TRUE(review);
    EXPECT_TRUE(review->enabled);
    EXPECT_EQ(review->style, ui::ButtonStyle::Primary);
    run(R"([{"tap": "dc.review"}, {"expect": "dc.form.errors"}])");
    EXPECT_FALSE(node("dc.confirm")) << "no way to the confirm button";
    const ui::Node* entry = node("dc.f.birth_registration.applicant_nid.problem");
    ASSERT_TRUE(entry) << "the summary names the field";
    EXPECT_THAT(entry->label, HasSubstr("১০, ১৩ বা ১৭"));
    EXPECT_FALSE(node("dc.f.birth_registration.child_name.problem")) << "only what is wrong";
    run(R"([{"tap": "dc.f.birth_registration.phone"},
            {"tap": "dc.f.birth_registration.applicant_nid.problem"}])");
    EXPECT_TRUE(node("dc.f.birth_registration.applicant_nid")->focused)
        << "the summary's entry puts the keyboard on the field";
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM core__outbox"), 0);
}

TEST_F(DigitalCentreTest, AnEmptyRequiredFieldIsNamedOnlyOnceReviewIsPressed) {
    start();
    publish_demo_services();
    run(R"([{"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
            {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
            {"tap": "dc.f.birth_registration.child_name"},
            {"tap": "dc.f.birth_registration.father_name"}])");
    EXPECT_EQ(node("dc.f.birth_registration.child_name")->error, "")
        << "leaving an empty field is no error yet";
    EXPECT_FALSE(node("dc.form.errors"));
    EXPECT_EQ(node("nav.steps")->value, "2/4") << "the form is the request's second step";
    run(R"([{"tap": "dc.review"}])");
    ASSERT_TRUE(node("dc.form.errors"));
    EXPECT_FALSE(node("dc.f.birth_registration.child_name")->error.empty());
    EXPECT_TRUE(node("dc.f.birth_registration.child_name.problem"));
    // A field the catalog marks optional says so, and an empty one is no problem.
    run(R"([{"tap": "shell.home"}, {"tap": "shell.home.digital_centre"},
            {"tap": "dc.cat.utilities"}, {"tap": "dc.svc.electricity_bill"}, {"tap": "dc.apply"},
            {"tap": "dc.review"}])");
    const ui::Node* phone = node("dc.f.electricity_bill.phone");
    ASSERT_TRUE(phone);
    EXPECT_THAT(phone->label, ::testing::EndsWith("(ঐচ্ছিক)"));
    EXPECT_EQ(phone->error, "");
    EXPECT_FALSE(node("dc.f.electricity_bill.phone.problem"));
    for (const ui::Node& n : state().tree()) {
        if (n.role != ui::Role::Field || n.id == phone->id) continue;
        EXPECT_THAT(n.label, ::testing::Not(HasSubstr("ঐচ্ছিক"))) << "required: " << n.id;
    }
}

TEST_F(DigitalCentreTest, APrintFailureKeepsTheRequestAndOffersAReprint) {
    print_to(dir() / "receipts", dir() / "no-such-dir" / "lp0");
    start();
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
    wait_for_printing();
    run(R"([{"expect": "dc.receipt.print_problem"}, {"expect": "dc.reprint"}])");
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 0"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM core__outbox"), 1) << "the request still goes out";
    // The printer comes back (its folder exists now): Print again works and says so.
    std::filesystem::create_directories(dir() / "no-such-dir");
    run(R"([{"tap": "dc.reprint"}])");
    wait_for_printing();
    run(R"([{"absent": "dc.receipt.print_problem"}])");
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 1"), 1);
    EXPECT_GT(std::filesystem::file_size(dir() / "no-such-dir" / "lp0"), 1000u);
}

TEST_F(DigitalCentreTest, APrinterThatDoesNotAnswerDoesNotFreezeTheScreen) {
    // A FIFO nobody reads: opening it for writing blocks, as an offline printer can.
    std::filesystem::path printer = dir() / "stuck-printer";
    ASSERT_EQ(::mkfifo(printer.c_str(), 0600), 0);
    print_to(dir() / "receipts", printer);
    start();
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"wait_s": 0.5}])");
    EXPECT_TRUE(node("dc.receipt.printing")) << "the citizen is told it is printing";
    EXPECT_TRUE(node("dc.receipt.qr")) << "and sees the receipt meanwhile";
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 0"), 1);
    // The printer wakes up: the job goes through and is recorded as printed.
    std::string received;
    std::thread reader([&] {
        std::ifstream in(printer, std::ios::binary);
        received.assign(std::istreambuf_iterator<char>(in), {});
    });
    wait_for_printing();
    reader.join();
    EXPECT_GT(received.size(), 1000u);
    EXPECT_EQ(received.substr(0, 2), "\x1b@") << "an ESC/POS job";
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 1"), 1);
}

TEST_F(DigitalCentreTest, AMalformedCatalogRecordIsSkippedAndTheRestShown) {
    start();
    json records = json::parse(std::ifstream(SEBA_DC_SERVICES));
    records.push_back(json::parse(R"({"key": "service/broken", "category": "certificates",
                                      "names": {"en": "Broken"}, "fees": {"government": -5}})"));
    publish("dc.services", records);
    run(R"([{"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
            {"expect": "dc.svc.birth_registration"}, {"absent": "dc.svc.broken"}])");
}

// Citizens who read little find a category by its picture: each tile carries the catalog's
// pictogram; a bad name costs that tile its picture, never its place.
TEST_F(DigitalCentreTest, CategoryTilesCarryTheCatalogsPictograms) {
    start();
    json records = json::parse(std::ifstream(SEBA_DC_SERVICES));
    for (json& r : records)
        if (r["key"] == "category/land") r["icon"] = "Land Office";
    publish("dc.services", records);
    run(R"([{"tap": "shell.home.digital_centre"}, {"expect": "dc.cat.land"}])");
    EXPECT_EQ(node("dc.cat.certificates")->icon, "description");
    EXPECT_EQ(node("dc.cat.education")->icon, "school");
    EXPECT_EQ(node("dc.cat.land")->icon, "") << "a bad name is left out";
    EXPECT_EQ(node("dc.search")->icon, "search");
}

TEST_F(DigitalCentreTest, NoCatalogYetSaysSoInsteadOfAnEmptyScreen) {
    start();
    run(R"([{"tap": "shell.home.digital_centre"}, {"expect": "dc.no_catalog"}])");
    EXPECT_THAT(label("dc.no_catalog"), HasSubstr("অপারেটর"));
}

TEST_F(DigitalCentreTest, StatusLookupByTrackingNumber) {
    start();
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}])");
    std::string tracking = node("dc.receipt.qr")->value;
    run(R"([{"tap": "dc.done"}, {"tap": "dc.status"}, {"tap": "dc.status.tracking"}])");
    // Typed in lower case and checked: still found, here at this centre.
    std::string lower = tracking;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    run(R"([{"type": ")" + lower + R"("}, {"tap": "dc.status.check"}])");
    EXPECT_THAT(label("dc.status.result"), HasSubstr("এই কেন্দ্রে গৃহীত"));
    // The office's answer arrives through the dc.status channel.
    publish("dc.status", json::array({{{"key", tracking}, {"status", "ready"}}}));
    run(R"([{"wait_s": 1}])");
    EXPECT_THAT(label("dc.status.result"), HasSubstr("প্রস্তুত"));
}

TEST_F(DigitalCentreTest, TheOperatorClosesTheDayAndTheCashBookBalancesOrSaysByHowMuchNot) {
    start();
    publish_demo_services();
    // Two birth registrations paid in cash (Tk 80 each) and one by mobile money.
    for (int payment : {0, 0, 1}) {
        fill_birth_registration(kNidBangla);
        run(R"([{"tap": "dc.review"}, {"tap": "dc.payment.)" + std::to_string(payment) +
            R"("}, {"tap": "dc.confirm"}, {"tap": "dc.done"}, {"tap": "shell.home"}])");
    }
    log_in_as_operator();
    run(R"([{"tap": "shell.op.open.digital_centre"}])");
    EXPECT_EQ(label("dc.op.title"), "আজকের আবেদন: ৩");
    EXPECT_EQ(label("dc.op.gov_fees"), "সরকারি ফি: ১৫০ টাকা");
    EXPECT_EQ(label("dc.op.charges"), "সেবা মূল্য: ৯০ টাকা");
    EXPECT_EQ(label("dc.op.cash"), "ক্যাশে থাকার কথা: ১৬০ টাকা");
    EXPECT_EQ(label("dc.op.mobile"), "মোবাইল ব্যাংকিং: ৮০ টাকা");
    // Counted Tk 150: ten short. The close says so, in the audit log and to the server.
    run(R"([{"tap": "dc.op.counted"}, {"type": "১৫০"}, {"tap": "dc.op.close"},
            {"tap": "dc.op.close.confirm"}])");
    EXPECT_THAT(label("dc.op.closed"), HasSubstr("কম ১০ টাকা"));
    EXPECT_EQ(node("dc.op.closed")->value, "error") << "short: an error banner";
    EXPECT_FALSE(node("dc.op.close")) << "a day closes once";
    Statement event = host().database().prepare(
        "SELECT payload FROM core__outbox WHERE type = 'digital_centre.day_closed'");
    ASSERT_TRUE(event.step());
    json close = json::parse(event.text(0));
    EXPECT_EQ(close["cash_expected"], 160);
    EXPECT_EQ(close["cash_counted"], 150);
    EXPECT_EQ(close["difference"], -10);
    EXPECT_EQ(close["requests"], 3);
    EXPECT_EQ(close["services"][0]["government"], 150);
    Statement audit = host().database().prepare(
        "SELECT actor, detail FROM core__audit WHERE action = 'dc.day_closed'");
    ASSERT_TRUE(audit.step());
    EXPECT_EQ(audit.text(0), "plugin.digital_centre");
    EXPECT_THAT(audit.text(1), HasSubstr("difference -10"));
    EXPECT_TRUE(AuditLog(host().database()).verify().ok) << "the chain still holds";
}

TEST_F(DigitalCentreTest, ABalancedDayIsSaidToBalance) {
    start();
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"tap": "dc.done"}, {"tap": "shell.home"}])");
    log_in_as_operator();
    run(R"([{"tap": "shell.op.open.digital_centre"}, {"tap": "dc.op.counted"}, {"type": "80"},
            {"tap": "dc.op.close"}, {"tap": "dc.op.close.confirm"}])");
    EXPECT_THAT(label("dc.op.closed"), HasSubstr("হিসাব মিলেছে"));
    EXPECT_EQ(scalar("SELECT counted - expected FROM digital_centre__day_closes"), 0);
}

// Power lost at any moment while citizens confirm requests: the kiosk process is killed
// (SIGKILL) at 23 points spread over a scripted run, all on one database. Every request
// that reached the receipt screen is stored, every stored request has exactly its one
// event, nothing is half written, and the database stays sound.
TEST_F(DigitalCentreTest, KilledAtMomentsAcrossARunNothingConfirmedIsLostOrHalfWritten) {
    start();
    publish_demo_services();
    stop();  // the database is the kiosk process's from here on
    seba::testing::write_file(
        dir() / "seba.toml",
        fmt::format(R"(
[kiosk]
id = "kill-kiosk"
centre = "test-centre"
languages = ["bn", "en"]
default_language = "bn"
data_dir = "{}"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]
# A kill inside a plugin call counts as that plugin crashing; here the kills are the
# power cuts under test, so quarantine must not end the runs early.
quarantine_after_crashes = 100

[plugin.digital_centre]
centre_code = "KILL"
)",
                    (dir() / "data").string(), SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY));
    // One citizen's whole request, then a dump of the receipt screen: its file proves the
    // kiosk showed the receipt (the tracking number is in it).
    seba::testing::write_file(dir() / "script.json", R"([
        {"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
        {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
        {"tap": "dc.f.birth_registration.child_name"}, {"type": "আয়েশা সিদ্দিকা"},
        {"tap": "dc.f.birth_registration.date_of_birth"}, {"type": "১৫-০৩-২০১৮"},
        {"tap": "dc.f.birth_registration.father_name"}, {"type": "মোঃ করিম উদ্দিন"},
        {"tap": "dc.f.birth_registration.mother_name"}, {"type": "রাশেদা খাতুন"},
        {"tap": "dc.f.birth_registration.applicant_nid"}, {"type": "১৯৯০২৬৯২৬১৩০০০০১২"},
        {"tap": "dc.f.birth_registration.phone"}, {"type": "০১৭১১-২২৩৩৪৪"},
        {"tap": "dc.review"}, {"tap": "dc.confirm"}, {"dump": "receipt"}])");
    std::vector<std::string> shown;  // tracking numbers the kiosk showed on a receipt
    int killed = 0;
    std::string last_output;
    // The first run is never cut, and says how long a whole run takes on this machine
    // (a sanitizer build is many times slower); the others are killed at points spread
    // from the first step to past the end.
    double whole_s = 0;
    for (int run = 0; run < 24; ++run) {
        std::filesystem::path out = dir() / ("out-" + std::to_string(run));
        double after_s = run == 0 ? 600.0 : whole_s * 1.25 * run / 23.0;
        auto begin = std::chrono::steady_clock::now();
        seba::testing::ProcessResult r = seba::testing::run_process(fmt::format(
            "timeout -s KILL {:.3f} '{}' --config '{}' --headless --script '{}' --out '{}'",
            after_s, SEBA_KIOSK_BIN, (dir() / "seba.toml").string(),
            (dir() / "script.json").string(), out.string()));
        if (run == 0)
            whole_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        // timeout exits 137 when it had to kill; anything but that or a clean finish is a bug.
        ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 137) << r.exit_code << ": " << r.output;
        killed += r.exit_code == 137;
        last_output = r.output;
        if (std::filesystem::exists(out / "receipt.json")) {
            // A run killed while it wrote the dump leaves part of it: that run's receipt is
            // not counted. A run that finished must have written it whole.
            json tree = json::parse(std::ifstream(out / "receipt.json"), nullptr, false);
            if (tree.is_discarded()) {
                EXPECT_EQ(r.exit_code, 137) << "a finished run wrote a broken receipt.json";
                continue;
            }
            for (const json& node : tree)
                if (node.value("id", "") == "dc.receipt.qr") shown.push_back(node["value"]);
        }
    }
    EXPECT_GT(killed, 3) << "some runs must have been cut short";
    EXPECT_LT(killed, 24) << "some runs must have finished";
    EXPECT_FALSE(shown.empty()) << "some runs must have reached the receipt; the last said: "
                                << last_output;

    Database db = Database::open(dir() / "data" / "seba.db");
    Statement check = db.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.text(0), "ok");
    for (const std::string& tracking : shown) {
        Statement row =
            db.prepare("SELECT count(*) FROM digital_centre__requests WHERE tracking = ?");
        row.bind_all(tracking);
        row.step();
        EXPECT_EQ(row.integer(0), 1) << tracking << " was on a receipt but is not stored";
    }
    // Every stored request has exactly one event, and every event its request.
    Statement pairs = db.prepare(
        "SELECT (SELECT count(*) FROM digital_centre__requests), "
        "(SELECT count(*) FROM core__outbox WHERE type = 'digital_centre.request_confirmed'), "
        "(SELECT count(*) FROM digital_centre__requests r WHERE (SELECT count(*) FROM "
        "core__outbox o WHERE o.type = 'digital_centre.request_confirmed' AND "
        "json_extract(o.payload, '$.tracking') = r.tracking) != 1)");
    ASSERT_TRUE(pairs.step());
    EXPECT_GE(pairs.integer(0), static_cast<std::int64_t>(shown.size()));
    EXPECT_EQ(pairs.integer(0), pairs.integer(1));
    EXPECT_EQ(pairs.integer(2), 0);
}

// [SECTION] receipts never silently lost (issue 13, finding 5)

// Reads whole print jobs from a FIFO printer, one per open, as a thermal printer takes them.
class FifoPrinter {
  public:
    explicit FifoPrinter(std::filesystem::path path) : path_(std::move(path)) {
        EXPECT_EQ(::mkfifo(path_.c_str(), 0600), 0);
    }
    // Takes the next job: blocks until a writer opens the FIFO and closes it again.
    std::string take() {
        std::ifstream in(path_, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

TEST_F(DigitalCentreTest, ReceiptsQueuedBehindABusyPrinterAllComeOutOneAtATimeInOrder) {
    FifoPrinter printer(dir() / "busy-printer");  // nobody reads yet: the first job blocks
    print_to(dir() / "receipts", printer.path());
    start();
    publish_demo_services();
    std::vector<std::string> tracking;
    for (int i = 0; i < 3; ++i) {
        fill_birth_registration(kNidBangla);
        run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
        tracking.push_back(node("dc.receipt.qr")->value);
        run(R"([{"tap": "dc.done"}, {"tap": "shell.home"}])");
    }
    auto pdf = [&](int i) { return dir() / "receipts" / (tracking[i] + ".pdf"); };
    auto wait_for = [&](const std::function<bool()>& done) {
        for (int i = 0; i < 1000 && !done(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            run(R"([{"tap": "shell.home.digital_centre"}, {"tap": "shell.home"}])");
        }
        return done();
    };
    // The first receipt is at the printer; the others wait their turn, none dropped.
    ASSERT_TRUE(wait_for([&] { return std::filesystem::exists(pdf(0)); }));
    run(R"([{"wait_s": 0.5}])");
    EXPECT_FALSE(std::filesystem::exists(pdf(1))) << "one job at a time";
    EXPECT_EQ(scalar("SELECT count(*) FROM core__print_jobs WHERE plugin = 'digital_centre'"), 3);
    for (int i = 0; i < 3; ++i) {
        std::string job;
        std::thread reader([&] { job = printer.take(); });
        ASSERT_TRUE(wait_for([&] { return !job.empty(); })) << "job " << i;
        reader.join();
        EXPECT_EQ(job.substr(0, 2), "\x1b@") << "an ESC/POS job";
        // In order: the next receipt is drawn only once this one has gone out.
        if (i + 1 < 3) {
            EXPECT_TRUE(wait_for([&] { return std::filesystem::exists(pdf(i + 1)); }));
        }
    }
    EXPECT_TRUE(wait_for([&] {
        return scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 1") == 3;
    }));
    EXPECT_EQ(scalar("SELECT count(*) FROM core__print_jobs WHERE plugin = 'digital_centre'"), 0);
}

TEST_F(DigitalCentreTest, AFailingPrinterKeepsTheReceiptQueuedAndShowsItToTheOperator) {
    print_to(dir() / "receipts", dir() / "unplugged" / "lp0");
    start();
    publish_demo_services();
    fill_birth_registration(kNidBangla);
    run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}])");
    std::string tracking = node("dc.receipt.qr")->value;
    wait_for_printing();
    run(R"([{"expect": "dc.receipt.print_problem"}, {"tap": "dc.done"}, {"tap": "shell.home"}])");
    EXPECT_EQ(scalar("SELECT count(*) FROM core__print_jobs WHERE plugin = 'digital_centre' AND "
                     "failures > 0"),
              1);
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 0"), 1);

    log_in_as_operator();
    run(R"([{"tap": "shell.op.open.digital_centre"}])");
    EXPECT_EQ(label("dc.op.unprinted"), "যে রসিদ ছাপা হয়নি: ১");
    const ui::Node* row = node("dc.op.unprinted." + tracking);
    ASSERT_TRUE(row);
    EXPECT_THAT(row->label + " " + row->value, HasSubstr("ENOENT")) << "why, for the operator";
    // The printer is plugged in again: the operator prints the receipt.
    std::filesystem::create_directories(dir() / "unplugged");
    run(R"([{"tap": "dc.op.reprint.)" + tracking + R"("}])");
    for (int i = 0; i < 1000 && node("dc.op.unprinted"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        run(R"([{"wait_s": 0.01}])");
    }
    EXPECT_FALSE(node("dc.op.unprinted"));
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 1"), 1);
    EXPECT_GT(std::filesystem::file_size(dir() / "unplugged" / "lp0"), 1000u);
}

TEST_F(DigitalCentreTest, KilledWithReceiptsQueuedEveryOneComesOutAfterTheRestart) {
    start();
    publish_demo_services();
    stop();  // the database is the kiosk process's from here on
    // The real kiosk, its printer stuck (a FIFO nobody reads): three citizens confirm, the
    // first receipt hangs at the printer, and the kiosk is killed.
    FifoPrinter stuck(dir() / "stuck-printer");
    seba::testing::write_file(
        dir() / "seba.toml",
        fmt::format(R"(
[kiosk]
id = "print-kiosk"
centre = "test-centre"
languages = ["bn", "en"]
default_language = "bn"
data_dir = "{}"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]

[plugin.digital_centre]
centre_code = "PRNT"
{})",
                    (dir() / "data").string(), SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY,
                    printer_toml(dir() / "receipts", stuck.path())));
    std::string citizen = R"(
        {"tap": "dc.cat.certificates"}, {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
        {"tap": "dc.f.birth_registration.child_name"}, {"type": "আয়েশা সিদ্দিকা"},
        {"tap": "dc.f.birth_registration.date_of_birth"}, {"type": "১৫-০৩-২০১৮"},
        {"tap": "dc.f.birth_registration.father_name"}, {"type": "মোঃ করিম উদ্দিন"},
        {"tap": "dc.f.birth_registration.mother_name"}, {"type": "রাশেদা খাতুন"},
        {"tap": "dc.f.birth_registration.applicant_nid"}, {"type": "১৯৯০২৬৯২৬১৩০০০০১২"},
        {"tap": "dc.f.birth_registration.phone"}, {"type": "০১৭১১-২২৩৩৪৪"},
        {"tap": "dc.review"}, {"tap": "dc.confirm"}, {"tap": "dc.done"})";
    seba::testing::write_file(dir() / "script.json", R"([{"tap": "shell.home.digital_centre"},)" +
                                                         citizen + "," + citizen + "," + citizen +
                                                         R"(, {"dump": "queued"}])");
    std::filesystem::path out = dir() / "out";
    seba::testing::ProcessResult killed = seba::testing::run_process(fmt::format(
        "umask 022; '{}' --config '{}' --headless --script '{}' --out '{}' & pid=$!; "
        "for i in $(seq 600); do [ -f '{}' ] && break; sleep 0.05; done; sleep 0.5; "
        "kill -9 $pid; wait $pid; echo \"exit $?\"",
        SEBA_KIOSK_BIN, (dir() / "seba.toml").string(), (dir() / "script.json").string(),
        out.string(), (out / "queued.json").string()));
    ASSERT_TRUE(std::filesystem::exists(out / "queued.json")) << killed.output;
    EXPECT_THAT(killed.output, HasSubstr("exit 137")) << "killed, not finished";
    // Under the usual umask, what the kiosk left is its user's alone.
    for (const std::filesystem::path& folder : {dir() / "data", dir() / "receipts"}) {
        EXPECT_EQ(std::filesystem::status(folder).permissions(), std::filesystem::perms::owner_all)
            << folder;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
            if (!entry.is_regular_file()) continue;
            EXPECT_EQ(entry.status().permissions(),
                      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
                << entry.path();
        }
    }
    EXPECT_TRUE(std::filesystem::exists(dir() / "data" / "seba.db-wal"));
    std::vector<std::string> tracking;
    {
        Database db = Database::open(dir() / "data" / "seba.db");
        Statement rows = db.prepare(
            "SELECT r.tracking, j.handed FROM digital_centre__requests r "
            "JOIN core__print_jobs j ON j.plugin = 'digital_centre' AND j.reference = r.tracking "
            "ORDER BY j.seq");
        std::vector<std::int64_t> handed;
        while (rows.step()) {
            tracking.push_back(rows.text(0));
            handed.push_back(rows.integer(1));
        }
        ASSERT_EQ(tracking.size(), 3u) << "every receipt queued with its request";
        EXPECT_EQ(handed, (std::vector<std::int64_t>{1, 0, 0}))
            << "only the first was at the printer";
    }

    // The kiosk starts again with a printer that works (receipts as files): every receipt
    // comes out without anyone touching the screen; the one that was at the printer when the
    // kiosk died may have printed, so it comes out again marked as a copy.
    config().plugin_settings["digital_centre"] = {{"centre_code", "PRNT"}};
    print_to(dir() / "receipts");
    config().quarantine_after_crashes = 100;
    start();
    auto pdf = [&](std::size_t i) { return dir() / "receipts" / (tracking[i] + ".pdf"); };
    auto text_of = [&](std::size_t i) {
        return seba::testing::run_process(
                   fmt::format("'{}' '{}' -", SEBA_PDFTOTEXT, pdf(i).string()))
            .output;
    };
    for (int i = 0; i < 2000; ++i) {
        if (std::filesystem::exists(pdf(2)) && text_of(0).find("কপি") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (std::size_t i = 0; i < 3; ++i) {
        ASSERT_TRUE(std::filesystem::exists(pdf(i))) << tracking[i];
        EXPECT_THAT(text_of(i), HasSubstr(tracking[i]));
    }
    EXPECT_THAT(text_of(0), HasSubstr("কপি")) << "the one at the printer: again, as a copy";
    EXPECT_THAT(text_of(1), Not(HasSubstr("কপি"))) << "never printed before: the original";
    EXPECT_THAT(text_of(2), Not(HasSubstr("কপি")));
    // Recorded as printed once the kiosk runs its screen (or stops). The last PDF can be on
    // disk while its PNG is still being written: the job ends, and is recorded, after both.
    run(R"([{"tap": "shell.home.digital_centre"}])");
    for (int i = 0; i < 1000 && scalar("SELECT count(*) FROM core__print_jobs") > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        run(R"([{"wait_s": 0.01}])");
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM core__print_jobs WHERE plugin = 'digital_centre'"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 1"), 3);
}

// Receipts an older version queued in the plugin's own table, before the kiosk printed for
// every plugin: at the next start they move to the kiosk's queue and print, in order, the one
// that had reached the printer again marked as a copy, and their requests are marked printed.
TEST_F(DigitalCentreTest, ReceiptsAnOlderVersionLeftInItsOwnTableArePrintedByTheKiosk) {
    start();
    stop();
    const std::vector<std::string> tracking = {"DHK1-261128-A7-0001", "DHK1-261128-A7-0002"};
    {
        Database db = Database::open(config().data_dir / "seba.db");
        for (std::size_t i = 0; i < tracking.size(); ++i) {
            db.prepare(
                  "INSERT INTO digital_centre__requests (tracking, day, seq, service, category, "
                  "government_fee, service_charge, currency, payment, arrived_at, started_at, "
                  "ended_at, operator) VALUES (?, '2026-11-28', ?, 'birth_registration', "
                  "'certificates', 50, 30, 'BDT', 'cash', '2026-11-28T09:00:00Z', "
                  "'2026-11-28T09:01:00Z', '2026-11-28T09:05:00Z', 'Rahima Begum')")
                .bind_all(tracking[i], static_cast<std::int64_t>(i + 1))
                .run();
            json receipt = {{"language", "bn"},
                            {"title", "জন্ম নিবন্ধন"},
                            {"centre", "ডিজিটাল সেন্টার"},
                            {"tracking", tracking[i]},
                            {"qr", tracking[i]},
                            {"footer", "রসিদটি রেখে দিন।"},
                            {"lines", json::array({json::array({"মোট", "৮০ টাকা"})})},
                            {"copy", "কপি"}};
            db.prepare(
                  "INSERT INTO digital_centre__print_jobs (tracking, receipt, queued_at, handed) "
                  "VALUES (?, ?, '2026-11-28T09:05:00Z', ?)")
                .bind_all(tracking[i], receipt.dump(), i == 0 ? 1 : 0)
                .run();
        }
    }
    start();
    auto pdf = [&](std::size_t i) { return dir() / "receipts" / (tracking[i] + ".pdf"); };
    auto text_of = [&](std::size_t i) {
        return seba::testing::run_process(
                   fmt::format("'{}' '{}' -", SEBA_PDFTOTEXT, pdf(i).string()))
            .output;
    };
    for (int i = 0; i < 1000 && !std::filesystem::exists(pdf(1)); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(std::filesystem::exists(pdf(0)));
    ASSERT_TRUE(std::filesystem::exists(pdf(1)));
    EXPECT_THAT(text_of(0), HasSubstr("কপি")) << "it was at the printer: again, as a copy";
    EXPECT_THAT(text_of(1), Not(HasSubstr("কপি")));
    EXPECT_THAT(text_of(1), HasSubstr(tracking[1]));
    EXPECT_THAT(text_of(1), HasSubstr("টাকা"));
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__print_jobs"), 0) << "moved, once";
    run(R"([{"tap": "shell.home.digital_centre"}])");
    for (int i = 0; i < 1000 && scalar("SELECT count(*) FROM core__print_jobs") > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the last PNG
        run(R"([{"wait_s": 0.01}])");
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM core__print_jobs"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests WHERE printed = 1"), 2);
}

}  // namespace
}  // namespace seba::kiosk
