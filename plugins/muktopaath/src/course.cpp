// SPDX-License-Identifier: Apache-2.0
#include "course.hpp"

#include <algorithm>
#include <seba/utf8.hpp>
#include <set>

namespace seba::mp {

namespace {

using json = nlohmann::json;

// A problem found while reading; the first one is what the reader reports.
struct Refusal {
    std::string why;
};

[[noreturn]] void refuse(std::string why) {
    throw Refusal{std::move(why)};
}

std::string text_of(const json& value, std::string_view what, bool required = true) {
    if (value.is_null() && !required) return {};
    if (!value.is_string()) refuse(std::string(what) + " must be text");
    const std::string& s = value.get_ref<const std::string&>();
    if (s.size() > kMaxTextBytes)
        refuse(std::string(what) + " is longer than " + std::to_string(kMaxTextBytes) + " bytes");
    if (!utf8::is_valid(s)) refuse(std::string(what) + " is not UTF-8");
    if (required && s.empty()) refuse(std::string(what) + " is empty");
    return s;
}

std::string field(const json& object, const char* key, std::string_view what,
                  bool required = true) {
    auto found = object.find(key);
    if (found == object.end()) {
        if (required) refuse(std::string(what) + " is missing");
        return {};
    }
    return text_of(*found, what, required);
}

Texts texts(const json& object, const char* key, bool required) {
    Texts out;
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        if (required) refuse(std::string(key) + " is missing");
        return out;
    }
    if (found->is_string()) {  // one text for every language
        out["en"] = text_of(*found, key);
        return out;
    }
    if (!found->is_object() || found->size() > 32)
        refuse(std::string(key) + " must be {language: text}");
    for (const auto& [language, value] : found->items())
        out[language] = text_of(value, std::string(key) + "." + language);
    if (required && out.empty()) refuse(std::string(key) + " has no text");
    return out;
}

int integer(const json& object, const char* key, int low, int high, int fallback) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) return fallback;
    if (!found->is_number_integer()) refuse(std::string(key) + " must be a whole number");
    const auto value = found->get<std::int64_t>();
    if (value < low || value > high)
        refuse(std::string(key) + " must be " + std::to_string(low) + " to " +
               std::to_string(high));
    return static_cast<int>(value);
}

bool is_id(std::string_view id, std::size_t max) {
    if (id.empty() || id.size() > max) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// A pack's file name: a relative path of plain parts ("images/phone.png").
bool is_file_name(std::string_view name) {
    if (name.empty() || name.size() > 200 || name.front() == '/') return false;
    if (name.find("..") != std::string_view::npos || name.find('\\') != std::string_view::npos)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == '/';
    });
}

