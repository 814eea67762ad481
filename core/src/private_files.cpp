// SPDX-License-Identifier: Apache-2.0
#include "seba/private_files.hpp"

#include <fmt/format.h>

#include <system_error>

#include "seba/error.hpp"

namespace seba {

namespace fs = std::filesystem;

std::vector<std::string> make_private(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(fmt::format("{}: cannot create the folder ({})", dir.string(), ec.message()));
    std::vector<std::string> problems;
    auto restrict = [&](const fs::path& path, fs::perms mode) {
        std::error_code error;
        fs::permissions(path, mode, fs::perm_options::replace, error);
        if (error)
            problems.push_back(
                fmt::format("{}: cannot make it private ({})", path.string(), error.message()));
    };
    restrict(dir, fs::perms::owner_all);
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        fs::file_status status = it->symlink_status(ec);
        if (ec) break;
        if (fs::is_directory(status))
            restrict(it->path(), fs::perms::owner_all);
        else if (fs::is_regular_file(status))
            restrict(it->path(), fs::perms::owner_read | fs::perms::owner_write);
    }
    if (ec) problems.push_back(fmt::format("{}: cannot list it ({})", dir.string(), ec.message()));
    return problems;
}

}  // namespace seba
