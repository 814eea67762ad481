// SPDX-License-Identifier: Apache-2.0
// The National Portal: every office of the country's portal framework, found offline as the
// citizen types or by browsing division > district > upazila > union (region > district >
// village in Uzbekistan), with its citizen charter, forms and notices, printed on request.
// The hierarchy is the search index "portal" a country pack declares (search.indexes); the
// offices' details come with the channel portal.offices. docs/portal.md describes both.
#include <memory>
#include <seba/sdk.hpp>

#include "portal.hpp"
#include "screens/screens.hpp"

namespace {

using seba::portal::Portal;

class NationalPortal final : public seba::Plugin,
                             public seba::ui::ScreenView,
                             public seba::ui::OperatorView {
  public:
    NationalPortal()
        : ScreenView([this] { return std::make_unique<seba::portal::HomeScreen>(*portal_); }) {}

    void start(seba::PluginContext& context) override {
        directory_ = std::make_unique<seba::portal::Directory>(context.store());
        const seba::Settings& settings = context.settings();
        auto centre = seba::portal::parse_coordinates(settings.text("centre_lat"),
                                                      settings.text("centre_lon"));
        if (!centre &&
            !(settings.text("centre_lat").empty() && settings.text("centre_lon").empty()))
            context.log().warn(
                "centre_lat/centre_lon are not coordinates; offices near this "
                "centre are not shown");
        spdlog::logger* log = &context.log();
        portal_ = std::make_unique<Portal>(
            *directory_, context.printer(), centre,
            [log](const std::string& w) { log->warn("{}", w); },
            static_cast<double>(settings.integer("near_km")));
        context.log().info("started{}", centre ? " with the centre's coordinates" : "");
    }

    void end_session() override {
        reset();
        if (directory_) directory_->forget();
    }

    void stop() override {
        ScreenView::reset();
        portal_.reset();
        directory_.reset();
    }

    void draw_operator(seba::ui::Ui& ui) override {
        seba::portal::draw_operator_page(ui, *portal_);
    }

  private:
    std::unique_ptr<seba::portal::Directory> directory_;
    std::unique_ptr<Portal> portal_;
};

}  // namespace

SEBA_PLUGIN(NationalPortal)
