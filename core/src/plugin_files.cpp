// SPDX-License-Identifier: Apache-2.0
#include "seba/plugin_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>

#include "seba/error.hpp"
#include "seba/utf8.hpp"

namespace seba::plugin_files {

namespace {

std::string errno_text() {
    return std::strerror(errno);
}

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

// A name the list can hold on one line and a reader can show: UTF-8 without control
// characters or backslashes (which a path on another system might read as a separator).
bool listable(std::string_view name) {
    if (name.empty() || !utf8::is_valid(name)) return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F || c == '\\';
    });
}

// Only root and the account that runs the kiosk may be able to change what was checked:
// anyone else could swap a file between the check and a later read (an asset, or the
// module that dlopen maps).
std::string writable_by_others(const struct stat& info) {
    const uid_t me = ::geteuid();
    if (info.st_uid != 0 && info.st_uid != me)
        return fmt::format("belongs to user {}, not to root or to this kiosk's user", info.st_uid);
    if (info.st_mode & S_IWOTH) return "is writable by every user";
    if ((info.st_mode & S_IWGRP) && info.st_gid != 0 && info.st_gid != ::getegid())
        return fmt::format("is writable by group {}", info.st_gid);
    return {};
}

class Walker {
  public:
    Walker(const std::filesystem::path& folder, std::span<const std::string> keep)
        : folder_(folder), keep_(keep.begin(), keep.end()) {}

    Scan run() {
        // O_NOFOLLOW: the plugin folder itself may not be a symbolic link to somewhere else.
        const int raw = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (raw < 0) {
            if (errno == ELOOP || errno == ENOTDIR) fail("", "is a symbolic link or not a folder");
            fail("", fmt::format("cannot be opened: {}", errno_text()));
        }
        Fd fd(raw);
        struct stat info {};
        if (::fstat(fd.get(), &info) != 0) fail("", errno_text());
        if (std::string why = writable_by_others(info); !why.empty()) fail("", why);
        walk(fd.get(), "", 0);
        std::sort(scan_.files.begin(), scan_.files.end(),
                  [](const File& a, const File& b) { return a.path < b.path; });
        return std::move(scan_);
    }

  private:
    [[noreturn]] void fail(const std::string& relative, std::string_view what) const {
        const std::filesystem::path where = relative.empty() ? folder_ : folder_ / relative;
        throw Error(fmt::format("{} {}", where.string(), what));
    }

    void count_entry(const std::string& relative) {
        if (++entries_ > kMaxEntries)
            fail(relative, fmt::format("is one entry too many: a plugin folder may hold at most "
                                       "{} files and folders",
                                       kMaxEntries));
    }

    void walk(int dir_fd, const std::string& prefix, std::size_t depth) {
        // fdopendir takes the descriptor over; a duplicate keeps ours for openat.
        const int listing_fd = ::dup(dir_fd);
        if (listing_fd < 0) fail(prefix, errno_text());
        std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(listing_fd), ::closedir);
        if (!dir) {
            ::close(listing_fd);
            fail(prefix, fmt::format("cannot be listed: {}", errno_text()));
        }
        std::vector<std::string> names;
        errno = 0;
        while (const dirent* entry = ::readdir(dir.get())) {
            std::string name = entry->d_name;
            if (name != "." && name != "..") names.push_back(std::move(name));
            if (names.size() > kMaxEntries) break;  // count_entry() below says so
            errno = 0;
        }
        if (errno != 0) fail(prefix, fmt::format("cannot be listed: {}", errno_text()));
        std::sort(names.begin(), names.end());

