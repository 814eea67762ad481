// SPDX-License-Identifier: Apache-2.0
// Where a citizen and an opportunity are, on the real directory: the demo pack's places of
// Bangladesh (division > district > upazila > union, districts with their seats'
// coordinates) and Uzbekistan (region > district > village) in the search index "portal".
#include "places.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "match_fixture.hpp"

namespace seba::nise::match_testing {
namespace {

using ::testing::ElementsAre;

class NisePlaces : public KioskDatabase {
  protected:
    void SetUp() override {
        KioskDatabase::SetUp();
        keep_places();
    }
    const PlaceChain& chain_of(std::string_view ref) {
        const PlaceChain* c = places.chain(ref);
        EXPECT_TRUE(c) << ref;
        static const PlaceChain none;
        return c ? *c : none;
    }
    Nearness near(std::string_view a, std::string_view b) {
        return nearness(chain_of(a), chain_of(b));
    }

    Places places{store};
};

TEST_F(NisePlaces, AChainRunsFromTheDivisionDownWithTheNearestCoordinates) {
    // Subil union, in Debidwar upazila, Cumilla district, Chattagram division.
    const PlaceChain& subil = chain_of("geo.bd.unions/1");
    EXPECT_THAT(subil.refs, ElementsAre("geo.bd.divisions/1", "geo.bd.districts/1",
                                        "geo.bd.upazilas/1", "geo.bd.unions/1"));
    EXPECT_EQ(subil.country, "bd");
    // Cumilla's district seat: unions and upazilas have no coordinates of their own.
    ASSERT_TRUE(subil.lat && subil.lon);
    EXPECT_NEAR(*subil.lat, 23.4682747, 1e-6);
    EXPECT_NEAR(*subil.lon, 91.1788135, 1e-6);

    const PlaceChain& village = chain_of("geo.uz.villages/217");
    EXPECT_THAT(village.refs,
                ElementsAre("geo.uz.regions/2", "geo.uz.districts/16", "geo.uz.villages/217"));
    EXPECT_EQ(village.country, "uz");
    EXPECT_FALSE(village.lat);

    // A division has no coordinates above it either.
    EXPECT_FALSE(chain_of("geo.bd.divisions/1").lat);
    EXPECT_FALSE(places.chain("geo.bd.unions/999999"));
    EXPECT_FALSE(places.chain("no-slash"));
    EXPECT_FALSE(places.chain(""));
    EXPECT_FALSE(places.chain(std::string(300, 'g') + "/1"));
}

TEST_F(NisePlaces, NearnessIsTheDeepestPlaceTwoChainsShare) {
    EXPECT_EQ(near("geo.bd.unions/1", "geo.bd.unions/1"), Nearness::SamePlace);
    // One inside the other's own place: Subil union in Debidwar upazila.
    EXPECT_EQ(near("geo.bd.unions/1", "geo.bd.upazilas/1"), Nearness::SamePlace);
    EXPECT_EQ(near("geo.bd.upazilas/1", "geo.bd.unions/1"), Nearness::SamePlace);
    // Two unions of Debidwar share the upazila.
    EXPECT_EQ(near("geo.bd.unions/1", "geo.bd.unions/2"), Nearness::SameArea);
    // Debidwar and Barura upazilas share Cumilla district; a union of one and the other too.
    EXPECT_EQ(near("geo.bd.upazilas/1", "geo.bd.upazilas/2"), Nearness::SameDistrict);
    EXPECT_EQ(near("geo.bd.unions/1", "geo.bd.upazilas/2"), Nearness::SameDistrict);
    // Cumilla and Feni share Chattagram division.
    EXPECT_EQ(near("geo.bd.districts/1", "geo.bd.districts/2"), Nearness::SameRegion);
    EXPECT_EQ(near("geo.bd.unions/1", "geo.bd.districts/2"), Nearness::SameRegion);
    // Cumilla and Dhaka: the same country only.
    EXPECT_EQ(near("geo.bd.unions/1", "geo.bd.districts/47"), Nearness::SameCountry);
    // Two villages of one Uzbek district share the second level.
    EXPECT_EQ(near("geo.uz.villages/217", "geo.uz.villages/218"), Nearness::SameDistrict);
    EXPECT_EQ(near("geo.uz.villages/217", "geo.uz.districts/16"), Nearness::SamePlace);
    // Never near across a border, nor with a place the directory does not know.
    EXPECT_EQ(near("geo.bd.unions/1", "geo.uz.villages/217"), Nearness::Elsewhere);
    EXPECT_EQ(nearness(chain_of("geo.bd.unions/1"), PlaceChain{}), Nearness::Elsewhere);
    EXPECT_EQ(to_string(Nearness::SameDistrict), "same_district");
    EXPECT_EQ(to_string(Nearness::Elsewhere), "elsewhere");
}

TEST_F(NisePlaces, KilometresAlongTheGreatCircle) {
    // Cumilla's seat to Dhaka's: about 83 km as the crow flies.
    const std::optional<double> km =
        km_between(chain_of("geo.bd.unions/1"), chain_of("geo.bd.districts/47"));
    ASSERT_TRUE(km);
    EXPECT_NEAR(*km, 82.8, 0.5);
    EXPECT_EQ(*km_between(chain_of("geo.bd.unions/1"), chain_of("geo.bd.unions/2")), 0.0);
    EXPECT_FALSE(km_between(chain_of("geo.bd.unions/1"), chain_of("geo.uz.villages/217")));

    // Across the world: Dhaka to a point at its antipode is half the circumference.
    PlaceChain a, b;
    a.lat = 23.71, a.lon = 90.41;
    b.lat = -23.71, b.lon = 90.41 - 180;
    EXPECT_NEAR(*km_between(a, b), 20015.1, 1.0);
}

TEST_F(NisePlaces, NamesComeWithTheirParentsInTheLanguageAsked) {
    std::optional<PlaceName> subil = places.name("geo.bd.unions/1", "bn");
    ASSERT_TRUE(subil);
    EXPECT_EQ(subil->ref, "geo.bd.unions/1");
    EXPECT_EQ(subil->kind, "union");
    EXPECT_EQ(name_in(subil->names, "bn"), "সুবিল");
    EXPECT_THAT(subil->path, ElementsAre("চট্টগ্রাম", "কুমিল্লা", "দেবিদ্বার"));

    std::optional<PlaceName> village = places.name("geo.uz.villages/217", "uz-Cyrl");
    ASSERT_TRUE(village);
    EXPECT_EQ(name_in(village->names, "uz-Cyrl"), "Бўстон");
    EXPECT_THAT(village->path, ElementsAre("Андижон вилояти", "Олтинкўл тумани"));
    // English asked of Uzbek places, which have none: the first name there is (name_in).
    EXPECT_EQ(places.name("geo.uz.villages/217", "en")->path.front(), "Андижанская область");
    EXPECT_FALSE(places.name("geo.bd.unions/999999", "en"));
}

TEST_F(NisePlaces, TheCitizensPickerFindsPlacesButNeverOffices) {
    keep_places({"portal.offices"});
    std::vector<PlaceName> found = places.find("Debidwar", "en", 5);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().ref, "geo.bd.upazilas/1");
    EXPECT_THAT(found.front().path, ElementsAre("Chattagram", "Cumilla"));
    // In Bangla, as typed on the kiosk.
    found = places.find("দেবিদ্বার", "bn", 5);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().ref, "geo.bd.upazilas/1");

