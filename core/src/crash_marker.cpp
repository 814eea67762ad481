// SPDX-License-Identifier: Apache-2.0
#include "crash_marker.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "seba/error.hpp"

namespace seba::detail {

namespace {
constexpr std::size_t kMarkerSize = 64;  // a plugin id is at most 32 bytes
}

CrashMarker::CrashMarker(const std::filesystem::path& file) {
    open(file);
}

CrashMarker::CrashMarker() {
    void* map =
        ::mmap(nullptr, kMarkerSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        throw Error(fmt::format("cannot map a crash marker in memory ({})", std::strerror(errno)));
    map_ = static_cast<char*>(map);
}

void CrashMarker::open(const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int error = fd < 0 ? errno : 0;
    // The blocks are taken now, while a failure is an error: a write through the mapping to
    // a block a full disk cannot give is a SIGBUS.
    if (!error && ::ftruncate(fd, kMarkerSize) != 0) error = errno;
    if (!error) error = ::posix_fallocate(fd, 0, kMarkerSize);
    void* map = MAP_FAILED;
    if (!error) {
        map = ::mmap(nullptr, kMarkerSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (map == MAP_FAILED) error = errno;
    }
    if (error) {
        if (fd >= 0) ::close(fd);
        throw Error(
            fmt::format("{}: cannot create the crash marker ({}); check that the data "
                        "folder is writable and its disk has room",
                        file.string(), std::strerror(error)));
    }
    if (map_) ::munmap(map_, kMarkerSize);
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
    map_ = static_cast<char*>(map);
}

CrashMarker::~CrashMarker() {
    if (map_) ::munmap(map_, kMarkerSize);
    if (fd_ >= 0) ::close(fd_);
}

std::string CrashMarker::current() const {
    return std::string(map_, strnlen(map_, kMarkerSize));
}

std::string CrashMarker::take_previous() {
    std::string id = current();
    leave();
    return id;
}

void CrashMarker::enter(std::string_view plugin_id) {
    std::size_t n = std::min(plugin_id.size(), kMarkerSize - 1);
    std::memcpy(map_, plugin_id.data(), n);
    map_[n] = '\0';
}

void CrashMarker::leave() {
    std::memset(map_, 0, kMarkerSize);
}

CrashMarker::Scope::Scope(CrashMarker& marker, std::string_view plugin_id)
    : marker_(marker), outer_(marker.current()) {
    marker_.enter(plugin_id);
}

CrashMarker::Scope::~Scope() {
    if (outer_.empty())
        marker_.leave();
    else
        marker_.enter(outer_);
}

}  // namespace seba::detail
