// SPDX-License-Identifier: Apache-2.0
// MuktoPaath: free courses at the kiosk. A citizen finds a course, enrols (name and phone,
// sealed to the server), studies the lessons this kiosk keeps offline, passes the quiz and
// leaves with a certificate signed by this kiosk that anyone can check offline; a "Verify a
// certificate" screen checks one. docs/muktopaath.md describes the catalog, content, events
// and the learners channel.
#include <memory>
#include <seba/sdk.hpp>

#include "muktopaath.hpp"
#include "screens/screens.hpp"

namespace {

using seba::mp::Academy;

class MuktoPaath final : public seba::Plugin,
                         public seba::ui::ScreenView,
                         public seba::ui::OperatorView {
  public:
    MuktoPaath()
        : ScreenView([this] { return std::make_unique<seba::mp::HomeScreen>(*academy_); }) {}

    std::span<const seba::Migration> migrations() const override {
        return seba::mp::LearnerBook::migrations();
    }

    void start(seba::PluginContext& context) override {
        spdlog::logger* log = &context.log();
        // A kiosk without one of these still offers what it can; the screens say what not.
        seba::mp::Services services;
        try {
            services.files = &context.files();
        } catch (const seba::Error& e) {
            log->warn("content files unavailable: {}", e.what());
        }
        try {
            services.credentials = &context.credentials();
        } catch (const seba::Error& e) {
            log->warn("credentials unavailable: {}", e.what());
        }
        try {
            services.scanner = &context.scanner();
        } catch (const seba::Error& e) {
            log->warn("camera unavailable: {}", e.what());
        }
        const seba::Settings& settings = context.settings();
        // The fleet may name the centre; otherwise it is the one the kiosk enrolled for.
        std::string centre = settings.text("centre");
        if (centre.empty()) centre = context.centre();
        academy_ = std::make_unique<Academy>(context.store(), context.printer(), services,
                                             std::move(centre),
                                             settings.integer("disk_budget_mb") * 1024 * 1024,
                                             [log](const std::string& w) { log->warn("{}", w); });
        academy_->phone_region = settings.text("phone_region");
        log->info("started: {} courses enabled here", academy_->courses("", "en").size());
    }

    void end_session() override {
        reset();
        if (academy_) academy_->end_session();
    }

    void stop() override {
        ScreenView::reset();
        academy_.reset();
    }

    void draw_operator(seba::ui::Ui& ui) override { seba::mp::draw_operator_page(ui, *academy_); }

  private:
    std::unique_ptr<Academy> academy_;
};

}  // namespace

SEBA_PLUGIN(MuktoPaath)
