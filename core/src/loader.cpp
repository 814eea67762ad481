// SPDX-License-Identifier: Apache-2.0
#include "loader.hpp"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "seba/error.hpp"
#include "seba/plugin_files.hpp"

namespace seba::detail {

namespace {

std::string host_api() {
    return version_string(SEBA_API_VERSION);
}

// What the module's dynamic section asks for: its DT_NEEDED sonames and its DT_RUNPATH (or
// DT_RPATH). Empty when the bytes are not a 64-bit ELF shared object.
struct Needs {
    std::vector<std::string> libraries;
    std::string runpath;
};

Needs read_needs(const std::vector<std::uint8_t>& bytes) {
    Needs needs;
    auto fits = [&](std::uint64_t offset, std::uint64_t size) {
        return offset <= bytes.size() && size <= bytes.size() - offset;
    };
    if (!fits(0, sizeof(Elf64_Ehdr))) return needs;
    Elf64_Ehdr header;
    std::memcpy(&header, bytes.data(), sizeof header);
    if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64)
        return needs;
    std::vector<Elf64_Phdr> segments;
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        std::uint64_t at = header.e_phoff + std::uint64_t{i} * sizeof(Elf64_Phdr);
        if (!fits(at, sizeof(Elf64_Phdr))) return needs;
        Elf64_Phdr segment;
        std::memcpy(&segment, bytes.data() + at, sizeof segment);
        segments.push_back(segment);
    }
    // Dynamic entries hold virtual addresses; PT_LOAD segments map them to file offsets.
    auto file_offset = [&](std::uint64_t address) -> std::uint64_t {
        for (const Elf64_Phdr& s : segments)
            if (s.p_type == PT_LOAD && address >= s.p_vaddr && address < s.p_vaddr + s.p_filesz)
                return address - s.p_vaddr + s.p_offset;
        return bytes.size();
    };
    for (const Elf64_Phdr& s : segments) {
        if (s.p_type != PT_DYNAMIC) continue;
        std::vector<Elf64_Dyn> entries;
        for (std::uint64_t at = s.p_offset;
             fits(at, sizeof(Elf64_Dyn)) && at + sizeof(Elf64_Dyn) <= s.p_offset + s.p_filesz;
             at += sizeof(Elf64_Dyn)) {
            Elf64_Dyn entry;
            std::memcpy(&entry, bytes.data() + at, sizeof entry);
            if (entry.d_tag == DT_NULL) break;
            entries.push_back(entry);
        }
        std::uint64_t strtab = bytes.size();
        for (const Elf64_Dyn& e : entries)
            if (e.d_tag == DT_STRTAB) strtab = file_offset(e.d_un.d_ptr);
        auto string_at = [&](std::uint64_t index) -> std::string {
            if (!fits(strtab, index + 1)) return {};
            const char* start = reinterpret_cast<const char*>(bytes.data() + strtab + index);
            return std::string(start, strnlen(start, bytes.size() - strtab - index));
        };
        for (const Elf64_Dyn& e : entries) {
            if (e.d_tag == DT_NEEDED) needs.libraries.push_back(string_at(e.d_un.d_val));
            if (e.d_tag == DT_RUNPATH || (e.d_tag == DT_RPATH && needs.runpath.empty()))
                needs.runpath = string_at(e.d_un.d_val);
        }
    }
    return needs;
}

// A module loaded from a memfd has "/proc/self/fd" as its $ORIGIN, so its RUNPATH (e.g.
// $ORIGIN/../../lib for libseba_ui) would point nowhere. Load those libraries first from
// the module's real folder; glibc then matches the module's needs to them by soname.
void preload_dependencies(const std::vector<std::uint8_t>& bytes,
                          const std::filesystem::path& module_dir) {
    Needs needs = read_needs(bytes);
    std::vector<std::filesystem::path> dirs;
    for (std::size_t start = 0; start <= needs.runpath.size();) {
        std::size_t end = needs.runpath.find(':', start);
        if (end == std::string::npos) end = needs.runpath.size();
        std::string dir = needs.runpath.substr(start, end - start);
        for (const char* origin : {"$ORIGIN", "${ORIGIN}"})
            if (dir.rfind(origin, 0) == 0)
                dir = module_dir.string() + dir.substr(std::strlen(origin));
        if (!dir.empty() && dir.find('$') == std::string::npos) dirs.emplace_back(dir);
        start = end + 1;
    }
    for (const std::string& library : needs.libraries) {
        if (library.empty() || ::dlopen(library.c_str(), RTLD_NOW | RTLD_NOLOAD)) continue;
        for (const std::filesystem::path& dir : dirs) {
            std::error_code ec;
            if (std::filesystem::exists(dir / library, ec) &&
                ::dlopen((dir / library).c_str(), RTLD_NOW | RTLD_LOCAL))
                break;
        }
    }
}

