// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace seba::testing {

/// A folder on a disk that a test fills and frees again, without special hardware. As root
/// it is a small tmpfs the test mounts (and unmounts when this goes away), filled by a file
/// that takes every free block. Where mounting is not allowed (not root), the folder stays
/// on the disk it is on, and the programs this disk runs get a file size limit of 0 while it
/// is "full" (RLIMIT_FSIZE, with SIGXFSZ ignored, so every write to a file fails with EFBIG);
/// the kiosk counts that limit as its room, as it counts a full disk.
class SmallDisk {
  public:
    explicit SmallDisk(std::filesystem::path dir, std::uint64_t size_bytes = 16u << 20);
    ~SmallDisk();
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    const std::filesystem::path& path() const { return dir_; }
    std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }
    /// A real filesystem of its own (a tmpfs), or the file size limit in its place.
    bool mounted() const { return mounted_; }
    /// "a small tmpfs mounted by the test" or "RLIMIT_FSIZE 0 (...)": for messages.
    std::string how() const;

    /// Takes every free block but `leave_bytes` (or limits the files of every program it
    /// runs, running ones included, to that size).
    void fill(std::uint64_t leave_bytes = 0);
    /// Gives the blocks back (or lifts the limit of the programs it runs).
    void free();
    bool full() const { return full_; }
    /// The room fill() left.
    std::uint64_t left() const { return left_; }

    /// For Program: the limit a program started now gets, and the programs to limit later.
    void attach(pid_t pid);
    void detach(pid_t pid);

  private:
    void limit(pid_t pid, bool full) const;
    std::filesystem::path dir_;
    bool mounted_ = false;
    bool full_ = false;
    std::uint64_t left_ = 0;  // what fill() left
    std::set<pid_t> programs_;
};

/// A program started by a test, whose standard output and error (together) are read through
/// a pipe as it runs: a pipe has no file size limit, and a script step that pauses can be
/// waited for. With a SmallDisk, it runs under that disk's limit.
class Program {
  public:
    Program(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            SmallDisk* disk = nullptr);
    ~Program();  // kills it if it still runs
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    pid_t pid() const { return pid_; }
    /// Waits until the program stopped itself at the script step {"pause": name}; false when
    /// it exited (or timed out) instead.
    bool paused_at(const std::string& name, int timeout_s = 120);
    void resume();
    /// Waits for it to end (continuing it through any pause): its exit code, -1 if killed.
    int finished(int timeout_s = 300);
    /// Everything it printed so far.
    std::string output() const;

  private:
    bool wait_for_output(const std::string& text, int timeout_s) const;
    pid_t pid_ = -1;
    int out_ = -1;
    SmallDisk* disk_;
    std::thread reader_;
    mutable std::mutex mutex_;
    mutable std::condition_variable grew_;
    std::string output_;
    bool closed_ = false;
};

}  // namespace seba::testing