// As files::FileRef::from_json reads one (the same rules), with the name required.
std::optional<files::FileRef> file_ref(const json& value) {
    if (!value.is_object()) return std::nullopt;
    auto sha = value.find("sha256"), size = value.find("size"), name = value.find("name");
    if (sha == value.end() || !sha->is_string() || size == value.end() ||
        !size->is_number_integer() || name == value.end() || !name->is_string())
        return std::nullopt;
    const std::string& hash = sha->get_ref<const std::string&>();
    if (hash.size() != 64 || !std::all_of(hash.begin(), hash.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
        return std::nullopt;
    const auto bytes = size->get<std::int64_t>();
    if (bytes < 1 || bytes > files::kMaxFileBytes) return std::nullopt;
    return files::FileRef{hash, bytes, name->get<std::string>()};
}

Block read_block(const json& value, std::string_view where) {
    if (!value.is_object() || value.empty()) refuse(std::string(where) + " must be a block");
    Block b;
    if (value.contains("h")) {
        b.kind = Block::Kind::Heading;
        b.text = text_of(value["h"], std::string(where) + ".h");
    } else if (value.contains("p")) {
        b.kind = Block::Kind::Paragraph;
        b.text = text_of(value["p"], std::string(where) + ".p");
    } else if (value.contains("ul")) {
        b.kind = Block::Kind::List;
        const json& items = value["ul"];
        if (!items.is_array() || items.empty() || items.size() > kMaxBlocks)
            refuse(std::string(where) + ".ul must be a list of 1 to " + std::to_string(kMaxBlocks) +
                   " items");
        for (const json& item : items) b.items.push_back(text_of(item, std::string(where) + ".ul"));
    } else if (value.contains("img")) {
        b.kind = Block::Kind::Image;
        b.image = text_of(value["img"], std::string(where) + ".img");
        if (!is_file_name(b.image)) refuse(std::string(where) + ".img is not a file of the pack");
        b.text = field(value, "alt", std::string(where) + ".alt", false);
    } else {
        refuse(std::string(where) + " is none of h, p, ul, img");
    }
    return b;
}

Content content_of(const json& doc) {
    if (!doc.is_object()) refuse("course.json is not a JSON object");
    Content c;
    c.course = field(doc, "course", "course");
    c.version = field(doc, "version", "version");
    c.language = field(doc, "language", "language");
    const json& lessons = doc.value("lessons", json());
    if (!lessons.is_array() || lessons.empty())
        refuse("lessons must be a list of at least one lesson");
    if (lessons.size() > kMaxLessons)
        refuse("more than " + std::to_string(kMaxLessons) + " lessons");
    std::set<std::string> lesson_ids;
    for (std::size_t i = 0; i < lessons.size(); ++i) {
        const json& l = lessons[i];
        const std::string where = "lesson " + std::to_string(i + 1);
        if (!l.is_object()) refuse(where + " is not an object");
        Lesson lesson;
        lesson.id = field(l, "id", where + " id");
        if (!is_id(lesson.id, 64)) refuse(where + " id must be 1 to 64 of a-z 0-9 - _");
        if (!lesson_ids.insert(lesson.id).second) refuse("lesson id " + lesson.id + " repeats");
        lesson.title = field(l, "title", where + " title");
        lesson.audio = field(l, "audio", where + " audio", false);
        if (!lesson.audio.empty() && !is_file_name(lesson.audio))
            refuse(where + " audio is not a file of the pack");
        const json& pages = l.value("pages", json());
        if (!pages.is_array() || pages.empty()) refuse(where + " must have a list of pages");
        if (pages.size() > kMaxPages)
            refuse(where + " has more than " + std::to_string(kMaxPages) + " pages");
        for (std::size_t p = 0; p < pages.size(); ++p) {
            const std::string page_where = where + " page " + std::to_string(p + 1);
            if (!pages[p].is_array() || pages[p].empty())
                refuse(page_where + " must be a list of blocks");
            if (pages[p].size() > kMaxBlocks)
                refuse(page_where + " has more than " + std::to_string(kMaxBlocks) + " blocks");
            Page page;
            for (const json& block : pages[p]) page.push_back(read_block(block, page_where));
            lesson.pages.push_back(std::move(page));
        }
        c.lessons.push_back(std::move(lesson));
    }
    const json& quiz = doc.value("quiz", json::object());
    const json& questions = quiz.is_object() ? quiz.value("questions", json()) : json();
    if (!questions.is_array() || questions.empty()) refuse("the quiz has no questions");
    if (questions.size() > kMaxQuestions)
        refuse("more than " + std::to_string(kMaxQuestions) + " questions");
    std::set<std::string> question_ids;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        const json& q = questions[i];
        const std::string where = "question " + std::to_string(i + 1);
        if (!q.is_object()) refuse(where + " is not an object");
        Question question;
        question.id = field(q, "id", where + " id");
        if (!is_id(question.id, 64)) refuse(where + " id must be 1 to 64 of a-z 0-9 - _");
        if (!question_ids.insert(question.id).second)
            refuse("question id " + question.id + " repeats");
        const std::string kind = field(q, "kind", where + " kind");
        if (kind != "single" && kind != "multiple")
            refuse(where + " kind must be single or multiple");
        question.multiple = kind == "multiple";
        question.text = field(q, "text", where + " text");
        const json& options = q.value("options", json());
        if (!options.is_array() || options.size() < 2 || options.size() > kMaxOptions)
            refuse(where + " must have 2 to " + std::to_string(kMaxOptions) + " options");
        std::set<std::string> option_ids;
        for (const json& o : options) {
            if (!o.is_object()) refuse(where + " has an option that is not an object");
            Question::Option option{field(o, "id", where + " option id"),
                                    field(o, "text", where + " option text")};
            if (!is_id(option.id, 16)) refuse(where + " has an option id that is not a-z 0-9");
            if (!option_ids.insert(option.id).second)
                refuse(where + " option " + option.id + " repeats");
            question.options.push_back(std::move(option));
        }
        const json& answer = q.value("answer", json());
        if (!answer.is_array() || answer.empty()) refuse(where + " has no answer");
        for (const json& a : answer) {
            const std::string id = text_of(a, where + " answer");
            if (!option_ids.contains(id)) refuse(where + " answer " + id + " is not an option");
            question.answer.push_back(id);
        }
        std::sort(question.answer.begin(), question.answer.end());
        if (std::adjacent_find(question.answer.begin(), question.answer.end()) !=
            question.answer.end())
            refuse(where + " names an answer twice");
        if (!question.multiple && question.answer.size() != 1)
            refuse(where + " is single choice but has " + std::to_string(question.answer.size()) +
                   " answers");
        c.questions.push_back(std::move(question));
    }
    return c;
}

}  // namespace

const std::string& text_in(const Texts& texts, std::string_view language) {
    static const std::string kNone;
    if (auto found = texts.find(language); found != texts.end() && !found->second.empty())
        return found->second;
    // Uzbek in Cyrillic reads Latin better than English.
    if (language == "uz-Cyrl")
        if (auto found = texts.find("uz-Latn"); found != texts.end()) return found->second;
    if (auto found = texts.find("en"); found != texts.end()) return found->second;
    return texts.empty() ? kNone : texts.begin()->second;
}

