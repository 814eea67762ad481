// SPDX-License-Identifier: Apache-2.0
#pragma once

// The citizen's screens of the portal, one file each:
//
//   Home ─┬─ (a search result) ──────────────┬─ Office
//         ├─ Browse ─ Browse ─ ... ─ Browse ─┘
//         └─ Near ──────────────────────────── Office
//
// Back from any screen returns to the one below it.

#include <optional>
#include <seba/sdk.hpp>
#include <string>

#include "../portal.hpp"

namespace seba::portal {

using seba::ui::Navigator;

class HomeScreen final : public ui::Screen {
  public:
    explicit HomeScreen(Portal& portal) : portal_(portal) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Portal& portal_;
};

/// The places under one place, and its office when it has one.
class BrowseScreen final : public ui::Screen {
  public:
    BrowseScreen(Portal& portal, PlaceRef place) : portal_(portal), place_(std::move(place)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Portal& portal_;
    const PlaceRef place_;
};

/// An office: how to reach it, its citizen charter, forms and notices; printing them.
class OfficeScreen final : public ui::Screen {
  public:
    OfficeScreen(Portal& portal, PlaceRef place) : portal_(portal), place_(std::move(place)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    void print(Ui& ui, const print::Document& document);

    Portal& portal_;
    const PlaceRef place_;
    std::string printing_;  // the reference of the last paper queued from this page
};

/// Offices with coordinates, nearest to this centre first.
class NearScreen final : public ui::Screen {
  public:
    explicit NearScreen(Portal& portal) : portal_(portal) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Portal& portal_;
};

/// Opens a place: its office page when it has office details and no places under it (a
/// union, an office), else the places under it.
void open_place(Portal& portal, Navigator& nav, const Place& place);

/// The operator's page: which channels feed the directory, and the centre's coordinates.
void draw_operator_page(Ui& ui, Portal& portal);

}  // namespace seba::portal
