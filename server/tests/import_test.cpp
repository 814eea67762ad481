// SPDX-License-Identifier: Apache-2.0
// Reading catalog files for `seba-server admin import`: the real Bangladesh and Uzbekistan
// datasets come through whole, and every mistake in a file is reported with its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "seba/error.hpp"
#include "seba/server/catalog_import.hpp"

namespace seba::server {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

const fs::path kData = SEBA_DATA_DIR;

ImportSpec csv_spec(std::vector<std::string> columns = {}, std::string key = "id") {
    ImportSpec spec;
    spec.format = ImportSpec::Format::Csv;
    spec.columns = std::move(columns);
    spec.key = std::move(key);
    return spec;
}

ImportSpec json_spec(std::string key = "id") {
    ImportSpec spec;
    spec.format = ImportSpec::Format::Json;
    spec.key = std::move(key);
    return spec;
}

// The message of the ImportError that reading `text` throws, or "" if it throws none.
std::string error_of(std::string_view text, const ImportSpec& spec,
                     std::string_view name = "channel.csv") {
    try {
        read_catalog_text(text, name, spec);
    } catch (const ImportError& e) {
        return e.what();
    }
    return "";
}

const CatalogRecord* find(const ImportResult& result, std::string_view key) {
    for (const CatalogRecord& record : result.records)
        if (record.key == key) return &record;
    return nullptr;
}

std::string field(const ImportResult& result, std::string_view key, const std::string& name) {
    const CatalogRecord* record = find(result, key);
    if (record == nullptr) return "<no record " + std::string(key) + ">";
    return record->data.at(name).get<std::string>();
}

struct FileCounts {
    int rows = 0;
    std::set<std::string> ids;
};

// An independent count for the real files, none of which has a newline inside a field: one
// row per line, the id is the first field, quoted in bd-geocode and bare in uz-regions.
FileCounts count_rows(const fs::path& file, bool header) {
    FileCounts counts;
    std::ifstream in(file);
    std::string line;
    if (header) std::getline(in, line);
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        ++counts.rows;
        if (line.front() == '"')
            counts.ids.insert(line.substr(1, line.find('"', 1) - 1));
        else
            counts.ids.insert(line.substr(0, line.find(',')));
    }
    return counts;
}

const std::vector<std::string> kApostrophes = {"'", "\u2019", "\u2018", "`", "\u02BC", "\u02BB"};

bool has_loose_apostrophe(const std::string& text) {
    for (const std::string& mark : kApostrophes)
        if (mark != "\u02BB" && mark != "\u02BC" && text.find(mark) != std::string::npos)
            return true;
    return false;
}

// ---- Real data: Bangladesh administrative units (no header, every field quoted) ----

TEST(CatalogImportBdGeocode, UnionsKeepEveryDistinctIdWithBanglaIntact) {
    // Checked with shell tools too: `wc -l` = 4540 lines; `cut -d, -f1 unions.csv | sort -u |
    // wc -l` = 4540 ids; `sort unions.csv | uniq -d` = no repeated line. The README's
    // "duplicated rows" are rows repeated under a new id (2352/2353 Awajpur, 2540/2546
    // Talimpur): different keys, so both stay and nothing is dropped.
    ImportSpec spec;
    spec.columns = {"id", "upazila_id", "name_en", "name_bn", "portal_url"};
    ImportResult result = read_catalog_file(kData / "bd-geocode/unions.csv", spec);

    FileCounts counts = count_rows(kData / "bd-geocode/unions.csv", false);
    EXPECT_EQ(result.records.size(), counts.ids.size());
    EXPECT_EQ(result.records.size(), 4540u);
    EXPECT_EQ(result.duplicates_dropped, counts.rows - static_cast<int>(counts.ids.size()));
    EXPECT_EQ(result.duplicates_dropped, 0);

    EXPECT_EQ(result.records.front().key, "1");
    EXPECT_EQ(field(result, "3", "name_bn"), "দক্ষিণ গুনাইঘর");
    EXPECT_EQ(field(result, "3", "name_en"), "South Gunaighor");
    EXPECT_EQ(field(result, "3", "upazila_id"), "1");
    EXPECT_EQ(field(result, "2352", "name_en"), field(result, "2353", "name_en"));
    // Values are imported as they are: the stray leading space stays for an editor to see.
    EXPECT_EQ(field(result, "1349", "name_bn"), " তুলশীগংগা");
    for (const CatalogRecord& record : result.records) {
        ASSERT_TRUE(record.data.is_object());
        ASSERT_EQ(record.data.size(), 5u);
        ASSERT_TRUE(record.data.at("id").is_string());
    }
}

