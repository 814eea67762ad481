// SPDX-License-Identifier: Apache-2.0
// seba-plugin-sign: signs plugin folders the way a kiosk verifies them. It lists every file of
// the folder with its size and hash (plugin.files, seba/plugin_files.hpp) and has Debian's
// minisign sign that list (the format the kiosk reads, seba/signature.hpp), with a trusted
// comment that says what kind of build it is.
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seba/build_info.hpp"
#include "seba/error.hpp"
#include "seba/plugin_files.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

// Runs minisign with the terminal inherited, so that a password-protected key (a country's
// release key, kept offline) asks for its password. Returns minisign's exit status.
int run(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (int err = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ); err != 0)
        throw seba::Error(fmt::format("cannot run {}: {}; install Debian's minisign package",
                                      args[0], std::strerror(err)));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A plugin folder is named after its id and holds <id>.so and manifest.json.
void sign(const fs::path& folder, const std::string& key, bool development,
          const std::string& minisign) {
    const std::string id = fs::absolute(folder).lexically_normal().filename().string();
    const fs::path module = folder / (id + ".so");
    if (!fs::is_regular_file(module))
        throw seba::Error(
            fmt::format("{} is missing: a plugin folder holds <id>.so, named after "
                        "the folder",
                        module.string()));
    // Only the id and version are read here; whether the manifest is valid is the kiosk's
    // to judge when it loads the plugin (and `seba-host run` shows its verdict).
    const fs::path manifest_file = folder / "manifest.json";
    std::ifstream in(manifest_file);
    nlohmann::json manifest = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!manifest.is_object())
        throw seba::Error(
            fmt::format("{} is missing or not a JSON object", manifest_file.string()));
    if (manifest.value("id", std::string()) != id)
        throw seba::Error(
            fmt::format("{}: the manifest's id \"{}\" does not match the folder "
                        "name \"{}\"",
                        manifest_file.string(), manifest.value("id", std::string()), id));
    // A signature of the module alone, from before the list: the kiosk no longer reads it,
    // and left in the folder it would be listed as one of the plugin's files.
    const fs::path old_signature = module.string() + ".minisig";
    if (fs::exists(fs::symlink_status(old_signature))) {
        fs::remove(old_signature);
        std::printf("removed %s (it signed the module alone)\n", old_signature.c_str());
    }

    // The same walk the kiosk makes, so what it would refuse (a symbolic link, a device, a
    // name it cannot list, too many files) is refused here, before anything is signed.
    const std::vector<seba::plugin_files::File> files = seba::plugin_files::scan(folder).files;
    const fs::path list = folder / seba::plugin_files::kListFile;
    {
        std::ofstream out(list, std::ios::binary | std::ios::trunc);
        out << seba::plugin_files::format(files);
        out.close();
        if (!out) throw seba::Error(fmt::format("cannot write {}", list.string()));
    }

    // The kiosk reads "development build" here (core/src/loader.hpp, kDevelopmentBuildMark).
    const std::string trusted =
        fmt::format("seba plugin {} {}, {}", id, manifest.value("version", std::string("?")),
                    development ? "development build" : "release build");
    const fs::path signature = folder / seba::plugin_files::kSignatureFile;
    const int status = run({minisign, "-S", "-s", key, "-m", list.string(), "-x",
                            signature.string(), "-t", trusted, "-c", "seba plugin " + id});
    if (status != 0)
        throw seba::Error(
            fmt::format("minisign could not sign {} (exit {}); check the key {} "
                        "and its password",
                        list.string(), status, key));
    std::printf("signed %s: %zu files (%s)\n", folder.c_str(), files.size(), trusted.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "seba-plugin-sign: sign Seba plugin folders with a minisign secret key.\n"
        "Lists every file of each folder with its size and BLAKE2b-256 hash in plugin.files\n"
        "and signs that list (plugin.files.minisig): the module, the manifest and every\n"
        "asset. A kiosk refuses the plugin if any file is then added, removed or changed.\n"
        "A release signature loads on a kiosk whose plugins.trusted_keys lists the key's\n"
        "public half; a --development signature loads only on a kiosk in development mode.\n"
        "Sign again after any change to a folder."};
    app.set_version_flag("--version", seba::version_line("seba-plugin-sign"));
    std::string key, minisign = "minisign";
    std::vector<std::string> folders;
    bool development = false;
    app.add_option("-k,--key", key, "minisign secret key file")->required();
    app.add_flag("--development", development,
                 "mark the signature as a development build's (refused in production)");
    app.add_option("--minisign", minisign, "the minisign program")->capture_default_str();
    app.add_option("folders", folders, "plugin folders (<id>/<id>.so, <id>/manifest.json)")
        ->required();
    CLI11_PARSE(app, argc, argv);
    try {
        for (const std::string& folder : folders) sign(folder, key, development, minisign);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "seba-plugin-sign: %s\n", e.what());
        return 1;
    }
}
