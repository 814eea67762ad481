// SPDX-License-Identifier: Apache-2.0
// Filing a complaint: what went wrong (a pictogram), which service (skippable), phrases and
// the citizen's own words (optional), then a review with consent. Only Send writes anything.
#include <fmt/format.h>
#include <sodium.h>

#include "../categories.hpp"
#include "screens.hpp"

namespace seba::civil {

std::string tr_format(Ui& ui, const std::string& english, std::string_view arg) {
    try {
        return fmt::format(fmt::runtime(ui.tr(english)), arg);
    } catch (const fmt::format_error&) {
        return fmt::format(fmt::runtime(english), arg);
    }
}

void CategoryScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("civil_service.category.title", ui.tr("What went wrong?"));
    ui.begin_tiles("civil_service.categories");
    for (const Category& c : categories())
        if (ui.tile("civil_service.cat." + std::string(c.id), ui.tr(std::string(c.name)), {},
                    c.icon))
            nav.push<ServiceScreen>(desk_, std::string(c.id));
    ui.end_tiles();
}

void ServiceScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("civil_service.service.title", ui.tr("Which service was it about?"));
    if (ui.button("civil_service.service.none", ui.tr("Not about one service"),
                  ui::ButtonStyle::Primary, true, ui::icon::forward))
        nav.push<DetailsScreen>(desk_, category_, std::string());
    if (desk_.services().empty()) return;  // the catalog has not reached this kiosk: skip only
    ui::FieldSpec spec;
    spec.max_chars = 40;
    ui::FieldResult query =
        ui.field("civil_service.service.query", ui.tr("Name of the service (optional)"), spec);
    std::vector<const ServiceName*> shown;
    if (query.text.empty()) {
        // A long catalog is found by name; the first ones stand in for the list.
        constexpr std::size_t kListed = 30;
        for (const ServiceName& s : desk_.services())
            if (shown.size() < kListed) shown.push_back(&s);
        if (desk_.services().size() > kListed)
            ui.paragraph("civil_service.service.more",
                         ui.tr("Type a few letters of its name to find the others."));
    } else {
        shown = desk_.search(query.text);
        if (shown.empty())
            ui.paragraph("civil_service.service.no_match",
                         ui.tr("No service matches. Try fewer letters."));
    }
    for (const ServiceName* s : shown)
        if (ui.list_row("civil_service.svc." + s->id, s->in(ui.language()), {},
                        s->icon.empty() ? std::string(ui::icon::next) : s->icon))
            nav.push<DetailsScreen>(desk_, category_, s->id);
}

void DetailsScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("civil_service.details.title", ui.tr("Tell us more"));
    ui.paragraph("civil_service.details.hint",
                 ui.tr("Tap what happened, or write it in your own words. Both are optional."));
    const auto all = phrases();
    picked_.resize(all.size(), false);
    for (std::size_t i = 0; i < all.size(); ++i) {
        bool ticked = picked_[i];
        ui.checkbox("civil_service.phrase." + std::string(all[i].id),
                    ui.tr(std::string(all[i].text)), ticked);
        picked_[i] = ticked;
    }
    ui.begin_form("civil_service.details.form");
    ui::FieldSpec spec;
    // The kit holds a little more than the limit, so that a text too long is said to be so
    // rather than cut off without a word.
    spec.max_chars = kMaxTextChars + 100;
    spec.validate = [&ui](std::string_view text) -> std::string {
        const std::size_t n = utf8::count(text);
        if (n <= kMaxTextChars) return {};
        return tr_format(ui, "Please shorten it to 500 characters or fewer (now {0})",
                         ui.digits(std::to_string(n)));
    };
    ui.field(kTextField, ui.tr("In your own words"), spec);
    if (ui.submit("civil_service.details.next", ui.tr("Next"), ui::icon::forward)) {
        std::vector<std::string> chosen;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (picked_[i]) chosen.emplace_back(all[i].id);
        nav.push<ReviewScreen>(desk_, category_, service_, std::move(chosen));
    }
    ui.end_form();
}

