// SPDX-License-Identifier: Apache-2.0
#include "muktopaath.hpp"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <seba/ui/i18n.hpp>
#include <set>

#include "validators.hpp"

namespace seba::mp {

namespace {}  // namespace

Academy::Academy(PluginStore& store, print::Printer& printer, Services services, std::string centre,
                 std::int64_t budget_bytes, Warn warn)
    : store_(store),
      printer_(printer),
      services_(services),
      centre_(std::move(centre)),
      budget_(budget_bytes),
      warn_(std::move(warn)),
      book_(store, centre_) {
    if (services_.files) services_.files->set_budget(budget_);
    load_catalog();
}

void Academy::refresh() {
    if (store_.catalog_cursor("muktopaath.categories") != categories_cursor_ ||
        store_.catalog_cursor("muktopaath.courses") != courses_cursor_)
        load_catalog();
}

void Academy::load_catalog() {
    categories_.clear();
    courses_.clear();
    store_.for_each_catalog_record(
        "muktopaath.categories", [&](std::string_view key, const nlohmann::json& data) {
            std::string refused;
            if (std::optional<Category> c = read_category(key, data, refused))
                categories_.push_back(std::move(*c));
            else if (warn_)
                warn_("muktopaath.categories record " + std::string(key) + " skipped: " + refused);
        });
    std::stable_sort(categories_.begin(), categories_.end(),
                     [](const Category& a, const Category& b) { return a.order < b.order; });
    store_.for_each_catalog_record(
        "muktopaath.courses", [&](std::string_view key, const nlohmann::json& data) {
            std::string refused;
            std::optional<Course> c = read_course(key, data, refused);
            if (!c) {
                if (warn_)
                    warn_("muktopaath.courses record " + std::string(key) + " skipped: " + refused);
                return;
            }
            if (c->enabled_for(centre_)) courses_.push_back(std::move(*c));
        });
    categories_cursor_ = store_.catalog_cursor("muktopaath.categories");
    courses_cursor_ = store_.catalog_cursor("muktopaath.courses");
    // Content read from an older pack is read again from the new one.
    for (auto it = contents_.begin(); it != contents_.end();) {
        const Course* c = course(it->first);
        const files::FileRef* f = c ? c->file("course.json") : nullptr;
        it = (!f || f->sha256 != it->second.sha256) ? contents_.erase(it) : std::next(it);
    }
    if (services_.files) {
        // Every file of every enabled course, course.json first (it says what the rest is).
        std::vector<files::FileRef> wanted;
        std::set<std::string> seen;
        for (const Course& c : courses_)
            if (const files::FileRef* f = c.file("course.json"); seen.insert(f->sha256).second)
                wanted.push_back(*f);
        for (const Course& c : courses_)
            for (const files::FileRef& f : c.pack)
                if (seen.insert(f.sha256).second) wanted.push_back(f);
        services_.files->want(wanted);
    }
}

std::vector<const Course*> Academy::courses(std::string_view category,
                                            std::string_view language) const {
    std::vector<const Course*> out;
    for (const Course& c : courses_)
        if (category.empty() || c.category == category) out.push_back(&c);
    std::stable_sort(out.begin(), out.end(), [&](const Course* a, const Course* b) {
        return text_in(a->title, language) < text_in(b->title, language);
    });
    return out;
}

const Course* Academy::course(std::string_view id) const {
    for (const Course& c : courses_)
        if (c.id == id) return &c;
    return nullptr;
}

std::vector<const Course*> Academy::search(std::string_view query) {
    search::Search index = store_.search();
    const std::int64_t generation = index.generation();
    if (query != searched_ || generation != searched_generation_) {
        searched_ = std::string(query);
        searched_generation_ = generation;
        found_.clear();
        search::Query q;
        q.text = std::string(query);
        q.kind = "course";
        q.limit = 40;
        for (const search::Hit& hit : index.find("muktopaath", q)) found_.push_back(hit.entry.key);
    }
    std::vector<const Course*> out;
    for (const std::string& id : found_)
        if (const Course* c = course(id)) out.push_back(c);  // enabled here only
    return out;
}

PackState Academy::pack_state(const Course& course) {
    PackState state;
    if (!services_.files) {
        state.kind = PackState::Kind::Unavailable;
        state.problem = "this kiosk keeps no content files";
        return state;
    }
    bool all_ready = true, any_moving = false;
    for (const files::FileRef& f : course.pack) {
        const files::FileStatus s = services_.files->status(f.sha256);
        state.size += f.size;
        switch (s.state) {
            case files::State::Ready:
                state.have += f.size;
                break;
            case files::State::Downloading:
                state.have += std::clamp<std::int64_t>(s.have, 0, f.size);
                any_moving = true;
                all_ready = false;
                break;
            case files::State::Failed:
                if (state.problem.empty()) state.problem = f.name + ": " + s.error;
                all_ready = false;
                break;
            default:
                all_ready = false;
        }
    }
    state.kind = all_ready    ? PackState::Kind::Ready
                 : any_moving ? PackState::Kind::Downloading
                              : PackState::Kind::Waiting;
    return state;
}

const Content* Academy::content(const Course& course, std::string* problem) {
    const files::FileRef* f = course.file("course.json");
    auto cached = contents_.find(course.id);
    if (cached != contents_.end() && cached->second.sha256 == f->sha256 && cached->second.content) {
        return &*cached->second.content;
    }
    if (!services_.files) {
        if (problem) *problem = "this kiosk keeps no content files";
        return nullptr;
    }
    std::optional<std::filesystem::path> path = services_.files->open(f->sha256);
    if (!path) {
        if (problem) *problem = "the course's pack has not arrived yet";
        return nullptr;
    }
    Loaded loaded;
    loaded.sha256 = f->sha256;
    std::ifstream in(*path, std::ios::binary);
    std::string text;
    text.resize(static_cast<std::size_t>(std::min<std::int64_t>(f->size, kMaxCourseJsonBytes + 1)));
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    loaded.content = read_content(text, loaded.problem);
    if (loaded.content && loaded.content->course != course.id) {
        loaded.problem = "course.json is for " + loaded.content->course + ", not " + course.id;
        loaded.content.reset();
    }
    if (!loaded.content && warn_)
        warn_("course " + course.id + " content refused: " + loaded.problem);
    if (problem) *problem = loaded.problem;
    Loaded& kept = contents_[course.id] = std::move(loaded);
    return kept.content ? &*kept.content : nullptr;
}

std::optional<std::filesystem::path> Academy::file_path(const Course& course,
                                                        std::string_view name) {
    const files::FileRef* f = course.file(name);
    if (!f || !services_.files) return std::nullopt;
    return services_.files->open(f->sha256);
}

void Academy::end_session() {
    if (learner_) learner_->wipe();
    learner_.reset();
    sodium_memzero(fresh_code_.data(), fresh_code_.size());
    fresh_code_.clear();
    searched_.clear();
    found_.clear();
    sign_in_limit_.reset();
}

std::string Academy::next_reference(std::string_view what) {
    std::string stamp;
    for (char c : kiosk_now().iso().substr(0, 19))
        if (c >= '0' && c <= '9') stamp += c;
    return "mp-" + std::string(what) + "-" + stamp + "-" + std::to_string(++printed_);
}

print::Document Academy::slip(Ui& ui, const Course& course, std::string_view code) {
    print::Document d;
    d.language = std::string(ui.language());
    d.reference = next_reference("slip");
    d.copy_mark = ui.tr("Copy");
    d.title(ui.tr("MuktoPaath enrolment"))
        .heading(text_in(course.title, ui.language()))
        .row(ui.tr("Duration"), duration_text(ui, course.duration_minutes))
        .row(ui.tr("Language"), language_name(course.language))
        .rule()
        .paragraph(ui.tr("Your return code. Sign in with your phone number and this code at any "
                         "kiosk of this centre to continue."))
        .number(return_code::grouped(code))
        .rule()
        .footer(ui.tr("Keep this slip. Nobody from the centre will ask you for the code."));
    return d;
}

print::Document Academy::certificate(Ui& ui, const credentials::Credential& credential,
                                     const Course& course) {
    const credentials::Claims& c = credential.claims;
    print::Document d;
    d.language = std::string(ui.language());
    d.reference = next_reference("certificate");
    d.copy_mark = ui.tr("Copy");
    d.page = print::Document::Page::A4;
    std::string band = c.achievement.value("score_band", std::string());
    d.title(ui.tr("Certificate of completion"))
        .paragraph(ui.tr("This certifies that"))
        .heading(c.subject)
        .paragraph(ui.tr("has completed the course"))
        .heading(text_in(course.title, ui.language()))
        .row(ui.tr("Provider"), text_in(course.provider, ui.language()))
        .row(ui.tr("Course version"), ui.digits(c.achievement.value("version", course.version)))
        .row(ui.tr("Result"), band == "distinction" ? ui.tr("Distinction")
                              : band == "merit"     ? ui.tr("Merit")
                                                    : ui.tr("Pass"))
        .row(ui.tr("Date"), ui.date(c.issued))
        .row(ui.tr("Certificate number"), c.id)
        // The QR and its text small under it, with no rules: all on one A4 page (the text as
        // a paragraph, with rules around the rows, took a second and a third page).
        .qr(credential.qr)
        .footer(credential.text)
        .footer(ui.tr("Scan the code or type the text under it at any Seba kiosk or on the "
                      "verification page to check this certificate."));
    return d;
}

std::optional<std::string> Academy::phone(std::string_view typed) const {
    dc::FormRule rule;
    rule.id = "phone";
    rule.kind = dc::RuleKind::Phone;
    rule.region = phone_region;
    rule.types = {"mobile"};
    const dc::Checked checked = dc::check(rule, typed, true, kiosk_now().iso().substr(0, 10));
    if (!checked.ok) return std::nullopt;
    return checked.value;
}

std::string course_id(std::string_view prefix, const Course& course) {
    return std::string(prefix) + course.id;
}

std::string duration_text(Ui& ui, int minutes) {
    if (minutes < 60)
        return ui.trn("{0} minute", "{0} minutes", static_cast<unsigned long>(minutes));
    const int hours = minutes / 60, rest = minutes % 60;
    std::string out = ui.trn("{0} hour", "{0} hours", static_cast<unsigned long>(hours));
    if (rest > 0)
        out += " " + ui.trn("{0} minute", "{0} minutes", static_cast<unsigned long>(rest));
    return out;
}

std::string language_name(std::string_view tag) {
    return ui::language_endonym(tag);
}

}  // namespace seba::mp
