// SPDX-License-Identifier: Apache-2.0
// 16-bit mono PCM in a RIFF/WAVE file: the 44-byte canonical header, little-endian.
#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <system_error>

#include "seba/error.hpp"
#include "seba/speech/speech.hpp"

namespace seba::speech {
namespace {

namespace fs = std::filesystem;

constexpr std::uint16_t kPcm = 1;
constexpr std::uint16_t kBitsPerSample = 16;
constexpr std::uint16_t kBytesPerSample = kBitsPerSample / 8;

void put_u16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>(value & 0xFF));
    out.push_back(static_cast<char>(value >> 8));
}

void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

std::uint16_t get_u16(const std::string& in, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(in[at]) |
                                      static_cast<unsigned char>(in[at + 1]) << 8);
}

std::uint32_t get_u32(const std::string& in, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(in[at + i]);
    return value;
}

[[noreturn]] void not_wav(const fs::path& file, std::string_view why) {
    throw Error(fmt::format("{} is not a 16-bit mono PCM WAVE file: {}", file.string(), why));
}

}  // namespace

void write_wav(const Audio& audio, const fs::path& file) {
    if (audio.sample_rate <= 0)
        throw Error(fmt::format("cannot write {}: the audio has no sample rate", file.string()));
    const std::uint64_t data_bytes = audio.samples.size() * std::uint64_t{kBytesPerSample};
    if (data_bytes > std::numeric_limits<std::uint32_t>::max() - 36)
        throw Error(fmt::format("cannot write {}: too long for a WAVE file", file.string()));
    std::string bytes;
    bytes.reserve(44 + data_bytes);
    bytes += "RIFF";
    put_u32(bytes, static_cast<std::uint32_t>(36 + data_bytes));
    bytes += "WAVEfmt ";
    put_u32(bytes, 16);  // the fmt chunk's size
    put_u16(bytes, kPcm);
    put_u16(bytes, 1);  // mono
    put_u32(bytes, static_cast<std::uint32_t>(audio.sample_rate));
    put_u32(bytes, static_cast<std::uint32_t>(audio.sample_rate) * kBytesPerSample);  // bytes/s
    put_u16(bytes, kBytesPerSample);                                                  // one frame
    put_u16(bytes, kBitsPerSample);
    bytes += "data";
    put_u32(bytes, static_cast<std::uint32_t>(data_bytes));
    for (const std::int16_t sample : audio.samples)
        put_u16(bytes, static_cast<std::uint16_t>(sample));

    // Written beside and renamed, so that a reader (a script's check) never sees half a file.
    fs::path part = file;
    part += ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out)
            throw Error(fmt::format("cannot write {}: {}", part.string(),
                                    std::error_code(errno, std::generic_category()).message()));
    }
    std::error_code error;
    fs::rename(part, file, error);
    if (error) {
        fs::remove(part, error);
        throw Error(fmt::format("cannot write {}: {}", file.string(), error.message()));
    }
}

Audio read_wav(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(fmt::format("cannot read {}: {}", file.string(),
                                std::error_code(errno, std::generic_category()).message()));
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0)
        not_wav(file, "no RIFF/WAVE header");

    Audio audio;
    bool have_format = false;
    // Chunks follow the header: id, size, body (padded to an even size).
    for (std::size_t at = 12; at + 8 <= bytes.size();) {
        const std::string id = bytes.substr(at, 4);
        const std::uint64_t size = get_u32(bytes, at + 4);
        const std::size_t body = at + 8;
        if (body + size > bytes.size()) not_wav(file, fmt::format("the {} chunk is cut short", id));
        if (id == "fmt ") {
            if (size < 16) not_wav(file, "the fmt chunk is too short");
            if (get_u16(bytes, body) != kPcm) not_wav(file, "not PCM");
            if (get_u16(bytes, body + 2) != 1) not_wav(file, "not mono");
            if (get_u16(bytes, body + 14) != kBitsPerSample) not_wav(file, "not 16-bit");
            audio.sample_rate = static_cast<int>(get_u32(bytes, body + 4));
            if (audio.sample_rate <= 0) not_wav(file, "no sample rate");
            have_format = true;
        } else if (id == "data") {
            if (!have_format) not_wav(file, "the data chunk comes before the fmt chunk");
            audio.samples.resize(size / kBytesPerSample);
            for (std::size_t i = 0; i < audio.samples.size(); ++i)
                audio.samples[i] =
                    static_cast<std::int16_t>(get_u16(bytes, body + i * kBytesPerSample));
            return audio;
        }
        at = body + size + (size & 1);
    }
    not_wav(file, have_format ? "no data chunk" : "no fmt chunk");
}

}  // namespace seba::speech
