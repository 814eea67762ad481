// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every screen of MuktoPaath shares: the catalog of courses enabled for this centre and
// their packs (downloaded by the kiosk's content files), the learner book, the signed-in
// learner of this session, the printer, credentials and the camera. Screens keep only what
// they show.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <seba/sdk.hpp>
#include <string>
#include <vector>

#include "course.hpp"
#include "learners.hpp"

namespace seba::mp {

using seba::ui::Ui;

/// A pack's download, as a course page shows it.
struct PackState {
    enum class Kind { Ready, Downloading, Waiting, Unavailable };
    Kind kind = Kind::Waiting;
    std::int64_t have = 0, size = 0;  ///< bytes, over the whole pack
    std::string problem;              ///< English, for the operator
    float fraction() const {
        return size > 0 ? static_cast<float>(have) / static_cast<float>(size) : 0;
    }
};

/// The kiosk's services this plugin uses; any may be missing (null) on a kiosk without them.
struct Services {
    files::Files* files = nullptr;
    credentials::Credentials* credentials = nullptr;
    scan::Scanner* scanner = nullptr;
};

class Academy {
  public:
    using Warn = std::function<void(const std::string&)>;

    /// `centre`: this kiosk's centre id (plugin setting "centre", set by the fleet
    /// configuration); `budget_bytes`: the operator's disk budget for packs.
    Academy(PluginStore& store, print::Printer& printer, Services services, std::string centre,
            std::int64_t budget_bytes, Warn warn);

    PluginStore& store() { return store_; }
    LearnerBook& book() { return book_; }
    print::Printer& printer() { return printer_; }
    const Services& services() const { return services_; }
    const std::string& centre() const { return centre_; }
    std::int64_t budget_bytes() const { return budget_; }
    /// Where phone numbers are read as national ones (libphonenumber region, "BD", "UZ").
    std::string phone_region = "BD";
    /// A phone as typed, in E.164 when it is a mobile number of phone_region; nullopt else.
    std::optional<std::string> phone(std::string_view typed) const;

    /// Reads the catalog again when a channel changed (every frame), and tells the kiosk
    /// which pack files to keep.
    void refresh();
    const std::vector<Category>& categories() const { return categories_; }
    /// Courses enabled for this centre, in a category ("" every one), by title.
    std::vector<const Course*> courses(std::string_view category, std::string_view language) const;
    const Course* course(std::string_view id) const;
    /// Courses whose title or summary matches what was typed, best first (the kit's search).
    std::vector<const Course*> search(std::string_view query);

    PackState pack_state(const Course& course);
    /// The course's content when its pack is here and sound; null with `problem` otherwise.
    const Content* content(const Course& course, std::string* problem = nullptr);
    /// A pack file's path when it is here.
    std::optional<std::filesystem::path> file_path(const Course& course, std::string_view name);

    // The learner of this session.
    Learner* learner() { return learner_ ? &*learner_ : nullptr; }
    void sign_in(Learner learner) { learner_ = std::move(learner); }
    /// Just enrolled: the return code to show and print, until the session ends.
    std::string& fresh_code() { return fresh_code_; }
    void end_session();

    /// Sign-in tries: after 5 wrong ones in a row the next waits a minute.
    bool sign_in_locked(std::chrono::seconds* wait = nullptr) const {
        return sign_in_limit_.locked(wait);
    }
    void sign_in_failed() { sign_in_limit_.failed(); }
    void sign_in_succeeded() { sign_in_limit_.succeeded(); }

    /// The enrolment slip: the course and the return code.
    print::Document slip(Ui& ui, const Course& course, std::string_view code);
    /// The certificate: A4, the QR and its text, as a learner shows it to an employer.
    print::Document certificate(Ui& ui, const credentials::Credential& credential,
                                const Course& course);
    /// A job reference, unique on this kiosk: "mp-<what>-<time>-<n>".
    std::string next_reference(std::string_view what);

  private:
    void load_catalog();

    PluginStore& store_;
    print::Printer& printer_;
    Services services_;
    std::string centre_;
    std::int64_t budget_;
    Warn warn_;
    LearnerBook book_;
    std::string categories_cursor_, courses_cursor_;
    std::vector<Category> categories_;
    std::vector<Course> courses_;  // enabled for this centre
    struct Loaded {
        std::string sha256;
        std::optional<Content> content;
        std::string problem;
    };
    std::map<std::string, Loaded, std::less<>> contents_;  // by course id
    std::string searched_;
    std::int64_t searched_generation_ = -1;
    std::vector<std::string> found_;
    std::optional<Learner> learner_;
    std::string fresh_code_;
    return_code::SignInLimit sign_in_limit_;
    unsigned printed_ = 0;
};

/// A widget id for a course: "<prefix><id>".
std::string course_id(std::string_view prefix, const Course& course);
/// "90 minutes", "2 h 30 min", in the citizen's digits.
std::string duration_text(Ui& ui, int minutes);
/// The language of instruction as its own name ("বাংলা").
std::string language_name(std::string_view tag);

}  // namespace seba::mp
