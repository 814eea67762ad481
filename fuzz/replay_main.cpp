// SPDX-License-Identifier: Apache-2.0
// Runs a libFuzzer harness over files without libFuzzer, so that g++ builds and CI run every
// harness on its seed corpus: fuzz_<name>_replay FILE_OR_DIRECTORY...
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// The input being run, named by the crash handler: a crash otherwise says nothing of which.
char current_file[4096];

void on_crash(int signal) {
    const char* prefix = "replay: crashed on ";
    ssize_t ignored = ::write(STDERR_FILENO, prefix, std::strlen(prefix));
    ignored = ::write(STDERR_FILENO, current_file, std::strlen(current_file));
    ignored = ::write(STDERR_FILENO, "\n", 1);
    (void)ignored;
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

bool run_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
        return false;
    }
    std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::snprintf(current_file, sizeof current_file, "%s", file.c_str());
    // A copy of exactly the input's size, so that AddressSanitizer sees reads past its end.
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    for (int signal : {SIGABRT, SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP})
        ::signal(signal, on_crash);
    int ran = 0;
    bool ok = true;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path arg = argv[i];
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(arg)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(arg))
                if (entry.is_regular_file()) files.push_back(entry.path());
        } else {
            files.push_back(arg);
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            if (!run_file(file)) {
                ok = false;
                continue;
            }
            ++ran;
        }
    }
    std::printf("replay: ran %d inputs\n", ran);
    if (ran == 0) {
        std::fprintf(stderr, "replay: no inputs; give files or directories\n");
        return 1;
    }
    return ok ? 0 : 1;
}
