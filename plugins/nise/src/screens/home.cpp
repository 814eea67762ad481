// SPDX-License-Identifier: Apache-2.0
// NISE's first screen: four large pictogram tiles (my skills, jobs and training for me, I have a
// profile, check a referral), each said aloud when tapped.
#include "profile_ui.hpp"

namespace seba::nise {

namespace {

class HomeScreen final : public ui::Screen {
  public:
    explicit HomeScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override {
        const std::string title = ui.tr("Jobs and training");
        const std::string intro =
            ui.tr("Tell us what you can do, and see jobs and training near you.");
        ui.heading("nise.title", title);
        ui.paragraph("nise.intro", intro);
        const std::string profile = ui.tr("My skills");
        const std::string matches = ui.tr("Jobs and training for me");
        const std::string back = ui.tr("I have a profile");
        const std::string check = ui.tr("Check a referral");
        ui.begin_tiles("nise.home");
        if (ui.tile("nise.home.profile", profile, {}, ui::icon::school))
            nav.push(profile_screen(desk_));
        if (ui.tile("nise.home.matches", matches, {}, ui::icon::work))
            nav.push(matches_screen(desk_));
        if (ui.tile("nise.home.return", back, ui.tr("Phone number and code"), ui::icon::person))
            nav.push(return_screen(desk_));
        if (ui.tile("nise.home.check", check, {}, ui::icon::fact_check))
            nav.push(check_screen(desk_));
        ui.end_tiles();
        read_page_aloud(ui, "nise.read_aloud",
                        title + ". " + intro + " " + profile + ". " + matches + ". " + back + ". " +
                            check + ".");
    }

  private:
    Desk& desk_;
};

}  // namespace

std::unique_ptr<ui::Screen> home_screen(Desk& desk) {
    return std::make_unique<HomeScreen>(desk);
}

}  // namespace seba::nise
