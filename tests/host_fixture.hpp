// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "process.hpp"
#include "seba/config.hpp"
#include "seba/host.hpp"
#include "seba/signature.hpp"
#include "temp_dir.hpp"

namespace seba::testing {

/// A kiosk config over a temporary data folder that loads the real test plugins built in
/// this tree and trusts the build's development key.
class HostTest : public ::testing::Test {
  protected:
    Config config_with(std::vector<std::string> enabled) const {
        Config c;
        c.source = dir_ / "seba.toml";
        c.kiosk_id = "test-kiosk";
        c.centre = "test-centre";
        c.languages = {"en", "bn"};
        c.default_language = "en";
        c.data_dir = dir_ / "data";
        c.plugin_dirs = {SEBA_TEST_PLUGIN_DIR};
        c.enabled_plugins = std::move(enabled);
        c.trusted_keys = {minisign::load_public_key(SEBA_DEV_PUBLIC_KEY)};
        c.development_mode = true;  // the build's plugins carry development signatures
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

    /// Runs the real seba-host with the seba.toml in this test's folder.
    ProcessResult host(const std::string& args) const {
        return run_process(std::string(SEBA_HOST_BIN) + " --config " +
                           (dir_ / "seba.toml").string() + " " + args);
    }

    TempDir dir_;
};

}  // namespace seba::testing
