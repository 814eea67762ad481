// SPDX-License-Identifier: Apache-2.0
#pragma once

// The portal's screens on a directory in memory (the hierarchy a search index would hold)
// and a printer that keeps the documents it is given, drawn by the kit's recorder.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <seba/ui/i18n.hpp>
#include <seba/ui/recorder.hpp>
#include <seba/ui/ui_state.hpp>
#include <string>
#include <vector>

#include "portal.hpp"
#include "screens/screens.hpp"

namespace seba::portal::testing {

inline std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

class MemoryDirectory final : public Directory {
  public:
    void add(Place p) { places_.push_back(std::move(p)); }
    void details(const PlaceRef& ref, nlohmann::json record) { details_[ref] = std::move(record); }

    std::vector<Place> children(const std::optional<PlaceRef>& parent,
                                std::string_view language) override {
        std::vector<Place> out;
        for (const Place& p : places_)
            if (p.parent == parent) out.push_back(p);
        std::sort(out.begin(), out.end(), [&](const Place& a, const Place& b) {
            return name_in(a.names, language) < name_in(b.names, language);
        });
        return out;
    }
    std::optional<Place> place(const PlaceRef& ref) override {
        for (const Place& p : places_)
            if (p.ref == ref) return p;
        return std::nullopt;
    }
    std::vector<Place> path(const Place& place) override {
        std::vector<Place> out;
        std::optional<PlaceRef> up = place.parent;
        while (up) {
            std::optional<Place> p = this->place(*up);
            if (!p) break;
            out.insert(out.begin(), *p);
            up = p->parent;
        }
        return out;
    }
    // A stand-in for the real ranking: any name containing the text, exact names first.
    std::vector<Found> find(std::string_view text, std::size_t limit) override {
        std::vector<Found> out;
        const std::string q = lower(std::string(text));
        for (const Place& p : places_)
            for (const auto& [tag, name] : p.names)
                if (lower(name).find(q) != std::string::npos) {
                    out.push_back({p, path(p), lower(name) == q});
                    break;
                }
        std::stable_sort(out.begin(), out.end(),
                         [](const Found& a, const Found& b) { return a.exact > b.exact; });
        if (out.size() > limit) out.resize(limit);
        return out;
    }
    nlohmann::json details(const PlaceRef& ref) override {
        auto found = details_.find(ref);
        return found == details_.end() ? nlohmann::json() : found->second;
    }
    std::vector<Located> located() override {
        std::vector<Located> out;
        for (const auto& [ref, record] : details_)
            if (record.is_object() && record.contains("lat") && record["lat"].is_number())
                if (std::optional<Place> p = place(ref))
                    out.push_back({*p, record["lat"].get<double>(), record["lon"].get<double>()});
        return out;
    }
    std::vector<FeedStatus> status() override { return feeds; }

    std::vector<FeedStatus> feeds;

  private:
    std::vector<Place> places_;
    std::map<PlaceRef, nlohmann::json> details_;
};

class KeepingPrinter final : public print::Printer {
  public:
    void queue(const print::Document& d) override {
        queued.push_back(d);
        if (!fail)
            statuses[d.reference] = print::Status::Printing;
        else
            statuses[d.reference] = print::Status::Failed;
    }
    void print_copy(const print::Document& d) override { queued.push_back(d); }
    print::Status status(std::string_view reference) override {
        auto found = statuses.find(std::string(reference));
        return found == statuses.end() ? print::Status::None : found->second;
    }
    bool retry(std::string_view reference) override {
        ++retries;
        return statuses.contains(std::string(reference));
    }
    std::vector<print::UnprintedJob> unprinted(int) override { return {}; }
    int unprinted_count() override { return 0; }
    void on_printed(std::function<void(const std::string&)>) override {}

