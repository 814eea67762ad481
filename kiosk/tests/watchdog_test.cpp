// SPDX-License-Identifier: Apache-2.0
// The kiosk under systemd's watchdog: what it says on a real notify socket, alone and as the
// real seba-kiosk in a real window under Xvfb, whose render loop is then hung on purpose by
// a plugin that never returns from end_session(). systemd itself is not running here: the
// test listens where systemd would and checks what systemd would see.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "service_watchdog.hpp"
#include "temp_dir.hpp"
#include "virtual_screen.hpp"

extern char** environ;

namespace seba::kiosk {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// Where systemd would listen: a datagram socket named by NOTIFY_SOCKET.
class NotifySocket {
  public:
    explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0)
            << std::strerror(errno);
    }
    ~NotifySocket() { ::close(fd_); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    const std::filesystem::path& path() const { return path_; }

    /// The next message, or nothing within `wait`.
    std::optional<std::string> receive(SteadyClock::duration wait) {
        timeval tv{};
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(wait).count();
        tv.tv_sec = static_cast<time_t>(us / 1'000'000);
        tv.tv_usec = static_cast<suseconds_t>(us % 1'000'000);
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buffer[4096];
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) return std::nullopt;
        return std::string(buffer, static_cast<std::size_t>(n));
    }

    /// Every message that arrives within `window`, with when it arrived.
    std::vector<std::pair<SteadyClock::time_point, std::string>> collect(
        SteadyClock::duration window) {
        std::vector<std::pair<SteadyClock::time_point, std::string>> out;
        auto end = SteadyClock::now() + window;
        while (SteadyClock::now() < end)
            if (auto m = receive(end - SteadyClock::now()))
                out.emplace_back(SteadyClock::now(), *m);
        return out;
    }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
};

// Sets environment variables for one test and puts them back.
class ScopedEnv {
  public:
    void set(const char* name, const std::string& value) {
        const char* old = std::getenv(name);
        saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
        ::setenv(name, value.c_str(), 1);
    }
    void unset(const char* name) {
        const char* old = std::getenv(name);
        saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
        ::unsetenv(name);
    }
    ~ScopedEnv() {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->second)
                ::setenv(it->first.c_str(), it->second->c_str(), 1);
            else
                ::unsetenv(it->first.c_str());
        }
    }

  private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(ServiceWatchdog, OutsideSystemdItDoesNothing) {
    ScopedEnv env;
    env.unset("NOTIFY_SOCKET");
    env.set("WATCHDOG_USEC", "1000000");
    ServiceWatchdog watchdog;
    EXPECT_FALSE(watchdog.active());
    watchdog.ready();
    watchdog.alive(ServiceWatchdog::Clock::now());  // nowhere to send: no crash, no effect
}

TEST(ServiceWatchdog, SaysReadyOnceAndPingsAtMostEveryQuarterOfTheTimeout) {
    seba::testing::TempDir dir;
    NotifySocket systemd(dir / "notify");
    ScopedEnv env;
    env.set("NOTIFY_SOCKET", systemd.path().string());
    env.set("WATCHDOG_USEC", "400000");
    env.unset("WATCHDOG_PID");
    ServiceWatchdog watchdog;
    ASSERT_TRUE(watchdog.active());
    EXPECT_EQ(watchdog.ping_every(), 200ms) << "the loop must come round twice per timeout";

    watchdog.ready();
    watchdog.ready();
    auto t0 = ServiceWatchdog::Clock::now();
    watchdog.alive(t0);
    watchdog.alive(t0 + 50ms);   // too soon: not sent
    watchdog.alive(t0 + 100ms);  // a quarter of the timeout later: sent
    auto messages = systemd.collect(300ms);
    std::vector<std::string> texts;
    for (auto& [when, text] : messages) texts.push_back(text);
    ASSERT_EQ(texts.size(), 3u);
    EXPECT_EQ(texts[0].rfind("READY=1", 0), 0u) << texts[0];
    EXPECT_EQ(texts[1], "WATCHDOG=1");
    EXPECT_EQ(texts[2], "WATCHDOG=1");
}

