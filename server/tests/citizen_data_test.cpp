// SPDX-License-Identifier: Apache-2.0
// Citizen data a stolen kiosk does not give away (issue 13, Why 3): the real seba-server
// process on loopback and two real seba-kiosk processes with the Digital Centre. A citizen's
// fields are sealed on the kiosk before they are stored; the server keeps them sealed,
// computes the citizen hash from the sealed identifier with a key only it holds (the same
// NID gives the same hash from every kiosk), opens them for an administrator who asks (and
// audits it), and purges them, audited, past the retention.
#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "process.hpp"
#include "seba/server/seal_keys.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using seba::testing::ProcessResult;
using seba::testing::read_file;
using seba::testing::run_process;
using seba::testing::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kNid = "19902692613000012";

// One citizen's birth registration, as a script for seba-kiosk.
std::string request_script(const std::string& child) {
    return fmt::format(R"([
    {{"tap": "shell.home.digital_centre"}}, {{"tap": "dc.cat.certificates"}},
    {{"tap": "dc.svc.birth_registration"}}, {{"tap": "dc.apply"}},
    {{"tap": "dc.f.birth_registration.child_name"}}, {{"type": "{}"}},
    {{"tap": "dc.f.birth_registration.date_of_birth"}}, {{"type": "১৫-০৩-২০১৮"}},
    {{"tap": "dc.f.birth_registration.father_name"}}, {{"type": "মোঃ করিম উদ্দিন"}},
    {{"tap": "dc.f.birth_registration.mother_name"}}, {{"type": "রাশেদা খাতুন"}},
    {{"tap": "dc.f.birth_registration.applicant_nid"}}, {{"type": "১৯৯০২৬৯২৬১৩০০০০১২"}},
    {{"tap": "dc.f.birth_registration.phone"}}, {{"type": "০১৭১১-২২৩৩৪৪"}},
    {{"tap": "dc.review"}}, {{"tap": "dc.confirm"}}, {{"dump": "after_confirm"}}])",
                       child);
}

// What must be readable nowhere but through the server's key.
const std::vector<std::string> kSentinels = {"করিম উদ্দিন", "রাশেদা খাতুন", "8801711223344", kNid,
                                             "2018-03-15"};

// Every byte of a SQLite database and its WAL, as someone with the disk reads them.
std::string raw_files(const std::filesystem::path& db) {
    std::string all;
    for (const std::string suffix : {"", "-wal"})
        if (std::filesystem::exists(db.string() + suffix)) all += read_file(db.string() + suffix);
    return all;
}

// The real seba-server: `serve` in a process of its own, and its admin commands.
class ServerProcess {
  public:
    explicit ServerProcess(const std::filesystem::path& dir) : dir_(dir), port_(seba::testing::free_loopback_port()) {
        write_file(config(), fmt::format(R"([server]
listen = "127.0.0.1"
port = {}
admin_port = -1
threads = 4
database = "server.db"
retention_days = 30
)",
                                         port_));
    }
    ~ServerProcess() { stop(); }

    std::filesystem::path config() const { return dir_ / "seba-server.toml"; }
    std::filesystem::path database() const { return dir_ / "server.db"; }
    std::filesystem::path key_file() const { return dir_ / "seal-keys.json"; }
    std::string url() const { return fmt::format("http://127.0.0.1:{}", port_); }

    void start() {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            int log = ::open((dir_ / "serve.out").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (log < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0) std::_Exit(126);
            ::execl(SEBA_SERVER_BIN, SEBA_SERVER_BIN, "-c", config().c_str(), "serve", nullptr);
            std::_Exit(127);
        }
        httplib::Client client("127.0.0.1", port_);
        for (int i = 0; i < 500; ++i) {
            if (httplib::Result r = client.Get("/healthz"); r && r->status == 200) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL() << "seba-server did not start: " << read_file(dir_ / "serve.out");
    }

    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    ProcessResult admin(const std::string& args) const {
        return run_process(
            fmt::format("'{}' -c '{}' admin {} 2>&1", SEBA_SERVER_BIN, config().string(), args));
    }

  private:
    std::filesystem::path dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

// A kiosk of the centre, in a folder of its own, with the build's Digital Centre.
class Kiosk {
  public:
    Kiosk(const std::filesystem::path& dir, const std::string& server_url) : dir_(dir) {
        write_config(dir_ / "seba.toml", server_url);
        // Citizens are served offline, so that each request's event waits in the outbox
        // until the test's own sync.
        write_config(dir_ / "offline.toml", fmt::format("http://127.0.0.1:{}", seba::testing::free_loopback_port()));
    }

    ProcessResult run(const std::string& args, const std::string& config = "seba.toml") const {
        return run_process(fmt::format("'{}' --config '{}' {} 2>&1", SEBA_KIOSK_BIN,
                                       (dir_ / config).string(), args));
    }

    // A citizen's request through the real window-less kiosk, offline; true when it reached
    // the receipt.
    bool citizen_request(const std::string& child) const {
        write_file(dir_ / "request.json", request_script(child));
        ProcessResult r =
            run(fmt::format("--headless --script '{}' --out '{}'", (dir_ / "request.json").string(),
                            (dir_ / "out").string()),
                "offline.toml");
        EXPECT_EQ(r.exit_code, 0) << r.output;
        return read_file(dir_ / "out" / "after_confirm.json").find("dc.receipt.qr") !=
               std::string::npos;
    }

    std::filesystem::path database() const { return dir_ / "data" / "seba.db"; }

  private:
    void write_config(const std::filesystem::path& file, const std::string& server_url) const {
        write_file(file, fmt::format(R"([kiosk]
id = "{}"
centre = "test-centre"
languages = ["bn", "en"]
default_language = "bn"
data_dir = "data"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]

[plugin.digital_centre]
centre_code = "SEAL"

[server]
url = "{}"
)",
                                     dir_.filename().string(), SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY,
                                     server_url));
    }

    std::filesystem::path dir_;
};

class CitizenDataTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(server_.admin("create-centre test-centre 'Test Centre'").exit_code, 0);
        ProcessResult imported =
            server_.admin(fmt::format("import dc.services '{}' --key key", SEBA_DC_SERVICES));
        ASSERT_EQ(imported.exit_code, 0) << imported.output;
        server_.start();
    }

    std::string code() {
        ProcessResult made = server_.admin("enroll-code test-centre");
        EXPECT_EQ(made.exit_code, 0) << made.output;
        return made.output.substr(0, made.output.find('\n'));
    }

    // An enrolled kiosk with the catalog.
    std::unique_ptr<Kiosk> enrolled_kiosk(const std::string& name) {
        auto kiosk = std::make_unique<Kiosk>(dir_ / name, server_.url());
        ProcessResult enrolled = kiosk->run("enroll " + code());
        EXPECT_EQ(enrolled.exit_code, 0) << enrolled.output;
        ProcessResult synced = kiosk->run("sync --once");
        EXPECT_EQ(synced.exit_code, 0) << synced.output;
        return kiosk;
    }

    // The server's events: payload and citizen hash, as stored.
    std::vector<std::pair<json, std::string>> stored_events() {
        Database db = Database::open(server_.database());
        Statement rows = db.prepare(
            "SELECT payload, coalesce(citizen, '') FROM server__events WHERE type = "
            "'digital_centre.request_confirmed' ORDER BY received_at");
        std::vector<std::pair<json, std::string>> out;
        while (rows.step()) out.emplace_back(json::parse(rows.text(0)), rows.text(1));
        return out;
    }

    seba::testing::TempDir dir_;
    ServerProcess server_{dir_.path()};
};

