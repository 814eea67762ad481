// SPDX-License-Identifier: Apache-2.0
// Studying: a course's lessons with the learner's progress (merged from every kiosk of the
// centre), and a lesson page by page with its images, read aloud where the language has a
// voice. Each page reached further and each lesson finished is an append-only event.
#include "screens.hpp"

namespace seba::mp {

void LessonsScreen::draw(Ui& ui, Navigator& nav) {
    academy_.refresh();
    const Course* c = academy_.course(course_);
    Learner* learner = academy_.learner();
    if (!c || !learner) {
        nav.home();
        return;
    }
    ui.heading("muktopaath.lessons.title", text_in(c->title, ui.language()));
    std::string problem;
    const Content* content = academy_.content(*c, &problem);
    if (!content) {
        draw_pack_state(ui, academy_, *c);
        return;
    }
    const LearnerRecord record = academy_.book().record(*learner);
    CourseRecord progress;
    if (auto found = record.courses.find(c->id); found != record.courses.end())
        progress = found->second;
    std::size_t done = 0;
    for (std::size_t i = 0; i < content->lessons.size(); ++i) {
        const Lesson& l = content->lessons[i];
        auto p = progress.lessons.find(l.id);
        const bool finished = p != progress.lessons.end() && p->second.done;
        const int reached = p != progress.lessons.end() ? p->second.page : -1;
        done += finished ? 1 : 0;
        std::string detail = finished ? ui.tr("Done")
                             : reached >= 0
                                 ? ui.tr("Page") + " " + ui.digits(std::to_string(reached + 1)) +
                                       " / " + ui.digits(std::to_string(l.pages.size()))
                                 : ui.trn("{0} page", "{0} pages", l.pages.size());
        if (ui.list_row("muktopaath.lesson." + l.id,
                        ui.digits(std::to_string(i + 1)) + ". " + l.title, detail,
                        finished ? "check_circle" : "menu_book"))
            nav.push<LessonScreen>(
                academy_, c->id, l.id,
                finished ? 0 : std::clamp(reached, 0, static_cast<int>(l.pages.size()) - 1));
    }
    ui.progress("muktopaath.lessons.progress",
                static_cast<float>(done) / static_cast<float>(content->lessons.size()),
                ui.digits(std::to_string(done)) + " / " +
                    ui.digits(std::to_string(content->lessons.size())) + " " +
                    ui.tr("lessons done"));
    if (progress.attempts.passed) {
        ui.message("muktopaath.lessons.passed", ui::Tone::Success,
                   ui.tr("You passed this course."));
        // The box holds what the QR held (older ones the text alone): both check the same.
        std::optional<std::string> qr;
        if (!progress.certificate.empty())
            qr = return_code::open_box(learner->keys.box_key, progress.certificate);
        std::optional<std::string> text = qr ? credentials::extract_text(*qr) : std::nullopt;
        if (text && academy_.services().credentials) {
            credentials::Verdict v = academy_.services().credentials->verify(*text);
            if (v.claims && ui.button("muktopaath.lessons.print_certificate",
                                      ui.tr("Print my certificate again"),
                                      ui::ButtonStyle::Secondary, true, "print")) {
                credentials::Credential credential;
                credential.claims = *v.claims;
                credential.text = *text;
                credential.qr = *qr;
                printing_ = print_certificate(ui, academy_, credential, *c);
            }
            if (!printing_.empty())
                print_status(ui, academy_, "muktopaath.lessons.certificate", printing_);
        }
        return;
    }
    if (done < content->lessons.size()) {
        ui.paragraph("muktopaath.lessons.quiz_after",
                     ui.tr("Finish every lesson to take the quiz."));
        return;
    }
    if (ui.button("muktopaath.lessons.quiz", ui.tr("Take the quiz"), ui::ButtonStyle::Primary, true,
                  "quiz"))
        nav.push<QuizScreen>(academy_, c->id);
}

void LessonScreen::draw(Ui& ui, Navigator& nav) {
    const Course* c = academy_.course(course_);
    Learner* learner = academy_.learner();
    const Content* content = c ? academy_.content(*c) : nullptr;
    const Lesson* lesson = content ? content->lesson(lesson_) : nullptr;
    if (!learner || !lesson || page_ < 0 || page_ >= static_cast<int>(lesson->pages.size())) {
        nav.back();
        return;
    }
    const std::size_t count = lesson->pages.size();
    ui.heading("muktopaath.page.title", lesson->title);
    ui.paragraph("muktopaath.page.number", ui.tr("Page") + " " +
                                               ui.digits(std::to_string(page_ + 1)) + " / " +
                                               ui.digits(std::to_string(count)));
    if (!recorded_) {
        // Only a page further than any reached before is news for the centre.
        recorded_ = true;
        const LearnerRecord record = academy_.book().record(*learner);
        int reached = -1;
        if (auto cr = record.courses.find(c->id); cr != record.courses.end())
            if (auto p = cr->second.lessons.find(lesson->id); p != cr->second.lessons.end())
                reached = p->second.page;
        if (page_ > reached)
            academy_.book().record_progress(*learner, *c, lesson->id, page_, false);
    }
    if (ui.can_read_aloud() &&
        ui.button("muktopaath.page.read_aloud", ui.tr("Read this page aloud"),
                  ui::ButtonStyle::Secondary, true, ui::icon::read_aloud)) {
        std::string spoken;
        for (const Block& b : lesson->pages[static_cast<std::size_t>(page_)]) {
            if (b.kind == Block::Kind::List)
                for (const std::string& item : b.items) spoken += item + ". ";
            else if (!b.text.empty())
                spoken += b.text + ". ";
        }
        ui.read_aloud(spoken);
    }
    const Page& page = lesson->pages[static_cast<std::size_t>(page_)];
    for (std::size_t i = 0; i < page.size(); ++i) {
        const Block& b = page[i];
        const std::string id = "muktopaath.page.block." + std::to_string(i);
        switch (b.kind) {
            case Block::Kind::Heading:
                ui.heading(id, b.text);
                break;
            case Block::Kind::Paragraph:
                ui.paragraph(id, b.text);
                break;
            case Block::Kind::List:
                for (std::size_t j = 0; j < b.items.size(); ++j)
                    ui.paragraph(id + "." + std::to_string(j), "• " + b.items[j]);
                break;
            case Block::Kind::Image:
                if (std::optional<std::filesystem::path> path = academy_.file_path(*c, b.image))
                    ui.image(id, path->string(), b.text);
                else if (!b.text.empty())
                    ui.paragraph(id, "[" + b.text + "]");
                break;
        }
    }
    ui.begin_row("muktopaath.page.nav");
    if (page_ > 0 && ui.button("muktopaath.page.previous", ui.tr("Previous page"),
                               ui::ButtonStyle::Secondary, true, "arrow_back"))
        nav.replace<LessonScreen>(academy_, course_, lesson_, page_ - 1);
    if (page_ + 1 < static_cast<int>(count)) {
        if (ui.button("muktopaath.page.next", ui.tr("Next page"), ui::ButtonStyle::Primary, true,
                      "arrow_forward"))
            nav.replace<LessonScreen>(academy_, course_, lesson_, page_ + 1);
    } else if (ui.button("muktopaath.page.finish", ui.tr("Finish the lesson"),
                         ui::ButtonStyle::Primary, true, "check")) {
        academy_.book().record_progress(*learner, *c, lesson->id, page_, true);
        nav.back();
    }
    ui.end_row();
}

}  // namespace seba::mp
