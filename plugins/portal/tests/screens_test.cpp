// SPDX-License-Identifier: Apache-2.0
// The portal's screens as a citizen uses them, on the demo pack's places and offices kept in a
// real kiosk database: browse division > district > upazila > union to the office page and its
// charter; print it; old notices are hidden; offices near the centre nearest first; a bad office
// record is skipped with a warning; the operator's page lists the channels.
#include <gmock/gmock.h>

#include "portal_fixture.hpp"

namespace seba::portal::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Every office of the portal framework has a site: a union the pack says nothing more about
// still has an office page, with its portal address and the QR of it, and no charter.
TEST_F(PortalScreens, AUnionWithNoDetailsRecordStillHasItsPortalAddressAndQr) {
    start();
    tap("portal.top.geo.bd.divisions/1");
    tap("portal.place.geo.bd.districts/1");
    tap("portal.place.geo.bd.upazilas/1");
    tap("portal.place.geo.bd.unions/4");
    EXPECT_EQ(label("portal.office.title"), "Boroshalghor");
    EXPECT_EQ(label("portal.office.portal"), "Portal: boroshalghorup.comilla.gov.bd");
    ASSERT_TRUE(shown("portal.office.qr"));
    EXPECT_EQ(state.node("portal.office.qr")->value, "https://boroshalghorup.comilla.gov.bd");
    EXPECT_FALSE(shown("portal.charter.0"));
}

TEST_F(PortalScreens, BrowseDownToAUnionAndSeeItsOfficeWithItsCharter) {
    start();
    EXPECT_EQ(label("portal.top.geo.bd.divisions/1"), "Chattagram");
    EXPECT_EQ(label("portal.top.geo.uz.regions/3"), "Buxoro viloyati") << "no English: Uzbek Latin";
    tap("portal.top.geo.bd.divisions/1");
    EXPECT_EQ(label("portal.browse.title"), "Chattagram");
    tap("portal.place.geo.bd.districts/1");
    EXPECT_EQ(label("portal.browse.title"), "Cumilla");
    EXPECT_TRUE(shown("portal.browse.office")) << "Cumilla has its DC office's details";
    tap("portal.place.geo.bd.upazilas/1");
    EXPECT_EQ(label("portal.browse.kind"), "Upazila · Cumilla › Chattagram");
    tap("portal.place.geo.bd.unions/1");
    // A union has no places under it: its office page opens at once.
    EXPECT_EQ(label("portal.office.title"), "Subil");
    EXPECT_EQ(label("portal.office.kind"), "Union · Debidwar › Cumilla › Chattagram");
    EXPECT_EQ(label("portal.charter.0"), "Birth registration");
    EXPECT_EQ(state.node("portal.charter.0")->value,
              "Fee: Free within 45 days of birth; Tk 25 from 45 days to 5 years; Tk 50 after 5 "
              "years · Time limit: 7 working days");
    EXPECT_EQ(label("portal.charter.2"), "Trade licence");
    EXPECT_EQ(state.node("portal.charter.2")->value,
              "Fee: 500 BDT (depends on the kind of business) · Time limit: 3 working days");
    EXPECT_THAT(label("portal.charter.0.documents"), HasSubstr("EPI vaccination card"));
    EXPECT_THAT(label("portal.charter.0.officer"), HasSubstr("Union Parishad Secretary"));
    EXPECT_TRUE(shown("portal.form.0.print"));
    // Back goes up one step at a time.
    EXPECT_TRUE(view->back());
    frame();
    EXPECT_EQ(label("portal.browse.title"), "Debidwar");
}

