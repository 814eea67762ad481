// A plugin that kills the process: the crash marker blames it at the next start, and after
// `quarantine_after_crashes` such deaths the real seba-host sets it aside until an operator
// re-enables it, while the good plugin runs on. Each run is a real child process.
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "host_fixture.hpp"

namespace seba::testing {
namespace {

using ::testing::HasSubstr;

struct HostRun {
    int exit_code = -1;  // -1 when killed by a signal
    std::string output;
};

HostRun run_command(const std::string& command) {
    HostRun r;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buffer;
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
        r.output.append(buffer.data(), n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

class CrashTest : public HostTest {
  protected:
    void SetUp() override {
        write_file(dir_ / "seba.toml", std::string(R"(
[kiosk]
id = "crash-test"
centre = "test-centre"
languages = ["en"]
data_dir = "data"

[plugins]
dirs = [")") + SEBA_TEST_PLUGIN_DIR + R"("]
enabled = ["good", "crasher"]
trusted_keys = [")" + SEBA_DEV_PUBLIC_KEY + R"("]
quarantine_after_crashes = 2
)");
    }

    HostRun host(const std::string& args) {
        return run_command(std::string(SEBA_HOST_BIN) + " --config " +
                           (dir_ / "seba.toml").string() + " " + args);
    }
};

TEST_F(CrashTest, CrashingPluginIsQuarantinedAfterRepeatedCrashesUntilReenabled) {
    HostRun first = host("run");
    EXPECT_NE(first.exit_code, 0) << "the crasher should kill the host:\n" << first.output;
    HostRun second = host("run");
    EXPECT_NE(second.exit_code, 0) << "one crash is below the limit of 2:\n" << second.output;

    HostRun third = host("run");
    ASSERT_EQ(third.exit_code, 0) << third.output;
    EXPECT_THAT(third.output, HasSubstr("crasher"));
    EXPECT_THAT(third.output, HasSubstr("quarantined"));
    EXPECT_THAT(third.output, HasSubstr("stopped the kiosk 2 times"));
    EXPECT_THAT(third.output, HasSubstr("1 of 2 enabled plugin(s) ran and stopped cleanly"));

    HostRun audit = host("audit -n 50");
    EXPECT_THAT(audit.output, HasSubstr("plugin.crashed"));
    EXPECT_THAT(audit.output, HasSubstr("plugin.quarantined"));
    EXPECT_EQ(host("verify-audit").exit_code, 0);

    // Still quarantined on the next start: nobody re-enabled it.
    EXPECT_EQ(host("run").exit_code, 0);

    // The operator lifts the quarantine; the host tries the plugin again at once (and it
    // crashes again, which is the proof that it was really tried).
    HostRun reenable = host("reenable crasher");
    EXPECT_NE(reenable.exit_code, 0) << reenable.output;
    HostRun after = host("audit -n 50");
    EXPECT_THAT(after.output, HasSubstr("operator  plugin.reenable"));
}

}  // namespace
}  // namespace seba::testing
