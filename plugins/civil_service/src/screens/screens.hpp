// SPDX-License-Identifier: Apache-2.0
#pragma once

// The citizen's screens of the complaints desk, one file each, and the operator's page.
//
//   Home ─┬─ Category ── Service ── Details ── Review ══> Slip   (══> : home, then push)
//         └─ Check
//
// Filing is five steps; leaving at any of them (Back, Home, the session's end) writes
// nothing, and the words typed are wiped with the screen that drew their field.

#include <seba/sdk.hpp>
#include <string>
#include <vector>

#include "../desk.hpp"

namespace seba::civil {

using seba::ui::Navigator;
using seba::ui::Ui;

/// "File a complaint" and "Check a complaint" as large tiles.
class HomeScreen final : public ui::Screen {
  public:
    explicit HomeScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Desk& desk_;
};

/// What went wrong, by pictogram.
class CategoryScreen final : public ui::Screen {
  public:
    explicit CategoryScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override;
    Step step() const override { return {1, 5}; }

  private:
    Desk& desk_;
};

/// Which service it was about, by list or search; skippable.
class ServiceScreen final : public ui::Screen {
  public:
    ServiceScreen(Desk& desk, std::string category) : desk_(desk), category_(std::move(category)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Desk& desk_;
    const std::string category_;
};

/// Common phrases as chips, and the citizen's own words (optional).
class DetailsScreen final : public ui::Screen {
  public:
    DetailsScreen(Desk& desk, std::string category, std::string service)
        : desk_(desk), category_(std::move(category)), service_(std::move(service)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Desk& desk_;
    const std::string category_, service_;
    std::vector<bool> picked_;  // by phrases() index
};

/// What will be sent, what happens to it, consent, and Send.
class ReviewScreen final : public ui::Screen {
  public:
    ReviewScreen(Desk& desk, std::string category, std::string service,
                 std::vector<std::string> phrases)
        : desk_(desk),
          category_(std::move(category)),
          service_(std::move(service)),
          phrases_(std::move(phrases)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    void send(Ui& ui, Navigator& nav);

    Desk& desk_;
    const std::string category_, service_;
    const std::vector<std::string> phrases_;
    bool agreed_ = false;
    std::string problem_;
};

/// The reference on screen while its slip prints.
class SlipScreen final : public ui::Screen {
  public:
    SlipScreen(Desk& desk, std::string reference) : desk_(desk), reference_(std::move(reference)) {}
    void draw(Ui& ui, Navigator& nav) override;
    Step step() const override { return {5, 5}; }

  private:
    Desk& desk_;
    const std::string reference_;
};

/// A complaint's state by its reference, however it was typed.
class CheckScreen final : public ui::Screen {
  public:
    explicit CheckScreen(Desk& desk) : desk_(desk) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Desk& desk_;
    std::string checked_;  // what the field held when Check was tapped
};

/// The operator's page: open complaints filed here, and counts by category.
void draw_operator_page(Ui& ui, Desk& desk);

/// The id of the field of the citizen's own words.
inline constexpr std::string_view kTextField = "civil_service.text";

/// ui.tr(english) with {0} filled in; English if a translation lost the {0}.
std::string tr_format(Ui& ui, const std::string& english, std::string_view arg);

}  // namespace seba::civil