        for (const std::string& name : names) {
            const std::string relative = prefix.empty() ? name : prefix + "/" + name;
            count_entry(relative);
            if (!listable(name))
                fail(prefix.empty() ? std::string() : prefix,
                     fmt::format("holds a file whose name cannot be listed (control characters, "
                                 "a backslash or not UTF-8): \"{}\"",
                                 name));
            if (relative.size() > kMaxPathBytes)
                fail(relative, fmt::format("has a path longer than {} bytes", kMaxPathBytes));
            if (prefix.empty() && (name == kListFile || name == kSignatureFile)) continue;

            struct stat info {};
            if (::fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
                fail(relative, errno_text());
            if (S_ISLNK(info.st_mode))
                fail(relative, "is a symbolic link; a plugin folder holds only files and folders");
            if (S_ISDIR(info.st_mode)) {
                if (depth + 1 >= kMaxDepth)
                    fail(relative, fmt::format("is nested more than {} folders deep", kMaxDepth));
                const int raw =
                    ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (raw < 0) fail(relative, fmt::format("cannot be opened: {}", errno_text()));
                Fd sub(raw);
                check_opened(sub.get(), relative, info, true);
                walk(sub.get(), relative, depth + 1);
            } else if (S_ISREG(info.st_mode)) {
                read_file(dir_fd, name, relative, info);
            } else {
                fail(relative,
                     "is not a regular file or folder (a device, pipe or socket); a plugin "
                     "folder holds only files and folders");
            }
        }
    }

    // The entry opened is the entry looked at (not swapped in between), and is not writable
    // by anyone but root or this kiosk's user.
    void check_opened(int fd, const std::string& relative, const struct stat& looked,
                      bool folder) const {
        struct stat info {};
        if (::fstat(fd, &info) != 0) fail(relative, errno_text());
        if (info.st_dev != looked.st_dev || info.st_ino != looked.st_ino ||
            (folder ? !S_ISDIR(info.st_mode) : !S_ISREG(info.st_mode)))
            fail(relative, "changed while it was being checked");
        if (std::string why = writable_by_others(info); !why.empty()) fail(relative, why);
    }

    void read_file(int dir_fd, const std::string& name, const std::string& relative,
                   const struct stat& looked) {
        // O_NONBLOCK: a FIFO swapped in after fstatat must not hang the kiosk in open().
        const int raw =
            ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (raw < 0) fail(relative, fmt::format("cannot be read: {}", errno_text()));
        Fd fd(raw);
        check_opened(fd.get(), relative, looked, false);
        const auto size = static_cast<std::uint64_t>(looked.st_size);
        if (size > kMaxTotalBytes - total_bytes_)
            fail(relative, fmt::format("takes the plugin past {} MiB; a plugin folder may hold "
                                       "at most that much",
                                       kMaxTotalBytes >> 20));

        std::vector<std::uint8_t>* kept = nullptr;
        if (std::find(keep_.begin(), keep_.end(), relative) != keep_.end()) {
            kept = &scan_.kept[relative];
            kept->reserve(size);
        }
        crypto_generichash_state state;
        crypto_generichash_init(&state, nullptr, 0, sizeof(Hash));
        std::array<std::uint8_t, 64 * 1024> buffer{};
        std::uint64_t done = 0;
        for (;;) {
            const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) fail(relative, fmt::format("cannot be read: {}", errno_text()));
            if (got == 0) break;
            done += static_cast<std::uint64_t>(got);
            if (done > size) break;  // grew while read: refused below
            crypto_generichash_update(&state, buffer.data(), static_cast<std::size_t>(got));
            if (kept) kept->insert(kept->end(), buffer.data(), buffer.data() + got);
        }
        if (done != size) fail(relative, "changed size while it was being read");
        File file;
        file.path = relative;
        file.size = size;
        crypto_generichash_final(&state, file.hash.data(), file.hash.size());
        total_bytes_ += size;
        scan_.files.push_back(std::move(file));
    }

    std::filesystem::path folder_;
    std::vector<std::string> keep_;
    Scan scan_;
    std::size_t entries_ = 0;
    std::uint64_t total_bytes_ = 0;
};

// A listed path must be one the walk could have produced: relative, no "." or ".."
// components, no empty components, listable names.
bool valid_path(std::string_view path) {
    if (path.empty() || path.size() > kMaxPathBytes || path.front() == '/' || path.back() == '/')
        return false;
    for (std::size_t start = 0; start <= path.size();) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == ".." || !listable(part)) return false;
        start = end + 1;
    }
    return path != kListFile && path != kSignatureFile;
}

