// SPDX-License-Identifier: Apache-2.0
// NISE at the kiosk: a citizen records their skills (said, or verified by MuktoPaath
// certificates), sees jobs, trainings and apprenticeships ranked for them with the reasons,
// is referred to one and leaves with a slip whose reference shows the employer's answer
// later. docs/nise.md; screens/screens.hpp maps the screens.
#include <memory>
#include <seba/sdk.hpp>

#include "desk.hpp"
#include "screens/screens.hpp"

namespace {

using seba::nise::Desk;

class Nise final : public seba::Plugin,
                   public seba::ui::ScreenView,
                   public seba::ui::OperatorView,
                   public seba::nise::HasDesk {
  public:
    Nise() : ScreenView([this] { return seba::nise::home_screen(*desk_); }) {}

    std::span<const seba::Migration> migrations() const override { return Desk::migrations(); }

    void start(seba::PluginContext& context) override {
        desk_ = std::make_unique<Desk>(context);
        desk_->refresh();
        context.log().info("started: {} opportunities, {} skills categories",
                           desk_->catalog().opportunities().size(),
                           desk_->catalog().categories().size());
    }

    // The screens first (they hold references into the citizen), then the citizen.
    void end_session() override {
        reset();
        desk_->forget_citizen();
    }

    void stop() override {
        ScreenView::reset();
        desk_.reset();
    }

    void draw(seba::ui::Ui& ui) override {
        desk_->refresh();
        ScreenView::draw(ui);
    }

    void draw_operator(seba::ui::Ui& ui) override {
        desk_->refresh();
        seba::nise::draw_operator_page(ui, *desk_);
    }

    Desk& desk() override { return *desk_; }

  private:
    std::unique_ptr<Desk> desk_;
};

}  // namespace

SEBA_PLUGIN(Nise)
