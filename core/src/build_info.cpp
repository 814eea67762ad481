// SPDX-License-Identifier: Apache-2.0
#include "seba/build_info.hpp"

#include "seba/version.hpp"
#include "seba_git_commit.h"  // generated at build time by cmake/SebaGitCommit.cmake

namespace seba {

std::string_view release_version() {
    return SEBA_RELEASE_VERSION;
}

std::string_view git_commit() {
    return SEBA_GIT_COMMIT;
}

std::string version_line(std::string_view program) {
    std::string line = std::string(program) + " " + std::string(release_version()) +
                       " (plugin API " + version_string(SEBA_API_VERSION);
    if (!git_commit().empty()) line += ", git " + std::string(git_commit());
    return line + ")";
}

}  // namespace seba
