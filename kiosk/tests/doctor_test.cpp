// SPDX-License-Identifier: Apache-2.0
// `seba-kiosk doctor` as a technician meets it: the real binary (on an Xvfb screen for the
// GL check), a real seba-server on a loopback port, the build's signed plugins. Each fault a
// kiosk really has (no font, no server, a full disk, a clock off, a damaged database) is a
// PROBLEM with its fix, in the operator's language, and the check changes nothing.
#include "doctor.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "process.hpp"
#include "seba/config.hpp"
#include "seba/host.hpp"
#include "seba/text/fonts.hpp"
#include "seba/ui/icons.hpp"
#include "temp_dir.hpp"
#include "virtual_screen.hpp"

namespace seba::kiosk {
namespace {

namespace fs = std::filesystem;
using seba::testing::ProcessResult;
using seba::testing::read_file;
using seba::testing::run_process;
using seba::testing::VirtualScreen;
using seba::testing::write_file;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

const std::vector<std::string> kTitles = {
    "Fonts",    "Screen and graphics", "On-screen keyboards",   "Receipt printer",
    "Database", "Free disk space",     "Server and enrollment", "Clock",
    "Plugins"};

// A real seba-server in a process of its own on a free loopback port, stopped by its PID.
class ServerProcess {
  public:
    explicit ServerProcess(const fs::path& dir) : config_(dir / "seba-server.toml") {
        write_file(config_,
                   "[server]\nlisten = \"127.0.0.1\"\nport = 0\nadmin_port = -1\n"
                   "database = \"server.db\"\nthreads = 4\n");
        ProcessResult centre = admin("create-centre test-centre 'Test Centre'");
        EXPECT_EQ(centre.exit_code, 0) << centre.output;
        int out[2];
        if (::pipe(out) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDERR_FILENO);  // its log, also written to its log_dir
            ::close(out[0]);
            ::close(out[1]);
            ::execl(SEBA_SERVER_BIN, SEBA_SERVER_BIN, "--config", config_.c_str(), "serve",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(out[1]);
        output_ = ::fdopen(out[0], "r");  // kept open: a closed pipe would kill it on a write
        char line[512];
        while (std::fgets(line, sizeof line, output_)) {
            int port = 0;
            if (std::sscanf(line, "seba-server listening on http://127.0.0.1:%d", &port) == 1) {
                url_ = "http://127.0.0.1:" + std::to_string(port);
                break;
            }
        }
    }
    ~ServerProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
        if (output_) std::fclose(output_);
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    const std::string& url() const { return url_; }
    ProcessResult admin(const std::string& command) const {
        return run_process(std::string(SEBA_SERVER_BIN) + " --config " + config_.string() +
                           " admin " + command);
    }
    std::string enroll_code() const {
        ProcessResult code = admin("enroll-code test-centre --valid-hours 1");
        EXPECT_EQ(code.exit_code, 0) << code.output;
        std::string text = code.output;
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        return text;
    }

  private:
    fs::path config_;
    pid_t pid_ = -1;
    FILE* output_ = nullptr;
    std::string url_;
};

// The printed block of one check: from its "[STATUS] Title" line to the blank line after it.
std::string block(const std::string& output, const std::string& title) {
    std::size_t at = output.find("] " + title + "\n");
    if (at == std::string::npos) return "(no block for " + title + ")";
    std::size_t start = output.rfind('\n', at);
    start = start == std::string::npos ? 0 : start + 1;
    std::size_t end = output.find("\n\n", at);
    return output.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The status word a block starts with, e.g. "OK".
std::string status(const std::string& output, const std::string& title) {
    std::string b = block(output, title);
    if (b.empty() || b.front() != '[') return b;
    return b.substr(1, b.find(']') - 1);
}

// Every file under `dir` with its bytes: what the doctor must leave as it found it.
std::map<std::string, std::string> contents(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        files[fs::relative(entry.path(), dir).string()] =
            entry.is_regular_file() ? read_file(entry.path()) : "(folder)";
    return files;
}

// The files added, removed or changed between two contents(): names only, for a short message.
std::vector<std::string> changed(const std::map<std::string, std::string>& before,
                                 const std::map<std::string, std::string>& after) {
    std::vector<std::string> names;
    for (const auto& [name, bytes] : before) {
        auto it = after.find(name);
        if (it == after.end())
            names.push_back(name + " (removed)");
        else if (it->second != bytes)
            names.push_back(name + " (changed)");
    }
    for (const auto& [name, bytes] : after)
        if (!before.contains(name)) names.push_back(name + " (added)");
    return names;
}

const Finding& finding(const std::vector<Finding>& findings, DoctorCheck check) {
    for (const Finding& f : findings)
        if (f.check == check) return f;
    static const Finding none{check, DoctorStatus::Ok, "(not run)", "", ""};
    return none;
}

class DoctorTest : public ::testing::Test {
  protected:
    // A kiosk with the build's plugins (signed with this build's development key), the
    // kiosk's printer `printer` (a file by default; "-": no printer set), and the server at
    // `server_url`.
    void write_config(const std::string& server_url, const std::string& default_language = "en",
                      const std::string& enabled = R"("digital_centre", "about")",
                      const std::string& printer = "") {
        std::string text =
            fmt::format(R"([kiosk]
id = "doctor-kiosk"
centre = "test-centre"
languages = ["bn", "uz-Latn", "uz-Cyrl", "ru", "en"]
default_language = "{}"
data_dir = "data"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = [{}]
trusted_keys = ["{}"]

)",
                        default_language, SEBA_PLUGIN_DIR, enabled, SEBA_DEV_PUBLIC_KEY);
        if (printer != "-")
            text += "[printer]\ndevice = \"" +
                    (printer.empty() ? (dir_ / "receipts.escpos").string() : printer) + "\"\n";
        if (!server_url.empty()) text += "\n[server]\nurl = \"" + server_url + "\"\n";
        write_file(dir_ / "seba.toml", text);
    }

    Config config() const { return load_config(dir_ / "seba.toml"); }

    DoctorOptions options(std::vector<DoctorCheck> checks) const {
        DoctorOptions o;
        o.locale_dir = SEBA_KIOSK_LOCALE_DIR;
        o.checks = std::move(checks);
        return o;
    }

    ProcessResult doctor(const std::string& arguments = "", const std::string& prefix = "") {
        return run_process(prefix + SEBA_KIOSK_BIN + " --config " + (dir_ / "seba.toml").string() +
                           " doctor " + arguments);
    }

    seba::testing::TempDir dir_;
};

TEST_F(DoctorTest, AHealthyEnrolledKioskUnderXvfbHasNoProblemAndIsLeftAsItWas) {
    ServerProcess server(dir_.path());
    ASSERT_THAT(server.url(), StartsWith("http://127.0.0.1:"));
    write_config(server.url());
    ProcessResult enrolled =
        run_process(std::string(SEBA_KIOSK_BIN) + " --config " + (dir_ / "seba.toml").string() +
                    " enroll " + server.enroll_code());
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.output;
    const std::map<std::string, std::string> before = contents(dir_ / "data");
    ASSERT_TRUE(before.contains("seba.db"));

    VirtualScreen screen(SEBA_XVFB, 1280, 720);
    ASSERT_THAT(screen.display(), StartsWith(":"));
    ProcessResult r = doctor("", "DISPLAY=" + screen.display() + " ");

    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, Not(HasSubstr("[PROBLEM]"))) << r.output;
    for (const std::string& title : kTitles)
        EXPECT_THAT(status(r.output, title), AnyOf("OK", "WARNING")) << r.output;
    EXPECT_EQ(status(r.output, "Fonts"), "OK");
    EXPECT_THAT(block(r.output, "Fonts"), HasSubstr("shows “সেবা”"));
    EXPECT_THAT(block(r.output, "Fonts"), HasSubstr("shows “O\u02BBzbekiston”"));
    EXPECT_THAT(block(r.output, "Fonts"),
                HasSubstr(fmt::format("Pictograms: the font Material Icons ({}) has all {} of "
                                      "the kiosk's pictograms",
                                      text::find_font_file("Material Icons", "-").string(),
                                      ui::icon::all.size())));
    EXPECT_THAT(block(r.output, "Screen and graphics"), HasSubstr("OpenGL"));
    EXPECT_EQ(status(r.output, "On-screen keyboards"), "OK");
    EXPECT_THAT(block(r.output, "On-screen keyboards"), HasSubstr("bd(probhat)"));
    EXPECT_EQ(status(r.output, "Receipt printer"), "OK");
    EXPECT_THAT(block(r.output, "Receipt printer"), HasSubstr("receipts.escpos is ready"));
    EXPECT_EQ(status(r.output, "Database"), "OK");
    EXPECT_THAT(block(r.output, "Database"), HasSubstr("no damage found"));
    EXPECT_EQ(status(r.output, "Server and enrollment"), "OK");
    EXPECT_THAT(block(r.output, "Server and enrollment"), HasSubstr("for centre test-centre"));
    EXPECT_THAT(block(r.output, "Server and enrollment"), HasSubstr(server.url() + " answers"));
    EXPECT_EQ(status(r.output, "Clock"), "OK");
    EXPECT_THAT(block(r.output, "Clock"), HasSubstr("agrees with the server's"));
    EXPECT_THAT(block(r.output, "Plugins"), HasSubstr("(digital_centre): running, signed"));
    EXPECT_THAT(block(r.output, "Plugins"), HasSubstr("(about): running, signed"));
    // Development mode is said: it is how this build's plugins are signed.
    EXPECT_THAT(block(r.output, "Plugins"), HasSubstr("kiosk.mode = \"production\""));
    // Never a secret: the device key's file is named at most, never its content.
    const std::string key = read_file(dir_ / "data" / "device.key");
    const std::string secret = key.substr(key.find('\n') + 1, 24);
    ASSERT_EQ(secret.size(), 24u);
    EXPECT_THAT(r.output, Not(HasSubstr(secret)));