std::optional<Hash> parse_hash(std::string_view hex) {
    if (hex.size() != sizeof(Hash) * 2) return std::nullopt;
    Hash hash{};
    for (std::size_t i = 0; i < hex.size(); ++i) {
        const char c = hex[i];
        int value = 0;
        if (c >= '0' && c <= '9')
            value = c - '0';
        else if (c >= 'a' && c <= 'f')
            value = c - 'a' + 10;
        else
            return std::nullopt;
        hash[i / 2] = static_cast<std::uint8_t>(hash[i / 2] << 4 | value);
    }
    return hash;
}

// Decimal digits only, no sign or leading zero: one spelling per number.
std::optional<std::uint64_t> parse_size(std::string_view text) {
    if (text.empty() || text.size() > 20 || (text.size() > 1 && text.front() == '0'))
        return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

Scan scan(const std::filesystem::path& folder, std::span<const std::string> keep) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    return Walker(folder, keep).run();
}

std::string to_hex(const Hash& hash) {
    std::string text(hash.size() * 2 + 1, '\0');
    sodium_bin2hex(text.data(), text.size(), hash.data(), hash.size());
    text.pop_back();
    return text;
}

std::string format(std::span<const File> files) {
    std::string text = std::string(kHeader) + "\n";
    for (const File& f : files) text += fmt::format("{} {} {}\n", to_hex(f.hash), f.size, f.path);
    return text;
}

std::vector<File> parse(std::string_view text) {
    auto fail = [](std::size_t line, std::string_view what) -> Error {
        return Error(fmt::format("{} line {}: {}", kListFile, line, what));
    };
    if (text.size() > kMaxListBytes)
        throw Error(fmt::format("{} is larger than {} MiB", kListFile, kMaxListBytes >> 20));
    if (text.empty() || text.back() != '\n')
        throw Error(fmt::format("{} does not end with a newline (cut short?)", kListFile));
    std::vector<File> files;
    std::size_t number = 0;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = text.find('\n', start);
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++number;
        if (number == 1) {
            if (line != kHeader) throw fail(1, fmt::format("expected \"{}\"", kHeader));
            continue;
        }
        const std::size_t first = line.find(' ');
        const std::size_t second =
            first == std::string_view::npos ? first : line.find(' ', first + 1);
        if (second == std::string_view::npos)
            throw fail(number, "expected \"<BLAKE2b-256 in hex> <size> <path>\"");
        File file;
        const auto hash = parse_hash(line.substr(0, first));
        if (!hash) throw fail(number, "the hash is not 64 lower-case hex digits");
        file.hash = *hash;
        const auto size = parse_size(line.substr(first + 1, second - first - 1));
        if (!size) throw fail(number, "the size is not a plain decimal number");
        file.size = *size;
        file.path = std::string(line.substr(second + 1));
        if (!valid_path(file.path))
            throw fail(number,
                       fmt::format("\"{}\" is not a path inside the plugin folder", file.path));
        if (!files.empty() && !(files.back().path < file.path))
            throw fail(number, "the paths are not in order, or one is listed twice");
        if (files.size() >= kMaxEntries)
            throw fail(number, fmt::format("more than {} files", kMaxEntries));
        files.push_back(std::move(file));
    }
    return files;
}

std::string compare(std::span<const File> listed, std::span<const File> found) {
    auto l = listed.begin();
    auto f = found.begin();
    while (l != listed.end() || f != found.end()) {
        if (f == found.end() || (l != listed.end() && l->path < f->path))
            return fmt::format("{} is in the signed list but missing from the folder", l->path);
        if (l == listed.end() || f->path < l->path)
            return fmt::format("{} is not in the signed list (added after signing?)", f->path);
        if (l->size != f->size)
            return fmt::format(
                "{} is {} bytes, but the signed list says {} (changed after "
                "signing?)",
                f->path, f->size, l->size);
        if (l->hash != f->hash)
            return fmt::format(
                "{} does not match its hash in the signed list (changed after "
                "signing?)",
                f->path);
        ++l;
        ++f;
    }
    return {};
}

}  // namespace seba::plugin_files