    // Bukhara's public services centre is an office of the same index: not a place to live.
    found = places.find("Buxoro", "uz-Latn", 20);
    ASSERT_FALSE(found.empty());
    for (const PlaceName& p : found) {
        EXPECT_FALSE(p.ref.starts_with("portal.offices/")) << p.ref;
        EXPECT_NE(p.kind, "office");
    }
    EXPECT_LE(places.find("a", "en", 3).size(), 3u);
    EXPECT_TRUE(places.find("", "en", 5).empty());
}

TEST_F(NisePlaces, ChainsAreReadAgainWhenTheDirectoryChanges) {
    EXPECT_FALSE(places.chain("geo.bd.unions/900001"));
    keep_change("geo.bd.unions", "900001",
                {{"id", "900001"},
                 {"upazila_id", "2"},
                 {"name_en", "New Union"},
                 {"name_bn", "নতুন ইউনিয়ন"}});
    const PlaceChain* added = places.chain("geo.bd.unions/900001");
    ASSERT_TRUE(added);
    EXPECT_EQ(added->refs[2], "geo.bd.upazilas/2");
    EXPECT_EQ(near("geo.bd.unions/900001", "geo.bd.upazilas/1"), Nearness::SameDistrict);
}

TEST(NiseFixedPlaces, ServeTheChainsTheyWereGiven) {
    PlaceChain a;
    a.refs = {"geo.xx.r/1", "geo.xx.d/1"};
    a.country = "xx";
    Places places(std::map<std::string, PlaceChain, std::less<>>{{"geo.xx.d/1", a}});
    ASSERT_TRUE(places.chain("geo.xx.d/1"));
    EXPECT_EQ(places.chain("geo.xx.d/1")->refs.size(), 2u);
    EXPECT_FALSE(places.chain("geo.xx.d/2"));
    EXPECT_FALSE(places.name("geo.xx.d/1", "en"));
    EXPECT_TRUE(places.find("x", "en", 5).empty());
}

}  // namespace
}  // namespace seba::nise::match_testing
