// SPDX-License-Identifier: Apache-2.0
// Civil Service Reform at the kiosk: a citizen files a complaint about a service or the centre
// (what went wrong by pictogram, which service, common phrases, their own words sealed to the
// server), leaves with a slip whose reference checks the answer later; the operator sees the
// open complaints. docs/civil-service.md, "Grievances"; screens/screens.hpp maps the screens.
#include <memory>
#include <seba/sdk.hpp>

#include "desk.hpp"
#include "screens/screens.hpp"

namespace {

using seba::civil::Desk;

class CivilService final : public seba::Plugin,
                           public seba::ui::ScreenView,
                           public seba::ui::OperatorView {
  public:
    CivilService()
        : ScreenView([this] { return std::make_unique<seba::civil::HomeScreen>(*desk_); }) {}

    std::span<const seba::Migration> migrations() const override {
        return seba::civil::GrievanceBook::migrations();
    }

    void start(seba::PluginContext& context) override {
        desk_ = std::make_unique<Desk>(context);
        context.log().info("started: {} services to complain about", desk_->services().size());
    }

    void end_session() override { reset(); }

    void stop() override {
        ScreenView::reset();
        desk_.reset();
    }

    void draw(seba::ui::Ui& ui) override {
        desk_->refresh();
        ScreenView::draw(ui);
    }

    void draw_operator(seba::ui::Ui& ui) override { seba::civil::draw_operator_page(ui, *desk_); }

  private:
    std::unique_ptr<Desk> desk_;
};

}  // namespace

SEBA_PLUGIN(CivilService)
