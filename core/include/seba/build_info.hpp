// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "seba/export.hpp"

/// What this build of Seba is: for `--version`, the logs and `seba-kiosk doctor`.
namespace seba {

/// Seba's version, from the one `project(VERSION)` in CMakeLists.txt: "0.1.0".
SEBA_API std::string_view release_version();

/// The git commit the build came from ("9268087a1b2c", "-modified" appended when the work
/// tree differed), or "" when it was not built from a git checkout.
SEBA_API std::string_view git_commit();

/// The line `PROGRAM --version` prints:
/// "seba-kiosk 0.1.0 (plugin API 1.4.0, git 9268087a1b2c)".
SEBA_API std::string version_line(std::string_view program);

}  // namespace seba