    // The database (byte for byte), the key, the crash marker and the logs are as they were.
    EXPECT_THAT(changed(before, contents(dir_ / "data")), IsEmpty());
}

TEST_F(DoctorTest, AMissingFontIsAProblemNamingTheDebianPackage) {
    write_config("");
    // fontconfig as on a kiosk without fonts-noto-core: its only font folder is empty.
    fs::create_directories(dir_ / "no-fonts");
    write_file(dir_ / "fonts.conf", "<?xml version=\"1.0\"?>\n<fontconfig><dir>" +
                                        (dir_ / "no-fonts").string() + "</dir><cachedir>" +
                                        (dir_ / "font-cache").string() +
                                        "</cachedir></fontconfig>\n");

    ProcessResult r = doctor("", "FONTCONFIG_FILE=" + (dir_ / "fonts.conf").string() + " ");

    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(status(r.output, "Fonts"), "PROBLEM") << r.output;
    EXPECT_THAT(block(r.output, "Fonts"),
                HasSubstr("বাংলা: the font Noto Sans Bengali is not installed"));
    EXPECT_THAT(block(r.output, "Fonts"), HasSubstr("apt-get install fonts-noto-core"));
    // Without its pictograms the kiosk would not start either: named with their package.
    EXPECT_THAT(block(r.output, "Fonts"),
                HasSubstr("Pictograms: the font Material Icons is not installed"));
    EXPECT_THAT(block(r.output, "Fonts"),
                HasSubstr("apt-get install fonts-material-design-icons-iconfont"));
    // The keyboards do not depend on fonts: only the fonts are blamed.
    EXPECT_EQ(status(r.output, "On-screen keyboards"), "OK") << r.output;
}

TEST_F(DoctorTest, AnUnreachableServerIsAProblemThatSaysWhatFailedAndWhatToCheck) {
    const std::string url =
        "http://127.0.0.1:" + std::to_string(seba::testing::free_loopback_port());
    write_config(url);
    auto started = std::chrono::steady_clock::now();
    std::vector<Finding> findings =
        run_doctor(config(), options({DoctorCheck::Server, DoctorCheck::Clock}));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));

