// SPDX-License-Identifier: Apache-2.0
// INTERIM (matches' branch): stand-ins for the home, profile, return and save screens
// (screens.hpp, part 1) so that the plugin links before that part lands. Delete this file and
// its line in CMakeLists.txt when home.cpp, profile_screens.cpp, return.cpp and save.cpp arrive.
#include "screens.hpp"

namespace seba::nise {

namespace {

class Home final : public ui::Screen {
  public:
    explicit Home(Desk& desk) : desk_(desk) {}
    void draw(ui::Ui& ui, ui::Navigator& nav) override {
        ui.heading("nise.title", ui.tr("Jobs and training"));
        ui.begin_tiles("nise.home");
        if (ui.tile("nise.home.matches", ui.tr("Jobs and training for you"), {}, ui::icon::work))
            nav.push(matches_screen(desk_));
        if (ui.tile("nise.home.check", ui.tr("Check a referral"), {}, ui::icon::search))
            nav.push(check_screen(desk_));
        if (ui.tile("nise.home.return", "I have a profile", {}, ui::icon::person))
            nav.push(return_screen(desk_));
        ui.end_tiles();
    }

  private:
    Desk& desk_;
};

class Pending final : public ui::Screen {
  public:
    explicit Pending(std::string id) : id_(std::move(id)) {}
    void draw(ui::Ui& ui, ui::Navigator&) override { ui.heading(id_, ui.tr("Jobs and training")); }

  private:
    std::string id_;
};

// Phone (a Bangladesh number as typed) and return code, then a button to the matches.
class Return final : public ui::Screen {
  public:
    explicit Return(Desk& desk) : desk_(desk) {}
    void draw(ui::Ui& ui, ui::Navigator& nav) override {
        ui.heading("nise.return.title", ui.tr("Jobs and training"));
        if (desk_.has_citizen() && !desk_.citizen().login.empty()) {
            if (ui.button("nise.me.matches", "Matches", ui::ButtonStyle::Primary))
                nav.push(matches_screen(desk_));
            return;
        }
        ui::FieldSpec phone;
        phone.kind = ui::FieldKind::Phone;
        const std::string typed(ui.field("nise.return.phone", "Phone", phone).text);
        ui.field("nise.return.code", "Code", ui::FieldSpec{});
        if (ui.button("nise.return.open", "Open", ui::ButtonStyle::Primary)) {
            const std::string e164 = typed.starts_with("0") ? "+880" + typed.substr(1) : typed;
            const std::optional<std::string> code =
                return_code::normalise(ui.field_text("nise.return.code"));
            if (code)
                if (std::optional<Citizen> found = desk_.profiles().sign_in(e164, *code))
                    desk_.set_citizen(std::move(*found));
        }
    }

  private:
    Desk& desk_;
};

// Saves with the citizen's consent (what part 1's save screen does after its form).
class Save final : public ui::Screen {
  public:
    Save(Desk& desk, std::function<void(ui::Navigator&)> then)
        : desk_(desk), then_(std::move(then)) {}
    void draw(ui::Ui& ui, ui::Navigator& nav) override {
        ui.heading("nise.save.title", ui.tr("Jobs and training"));
        ui::FieldSpec spec;
        ui.field("nise.save.name", "Name", spec);
        if (ui.button("nise.save.send", "Save", ui::ButtonStyle::Primary)) {
            desk_.citizen().consented = true;
            desk_.profiles().save(desk_.citizen());
            then_(nav);
        }
    }

  private:
    Desk& desk_;
    std::function<void(ui::Navigator&)> then_;
};

}  // namespace

std::unique_ptr<ui::Screen> home_screen(Desk& desk) {
    return std::make_unique<Home>(desk);
}
std::unique_ptr<ui::Screen> profile_screen(Desk&) {
    return std::make_unique<Pending>("nise.edu.title");
}
std::unique_ptr<ui::Screen> return_screen(Desk& desk) {
    return std::make_unique<Return>(desk);
}
std::unique_ptr<ui::Screen> save_screen(Desk& desk, std::function<void(ui::Navigator&)> then) {
    return std::make_unique<Save>(desk, std::move(then));
}

}  // namespace seba::nise
