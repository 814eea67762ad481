// SPDX-License-Identifier: Apache-2.0
#include "seba/storage_health.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <map>
#include <mutex>

#include "seba/error.hpp"
#include "write_failures.hpp"

namespace seba {

namespace {

bool errno_out_of_space(int e) {
    return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

std::mutex g_failures_mutex;
std::uint64_t g_failures_serial = 0;
std::map<std::string, WriteFailure> g_failures;  // by the database file, as it was opened

}  // namespace

bool StorageError::disk_trouble() const {
    switch (sqlite_code_ & 0xFF) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return true;
        default:
            break;
    }
    return errno_out_of_space(system_errno_) || system_errno_ == EIO || system_errno_ == EROFS;
}

bool StorageError::out_of_space() const {
    return (sqlite_code_ & 0xFF) == SQLITE_FULL || errno_out_of_space(system_errno_);
}

std::optional<DiskRoom> disk_room(const std::filesystem::path& dir) {
    // The data folder may not exist yet (or be what is wrong): ask its nearest parent.
    std::error_code ec;
    std::filesystem::path at = std::filesystem::absolute(dir, ec);
    if (ec) at = dir;
    while (!std::filesystem::exists(at, ec) && at.has_parent_path() && at != at.parent_path())
        at = at.parent_path();
    struct statvfs info {};
    if (::statvfs(at.c_str(), &info) != 0) return std::nullopt;
    DiskRoom room;
    room.free_bytes =
        static_cast<std::uint64_t>(info.f_bavail) * static_cast<std::uint64_t>(info.f_frsize);
    // A file may grow no further than the process's limit, whatever the disk has.
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        limit.rlim_cur < room.free_bytes) {
        room.free_bytes = limit.rlim_cur;
        room.limited_by_rlimit = true;
    }
    return room;
}

std::string human_size(std::uint64_t bytes) {
    constexpr std::uint64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;
    if (bytes >= kGiB) return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / kGiB);
    if (bytes >= kMiB) return fmt::format("{} MiB", bytes / kMiB);
    if (bytes >= kKiB) return fmt::format("{} KiB", bytes / kKiB);
    return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
}

std::string StorageTrouble::describe() const {
    // Said whole: an operator reads it in the journal, far from the config file.
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(data_dir, ec);
    const std::filesystem::path& dir = ec ? data_dir : absolute;
    switch (kind) {
        case Kind::None:
            return fmt::format("{} free in {}", human_size(free_bytes), dir.string());
        case Kind::DiskFull:
            if (limited_by_rlimit)
                return fmt::format(
                    "the kiosk may write no file past {} (its file size limit, RLIMIT_FSIZE; "
                    "LimitFSIZE= of its service) and needs at least {} in {}: the kiosk cannot "
                    "take requests until the limit is raised",
                    human_size(free_bytes), human_size(needed_bytes), dir.string());
            return fmt::format(
                "the disk holding {} is full ({} free; needs at least {}): the kiosk cannot "
                "take requests until space is freed",
                dir.string(), human_size(free_bytes), human_size(needed_bytes));
        case Kind::CannotWrite:
            return fmt::format(
                "the database in {} cannot be written, so the kiosk cannot take requests until "
                "it can: {}",
                dir.string(), reason);
        case Kind::CannotOpen:
            return fmt::format(
                "the database cannot be opened, so the kiosk cannot take requests until it can: "
                "{}",
                reason);
    }
    return reason;
}

std::optional<WriteFailure> last_write_failure(const std::filesystem::path& file) {
    std::lock_guard lock(g_failures_mutex);
    auto it = g_failures.find(file.string());
    if (it == g_failures.end()) return std::nullopt;
    return it->second;
}

namespace detail {

void note_write_failure(const std::filesystem::path& file, int sqlite_code, int system_errno,
                        const std::string& message) {
    StorageError error(message, sqlite_code, system_errno);
    if (!error.disk_trouble()) return;
    std::error_code ec;
    std::filesystem::path key = std::filesystem::weakly_canonical(file, ec);
    if (ec) key = file;
    std::lock_guard lock(g_failures_mutex);
    WriteFailure& f = g_failures[key.string()];
    f.serial = ++g_failures_serial;
    f.sqlite_code = sqlite_code;
    f.system_errno = system_errno;
    f.message = message;
    f.out_of_space = error.out_of_space();
}

}  // namespace detail

}  // namespace seba