// Two kiosks, one citizen (the same NID) at each: each kiosk's files hold none of what was
// typed, before and after the sync; the server stores the fields sealed, gives both the
// same citizen hash (its own keyed hash of the NID), and opens them only for an
// administrator who asks, which the audit log records.
TEST_F(CitizenDataTest, SealedOnTheKioskOpenedOnlyByTheServerOneHashForOneCitizen) {
    struct stat key_stat {};
    ASSERT_EQ(::stat(server_.key_file().c_str(), &key_stat), 0)
        << "serve makes its sealing keys at first start";
    EXPECT_EQ(key_stat.st_mode & 0777, 0600u);

    std::vector<std::unique_ptr<Kiosk>> kiosks;
    for (const std::string name : {"kiosk-a", "kiosk-b"}) {
        kiosks.push_back(enrolled_kiosk(name));
        const Kiosk& kiosk = *kiosks.back();
        ASSERT_TRUE(kiosk.citizen_request("আয়েশা সিদ্দিকা")) << name << " showed no receipt";
        // Confirmed and not yet sent: the outbox row, read raw from the file.
        {
            Database db = Database::open(kiosk.database());
            Statement row = db.prepare(
                "SELECT payload FROM core__outbox WHERE type = "
                "'digital_centre.request_confirmed'");
            ASSERT_TRUE(row.step()) << name;
            for (const std::string& s : kSentinels)
                EXPECT_THAT(row.text(0), Not(HasSubstr(s))) << name;
        }
        const std::string disk = raw_files(kiosk.database());
        for (const std::string& s : kSentinels)
            EXPECT_EQ(disk.find(s), std::string::npos) << name << "'s files hold " << s;
        ProcessResult synced = kiosk.run("sync --once");
        ASSERT_EQ(synced.exit_code, 0) << synced.output;
        EXPECT_THAT(synced.output, HasSubstr("1 accepted"));
    }

    // Stored as received: sealed. Nothing readable in the server's database files either.
    std::vector<std::pair<json, std::string>> events = stored_events();
    ASSERT_EQ(events.size(), 2u);
    const std::string server_disk = raw_files(server_.database());
    for (const std::string& s : kSentinels)
        EXPECT_EQ(server_disk.find(s), std::string::npos) << "server.db holds " << s;
    SealKeys keys = SealKeys::load(server_.key_file());
    for (const auto& [payload, citizen] : events) {
        ASSERT_TRUE(payload.contains("sealed")) << payload.dump();
        EXPECT_FALSE(payload.contains("citizen")) << "no kiosk-made hash";
        // The server's own keyed hash of the NID, the same from both kiosks.
        EXPECT_EQ(citizen, keys.citizen_hash(kNid));
        EXPECT_EQ(payload["sealed"]["key"], keys.current().id);
    }
    EXPECT_EQ(events[0].second, events[1].second);
    EXPECT_NE(events[0].second, keys.citizen_hash("19902692613000013"));

    // Listed, they stay sealed; opened with the key file, they are the citizen's values.
    ProcessResult listed = server_.admin("events test-centre");
    ASSERT_EQ(listed.exit_code, 0) << listed.output;
    for (const std::string& s : kSentinels) EXPECT_THAT(listed.output, Not(HasSubstr(s)));
    EXPECT_THAT(listed.output, HasSubstr(keys.citizen_hash(kNid)));
    EXPECT_THAT(server_.admin("audit").output, Not(HasSubstr("events.opened")));

    ProcessResult opened = server_.admin("events test-centre --open");
    ASSERT_EQ(opened.exit_code, 0) << opened.output;
    EXPECT_THAT(opened.output, HasSubstr(R"("child_name":"আয়েশা সিদ্দিকা")"));
    EXPECT_THAT(opened.output, HasSubstr(R"("phone":"+8801711223344")"));
    EXPECT_THAT(opened.output, HasSubstr(R"("date_of_birth":"2018-03-15")"));
    EXPECT_THAT(opened.output, HasSubstr(fmt::format(R"("applicant_nid":"{}")", kNid)));
    ProcessResult audit = server_.admin("audit");
    EXPECT_THAT(audit.output, HasSubstr("events.opened"));
    EXPECT_THAT(audit.output, HasSubstr("sealed fields of 2 event(s) of centre test-centre"));
}

// Past the retention, an administrator's purge deletes the citizen data (sealed fields and
// hash; the request's service, fees and times stay for the statistics), says how many, and
// the audit log records who did it and when. Newer events are left alone.
TEST_F(CitizenDataTest, APurgeDeletesOldCitizenDataAndIsAudited) {
    std::unique_ptr<Kiosk> kiosk = enrolled_kiosk("kiosk-a");
    ASSERT_TRUE(kiosk->citizen_request("আয়েশা সিদ্দিকা"));
    ASSERT_TRUE(kiosk->citizen_request("ফাতেমা আক্তার"));
    ASSERT_EQ(kiosk->run("sync --once").exit_code, 0);
    ASSERT_EQ(stored_events().size(), 2u);
    {
        // One of them arrived 40 days ago, past the 30 the configuration keeps.
        Database db = Database::open(server_.database());
        db.exec(
            "UPDATE server__events SET received_at = '2020-01-15T10:00:00.000Z' WHERE rowid = "
            "(SELECT min(rowid) FROM server__events WHERE type = "
            "'digital_centre.request_confirmed')");
    }

    ProcessResult purged = server_.admin("purge");
    ASSERT_EQ(purged.exit_code, 0) << purged.output;
    EXPECT_THAT(purged.output, HasSubstr("citizen data of 1 event(s) received before"));
    std::vector<std::pair<json, std::string>> events = stored_events();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_FALSE(events[0].first.contains("sealed")) << events[0].first.dump();
    EXPECT_EQ(events[0].second, "") << "no hash left to match the citizen by";
    EXPECT_EQ(events[0].first["fees"]["total"], 80) << "the statistics stay";
    EXPECT_TRUE(events[1].first.contains("sealed")) << "a newer event is kept";
    EXPECT_NE(events[1].second, "");
    ProcessResult opened = server_.admin("events test-centre --open");
    EXPECT_THAT(opened.output, Not(HasSubstr("আয়েশা")));
    EXPECT_THAT(opened.output, HasSubstr("ফাতেমা"));

    // By date: everything before tomorrow.
    const std::string tomorrow =
        fmt::format("{:%F}", std::chrono::floor<std::chrono::days>(
                                 std::chrono::system_clock::now() + std::chrono::days(1)));
    ProcessResult all = server_.admin("purge --before " + tomorrow);
    ASSERT_EQ(all.exit_code, 0) << all.output;
    EXPECT_THAT(all.output, HasSubstr("citizen data of 1 event(s)"));
    EXPECT_FALSE(stored_events()[1].first.contains("sealed"));
    EXPECT_NE(server_.admin("purge --before 15/01/2020").exit_code, 0) << "not a date";

    // Audited: who, when, how many; and the log itself cannot be rewritten.
    ProcessResult audit = server_.admin("audit");
    ASSERT_EQ(audit.exit_code, 0) << audit.output;
    EXPECT_TRUE(std::regex_search(
        audit.output,
        std::regex(R"(\d{4}-\d{2}-\d{2}T[0-9:.]+Z  \S.*  events\.purged  citizen data of 1 )"
                   R"(event\(s\) received before \d{4}-\d{2}-\d{2} deleted)")))
        << audit.output;
    Database db = Database::open(server_.database());
    EXPECT_THROW(db.exec("DELETE FROM server__audit"), StorageError);
}

