// SPDX-License-Identifier: Apache-2.0
#include "small_disk.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <vector>

namespace seba::testing {

namespace {

constexpr const char* kFiller = ".filler";

rlim_t hard_file_size_limit() {
    struct rlimit limit {};
    ::getrlimit(RLIMIT_FSIZE, &limit);
    return limit.rlim_max;
}

// Writes until the disk says no more: big pieces first, then blocks, then bytes.
void fill_file(const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return;
    std::vector<char> zeros(1 << 20, '\1');  // not zeros: nothing may keep it sparse
    for (std::size_t piece : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{1}})
        while (::write(fd, zeros.data(), piece) == static_cast<ssize_t>(piece)) {
        }
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

SmallDisk::SmallDisk(std::filesystem::path dir, std::uint64_t size_bytes) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    const std::string options = "size=" + std::to_string(size_bytes) + ",mode=0700";
    mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0;
}

SmallDisk::~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
}

std::string SmallDisk::how() const {
    return mounted_ ? "a small tmpfs mounted by the test"
                    : "RLIMIT_FSIZE " + std::to_string(left_) + " (mounting is not allowed)";
}

void SmallDisk::fill(std::uint64_t leave_bytes) {
    full_ = true;
    left_ = leave_bytes;
    if (mounted_) {
        const std::filesystem::path filler = dir_ / kFiller;
        fill_file(filler);
        std::error_code ec;
        std::uintmax_t size = std::filesystem::file_size(filler, ec);
        if (!ec && leave_bytes > 0)
            std::filesystem::resize_file(filler, size > leave_bytes ? size - leave_bytes : 0, ec);
        return;
    }
    for (pid_t pid : programs_) limit(pid, true);
}

void SmallDisk::free() {
    full_ = false;
    if (mounted_) {
        std::error_code ec;
        std::filesystem::remove(dir_ / kFiller, ec);
        return;
    }
    for (pid_t pid : programs_) limit(pid, false);
}

void SmallDisk::limit(pid_t pid, bool full) const {
    struct rlimit limit {};
    limit.rlim_max = hard_file_size_limit();
    limit.rlim_cur = full ? left_ : limit.rlim_max;
    ::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr);
}

void SmallDisk::attach(pid_t pid) {
    programs_.insert(pid);
}

void SmallDisk::detach(pid_t pid) {
    programs_.erase(pid);
}

Program::Program(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 SmallDisk* disk)
    : disk_(disk) {
    // Everything the child needs is made before fork: after it, only async-signal-safe calls.
    std::vector<std::string> args = argv, vars = env;
    std::vector<char*> arg_ptrs, env_ptrs;
    for (std::string& a : args) arg_ptrs.push_back(a.data());
    arg_ptrs.push_back(nullptr);
    for (std::string& e : vars) env_ptrs.push_back(e.data());
    env_ptrs.push_back(nullptr);
    const bool limited = disk && disk->full() && !disk->mounted();
    struct rlimit limit {};
    limit.rlim_max = hard_file_size_limit();
    limit.rlim_cur = disk ? disk->left() : 0;
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, STDIN_FILENO);
        // Past the limit a write fails with EFBIG instead of killing the program (and the
        // setting outlives exec, so it holds for a limit set later too).
        ::sigaction(SIGXFSZ, &ignore, nullptr);
        if (limited) ::setrlimit(RLIMIT_FSIZE, &limit);
        ::execve(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
    if (pid_ < 0) return;
    if (disk_) disk_->attach(pid_);
    reader_ = std::thread([this] {
        char buffer[4096];
        for (;;) {
            ssize_t n = ::read(out_, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            std::lock_guard lock(mutex_);
            output_.append(buffer, static_cast<std::size_t>(n));
            grew_.notify_all();
        }
        std::lock_guard lock(mutex_);
        closed_ = true;
        grew_.notify_all();
    });
}

Program::~Program() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        if (disk_) disk_->detach(pid_);
    }
    if (reader_.joinable()) reader_.join();
    if (out_ >= 0) ::close(out_);
}

bool Program::wait_for_output(const std::string& text, int timeout_s) const {
    std::unique_lock lock(mutex_);
    return grew_.wait_for(lock, std::chrono::seconds(timeout_s), [&] {
        return output_.find(text) != std::string::npos || closed_;
    }) && output_.find(text) != std::string::npos;
}

bool Program::paused_at(const std::string& name, int timeout_s) {
    if (pid_ <= 0) return false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    for (;;) {
        int status = 0;
        pid_t got = ::waitpid(pid_, &status, WUNTRACED | WNOHANG);
        if (got == pid_ && WIFSTOPPED(status)) {
            if (WSTOPSIG(status) == SIGSTOP) break;
            ::kill(pid_, SIGCONT);  // stopped by something else (a terminal): not a pause
            continue;
        }
        if (got == pid_) {  // it ended
            if (disk_) disk_->detach(pid_);
            pid_ = -1;
            return false;
        }
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return wait_for_output("paused: " + name, 10);
}

void Program::resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
}

int Program::finished(int timeout_s) {
    if (pid_ <= 0) return -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    int status = 0;
    for (;;) {
        pid_t got = ::waitpid(pid_, &status, WUNTRACED | WNOHANG);
        if (got == pid_ && WIFSTOPPED(status)) {
            ::kill(pid_, SIGCONT);  // a pause with nothing to do here
            continue;
        }
        if (got == pid_) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (disk_) disk_->detach(pid_);
    pid_ = -1;
    if (reader_.joinable()) reader_.join();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Program::output() const {
    std::lock_guard lock(mutex_);
    return output_;
}

}  // namespace seba::testing
