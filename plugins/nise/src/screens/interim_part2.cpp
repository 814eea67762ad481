// SPDX-License-Identifier: Apache-2.0
// INTERIM (profile screens' branch): stand-ins for the matches, check and operator screens
// (screens.hpp, part 2) so that the plugin links before that part lands. Delete this file and
// its line in CMakeLists.txt when match_screens.cpp, check.cpp and operator_page.cpp arrive.
#include "screens.hpp"

namespace seba::nise {

namespace {
class Pending final : public ui::Screen {
  public:
    explicit Pending(std::string id) : id_(std::move(id)) {}
    void draw(ui::Ui& ui, ui::Navigator&) override { ui.heading(id_, ui.tr("Jobs and training")); }

  private:
    std::string id_;
};
}  // namespace

std::unique_ptr<ui::Screen> matches_screen(Desk&) {
    return std::make_unique<Pending>("nise.matches.title");
}
std::unique_ptr<ui::Screen> check_screen(Desk&) {
    return std::make_unique<Pending>("nise.check.title");
}
void draw_operator_page(ui::Ui& ui, Desk&) {
    ui.heading("nise.operator.title", ui.tr("Jobs and training"));
}

}  // namespace seba::nise