TEST_F(PortalScreens, TheTopPlacesOfTheCitizensLanguageComeFirst) {
    auto top = [&] {
        std::vector<std::string> ids;
        for (const ui::Node& n : state.tree())
            if (n.id.starts_with("portal.top.geo")) ids.push_back(n.id);
        return ids;
    };
    language("bn");
    start();
    ASSERT_EQ(top().size(), 8u + 14u) << "Bangladesh's divisions and Uzbekistan's regions";
    EXPECT_THAT(top()[0], StartsWith("portal.top.geo.bd.divisions/"));
    EXPECT_THAT(top()[7], StartsWith("portal.top.geo.bd.divisions/"));
    EXPECT_THAT(top()[8], StartsWith("portal.top.geo.uz.regions/"));
    EXPECT_EQ(label("portal.top.geo.uz.regions/3"), "Buxoro viloyati") << "Latin, not Cyrillic";
    language("uz-Cyrl");
    frame();
    EXPECT_THAT(top()[0], StartsWith("portal.top.geo.uz.regions/"));
    EXPECT_EQ(label("portal.top.geo.uz.regions/3"), "Бухоро вилояти");
}

TEST_F(PortalScreens, TheOfficePageSpeaksBanglaWithItsQrAndFees) {
    language("bn");
    start();
    tap("portal.top.geo.bd.divisions/1");
    tap("portal.place.geo.bd.districts/1");
    tap("portal.place.geo.bd.upazilas/1");
    tap("portal.place.geo.bd.unions/1");
    EXPECT_EQ(label("portal.office.title"), "সুবিল");
    EXPECT_EQ(label("portal.office.kind"), "ইউনিয়ন · দেবিদ্বার › কুমিল্লা › চট্টগ্রাম");
    EXPECT_EQ(label("portal.charter.0"), "জন্ম নিবন্ধন");
    const ui::Node* citizenship = state.node("portal.charter.3");
    ASSERT_TRUE(citizenship);
    EXPECT_EQ(citizenship->label, "নাগরিকত্ব সনদ");
    EXPECT_EQ(citizenship->value, "ফি: ৫০ টাকা · সময়সীমা: একই দিন");
    EXPECT_EQ(label("portal.print_charter"), "সেবা প্রদান প্রতিশ্রুতি ছাপুন");
    EXPECT_EQ(label("portal.office.phone"), "ফোন: ০১৭০০-০০০০০১");
}

TEST_F(PortalScreens, TypingFindsAPlaceAndShowsWhereItIs) {
    start();
    type("portal.query", "gunaighor");
    ASSERT_TRUE(shown("portal.hit.geo.bd.unions/2"));
    EXPECT_EQ(label("portal.hit.geo.bd.unions/2"), "North Gunaighor");
    EXPECT_EQ(state.node("portal.hit.geo.bd.unions/2")->value,
              "Union · Debidwar › Cumilla › Chattagram")
        << "two unions of one name are told apart by their place";
    EXPECT_EQ(state.node("portal.hit.geo.bd.unions/2")->icon, "cottage");
    tap("portal.hit.geo.bd.unions/3");
    EXPECT_EQ(label("portal.office.title"), "South Gunaighor");
}

// The results on screen are the index's now: a union a sync removes while the citizen looks
// at them leaves the list at the next frame, though the text typed did not change.
TEST_F(PortalScreens, AUnionRemovedBySyncLeavesTheResultsAtOnce) {
    start();
    type("portal.query", "gunaighor");
    ASSERT_TRUE(shown("portal.hit.geo.bd.unions/2"));
    keep_record(db, "geo.bd.unions", "2", nullptr);
    frame();
    EXPECT_FALSE(shown("portal.hit.geo.bd.unions/2"));
    EXPECT_TRUE(shown("portal.hit.geo.bd.unions/3"));
}

TEST_F(PortalScreens, NothingFoundIsSaidPlainly) {
    start();
    type("portal.query", "zzzz\"NEAR*");
    EXPECT_TRUE(shown("portal.nothing_found"));
    EXPECT_TRUE(shown("portal.top.geo.bd.divisions/1")) << "browsing stays below";
}

