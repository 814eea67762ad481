// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace seba::kiosk {

/// Pictures the kit's image widget draws (ui::Ui::image), read from PNG or JPEG files with
/// stb_image and kept as GL textures. A texture is made on first use and never replaced or
/// freed while a frame may draw it: only pictures not drawn in the last two frames are let
/// go, and only when more than kKeep are held. Lives with the window's GL context.
class ImageCache {
  public:
    struct Image {
        unsigned int texture = 0;  ///< GL name; 0 when the file could not be read
        int width = 0, height = 0;
        std::uint64_t used = 0;  ///< the frame it was last drawn in
    };

    static constexpr std::size_t kKeep = 24;
    static constexpr std::uintmax_t kMaxFileBytes = 16u << 20;
    static constexpr int kMaxSide = 4096;

    ImageCache() = default;
    ImageCache(const ImageCache&) = delete;
    ImageCache& operator=(const ImageCache&) = delete;
    ~ImageCache();  // call with the GL context current

    /// The picture at `path`, drawn in `frame`.
    const Image& get(const std::string& path, std::uint64_t frame);
    /// Lets go of pictures not drawn since `frame - 2`, when more than kKeep are held.
    void trim(std::uint64_t frame);

  private:
    std::map<std::string, Image> images_;
};

}  // namespace seba::kiosk