TEST(CatalogImportBdGeocode, DivisionsDistrictsAndUpazilasHaveOneRecordPerId) {
    struct Case {
        const char* file;
        std::vector<std::string> columns;
        std::size_t distinct;
    };
    // Counts from the README, confirmed with `cut -d, -f1 FILE | sort -u | wc -l` and with
    // count_rows() below; no file has a repeated id.
    const Case cases[] = {
        {"divisions.csv", {"id", "name_en", "name_bn", "portal_url"}, 8},
        {"districts.csv",
         {"id", "division_id", "name_en", "name_bn", "lat", "lon", "portal_url"},
         64},
        {"upazilas.csv", {"id", "district_id", "name_en", "name_bn", "portal_url"}, 494},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.file);
        ImportSpec spec;
        spec.columns = c.columns;
        ImportResult result = read_catalog_file(kData / "bd-geocode" / c.file, spec);
        FileCounts counts = count_rows(kData / "bd-geocode" / c.file, false);
        EXPECT_EQ(result.records.size(), c.distinct);
        EXPECT_EQ(result.records.size(), counts.ids.size());
        EXPECT_EQ(result.duplicates_dropped, 0);
    }

    ImportSpec spec;
    spec.columns = cases[1].columns;
    ImportResult districts = read_catalog_file(kData / "bd-geocode/districts.csv", spec);
    EXPECT_EQ(field(districts, "1", "name_en"), "Cumilla");
    EXPECT_EQ(field(districts, "1", "name_bn"), "কুমিল্লা");
    // Coordinates stay text: no rounding through a double.
    EXPECT_EQ(field(districts, "1", "lat"), "23.4682747");

    spec.columns = cases[2].columns;
    ImportResult upazilas = read_catalog_file(kData / "bd-geocode/upazilas.csv", spec);
    // The newest upazilas have no portal yet; the file says so with the text "null".
    EXPECT_EQ(field(upazilas, "494", "portal_url"), "null");
    EXPECT_EQ(field(upazilas, "494", "name_bn"), "ডাসার");
}

// ---- Real data: Uzbekistan administrative units (header row with a BOM) ----

ImportSpec uz_spec() {
    ImportSpec spec;
    spec.uz_latin = {"name_uz"};
    return spec;
}

TEST(CatalogImportUzRegions, DistrictsGetOfficialLetterMarks) {
    ImportResult result = read_catalog_file(kData / "uz-regions/districts.csv", uz_spec());
    FileCounts counts = count_rows(kData / "uz-regions/districts.csv", true);

    ASSERT_FALSE(result.records.empty());
    EXPECT_EQ(result.records.front().key, "16");
    EXPECT_EQ(result.records.size(), counts.ids.size());
    EXPECT_EQ(result.records.size(), 210u);
    EXPECT_EQ(result.duplicates_dropped, 0);

    const nlohmann::json& first = result.records.front().data;
    EXPECT_TRUE(first.contains("id")) << "the BOM must not stick to the first header";
    EXPECT_EQ(first.at("name_uz"), "Oltinko\u02BBl tumani");
    EXPECT_EQ(first.at("name_oz"), "Олтинкўл тумани");
    EXPECT_EQ(first.at("soato_id"), "1703202");
    // The file mixes ' with ’ and ‘; all come out the same.
    EXPECT_EQ(field(result, "70", "name_uz"), "Yakkabog\u02BB tumani");
    EXPECT_EQ(field(result, "8575", "name_uz"), "Bo\u02BBzatov tumani");
    EXPECT_EQ(field(result, "8581", "name_uz"), "Tuproqqal\u02BCa tumani");
    EXPECT_EQ(field(result, "8584", "name_uz"), "G\u02BBozg\u02BBon tumani");
    for (const CatalogRecord& record : result.records) {
        const std::string name = record.data.at("name_uz").get<std::string>();
        EXPECT_FALSE(has_loose_apostrophe(name)) << record.key << ": " << name;
    }
}

