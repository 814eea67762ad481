// SPDX-License-Identifier: Apache-2.0
#include "image_cache.hpp"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <stb/stb_image.h>

#include <filesystem>
#include <memory>

namespace seba::kiosk {

ImageCache::~ImageCache() {
    for (auto& [path, image] : images_)
        if (image.texture) glDeleteTextures(1, &image.texture);
}

const ImageCache::Image& ImageCache::get(const std::string& path, std::uint64_t frame) {
    auto found = images_.find(path);
    if (found != images_.end()) {
        found->second.used = frame;
        return found->second;
    }
    Image& image = images_[path];
    image.used = frame;
    std::error_code ec;
    const std::uintmax_t bytes = std::filesystem::file_size(path, ec);
    int w = 0, h = 0, channels = 0;
    // Its size before its pixels: a picture too large for the kiosk is not decoded at all.
    if (ec || bytes == 0 || bytes > kMaxFileBytes || !stbi_info(path.c_str(), &w, &h, &channels) ||
        w <= 0 || h <= 0 || w > kMaxSide || h > kMaxSide)
        return image;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load(path.c_str(), &w, &h, &channels, 4),
                                                     stbi_image_free);
    if (!pixels) return image;
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    glGenTextures(1, &image.texture);
    glBindTexture(GL_TEXTURE_2D, image.texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels.get());
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
    image.width = w;
    image.height = h;
    return image;
}

void ImageCache::trim(std::uint64_t frame) {
    if (images_.size() <= kKeep) return;
    for (auto it = images_.begin(); it != images_.end();) {
        if (it->second.used + 2 <= frame) {
            if (it->second.texture) glDeleteTextures(1, &it->second.texture);
            it = images_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace seba::kiosk
