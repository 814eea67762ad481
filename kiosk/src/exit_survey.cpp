// SPDX-License-Identifier: Apache-2.0
// The exit survey (seba/ui/exit_survey.hpp): one question a screen, each a large pictogram
// the citizen may tap to hear it, answered with big tiles or a number pad, skipped with one
// tap. The answers live in memory shared by the survey's screens until the last one records
// them; they go with the screens (Back, Home, the end of the session) and nothing is kept.
#include "seba/ui/exit_survey.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <utility>

#include "seba/error.hpp"
#include "seba/plugin_store.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/icons.hpp"
#include "seba/ui/shell_access.hpp"

namespace seba::ui {

namespace {

/// What the survey's screens share: the service it is about and the answers so far.
struct Answers {
    PluginStore& store;
    tcv::Delivered delivered;
    std::string service_name;
    tcv::Survey survey;
    bool recorded = false;  // the last screen recorded them: every earlier one leads home
};
using Shared = std::shared_ptr<Answers>;

// The questions' order: "Step 1 of 5" ... "Step 5 of 5" above them.
constexpr int kQuestions = 5;

/// `text` with {0} replaced by `value` written in the citizen's digits.
std::string with_number(const Ui& ui, std::string text, std::int64_t value) {
    if (std::size_t at = text.find("{0}"); at != std::string::npos)
        text.replace(at, 3, ui.digits(std::to_string(value)));
    return text;
}

/// The whole number a number field holds; nullopt when empty or too long to be one (a field
/// takes at most a few digits; anything longer is refused as out of range by the caller).
std::optional<std::int64_t> whole_number(std::string_view text) {
    const std::string ascii = ascii_digits(text);
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(ascii.data(), ascii.data() + ascii.size(), value);
    if (ascii.empty() || error != std::errc() || end != ascii.data() + ascii.size() || value < 0)
        return std::nullopt;
    return value;
}

/// The question: a full-width tile with its pictogram, which reads the question aloud when
/// tapped. Said by itself too when the citizen turned read-aloud on, as a heading is.
void question(Ui& ui, std::string_view id, const std::string& text, std::string_view pictogram,
              const std::string& more = {}) {
    UiState& state = ShellAccess::state(ui);
    const std::string whole = more.empty() ? text : text + " " + more;
    state.say_once(whole);
    const std::string hint = ui.can_read_aloud() ? ui.kit_tr("Tap to hear the question") : "";
    if (ui.tile(id, text, hint, pictogram) && !state.read_aloud) ui.read_aloud(whole);
    if (!more.empty()) ui.paragraph(std::string(id) + ".more", more);
}

bool skip(Ui& ui) {
    return ui.button("survey.skip", ui.kit_tr("Skip this question"), ButtonStyle::Secondary, true,
                     icon::skip);
}

/// A survey of the same service holding no answer yet: what a single answer is checked in.
tcv::Survey probe(const Answers& answers) {
    tcv::Survey survey;
    survey.tracking = answers.delivered.tracking;
    survey.service = answers.delivered.service;
    survey.currency = answers.delivered.currency;
    return survey;
}

/// An int for the survey, kept out of range when the typed number is beyond an int.
int clamp_to_int(std::int64_t value) {
    return static_cast<int>(std::clamp<std::int64_t>(value, -1, 1'000'000));
}

/// A number the citizen types (the keypad opens on it when `keypad_now`), checked with the
/// survey's own rule: `problem_of` says what is wrong with a value, as tcv::check does, and
/// its message shows under the field in the citizen's language. Returns the value once the
/// citizen pressed Next with a good one.
std::optional<std::int64_t> number_form(Ui& ui, std::string_view form, std::string_view field,
                                        const std::string& label, std::size_t max_digits,
                                        std::function<tcv::Problem(std::int64_t)> problem_of,
                                        bool keypad_now, const std::string& currency = {}) {
    const UiState& state = ShellAccess::state(ui);
    FieldSpec spec;
    spec.kind = FieldKind::Number;
    spec.required = true;
    spec.max_chars = max_digits;
    // Holds no reference to this frame: the kit may keep the spec of the focused field.
    spec.validate = [problem_of = std::move(problem_of), catalog = state.kit_catalog,
                     language = state.language](std::string_view text) -> std::string {
        const std::optional<std::int64_t> value = whole_number(text);
        // Digits only reach here: a number too long to read is out of any range.
        const tcv::Problem problem = problem_of(value.value_or(-1));
        if (problem == tcv::Problem::None) return {};
        const std::string english(tcv::describe(problem));
        return catalog ? catalog->translate(language, english) : english;
    };
    ui.begin_form(form);
    if (keypad_now) ui.focus(field);
    const FieldResult typed = ui.field(field, label, spec);
    const std::optional<std::int64_t> value = typed.valid ? whole_number(typed.text) : std::nullopt;
    // An amount as the citizen reads money in the centre's currency, under what they type.
    if (!currency.empty())
        ui.paragraph(std::string(form) + ".money",
                     ui.money(whole_number(typed.text).value_or(0), currency));
    const bool next = ui.submit(std::string(form) + ".next", ui.kit_tr("Next"), icon::forward);
    ui.end_form();
    if (next && value) return value;
    return std::nullopt;
}

class ThankYouScreen final : public Screen {
  public:
    explicit ThankYouScreen(bool saved) : saved_(saved) {}
    void draw(Ui& ui, Navigator& nav) override {
        ui.heading("survey.thanks.title", ui.kit_tr("Thank you!"));
        if (saved_)
            ui.banner("survey.thanks.saved", Tone::Success,
                      ui.kit_tr("Your answers help improve this service."));
        else
            ui.banner("survey.thanks.not_saved", Tone::Warning,
                      ui.kit_tr("Your answers could not be saved. Your request is not affected."));
        if (ui.button("survey.thanks.home", ui.kit_tr("Home"), ButtonStyle::Primary, true,
                      icon::home))
            nav.home();
    }