TEST(CatalogImportUzRegions, VillagesKeepSoatoDigitsAndCyrillic) {
    ImportResult result = read_catalog_file(kData / "uz-regions/villages.csv", uz_spec());
    FileCounts counts = count_rows(kData / "uz-regions/villages.csv", true);

    EXPECT_EQ(result.records.size(), counts.ids.size());
    EXPECT_EQ(result.records.size(), 2641u);
    EXPECT_EQ(result.duplicates_dropped, 0);
    EXPECT_EQ(result.records.front().key, "217");

    const nlohmann::json& first = result.records.front().data;
    ASSERT_TRUE(first.at("soato_id").is_string());
    EXPECT_EQ(first.at("soato_id"), "1703202552");
    EXPECT_EQ(first.at("name_uz"), "Bo\u02BBston");
    EXPECT_EQ(first.at("name_oz"), "Бўстон");
    EXPECT_EQ(field(result, "416", "name_uz"), "Chorbog\u02BB");  // gʻ at the end of a word
    EXPECT_EQ(field(result, "2002", "name_uz"), "Ma\u02BCrifat");
    EXPECT_EQ(field(result, "2362", "name_uz"), "Qal\u02BCa");
    EXPECT_EQ(field(result, "506", "name_uz"), "Yakka A\u02BClam");
    for (const CatalogRecord& record : result.records) {
        const std::string name = record.data.at("name_uz").get<std::string>();
        EXPECT_FALSE(has_loose_apostrophe(name)) << record.key << ": " << name;
        // Only the named column is touched.
        EXPECT_EQ(record.data.at("name_oz").get<std::string>().find("\u02BB"), std::string::npos);
    }
}

TEST(CatalogImportUzRegions, RegionsAndAnUnknownLatinColumn) {
    ImportResult result = read_catalog_file(kData / "uz-regions/regions.csv", uz_spec());
    EXPECT_EQ(result.records.size(), 14u);
    EXPECT_EQ(field(result, "2", "name_uz"), "Andijon viloyati");

    ImportSpec spec = uz_spec();
    spec.uz_latin = {"name_latin"};
    try {
        read_catalog_file(kData / "uz-regions/regions.csv", spec);
        FAIL() << "an unknown Uzbek Latin column must be refused";
    } catch (const ImportError& e) {
        EXPECT_THAT(e.what(), AllOf(HasSubstr("regions.csv"), HasSubstr("\"name_latin\""),
                                    HasSubstr("\"name_uz\""), HasSubstr("\"soato_id\"")));
    }
}

// ---- Uzbek Latin letter marks ----

TEST(CatalogImportNormalise, EveryApostropheAfterOAndGBecomesTheLetterMark) {
    for (const std::string& mark : kApostrophes) {
        SCOPED_TRACE(mark);
        EXPECT_EQ(normalise_uz_latin("o" + mark + "zbek"), "o\u02BBzbek");
        EXPECT_EQ(normalise_uz_latin("Bo" + mark + "ston"), "Bo\u02BBston");
        EXPECT_EQ(normalise_uz_latin("tog" + mark + "li"), "tog\u02BBli");
        EXPECT_EQ(normalise_uz_latin("Ma" + mark + "rifat"), "Ma\u02BCrifat");
    }
    EXPECT_EQ(normalise_uz_latin("O'zbekiston"), "O\u02BBzbekiston");
    EXPECT_EQ(normalise_uz_latin("G'alaba"), "G\u02BBalaba");
    EXPECT_EQ(normalise_uz_latin("Qo'ng'irot"), "Qo\u02BBng\u02BBirot");
    // gʻ ends many place names ("Chorbogʻ" = four gardens).
    EXPECT_EQ(normalise_uz_latin("Chorbog'"), "Chorbog\u02BB");
    EXPECT_EQ(normalise_uz_latin("Yakkabog' tumani"), "Yakkabog\u02BB tumani");
}

TEST(CatalogImportNormalise, TutuqBetweenOtherLetters) {
    EXPECT_EQ(normalise_uz_latin("Ma'rifat"), "Ma\u02BCrifat");
    EXPECT_EQ(normalise_uz_latin("Qal'a"), "Qal\u02BCa");
    EXPECT_EQ(normalise_uz_latin("ma\u2019lumot"), "ma\u02BClumot");
    EXPECT_EQ(normalise_uz_latin("Mash'al"), "Mash\u02BCal");
}

TEST(CatalogImportNormalise, LeavesEverythingElseAlone) {
    EXPECT_EQ(normalise_uz_latin("'Yangi hayot'"), "'Yangi hayot'");
    EXPECT_EQ(normalise_uz_latin("Ma'"), "Ma'");
    EXPECT_EQ(normalise_uz_latin("a 'b"), "a 'b");
    EXPECT_EQ(normalise_uz_latin("a ' b"), "a ' b");
    EXPECT_EQ(normalise_uz_latin("'"), "'");
    EXPECT_EQ(normalise_uz_latin(""), "");
    EXPECT_EQ(normalise_uz_latin("12'34"), "12'34");
    EXPECT_EQ(normalise_uz_latin("Олтинкўл тумани"), "Олтинкўл тумани");
    EXPECT_EQ(normalise_uz_latin("Тупроққалъа"), "Тупроққалъа");
    // Cyrillic о and г before an apostrophe are not the Latin letters.
    EXPECT_EQ(normalise_uz_latin("\u043E'\u0437"), "\u043E'\u0437");
    EXPECT_EQ(normalise_uz_latin("\u0433'a"), "\u0433'a");
    EXPECT_EQ(normalise_uz_latin("দক্ষিণ গুনাইঘর"), "দক্ষিণ গুনাইঘর");
}

