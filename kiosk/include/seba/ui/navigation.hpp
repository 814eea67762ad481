// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Screens and the stack they live on. A plugin with many screens declares each as a small
/// class and moves between them with push, back, replace and home; the kit does the rest:
/// the Back and Home buttons, the citizen's session ending at any depth, and forgetting.
///
///     class ServiceList final : public seba::ui::Screen {
///       public:
///         explicit ServiceList(Centre& centre) : centre_(centre) {}
///         void draw(seba::ui::Ui& ui, seba::ui::Navigator& nav) override {
///             for (const Service& s : centre_.services())
///                 if (ui.list_row("dc.svc." + s.id, s.name))
///                     nav.push<ServiceDetail>(centre_, s.id);
///         }
///       private:
///         Centre& centre_;
///     };
///
/// A screen is destroyed when it leaves the stack (Back from it, replace, Home, the end of
/// the session), and the fields it drew are wiped with it: what a citizen typed on a page
/// they left is gone, whatever the plugin forgot to clear.

#include <concepts>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "seba/ui/export.hpp"
#include "seba/ui/ui.hpp"

namespace seba::ui {

class Navigator;

/// One screen of a plugin. Keep what it shows in members: they live exactly as long as
/// the screen is on the stack.
class SEBA_UI_API Screen {
  public:
    /// Where a screen stands in a multi-step flow: step `number` of `of`.
    struct Step {
        int number = 0;
        int of = 0;
    };

    virtual ~Screen();
    /// A screen that starts (or is a known step of) a flow says so; the screens pushed on
    /// top of it are its next steps. The kit draws "Step 2 of 4" above each of them.
    virtual Step step() const { return {}; }
    /// Draws the screen; called every frame while it is on top. Moves asked of `nav` happen
    /// after this returns, so the screen may call them from anywhere inside draw().
    virtual void draw(Ui& ui, Navigator& nav) = 0;
};

/// The stack of a plugin's screens. The root screen is made by the factory given at
/// construction, afresh whenever the stack goes home.
class SEBA_UI_API Navigator {
  public:
    using RootFactory = std::function<std::unique_ptr<Screen>()>;
    explicit Navigator(RootFactory root);
    ~Navigator();
    Navigator(const Navigator&) = delete;
    Navigator& operator=(const Navigator&) = delete;

    /// Opens a screen on top of this one (Back returns here).
    template <std::derived_from<Screen> S, typename... Args>
    void push(Args&&... args) {
        request({Move::Push, std::make_unique<S>(std::forward<Args>(args)...)});
    }
    /// The same with a screen already made (the kit's exit survey, seba/ui/exit_survey.hpp).
    void push(std::unique_ptr<Screen> screen) { request({Move::Push, std::move(screen)}); }
    /// Opens a screen in place of this one (Back skips it: a receipt replaces the review).
    template <std::derived_from<Screen> S, typename... Args>
    void replace(Args&&... args) {
        request({Move::Replace, std::make_unique<S>(std::forward<Args>(args)...)});
    }
    /// Leaves this screen for the one below it; at the root, nothing.
    void back() { request({Move::Back, nullptr}); }
    /// Leaves every screen for a fresh root.
    void home() { request({Move::Home, nullptr}); }

    /// Screens on the stack: 1 at the root.
    std::size_t depth() const { return stack_.size(); }
    /// The top screen's step in its flow (from the nearest screen below that declares one);
    /// {0, 0} outside any flow.
    Screen::Step step() const;

    // [SECTION] for the View that owns the stack (ScreenView does this)

    /// Draws the top screen, then makes the moves it asked for.
    void draw(Ui& ui);
    /// The Back button: pops the top screen and returns true, or false at the root (the
    /// plugin is left for the home screen).
    bool go_back();
    /// Every screen destroyed and a fresh root made (the session ended, or Home).
    void reset();

  private:
    enum class Move { Push, Replace, Back, Home };
    struct Request {
        Move move;
        std::unique_ptr<Screen> screen;
    };
    struct Entry {
        std::unique_ptr<Screen> screen;
        std::set<std::string> fields;  // ids of the fields it drew
    };

    void request(Request r) { requests_.push_back(std::move(r)); }
    void ensure_root();
    void pop();
    void forget_fields(const Entry& leaving);

    RootFactory make_root_;
    UiState* state_ = nullptr;  // the kit's, from the last draw: where the fields live
    std::vector<Entry> stack_;
    std::vector<Request> requests_;
};

/// A View made of screens: draws the top one, and Back, Home and the end of a session move
/// the stack. Most plugins derive from this instead of View.
class SEBA_UI_API ScreenView : public View {
  public:
    explicit ScreenView(Navigator::RootFactory root) : nav_(std::move(root)) {}
    void draw(Ui& ui) override { nav_.draw(ui); }
    bool back() override { return nav_.go_back(); }
    void reset() override { nav_.reset(); }

  protected:
    Navigator& navigator() { return nav_; }

  private:
    Navigator nav_;
};

}  // namespace seba::ui