    const Finding& server = finding(findings, DoctorCheck::Server);
    EXPECT_EQ(server.status, DoctorStatus::Problem);
    EXPECT_THAT(server.found,
                HasSubstr("The server " + url + " cannot be reached: the connection was refused."));
    EXPECT_THAT(server.found, HasSubstr("not enrolled"));
    EXPECT_THAT(server.fix, HasSubstr("seba-server runs on the server machine"));
    EXPECT_THAT(server.fix, HasSubstr("enroll CODE"));
    const Finding& clock = finding(findings, DoctorCheck::Clock);
    EXPECT_EQ(clock.status, DoctorStatus::Warning);
    EXPECT_THAT(clock.found, HasSubstr("not compared"));
}

TEST_F(DoctorTest, AServerThatNeverAnswersTimesOutInTheSetTime) {
    // Connections are taken by the kernel (listen) and never answered (no accept).
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(fd, 4), 0);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    write_config("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)));
    DoctorOptions o = options({DoctorCheck::Server});
    o.server_timeout = std::chrono::seconds(1);

    auto started = std::chrono::steady_clock::now();
    std::vector<Finding> findings = run_doctor(config(), o);
    auto took = std::chrono::steady_clock::now() - started;
    ::close(fd);

    const Finding& server = finding(findings, DoctorCheck::Server);
    EXPECT_EQ(server.status, DoctorStatus::Problem);
    EXPECT_THAT(server.found, HasSubstr("did not answer within 1 seconds"));
    EXPECT_THAT(server.fix, HasSubstr("Check the network"));
    EXPECT_LT(took, std::chrono::seconds(3));
}