TEST(CatalogImportNormalise, IsIdempotent) {
    const std::string samples[] = {"O'zbekiston", "Ma'rifat",       "Qo''ng", "o`'a",
                                   "'g'",         "Chorbog'",       "a ' b",  "Qal\u2018'a",
                                   "Bo\u02BCz",   "x\u02BBy\u02BCz"};
    for (const std::string& sample : samples) {
        const std::string once = normalise_uz_latin(sample);
        EXPECT_EQ(normalise_uz_latin(once), once) << sample;
    }
}

// ---- CSV rules ----

TEST(CatalogImportCsv, QuotedCommasNewlinesAndQuotes) {
    ImportResult result = read_catalog_text(
        "id,name,note\n"
        "1,\"Smith, John\",\"two\nlines\"\n"
        "2,\"He said \"\"hi\"\"\",\"\"\n",
        "people.csv", csv_spec());
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[0].data.at("name"), "Smith, John");
    EXPECT_EQ(result.records[0].data.at("note"), "two\nlines");
    EXPECT_EQ(result.records[1].data.at("name"), "He said \"hi\"");
    EXPECT_EQ(result.records[1].data.at("note"), "");
}

TEST(CatalogImportCsv, LineNumbersCountNewlinesInsideQuotes) {
    // Row 2 spans lines 2-4, so the short row is on line 5.
    std::string message = error_of("id,name\n1,\"a\nb\nc\"\n2\n", csv_spec());
    EXPECT_THAT(message, AllOf(HasSubstr("channel.csv"), HasSubstr("line 5"), HasSubstr("1 fields"),
                               HasSubstr("header has 2")));
}

TEST(CatalogImportCsv, CrlfTrailingBlankLinesAndNoFinalNewline) {
    for (std::string_view text :
         {"id,name\r\n1,a\r\n2,b\r\n", "id,name\n1,a\n2,b", "id,name\n1,a\n2,b\n\n\n",
          "id,name\r\n1,a\r\n2,b\r\n\r\n  \r\n"}) {
        SCOPED_TRACE(text);
        ImportResult result = read_catalog_text(text, "x.csv", csv_spec());
        ASSERT_EQ(result.records.size(), 2u);
        EXPECT_EQ(result.records[1].key, "2");
        EXPECT_EQ(result.records[1].data.at("name"), "b");
    }
    // A CRLF inside quotes is part of the value.
    ImportResult result = read_catalog_text("id,note\r\n1,\"a\r\nb\"\r\n", "x.csv", csv_spec());
    EXPECT_EQ(result.records.at(0).data.at("note"), "a\r\nb");
}

TEST(CatalogImportCsv, BomIsDroppedOnlyAtTheStart) {
    ImportResult result =
        read_catalog_text("\xEF\xBB\xBFid,name\n1,\xEF\xBB\xBFx\n", "x.csv", csv_spec());
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_TRUE(result.records[0].data.contains("id"));
    EXPECT_EQ(result.records[0].data.at("name"), "\xEF\xBB\xBFx");
}

TEST(CatalogImportCsv, WrongFieldCountNamesTheLineAndBothCounts) {
    EXPECT_THAT(error_of("id,name,kind\n1,a,b\n2,b\n", csv_spec()),
                AllOf(HasSubstr("line 3"), HasSubstr("2 fields"), HasSubstr("header has 3")));
    EXPECT_THAT(error_of("1,a\n2,b,c\n", csv_spec({"id", "name"})),
                AllOf(HasSubstr("line 2"), HasSubstr("3 fields"), HasSubstr("2 column names")));
}

TEST(CatalogImportCsv, UnterminatedQuoteNamesWhereTheFieldBegan) {
    EXPECT_THAT(error_of("id,name\n1,a\n2,\"b\n3,c\n4,d\n", csv_spec()),
                AllOf(HasSubstr("line 3"), HasSubstr("closing quote")));
}

