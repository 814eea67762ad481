// SPDX-License-Identifier: Apache-2.0
#pragma once

// The operator's page, behind the PIN: receipts not printed, the day's requests and fees,
// and closing the day against the cash counted, after a second step that shows both.

#include <string>

#include "screens.hpp"

namespace seba::dc {

class CashBookPage {
  public:
    explicit CashBookPage(Centre& centre) : centre_(centre) {}
    void draw(Ui& ui);

  private:
    void unprinted_receipts(Ui& ui);
    void close_form(Ui& ui, const DayTotals& totals, const std::string& currency);
    /// The second step: counted against expected, then Close the day for good, or Cancel.
    void confirm_close(Ui& ui, const DayTotals& totals, const std::string& currency,
                       long long counted);
    void close(Ui& ui, long long counted);

    Centre& centre_;
    // Both stand for what the operator had typed when they were made: once the field holds
    // something else (typed again, or wiped as the operator left the page) they are gone.
    std::string confirming_;   // Close the day was tapped with this count
    std::string problem_;      // why the day could not be closed...
    std::string problem_for_;  // ...with this count
};

}  // namespace seba::dc
