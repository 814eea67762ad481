#include "loader.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace seba::detail {

namespace {

std::string host_api() {
    return version_string(SEBA_API_VERSION);
}

bool read_bytes(const std::filesystem::path& file, std::vector<std::uint8_t>& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
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
    for (std::size_t done = 0; done < bytes.size();) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = fmt::format("cannot copy the module to memory: {}", std::strerror(errno));
            ::close(fd);
            return nullptr;
        }
        done += static_cast<std::size_t>(n);
    }
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

ModuleLoad load_module(const std::filesystem::path& module_file, const Manifest& manifest,
                       std::span<const minisign::PublicKey> trusted_keys, bool allow_unsigned) {
    ModuleLoad out;
    std::vector<std::uint8_t> bytes;
    if (!read_bytes(module_file, bytes)) {
        out.refusal = fmt::format("cannot read {}: {}; reinstall the plugin", module_file.string(),
                                  std::strerror(errno));
        return out;
    }

    std::filesystem::path signature_file = module_file;
    signature_file += ".minisig";
    std::vector<std::uint8_t> signature;
    if (read_bytes(signature_file, signature)) {
        // A signature that is there but wrong means tampering: refused even in development.
        std::string text(signature.begin(), signature.end());
        minisign::Verification v = minisign::verify(bytes, text, trusted_keys);
        if (!v.ok) {
            out.refusal = fmt::format(
                "signature check failed for {} (signature file {}): {}; the plugin was not "
                "loaded. Reinstall it from a trusted source",
                module_file.string(), signature_file.string(),
                trusted_keys.empty() ? std::string("no trusted keys are configured "
                                                   "(plugins.trusted_keys)")
                                     : v.reason);
            return out;
        }
        out.signed_by = v.key_id_hex;
    } else if (allow_unsigned) {
        out.unsigned_dev = true;
    } else {
        out.refusal = fmt::format(
            "{} is not signed (no {} beside it); sign it with `minisign -S -s KEY -m {}` using "
            "a key listed in plugins.trusted_keys (or, on a development machine only, set "
            "plugins.allow_unsigned = true)",
            module_file.string(), signature_file.filename().string(), module_file.string());
        return out;
    }

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
    if (version_major(word) != manifest.api_major || version_minor(word) != manifest.api_minor) {
        out.refusal = fmt::format(
            "{} is built for Seba API {}, but its manifest says {}.{}; "
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