bool Course::enabled_for(std::string_view centre) const {
    if (!centres) return true;
    return std::find(centres->begin(), centres->end(), centre) != centres->end();
}

const files::FileRef* Course::file(std::string_view name) const {
    for (const files::FileRef& f : pack)
        if (f.name == name) return &f;
    return nullptr;
}

std::optional<Category> read_category(std::string_view key, const nlohmann::json& data,
                                      std::string& refused) {
    try {
        if (!is_id(key, 64)) refuse("the key is not 1 to 64 of a-z 0-9 - _");
        if (!data.is_object()) refuse("not a JSON object");
        Category c;
        c.id = std::string(key);
        c.names = texts(data, "names", true);
        c.icon = field(data, "icon", "icon", false);
        if (!std::all_of(c.icon.begin(), c.icon.end(),
                         [](char ch) {
                             return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                                    ch == '_';
                         }) ||
            c.icon.size() > 48)
            c.icon.clear();  // not a pictogram name: no pictogram
        c.order = integer(data, "order", -100000, 100000, 0);
        return c;
    } catch (const Refusal& r) {
        refused = r.why;
        return std::nullopt;
    }
}

std::optional<Course> read_course(std::string_view key, const nlohmann::json& data,
                                  std::string& refused) {
    try {
        if (!is_id(key, 64) || key.find('_') != std::string_view::npos)
            refuse("the key is not 1 to 64 of a-z 0-9 -");
        if (!data.is_object()) refuse("not a JSON object");
        Course c;
        c.id = std::string(key);
        c.category = field(data, "category", "category");
        c.title = texts(data, "title", true);
        c.summary = texts(data, "summary", false);
        c.provider = texts(data, "provider", false);
        if (auto outcomes = data.find("outcomes"); outcomes != data.end() && outcomes->is_object())
            for (const auto& [language, list] : outcomes->items()) {
                if (!list.is_array() || list.size() > 20) refuse("outcomes must be lists");
                for (const json& item : list)
                    c.outcomes[language].push_back(text_of(item, "outcomes." + language));
            }
        c.language = field(data, "language", "language");
        c.duration_minutes = integer(data, "duration_minutes", 0, 100000, 0);
        c.lessons = integer(data, "lessons", 0, static_cast<int>(kMaxLessons), 0);
        c.pass_mark = integer(data, "pass_mark", 1, 100, 60);
        c.attempts = integer(data, "attempts", 1, 100, 3);
        c.retry_wait_minutes = integer(data, "retry_wait_minutes", 0, 60 * 24 * 30, 0);
        c.version = field(data, "version", "version");
        c.licence = field(data, "licence", "licence", false);
        if (auto centres = data.find("centres"); centres != data.end() && !centres->is_null()) {
            if (!centres->is_array() || centres->size() > 10000)
                refuse("centres must be a list of centre ids");
            c.centres.emplace();
            for (const json& centre : *centres) c.centres->push_back(text_of(centre, "centres"));
        }
        const json& pack = data.value("pack", json());
        if (!pack.is_array() || pack.empty()) refuse("pack must list the course's files");
        if (pack.size() > kMaxPackFiles)
            refuse("pack lists more than " + std::to_string(kMaxPackFiles) + " files");
        std::set<std::string> names;
        for (const json& f : pack) {
            std::optional<files::FileRef> ref = file_ref(f);
            if (!ref) refuse("pack has a file that is not {sha256, size, name}");
            if (!is_file_name(ref->name)) refuse("pack file name " + ref->name + " is not valid");
            if (!names.insert(ref->name).second) refuse("pack names " + ref->name + " twice");
            c.pack.push_back(std::move(*ref));
        }
        if (!c.file("course.json")) refuse("pack has no course.json");
        return c;
    } catch (const Refusal& r) {
        refused = r.why;
        return std::nullopt;
    }
}

const Lesson* Content::lesson(std::string_view id) const {
    for (const Lesson& l : lessons)
        if (l.id == id) return &l;
    return nullptr;
}

std::string Content::spoken(const Lesson& lesson) {
    std::string out = lesson.title;
    for (const Page& page : lesson.pages)
        for (const Block& b : page) {
            if (b.kind == Block::Kind::List)
                for (const std::string& item : b.items) out += ". " + item;
            else if (!b.text.empty())
                out += ". " + b.text;
        }
    return out;
}

std::optional<Content> read_content(std::string_view text, std::string& refused) {
    if (text.size() > static_cast<std::size_t>(kMaxCourseJsonBytes)) {
        refused = "course.json is larger than 4 MiB";
        return std::nullopt;
    }
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        refused = "course.json is not JSON";
        return std::nullopt;
    }
    try {
        return content_of(doc);
    } catch (const Refusal& r) {
        refused = r.why;
        return std::nullopt;
    } catch (const json::exception& e) {
        refused = std::string("course.json: ") + e.what();
        return std::nullopt;
    }
}

}  // namespace seba::mp
