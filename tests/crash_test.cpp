// SPDX-License-Identifier: Apache-2.0
// A plugin that kills the process: the crash marker blames it at the next start, and after
// `quarantine_after_crashes` such deaths the real seba-host sets it aside until an operator
// re-enables it, while the good plugin runs on. Each run is a real child process.
#include "host_fixture.hpp"
#include "process.hpp"

namespace seba::testing {
namespace {

using ::testing::HasSubstr;

class CrashTest : public HostTest {
  protected:
    void SetUp() override {
        write_file(dir_ / "seba.toml", std::string(R"(
[kiosk]
id = "crash-test"
centre = "test-centre"
languages = ["en"]
data_dir = "data"
mode = "development"

[plugins]
dirs = [")") + SEBA_TEST_PLUGIN_DIR + R"("]
enabled = ["good", "crasher"]
trusted_keys = [")" + SEBA_DEV_PUBLIC_KEY + R"("]
quarantine_after_crashes = 2
)");
    }
};

TEST_F(CrashTest, CrashingPluginIsQuarantinedAfterRepeatedCrashesUntilReenabled) {
    ProcessResult first = host("run");
    EXPECT_NE(first.exit_code, 0) << "the crasher should kill the host:\n" << first.output;
    ProcessResult second = host("run");
    EXPECT_NE(second.exit_code, 0) << "one crash is below the limit of 2:\n" << second.output;

    ProcessResult third = host("run");
    ASSERT_EQ(third.exit_code, 0) << third.output;
    EXPECT_THAT(third.output, HasSubstr("crasher"));
    EXPECT_THAT(third.output, HasSubstr("quarantined"));
    EXPECT_THAT(third.output, HasSubstr("stopped the kiosk 2 times"));
    EXPECT_THAT(third.output, HasSubstr("1 of 2 enabled plugin(s) ran and stopped cleanly"));

    ProcessResult audit = host("audit -n 50");
    EXPECT_THAT(audit.output, HasSubstr("plugin.crashed"));
    EXPECT_THAT(audit.output, HasSubstr("plugin.quarantined"));
    EXPECT_EQ(host("verify-audit").exit_code, 0);

    // Still quarantined on the next start: nobody re-enabled it.
    EXPECT_EQ(host("run").exit_code, 0);

    // The operator lifts the quarantine; the host tries the plugin again at once (and it
    // crashes again, which is the proof that it was really tried).
    ProcessResult reenable = host("reenable crasher");
    EXPECT_NE(reenable.exit_code, 0) << reenable.output;
    ProcessResult after = host("audit -n 50");
    EXPECT_THAT(after.output, HasSubstr("operator  plugin.reenable"));
}

}  // namespace
}  // namespace seba::testing