void ReviewScreen::draw(Ui& ui, Navigator& nav) {
    ui.heading("civil_service.review.title", ui.tr("Check your complaint"));
    ui.answer("civil_service.review.category", ui.tr("About"), category_word(ui, category_), false);
    const ServiceName* s = desk_.service(service_);
    ui.answer("civil_service.review.service", ui.tr("Service"),
              s ? s->in(ui.language()) : ui.tr("Not about one service"), false);
    // One row a phrase, and long words as a paragraph: an answer's value is one line.
    bool change = false;
    if (phrases_.empty())
        change = ui.answer("civil_service.review.phrases", ui.tr("What happened"),
                           ui.tr("Nothing chosen"));
    for (std::size_t i = 0; i < phrases_.size(); ++i)
        if (const Phrase* p = find_phrase(phrases_[i]))
            change |= ui.answer("civil_service.review.phrase." + phrases_[i],
                                i == 0 ? ui.tr("What happened") : std::string(),
                                ui.tr(std::string(p->text)), i == 0);
    if (change) nav.back();
    const std::string_view text = ui.field_text(kTextField);
    const std::size_t chars = utf8::count(text);
    constexpr std::size_t kOnOneLine = 40;
    const std::string shown = text.empty() ? ui.tr("Nothing written")
                              : chars <= kOnOneLine
                                  ? std::string(text)
                                  : ui.trn("{0} character", "{0} characters", chars);
    if (ui.answer("civil_service.review.text", ui.tr("In your own words"), shown)) {
        ui.focus(kTextField);
        nav.back();
    }
    if (chars > kOnOneLine) ui.paragraph("civil_service.review.text.full", text);
    ui.paragraph("civil_service.review.privacy",
                 ui.tr("Your complaint goes to the office that oversees this centre. Your own "
                       "words are locked so that only that office can read them; the centre's "
                       "staff cannot."));
    ui.checkbox("civil_service.review.agree", ui.tr("I want to send this complaint"), agreed_);
    if (!problem_.empty()) ui.message("civil_service.review.problem", ui::Tone::Error, problem_);
    if (ui.button("civil_service.send", ui.tr("Send the complaint"), ui::ButtonStyle::Primary,
                  agreed_, ui::icon::done))
        send(ui, nav);
}

void ReviewScreen::send(Ui& ui, Navigator& nav) {
    PluginContext& context = desk_.context();
    NewGrievance g;
    g.category = category_;
    g.service = service_;
    g.phrases = phrases_;
    g.text = std::string(ui.field_text(kTextField));
    g.language = std::string(ui.language());
    std::string reference;
    try {
        // The complaint, its event and its slip's print job: together or not at all.
        reference = desk_.book().file(g, [&](const std::string& made) {
            if (std::optional<StoredGrievance> stored = desk_.book().find(made))
                desk_.printer().queue(desk_.slip_for(ui, *stored));
        });
    } catch (const GrievanceRefused& e) {
        // Only a text over the limit gets here from the screens (the form said so already).
        context.log().warn("a complaint was refused: {}", e.what());
        problem_ = ui.tr("Please shorten your words to 500 characters or fewer.");
        sodium_memzero(g.text.data(), g.text.size());
        return;
    } catch (const sealing::NoServerKey& e) {
        // Held, never stored in clear: the words stay typed for when the kiosk is enrolled.
        context.log().error("a complaint was not stored: {}", e.what());
        problem_ = ui.tr(
            "This kiosk cannot send complaints yet: it is not connected to its server. Please "
            "try again later or ask at another centre.");
        sodium_memzero(g.text.data(), g.text.size());
        return;
    } catch (const StorageError& e) {
        context.log().error("a complaint was not stored: {}", e.what());
        problem_ = ui.tr(
            "Your complaint was NOT recorded: this kiosk cannot save it right now. "
            "Please try again later.");
        sodium_memzero(g.text.data(), g.text.size());
        return;
    } catch (const std::exception& e) {
        // Anything else (a slip the printer's queue refused): nothing was kept either.
        context.log().error("filing a complaint failed: {}", e.what());
        problem_ = ui.tr(
            "Your complaint was NOT recorded: this kiosk cannot save it right now. "
            "Please try again later.");
        sodium_memzero(g.text.data(), g.text.size());
        return;
    }
    sodium_memzero(g.text.data(), g.text.size());
    // Stored and sealed: the words are no longer needed on this kiosk.
    ui.clear_field(kTextField);
    context.log().info("complaint {} filed ({})", reference, category_);
    // The slip stands alone: Back or Done from it goes to the first screen.
    nav.home();
    nav.push<SlipScreen>(desk_, reference);
}

}  // namespace seba::civil