// Copies the verified bytes into a sealed in-memory file and loads that. The descriptor is
// kept open for the life of the process: glibc knows a loaded object by its path, and a
// reused /proc/self/fd/N would make a later dlopen return an earlier plugin.
void* dlopen_sealed(const std::vector<std::uint8_t>& bytes, const std::string& name,
                    std::string& error) {
    int fd = memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) {
        error = fmt::format("memfd_create failed: {}", std::strerror(errno));
        return nullptr;
    }
    // The copy is memory, not the disk a file size limit (RLIMIT_FSIZE, LimitFSIZE=) is set
    // for: the soft limit is lifted as far as the hard one allows while it is written.
    struct rlimit limit {};
    bool lifted = false;
    if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        limit.rlim_cur < bytes.size() && limit.rlim_max != limit.rlim_cur) {
        struct rlimit up = limit;
        up.rlim_cur = limit.rlim_max;
        lifted = ::setrlimit(RLIMIT_FSIZE, &up) == 0;
    }
    for (std::size_t done = 0; done < bytes.size();) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = fmt::format("cannot copy the module to memory: {}", std::strerror(errno));
            if (lifted) ::setrlimit(RLIMIT_FSIZE, &limit);
            ::close(fd);
            return nullptr;
        }
        done += static_cast<std::size_t>(n);
    }
    if (lifted) ::setrlimit(RLIMIT_FSIZE, &limit);
    ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
    void* handle = ::dlopen(fmt::format("/proc/self/fd/{}", fd).c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        error = why ? why : "unknown dlopen error";
        ::close(fd);
    }
    return handle;
}

std::string check_sizes(const SebaPluginEntry& entry) {
    struct Size {
        const char* what;
        std::uint32_t plugin, host;
    };
    const Size sizes[] = {
        {"SebaPluginEntry", entry.entry_size, sizeof(SebaPluginEntry)},
        {"seba::Plugin", entry.plugin_size, sizeof(Plugin)},
        {"seba::PluginContext", entry.context_size, sizeof(PluginContext)},
        {"seba::Migration", entry.migration_size, sizeof(Migration)},
    };
    for (const Size& s : sizes)
        if (s.plugin != s.host)
            return fmt::format(
                "was built with a different layout of {} ({} bytes, this kiosk "
                "has {}); rebuild it with this kiosk's SDK",
                s.what, s.plugin, s.host);
    return {};
}

}  // namespace

std::string check_api(std::uint32_t major, std::uint32_t minor) {
    if (major != SEBA_API_VERSION_MAJOR || minor > SEBA_API_VERSION_MINOR)
        return fmt::format(
            "is built for Seba API {}.{}, but this kiosk provides {}; {}", major, minor, host_api(),
            major > SEBA_API_VERSION_MAJOR ||
                    (major == SEBA_API_VERSION_MAJOR && minor > SEBA_API_VERSION_MINOR)
                ? "update the kiosk software or use an older build of the plugin"
                : "rebuild the plugin against this kiosk's SDK");
    return {};
}

// True when the signature comes from a development key or says it signs a development build.
bool signed_for_development(const minisign::Verification& v,
                            std::span<const minisign::PublicKey> trusted_keys) {
    if (v.trusted_comment.find(kDevelopmentBuildMark) != std::string::npos) return true;
    return std::any_of(trusted_keys.begin(), trusted_keys.end(), [&](const auto& key) {
        return key.key_id_hex() == v.key_id_hex &&
               key.comment.find(kDevelopmentKeyMark) != std::string::npos;
    });
}

namespace {

// Reads a small file that must be a regular file (not a link, FIFO or device) of at most
// `limit` bytes; nullopt when there is no such file. Throws seba::Error naming it otherwise.
std::optional<std::string> read_small_file(const std::filesystem::path& file, std::size_t limit) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw Error(fmt::format("{} cannot be read: {}", file.string(),
                                errno == ELOOP ? "it is a symbolic link" : std::strerror(errno)));
    }
    struct CloseAtExit {
        int fd;
        ~CloseAtExit() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
        throw Error(fmt::format("{} is not a regular file", file.string()));
    if (static_cast<std::uint64_t>(info.st_size) > limit)
        throw Error(fmt::format("{} is larger than {} bytes", file.string(), limit));
    std::string text(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t got = ::read(fd, text.data() + done, text.size() - done);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw Error(fmt::format("{} cannot be read", file.string()));
        done += static_cast<std::size_t>(got);
    }
    return text;
}

}  // namespace

