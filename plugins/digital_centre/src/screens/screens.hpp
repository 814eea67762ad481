// SPDX-License-Identifier: Apache-2.0
#pragma once

// The citizen's screens of the Digital Centre, one file each. A screen keeps what it shows
// (a service id, a payment choice); the Centre keeps what they share. Moving between them:
//
//   Home ─┬─ Category ─┐
//         ├─ Search ───┴─ Detail ── Form ── Review ══> Receipt   (══> : home, then push)
//         └─ Status
//
// Back from any screen returns to the one below it; Back or Done on a receipt goes home.

#include <optional>
#include <seba/sdk.hpp>
#include <string>

#include "../centre.hpp"

namespace seba::dc {

using seba::ui::Navigator;
using seba::ui::Ui;

class HomeScreen final : public ui::Screen {
  public:
    explicit HomeScreen(Centre& centre) : centre_(centre) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Centre& centre_;
};

class CategoryScreen final : public ui::Screen {
  public:
    CategoryScreen(Centre& centre, std::string category)
        : centre_(centre), category_(std::move(category)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Centre& centre_;
    const std::string category_;
};

class SearchScreen final : public ui::Screen {
  public:
    explicit SearchScreen(Centre& centre) : centre_(centre) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Centre& centre_;
};

/// What to bring, what it costs, who delivers it; Apply starts the form.
class DetailScreen final : public ui::Screen {
  public:
    DetailScreen(Centre& centre, std::string service)
        : centre_(centre), service_(std::move(service)) {}
    void draw(Ui& ui, Navigator& nav) override;
    /// A request's flow: this page, the form, the check, the receipt.
    Step step() const override { return {1, 4}; }

  private:
    Centre& centre_;
    const std::string service_;
};

/// The service's form, its fields and rules from the catalog.
class FormScreen final : public ui::Screen {
  public:
    FormScreen(Centre& centre, std::string service, Centre::Time started)
        : centre_(centre), service_(std::move(service)), started_(started) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Centre& centre_;
    const std::string service_;
    const Centre::Time started_;  // the citizen began the form (Time-Cost-Visit's evidence)
};

/// The request as it will be stored; payment; Confirm stores it with its receipt job.
class ReviewScreen final : public ui::Screen {
  public:
    ReviewScreen(Centre& centre, std::string service, Centre::Time started)
        : centre_(centre), service_(std::move(service)), started_(started) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    void confirm(Ui& ui, Navigator& nav, const Service& s);

    Centre& centre_;
    const std::string service_;
    const Centre::Time started_;
    int payment_ = 0;  // 0 cash, 1 mobile money
    std::string problem_;
};

class ReceiptScreen final : public ui::Screen {
  public:
    ReceiptScreen(Centre& centre, std::string service, std::string tracking, std::string payment)
        : centre_(centre),
          service_(std::move(service)),
          tracking_(std::move(tracking)),
          payment_(std::move(payment)) {}
    void draw(Ui& ui, Navigator& nav) override;
    /// The last step of the flow the detail page began (it replaced every step before it).
    Step step() const override { return {4, 4}; }

  private:
    void reprint(Ui& ui, const Service& s);

    Centre& centre_;
    const std::string service_, tracking_, payment_;
};

/// A request's state by its tracking number, however the citizen typed it: from the
/// server's status channel, or this kiosk's own book before the server has it.
class StatusScreen final : public ui::Screen {
  public:
    explicit StatusScreen(Centre& centre) : centre_(centre) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Centre& centre_;
    std::string checked_;                  // what the field held when Check was tapped
    std::optional<std::string> tracking_;  // it, normalised; nullopt: not a tracking number
};

/// Lists services as rows; a tap opens the service's detail.
void service_rows(Ui& ui, Navigator& nav, Centre& centre,
                  const std::vector<const Service*>& services);

/// The id of a form field in the kit, shared by the form and the review.
std::string field_id(const Service& s, const FormField& f);
/// The rule the field follows, as the catalog has it.
const FormRule& rule_of(const ServiceCatalog& catalog, const FormField& f);

}  // namespace seba::dc