TEST_F(DoctorTest, AFullDiskIsAProblemWithWhatToFree) {
    // data_dir on a 1 MiB tmpfs filled to the last block. Tried in order: a mount namespace
    // of the doctor's own, unprivileged (`unshare --user --map-root-user --mount`), then as
    // root (`unshare --mount`); then, as root where no namespace can be made (in a chroot,
    // whose root is no mount point and which may not make user namespaces), a plain mount
    // that the same shell unmounts when it exits.
    write_config("");
    fs::create_directories(dir_ / "data");
    const std::string data = (dir_ / "data").string();
    const std::string script = "mount -t tmpfs -o size=1m tmpfs " + data + " && echo MOUNTED && " +
                               "(dd if=/dev/zero of=" + data +
                               "/fill bs=4k 2>/dev/null; true) && " + SEBA_KIOSK_BIN +
                               " --config " + (dir_ / "seba.toml").string() + " doctor";
    std::vector<std::string> attempts = {
        "unshare --user --map-root-user --mount sh -c '" + script + "'",
        "unshare --mount sh -c '" + script + "'"};
    if (::geteuid() == 0)
        attempts.push_back("sh -c 'trap \"umount " + data + "\" EXIT; " + script + "'");
    std::string tried;
    ProcessResult r;
    for (const std::string& attempt : attempts) {
        r = run_process(attempt);
        if (r.output.find("MOUNTED") != std::string::npos) break;
        tried += "\n`" + attempt.substr(0, attempt.find(" sh -c")) + "`: " + r.output;
    }
    ASSERT_THAT(r.output, HasSubstr("MOUNTED"))
        << "could not mount a small filesystem in a namespace of its own:" << tried;

    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(status(r.output, "Free disk space"), "PROBLEM") << r.output;
    EXPECT_THAT(block(r.output, "Free disk space"), HasSubstr("KiB free on the disk that holds"));
    EXPECT_THAT(block(r.output, "Free disk space"), HasSubstr("the kiosk needs at least 100 MiB"));
    EXPECT_THAT(block(r.output, "Free disk space"), HasSubstr("apt-get clean"));
    EXPECT_THAT(block(r.output, "Free disk space"), HasSubstr("Never delete"));
    // Outside the namespace the folder is as empty as before: the tmpfs was the doctor's.
    EXPECT_TRUE(fs::is_empty(dir_ / "data"));
}

TEST_F(DoctorTest, AClockFarFromTheServersIsAProblemWithTheTimeSyncFix) {
    ServerProcess server(dir_.path());
    ASSERT_THAT(server.url(), StartsWith("http://127.0.0.1:"));
    write_config(server.url(), "en", "");
    auto clock_at = [&](std::chrono::seconds shift) {
        DoctorOptions o = options({DoctorCheck::Clock});
        o.now = [shift] { return std::chrono::system_clock::now() + shift; };
        return finding(run_doctor(config(), o), DoctorCheck::Clock);
    };

    Finding ahead = clock_at(std::chrono::hours(1));
    EXPECT_EQ(ahead.status, DoctorStatus::Problem);
    EXPECT_THAT(ahead.found, HasSubstr("seconds ahead of the server's"));
    EXPECT_THAT(ahead.found,
                AnyOf(HasSubstr("is 3599 "), HasSubstr("is 3600 "), HasSubstr("is 3601 ")));
    EXPECT_THAT(ahead.fix, HasSubstr("timedatectl set-ntp true"));

    Finding behind = clock_at(-std::chrono::minutes(10));
    EXPECT_EQ(behind.status, DoctorStatus::Problem);
    EXPECT_THAT(behind.found, HasSubstr("seconds behind the server's"));

    // Inside the server's window, but not kept in time: a warning.
    Finding drifting = clock_at(std::chrono::seconds(90));
    EXPECT_EQ(drifting.status, DoctorStatus::Warning);
    EXPECT_THAT(drifting.fix, HasSubstr("timedatectl set-ntp true"));

    Finding right = clock_at(std::chrono::seconds(0));
    EXPECT_EQ(right.status, DoctorStatus::Ok) << right.found;
    EXPECT_THAT(right.found, HasSubstr("agrees with the server's"));
}