TEST(CatalogImportCsv, MalformedQuotesAreRefused) {
    EXPECT_THAT(error_of("id,name\n1,ab\"c\n", csv_spec()),
                AllOf(HasSubstr("line 2"), HasSubstr("field 2")));
    EXPECT_THAT(error_of("id,name\n1,\"ab\"c\n", csv_spec()),
                AllOf(HasSubstr("line 2"), HasSubstr("after its closing quote")));
}

TEST(CatalogImportCsv, InvalidUtf8NamesTheLine) {
    const std::pair<std::string, const char*> cases[] = {
        {"id,name\n1,a\n2,\xC3\x28\n", "line 3"},           // a lead byte without continuation
        {"id,name\n1,\xC0\xAF\n", "line 2"},                // overlong "/"
        {"id,name\n1,\xE0\x80\xAF\n", "line 2"},            // overlong, three bytes
        {"id,name\n1,a\n2,b\n3,\xED\xA0\x80\n", "line 4"},  // a UTF-16 surrogate
        {"id,name\n1,\xF4\x90\x80\x80\n", "line 2"},        // above U+10FFFF
        {"id,name\n1,\xFF\n", "line 2"},
        {"id,name\n1,\"x\ny\"\n2,\xE2\x82", "line 4"},  // cut short at the end
    };
    for (const auto& [text, line] : cases) {
        SCOPED_TRACE(line);
        EXPECT_THAT(error_of(text, csv_spec()), AllOf(HasSubstr(line), HasSubstr("UTF-8")));
    }
    // Four-byte characters are fine.
    EXPECT_EQ(error_of("id,name\n1,\xF0\x9F\x98\x80\n", csv_spec()), "");
}

TEST(CatalogImportCsv, HeaderNamesMustBeUniqueAndNonEmpty) {
    EXPECT_THAT(error_of("id,name,name\n1,a,b\n", csv_spec()),
                AllOf(HasSubstr("line 1"), HasSubstr("\"name\""), HasSubstr("columns 2 and 3")));
    EXPECT_THAT(error_of("id,,name\n1,a,b\n", csv_spec()),
                AllOf(HasSubstr("line 1"), HasSubstr("column 2")));
    EXPECT_THAT(error_of("1,a\n", csv_spec({"id", "id"})), HasSubstr("\"id\""));
}

TEST(CatalogImportCsv, MissingKeyColumnListsTheColumns) {
    EXPECT_THAT(error_of("code,name_en,name_bn\n1,a,b\n", csv_spec()),
                AllOf(HasSubstr("\"id\""), HasSubstr("\"code\", \"name_en\", \"name_bn\"")));
    ImportResult result = read_catalog_text("code,name\nA1,a\n", "x.csv", csv_spec({}, "code"));
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].key, "A1");
}

TEST(CatalogImportCsv, LongNamesInMessagesAreCutBetweenCharacters) {
    std::string column;
    while (column.size() <= 60) column += "বিভাগ";  // 15 bytes, three a code point
    EXPECT_THAT(error_of("id,name\n1,a\n", csv_spec({}, column)),
                HasSubstr("no column \"" + column.substr(0, 60) + "…\""));
    column.insert(0, "x");  // byte 60 is now inside a letter: the cut comes before it
    EXPECT_THAT(error_of("id,name\n1,a\n", csv_spec({}, column)),
                HasSubstr("no column \"" + column.substr(0, 58) + "…\""));
}

TEST(CatalogImportCsv, ConflictingDuplicateKeyNamesBothLines) {
    std::string message = error_of("id,name\n1,a\n2,b\n1,c\n", csv_spec());
    EXPECT_THAT(message, AllOf(HasSubstr("line 4"), HasSubstr("line 2"), HasSubstr("\"1\"")));
}

TEST(CatalogImportCsv, IdenticalDuplicateIsDroppedAndCounted) {
    ImportResult result = read_catalog_text("id,name\n1,a\n2,b\n1,a\n1,a\n", "x.csv", csv_spec());
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[0].key, "1");
    EXPECT_EQ(result.records[1].key, "2");
    EXPECT_EQ(result.duplicates_dropped, 2);

    // Spelt with different apostrophes, the rows are the same once normalised.
    ImportSpec spec = csv_spec();
    spec.uz_latin = {"name"};
    result = read_catalog_text("id,name\n1,O'zbek\n1,O\u2018zbek\n", "x.csv", spec);
    EXPECT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.duplicates_dropped, 1);
    EXPECT_THAT(error_of("id,name\n1,O'zbek\n1,O\u2018zbek\n", csv_spec()), HasSubstr("line 3"));
}

