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
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 || ::ftruncate(fd_, kMarkerSize) != 0)
        throw Error(
            fmt::format("{}: cannot create the crash marker ({}); check that the data "
                        "folder is writable",
                        file.string(), std::strerror(errno)));
    void* map = ::mmap(nullptr, kMarkerSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (map == MAP_FAILED)
        throw Error(fmt::format("{}: cannot map the crash marker ({})", file.string(),
                                std::strerror(errno)));
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