TEST_F(DoctorTest, ADamagedDatabaseIsAProblemAndStaysUntouched) {
    write_config("", "en", R"("about")");
    {
        Host host(config());  // a real kiosk database: core's tables and an audit entry
        host.start();
    }
    const fs::path db = dir_ / "data" / "seba.db";
    std::string bytes = read_file(db);
    ASSERT_GT(bytes.size(), 4u * 4096u);
    // A page in the middle overwritten, as a failing SD card leaves it.
    std::fill(bytes.begin() + 2 * 4096, bytes.begin() + 3 * 4096, '\xA5');
    {
        std::ofstream out(db, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    const std::map<std::string, std::string> before = contents(dir_ / "data");

    const Finding damaged =
        finding(run_doctor(config(), options({DoctorCheck::Database})), DoctorCheck::Database);
    EXPECT_EQ(damaged.status, DoctorStatus::Problem);
    EXPECT_THAT(damaged.found, HasSubstr(db.string() + " is damaged"));
    EXPECT_THAT(damaged.fix, HasSubstr("Do not delete it"));
    EXPECT_THAT(changed(before, contents(dir_ / "data")), IsEmpty())
        << "the doctor repaired or touched the kiosk's files";

    write_file(db, "not a database, but a file with the database's name\n");
    const Finding garbage =
        finding(run_doctor(config(), options({DoctorCheck::Database})), DoctorCheck::Database);
    EXPECT_EQ(garbage.status, DoctorStatus::Problem);
    EXPECT_THAT(garbage.found, HasSubstr("is damaged"));
}

TEST_F(DoctorTest, PrinterAndPluginProblemsSayTheirFix) {
    write_config("", "en", R"("digital_centre", "about", "no_such_plugin")", "/dev/usb/lp9");
    std::vector<Finding> findings =
        run_doctor(config(), options({DoctorCheck::Printer, DoctorCheck::Plugins}));

    const Finding& printer = finding(findings, DoctorCheck::Printer);
    EXPECT_EQ(printer.status, DoctorStatus::Problem);
    EXPECT_THAT(printer.found, HasSubstr("The printer /dev/usb/lp9 is not there."));
    EXPECT_THAT(printer.fix, HasSubstr("Plug the printer in"));

    const Finding& plugins = finding(findings, DoctorCheck::Plugins);
    EXPECT_EQ(plugins.status, DoctorStatus::Problem);
    EXPECT_THAT(plugins.found, HasSubstr("no_such_plugin was refused. Reason:"));
    EXPECT_THAT(plugins.fix, HasSubstr("Reinstall no_such_plugin"));
    EXPECT_THAT(plugins.found, HasSubstr("(about): running, signed by trusted key"));
    // The checks ran on a copy: the kiosk's data folder was never made.
    EXPECT_FALSE(fs::exists(dir_ / "data"));

    write_config("", "en", R"("digital_centre")", "-");
    const Finding unset =
        finding(run_doctor(config(), options({DoctorCheck::Printer})), DoctorCheck::Printer);
    EXPECT_EQ(unset.status, DoctorStatus::Ok);
    EXPECT_THAT(unset.found, HasSubstr("receipts are only shown on screen"));

    write_config("", "en", R"("about")");
    const Finding none =
        finding(run_doctor(config(), options({DoctorCheck::Printer})), DoctorCheck::Printer);
    EXPECT_EQ(none.status, DoctorStatus::Ok);
    EXPECT_THAT(none.found, HasSubstr("No plugin that prints is enabled"));
}

TEST_F(DoctorTest, APluginChangedAfterSigningIsReportedNamingTheFile) {
    // The about plugin as installed, with one of its translations edited afterwards.
    fs::create_directories(dir_ / "plugins");
    fs::copy(fs::path(SEBA_PLUGIN_DIR) / "about", dir_ / "plugins" / "about",
             fs::copy_options::recursive);
    fs::create_directory_symlink(fs::path(SEBA_PLUGIN_DIR).parent_path() / "lib", dir_ / "lib");
    fs::path po = dir_ / "plugins" / "about" / "assets" / "locale" / "bn.po";
    write_file(po, read_file(po) + "msgid \"Helpline\"\nmsgstr \"Call +000\"\n");
    write_file(dir_ / "seba.toml",
               fmt::format("[kiosk]\nid = \"k\"\ncentre = \"c\"\nlanguages = [\"en\"]\n"
                           "data_dir = \"data\"\nmode = \"development\"\n[plugins]\ndirs = "
                           "[\"{}\"]\nenabled = [\"about\"]\ntrusted_keys = [\"{}\"]\n",
                           (dir_ / "plugins").string(), SEBA_DEV_PUBLIC_KEY));
    const Finding plugins =
        finding(run_doctor(config(), options({DoctorCheck::Plugins})), DoctorCheck::Plugins);
    EXPECT_EQ(plugins.status, DoctorStatus::Problem);
    EXPECT_THAT(plugins.found,
                AllOf(HasSubstr("about was refused. Reason:"), HasSubstr("signature check failed"),
                      HasSubstr("assets/locale/bn.po is")));
}

// The test plugin greeter has a secret setting (api_token); the build's plugins have none
// since the Digital Centre's citizen key left the kiosk.
TEST_F(DoctorTest, ASecretSettingIsNeverShownEvenWhenItIsWhyAPluginWasRefused) {
    write_config("", "en", R"("greeter")", "-");
    std::string text = read_file(dir_ / "seba.toml");
    const std::string dirs = fmt::format(R"(dirs = ["{}"])", SEBA_PLUGIN_DIR);
    ASSERT_NE(text.find(dirs), std::string::npos);
    text.replace(text.find(dirs), dirs.size(),
                 fmt::format(R"(dirs = ["{}", "{}"])", SEBA_PLUGIN_DIR, SEBA_TEST_PLUGIN_DIR));
    write_file(dir_ / "seba.toml", text + "[plugin.greeter]\napi_token = 987654321987\n");
    const Finding plugins =
        finding(run_doctor(config(), options({DoctorCheck::Plugins})), DoctorCheck::Plugins);
    EXPECT_EQ(plugins.status, DoctorStatus::Problem);
    EXPECT_THAT(plugins.found, HasSubstr("api_token must be text (found ***)"));
    EXPECT_THAT(plugins.found, Not(HasSubstr("987654321987")));
}

TEST_F(DoctorTest, TheReportSpeaksTheOperatorsLanguage) {
    write_config("http://127.0.0.1:" + std::to_string(seba::testing::free_loopback_port()), "ru");

    ProcessResult bangla = doctor("--lang bn");
    EXPECT_EQ(bangla.exit_code, 1) << bangla.output;
    EXPECT_THAT(bangla.output, HasSubstr("[সমস্যা] সার্ভার ও নিবন্ধন"));
    EXPECT_THAT(bangla.output, HasSubstr("[ঠিক আছে] ফন্ট"));
    EXPECT_THAT(bangla.output, HasSubstr("যা করতে হবে:"));
    EXPECT_THAT(bangla.output, Not(HasSubstr("[PROBLEM]")));
    EXPECT_THAT(bangla.output, Not(HasSubstr("What to do")));

    // Without --lang: the kiosk's default language (ru here).
    ProcessResult russian = doctor();
    EXPECT_EQ(russian.exit_code, 1) << russian.output;
    EXPECT_THAT(russian.output, HasSubstr("[ПРОБЛЕМА] Сервер и регистрация"));
    EXPECT_THAT(russian.output, HasSubstr("в соединении отказано"));

    ProcessResult uzbek = doctor("--lang uz-Latn");
    EXPECT_THAT(uzbek.output, HasSubstr("[MUAMMO] Server va ro\u02BByxatdan o\u02BBtish"));
    EXPECT_FALSE(fs::exists(dir_ / "data")) << "the doctor made the kiosk's data folder";
}

TEST_F(DoctorTest, BadUsageAndAnUnreadableConfigExitWithTwo) {
    write_config("");
    ProcessResult french = doctor("--lang fr");
    EXPECT_EQ(french.exit_code, 2) << french.output;
    EXPECT_THAT(french.output, HasSubstr("--lang fr is not a language of the kiosk"));
    EXPECT_EQ(doctor("--no-such-option").exit_code, 2);

    ProcessResult missing = run_process(std::string(SEBA_KIOSK_BIN) + " --config " +
                                        (dir_ / "nowhere.toml").string() + " doctor");
    EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

}  // namespace
}  // namespace seba::kiosk
