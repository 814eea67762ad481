// SPDX-License-Identifier: Apache-2.0
#pragma once

// The citizen's screens of MuktoPaath, one file each:
//
//   Home ─┬─ Category ─┐
//         ├─ (a search result) ─┴─ Course ─┬─ Enrol ══ Slip ─── Lessons
//         ├─ SignIn ══ (the course, or My courses)  └─ Lessons ─┬─ Lesson ─ Lesson ...
//         ├─ MyCourses ── Lessons                               └─ Quiz ══ Result
//         └─ Verify
//
// ══ replaces the screen (Back skips it). Back from any other returns to the one below.

#include <optional>
#include <seba/sdk.hpp>
#include <string>

#include "../muktopaath.hpp"
#include "../quiz.hpp"

namespace seba::mp {

using seba::ui::Navigator;

class HomeScreen final : public ui::Screen {
  public:
    explicit HomeScreen(Academy& academy) : academy_(academy) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
};

class CategoryScreen final : public ui::Screen {
  public:
    CategoryScreen(Academy& academy, std::string category)
        : academy_(academy), category_(std::move(category)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    const std::string category_;
};

/// What a course teaches, how long it takes, its language, provider and licence, whether its
/// lessons are on this kiosk yet; enrol or continue.
class CourseScreen final : public ui::Screen {
  public:
    CourseScreen(Academy& academy, std::string course)
        : academy_(academy), course_(std::move(course)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    const std::string course_;
    std::string problem_;
};

/// Name, phone and (optional) national ID; the learner row and its event in one transaction.
class EnrolScreen final : public ui::Screen {
  public:
    EnrolScreen(Academy& academy, std::string course)
        : academy_(academy), course_(std::move(course)) {}
    void draw(Ui& ui, Navigator& nav) override;
    Step step() const override { return {1, 2}; }

  private:
    Academy& academy_;
    const std::string course_;
    std::string problem_;
};

/// The return code on screen and on the printed slip.
class SlipScreen final : public ui::Screen {
  public:
    SlipScreen(Academy& academy, std::string course)
        : academy_(academy), course_(std::move(course)) {}
    void draw(Ui& ui, Navigator& nav) override;
    Step step() const override { return {2, 2}; }

  private:
    Academy& academy_;
    const std::string course_;
    std::string printing_;
};

/// Phone + return code. `then`: the course to open after, or "" for My courses.
class SignInScreen final : public ui::Screen {
  public:
    SignInScreen(Academy& academy, std::string then) : academy_(academy), then_(std::move(then)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    const std::string then_;
    std::string problem_;
};

class MyCoursesScreen final : public ui::Screen {
  public:
    explicit MyCoursesScreen(Academy& academy) : academy_(academy) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
};

/// A course's lessons with the learner's progress, the quiz, the certificate again.
class LessonsScreen final : public ui::Screen {
  public:
    LessonsScreen(Academy& academy, std::string course)
        : academy_(academy), course_(std::move(course)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    const std::string course_;
    std::string printing_;
};

/// One page of a lesson: headings, paragraphs, lists, images; read aloud on request.
class LessonScreen final : public ui::Screen {
  public:
    LessonScreen(Academy& academy, std::string course, std::string lesson, int page)
        : academy_(academy), course_(std::move(course)), lesson_(std::move(lesson)), page_(page) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    const std::string course_, lesson_;
    const int page_;
    bool recorded_ = false;
};

class QuizScreen final : public ui::Screen {
  public:
    QuizScreen(Academy& academy, std::string course)
        : academy_(academy), course_(std::move(course)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    const std::string course_;
    std::optional<QuizOrder> order_;
    std::map<std::string, int> single_;  // question id -> the option's place in its order
    Answers chosen_;
    std::string problem_;
};

/// The quiz's result; when passed, the certificate issued and printed.
class ResultScreen final : public ui::Screen {
  public:
    ResultScreen(Academy& academy, std::string course, int score, bool passed,
                 std::optional<credentials::Credential> credential, std::string problem)
        : academy_(academy),
          course_(std::move(course)),
          score_(score),
          passed_(passed),
          credential_(std::move(credential)),
          problem_(std::move(problem)) {}
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    const std::string course_;
    const int score_;
    const bool passed_;
    std::optional<credentials::Credential> credential_;
    std::string problem_;
    std::string printing_;
};

/// Checks a certificate: the camera's QR or the text typed in.
class VerifyScreen final : public ui::Screen {
  public:
    explicit VerifyScreen(Academy& academy) : academy_(academy) {}
    ~VerifyScreen() override;
    void draw(Ui& ui, Navigator& nav) override;

  private:
    Academy& academy_;
    std::optional<credentials::Verdict> verdict_;
    bool scanning_ = false;
};

/// Prints a certificate (issued now or boxed for the learner earlier) and returns the job.
std::string print_certificate(Ui& ui, Academy& academy, const credentials::Credential& credential,
                              const Course& course);
/// "Printing…", "Printed", "Could not print" with Print again, for a queued job.
void print_status(Ui& ui, Academy& academy, std::string_view id, const std::string& reference);
/// The pack's state on a course page: a bar while it downloads, "available soon".
void draw_pack_state(Ui& ui, Academy& academy, const Course& course);
/// A verdict in the citizen's language.
std::string verdict_text(Ui& ui, const credentials::Verdict& verdict);
std::string reason_text(Ui& ui, credentials::Reason reason);

/// The operator's page.
void draw_operator_page(Ui& ui, Academy& academy);

}  // namespace seba::mp
