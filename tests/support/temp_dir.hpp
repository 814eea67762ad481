// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

namespace seba::testing {

/// A fresh directory under /tmp, removed with everything in it when this goes away.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

/// Writes `text` to `file`, creating parent directories.
void write_file(const std::filesystem::path& file, const std::string& text);
/// Reads a whole file; empty if it does not exist.
std::string read_file(const std::filesystem::path& file);

}  // namespace seba::testing