TEST_F(PortalScreens, PrintingTheCharterQueuesItsLines) {
    start();
    tap("portal.top.geo.bd.divisions/1");
    tap("portal.place.geo.bd.districts/1");
    tap("portal.place.geo.bd.upazilas/1");
    tap("portal.place.geo.bd.unions/2");
    tap("portal.print_charter");
    ASSERT_EQ(printer.queued.size(), 1u);
    const print::Document& d = printer.queued[0];
    EXPECT_THAT(d.reference, StartsWith("portal-charter-"));
    std::vector<std::string> lines;
    for (const print::Block& b : d.blocks)
        lines.push_back(b.text + (b.value.empty() ? "" : ": " + b.value));
    EXPECT_EQ(lines[0], "Citizen charter");
    EXPECT_EQ(lines[1], "North Gunaighor");
    EXPECT_EQ(lines[2], "North Gunaighor › Debidwar › Cumilla › Chattagram");
    EXPECT_THAT(lines, ::testing::Contains("1. Birth registration"));
    EXPECT_THAT(lines, ::testing::Contains("Fee: 50 BDT"));
    EXPECT_THAT(lines, ::testing::Contains("6. Inheritance (heirship) certificate"));
    EXPECT_THAT(lines, ::testing::Contains("Responsible officer: Union Parishad Chairman"));
    EXPECT_TRUE(shown("portal.printing"));
    // A failed print says so and offers to try again.
    printer.statuses[d.reference] = print::Status::Failed;
    frame();
    EXPECT_TRUE(shown("portal.print_problem"));
    tap("portal.reprint");
    EXPECT_EQ(printer.retries, 1);
}

TEST_F(PortalScreens, PrintingAFormGivesItsReferenceSheet) {
    start();
    tap("portal.top.geo.bd.divisions/1");
    tap("portal.place.geo.bd.districts/1");
    tap("portal.place.geo.bd.upazilas/1");
    tap("portal.place.geo.bd.unions/1");
    tap("portal.form.0.print");
    ASSERT_EQ(printer.queued.size(), 1u);
    const print::Document& d = printer.queued[0];
    EXPECT_EQ(d.blocks[0].text, "Birth registration application (Form 1)");
    bool has_qr = false;
    for (const print::Block& b : d.blocks)
        if (b.kind == print::Block::Kind::Qr) has_qr = b.text == "https://bdris.gov.bd";
    EXPECT_TRUE(has_qr);
}

TEST_F(PortalScreens, NoticesPastTheirExpiryAreHidden) {
    start();
    tap("portal.top.geo.bd.divisions/1");
    tap("portal.place.geo.bd.districts/1");
    tap("portal.browse.office");
    EXPECT_EQ(label("portal.office.title"), "Cumilla");
    EXPECT_THAT(label("portal.notice.0"), HasSubstr("Public hearing every Wednesday"));
    EXPECT_FALSE(shown("portal.notice.1")) << "the land tax fair of June 2025 is over";
}

TEST_F(PortalScreens, NearSortsOfficesByDistanceFromTheCentre) {
    auto rows = [&] {
        std::vector<std::string> out;
        for (const ui::Node& n : state.tree())
            if (n.id.starts_with("portal.near.geo") || n.id.starts_with("portal.near.portal"))
                out.push_back(n.id);
        return out;
    };
    auto km = [&](const std::string& row) {
        return std::stod(state.node(row)->value.substr(0, state.node(row)->value.find(' ')));
    };
    start(Coordinates{23.6016, 90.9917});  // Debidwar upazila, offices within 50 km
    tap("portal.near");
    std::vector<std::string> near = rows();
    ASSERT_GE(near.size(), 6u);
    EXPECT_EQ(near[0], "portal.near.geo.bd.upazilas/1");
    // Its unions (their offices' coordinates) and the district seats around (the places'
    // own coordinates), nearest first, none farther than 50 km.
    EXPECT_THAT(near, ::testing::Contains("portal.near.geo.bd.unions/3"));
    EXPECT_EQ(label("portal.near.geo.bd.districts/1"), "Cumilla");
    EXPECT_EQ(state.node("portal.near.geo.bd.districts/1")->value, "25 km · Chattagram");
    for (std::size_t i = 1; i < near.size(); ++i) {
        EXPECT_LE(km(near[i - 1]), km(near[i])) << near[i];
        EXPECT_LE(km(near[i]), 50) << near[i];
        EXPECT_EQ(near[i].find("uz"), std::string::npos) << near[i] << ": not near";
    }

    // A centre in the middle of Bukhara: the region's office there first, then the city's
    // centre of public services to its east; no office of Bangladesh.
    start(Coordinates{39.7747, 64.4286});
    tap("portal.near");
    std::vector<std::string> bukhara = rows();
    ASSERT_EQ(bukhara.size(), 2u);
    EXPECT_EQ(bukhara[0], "portal.near.geo.uz.regions/3");
    EXPECT_EQ(bukhara[1], "portal.near.portal.offices/office/uz-buxoro-dxm");
    // Without the centre's coordinates there is no such button.
    start();
    EXPECT_FALSE(shown("portal.near"));
}

