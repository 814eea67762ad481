// SPDX-License-Identifier: Apache-2.0
// Resources running out, as the real seba-kiosk meets them: its data folder on a disk that
// is full (a small tmpfs the test fills, or where the test may not mount one, a file size
// limit of 0), or a database that cannot be opened. The kiosk starts, draws, tells the
// citizen it cannot take requests and to ask the operator, tells the operator why and how
// much room it needs, says it on standard error (the journal under systemd), harms nothing
// stored, and takes requests again by itself when it can. The trees come on standard output
// (--out -): a kiosk on a full disk cannot write files, and neither can it under the limit.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stb_image.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "palette.hpp"
#include "seba/config.hpp"
#include "seba/host.hpp"
#include "seba/pin.hpp"
#include "seba/storage.hpp"
#include "small_disk.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"
#include "virtual_screen.hpp"

namespace seba::kiosk {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kCitizenText =
    "This service cannot take requests right now. Please ask the operator.";
// The same in Bangla, from kiosk/locale/bn.po.
constexpr const char* kCitizenTextBangla =
    "এই সেবাটি এখন কোনো আবেদন নিতে পারছে না। অনুগ্রহ করে অপারেটরকে জিজ্ঞেস করুন।";

// The widget tree the kiosk printed for {"dump": name} ("tree NAME: JSON"); null if none.
json tree(const std::string& output, const std::string& name) {
    const std::string mark = "tree " + name + ": ";
    std::size_t at = output.find(mark);
    if (at == std::string::npos) return nullptr;
    at += mark.size();
    return json::parse(output.substr(at, output.find('\n', at) - at), nullptr, false);
}

const json* node(const json& tree, const std::string& id) {
    if (!tree.is_array()) return nullptr;
    for (const json& n : tree)
        if (n.value("id", "") == id) return &n;
    return nullptr;
}

std::string label(const json& tree, const std::string& id) {
    const json* n = node(tree, id);
    return n ? n->value("label", "") : "(not on screen: " + id + ")";
}

std::string value(const json& tree, const std::string& id) {
    const json* n = node(tree, id);
    return n ? n->value("value", "") : "(not on screen: " + id + ")";
}

json steps(const std::string& text) {
    return json::parse(text);
}

// Five quick taps on the clock (the operator's gesture).
json gesture() {
    json out = json::array();
    for (int i = 0; i < 5; ++i) out.push_back({{"tap", "shell.clock"}});
    return out;
}

json operator_login() {
    json out = gesture();
    for (const char* s :
         {R"({"keys": "2468"})", R"({"tap": "shell.pin.ok"})", R"({"expect_screen": "operator"})"})
        out.push_back(json::parse(s));
    return out;
}

json join(std::initializer_list<json> parts) {
    json out = json::array();
    for (const json& p : parts)
        for (const json& s : p) out.push_back(s);
    return out;
}

// What the kiosk keeps, as read after its run.
struct Stored {
    std::string integrity;
    bool pin = false;
    std::int64_t events = 0;    // about.session_counted in the outbox
    std::int64_t sessions = 0;  // about's count of sessions
};

class DiskFullTest : public ::testing::Test {
  protected:
    void SetUp() override { write_config(); }

    void write_config(const std::string& enabled = R"("about", "greeter")",
                      const std::string& server_url = "") {
        std::string toml = std::string(R"(
[kiosk]
id = "full-kiosk"
centre = "test-centre"
languages = ["en", "bn"]
default_language = "en"
data_dir = ")") + data().string() +
                           R"("
min_free_mb = 1
mode = "development"

[plugins]
dirs = [")" + SEBA_PLUGIN_DIR +
                           R"(", ")" + SEBA_TEST_PLUGIN_DIR +
                           R"("]
enabled = [)" + enabled + R"(]
trusted_keys = [")" + SEBA_DEV_PUBLIC_KEY +
                           R"("]
)";
        if (!server_url.empty()) toml += "\n[server]\nurl = \"" + server_url + "\"\n";
        seba::testing::write_file(dir_ / "seba.toml", toml);
    }

    std::filesystem::path data() const { return disk_ / "data"; }

