// SPDX-License-Identifier: Apache-2.0
#pragma once

/// What only the shell may do with a Ui: open the content area and reach the kit's state.
/// Host-only: seba/sdk.hpp does not include this, and plugins must not.

#include "seba/ui/ui.hpp"
#include "seba/ui/ui_state.hpp"

namespace seba::ui {

class ShellAccess {
  public:
    static void begin_content(Ui& ui, std::string_view id, int bottom_rows) {
        ui.begin_content(id, bottom_rows);
    }
    static void end_content(Ui& ui) { ui.end_content(); }
    static void keyboard_columns(Ui& ui, float units) { ui.keyboard_columns(units); }
    static UiState& state(Ui& ui) { return ui.state_; }
};

}  // namespace seba::ui
