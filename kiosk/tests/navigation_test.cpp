// SPDX-License-Identifier: Apache-2.0
// Screens on the kit's stack, drawn by the recorder: where push, back, replace and home
// lead, that a screen that leaves is destroyed and what was typed on it wiped, and that the
// kiosk refuses at load a plugin whose "ui" capability and View disagree.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "seba/host.hpp"
#include "seba/signature.hpp"
#include "seba/ui/navigation.hpp"
#include "seba/ui/recorder.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

namespace seba::ui {
namespace {

using ::testing::HasSubstr;

// Screens that say which they are and count how many of them are alive.
int alive = 0;

class Page : public Screen {
  public:
    explicit Page(std::string name) : name_(std::move(name)) { ++alive; }
    ~Page() override { --alive; }
    void draw(Ui& ui, Navigator& nav) override {
        ui.heading("page", name_);
        FieldSpec spec;
        ui.field("field." + name_, "Typed on " + name_, spec);
        if (ui.button("push", "Next")) nav.push<Page>(name_ + "+");
        if (ui.button("replace", "Instead")) nav.replace<Page>(name_ + "~");
        if (ui.button("back", "Back")) nav.back();
        if (ui.button("home", "Home")) nav.home();
        if (ui.button("throw", "Fail")) {
            nav.push<Page>("never");
            throw std::runtime_error("the screen failed mid-frame");
        }
    }

  private:
    std::string name_;
};

class NavigatorTest : public ::testing::Test {
  protected:
    void SetUp() override { alive = 0; }

    // One frame, with a tap on `id` when given; returns the page's name.
    std::string frame(const std::string& id = {}) {
        if (!id.empty()) state_.tap(id);
        state_.begin_frame();
        Recorder ui(state_);
        view_.draw(ui);
        return shown();
    }
    std::string shown() const {
        const Node* page = state_.node("page");
        return page ? page->label : "(nothing)";
    }
    // Types on the current page's field as a citizen would.
    void type(const std::string& text) {
        std::string field = "field." + shown();
        frame(field);
        ASSERT_EQ(state_.focused(), field);
        state_.insert(text);
    }

    UiState state_;
    ScreenView view_{[] { return std::make_unique<Page>("root"); }};
};

TEST_F(NavigatorTest, PushOpensAScreenAndBackReturnsToTheOneBelow) {
    EXPECT_EQ(frame(), "root");
    EXPECT_EQ(frame("push"), "root") << "the move happens after the frame that asked for it";
    EXPECT_EQ(frame(), "root+");
    frame("push");
    EXPECT_EQ(frame(), "root++");
    EXPECT_EQ(alive, 3);
    EXPECT_TRUE(view_.back());
    EXPECT_EQ(frame(), "root+");
    EXPECT_TRUE(view_.back());
    EXPECT_EQ(frame(), "root");
    EXPECT_FALSE(view_.back()) << "Back at the first screen leaves the plugin";
    EXPECT_EQ(alive, 1) << "screens that left the stack are destroyed";
}

TEST_F(NavigatorTest, ReplaceTakesTheScreensPlaceSoBackSkipsIt) {
    frame();
    frame("push");
    frame();
    frame("replace");
    EXPECT_EQ(frame(), "root+~");
    EXPECT_EQ(alive, 2);
    EXPECT_TRUE(view_.back());
    EXPECT_EQ(frame(), "root");
}

TEST_F(NavigatorTest, HomeFromAnyDepthMakesAFreshFirstScreen) {
    frame();
    type("on the first screen");
    for (int i = 0; i < 4; ++i) {
        frame("push");
        frame();
    }
    EXPECT_EQ(shown(), "root++++");
    frame("home");
    EXPECT_EQ(frame(), "root");
    EXPECT_EQ(alive, 1);
    EXPECT_TRUE(state_.find_field("field.root")->empty())
        << "the first screen is made afresh: what was typed on the old one is gone";
}

TEST_F(NavigatorTest, WhatWasTypedOnAScreenIsWipedWhenItLeavesAndKeptWhileBelow) {
    frame();
    type("kept below");
    frame("push");
    frame();
    type("01711 223344");
    const SecretText* deep = state_.find_field("field.root+");
    ASSERT_EQ(deep->view(), "01711 223344");
    frame("push");
    frame();
    EXPECT_EQ(deep->view(), "01711 223344") << "a screen below the top keeps its fields";
    ASSERT_TRUE(view_.back());
    ASSERT_TRUE(view_.back());
    frame();
    EXPECT_TRUE(deep->empty());
    for (char c : deep->buffer()) ASSERT_EQ(c, '\0') << "the typed bytes are zeroed, not just dropped";
    EXPECT_EQ(state_.find_field("field.root")->view(), "kept below");
    EXPECT_TRUE(state_.focused().empty()) << "the wiped field lost the keyboard's focus";
}

TEST_F(NavigatorTest, TheEndOfASessionAtAnyDepthDestroysEveryScreen) {
    frame();
    for (int i = 0; i < 3; ++i) {
        frame("push");
        frame();
        type("secret " + std::to_string(i));
    }
    view_.reset();  // what the shell does when the idle countdown ends
    EXPECT_EQ(alive, 0);
    EXPECT_EQ(frame(), "root");
    EXPECT_TRUE(state_.find_field("field.root++")->empty());
}

TEST_F(NavigatorTest, AScreenThatThrowsMovesNowhere) {
    frame();
    EXPECT_THROW(frame("throw"), std::runtime_error);
    EXPECT_EQ(frame(), "root");
    EXPECT_EQ(alive, 1);
}

}  // namespace
}  // namespace seba::ui

