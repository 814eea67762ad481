// SPDX-License-Identifier: Apache-2.0
// course.json and the catalog records read defensively: the test course as written, and bad
// input refused with a reason a pack's author can act on, for every limit.
#include <gmock/gmock.h>

#include "mp_fixture.hpp"

namespace seba::mp::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

std::string refusal(const json& doc) {
    std::string refused;
    EXPECT_FALSE(read_content(doc.dump(), refused)) << doc.dump().substr(0, 200);
    return refused;
}

TEST(CourseContent, TheTestCourseReadsWithEveryKindOfBlock) {
    std::string refused;
    std::optional<Content> c = read_content(test_course_json(), refused);
    ASSERT_TRUE(c) << refused;
    ASSERT_EQ(c->lessons.size(), 2u);
    const Lesson& l1 = c->lessons[0];
    ASSERT_EQ(l1.pages.size(), 2u);
    ASSERT_EQ(l1.pages[0].size(), 4u);
    EXPECT_EQ(l1.pages[0][0].kind, Block::Kind::Heading);
    EXPECT_EQ(l1.pages[0][2].items, (std::vector<std::string>{"Screen", "Buttons"}));
    EXPECT_EQ(l1.pages[0][3].kind, Block::Kind::Image);
    EXPECT_EQ(l1.pages[0][3].image, "images/phone.png");
    EXPECT_EQ(l1.pages[0][3].text, "A smartphone");
    EXPECT_EQ(c->lessons[1].audio, "audio/l2.ogg");
    ASSERT_EQ(c->questions.size(), 3u);
    EXPECT_TRUE(c->questions[1].multiple);
    EXPECT_EQ(c->questions[1].answer, (std::vector<std::string>{"a", "c"}));
    EXPECT_THAT(Content::spoken(l1), HasSubstr("A smartphone"));
}

TEST(CourseContent, BadInputIsRefusedWithItsReason) {
    const json good = json::parse(test_course_json());
    std::string refused;
    EXPECT_FALSE(read_content("{not json", refused));
    EXPECT_EQ(refused, "course.json is not JSON");
    EXPECT_FALSE(read_content(std::string(5 * 1024 * 1024, ' '), refused));
    EXPECT_THAT(refused, HasSubstr("larger than 4 MiB"));

    json d = good;
    d["lessons"] = json::array();
    for (int i = 0; i < 201; ++i) {
        json l = good["lessons"][0];
        l["id"] = "l" + std::to_string(i);
        d["lessons"].push_back(l);
    }
    EXPECT_EQ(refusal(d), "more than 200 lessons");

    d = good;
    d["lessons"][0]["pages"] = json::array();
    for (int i = 0; i < 101; ++i) d["lessons"][0]["pages"].push_back(json::array({{{"p", "x"}}}));
    EXPECT_EQ(refusal(d), "lesson 1 has more than 100 pages");

    d = good;
    d["lessons"][0]["pages"][0] = json::array();
    for (int i = 0; i < 101; ++i) d["lessons"][0]["pages"][0].push_back({{"p", "x"}});
    EXPECT_EQ(refusal(d), "lesson 1 page 1 has more than 100 blocks");

    d = good;
    d["lessons"][0]["pages"][1][0]["p"] = std::string(8 * 1024 + 1, 'x');
    EXPECT_EQ(refusal(d), "lesson 1 page 2.p is longer than 8192 bytes");

    d = good;
    d["quiz"]["questions"] = json::array();
    for (int i = 0; i < 201; ++i) {
        json q = good["quiz"]["questions"][0];
        q["id"] = "q" + std::to_string(i);
        d["quiz"]["questions"].push_back(q);
    }
    EXPECT_EQ(refusal(d), "more than 200 questions");

    d = good;
    d["lessons"][1]["id"] = "l1";
    EXPECT_EQ(refusal(d), "lesson id l1 repeats");
    d = good;
    d["lessons"][0]["pages"][0][3]["img"] = "../../etc/passwd";
    EXPECT_EQ(refusal(d), "lesson 1 page 1.img is not a file of the pack");
    d = good;
    d["quiz"]["questions"][0]["answer"] = {"a", "b"};
    EXPECT_EQ(refusal(d), "question 1 is single choice but has 2 answers");
    d = good;
    d["quiz"]["questions"][1]["answer"] = {"z"};
    EXPECT_EQ(refusal(d), "question 2 answer z is not an option");
    d = good;
    d["quiz"]["questions"][0]["options"] = json::array({{{"id", "a"}, {"text", "Only"}}});
    EXPECT_EQ(refusal(d), "question 1 must have 2 to 10 options");
    d = good;
    d["lessons"][0]["pages"][0][0] = {{"video", "x.mp4"}};
    EXPECT_EQ(refusal(d), "lesson 1 page 1 is none of h, p, ul, img");
    std::string broken = test_course_json();
    broken.replace(broken.find("Your phone"), 10, "\xff\xfe");
    EXPECT_FALSE(read_content(broken, refused)) << "text that is not UTF-8";
    EXPECT_EQ(refused, "course.json is not JSON");
    d = good;
    d.erase("quiz");
    EXPECT_EQ(refusal(d), "the quiz has no questions");
}

TEST(CourseRecord, ReadsTheCatalogRecordAndItsCentres) {
    Course c = test_course();
    EXPECT_EQ(c.title.at("bn"), "পরীক্ষার কোর্স");
    EXPECT_EQ(c.pack.size(), 2u);
    EXPECT_TRUE(c.file("course.json"));
    EXPECT_TRUE(c.enabled_for("anywhere")) << "no centres: every centre";
    json r = course_record();
    r["centres"] = {"debidwar-1"};
    std::string refused;
    std::optional<Course> only = read_course("test-course", r, refused);
    ASSERT_TRUE(only) << refused;
    EXPECT_TRUE(only->enabled_for("debidwar-1"));
    EXPECT_FALSE(only->enabled_for("tashkent-1"));
    EXPECT_EQ(text_in(c.title, "uz-Latn"), "Test course") << "English when the language is missing";
}

TEST(CourseRecord, BadRecordsAreRefusedWithTheirReason) {
    std::string refused;
    EXPECT_FALSE(read_course("Bad Key", course_record(), refused));
    EXPECT_EQ(refused, "the key is not 1 to 64 of a-z 0-9 -");
    json r = course_record();
    r["pack"] = json::array({r["pack"][1]});
    EXPECT_FALSE(read_course("c", r, refused));
    EXPECT_EQ(refused, "pack has no course.json");
    r = course_record();
    r["pack"][0]["sha256"] = "not-a-hash";
    EXPECT_FALSE(read_course("c", r, refused));
    EXPECT_EQ(refused, "pack has a file that is not {sha256, size, name}");
    r = course_record();
    r["pass_mark"] = 150;
    EXPECT_FALSE(read_course("c", r, refused));
    EXPECT_EQ(refused, "pass_mark must be 1 to 100");
    r = course_record();
    r.erase("title");
    EXPECT_FALSE(read_course("c", r, refused));
    EXPECT_EQ(refused, "title is missing");
}

}  // namespace
}  // namespace seba::mp::testing
