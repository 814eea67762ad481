// SPDX-License-Identifier: Apache-2.0
// The next citizen in the queue, or anyone who gets at the running kiosk, reads its memory:
// nothing the last citizen typed may be there once their session ended. Each test runs the
// real seba-kiosk in a real window (Xvfb) with the Digital Centre, fills a birth
// registration with sentinel values, and reads every readable mapping of the kiosk process
// through /proc/PID/mem (this test is its parent) while the kiosk is stopped at a script
// step: once while the form is on screen (the scan must find the sentinels: proof that it
// works), and once after the session ended (it must find none, in UTF-8, UTF-16 or UTF-32).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "publish.hpp"
#include "seba/config.hpp"
#include "seba/host.hpp"
#include "seba/sealing.hpp"
#include "seba/server/seal_keys.hpp"
#include "seba/utf8.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"
#include "virtual_screen.hpp"

extern char** environ;

namespace seba::kiosk {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// What the citizen types. Unusual enough to occur nowhere else by chance.
struct Sentinel {
    const char* field;  // the form field it is typed into
    const char* typed;
    const char* needle;  // what is searched for (the phone is normalised when checked)
};
constexpr Sentinel kSentinels[] = {
    {"child_name", "Zuvorqa Pelimbrath", "Zuvorqa Pelimbrath"},
    {"father_name", "Quendrik Olvastomay", "Quendrik Olvastomay"},
    {"mother_name", "Yselvina Throckmarr", "Yselvina Throckmarr"},
    {"applicant_nid", "7391846205", "7391846205"},
    {"phone", "01719386472", "1719386472"},
};
constexpr const char* kNid = "7391846205";
// In Bangla digits, as the Bangla form shows them while typed (the review page shows the
// phone so, and the ID number masked: "••••••৬২০৫").
constexpr const char* kNidBangla = "৭৩৯১৮৪৬২০৫";
constexpr const char* kPhoneBangla = "১৭১৯৩৮৬৪৭২";

// A sentinel in the encodings a program keeps text in: UTF-8, and code units of 16 and 32
// bits (ICU's UTF-16, HarfBuzz's and ImGui's code points), little-endian.
std::vector<std::pair<std::string, std::string>> encodings(const std::string& utf8) {
    std::string u16, u32;
    for (char32_t cp : seba::utf8::to_utf32(utf8)) {
        for (int b = 0; b < 2; ++b) u16 += static_cast<char>((cp >> (8 * b)) & 0xFF);
        for (int b = 0; b < 4; ++b) u32 += static_cast<char>((cp >> (8 * b)) & 0xFF);
    }
    return {{"UTF-8", utf8}, {"UTF-16", u16}, {"UTF-32", u32}};
}

// Every readable mapping of `pid`, searched through /proc/PID/mem for each sentinel. One
// line per copy found: "sentinel (encoding) in mapping".
std::vector<std::string> scan(pid_t pid, const std::vector<std::string>& sentinels) {
    std::vector<std::string> found;
    int mem = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY);
    if (mem < 0) return {"(cannot open /proc/PID/mem)"};
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    constexpr std::size_t kChunk = std::size_t{4} << 20, kOverlap = 256;
    std::vector<char> buffer(kChunk + kOverlap);
    std::string line;
    std::size_t mappings = 0;
    while (std::getline(maps, line)) {
        std::istringstream fields(line);
        std::string range, perms, offset, device, inode, path;
        fields >> range >> perms >> offset >> device >> inode;
        std::getline(fields >> std::ws, path);
        if (perms.empty() || perms[0] != 'r' || path == "[vvar]" || path == "[vsyscall]") continue;
        auto dash = range.find('-');
        std::uint64_t begin = std::stoull(range.substr(0, dash), nullptr, 16);
        std::uint64_t end = std::stoull(range.substr(dash + 1), nullptr, 16);
        ++mappings;
        for (std::uint64_t at = begin; at < end; at += kChunk) {
            std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(end - at, kChunk + kOverlap));
            ssize_t got = pread(mem, buffer.data(), want, static_cast<off_t>(at));
            if (got <= 0) break;
            std::string_view bytes(buffer.data(), static_cast<std::size_t>(got));
            for (const std::string& s : sentinels)
                for (const auto& [encoding, needle] : encodings(s))
                    // A copy that starts in the overlap is the next chunk's to count.
                    for (std::size_t hit = bytes.find(needle);
                         hit != std::string_view::npos && hit < kChunk;
                         hit = bytes.find(needle, hit + 1))
                        found.push_back(s + " (" + encoding + ") in " +
                                        (path.empty() ? "[anonymous]" : path));
        }
    }
    close(mem);
    if (mappings == 0) found.push_back("(no readable mapping)");
    return found;
}