// A kiosk enrolled before servers gave a sealing key, or whose server's key was rotated,
// learns the key at its next sync, over the channel it verifies; old events still open.
TEST_F(CitizenDataTest, AKioskLearnsItsServersKeyAtItsNextSyncAndARotationKeepsOldEventsOpen) {
    std::unique_ptr<Kiosk> kiosk = enrolled_kiosk("kiosk-a");
    ASSERT_TRUE(kiosk->citizen_request("আয়েশা সিদ্দিকা"));
    ASSERT_EQ(kiosk->run("sync --once").exit_code, 0);
    auto kiosk_key_id = [&]() -> std::string {
        Database db = Database::open(kiosk->database());
        Statement key = db.prepare("SELECT value FROM core__config WHERE key = 'sync.seal_key'");
        return key.step() ? json::parse(key.text(0)).value("id", "?") : "";
    };
    const std::string old_id = SealKeys::load(server_.key_file()).current().id;
    EXPECT_EQ(kiosk_key_id(), old_id) << "given at enrollment";
    {
        Database db = Database::open(kiosk->database());
        db.exec("DELETE FROM core__config WHERE key = 'sync.seal_key'");
    }
    ASSERT_EQ(kiosk->run("sync --once").exit_code, 0);
    EXPECT_EQ(kiosk_key_id(), old_id) << "asked for at the next sync";

    ProcessResult rotated = server_.admin("seal-key --rotate");
    ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
    const std::string new_id = json::parse(rotated.output).at("id");
    server_.stop();
    server_.start();
    ASSERT_NE(new_id, old_id);
    ASSERT_EQ(kiosk->run("sync --once").exit_code, 0);
    EXPECT_EQ(kiosk_key_id(), new_id) << "a rotated key reaches the kiosk";
    ASSERT_TRUE(kiosk->citizen_request("ফাতেমা আক্তার"));
    ASSERT_EQ(kiosk->run("sync --once").exit_code, 0);
    ProcessResult opened = server_.admin("events test-centre --open");
    EXPECT_THAT(opened.output, HasSubstr("আয়েশা")) << "sealed to the old key";
    EXPECT_THAT(opened.output, HasSubstr("ফাতেমা")) << "sealed to the new key";
    EXPECT_THAT(opened.output, Not(HasSubstr("does not open")));
    EXPECT_THAT(server_.admin("audit").output, HasSubstr("seal_key.rotated"));
}

// The key file opens every citizen's data: a copy others can read is refused, by `serve`
// and by the admin commands, with what to do.
TEST_F(CitizenDataTest, ASealingKeyFileOthersCanReadIsRefused) {
    server_.stop();
    ASSERT_EQ(::chmod(server_.key_file().c_str(), 0644), 0);
    ProcessResult shown = server_.admin("seal-key");
    EXPECT_NE(shown.exit_code, 0);
    EXPECT_THAT(shown.output, HasSubstr("readable by others"));
    EXPECT_THAT(shown.output, HasSubstr("chmod 600"));
    ProcessResult serve = run_process(fmt::format("timeout 10 '{}' -c '{}' serve 2>&1",
                                                  SEBA_SERVER_BIN, server_.config().string()));
    EXPECT_EQ(serve.exit_code, 2) << serve.output;
    EXPECT_THAT(serve.output, HasSubstr("readable by others"));
}

}  // namespace
}  // namespace seba::server