  private:
    const bool saved_;
};

/// One question's screen: the shared answers, and home once they are recorded.
class QuestionScreen : public Screen {
  public:
    QuestionScreen(Shared answers, int number) : answers_(std::move(answers)), number_(number) {}
    Step step() const override { return {number_, kQuestions}; }
    void draw(Ui& ui, Navigator& nav) final {
        // Back from the thank-you page: the answers went out; asking again would send them twice.
        if (answers_->recorded) return nav.home();
        ask(ui, nav);
    }

  protected:
    virtual void ask(Ui& ui, Navigator& nav) = 0;
    tcv::Survey& survey() { return answers_->survey; }
    Shared answers_;

    /// The last answer given: the survey is recorded once, here, and the thank-you follows.
    void finish(Ui& ui, Navigator& nav) {
        tcv::Survey survey = answers_->survey;
        survey.tracking = answers_->delivered.tracking;
        survey.service = answers_->delivered.service;
        survey.currency = answers_->delivered.currency;
        survey.language = std::string(ui.language());
        bool saved = true;
        try {
            tcv::record_survey(answers_->store, survey);
        } catch (const Error&) {
            saved = false;  // a full disk, say: the request itself was stored before
        }
        answers_->recorded = saved;
        nav.push<ThankYouScreen>(saved);
    }

  private:
    const int number_;
};

class RatingScreen final : public QuestionScreen {
  public:
    explicit RatingScreen(Shared answers) : QuestionScreen(std::move(answers), 5) {}

  protected:
    void ask(Ui& ui, Navigator& nav) override {
        question(ui, "survey.rating.question", ui.kit_tr("How was the service today?"),
                 icon::rating);
        struct Face {
            std::string_view pictogram;
            const char* word;
        };
        static constexpr std::array<Face, 5> kFaces = {{
            {icon::very_dissatisfied, "Very bad"},
            {icon::dissatisfied, "Bad"},
            {icon::neutral, "Neither good nor bad"},
            {icon::satisfied, "Good"},
            {icon::very_satisfied, "Very good"},
        }};
        ui.begin_tiles("survey.rating.faces");
        std::optional<int> chosen;
        for (std::size_t i = 0; i < kFaces.size(); ++i)
            if (ui.tile("survey.rating." + std::to_string(i + 1), ui.kit_tr(kFaces[i].word), {},
                        kFaces[i].pictogram))
                chosen = static_cast<int>(i) + 1;
        ui.end_tiles();
        const bool skipped = skip(ui);
        if (!chosen && !skipped) return;
        survey().rating = chosen;
        finish(ui, nav);
    }
};

class ExtraAmountScreen final : public QuestionScreen {
  public:
    explicit ExtraAmountScreen(Shared answers) : QuestionScreen(std::move(answers), 4) {}

