// SPDX-License-Identifier: Apache-2.0
#include "seba/logging.hpp"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace seba::logging {

namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::sink_ptr g_file_sink;             // also in g_sinks; null when the file could not be made
std::shared_ptr<spdlog::logger> g_alert;  // the file only: alert() writes stderr itself
std::mutex g_file_mutex;  // apart from g_mutex: sink errors arrive while flush() holds that
std::filesystem::path g_file;
spdlog::level::level_enum g_level = spdlog::level::info;
std::atomic<bool> g_write_failure_said{false};

constexpr std::size_t kLogFileBytes = 5 * 1024 * 1024;
constexpr std::size_t kLogFiles = 3;

// Straight to file descriptor 2, unbuffered: nothing else may be writable.
void to_stderr(std::string_view line) {
    std::string text = fmt::format("{}: {}\n", program_invocation_short_name, line);
    for (std::size_t done = 0; done < text.size();) {
        ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
        if (n <= 0 && errno != EINTR) return;
        if (n > 0) done += static_cast<std::size_t>(n);
    }
}

// spdlog's own handler would print a line for every failed write (at most one a second);
// a full disk makes every write fail, so this says it once.
void on_sink_error(const std::string& message) {
    if (g_write_failure_said.exchange(true)) return;
    std::string file;
    {
        std::lock_guard lock(g_file_mutex);
        file = g_file.string();
    }
    to_stderr(
        fmt::format("the log file {} cannot be written ({}); until it can, only the "
                    "lines on standard error are kept",
                    file, message));
}

}  // namespace

void init(const std::filesystem::path& log_dir, std::string_view level, bool to_stderr_too) {
    std::lock_guard lock(g_mutex);
    g_sinks.clear();
    g_file_sink.reset();
    g_alert.reset();
    {
        std::lock_guard file_lock(g_file_mutex);
        g_file = log_dir / "seba.log";
    }
    g_write_failure_said = false;
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    if (!ec) {
        // Owner-only whatever the umask: the rotating sink creates seba.log with the umask's
        // mode, so it is made first (rotation renames it, keeping the mode; the mains set
        // umask 077 for the files rotation makes).
        std::error_code not_ours;  // a folder another user set up stays as it is
        std::filesystem::permissions(log_dir, std::filesystem::perms::owner_all, not_ours);
        const std::filesystem::path file = log_dir / "seba.log";
        int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0) {
            ::fchmod(fd, 0600);
            ::close(fd);
        }
        try {
            g_file_sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                file.string(), kLogFileBytes, kLogFiles);
        } catch (const spdlog::spdlog_ex& e) {
            to_stderr(
                fmt::format("the log file {} cannot be opened ({}); logging to standard "
                            "error only",
                            file.string(), e.what()));
        }
    } else {
        to_stderr(
            fmt::format("the log folder {} cannot be made ({}); logging to standard error "
                        "only",
                        log_dir.string(), ec.message()));
    }
    if (g_file_sink) g_sinks.push_back(g_file_sink);
    // Without a file, standard error is the only place left for the logs.
    if (to_stderr_too || !g_file_sink)
        g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    g_level = spdlog::level::from_str(std::string(level));
    spdlog::drop_all();
}

std::shared_ptr<spdlog::logger> get(std::string_view name) {
    std::lock_guard lock(g_mutex);
    std::string key(name);
    if (auto existing = spdlog::get(key)) return existing;
    auto logger = std::make_shared<spdlog::logger>(key, g_sinks.begin(), g_sinks.end());
    logger->set_level(g_level);
    logger->flush_on(spdlog::level::warn);
    logger->set_error_handler(on_sink_error);
    spdlog::register_logger(logger);
    return logger;
}

void alert(std::string_view line) {
    to_stderr(line);
    std::shared_ptr<spdlog::logger> file;
    {
        std::lock_guard lock(g_mutex);
        if (!g_file_sink) return;
        if (!g_alert) {
            g_alert = std::make_shared<spdlog::logger>("alert", g_file_sink);
            g_alert->set_error_handler(on_sink_error);
            g_alert->flush_on(spdlog::level::trace);
        }
        file = g_alert;
    }
    file->error("{}", line);
}

void flush() {
    std::lock_guard lock(g_mutex);
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
    if (g_alert) g_alert->flush();
}

}  // namespace seba::logging
