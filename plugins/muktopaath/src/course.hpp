// SPDX-License-Identifier: Apache-2.0
#pragma once

// The catalog (channels muktopaath.categories and muktopaath.courses) and a course's content
// (its pack's course.json), read defensively: docs/muktopaath.md gives both formats. A record
// or file that breaks a rule is refused with the reason; nothing here throws on bad input.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <seba/content_files.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace seba::mp {

/// Text by language tag ("en", "bn", "uz-Latn"...).
using Texts = std::map<std::string, std::string, std::less<>>;

/// `texts` in `language`, else English, else any; "" when empty.
const std::string& text_in(const Texts& texts, std::string_view language);

// Limits on what a pack may hold (docs/muktopaath.md, "Limits").
inline constexpr std::size_t kMaxLessons = 200;
inline constexpr std::size_t kMaxPages = 100;   ///< per lesson
inline constexpr std::size_t kMaxBlocks = 100;  ///< per page
inline constexpr std::size_t kMaxTextBytes = 8 * 1024;
inline constexpr std::size_t kMaxQuestions = 200;
inline constexpr std::size_t kMaxOptions = 10;  ///< per question
inline constexpr std::size_t kMaxPackFiles = 500;
inline constexpr std::int64_t kMaxCourseJsonBytes = 4 * 1024 * 1024;

struct Category {
    std::string id;
    Texts names;
    std::string icon;
    int order = 0;
};

struct Course {
    std::string id;
    std::string category;
    Texts title, summary, provider;
    std::map<std::string, std::vector<std::string>, std::less<>> outcomes;
    std::string language;  ///< of instruction
    int duration_minutes = 0;
    int lessons = 0;
    int pass_mark = 60;  ///< percent
    int attempts = 3;
    int retry_wait_minutes = 0;
    std::string version;
    std::string licence;
    std::optional<std::vector<std::string>> centres;  ///< none: enabled everywhere
    std::vector<files::FileRef> pack;

    bool enabled_for(std::string_view centre) const;
    /// The pack's file named `name` ("course.json", "images/phone.png"), or null.
    const files::FileRef* file(std::string_view name) const;
};

/// Reads a muktopaath.categories record; nullopt with `refused` set when it is not one.
std::optional<Category> read_category(std::string_view key, const nlohmann::json& data,
                                      std::string& refused);
/// Reads a muktopaath.courses record; nullopt with `refused` set when it is not one.
std::optional<Course> read_course(std::string_view key, const nlohmann::json& data,
                                  std::string& refused);

/// One block of a lesson's page.
struct Block {
    enum class Kind { Heading, Paragraph, List, Image };
    Kind kind = Kind::Paragraph;
    std::string text;                ///< heading, paragraph; an image's alt
    std::vector<std::string> items;  ///< list
    std::string image;               ///< the pack's file name of an image
};
using Page = std::vector<Block>;

struct Lesson {
    std::string id;
    std::string title;
    std::string audio;  ///< the pack's file name of a recording, or ""
    std::vector<Page> pages;
};

struct Question {
    std::string id;
    bool multiple = false;
    std::string text;
    struct Option {
        std::string id, text;
    };
    std::vector<Option> options;
    std::vector<std::string> answer;  ///< option ids, sorted
};

struct Content {
    std::string course, version, language;
    std::vector<Lesson> lessons;
    std::vector<Question> questions;

    const Lesson* lesson(std::string_view id) const;
    /// The lesson's text to read aloud: its title, then each block (an image's alt).
    static std::string spoken(const Lesson& lesson);
};

/// Reads course.json's text; nullopt with `refused` saying why (the first rule broken).
std::optional<Content> read_content(std::string_view text, std::string& refused);

}  // namespace seba::mp