VerifiedPlugin verify_plugin(const std::filesystem::path& folder, const SigningPolicy& policy) {
    namespace files = plugin_files;
    std::span<const minisign::PublicKey> trusted_keys = policy.trusted_keys;
    VerifiedPlugin out;
    const std::string id = folder.filename().string();
    const std::string module_name = id + ".so";
    const std::string manifest_name = "manifest.json";
    const std::filesystem::path signature_file = folder / files::kSignatureFile;
    auto tampered = [&](std::string_view what) {
        out.refusal = fmt::format(
            "signature check failed for {}: {}; the plugin was not loaded. Reinstall it from a "
            "trusted source",
            folder.string(), what);
        return out;
    };
    try {
        const std::optional<std::string> signature =
            read_small_file(signature_file, files::kMaxSignatureBytes);
        std::vector<files::File> listed;
        if (signature) {
            // A signature that is there but wrong means tampering: refused even in development.
            const std::optional<std::string> list =
                read_small_file(folder / files::kListFile, files::kMaxListBytes);
            if (!list)
                return tampered(fmt::format("{} is there but the list it signs, {}, is missing",
                                            files::kSignatureFile, files::kListFile));
            const auto* data = reinterpret_cast<const std::uint8_t*>(list->data());
            minisign::Verification v =
                minisign::verify({data, list->size()}, *signature, trusted_keys);
            if (!v.ok)
                return tampered(fmt::format("{} (signature file {})",
                                            trusted_keys.empty()
                                                ? std::string("no trusted keys are configured "
                                                              "(plugins.trusted_keys)")
                                                : v.reason,
                                            signature_file.string()));
            if (!policy.development_mode && signed_for_development(v, trusted_keys)) {
                out.refusal = fmt::format(
                    "{} is signed with a development key (key {}, \"{}\"); a kiosk in "
                    "production loads only plugins signed with a release key. Install the "
                    "release build of the plugin, or set kiosk.mode = \"development\" on a test "
                    "machine",
                    folder.string(), v.key_id_hex, v.trusted_comment);
                return out;
            }
            listed = files::parse(*list);
            out.signed_by = v.key_id_hex;
        } else if (policy.allow_unsigned) {
            out.unsigned_dev = true;
        } else {
            std::error_code ec;
            const bool old_signature =
                std::filesystem::exists(folder / (module_name + ".minisig"), ec);
            out.refusal = fmt::format(
                "{} is not signed (no {} in it{}); sign it with `seba-plugin-sign --key KEY {}` "
                "using a key listed in plugins.trusted_keys (or, on a development machine only, "
                "set kiosk.mode = \"development\" and plugins.allow_unsigned = true)",
                folder.string(), files::kSignatureFile,
                old_signature ? fmt::format("; its {}.minisig signs the module alone, which "
                                            "leaves the manifest and assets open to change",
                                            module_name)
                              : "",
                folder.string());
            return out;
        }

        // Only now is the rest of the folder read, each file once: the manifest and the
        // module are kept as the bytes that were hashed.
        const std::string keep[] = {manifest_name, module_name};
        files::Scan found = files::scan(folder, keep);
        if (signature)
            if (std::string difference = files::compare(listed, found.files); !difference.empty())
                return tampered(difference);
        // A missing module is the host's to report, after the manifest's id (a folder that
        // was renamed has its manifest but not "<folder>.so").
        if (!found.kept.contains(manifest_name)) return tampered("it has no manifest.json");
        std::vector<std::uint8_t>& manifest = found.kept[manifest_name];
        out.manifest_json.assign(manifest.begin(), manifest.end());
        if (found.kept.contains(module_name)) out.module = std::move(found.kept[module_name]);
    } catch (const Error& e) {
        return tampered(e.what());
    }
    return out;
}

ModuleLoad load_module(const std::filesystem::path& module_file,
                       const std::vector<std::uint8_t>& bytes, const Manifest& manifest) {
    ModuleLoad out;
    preload_dependencies(bytes, module_file.parent_path());
    std::string error;
    void* handle = dlopen_sealed(bytes, manifest.id, error);
    if (!handle) {
        out.refusal = fmt::format("cannot load {}: {}", module_file.string(), error);
        return out;
    }
    auto entry_fn = reinterpret_cast<SebaPluginEntryFn>(::dlsym(handle, SEBA_PLUGIN_ENTRY_SYMBOL));
    if (!entry_fn) {
        out.refusal = fmt::format(
            "{} has no {} symbol; a plugin defines it with "
            "SEBA_PLUGIN(ClassName) (see docs/plugin-guide.md)",
            module_file.string(), SEBA_PLUGIN_ENTRY_SYMBOL);
        return out;
    }
    const SebaPluginEntry* entry = entry_fn();
    if (!entry) {
        out.refusal =
            fmt::format("{}: {} returned nothing", module_file.string(), SEBA_PLUGIN_ENTRY_SYMBOL);
        return out;
    }
    // api_version comes first in every version of the entry, so it is safe to read before
    // anything else; the rest only once the version says the layout is ours.
    std::uint32_t word = entry->api_version;
    if (std::string why = check_api(version_major(word), version_minor(word)); !why.empty()) {
        out.refusal = fmt::format("{} {}", module_file.string(), why);
        return out;
    }
    if (std::string why = check_sizes(*entry); !why.empty()) {
        out.refusal = fmt::format("{} {}", module_file.string(), why);
        return out;
    }
    // The manifest's api is the oldest API the plugin works with; the module must have been
    // built with at least that one (check_api refused one newer than this kiosk).
    if (version_major(word) != manifest.api_major || version_minor(word) < manifest.api_minor) {
        out.refusal = fmt::format(
            "{} is built for Seba API {}, but its manifest asks for at least {}.{}; "
            "the manifest and the module come from different builds",
            module_file.string(), version_string(word), manifest.api_major, manifest.api_minor);
        return out;
    }
    if (!entry->create) {
        out.refusal = fmt::format("{}: the entry has no create function", module_file.string());
        return out;
    }
    out.create = entry->create;
    return out;
}

}  // namespace seba::detail
