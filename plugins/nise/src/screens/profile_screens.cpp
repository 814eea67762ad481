// SPDX-License-Identifier: Apache-2.0
// The profile in five steps (education, skills, certificates, place, languages), each a page
// of large pictogram chips that say their name when tapped. What the citizen picks lives in
// the Desk's citizen (wiped at the session's end); leaving at any step writes nothing.
#include <fmt/format.h>

#include <algorithm>
#include <seba/ui/i18n.hpp>
#include <seba/ui/languages.hpp>

#include "../certificates.hpp"
#include "profile_ui.hpp"

namespace seba::nise {

namespace {

constexpr const char* kSkillSearch = "nise.skills.search";
constexpr const char* kCertCode = "nise.cert.code";
constexpr const char* kPlaceSearch = "nise.place.search";
constexpr std::size_t kSearchResults = 12;

bool has(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// Adds or removes `item`; false when the list is full.
bool flip(std::vector<std::string>& list, const std::string& item, std::size_t limit) {
    if (auto at = std::find(list.begin(), list.end(), item); at != list.end()) {
        list.erase(at);
        return true;
    }
    if (list.size() >= limit) return false;
    list.push_back(item);
    return true;
}

bool next_button(Ui& ui, const std::string& id) {
    return ui.button(id, ui.tr("Next"), ui::ButtonStyle::Primary, true, ui::icon::forward);
}

/// A chip of a skill: on when chosen, with the verified mark when a certificate shows it.
void skill_chip(Desk& desk, Ui& ui, const std::string& id, const std::string& skill,
                std::string& full) {
    Profile& profile = desk.citizen().profile;
    const bool chosen = has(profile.skills, skill);
    const bool shown = verified(profile, skill);
    const std::string detail = shown    ? ui.tr("Shown by a certificate")
                               : chosen ? ui.tr("Chosen")
                                        : std::string();
    const std::string_view pictogram = shown    ? ui::icon::verified
                                       : chosen ? ui::icon::done
                                                : ui::icon::add;
    // A skill a certificate shows stays, whatever is tapped.
    if (ui.tile(id, skill_name(desk, ui, skill), detail, pictogram) && !(shown && !chosen) &&
        !flip(profile.skills, skill, kMaxProfileSkills))
        full = ui.tr("You have chosen as many skills as a profile holds. Remove one first.");
}

// -- Step 5 ----------------------------------------------------------------------------------

class LanguagesScreen final : public ui::Screen {
  public:
    explicit LanguagesScreen(Desk& desk) : desk_(desk) {}
    Step step() const override { return {5, kProfileSteps}; }
    void draw(Ui& ui, Navigator& nav) override {
        Profile& profile = desk_.citizen().profile;
        if (first_ && profile.languages.empty()) profile.languages.emplace_back(ui.language());
        first_ = false;
        const std::string title = ui.tr("Which languages do you speak?");
        ui.heading("nise.lang.title", title);
        ui.begin_tiles("nise.lang.chips");
        std::vector<std::string> tags;
        for (const Language& l : ui::languages().all()) tags.push_back(l.tag);
        if (!has(tags, "en")) tags.emplace_back("en");
        for (const std::string& tag : tags) {
            const bool on = has(profile.languages, tag);
            if (ui.tile("nise.lang." + tag, ui::language_endonym(tag),
                        on ? ui.tr("Chosen") : std::string(),
                        on ? ui::icon::done : ui::icon::language))
                flip(profile.languages, tag, kMaxLanguages);
        }
        ui.end_tiles();
        if (!problem_.empty()) ui.banner("nise.lang.problem", ui::Tone::Error, problem_);
        read_page_aloud(ui, "nise.lang.read_aloud", title);
        if (!next_button(ui, "nise.lang.next")) return;
        // A saved profile that was changed is saved again (same code); a new one is saved only
        // when the citizen asks for a referral.
        if (!desk_.citizen().login.empty() && !save_again(ui)) return;
        nav.push(matches_screen(desk_));
    }

  private:
    bool save_again(Ui& ui) {
        try {
            desk_.profiles().save(desk_.citizen());
            problem_.clear();
            return true;
        } catch (const ProfileRefused& e) {
            desk_.context().log().warn("a changed profile was not saved: {}", e.what());
        } catch (const sealing::NoServerKey& e) {
            desk_.context().log().error("a changed profile was not saved: {}", e.what());
        } catch (const StorageError& e) {
            desk_.context().log().error("a changed profile was not saved: {}", e.what());
        }
        problem_ = ui.tr(
            "Your changes were NOT saved: this kiosk cannot save them right now. They stay here "
            "while you use the kiosk; please try again later.");
        return false;
    }

    Desk& desk_;
    bool first_ = true;
    std::string problem_;
};

// -- Step 4 ----------------------------------------------------------------------------------

class PlaceScreen final : public ui::Screen {
  public:
    explicit PlaceScreen(Desk& desk) : desk_(desk) {}
    Step step() const override { return {4, kProfileSteps}; }
    void draw(Ui& ui, Navigator& nav) override {
        Profile& profile = desk_.citizen().profile;
        const std::string title = ui.tr("Where do you live?");
        ui.heading("nise.place.title", title);
        std::string said = title;
        if (!profile.place.empty()) {
            const std::string where = place_words(desk_, ui, profile.place);
            ui.answer("nise.place.current", ui.tr("Your place"), where, false);
            said += " " + where;
            if (ui.button("nise.place.keep", ui.tr("Keep this place"), ui::ButtonStyle::Secondary,
                          true, ui::icon::done))
                nav.push<LanguagesScreen>(desk_);
        }
        ui::FieldSpec spec;
        spec.max_chars = 40;
        const ui::FieldResult typed =
            ui.field(kPlaceSearch, ui.tr("Type the name of your village, union or town"), spec);
        if (!typed.text.empty()) {
            std::vector<PlaceName> found =
                desk_.places().find(typed.text, ui.language(), kSearchResults);
            if (found.empty())
                ui.paragraph("nise.place.none", ui.tr("No place matches. Try fewer letters."));
            for (std::size_t i = 0; i < found.size(); ++i) {
                std::string path;
                for (const std::string& p : found[i].path) path += (path.empty() ? "" : ", ") + p;
                if (ui.list_row("nise.place.pick." + std::to_string(i),
                                name_in(found[i].names, ui.language()), path, ui::icon::map)) {
                    profile.place = found[i].ref;
                    ui.clear_field(kPlaceSearch);
                }
            }
        }
        read_page_aloud(ui, "nise.place.read_aloud", said);
        if (next_button(ui, "nise.place.next")) nav.push<LanguagesScreen>(desk_);
    }

  private:
    Desk& desk_;
};

// -- Step 3 ----------------------------------------------------------------------------------

std::string attach_words(Ui& ui, Attach result) {
    switch (result) {
        case Attach::Attached:
            return ui.tr("The certificate is added. Its skills are shown as proven.");
        case Attach::NotACertificate:
            return ui.tr("This is not a MuktoPaath certificate code.");
        case Attach::Invalid:
            return ui.tr("The certificate was changed after it was issued, or it is forged.");
        case Attach::NotYetTrusted:
            return ui.tr(
                "It was issued by a kiosk this kiosk does not know yet. Try again after the "
                "next sync.");
        case Attach::Revoked:
            return ui.tr("This certificate was withdrawn.");
        case Attach::Expired:
            return ui.tr("The certificate has expired.");
        case Attach::NotACourse:
            return ui.tr("This is not a course certificate.");
        case Attach::OtherHolder:
            return ui.tr("This certificate is in another person's name.");
        case Attach::UnknownCourse:
            return ui.tr("The course of this certificate teaches no skill this kiosk knows.");
        case Attach::AlreadyAttached:
            return ui.tr("This certificate is already added.");
        case Attach::TooMany:
            return ui.tr("Your profile holds as many certificates as it can.");
    }
    return {};
}

class CertificatesScreen final : public ui::Screen {
  public:
    explicit CertificatesScreen(Desk& desk) : desk_(desk) {}
    ~CertificatesScreen() override { stop_camera(); }
    Step step() const override { return {3, kProfileSteps}; }
    void draw(Ui& ui, Navigator& nav) override {
        const std::string title = ui.tr("Do you have MuktoPaath certificates?");
        const std::string how =
            ui.tr("A certificate proves your skills. Scan its QR code or type the text under it.");
        ui.heading("nise.cert.title", title);
        ui.paragraph("nise.cert.how", how);
        scan::Scanner* scanner = camera();
        if (scanner && ui.button("nise.cert.scan", ui.tr("Scan the QR code"),
                                 ui::ButtonStyle::Secondary, !scanning_, ui::icon::qr)) {
            scanner->start();
            scanning_ = true;
        }
        if (scanning_) {
            ui.paragraph("nise.cert.camera",
                         ui.tr("Hold the certificate's QR code in front of the camera."));
            if (std::optional<std::string> read = scanner->poll()) {
                attach(ui, *read);
                stop_camera();
            }
        }
        ui::FieldSpec spec;
        spec.max_chars = 2048;
        ui.field(kCertCode,
                 scanner
                     ? ui.tr("Or type the text under the QR code, starting with SB1:")
                     : ui.tr("Type the text under the certificate's QR code, starting with SB1:"),
                 spec);
        if (ui.button("nise.cert.add", ui.tr("Add the certificate"), ui::ButtonStyle::Secondary,
                      !ui.field_text(kCertCode).empty(), ui::icon::add)) {
            attach(ui, std::string(ui.field_text(kCertCode)));
            ui.clear_field(kCertCode);
        }
        if (result_)
            ui.banner("nise.cert.result",
                      *result_ == Attach::Attached ? ui::Tone::Success : ui::Tone::Error,
                      attach_words(ui, *result_));
        const Profile& profile = desk_.citizen().profile;
        for (const Certificate& c : profile.certificates) {
            const CourseSkills* course = desk_.catalog().course(c.course);
            std::string skills;
            for (const std::string& s : c.skills)
                skills += (skills.empty() ? "" : ", ") + skill_name(desk_, ui, s);
            ui.list_row("nise.cert.item." + c.credential,
                        course ? name_in(course->title, ui.language()) : c.course, skills,
                        ui::icon::verified);
        }
        read_page_aloud(ui, "nise.cert.read_aloud", title + " " + how);
        if (next_button(ui, "nise.cert.next")) nav.push<PlaceScreen>(desk_);
    }

  private:
    scan::Scanner* camera() {
        try {
            scan::Scanner& s = desk_.context().scanner();
            return s.available() ? &s : nullptr;
        } catch (const Error&) {
            return nullptr;  // no camera capability: typing only
        }
    }
    void stop_camera() {
        if (!scanning_) return;
        scanning_ = false;
        if (scan::Scanner* s = camera()) s->stop();
    }
    void attach(Ui& ui, const std::string& text) {
        (void)ui;
        Attached a = attach_certificate(desk_.citizen().profile, text,
                                        desk_.context().credentials(), desk_.catalog());
        result_ = a.result;
        desk_.context().log().info("certificate: {}", to_string(a.result));
    }

    Desk& desk_;
    bool scanning_ = false;
    std::optional<Attach> result_;
};

// -- Step 2 ----------------------------------------------------------------------------------

/// The skills of one category, as chips; Done goes back to the categories.
class SkillCategoryScreen final : public ui::Screen {
  public:
    SkillCategoryScreen(Desk& desk, std::string category)
        : desk_(desk), category_(std::move(category)) {}
    // Still the skills step: a screen pushed without one would count as the next.
    Step step() const override { return {2, kProfileSteps}; }
    void draw(Ui& ui, Navigator& nav) override {
        const SkillCategory* c = desk_.catalog().category(category_);
        const std::string title = c ? name_in(c->names, ui.language()) : category_;
        ui.heading("nise.skills.cat.title", title);
        ui.paragraph("nise.skills.cat.how",
                     ui.tr("Tap each skill you have. Tap again to remove it."));
        ui.begin_tiles("nise.skills.cat.chips");
        for (const Skill* s : desk_.catalog().skills_in(category_))
            skill_chip(desk_, ui, "nise.skill." + s->id, s->id, full_);
        ui.end_tiles();
        if (!full_.empty()) ui.message("nise.skills.full", ui::Tone::Warning, full_);
        if (ui.button("nise.skills.cat.done", ui.tr("Done"), ui::ButtonStyle::Primary, true,
                      ui::icon::done))
            nav.back();
    }

  private:
    Desk& desk_;
    std::string category_;
    std::string full_;
};

class SkillsScreen final : public ui::Screen {
  public:
    explicit SkillsScreen(Desk& desk) : desk_(desk) {}
    Step step() const override { return {2, kProfileSteps}; }
    void draw(Ui& ui, Navigator& nav) override {
        const std::string title = ui.tr("What can you do?");
        ui.heading("nise.skills.title", title);
        ui::FieldSpec spec;
        spec.max_chars = 40;
        const ui::FieldResult typed = ui.field(kSkillSearch, ui.tr("Find a skill by name"), spec);
        if (!typed.text.empty()) {
            std::vector<const Skill*> found =
                desk_.catalog().find_skills(typed.text, kSearchResults);
            if (found.empty())
                ui.paragraph("nise.skills.none", ui.tr("No skill matches. Try fewer letters."));
            ui.begin_tiles("nise.skills.found");
            for (const Skill* s : found) skill_chip(desk_, ui, "nise.skill." + s->id, s->id, full_);
            ui.end_tiles();
        } else {
            ui.begin_tiles("nise.skills.cats");
            for (const SkillCategory& c : desk_.catalog().categories())
                if (ui.tile("nise.skills.cat." + c.id, name_in(c.names, ui.language()), {},
                            c.icon.empty() ? std::string(ui::icon::work) : c.icon))
                    nav.push<SkillCategoryScreen>(desk_, c.id);
            ui.end_tiles();
        }
        if (!full_.empty()) ui.message("nise.skills.full", ui::Tone::Warning, full_);
        // The chosen ones, each a chip that takes it away again.
        const Profile& profile = desk_.citizen().profile;
        const std::vector<std::string> chosen = profile_skills(profile);
        if (!chosen.empty()) {
            ui.heading("nise.skills.chosen", ui.tr("Your skills"));
            ui.begin_tiles("nise.skills.chosen.chips");
            for (const std::string& s : chosen)
                skill_chip(desk_, ui, "nise.skills.chosen." + s, s, full_);
            ui.end_tiles();
        }
        read_page_aloud(ui, "nise.skills.read_aloud",
                        title + " " + ui.tr("Tap a group, then the skills you have."));
        if (next_button(ui, "nise.skills.next")) nav.push<CertificatesScreen>(desk_);
    }

  private:
    Desk& desk_;
    std::string full_;
};

// -- Step 1 ----------------------------------------------------------------------------------

class EducationScreen final : public ui::Screen {
  public:
    explicit EducationScreen(Desk& desk) : desk_(desk) {}
    Step step() const override { return {1, kProfileSteps}; }
    void draw(Ui& ui, Navigator& nav) override {
        Profile& profile = desk_.citizen().profile;
        const std::string title = ui.tr("How far did you go in school?");
        ui.heading("nise.edu.title", title);
        ui.begin_tiles("nise.edu.chips");
        for (const EducationLevel& level : education_levels()) {
            const bool on = profile.education == level.id;
            if (ui.tile("nise.edu." + std::string(level.id), ui.tr(std::string(level.english)),
                        on ? ui.tr("Chosen") : std::string(), on ? ui::icon::done : level.icon))
                profile.education = std::string(level.id);
        }
        ui.end_tiles();
        read_page_aloud(ui, "nise.edu.read_aloud", title);
        if (next_button(ui, "nise.edu.next")) nav.push<SkillsScreen>(desk_);
    }

  private:
    Desk& desk_;
};

}  // namespace

std::unique_ptr<ui::Screen> profile_screen(Desk& desk) {
    return std::make_unique<EducationScreen>(desk);
}

std::unique_ptr<ui::Screen> skills_step(Desk& desk) {
    return std::make_unique<SkillsScreen>(desk);
}

// -- Shared words ----------------------------------------------------------------------------

std::string skill_name(Desk& desk, Ui& ui, std::string_view skill) {
    if (const Skill* s = desk.catalog().skill(skill)) {
        const std::string& name = name_in(s->names, ui.language());
        if (!name.empty()) return name;
    }
    return std::string(skill);
}

std::vector<std::string> profile_skills(const Profile& profile) {
    std::vector<std::string> out = profile.skills;
    for (const Certificate& c : profile.certificates)
        for (const std::string& s : c.skills)
            if (!has(out, s)) out.push_back(s);
    return out;
}

bool verified(const Profile& profile, std::string_view skill) {
    for (const Certificate& c : profile.certificates)
        if (has(c.skills, skill)) return true;
    return false;
}

std::string education_words(Ui& ui, std::string_view level) {
    for (const EducationLevel& l : education_levels())
        if (l.id == level) return ui.tr(std::string(l.english));
    return {};
}

std::string place_words(Desk& desk, Ui& ui, std::string_view ref) {
    std::optional<PlaceName> place = desk.places().name(ref, ui.language());
    if (!place) return std::string(ref);
    std::string out = name_in(place->names, ui.language());
    std::string path;
    for (auto it = place->path.rbegin(); it != place->path.rend(); ++it)
        path += (path.empty() ? "" : ", ") + *it;
    if (!path.empty()) out += " (" + path + ")";
    return out;
}

void read_page_aloud(Ui& ui, std::string_view id, const std::string& text) {
    if (ui.can_read_aloud() && ui.button(id, ui.tr("Read this page aloud"),
                                         ui::ButtonStyle::Secondary, true, ui::icon::read_aloud))
        ui.read_aloud(text);
}

}  // namespace seba::nise