TEST(CatalogImportCsv, KeysAreTrimmedNonEmptyAndShort) {
    ImportResult result = read_catalog_text("id,name\n 7 ,a\n", "x.csv", csv_spec());
    EXPECT_EQ(result.records.at(0).key, "7");
    EXPECT_EQ(result.records.at(0).data.at("id"), " 7 ");

    EXPECT_THAT(error_of("id,name\n1,a\n,b\n", csv_spec()),
                AllOf(HasSubstr("line 3"), HasSubstr("empty")));
    EXPECT_THAT(error_of("id,name\n\" \t\",b\n", csv_spec()), HasSubstr("line 2"));
    EXPECT_EQ(error_of("id\n" + std::string(128, 'k') + "\n", csv_spec()), "");
    EXPECT_THAT(error_of("id\n" + std::string(129, 'k') + "\n", csv_spec()),
                AllOf(HasSubstr("line 2"), HasSubstr("129 bytes"), HasSubstr("128")));
}

TEST(CatalogImportCsv, ValuesStayStrings) {
    ImportResult result =
        read_catalog_text("id,soato,n\n007,1703202552,1e3\n", "x.csv", csv_spec());
    const nlohmann::json& data = result.records.at(0).data;
    EXPECT_EQ(result.records[0].key, "007");
    EXPECT_EQ(data.at("soato"), "1703202552");
    EXPECT_EQ(data.at("n"), "1e3");
    for (const auto& item : data.items()) EXPECT_TRUE(item.value().is_string()) << item.key();
}

TEST(CatalogImportCsv, BlankLinesOnlyAtTheEnd) {
    EXPECT_THAT(error_of("id,name\n1,a\n\n2,b\n", csv_spec()),
                AllOf(HasSubstr("line 3"), HasSubstr("blank")));
}

TEST(CatalogImportCsv, EmptyAndHeaderOnlyFiles) {
    EXPECT_THAT(error_of("", csv_spec()), HasSubstr("empty"));
    EXPECT_THAT(error_of("\xEF\xBB\xBF\n\n", csv_spec()), HasSubstr("empty"));
    EXPECT_TRUE(read_catalog_text("id,name\n", "x.csv", csv_spec()).records.empty());
    EXPECT_TRUE(read_catalog_text("", "x.csv", csv_spec({"id"})).records.empty());
}

TEST(CatalogImportCsv, TextNeedsAFormat) {
    ImportSpec spec;
    EXPECT_THAT(error_of("id\n1\n", spec, "pasted"),
                AllOf(HasSubstr("pasted"), HasSubstr("csv or json")));
}

// ---- JSON rules ----

TEST(CatalogImportJson, ArrayOfObjects) {
    ImportResult result = read_catalog_text(
        R"([{"id": "b", "name": "B", "n": 2}, {"id": "a", "name": "A", "tags": ["x"]}])", "c.json",
        json_spec());
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[0].key, "b");
    EXPECT_EQ(result.records[1].key, "a");
    EXPECT_EQ(result.records[0].data.at("n"), 2);  // JSON values keep their types
    EXPECT_EQ(result.records[1].data.at("tags"), nlohmann::json::array({"x"}));
}

TEST(CatalogImportJson, ObjectOfObjectsKeepsFileOrder) {
    ImportResult result = read_catalog_text(R"({"zeta": {"name": "Z"}, "alpha": {"name": "A"}})",
                                            "c.json", json_spec());
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[0].key, "zeta");
    EXPECT_EQ(result.records[1].key, "alpha");
    EXPECT_EQ(result.records[1].data, nlohmann::json({{"name", "A"}}));
}

TEST(CatalogImportJson, IntegerKeysBecomeDecimalText) {
    ImportResult result = read_catalog_text(
        R"([{"id": 1703202552}, {"id": -4}, {"id": 18446744073709551615}])", "c.json", json_spec());
    ASSERT_EQ(result.records.size(), 3u);
    EXPECT_EQ(result.records[0].key, "1703202552");
    EXPECT_EQ(result.records[1].key, "-4");
    EXPECT_EQ(result.records[2].key, "18446744073709551615");
    EXPECT_THAT(error_of(R"([{"id": 1.5}])", json_spec(), "c.json"),
                AllOf(HasSubstr("element #1"), HasSubstr("string or an integer")));
    EXPECT_THAT(error_of(R"([{"id": true}])", json_spec(), "c.json"),
                HasSubstr("string or an integer"));
}

