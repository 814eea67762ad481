// SPDX-License-Identifier: Apache-2.0
#include "seba/server/file_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "seba/content_files.hpp"
#include "seba/error.hpp"
#include "seba/storage_health.hpp"

namespace seba::server {

namespace {

using nlohmann::json;

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Closes a descriptor, and removes a temporary file, however the copy ends.
struct Cleanup {
    int in = -1, out = -1;
    std::filesystem::path temp;
    ~Cleanup() {
        if (in >= 0) ::close(in);
        if (out >= 0) ::close(out);
        if (!temp.empty()) ::unlink(temp.c_str());
    }
};

bool write_all(int fd, const unsigned char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

FileStore::FileStore(std::filesystem::path dir) : dir_(std::move(dir)) {
}

FileStore::Stored FileStore::add(const std::filesystem::path& file, std::int64_t max_bytes,
                                 bool dry_run) const {
    Cleanup c;
    c.in = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (c.in < 0)
        throw Error(fmt::format("{}: cannot be read: {}", file.string(), std::strerror(errno)));
    struct stat st {};
    if (::fstat(c.in, &st) != 0 || !S_ISREG(st.st_mode))
        throw Error(fmt::format("{}: is not a regular file", file.string()));
    if (st.st_size < 1 || st.st_size > max_bytes)
        throw Error(fmt::format("{}: a content file must be 1 byte to {} (it is {} bytes)",
                                file.string(), human_size(static_cast<std::uint64_t>(max_bytes)),
                                st.st_size));
    if (!dry_run) {
        std::error_code ec;
        std::filesystem::create_directories(dir_, ec);
        std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
        std::string temp = (dir_ / ".incoming-XXXXXX").string();
        c.out = ::mkstemp(temp.data());
        if (c.out < 0)
            throw Error(fmt::format("{}: cannot write in the file store: {}", dir_.string(),
                                    std::strerror(errno)));
        c.temp = temp;
        ::fchmod(c.out, 0600);
    }
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::vector<unsigned char> buffer(1 << 16);
    std::int64_t size = 0;
    for (;;) {
        const ssize_t n = ::read(c.in, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(fmt::format("{}: cannot be read: {}", file.string(), std::strerror(errno)));
        }
        if (n == 0) break;
        size += n;
        if (size > max_bytes)
            throw Error(fmt::format("{}: grew past {} while it was read", file.string(),
                                    human_size(static_cast<std::uint64_t>(max_bytes))));
        crypto_hash_sha256_update(&state, buffer.data(), static_cast<unsigned long long>(n));
        if (c.out >= 0 && !write_all(c.out, buffer.data(), static_cast<std::size_t>(n)))
            throw Error(fmt::format("{}: cannot write in the file store: {}", dir_.string(),
                                    std::strerror(errno)));
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    Stored stored{hex, size};
    if (dry_run) return stored;
    if (::fsync(c.out) != 0)
        throw Error(fmt::format("{}: cannot write in the file store: {}", dir_.string(),
                                std::strerror(errno)));
    const std::filesystem::path target = dir_ / stored.sha256;
    std::error_code ec;
    if (!std::filesystem::exists(target, ec)) {
        if (::rename(c.temp.c_str(), target.c_str()) != 0)
            throw Error(fmt::format("{}: cannot be stored as {}: {}", file.string(),
                                    target.string(), std::strerror(errno)));
        c.temp.clear();
        const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd >= 0) {
            ::fsync(dir_fd);
            ::close(dir_fd);
        }
    }
    return stored;
}

std::optional<std::filesystem::path> FileStore::find(std::string_view sha256) const {
    if (dir_.empty() || !is_sha256_hex(sha256)) return std::nullopt;
    std::filesystem::path file = dir_ / std::string(sha256);
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return file;
}

std::string file_ref_name(std::string_view relative_path) {
    std::vector<std::string_view> parts;
    while (!relative_path.empty()) {
        std::size_t slash = relative_path.find('/');
        std::string_view part = relative_path.substr(0, slash);
        if (!part.empty() && part != ".") parts.push_back(part);
        if (slash == std::string_view::npos) break;
        relative_path.remove_prefix(slash + 1);
    }
    if (parts.empty()) return {};
    if (parts.size() <= 2) return std::string(parts.back());
    std::string name;
    for (std::size_t i = 2; i < parts.size(); ++i) {
        if (!name.empty()) name += '/';
        name += parts[i];
    }
    return name;
}

namespace {

// Walks a record, replacing each {"$file": "..."} in place.
class Resolver {
  public:
    Resolver(const std::filesystem::path& channel_file, const std::filesystem::path& root,
             const FileStore* store, bool dry_run)
        : channel_file_(channel_file), store_(store), dry_run_(dry_run) {
        std::error_code ec;
        base_ = channel_file.parent_path().empty() ? std::filesystem::path(".")
                                                   : channel_file.parent_path();
        root_ = std::filesystem::canonical(root.empty() ? base_ : root, ec);
        if (ec) root_ = std::filesystem::absolute(root.empty() ? base_ : root);
    }

    int replaced = 0;

    void walk(json& value, const std::string& key) {
        if (value.is_array()) {
            for (json& item : value) walk(item, key);
            return;
        }
        if (!value.is_object()) return;
        if (auto it = value.find("$file"); it != value.end()) {
            if (value.size() != 1 || !it->is_string())
                fail(key, "",
                     "a \"$file\" must be alone in its object, with a path as text: "
                     "{\"$file\": \"folder/file\"}");
            value = reference(key, it->get<std::string>());
            ++replaced;
            return;
        }
        for (auto& item : value.items()) walk(item.value(), key);
    }

  private:
    [[noreturn]] void fail(const std::string& key, const std::string& path,
                           const std::string& problem) const {
        if (path.empty())
            throw ImportError(
                fmt::format("{}: record \"{}\": {}", channel_file_.string(), key, problem));
        throw ImportError(fmt::format("{}: record \"{}\": $file \"{}\" {}", channel_file_.string(),
                                      key, path, problem));
    }

    json reference(const std::string& key, const std::string& path) {
        if (path.empty())
            fail(key, "", "has an empty \"$file\": name a file beside the channel's file");
        const std::filesystem::path relative(path);
        if (relative.is_absolute() || path.front() == '/')
            fail(key, path, "is absolute: name it relative to the channel's file");
        for (const auto& part : relative)
            if (part == "..")
                fail(key, path, "goes up (\"..\"): a pack's files stay inside the pack");
        const std::filesystem::path full = base_ / relative;
        std::error_code ec;
        const std::filesystem::path real = std::filesystem::canonical(full, ec);
        if (ec)
            fail(key, path, fmt::format("cannot be found ({}): {}", full.string(), ec.message()));
        const std::filesystem::path inside = real.lexically_relative(root_);
        if (inside.empty() || *inside.begin() == "..")
            fail(key, path,
                 fmt::format("leads out of the pack ({}, through a link): a pack's files stay "
                             "inside {}",
                             real.string(), root_.string()));
        if (!std::filesystem::is_regular_file(real, ec)) fail(key, path, "is not a regular file");
        FileStore::Stored stored;
        if (!store_ && !dry_run_)
            fail(key, path, "cannot be stored: this server has no file store (server.files_dir)");
        try {
            stored = store_ ? store_->add(real, files::kMaxFileBytes, dry_run_)
                            : FileStore(".").add(real, files::kMaxFileBytes, /*dry_run=*/true);
        } catch (const ImportError&) {
            throw;
        } catch (const Error& e) {
            fail(key, path, e.what());
        }
        return json{
            {"sha256", stored.sha256}, {"size", stored.size}, {"name", file_ref_name(path)}};
    }

    std::filesystem::path channel_file_, base_, root_;
    const FileStore* store_;
    bool dry_run_;
};

}  // namespace

int resolve_file_refs(ImportResult& records, const std::filesystem::path& channel_file,
                      const std::filesystem::path& root, const FileStore* store, bool dry_run) {
    Resolver resolver(channel_file, root, store, dry_run);
    for (CatalogRecord& record : records.records) resolver.walk(record.data, record.key);
    return resolver.replaced;
}

}  // namespace seba::server
