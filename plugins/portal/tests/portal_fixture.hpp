// SPDX-License-Identifier: Apache-2.0
#pragma once

// The portal's screens on the real directory (the search index "portal" and portal.offices
// in a kiosk database, kept from the demo country pack as sync keeps it) and a printer that
// keeps the documents it is given, drawn by the kit's recorder.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <seba/manifest.hpp>
#include <seba/storage.hpp>
#include <seba/ui/i18n.hpp>
#include <seba/ui/recorder.hpp>
#include <seba/ui/ui_state.hpp>
#include <string>
#include <vector>

#include "demo_pack.hpp"
#include "portal.hpp"
#include "screens/screens.hpp"
#include "temp_dir.hpp"

namespace seba::portal::testing {

using seba::testing::TempDir;

class KeepingPrinter final : public print::Printer {
  public:
    void queue(const print::Document& d) override {
        queued.push_back(d);
        if (!fail)
            statuses[d.reference] = print::Status::Printing;
        else
            statuses[d.reference] = print::Status::Failed;
    }
    void print_copy(const print::Document& d) override { queued.push_back(d); }
    print::Status status(std::string_view reference) override {
        auto found = statuses.find(std::string(reference));
        return found == statuses.end() ? print::Status::None : found->second;
    }
    bool retry(std::string_view reference) override {
        ++retries;
        return statuses.contains(std::string(reference));
    }
    std::vector<print::UnprintedJob> unprinted(int) override { return {}; }
    int unprinted_count() override { return 0; }
    void on_printed(std::function<void(const std::string&)>) override {}

    std::vector<print::Document> queued;
    std::map<std::string, print::Status> statuses;
    bool fail = false;
    int retries = 0;
};

class PortalScreens : public ::testing::Test {
  protected:
    // A kiosk's database as sync leaves it after pulling the demo country pack: the index
    // spec "portal", every place of both countries and the offices, through the plugin's store.
    void SetUp() override {
        migrate_core(db);
        keep_demo_pack(db, kPortalChannels);
        catalog = ui::Catalog::load("portal", SEBA_PORTAL_LOCALE_DIR);
        state.catalog = &catalog;
        language("en");
    }

    void language(const std::string& tag) { state.language = tag; }
    void start(std::optional<Coordinates> centre = {}, double near_km = kDefaultNearKm) {
        portal = std::make_unique<Portal>(
            dir, printer, centre, [this](const std::string& w) { warnings.push_back(w); },
            near_km);
        view = std::make_unique<ui::ScreenView>(
            [this] { return std::make_unique<HomeScreen>(*portal); });
        frame();
    }

    // One frame, with a tap on `id` when given, and the frame after it (moves happen after
    // the frame that asked for them).
    void tap(const std::string& id) {
        ASSERT_TRUE(state.node(id)) << id << " is not on screen";
        state.tap(id);
        frame();
        frame();
    }
    void frame() {
        state.begin_frame();
        ui::Recorder ui(state);
        view->draw(ui);
    }
    void type(const std::string& field, const std::string& text) {
        tap(field);
        state.insert(text);
        frame();
    }
    std::string label(const std::string& id) const {
        const ui::Node* n = state.node(id);
        EXPECT_TRUE(n) << id << " is not on screen";
        return n ? n->label : std::string();
    }
    bool shown(const std::string& id) const { return state.node(id) != nullptr; }

    TempDir folder;
    Database db = Database::open(folder / "seba.db");
    Manifest manifest = load_manifest(SEBA_PORTAL_MANIFEST);
    PluginStore store{db, manifest};
    Directory dir{store};
    KeepingPrinter printer;
    ui::Catalog catalog;
    ui::UiState state;
    std::unique_ptr<Portal> portal;
    std::unique_ptr<ui::ScreenView> view;
    std::vector<std::string> warnings;
};

}  // namespace seba::portal::testing