TEST(CatalogImportJson, EveryElementNeedsTheKeyField) {
    EXPECT_THAT(error_of(R"([{"id": "1"}, {"name": "x"}])", json_spec(), "c.json"),
                AllOf(HasSubstr("c.json"), HasSubstr("element #2"), HasSubstr("\"id\"")));
    EXPECT_THAT(error_of(R"([{"id": "  "}])", json_spec(), "c.json"), HasSubstr("empty"));
    EXPECT_THAT(error_of(R"({"a": {}, "": {}})", json_spec(), "c.json"),
                AllOf(HasSubstr("member #2"), HasSubstr("empty")));
}

TEST(CatalogImportJson, ElementsAndMembersMustBeObjects) {
    EXPECT_THAT(error_of(R"([{"id": "1"}, 7])", json_spec(), "c.json"),
                AllOf(HasSubstr("element #2"), HasSubstr("number"), HasSubstr("object")));
    EXPECT_THAT(error_of(R"({"a": {}, "b": [1]})", json_spec(), "c.json"),
                AllOf(HasSubstr("member #2"), HasSubstr("\"b\""), HasSubstr("array")));
}

TEST(CatalogImportJson, BrokenJsonNamesTheBytePosition) {
    // 21 bytes; nlohmann counts the end of input as byte 22.
    std::string message = error_of(R"([{"id": "1"}, {"id": )", json_spec(), "c.json");
    EXPECT_THAT(message, AllOf(HasSubstr("c.json"), HasSubstr("byte 22")));
    EXPECT_THAT(message, Not(HasSubstr("json.exception")));
    EXPECT_THAT(error_of("", json_spec(), "c.json"), HasSubstr("byte"));
    EXPECT_THAT(error_of("[\"\xC3\x28\"]", json_spec(), "c.json"), HasSubstr("byte"));
}

TEST(CatalogImportJson, OtherShapesAreRefused) {
    for (std::string_view text : {R"("just text")", "42", "null"}) {
        SCOPED_TRACE(text);
        EXPECT_THAT(error_of(text, json_spec(), "c.json"),
                    AllOf(HasSubstr("c.json"), HasSubstr("expected an array of objects")));
    }
}

TEST(CatalogImportJson, DuplicatesFollowTheSameRule) {
    // Member order inside an object does not matter.
    ImportResult result =
        read_catalog_text(R"([{"id": "1", "n": 1}, {"n": 1, "id": "1"}])", "c.json", json_spec());
    EXPECT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.duplicates_dropped, 1);
    EXPECT_THAT(error_of(R"([{"id": "1", "n": 1}, {"id": "2"}, {"id": "1", "n": 2}])", json_spec(),
                         "c.json"),
                AllOf(HasSubstr("element #3"), HasSubstr("element #1"), HasSubstr("\"1\"")));
    // The key 1 as a number is the same key but not the same record.
    EXPECT_THAT(error_of(R"([{"id": "1"}, {"id": 1}])", json_spec(), "c.json"),
                HasSubstr("element #2"));
}

TEST(CatalogImportJson, DuplicateMemberNames) {
    ImportResult result =
        read_catalog_text(R"({"a": {"n": 1}, "b": {}, "a": {"n": 1}})", "c.json", json_spec());
    EXPECT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.duplicates_dropped, 1);
    EXPECT_THAT(error_of(R"({"a": {"n": 1}, "a": {"n": 2}})", json_spec(), "c.json"),
                AllOf(HasSubstr("member #2"), HasSubstr("member #1"), HasSubstr("\"a\"")));
}

TEST(CatalogImportJson, UzbekLatinFields) {
    ImportSpec spec = json_spec();
    spec.uz_latin = {"name_uz"};
    ImportResult result = read_catalog_text(
        R"([{"id": 1, "name_uz": "O'zbekiston", "other": "O'z"}, {"id": 2}])", "c.json", spec);
    EXPECT_EQ(result.records.at(0).data.at("name_uz"), "O\u02BBzbekiston");
    EXPECT_EQ(result.records.at(0).data.at("other"), "O'z");
    spec.uz_latin = {"name_lat"};
    EXPECT_THAT(error_of(R"([{"id": 1, "name_uz": "x"}])", spec, "c.json"),
                HasSubstr("\"name_lat\""));
}

// ---- Files ----

// A file in the test's own temporary directory, removed afterwards.
class TempFile {
  public:
    TempFile(const std::string& name, std::string_view text)
        : dir_(fs::temp_directory_path() /
               ("seba-import-test-" + std::to_string(::getpid()) + "-" + name)),
          path_(dir_ / name) {
        fs::create_directories(dir_);
        std::ofstream(path_, std::ios::binary) << text;
    }
    ~TempFile() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const fs::path& path() const { return path_; }
    const fs::path& dir() const { return dir_; }

