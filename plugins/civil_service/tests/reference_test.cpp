// SPDX-License-Identifier: Apache-2.0
// A complaint's reference as it is made and as a citizen types it back; and the categories'
// pictograms are in the font the kiosk draws them with.
#include "reference.hpp"

#include <gtest/gtest.h>

#include "categories.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"

namespace seba::civil {
namespace {

TEST(Reference, IsMadeFromCentreDayTagAndSequence) {
    EXPECT_EQ(make_reference("DHK1", "2026-11-28", "A7", 3), "DHK1-G261128-A7-0003");
    EXPECT_EQ(make_reference("TSH3", "2027-01-05", "ZZ", 12345), "TSH3-G270105-ZZ-12345");
}

TEST(Reference, IsReadBackHoweverItIsTyped) {
    const std::string made = "DHK1-G261128-A7-0003";
    for (const char* typed :
         {"DHK1-G261128-A7-0003", "dhk1-g261128-a7-0003", "DHK1 G261128 A7 0003",
          "DHK1G261128A70003", "  dhk1 - g 261128 - a7 - 3 ", "DHK১-G২৬১১২৮-A7-০০০৩",
          "DHK1–G261128–A7–0003", "DHK1-G26II28-A7-OOO3", "DHK1.G261128.A7.0003"}) {
        SCOPED_TRACE(typed);
        ReadReference read = read_reference(typed, "DHK1");
        ASSERT_TRUE(read.reference);
        EXPECT_EQ(*read.reference, made);
    }
    // "…-A7-42": the last group as typed apart is the sequence.
    EXPECT_EQ(read_reference("DHK1-G261128-A7-42", "DHK1").reference, "DHK1-G261128-A7-0042");
    // Another centre's reference reads too; this kiosk's code comes back as configured.
    EXPECT_EQ(read_reference("tsh3g261128a70001", "DHK1").reference, "TSH3-G261128-A7-0001");
    EXPECT_EQ(read_reference("dc-x g261128 a7 0001", "DC-X").reference, "DC-X-G261128-A7-0001");
}

TEST(Reference, WhatIsNotOneIsToldApart) {
    for (const char* typed :
         {"", "hello", "42", "G261128-A7-0003", "DHK1-G261328-A7-0003", "DHK1-G261128-A7-00X3",
          "DHK1-G261128-A7-0003!", "DHK1-X261128-A7-0003", "\xff\xfe"}) {
        SCOPED_TRACE(typed);
        EXPECT_FALSE(read_reference(typed, "DHK1").reference);
    }
    EXPECT_FALSE(read_reference(std::string(201, 'A'), "DHK1").reference) << "too long to look at";
    // A Digital Centre request's tracking number, said to be one.
    EXPECT_TRUE(read_reference("DHK1-261128-A7-0042", "DHK1").request_tracking);
    EXPECT_TRUE(read_reference("dhk1 ২৬১১২৮ a7 42", "DHK1").request_tracking);
    EXPECT_FALSE(read_reference("hello", "DHK1").request_tracking);
    EXPECT_FALSE(read_reference("DHK1-G261399-A7-0003", "DHK1").request_tracking)
        << "a complaint's reference with a mistyped day is no request's";
}

TEST(Categories, EachHasAWordAndAPictogramTheFontHas) {
    std::unique_ptr<text::FontSet> fonts = text::FontSet::system();
    text::Shaper shaper(*fonts);
    ASSERT_GE(categories().size(), 6u);
    for (const char* required : {"delay", "extra_money", "staff_behaviour", "wrong_information",
                                 "closed_or_absent", "other"})
        EXPECT_TRUE(find_category(required)) << required;
    for (const Category& c : categories()) {
        EXPECT_FALSE(c.name.empty()) << c.id;
        EXPECT_NE(shaper.icon_glyph(c.icon), 0u) << c.id << ": " << c.icon << " is not in the font";
    }
    for (const char* icon : {"rate_review", "manage_search"})
        EXPECT_NE(shaper.icon_glyph(icon), 0u) << icon;
    EXPECT_GE(phrases().size(), 6u);
    EXPECT_TRUE(find_phrase("asked_for_extra_money"));
}

}  // namespace
}  // namespace seba::civil