namespace seba::kiosk {
namespace {

using ::testing::HasSubstr;

// The real loader with the kiosk's rule, over plugins built and signed like any other.
class ViewContractTest : public ::testing::Test {
  protected:
    PluginInfo load(const std::string& id) {
        Config config;
        config.source = dir_ / "seba.toml";
        config.kiosk_id = "test-kiosk";
        config.centre = "test-centre";
        config.languages = {"en"};
        config.default_language = "en";
        config.data_dir = dir_ / "data";
        config.plugin_dirs = {SEBA_TEST_PLUGIN_DIR, SEBA_PLUGIN_DIR};
        config.enabled_plugins = {id};
        config.trusted_keys = {minisign::load_public_key(SEBA_DEV_PUBLIC_KEY)};
        config.development_mode = true;
        Host host(config);
        host.set_plugin_check(view_contract);
        host.start();
        std::optional<PluginInfo> info = host.find(id);
        EXPECT_TRUE(info) << id;
        return info.value_or(PluginInfo{});
    }
    seba::testing::TempDir dir_;
};

TEST_F(ViewContractTest, UiWithoutAViewIsRefusedAtLoadNamingTheManifest) {
    PluginInfo p = load("ui_without_view");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("ui_without_view/manifest.json"));
    EXPECT_THAT(p.reason, HasSubstr("is not a seba::ui::View"));
}

TEST_F(ViewContractTest, AViewThatDoesNotAskForUiIsRefusedAtLoadNamingTheManifest) {
    PluginInfo p = load("view_without_ui");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("view_without_ui/manifest.json"));
    EXPECT_THAT(p.reason, HasSubstr("add \"ui\""));
}

TEST_F(ViewContractTest, PluginsThatKeepTheRuleRun) {
    EXPECT_EQ(load("about").state, PluginState::Running);
    EXPECT_EQ(load("digital_centre").state, PluginState::Running);
    EXPECT_EQ(load("good").state, PluginState::Running) << "no ui and no View is fine too";
}

}  // namespace
}  // namespace seba::kiosk

#include "kiosk_fixture.hpp"

namespace seba::kiosk {
namespace {

// docs/plugin-guide.md's example, built from examples/hello_plugin as the guide says, in the
// real kiosk: its tile, its two screens, and the shell's Back and Home between them.
class GuideExampleTest : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().enabled_plugins = {"hello"};
        config().plugin_settings["hello"] = {{"greeting", "Welcome to the centre"}};
        start();
    }
};

TEST_F(GuideExampleTest, TheGuidesPluginLoadsShowsItsScreensAndGoesBackAndHome) {
    std::optional<PluginInfo> hello = host().find("hello");
    ASSERT_TRUE(hello);
    ASSERT_EQ(hello->state, PluginState::Running) << hello->reason;
    run(nlohmann::json::parse(R"([{"tap": "shell.home.hello"},
        {"expect": {"id": "hello.greeting", "label": "Welcome to the centre"}},
        {"tap": "hello.next"}, {"expect": "hello.thanks"},
        {"tap": "shell.back"}, {"expect": "hello.title"}, {"absent": "hello.thanks"},
        {"tap": "hello.next"}, {"tap": "hello.again"}, {"expect": "hello.title"},
        {"tap": "hello.next"}, {"tap": "shell.back"}, {"tap": "shell.back"},
        {"expect_screen": "home"}])"));
}

}  // namespace
}  // namespace seba::kiosk
