// SPDX-License-Identifier: Apache-2.0
#include "qr_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zbar.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "seba/scan/camera.hpp"
#include "seba/utf8.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

namespace seba::scan {
namespace detail {

using namespace zbar;  // NOLINT: zbar.h puts its C API in this namespace for C++

unsigned long fourcc(const char (&name)[5]) {
    return static_cast<unsigned long>(static_cast<unsigned char>(name[0])) |
           static_cast<unsigned long>(static_cast<unsigned char>(name[1])) << 8 |
           static_cast<unsigned long>(static_cast<unsigned char>(name[2])) << 16 |
           static_cast<unsigned long>(static_cast<unsigned char>(name[3])) << 24;
}

QrReader::QrReader() : scanner_(zbar_image_scanner_create()) {
    if (!scanner_) throw ScanError("zbar could not make an image scanner (out of memory?)");
    zbar_image_scanner_set_config(scanner_, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner_, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_scanner_set_config(scanner_, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
}

QrReader::~QrReader() {
    zbar_image_scanner_destroy(scanner_);
}

std::vector<std::string> QrReader::scan(zbar_image_t* grey) {
    std::vector<std::string> codes;
    if (zbar_scan_image(scanner_, grey) <= 0) return codes;
    for (const zbar_symbol_t* symbol = zbar_image_first_symbol(grey); symbol;
         symbol = zbar_symbol_next(symbol)) {
        if (zbar_symbol_get_type(symbol) != ZBAR_QRCODE) continue;
        std::string text(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol));
        if (text.empty() || text.size() > kMaxCodeBytes || !utf8::is_valid(text)) continue;
        if (std::find(codes.begin(), codes.end(), text) == codes.end())
            codes.push_back(std::move(text));
    }
    return codes;
}

std::vector<std::string> QrReader::scan(const std::uint8_t* pixels, int width, int height) {
    std::unique_ptr<zbar_image_t, void (*)(zbar_image_t*)> image(zbar_image_create(),
                                                                 zbar_image_destroy);
    if (!image) throw ScanError("zbar could not make an image (out of memory?)");
    zbar_image_set_format(image.get(), fourcc("Y800"));
    zbar_image_set_size(image.get(), static_cast<unsigned>(width), static_cast<unsigned>(height));
    // zbar only reads the pixels; they stay the caller's (no cleanup handler).
    zbar_image_set_data(image.get(), pixels,
                        static_cast<unsigned long>(width) * static_cast<unsigned long>(height),
                        nullptr);
    return scan(image.get());
}

}  // namespace detail

namespace {

std::string read_image_file(const std::filesystem::path& file) {
    int fd;
    do fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        throw ScanError(fmt::format("cannot read the camera image {}: {}", file.string(),
                                    std::strerror(errno)));
    std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
        throw ScanError(
            fmt::format("the camera image {} is not a regular file; name a PNG", file.string()));
    if (static_cast<std::uint64_t>(info.st_size) > kMaxImageFileBytes)
        throw ScanError(fmt::format("the camera image {} is {} bytes, more than the {} read",
                                    file.string(), info.st_size, kMaxImageFileBytes));
    std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t got = 0;
    while (got < bytes.size()) {
        ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw ScanError(fmt::format("cannot read the camera image {}: {}", file.string(),
                                        std::strerror(errno)));
        if (n == 0) break;  // it shrank meanwhile: decode what is there
        got += static_cast<std::size_t>(n);
    }
    bytes.resize(got);
    return bytes;
}

}  // namespace

std::vector<std::string> read_codes(const std::filesystem::path& file) {
    const std::string bytes = read_image_file(file);
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int length = static_cast<int>(bytes.size());
    int width = 0, height = 0, channels = 0;
    // The size first, from the header: a forged one must not make stb allocate gigabytes.
    if (bytes.empty() || !stbi_info_from_memory(data, length, &width, &height, &channels))
        throw ScanError(
            fmt::format("the camera image {} is not an image that can be read ({}); "
                        "name a PNG",
                        file.string(), bytes.empty() ? "empty" : stbi_failure_reason()));
    if (width <= 0 || height <= 0 || width > kMaxImageSide || height > kMaxImageSide)
        throw ScanError(
            fmt::format("the camera image {} is {} x {} pixels; at most {} x {} are read",
                        file.string(), width, height, kMaxImageSide, kMaxImageSide));
    std::unique_ptr<stbi_uc, void (*)(void*)> grey(
        stbi_load_from_memory(data, length, &width, &height, &channels, 1), stbi_image_free);
    if (!grey)
        throw ScanError(fmt::format("the camera image {} cannot be decoded ({}); name a PNG",
                                    file.string(), stbi_failure_reason()));
    return detail::QrReader().scan(grey.get(), width, height);
}

}  // namespace seba::scan