    // The kiosk before the disk filled: its database, the operator's PIN, and a citizen's
    // session counted by About (a row, and its event waiting to be sent).
    void prepare() {
        Host host(load_config(dir_ / "seba.toml"));
        host.start();
        OperatorPin(host.database(), host.audit()).set("2468", "test");
        host.end_session();
        host.stop();
    }

    Stored stored() {
        Stored s;
        Database db = Database::open(data() / "seba.db");
        Statement check = db.prepare("PRAGMA integrity_check");
        if (check.step()) s.integrity = check.text(0);
        s.pin = read_core_value(db, "operator.pin_hash").has_value();
        Statement events =
            db.prepare("SELECT count(*) FROM core__outbox WHERE type = 'about.session_counted'");
        events.step();
        s.events = events.integer(0);
        Statement sessions = db.prepare("SELECT coalesce(sum(count), 0) FROM about__sessions");
        sessions.step();
        s.sessions = sessions.integer(0);
        return s;
    }

    // seba-kiosk playing `script` headless, on this test's disk.
    std::unique_ptr<seba::testing::Program> kiosk(const json& script) {
        seba::testing::write_file(dir_ / "script.json", script.dump(1));
        return std::make_unique<seba::testing::Program>(
            std::vector<std::string>{SEBA_KIOSK_BIN, "--config", (dir_ / "seba.toml").string(),
                                     "--locale", SEBA_KIOSK_LOCALE_DIR, "--headless", "--script",
                                     (dir_ / "script.json").string(), "--out", "-"},
            std::vector<std::string>{"HOME=" + dir_.path().string()}, &disk_);
    }

    // Says which way the disk was filled, with what the kiosk printed.
    std::string context(const seba::testing::Program& kiosk) const {
        return "\n(the disk: " + disk_.how() + ")\n" + kiosk.output();
    }

    seba::testing::TempDir dir_;
    seba::testing::SmallDisk disk_{dir_ / "disk"};
};

