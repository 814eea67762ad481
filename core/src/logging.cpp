// SPDX-License-Identifier: Apache-2.0
#include "seba/logging.hpp"

#include <fcntl.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <vector>

namespace seba::logging {

namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;

constexpr std::size_t kLogFileBytes = 5 * 1024 * 1024;
constexpr std::size_t kLogFiles = 3;

}  // namespace

void init(const std::filesystem::path& log_dir, std::string_view level, bool to_stderr) {
    std::lock_guard lock(g_mutex);
    std::filesystem::create_directories(log_dir);
    // Owner-only whatever the umask: the rotating sink creates seba.log with the umask's
    // mode, so it is made first (rotation renames it, keeping the mode; the mains set
    // umask 077 for the files rotation makes).
    std::error_code not_ours;  // a folder another user set up stays as it is
    std::filesystem::permissions(log_dir, std::filesystem::perms::owner_all, not_ours);
    int fd =
        ::open((log_dir / "seba.log").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        ::fchmod(fd, 0600);
        ::close(fd);
    }
    g_sinks.clear();
    g_sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        (log_dir / "seba.log").string(), kLogFileBytes, kLogFiles));
    if (to_stderr) g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
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
    spdlog::register_logger(logger);
    return logger;
}

void flush() {
    std::lock_guard lock(g_mutex);
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
}

}  // namespace seba::logging
