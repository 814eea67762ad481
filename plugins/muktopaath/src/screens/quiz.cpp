// SPDX-License-Identifier: Apache-2.0
// The quiz (questions and options in a new order each attempt, limited attempts with a wait
// between them), its result, and the certificate issued, signed by this kiosk and printed.
#include "screens.hpp"

namespace seba::mp {

namespace {

std::string wait_text(Ui& ui, std::chrono::seconds wait) {
    const auto minutes = static_cast<unsigned long>((wait.count() + 59) / 60);
    return ui.trn("You can try again in {0} minute.", "You can try again in {0} minutes.", minutes);
}

}  // namespace

std::string print_certificate(Ui& ui, Academy& academy, const credentials::Credential& credential,
                              const Course& course) {
    print::Document d = academy.certificate(ui, credential, course);
    academy.printer().queue(d);
    return d.reference;
}

void print_status(Ui& ui, Academy& academy, std::string_view id, const std::string& reference) {
    const std::string base(id);
    switch (academy.printer().status(reference)) {
        case print::Status::Printing:
            ui.message(base + ".printing", ui::Tone::Info, ui.tr("Printing…"));
            break;
        case print::Status::Printed:
            ui.message(base + ".printed", ui::Tone::Success,
                       ui.tr("Printed. Please take your paper."));
            break;
        case print::Status::Failed:
            ui.message(base + ".failed", ui::Tone::Warning,
                       ui.tr("Could not print. Please ask the operator."));
            if (ui.button(base + ".retry", ui.tr("Print again"), ui::ButtonStyle::Secondary, true,
                          "print"))
                academy.printer().retry(reference);
            break;
        default:
            break;
    }
}

void QuizScreen::draw(Ui& ui, Navigator& nav) {
    const Course* c = academy_.course(course_);
    Learner* learner = academy_.learner();
    const Content* content = c ? academy_.content(*c) : nullptr;
    if (!c || !learner || !content) {
        nav.back();
        return;
    }
    ui.heading("muktopaath.quiz.title", ui.tr("Quiz") + ": " + text_in(c->title, ui.language()));
    const LearnerRecord record = academy_.book().record(*learner);
    AttemptHistory history;
    if (auto found = record.courses.find(c->id); found != record.courses.end())
        history = found->second.attempts;
    if (!order_) {
        const AttemptCheck check = check_attempt(*c, history, kiosk_now().at);
        switch (check.outcome) {
            case AttemptCheck::Outcome::AlreadyPassed:
                ui.message("muktopaath.quiz.passed", ui::Tone::Success,
                           ui.tr("You passed this course."));
                return;
            case AttemptCheck::Outcome::NoAttemptsLeft:
                ui.message("muktopaath.quiz.no_attempts", ui::Tone::Warning,
                           ui.tr("You have used every attempt at this quiz."));
                return;
            case AttemptCheck::Outcome::Wait:
                ui.message("muktopaath.quiz.wait", ui::Tone::Info, wait_text(ui, check.wait));
                return;
            case AttemptCheck::Outcome::Allowed:
                break;
        }
        order_ = shuffled(content->questions);
    }
    ui.paragraph("muktopaath.quiz.rules",
                 ui.tr("Pass mark") + ": " + ui.digits(std::to_string(c->pass_mark)) + "% · " +
                     ui.tr("Attempt") + " " + ui.digits(std::to_string(history.used + 1)) + " / " +
                     ui.digits(std::to_string(c->attempts)));
    for (std::size_t n = 0; n < order_->questions.size(); ++n) {
        const std::size_t qi = order_->questions[n];
        const Question& q = content->questions[qi];
        const std::string id = "muktopaath.quiz.q." + q.id;
        ui.heading(id, ui.digits(std::to_string(n + 1)) + ". " + q.text);
        const std::vector<std::size_t>& options = order_->options[qi];
        if (q.multiple) {
            ui.paragraph(id + ".hint", ui.tr("Choose every right answer."));
            for (std::size_t k : options) {
                const Question::Option& o = q.options[k];
                bool ticked = chosen_[q.id].contains(o.id);
                if (ui.checkbox(id + "." + o.id, o.text, ticked)) {
                    if (ticked)
                        chosen_[q.id].insert(o.id);
                    else
                        chosen_[q.id].erase(o.id);
                }
            }
        } else {
            std::vector<std::string> labels;
            for (std::size_t k : options) labels.push_back(q.options[k].text);
            int& selected = single_.try_emplace(q.id, -1).first->second;
            if (ui.choice(id + ".choice", ui.tr("Choose one answer."), labels, selected) &&
                selected >= 0)
                chosen_[q.id] = {q.options[options[static_cast<std::size_t>(selected)]].id};
        }
    }
    if (!problem_.empty()) ui.message("muktopaath.quiz.problem", ui::Tone::Error, problem_);
    if (!ui.button("muktopaath.quiz.submit", ui.tr("Submit my answers"), ui::ButtonStyle::Primary,
                   true, "send"))
        return;
    std::size_t answered = 0;
    for (const Question& q : content->questions)
        answered += chosen_.contains(q.id) && !chosen_[q.id].empty() ? 1 : 0;
    if (answered < content->questions.size()) {
        problem_ = ui.tr("Please answer every question.");
        return;
    }
    const int score = score_percent(content->questions, chosen_);
    const bool passed = score >= c->pass_mark;
    std::optional<credentials::Credential> credential;
    std::string problem;
    try {
        academy_.book().record_attempt(*learner, *c, score, passed, history.used + 1);
        if (passed) {
            if (!academy_.services().credentials) throw Error("this kiosk issues no certificates");
            credentials::Claims claims;
            claims.type = "course-certificate";
            claims.subject = learner->name;
            nlohmann::json title = nlohmann::json::object();
            // Not every language: each one makes the QR denser (Bangla and Cyrillic titles
            // take 2-3 bytes a letter), and every verifier reads one of these.
            for (const auto& [language, text] : c->title)
                if (language == c->language || language == "en" || language == ui.language())
                    title[language] = text;
            claims.achievement = {{"course", c->id},
                                  {"title", title},
                                  {"version", c->version},
                                  {"score_band", score_band(score)}};
            credential = academy_.services().credentials->issue(std::move(claims));
            // The QR's content: a copy printed later must open the public page as this does.
            academy_.book().record_certificate(*learner, *c, credential->claims.id,
                                               score_band(score), credential->qr);
        }
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        problem_ =
            ui.tr("Nothing was recorded: this kiosk cannot save now. Please ask the operator.");
        return;
    } catch (const Error&) {
        problem = ui.tr(
            "The certificate could not be made on this kiosk. Please ask the operator; "
            "your result is kept.");
    }
    nav.replace<ResultScreen>(academy_, c->id, score, passed, std::move(credential), problem);
}

void ResultScreen::draw(Ui& ui, Navigator& nav) {
    const Course* c = academy_.course(course_);
    ui.heading("muktopaath.result.title", ui.tr("Your result"));
    ui.paragraph("muktopaath.result.score",
                 ui.tr("Score") + ": " + ui.digits(std::to_string(score_)) + "%");
    if (!passed_) {
        ui.message("muktopaath.result.failed", ui::Tone::Warning,
                   ui.tr("Not passed this time. Read the lessons again and try later."));
        if (ui.button("muktopaath.result.back", ui.tr("Back to the lessons"),
                      ui::ButtonStyle::Primary, true, "menu_book"))
            nav.back();
        return;
    }
    ui.message("muktopaath.result.passed", ui::Tone::Success,
               ui.tr("Congratulations, you passed!"));
    if (!problem_.empty()) ui.message("muktopaath.result.problem", ui::Tone::Error, problem_);
    if (!credential_ || !c) return;
    if (printing_.empty()) printing_ = print_certificate(ui, academy_, *credential_, *c);
    ui.qr("muktopaath.result.qr", credential_->qr);
    ui.paragraph("muktopaath.result.text", credential_->text);
    print_status(ui, academy_, "muktopaath.result", printing_);
    if (ui.button("muktopaath.result.copy", ui.tr("Print a copy"), ui::ButtonStyle::Secondary, true,
                  "print")) {
        print::Document d = academy_.certificate(ui, *credential_, *c);
        academy_.printer().print_copy(d);
    }
    if (ui.button("muktopaath.result.done", ui.tr("Done"), ui::ButtonStyle::Primary, true, "home"))
        nav.home();
}

}  // namespace seba::mp