TEST_F(DiskFullTest, StartedOnAFullDiskTheKioskSaysWhyToAllAndTakesRequestsAgainWhenSpaceReturns) {
    prepare();
    const Stored before = stored();
    disk_.fill();
    auto run = kiosk(join({steps(R"([
        {"dump": "home"},
        {"tap": "shell.home.about"}, {"expect_screen": "unavailable"}, {"dump": "about"},
        {"tap": "shell.home"},
        {"tap": "shell.home.greeter"}, {"expect": "greeter.title"}, {"tap": "shell.home"},
        {"language": "bn"}, {"dump": "home_bn"}, {"language": "en"}])"),
                           operator_login(), steps(R"([
        {"dump": "operator"}, {"tap": "shell.op.toggle.greeter"}, {"dump": "not_saved"},
        {"tap": "shell.op.exit"},
        {"pause": "full"},
        {"wait_s": 31}, {"dump": "later"},
        {"tap": "shell.home.about"}, {"expect": "about.title"}])")}));
    ASSERT_TRUE(run->paused_at("full")) << context(*run);
    const std::string full_output = run->output();
    disk_.free();
    run->resume();
    ASSERT_EQ(run->finished(), 0) << context(*run);
    const std::string out = run->output();

    // Standard error: the reason in plain words, with what is free and what is needed.
    EXPECT_THAT(full_output, AllOf(HasSubstr("seba-kiosk: the "), HasSubstr("0 bytes"),
                                   HasSubstr("needs at least 1 MiB"),
                                   HasSubstr("the kiosk cannot take requests until")))
        << context(*run);
    if (disk_.mounted()) {
        EXPECT_THAT(full_output,
                    HasSubstr("seba-kiosk: the disk holding " + data().string() +
                              " is full (0 bytes free; needs at least 1 MiB): the kiosk cannot "
                              "take requests until space is freed"));
    }
    EXPECT_THAT(full_output, Not(HasSubstr("seba-kiosk: the kiosk takes requests again")));

    // The citizen: a banner with its sign, in their language; About (which keeps data) is
    // marked and says why; Greeter (which keeps none) works.
    json home = tree(out, "home");
    ASSERT_TRUE(home.is_array()) << context(*run);
    ASSERT_NE(node(home, "shell.trouble"), nullptr) << home.dump(1);
    EXPECT_EQ(node(home, "shell.trouble")->value("role", ""), "banner");
    EXPECT_EQ(value(home, "shell.trouble"), "error");
    EXPECT_EQ(label(home, "shell.trouble"), kCitizenText);
    EXPECT_EQ(value(home, "shell.home.about"), "Not available right now");
    EXPECT_EQ(value(home, "shell.home.greeter"), "");
    json about = tree(out, "about");
    EXPECT_EQ(label(about, "shell.unavailable.title"), "Service unavailable");
    EXPECT_EQ(label(about, "shell.trouble"), kCitizenText);
    EXPECT_EQ(label(tree(out, "home_bn"), "shell.trouble"), kCitizenTextBangla);

    // The operator, behind the PIN: the disk is full, how much is needed, what to do.
    json op = tree(out, "operator");
    EXPECT_EQ(label(op, "shell.op.storage"), "The disk is full: 0 MB free, at least 1 MB needed");
    EXPECT_THAT(label(op, "shell.op.storage.todo"), HasSubstr("Free space on this disk"));
    EXPECT_THAT(label(op, "shell.op.storage.reason"), HasSubstr("needs at least 1 MiB"));
    EXPECT_NE(node(op, "shell.op.storage.retry"), nullptr);
    EXPECT_EQ(value(op, "shell.op.plugin.about"), "Waiting");
    EXPECT_EQ(value(op, "shell.op.plugin.greeter"), "Running");
    // A change the disk cannot take is said to be lost, and not shown as made.
    json not_saved = tree(out, "not_saved");
    EXPECT_EQ(label(not_saved, "shell.op.message"),
              "Not saved: the kiosk cannot write to its database now.");
    EXPECT_EQ(label(not_saved, "shell.op.toggle.greeter"), "Enabled");
    EXPECT_EQ(value(not_saved, "shell.op.plugin.greeter"), "Running");

    // Space returned: within the next check, with no restart, the kiosk takes requests.
    json later = tree(out, "later");
    EXPECT_EQ(node(later, "shell.trouble"), nullptr) << later.dump(1);
    EXPECT_EQ(value(later, "shell.home.about"), "");
    EXPECT_THAT(out, HasSubstr("seba-kiosk: the kiosk takes requests again"));

    // Nothing stored was harmed: the file is sound and everything in it still there.
    Stored after = stored();
    EXPECT_EQ(after.integrity, "ok");
    EXPECT_TRUE(after.pin);
    EXPECT_GE(after.events, before.events);
    EXPECT_GE(after.sessions, before.sessions);
    EXPECT_EQ(before.events, 1);
}

TEST_F(DiskFullTest, ADiskThatFillsWhileTheKioskRunsIsSeenAtTheNextCheckWithoutAWrite) {
    prepare();
    auto run = kiosk(steps(R"([
        {"dump": "before"}, {"pause": "running"},
        {"wait_s": 31}, {"dump": "full"}, {"pause": "full"},
        {"wait_s": 31}, {"dump": "after"}])"));
    ASSERT_TRUE(run->paused_at("running")) << context(*run);
    disk_.fill();
    run->resume();
    ASSERT_TRUE(run->paused_at("full")) << context(*run);
    disk_.free();
    run->resume();
    ASSERT_EQ(run->finished(), 0) << context(*run);
    const std::string out = run->output();

    EXPECT_EQ(node(tree(out, "before"), "shell.trouble"), nullptr) << context(*run);
    json full = tree(out, "full");
    EXPECT_EQ(label(full, "shell.trouble"), kCitizenText) << context(*run);
    EXPECT_EQ(value(full, "shell.home.about"), "Not available right now");
    EXPECT_EQ(node(tree(out, "after"), "shell.trouble"), nullptr) << context(*run);
    EXPECT_THAT(out, AllOf(HasSubstr("0 bytes"), HasSubstr("needs at least 1 MiB"),
                           HasSubstr("seba-kiosk: the kiosk takes requests again")));
    EXPECT_EQ(stored().integrity, "ok");
}

TEST_F(DiskFullTest, ADatabaseThatCannotBeOpenedIsExplainedAndTheKioskTakesRequestsOnceItCan) {
    // A folder where the database file belongs: nothing can open it.
    std::filesystem::create_directories(data() / "seba.db");
    auto run = kiosk(join({steps(R"([{"dump": "home"}])"), gesture(), steps(R"([
        {"expect_screen": "pin"}, {"dump": "pin"}, {"pause": "broken"},
        {"tap": "shell.op.storage.retry"}, {"dump": "fixed"},
        {"tap": "shell.pin.cancel"}, {"dump": "home_after"},
        {"tap": "shell.home.about"}, {"expect": "about.title"}])")}));
    ASSERT_TRUE(run->paused_at("broken")) << context(*run);
    const std::string broken_output = run->output();
    std::filesystem::remove(data() / "seba.db");  // the operator moved it aside
    run->resume();
    ASSERT_EQ(run->finished(), 0) << context(*run);
    const std::string out = run->output();

    EXPECT_THAT(broken_output,
                AllOf(HasSubstr("seba-kiosk: the database cannot be opened, so the kiosk cannot "
                                "take requests until it can: "),
                      HasSubstr((data() / "seba.db").string())))
        << context(*run);
    json home = tree(out, "home");
    EXPECT_EQ(label(home, "shell.trouble"), kCitizenText);
    EXPECT_EQ(value(home, "shell.home.about"), "Not available right now");
    // No PIN can be checked without the database: the gesture shows why at once.
    json pin = tree(out, "pin");
    EXPECT_THAT(label(pin, "shell.op.storage"), AllOf(StartsWith("The database cannot be opened: "),
                                                      HasSubstr((data() / "seba.db").string())));
    EXPECT_EQ(node(pin, "shell.pin"), nullptr);
    // Check again, once the folder is gone: a new database, and the PIN screen as ever.
    json fixed = tree(out, "fixed");
    EXPECT_EQ(node(fixed, "shell.op.storage"), nullptr) << fixed.dump(1);
    EXPECT_NE(node(fixed, "shell.pin.unset"), nullptr) << "a new database has no PIN yet";
    json home_after = tree(out, "home_after");
    EXPECT_EQ(node(home_after, "shell.trouble"), nullptr);
    EXPECT_EQ(value(home_after, "shell.home.about"), "");
    EXPECT_THAT(out, HasSubstr("seba-kiosk: the kiosk takes requests again"));
    EXPECT_EQ(stored().integrity, "ok");
}

TEST_F(DiskFullTest, ADamagedDatabaseIsExplainedAndLeftExactlyAsItWas) {
    std::filesystem::create_directories(data());
    const std::string damaged(16384, '\x7f');
    seba::testing::write_file(data() / "seba.db", damaged);
    auto run = kiosk(join({steps(R"([{"dump": "home"}])"), gesture(),
                           steps(R"([{"dump": "pin"}, {"tap": "shell.pin.cancel"},
                                     {"wait_s": 80}, {"dump": "later"}])")}));
    ASSERT_EQ(run->finished(), 0) << context(*run);
    const std::string out = run->output();

    EXPECT_THAT(out,
                AllOf(HasSubstr("seba-kiosk: the database cannot be opened"),
                      HasSubstr("not a Seba database or is damaged"), HasSubstr("Move it aside")));
    EXPECT_EQ(label(tree(out, "home"), "shell.trouble"), kCitizenText);
    EXPECT_THAT(label(tree(out, "pin"), "shell.op.storage"),
                AllOf(StartsWith("The database cannot be opened: "),
                      HasSubstr("not a Seba database or is damaged")));
    EXPECT_EQ(label(tree(out, "later"), "shell.trouble"), kCitizenText) << "still damaged";
    // Never written, never replaced: support gets the file as it was.
    EXPECT_EQ(seba::testing::read_file(data() / "seba.db"), damaged);
    EXPECT_FALSE(std::filesystem::exists(data() / "seba.db-wal"));
}

// A pull the disk refuses halfway (room for the database to open, not for the catalog):
// seba-kiosk sync --once says so and exits, and a catalog page and its cursor are kept
// together or not at all; once there is room, the same command pulls everything.
TEST_F(DiskFullTest, ASyncPullTheDiskRefusesKeepsTheCatalogAsItWasAndCompletesOnceThereIsRoom) {
    server::ServerOptions options;
    options.page_records = 500;
    TestServer server(dir_ / "server.db", options);
    server.store().create_centre("test-centre", "Test Union Digital Centre");
    std::vector<server::ChannelRecord> records;
    const std::string padding(240, 'x');  // a page is then far more than the room left
    for (int i = 0; i < 3000; ++i)
        records.push_back({"T-" + std::to_string(10000 + i),
                           json{{"status", "received"}, {"note", padding}}.dump()});
    server.store().publish("dc.status", "", records, true, false);
    write_config(R"("digital_centre")", server.url());
    const std::string code = server.store().create_enrollment_code(
        "test-centre", std::chrono::hours(1), std::chrono::system_clock::now());
    auto command = [&](const std::string& what) {
        return std::make_unique<seba::testing::Program>(
            std::vector<std::string>{SEBA_KIOSK_BIN, "--config", (dir_ / "seba.toml").string(),
                                     what, what == "sync" ? "--once" : code},
            std::vector<std::string>{"HOME=" + dir_.path().string()}, &disk_);
    };
    {
        auto enroll = command("enroll");
        ASSERT_EQ(enroll->finished(), 0) << enroll->output();
    }
    auto catalog = [&] {
        Database db = Database::open(data() / "seba.db");
        Statement rows = db.prepare(
            "SELECT (SELECT count(*) FROM core__catalog WHERE channel = 'dc.status'), (SELECT "
            "count(*) FROM core__sync_cursors WHERE channel = 'dc.status')");
        rows.step();
        Statement check = db.prepare("PRAGMA integrity_check");
        check.step();
        return std::make_tuple(rows.integer(0), rows.integer(1), check.text(0));
    };

    disk_.fill(128 << 10);
    auto refused = command("sync");
    EXPECT_EQ(refused->finished(), 2) << "an error said, not a crash" << context(*refused);
    EXPECT_THAT(refused->output(),
                AllOf(HasSubstr("seba-kiosk: "), HasSubstr((data() / "seba.db").string()),
                      HasSubstr("needs at least 1 MiB")))
        << context(*refused);
    disk_.free();
    EXPECT_EQ(catalog(), std::make_tuple(std::int64_t{0}, std::int64_t{0}, std::string("ok")))
        << "no page without its cursor, no cursor without its page" << context(*refused);

    auto pulled = command("sync");
    EXPECT_EQ(pulled->finished(), 0) << pulled->output();
    EXPECT_THAT(pulled->output(), HasSubstr("dc.status: 3000 changed"));
    EXPECT_EQ(catalog(), std::make_tuple(std::int64_t{3000}, std::int64_t{1}, std::string("ok")));
}

// Started on a full disk with a server to sync with: the background sync waits (it could
// write nothing), and once there is room it opens its database and syncs, with no restart.
TEST_F(DiskFullTest, TheBackgroundSyncWaitsWhileTheDiskIsFullAndSyncsOnceThereIsRoom) {
    TestServer server(dir_ / "server.db");
    server.store().create_centre("test-centre", "Test Union Digital Centre");
    std::vector<server::ChannelRecord> records;
    for (int i = 0; i < 10; ++i)
        records.push_back({"T-" + std::to_string(10000 + i), R"({"status": "received"})"});
    server.store().publish("dc.status", "", records, true, false);
    write_config(R"("about", "digital_centre")", server.url());
    const std::string code = server.store().create_enrollment_code(
        "test-centre", std::chrono::hours(1), std::chrono::system_clock::now());
    seba::testing::Program enroll(
        {SEBA_KIOSK_BIN, "--config", (dir_ / "seba.toml").string(), "enroll", code},
        {"HOME=" + dir_.path().string()});
    ASSERT_EQ(enroll.finished(), 0) << enroll.output();

    prepare();  // the operator's PIN, to read the sync's state behind it at the end
    disk_.fill();
    auto run = kiosk(join({steps(R"([{"dump": "full"}, {"pause": "full"}, {"wait_s": 31},
                                     {"wait_sync_s": 60}])"),
                           operator_login(), steps(R"([{"dump": "synced"}])")}));
    ASSERT_TRUE(run->paused_at("full")) << context(*run);
    disk_.free();
    run->resume();
    ASSERT_EQ(run->finished(), 0) << context(*run);
    const std::string out = run->output();
    // The sync's state is the operator's (citizens see only that requests cannot be taken).
    EXPECT_EQ(label(tree(out, "full"), "shell.trouble"), kCitizenText);
    EXPECT_EQ(label(tree(out, "full"), "shell.status.sync"), "(not on screen: shell.status.sync)");
    EXPECT_THAT(label(tree(out, "synced"), "shell.status.sync"), StartsWith("Last sync"));
    Database db = Database::open(data() / "seba.db");
    Statement pulled = db.prepare("SELECT count(*) FROM core__catalog WHERE channel = 'dc.status'");
    pulled.step();
    EXPECT_EQ(pulled.integer(0), 10);
}

// Reads what a program writes into a FIFO (a FIFO has no file size limit, so this works for
// a kiosk that may write no file at all).
class FifoReader {
  public:
    explicit FifoReader(std::filesystem::path path) : path_(std::move(path)) {
        EXPECT_EQ(::mkfifo(path_.c_str(), 0600), 0);
        thread_ = std::thread([this] {
            std::ifstream in(path_, std::ios::binary);
            bytes_.assign(std::istreambuf_iterator<char>(in), {});
            done_ = true;
        });
    }
    ~FifoReader() { bytes(); }
    /// What was written; call once the writer is gone (a reader still waiting for a writer
    /// that never came is let go with an empty result).
    const std::string& bytes() {
        while (!done_) {
            int fd = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0) ::close(fd);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (thread_.joinable()) thread_.join();
        return bytes_;
    }

  private:
    std::filesystem::path path_;
    std::string bytes_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

TEST_F(DiskFullTest, InARealWindowTheBannerIsDrawnWithItsSign) {
    prepare();
    disk_.fill();
    seba::testing::VirtualScreen screen(SEBA_XVFB, 1024, 768);
    ASSERT_FALSE(screen.display().empty()) << "Xvfb did not start";
    std::filesystem::create_directories(dir_ / "out");
    FifoReader png(dir_ / "out" / "full.png");
    FifoReader json_tree(dir_ / "out" / "full.json");
    seba::testing::write_file(dir_ / "script.json", R"([{"screenshot": "full"}])");
    seba::testing::Program run(
        {SEBA_KIOSK_BIN, "--config", (dir_ / "seba.toml").string(), "--locale",
         SEBA_KIOSK_LOCALE_DIR, "--script", (dir_ / "script.json").string(), "--out",
         (dir_ / "out").string(), "--width", "1024", "--height", "768"},
        {"DISPLAY=" + screen.display(), "HOME=" + dir_.path().string()}, &disk_);
    ASSERT_EQ(run.finished(), 0) << context(run);
    EXPECT_THAT(run.output(), HasSubstr("needs at least 1 MiB"));
    json drawn = json::parse(json_tree.bytes(), nullptr, false);
    EXPECT_EQ(label(drawn, "shell.trouble"), kCitizenText);

    int width = 0, height = 0, channels = 0;
    const std::string& bytes = png.bytes();
    unsigned char* pixels =
        stbi_load_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()),
                              static_cast<int>(bytes.size()), &width, &height, &channels, 4);
    ASSERT_NE(pixels, nullptr) << "no PNG came";
    // The sign and the banner's edge are drawn in the error colour; nothing else is.
    const Rgb error = palette(false).error;
    std::size_t red = 0;
    for (std::size_t i = 0; i + 3 < static_cast<std::size_t>(width) * height * 4; i += 4)
        red += pixels[i] == error.r && pixels[i + 1] == error.g && pixels[i + 2] == error.b;
    stbi_image_free(pixels);
    EXPECT_EQ(width, 1024);
    EXPECT_GT(red, 1000u) << "the banner's warning sign is not on screen";
}

}  // namespace
}  // namespace seba::kiosk