TEST(ServiceWatchdog, TheCompositorsWatchdogIsOursAnotherProcesssIsNot) {
    seba::testing::TempDir dir;
    NotifySocket systemd(dir / "notify");
    ScopedEnv env;
    env.set("NOTIFY_SOCKET", systemd.path().string());
    env.set("WATCHDOG_USEC", "30000000");
    env.set("WATCHDOG_PID", std::to_string(getppid()));  // cage, our parent, is main PID
    EXPECT_EQ(ServiceWatchdog().ping_every(), 15s);
    env.set("WATCHDOG_PID", std::to_string(getpid()));
    EXPECT_EQ(ServiceWatchdog().ping_every(), 15s);
    env.set("WATCHDOG_PID", "999999999");  // some other process's watchdog
    EXPECT_EQ(ServiceWatchdog().ping_every(), SteadyClock::duration::zero());
    env.set("WATCHDOG_USEC", "soon");
    env.set("WATCHDOG_PID", std::to_string(getpid()));
    EXPECT_EQ(ServiceWatchdog().ping_every(), SteadyClock::duration::zero());
}

// A child process started with extra environment, killed at the end of the test.
class Child {
  public:
    Child(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
          const std::filesystem::path& log) {
        std::vector<char*> argv;
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        std::vector<std::string> env_strings;
        for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
        for (const std::string& e : extra_env) env_strings.push_back(e);
        std::vector<char*> envp;
        for (std::string& e : env_strings) envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0600);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()), 0)
            << args[0];
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Child() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

  private:
    pid_t pid_ = -1;
};

TEST(KioskService, TheRenderLoopPingsTheWatchdogAndStopsWhenItHangs) {
    seba::testing::TempDir dir;
    const std::filesystem::path marker = dir / "hanging";
    seba::testing::write_file(dir / "seba.toml", std::string(R"(
[kiosk]
id = "watchdog-kiosk"
centre = "test-centre"
languages = ["en"]
idle_timeout_s = 10
data_dir = "data"
mode = "development"

[plugins]
dirs = [")") + SEBA_TEST_PLUGIN_DIR + R"("]
enabled = ["hangs_at_session_end"]
trusted_keys = [")" + SEBA_DEV_PUBLIC_KEY + R"("]

[plugin.hangs_at_session_end]
marker = ")" + marker.string() + R"("
)");
    seba::testing::VirtualScreen screen(SEBA_XVFB, 1024, 768);
    const std::string display = screen.display();
    ASSERT_FALSE(display.empty()) << "Xvfb did not start";

    NotifySocket systemd(dir / "notify");
    // As seba-kiosk.service starts it: WatchdogSec=2 here, to keep the test short.
    Child kiosk(
        {SEBA_KIOSK_BIN, "--config", (dir / "seba.toml").string(), "--width", "800", "--height",
         "600"},
        {"DISPLAY=" + display, "NOTIFY_SOCKET=" + systemd.path().string(), "WATCHDOG_USEC=2000000"},
        dir / "kiosk.log");

    std::optional<std::string> ready = systemd.receive(30s);
    ASSERT_TRUE(ready) << "no READY=1 within 30 s";
    EXPECT_EQ(ready->rfind("READY=1", 0), 0u) << *ready;

    // Nothing happens on screen for 4 s, yet the loop comes round and pings: no gap longer
    // than the 2 s systemd would allow.
    auto quiet = systemd.collect(4s);
    ASSERT_GE(quiet.size(), 3u) << "the idle render loop does not ping the watchdog";
    for (std::size_t i = 1; i < quiet.size(); ++i) {
        EXPECT_EQ(quiet[i].second, "WATCHDOG=1");
        EXPECT_LT(quiet[i].first - quiet[i - 1].first, 2s) << "a gap systemd would kill for";
    }

    // A touch starts a session; 10 s untouched and the 15 s countdown end it, and the plugin
    // hangs the render loop in end_session().
    seba::testing::ProcessResult click = seba::testing::run_process(
        "DISPLAY=" + display + " " + SEBA_XDOTOOL + " mousemove 400 300 click 1");
    ASSERT_EQ(click.exit_code, 0) << click.output;
    auto deadline = SteadyClock::now() + 60s;
    while (!std::filesystem::exists(marker) && SteadyClock::now() < deadline)
        systemd.receive(200ms);
    ASSERT_TRUE(std::filesystem::exists(marker)) << "the session never ended";

    // From now on systemd hears nothing for three timeouts: it would kill and restart the
    // kiosk. The process is alive all along (only its loop is stuck).
    systemd.receive(300ms);  // a ping already on its way when the hang began
    auto hung = systemd.collect(6s);
    EXPECT_TRUE(hung.empty()) << hung.size() << " message(s) from a hung loop, e.g. "
                              << hung.front().second;
    EXPECT_TRUE(kiosk.running()) << "the kiosk exited instead of hanging";
}

}  // namespace
}  // namespace seba::kiosk
