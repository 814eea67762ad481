// SPDX-License-Identifier: Apache-2.0
// The Digital Centre: what a citizen comes to the kiosk for. Browse or search the services
// the centre offers, see what to bring and what it costs, fill in the service's form (its
// fields and rules come with the catalog), review, confirm, and leave with a receipt that
// carries a QR code of the tracking number. docs/digital-centre.md describes the catalog;
// screens/screens.hpp maps the screens.
#include <memory>
#include <seba/sdk.hpp>

#include "centre.hpp"
#include "screens/cash_book.hpp"
#include "screens/screens.hpp"

namespace {

using seba::dc::Centre;

class DigitalCentre final : public seba::Plugin,
                            public seba::ui::ScreenView,
                            public seba::ui::OperatorView {
  public:
    DigitalCentre()
        : ScreenView([this] { return std::make_unique<seba::dc::HomeScreen>(*centre_); }) {}

    std::span<const seba::Migration> migrations() const override {
        return seba::dc::RequestBook::migrations();
    }

    void start(seba::PluginContext& context) override {
        centre_ = std::make_unique<Centre>(context);
        cash_book_ = std::make_unique<seba::dc::CashBookPage>(*centre_);
        context.log().info("started: {} categories", centre_->catalog().categories().size());
    }

    void end_session() override { reset(); }

    void stop() override {
        cash_book_.reset();
        centre_.reset();
    }

    void draw(seba::ui::Ui& ui) override {
        centre_->refresh();
        centre_->arrived();  // the visit starts with the first screen drawn
        ScreenView::draw(ui);
    }

    void reset() override {
        ScreenView::reset();
        centre_->forget_visit();
    }

    void draw_operator(seba::ui::Ui& ui) override { cash_book_->draw(ui); }

  private:
    std::unique_ptr<Centre> centre_;
    std::unique_ptr<seba::dc::CashBookPage> cash_book_;
};

}  // namespace

SEBA_PLUGIN(DigitalCentre)
