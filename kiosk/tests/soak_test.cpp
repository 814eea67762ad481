// SPDX-License-Identifier: Apache-2.0
// A kiosk runs all day: fifty citizens, ten in each language, file a birth registration in
// a real window (Xvfb, Mesa's software GL) and walk away until the idle timeout ends their
// session. The kiosk's memory may grow while the first of each language warm its caches,
// and not after. (bench/soak_bench runs 1,000 and plots the curve: docs/performance.md.)
#include <gtest/gtest.h>

#include <string>

#include "citizen_soak.hpp"
#include "process.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"
#include "virtual_screen.hpp"

namespace seba::kiosk {
namespace {

// After warm-up (each language used twice), at most this much more in memory by the last
// request: a few MB, where drawing frames that were never shown grew 2.5 MB a tap.
constexpr long kGrowthAllowedKib = 3 * 1024;

std::string curve(const std::vector<seba::testing::MemorySample>& samples) {
    std::string out;
    for (std::size_t i = 0; i < samples.size(); i += 5)
        out += "\n  " + samples[i].label + ": RSS " + std::to_string(samples[i].rss_kib) +
               " KiB, PSS " + std::to_string(samples[i].pss_kib) + " KiB";
    return out;
}

TEST(SoakTest, FiftyCitizensInEveryLanguageLeaveTheKiosksMemoryFlatAfterWarmUp) {
    seba::testing::TempDir dir;
    seba::testing::CitizenSoak soak{.requests = 50, .idle_timeout_s = 30};
    seba::testing::prepare_soak_kiosk(dir.path(), soak, SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY,
                                      SEBA_DC_SERVICES);
    seba::testing::write_file(dir / "soak.json", seba::testing::citizen_soak_script(soak).dump());
    seba::testing::VirtualScreen screen(SEBA_XVFB, 1024, 768);
    ASSERT_FALSE(screen.display().empty()) << "Xvfb did not start";

    seba::testing::ProcessResult r = seba::testing::run_process(
        "DISPLAY=" + screen.display() + " " + SEBA_KIOSK_BIN + " --config " +
        (dir / "seba.toml").string() + " --script " + (dir / "soak.json").string() + " --out " +
        (dir / "out").string() + " --width 1024 --height 768 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;

    Database db = Database::open(dir / "data" / "seba.db");
    Statement requests = db.prepare("SELECT count(*) FROM digital_centre__requests");
    requests.step();
    EXPECT_EQ(requests.integer(0), 50) << "every citizen's request was recorded";

    auto samples = seba::testing::read_memory_samples(dir / "out" / "memory.tsv");
    ASSERT_EQ(samples.size(), 51u) << "a sample at the start and after each request";
    const auto& warm = samples[10];
    const auto& last = samples[50];
    EXPECT_LT(last.rss_kib - warm.rss_kib, kGrowthAllowedKib)
        << "the kiosk's memory grew by " << (last.rss_kib - warm.rss_kib) << " KiB from "
        << warm.label << " to " << last.label << ":" << curve(samples);
}

}  // namespace
}  // namespace seba::kiosk