  protected:
    void ask(Ui& ui, Navigator& nav) override {
        question(ui, "survey.extra_amount.question", ui.kit_tr("How much did you pay extra?"),
                 icon::paid_extra);
        tcv::Survey checked = probe(*answers_);
        checked.paid_extra = true;
        auto problem = [checked](std::int64_t amount) mutable {
            checked.extra_amount = amount;
            return tcv::check(checked);
        };
        std::optional<std::int64_t> amount =
            number_form(ui, "survey.extra_amount", "survey.extra_amount.value", ui.kit_tr("Amount"),
                        9, problem, first_frame_, answers_->delivered.currency);
        first_frame_ = false;
        const bool skipped = skip(ui);
        if (!amount && !skipped) return;
        survey().extra_amount = amount;
        nav.push<RatingScreen>(answers_);
    }

  private:
    bool first_frame_ = true;  // the keypad opens at once: the amount is all it asks
};

class PaidExtraScreen final : public QuestionScreen {
  public:
    explicit PaidExtraScreen(Shared answers) : QuestionScreen(std::move(answers), 4) {}

  protected:
    void ask(Ui& ui, Navigator& nav) override {
        question(ui, "survey.extra.question",
                 ui.kit_tr("Did you pay anyone extra, beyond the receipt?"), icon::paid_extra,
                 ui.kit_tr("Your answer is not linked to your name."));
        ui.begin_tiles("survey.extra.answers");
        const bool yes = ui.tile("survey.extra.yes", ui.kit_tr("Yes"), {}, icon::done);
        const bool no = ui.tile("survey.extra.no", ui.kit_tr("No"), {}, icon::close);
        ui.end_tiles();
        const bool skipped = skip(ui);
        if (yes) {
            survey().paid_extra = true;
            survey().extra_amount.reset();
            return nav.push<ExtraAmountScreen>(answers_);
        }
        if (!no && !skipped) return;
        survey().paid_extra = no ? std::optional<bool>(false) : std::nullopt;
        survey().extra_amount.reset();
        nav.push<RatingScreen>(answers_);
    }
};

class JourneyCostScreen final : public QuestionScreen {
  public:
    explicit JourneyCostScreen(Shared answers) : QuestionScreen(std::move(answers), 3) {}

  protected:
    void ask(Ui& ui, Navigator& nav) override {
        question(ui, "survey.cost.question",
                 ui.kit_tr("How much did your journey here cost, one way?"), icon::journey_cost);
        // The field first: typing, the keypad covers what is below it, not what is typed.
        auto problem = [checked = probe(*answers_)](std::int64_t cost) mutable {
            checked.travel_cost = cost;
            return tcv::check(checked);
        };
        std::optional<std::int64_t> cost =
            number_form(ui, "survey.cost", "survey.cost.value", ui.kit_tr("Amount"), 9, problem,
                        false, answers_->delivered.currency);
        ui.begin_tiles("survey.cost.chips");
        const bool nothing = ui.tile("survey.cost.nothing", ui.kit_tr("Nothing"),
                                     ui.kit_tr("I walked, or came for free"), icon::walked);
        ui.end_tiles();
        const bool skipped = skip(ui);
        if (nothing) cost = 0;
        if (!cost && !skipped) return;
        survey().travel_cost = cost;
        nav.push<PaidExtraScreen>(answers_);
    }
};

class JourneyTimeScreen final : public QuestionScreen {
  public:
    explicit JourneyTimeScreen(Shared answers) : QuestionScreen(std::move(answers), 2) {}

