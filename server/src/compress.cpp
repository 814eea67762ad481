// SPDX-License-Identifier: Apache-2.0
#include "compress.hpp"

#include <zlib.h>

#include <stdexcept>

namespace seba::server::detail {

std::string gzip_fast(std::string_view text) {
    z_stream stream{};
    // 15 window bits + 16: a gzip header and trailer (with its CRC-32) around the deflate.
    if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib could not start a gzip stream");
    std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream.avail_in = static_cast<uInt>(text.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) throw std::runtime_error("zlib could not finish a gzip stream");
    out.resize(stream.total_out);
    return out;
}

}  // namespace seba::server::detail
