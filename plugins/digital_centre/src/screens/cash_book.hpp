// SPDX-License-Identifier: Apache-2.0
#pragma once

// The operator's page, behind the PIN: receipts not printed, the day's requests and fees,
// and closing the day against the cash counted.

#include <string>

#include "screens.hpp"

namespace seba::dc {

class CashBookPage {
  public:
    explicit CashBookPage(Centre& centre) : centre_(centre) {}
    void draw(Ui& ui);

  private:
    void unprinted_receipts(Ui& ui);
    void close_form(Ui& ui, const DayTotals& totals);

    Centre& centre_;
    std::string problem_;  // why the day could not be closed
};

}  // namespace seba::dc
