// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "seba/ui/ui.hpp"
#include "seba/ui/ui_state.hpp"

namespace seba::ui {

/// The headless kit: draws nothing and records every widget into its UiState's tree.
/// Tests and scripts drive it through the state: tap(id), insert(text), tree_json().
/// Runs without GL or a window.
class SEBA_UI_API Recorder final : public Ui {
  public:
    using Ui::Ui;
};

}  // namespace seba::ui