    std::vector<print::Document> queued;
    std::map<std::string, print::Status> statuses;
    bool fail = false;
    int retries = 0;
};

inline Place place(std::string channel, std::string key, int tier, std::string kind,
                   std::map<std::string, std::string> names, std::optional<PlaceRef> parent = {}) {
    return Place{{std::move(channel), std::move(key)},
                 tier,
                 std::move(kind),
                 std::move(names),
                 std::move(parent)};
}

class PortalScreens : public ::testing::Test {
  protected:
    // Bangladesh's branch down to Debidwar's unions and Uzbekistan's to a Buxoro village, as
    // the demo pack's CSVs key them, and the pack's own offices file for the details.
    void SetUp() override {
        const PlaceRef chattagram{"geo.bd.divisions", "1"}, cumilla{"geo.bd.districts", "1"},
            debidwar{"geo.bd.upazilas", "1"}, buxoro{"geo.uz.regions", "3"},
            buxoro_city{"geo.uz.districts", "43"};
        dir.add(place("geo.bd.divisions", "1", 1, "division",
                      {{"en", "Chattagram"}, {"bn", "চট্টগ্রাম"}}));
        dir.add(
            place("geo.bd.divisions", "2", 1, "division", {{"en", "Rajshahi"}, {"bn", "রাজশাহী"}}));
        dir.add(place("geo.bd.districts", "1", 2, "district", {{"en", "Cumilla"}, {"bn", "কুমিল্লা"}},
                      chattagram));
        dir.add(place("geo.bd.districts", "2", 2, "district", {{"en", "Feni"}, {"bn", "ফেনী"}},
                      chattagram));
        dir.add(place("geo.bd.upazilas", "1", 3, "upazila",
                      {{"en", "Debidwar"}, {"bn", "দেবিদ্বার"}}, cumilla));
        dir.add(
            place("geo.bd.unions", "1", 4, "union", {{"en", "Subil"}, {"bn", "সুবিল"}}, debidwar));
        dir.add(place("geo.bd.unions", "2", 4, "union",
                      {{"en", "North Gunaighor"}, {"bn", "উত্তর গুনাইঘর"}}, debidwar));
        dir.add(place("geo.bd.unions", "3", 4, "union",
                      {{"en", "South Gunaighor"}, {"bn", "দক্ষিণ গুনাইঘর"}}, debidwar));
        dir.add(place("geo.uz.regions", "3", 1, "region",
                      {{"uz-Latn", "Buxoro viloyati"},
                       {"uz-Cyrl", "Бухоро вилояти"},
                       {"ru", "Бухарская область"}}));
        dir.add(place("geo.uz.districts", "43", 2, "district",
                      {{"uz-Latn", "Buxoro"}, {"uz-Cyrl", "Бухоро"}, {"ru", "Бухара"}}, buxoro));
        std::ifstream in(SEBA_PORTAL_OFFICES);
        offices = nlohmann::json::parse(in);
        for (const nlohmann::json& record : offices) {
            const std::string key = record["key"];
            if (key.starts_with("office/")) {
                const std::string placed = record["place"];
                const auto slash = placed.find('/');
                std::map<std::string, std::string> names;
                for (const auto& [tag, name] : record["name"].items()) names[tag] = name;
                dir.add(place("portal.offices", key, 5, "office", names,
                              PlaceRef{placed.substr(0, slash), placed.substr(slash + 1)}));
                dir.details({"portal.offices", key}, record);
            } else if (key.starts_with("details/")) {
                const std::string rest = key.substr(8);
                const auto slash = rest.find('/');
                dir.details({rest.substr(0, slash), rest.substr(slash + 1)}, record);
            }
        }
        catalog = ui::Catalog::load("portal", SEBA_PORTAL_LOCALE_DIR);
        state.catalog = &catalog;
        language("en");
    }

    void language(const std::string& tag) { state.language = tag; }
    void start(std::optional<Coordinates> centre = {}) {
        portal = std::make_unique<Portal>(dir, printer, centre,
                                          [this](const std::string& w) { warnings.push_back(w); });
        view = std::make_unique<ui::ScreenView>(
            [this] { return std::make_unique<HomeScreen>(*portal); });
        frame();
    }

    // One frame, with a tap on `id` when given, and the frame after it (moves happen after
    // the frame that asked for them).
    void tap(const std::string& id) {
        ASSERT_TRUE(state.node(id)) << id << " is not on screen";
        state.tap(id);
        frame();
        frame();
    }
    void frame() {
        state.begin_frame();
        ui::Recorder ui(state);
        view->draw(ui);
    }
    void type(const std::string& field, const std::string& text) {
        tap(field);
        state.insert(text);
        frame();
    }
    std::string label(const std::string& id) const {
        const ui::Node* n = state.node(id);
        EXPECT_TRUE(n) << id << " is not on screen";
        return n ? n->label : std::string();
    }
    bool shown(const std::string& id) const { return state.node(id) != nullptr; }

    MemoryDirectory dir;
    KeepingPrinter printer;
    nlohmann::json offices;
    ui::Catalog catalog;
    ui::UiState state;
    std::unique_ptr<Portal> portal;
    std::unique_ptr<ui::ScreenView> view;
    std::vector<std::string> warnings;
};

}  // namespace seba::portal::testing