  protected:
    void ask(Ui& ui, Navigator& nav) override {
        question(ui, "survey.minutes.question",
                 ui.kit_tr("How long was your journey here, one way?"), icon::journey_time);
        static constexpr std::array kChips = {15, 30, 60, 90, 120};
        std::optional<std::int64_t> minutes;
        // Above the choices once asked for: the keypad covers what is below the field.
        if (other_) {
            auto problem = [checked = probe(*answers_)](std::int64_t value) mutable {
                checked.travel_minutes = clamp_to_int(value);
                return tcv::check(checked);
            };
            if (std::optional<std::int64_t> typed =
                    number_form(ui, "survey.minutes", "survey.minutes.value",
                                ui.kit_tr("Minutes, one way"), 5, problem, ask_keypad_))
                minutes = typed;
            ask_keypad_ = false;
        }
        ui.begin_tiles("survey.minutes.chips");
        for (int chip : kChips)
            if (ui.tile("survey.minutes." + std::to_string(chip),
                        with_number(ui, ui.kit_tr("{0} minutes"), chip), {}, icon::schedule))
                minutes = chip;
        if (ui.tile("survey.minutes.other", ui.kit_tr("Other"), {}, icon::edit)) {
            other_ = true;
            ask_keypad_ = true;
        }
        ui.end_tiles();
        const bool skipped = skip(ui);
        if (!minutes && !skipped) return;
        survey().travel_minutes =
            minutes ? std::optional<int>(static_cast<int>(*minutes)) : std::nullopt;
        nav.push<JourneyCostScreen>(answers_);
    }

  private:
    bool other_ = false;
    bool ask_keypad_ = false;
};

class VisitsScreen final : public QuestionScreen {
  public:
    explicit VisitsScreen(Shared answers) : QuestionScreen(std::move(answers), 1) {}

  protected:
    void ask(Ui& ui, Navigator& nav) override {
        question(ui, "survey.visits.question",
                 ui.kit_tr("How many times did you come for this service, today included?"),
                 icon::visits);
        std::optional<std::int64_t> visits;
        // Above the choices once asked for: the keypad covers what is below the field.
        if (more_) {
            auto problem = [checked = probe(*answers_)](std::int64_t value) mutable {
                checked.visits = clamp_to_int(value);
                return tcv::check(checked);
            };
            if (std::optional<std::int64_t> typed =
                    number_form(ui, "survey.visits", "survey.visits.value",
                                ui.kit_tr("Number of times"), 4, problem, ask_keypad_))
                visits = typed;
            ask_keypad_ = false;
        }
        ui.begin_tiles("survey.visits.counts");
        for (int n = 1; n <= 5; ++n)
            if (ui.tile("survey.visits." + std::to_string(n), ui.digits(std::to_string(n)), {},
                        icon::person))
                visits = n;
        if (ui.tile("survey.visits.more", ui.kit_tr("More"), {}, icon::add)) {
            more_ = true;
            ask_keypad_ = true;
        }
        ui.end_tiles();
        const bool skipped = skip(ui);
        if (!visits && !skipped) return;
        survey().visits = visits ? std::optional<int>(static_cast<int>(*visits)) : std::nullopt;
        nav.push<JourneyTimeScreen>(answers_);
    }

  private:
    bool more_ = false;
    bool ask_keypad_ = false;
};

class ConsentScreen final : public Screen {
  public:
    explicit ConsentScreen(Shared answers) : answers_(std::move(answers)) {}
    void draw(Ui& ui, Navigator& nav) override {
        if (answers_->recorded) return nav.home();
        ui.heading("survey.title", ui.kit_tr("Tell us about your visit"));
        if (!answers_->service_name.empty()) ui.paragraph("survey.service", answers_->service_name);
        question(ui, "survey.consent.question",
                 ui.kit_tr("Will you answer 5 short questions about your visit?"), icon::survey,
                 ui.kit_tr("It helps improve this service. Your name is not asked."));
        ui.begin_tiles("survey.consent.answers");
        const bool yes = ui.tile("survey.consent.yes", ui.kit_tr("Yes"), {}, icon::done);
        const bool no = ui.tile("survey.consent.no", ui.kit_tr("No"), {}, icon::close);
        ui.end_tiles();
        if (yes) {
            answers_->survey = {};  // a fresh start, whatever an earlier try answered
            nav.push<VisitsScreen>(answers_);
        } else if (no) {
            nav.back();
        }
    }

  private:
    Shared answers_;
};

}  // namespace

std::unique_ptr<Screen> exit_survey(PluginStore& store, const tcv::Delivered& delivered,
                                    std::string service_name) {
    auto answers = std::make_shared<Answers>(
        Answers{store, delivered, std::move(service_name), tcv::Survey{}, false});
    return std::make_unique<ConsentScreen>(std::move(answers));
}

}  // namespace seba::ui
