// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace seba::detail {

/// Notes which plugin the host is calling, in a small memory-mapped file. The kernel keeps
/// a shared mapping's writes when the process dies, so if a plugin call kills the process
/// the next start finds that plugin's id there. Cheap enough for every call (a memcpy).
class CrashMarker {
  public:
    /// Throws Error when the file cannot be made with its blocks (a full disk: a write
    /// through the mapping to a block the disk cannot give would kill the process).
    explicit CrashMarker(const std::filesystem::path& file);
    /// In memory only, while no file can be written: calls are bracketed as ever, but a
    /// crash is not remembered across the restart.
    CrashMarker();
    ~CrashMarker();
    /// Moves to `file` (from memory, when the disk has room again). Throws as the
    /// constructor does, keeping the marker as it was.
    void open(const std::filesystem::path& file);
    bool in_memory() const { return fd_ < 0; }
    CrashMarker(const CrashMarker&) = delete;
    CrashMarker& operator=(const CrashMarker&) = delete;

    /// The plugin id a previous process died in (empty if it did not die in a plugin call),
    /// and clears it.
    std::string take_previous();

    void enter(std::string_view plugin_id);
    void leave();

    /// Brackets one call; restores the outer plugin for nested calls.
    class Scope {
      public:
        Scope(CrashMarker& marker, std::string_view plugin_id);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

      private:
        CrashMarker& marker_;
        std::string outer_;
    };

  private:
    std::string current() const;
    char* map_ = nullptr;
    int fd_ = -1;
};

}  // namespace seba::detail