  private:
    fs::path dir_;
    fs::path path_;
};

TEST(CatalogImportFile, MissingFileIsNamed) {
    const fs::path missing = kData / "bd-geocode/no-such-file.csv";
    try {
        read_catalog_file(missing, ImportSpec{});
        FAIL() << "a missing file must be an ImportError";
    } catch (const ImportError& e) {
        EXPECT_THAT(e.what(), AllOf(HasSubstr(missing.string()), HasSubstr("cannot open")));
    }
}

TEST(CatalogImportFile, FormatComesFromTheExtension) {
    TempFile json("channel.JSON", R"([{"id": "1"}])");
    EXPECT_EQ(read_catalog_file(json.path(), ImportSpec{}).records.size(), 1u);

    TempFile text("channel.txt", "id\n1\n");
    try {
        read_catalog_file(text.path(), ImportSpec{});
        FAIL() << "an unknown extension must be an ImportError";
    } catch (const ImportError& e) {
        EXPECT_THAT(e.what(), AllOf(HasSubstr("channel.txt"), HasSubstr("pass the format")));
    }
    EXPECT_EQ(read_catalog_file(text.path(), csv_spec()).records.size(), 1u);

    try {
        read_catalog_file(text.dir(), csv_spec());
        FAIL() << "a directory must be an ImportError";
    } catch (const ImportError& e) {
        EXPECT_THAT(e.what(), HasSubstr("directory"));
    }
}

// ---- Robustness: whatever the bytes, the only exception is ImportError ----

TEST(CatalogImportRobustness, MutatedInputsThrowOnlyImportError) {
    const std::string seeds[] = {
        "\xEF\xBB\xBFid,name_uz\r\n1,\"O'z, \"\"bek\"\"\"\n2,Qal'a\n",
        R"([{"id": 1, "name_uz": "Bo'ston"}, {"id": "x", "v": [1, {"a": null}]}])",
        R"({"a": {"name_uz": "g'"}, "b": {"n": 1.5}})",
    };
    const char alphabet[] = {'"',    ',',    '\n',   '\r',   '\'',   '{',    '}',
                             '[',    ']',    ':',    ' ',    'a',    '1',    '\xC3',
                             '\xA9', '\xE2', '\x80', '\x99', '\xCA', '\xBB', '\0'};
    std::mt19937 random(20240601);  // fixed: a failure must be repeatable
    for (int round = 0; round < 3000; ++round) {
        std::string text = seeds[static_cast<std::size_t>(round) % std::size(seeds)];
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const std::size_t at = random() % text.size();
            const char c = alphabet[random() % sizeof alphabet];
            switch (random() % 3) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(at, 1, c);
                    break;
                default:
                    text.erase(at, 1);
                    break;
            }
        }
        for (ImportSpec::Format format : {ImportSpec::Format::Csv, ImportSpec::Format::Json}) {
            ImportSpec spec;
            spec.format = format;
            try {
                ImportResult result = read_catalog_text(text, "fuzz", spec);
                for (const CatalogRecord& record : result.records) {
                    ASSERT_FALSE(record.key.empty());
                    ASSERT_TRUE(record.data.is_object());
                }
            } catch (const ImportError&) {
            } catch (const std::exception& e) {
                FAIL() << "not an ImportError: " << e.what() << " for "
                       << ::testing::PrintToString(text);
            }
        }
    }
}

}  // namespace
}  // namespace seba::server

namespace seba::server {
namespace {

TEST(CatalogImportJsonDepth, DeeplyNestedJsonIsRefusedNotACrash) {
    // 200 KB of brackets once crashed `seba-server admin import` when the record was printed.
    std::string deep =
        "[{\"id\": \"1\", \"x\": " + std::string(100'000, '[') + std::string(100'000, ']') + "}]";
    ImportSpec spec;
    spec.format = ImportSpec::Format::Json;
    try {
        read_catalog_text(deep, "deep.json", spec);
        FAIL() << "accepted";
    } catch (const ImportError& e) {
        EXPECT_THAT(e.what(), ::testing::HasSubstr("nested more than 128 deep"));
    }
    std::string ok =
        "[{\"id\": \"1\", \"x\": " + std::string(100, '[') + std::string(100, ']') + "}]";
    EXPECT_EQ(read_catalog_text(ok, "ok.json", spec).records.size(), 1u);
}

}  // namespace
}  // namespace seba::server
