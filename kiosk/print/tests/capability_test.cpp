// SPDX-License-Identifier: Apache-2.0
// The "printer" capability through the real loader, with real signed test plugins
// (tests/plugins/prints*): a plugin whose manifest does not ask for it cannot print, and the
// kiosk says which plugin and what it lacks; one that asks prints what its transaction kept
// (nothing of one that rolled back) and hears of it in its own table; in a program without
// a print service (seba-host) a plugin that prints is refused the job, not the printer.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "process.hpp"
#include "seba/host.hpp"
#include "seba/print/service.hpp"
#include "seba/signature.hpp"
#include "temp_dir.hpp"

namespace seba::print {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class PrinterCapabilityTest : public ::testing::Test {
  protected:
    Config config_with(std::vector<std::string> enabled) const {
        Config c;
        c.source = dir_ / "seba.toml";
        c.kiosk_id = "test-kiosk";
        c.centre = "test-centre";
        c.languages = {"bn", "en"};
        c.default_language = "bn";
        c.data_dir = dir_ / "data";
        c.plugin_dirs = {SEBA_TEST_PLUGIN_DIR};
        c.enabled_plugins = std::move(enabled);
        c.trusted_keys = {minisign::load_public_key(SEBA_DEV_PUBLIC_KEY)};
        c.development_mode = true;  // the build's plugins carry development signatures
        c.printer.pdf_dir = dir_ / "printed";
        return c;
    }

    static PluginInfo info(const Host& host, const std::string& id) {
        std::optional<PluginInfo> p = host.find(id);
        if (!p) ADD_FAILURE() << "plugin " << id << " not found";
        return p.value_or(PluginInfo{});
    }

    static std::int64_t count(Host& host, const std::string& sql) {
        Statement q = host.database().prepare(sql);
        q.step();
        return q.integer(0);
    }

    // Frames, as the shell draws them, until `done` or 10 s.
    static bool pump_until(Host& host, const std::function<bool()>& done) {
        for (int i = 0; i < 1000 && !done(); ++i) {
            host.pump_printing();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return done();
    }

    seba::testing::TempDir dir_;
};

TEST_F(PrinterCapabilityTest, APluginThatDidNotAskForThePrinterCannotPrint) {
    Host host(config_with({"prints_unasked", "prints"}));
    install(host);
    host.start();
    PluginInfo unasked = info(host, "prints_unasked");
    EXPECT_EQ(unasked.state, PluginState::Failed);
    EXPECT_THAT(unasked.reason, HasSubstr("plugin prints_unasked used the printer without the "
                                          "\"printer\" capability in its manifest"));
    EXPECT_EQ(info(host, "prints").state, PluginState::Running) << "the others print on";
    EXPECT_EQ(count(host, "SELECT count(*) FROM core__print_jobs WHERE plugin = 'prints_unasked'"),
              0);
    ASSERT_TRUE(pump_until(host, [&] { return fs::exists(dir_ / "printed" / "SLIP-1.pdf"); }));
    host.stop();
    EXPECT_FALSE(fs::exists(dir_ / "printed" / "UNASKED-1.pdf"));
}

TEST_F(PrinterCapabilityTest, APluginThatAskedPrintsWhatItsTransactionKeptAndHearsOfIt) {
    Host host(config_with({"prints"}));
    install(host);
    host.start();
    ASSERT_EQ(info(host, "prints").state, PluginState::Running) << info(host, "prints").reason;
    ASSERT_TRUE(pump_until(host, [&] {
        return count(host, "SELECT count(*) FROM prints__slips WHERE printed = 1") == 1;
    }));
    const fs::path pdf = dir_ / "printed" / "SLIP-1.pdf";
    ASSERT_TRUE(fs::exists(pdf));
    std::string text =
        seba::testing::run_process(fmt::format("'{}' '{}' -", SEBA_PDFTOTEXT, pdf.string())).output;
    EXPECT_THAT(text, HasSubstr("রেফারেল স্লিপ"));
    EXPECT_THAT(text, HasSubstr("SLIP-1"));
    std::string scanned =
        seba::testing::run_process(fmt::format("('{}' --raw -q '{}' 2>/dev/null)", SEBA_ZBARIMG,
                                               (dir_ / "printed" / "SLIP-1.png").string()))
            .output;
    EXPECT_EQ(scanned, "SLIP-1\n");
    // The slip whose transaction rolled back: neither its row nor its job, nor paper.
    EXPECT_EQ(count(host, "SELECT count(*) FROM prints__slips"), 1);
    EXPECT_EQ(count(host, "SELECT count(*) FROM core__print_jobs"), 0);
    EXPECT_FALSE(fs::exists(dir_ / "printed" / "SLIP-2.pdf"));
    host.stop();
}

TEST_F(PrinterCapabilityTest, WithoutAPrintServiceAPluginIsRefusedTheJobNamingItself) {
    Host host(config_with({"prints"}));  // as seba-host runs it: no print service
    host.start();
    PluginInfo prints = info(host, "prints");
    EXPECT_EQ(prints.state, PluginState::Failed);
    EXPECT_THAT(prints.reason, HasSubstr("plugin prints cannot print SLIP-1 here"));
    EXPECT_EQ(count(host, "SELECT count(*) FROM core__print_jobs"), 0);
}

}  // namespace
}  // namespace seba::print