std::size_t copies_of(const std::string& sentinel, const std::vector<std::string>& found) {
    return static_cast<std::size_t>(
        std::count_if(found.begin(), found.end(),
                      [&](const std::string& f) { return f.rfind(sentinel + " (", 0) == 0; }));
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += "\n  " + l;
    return out;
}

class MemoryScanTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::ifstream in(SEBA_DC_SERVICES);
        services_ = json::parse(in);
        for (const Sentinel& s : kSentinels) seba::testing::write_file(dir_ / s.field, s.typed);
    }

    void TearDown() override {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }

    // The kiosk's configuration, and its database with the Digital Centre's catalog in it.
    void configure(const std::string& server_url = {}) {
        std::string toml = R"([kiosk]
id = "scan-kiosk"
centre = "scan-centre"
languages = ["en", "bn"]
default_language = "en"
idle_timeout_s = 60
data_dir = "data"
mode = "development"

[plugins]
dirs = [")" + std::string(SEBA_PLUGIN_DIR) +
                           R"("]
enabled = ["digital_centre"]
trusted_keys = [")" + SEBA_DEV_PUBLIC_KEY +
                           R"("]
)";
        if (!server_url.empty()) toml += "\n[server]\nurl = \"" + server_url + "\"\n";
        seba::testing::write_file(dir_ / "seba.toml", toml);
        Host host(load_config(dir_ / "seba.toml"));
        host.start();
        Database& db = host.database();
        // Without a server: a kiosk enrolled before and offline now, which holds its
        // server's public sealing key (enrollment gave it).
        if (server_url.empty())
            sealing::store_server_key(db, server::SealKeys::generate().current_public());
        seba::testing::publish(db, "dc.services", services_);
        host.stop();
    }

    // Opens a birth registration, fills every field (the sentinels from files, so that the
    // script the kiosk reads holds none), and goes on to the review.
    static json fill_and_review(const std::filesystem::path& dir) {
        json steps = json::parse(R"([
            {"language": "bn"}, {"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
            {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
            {"tap": "dc.f.birth_registration.date_of_birth"}, {"type": "15-03-2018"}])");
        for (const Sentinel& s : kSentinels) {
            steps.push_back({{"tap", std::string("dc.f.birth_registration.") + s.field}});
            steps.push_back({{"type_file", (dir / s.field).string()}});
        }
        for (const char* step : {R"({"tap": "osk.enter"})", R"({"tap": "dc.review"})",
                                 R"({"expect": "dc.confirm"})", R"({"pause": "review"})"})
            steps.push_back(json::parse(step));
        return steps;
    }

    void start(const json& steps) {
        seba::testing::write_file(dir_ / "script.json", steps.dump(1));
        display_ = screen_.display();
        ASSERT_FALSE(display_.empty()) << "Xvfb did not start";
        std::vector<std::string> args = {SEBA_KIOSK_BIN,
                                         "--config",
                                         (dir_ / "seba.toml").string(),
                                         "--script",
                                         (dir_ / "script.json").string(),
                                         "--out",
                                         (dir_ / "out").string(),
                                         "--width",
                                         "1024",
                                         "--height",
                                         "768"};
        std::vector<std::string> env = {"DISPLAY=" + display_, "HOME=" + dir_.path().string()};
        std::vector<char*> argv, envp;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (std::string& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        std::string log = (dir_ / "kiosk.log").string();
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        ASSERT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()), 0);
        posix_spawn_file_actions_destroy(&actions);
    }

    std::string log() const {
        std::ifstream in(dir_ / "kiosk.log");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    // Waits until the kiosk stopped itself at {"pause": name}. False when it exited instead.
    bool paused_at(const std::string& name) {
        int status = 0;
        for (;;) {
            if (waitpid(pid_, &status, WUNTRACED) != pid_ || !WIFSTOPPED(status)) {
                pid_ = -1;
                return false;
            }
            if (WSTOPSIG(status) == SIGSTOP) break;
            kill(pid_, SIGCONT);  // stopped by something else (a terminal): not a pause
        }
        return log().find("paused: " + name) != std::string::npos;
    }

    void resume() { kill(pid_, SIGCONT); }

    // Waits for the end of the script; its exit status (3: a step failed).
    int finished() {
        int status = 0;
        while (waitpid(pid_, &status, WUNTRACED) == pid_ && WIFSTOPPED(status))
            kill(pid_, SIGCONT);  // a pause with nothing to do here
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    static std::vector<std::string> all() {
        std::vector<std::string> out;
        for (const Sentinel& s : kSentinels) out.push_back(s.needle);
        out.push_back(kNidBangla);
        out.push_back(kPhoneBangla);
        return out;
    }

    // The scans of one run: every sentinel while the review is on screen; once the session
    // ended, no copy of those in `gone`.
    void expect_forgotten(const json& after_review, const std::vector<std::string>& gone,
                          const json& then = json::array()) {
        json steps = fill_and_review(dir_.path());
        for (const json& s : after_review) steps.push_back(s);
        steps.push_back({{"pause", "ended"}});
        for (const json& s : then) steps.push_back(s);
        start(steps);
        ASSERT_TRUE(paused_at("review")) << log();
        std::vector<std::string> live = scan(pid_, all());
        for (const std::string& s : all()) {
            if (s == kNidBangla) continue;  // masked on the review: never drawn whole there
            EXPECT_GT(copies_of(s, live), 0u)
                << s << " not found while on screen: the scan is blind";
        }
        resume();
        ASSERT_TRUE(paused_at("ended")) << log();
        std::vector<std::string> left = scan(pid_, gone);
        EXPECT_TRUE(left.empty()) << "after the session ended, the kiosk's memory still holds:"
                                  << joined(left);
        resume();
        EXPECT_EQ(finished(), 0) << log();
    }

    seba::testing::TempDir dir_;
    seba::testing::VirtualScreen screen_{SEBA_XVFB, 1024, 768};
    std::string display_;
    json services_;
    pid_t pid_ = -1;
};

TEST_F(MemoryScanTest, AReviewAbandonedUntilTheIdleTimeoutLeavesNothing) {
    configure();
    expect_forgotten(json::parse(R"([{"wait_s": 80}, {"expect_screen": "home"}])"), all());
}

// Home, as the idle timeout: the next citizen who opens the same service finds an empty form,
// in the kiosk's default language (the script fails otherwise, and the kiosk exits 3).
TEST_F(MemoryScanTest, HomeEndsTheSessionAndLeavesNothing) {
    configure();
    expect_forgotten(json::parse(R"([{"tap": "shell.home"}, {"expect": "shell.finish.title"},
                                     {"tap": "shell.finish.yes"}, {"expect_screen": "home"}])"),
                     all(), json::parse(R"([
        {"expect": {"id": "shell.home.title", "label": "Choose a service"}},
        {"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
        {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
        {"expect": {"id": "dc.f.birth_registration.child_name", "value": ""}},
        {"expect": {"id": "dc.f.birth_registration.applicant_nid", "value": ""}}])"));
}

// Confirmed with no server in reach: the request waits in the outbox, with what identifies
// the citizen sealed to the server's key, so no name, phone or ID is readable in the
// kiosk's memory (nor in its files) once the session ended.
TEST_F(MemoryScanTest, ARequestConfirmedOfflineLeavesNoIdentifierBehind) {
    configure();
    expect_forgotten(json::parse(R"([{"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"},
                                     {"tap": "dc.done"}, {"tap": "shell.home"},
                                     {"expect_screen": "home"}])"),
                     all());
}

// Sent and deleted from the outbox: no copy is left of the push body, its JSON, libcurl's
// buffers or the parsed reply, and the outbox row in SQLite's page caches holds the
// citizen's fields only sealed.
TEST_F(MemoryScanTest, ARequestConfirmedAndSentOnlineLeavesNoCopyOfThePush) {
    TestServer server(dir_ / "server.db");
    server.store().create_centre("scan-centre", "Scan Union Digital Centre");
    std::vector<server::ChannelRecord> records;
    for (const json& r : services_) records.push_back({r.at("key").get<std::string>(), r.dump()});
    server.store().publish("dc.services", "", records, true, false);
    configure(server.url());
    std::string code = server.store().create_enrollment_code("scan-centre", std::chrono::hours(1),
                                                             std::chrono::system_clock::now());
    seba::testing::ProcessResult enrolled =
        seba::testing::run_process(std::string(SEBA_KIOSK_BIN) + " --config " +
                                   (dir_ / "seba.toml").string() + " enroll " + code + " 2>&1");
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.output;
    expect_forgotten(json::parse(R"([{"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"},
                                     {"tap": "dc.done"}, {"tap": "shell.home"},
                                     {"expect_screen": "home"}, {"wait_sync_s": 30}])"),
                     all());
    EXPECT_EQ(server.store().event_count(), 1) << "the request reached the server";
}

}  // namespace
}  // namespace seba::kiosk