TEST_F(PortalScreens, DistancesAreInTheLanguagesDigits) {
    language("bn");
    start(Coordinates{23.6016, 90.9917});
    tap("portal.near");
    const ui::Node* cumilla = state.node("portal.near.geo.bd.districts/1");
    ASSERT_TRUE(cumilla);
    EXPECT_EQ(cumilla->value, "২৫ কিমি · চট্টগ্রাম");
}

TEST_F(PortalScreens, ABadOfficeRecordIsSkippedWithAWarningAndTheRestShown) {
    keep_record(db, "portal.offices", "details/geo.bd.unions/2", {{"charter", "not a list"}});
    keep_record(db, "portal.offices", "details/geo.bd.unions/3",
                {{"charter", {{{"service", {{"en", "Good service"}}}}, {{"fee", 5}}}}});
    start();
    tap("portal.top.geo.bd.divisions/1");
    tap("portal.place.geo.bd.districts/1");
    tap("portal.place.geo.bd.upazilas/1");
    tap("portal.place.geo.bd.unions/3");
    EXPECT_EQ(label("portal.charter.0"), "Good service");
    EXPECT_FALSE(shown("portal.charter.1"));
    EXPECT_THAT(warnings, ::testing::Contains(HasSubstr("charter #2 left out: has no service")));
    EXPECT_TRUE(view->back());
    frame();
    // The refused one opens as a place without an office page.
    tap("portal.place.geo.bd.unions/2");
    EXPECT_FALSE(shown("portal.office.title"));
    EXPECT_EQ(label("portal.browse.title"), "North Gunaighor");
    EXPECT_THAT(warnings,
                ::testing::Contains(HasSubstr("geo.bd.unions/2 skipped: charter must be a list")));
}

TEST_F(PortalScreens, TheOperatorPageListsTheChannelsWithTheirCounts) {
    start(Coordinates{23.6016, 90.9917});
    state.begin_frame();
    {
        ui::Recorder ui(state);
        draw_operator_page(ui, *portal);
    }
    EXPECT_EQ(label("portal.op.channel.geo.bd.unions"), "geo.bd.unions");
    EXPECT_THAT(state.node("portal.op.channel.geo.bd.unions")->value,
                StartsWith("Records: 4540 · In search: 4540 · Last update: 20"));
    // Of the offices' 7 records the index reads the one office ("office/..."); the rest are
    // details of places.
    EXPECT_THAT(state.node("portal.op.channel.portal.offices")->value,
                StartsWith("Records: 1 · In search: 1 · Last update: 20"));
    EXPECT_THAT(label("portal.op.centre"), HasSubstr("23.6016"));
}

TEST_F(PortalScreens, TheOperatorPageSaysWhenThereIsNoIndexYet) {
    keep_record(db, "search.indexes", "portal", nullptr);  // withdrawn
    start();
    state.begin_frame();
    {
        ui::Recorder ui(state);
        draw_operator_page(ui, *portal);
    }
    EXPECT_TRUE(shown("portal.op.no_index"));
    EXPECT_FALSE(shown("portal.op.channel.geo.bd.unions"));
}

}  // namespace
}  // namespace seba::portal::testing
