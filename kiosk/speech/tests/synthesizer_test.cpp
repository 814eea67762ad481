// SPDX-License-Identifier: Apache-2.0
// The real espeak-ng voices reading the kiosk's own catalogs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "audio_checks.hpp"
#include "seba/error.hpp"
#include "seba/speech/speech.hpp"
#include "seba/ui/i18n.hpp"
#include "spoken_text.hpp"
#include "temp_dir.hpp"

namespace seba::speech {
namespace {

using ::testing::HasSubstr;
using testing::kSpeechRms;
using testing::rms;
using testing::same_speech;
using testing::sounding_share;

const std::string kLanguages[] = {"bn", "uz-Latn", "uz-Cyrl", "ru", "en"};

const ui::Catalog& shell_catalog() {
    static const ui::Catalog catalog = ui::Catalog::load("seba", SEBA_KIOSK_LOCALE_DIR);
    return catalog;
}

std::string translated(const std::string& language, const std::string& english) {
    return shell_catalog().translate(language, english);
}

std::string with_number(std::string text, const std::string& number) {
    const std::size_t at = text.find("{0}");
    return at == std::string::npos ? text : text.replace(at, 3, number);
}

// Rendered, written to a WAVE file and read back, as a script run would find it.
Audio spoken_via_wav(const std::string& text, const std::string& language) {
    seba::testing::TempDir dir;
    write_wav(Synthesizer{}.render(text, language), dir / "said.wav");
    return read_wav(dir / "said.wav");
}

TEST(SpeechVoiceTest, EveryKioskLanguageHasItsVoice) {
    EXPECT_EQ(voice_for("bn"), "bn");
    EXPECT_EQ(voice_for("uz-Latn"), "uz");
    EXPECT_EQ(voice_for("uz-Cyrl"), "uz");
    EXPECT_EQ(voice_for("ru"), "ru");
    EXPECT_EQ(voice_for("en"), "en");
    for (const std::string& language : kLanguages)
        EXPECT_EQ(voice_for(language), ui::language_voice(language)) << language;
}

TEST(SpeechVoiceTest, ALanguageWithoutVoiceIsRefusedClearly) {
    EXPECT_EQ(voice_for("tg"), "");  // Tajik: not a kiosk language
    EXPECT_EQ(voice_for(""), "");
    try {
        (void)Synthesizer{}.render("Хизматро интихоб кунед", "tg");
        FAIL() << "a language with no voice was rendered";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("no voice reads the language \"tg\""));
        EXPECT_THAT(e.what(), HasSubstr("give it an espeak-ng voice"));
    }
}

class SpeechEveryLanguageTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SpeechEveryLanguageTest, SaysTheHomeScreensHeading) {
    const std::string& language = GetParam();
    const std::string sentence = translated(language, "Choose a service");
    if (language != "en") {
        ASSERT_NE(sentence, "Choose a service") << "no translation";
    }

    const Audio audio = spoken_via_wav(sentence, language);
    EXPECT_EQ(audio.sample_rate, 22050);
    EXPECT_GE(audio.seconds(), 0.4) << sentence;
    EXPECT_LE(audio.seconds(), 8.0) << sentence;
    EXPECT_GT(rms(audio), kSpeechRms) << sentence;
    EXPECT_GT(sounding_share(audio), 0.6) << sentence;

    // Twice the words, clearly more speech.
    const Audio twice = spoken_via_wav(sentence + ". " + sentence, language);
    EXPECT_GT(twice.seconds(), 1.6 * audio.seconds()) << sentence;
    EXPECT_GT(sounding_share(twice), 0.6) << sentence;
}

INSTANTIATE_TEST_SUITE_P(KioskLanguages, SpeechEveryLanguageTest, ::testing::ValuesIn(kLanguages),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

// The uz voice reads some Cyrillic itself but spells Ё letter by letter ("Ёқилган" took
// 1.9 s against 0.7 s for "Yoqilgan") and misreads ш and ю. Every string of the shell's
// Uzbek catalogs is as long in Cyrillic as in Latin: read, not spelled.
TEST(SpeechUzbekTest, CyrillicIsReadAsLatinIs) {
    double cyrillic_total = 0, latin_total = 0;
    int compared = 0;
    for (const std::string& english : shell_catalog().msgids()) {
        const std::string cyrillic = with_number(translated("uz-Cyrl", english), "30");
        const std::string latin = with_number(translated("uz-Latn", english), "30");
        if (cyrillic == english || latin == english) continue;  // untranslated in one of them
        const double cyrillic_seconds = Synthesizer{}.render(cyrillic, "uz-Cyrl").seconds();
        const double latin_seconds = Synthesizer{}.render(latin, "uz-Latn").seconds();
        EXPECT_NEAR(cyrillic_seconds / latin_seconds, 1.0, 0.25)
            << cyrillic << " (" << cyrillic_seconds << " s) / " << latin << " (" << latin_seconds
            << " s)";
        cyrillic_total += cyrillic_seconds;
        latin_total += latin_seconds;
        ++compared;
    }
    EXPECT_GT(compared, 100);
    EXPECT_NEAR(cyrillic_total / latin_total, 1.0, 0.05);
}

TEST(SpeechUzbekTest, TheCatalogsOwnWordsAreNotSpelled) {
    // The words the uz voice spelled out before speech prepared them, against the same
    // words as a reader would say them.
    struct Case {
        std::string english, reference;
    };
    const Case cases[] = {
        {"Enabled", "Yoqilgan"},            // Ё
        {"Database", "Malumotlar bazasi"},  // ʼ (U+02BC) and ъ
    };
    for (const Case& c : cases) {
        const double reference = Synthesizer{}.render(c.reference, "uz-Latn").seconds();
        for (const std::string language : {"uz-Latn", "uz-Cyrl"}) {
            const std::string text = translated(language, c.english);
            const double seconds = Synthesizer{}.render(text, language).seconds();
            EXPECT_LT(seconds, 1.3 * reference) << text << ": " << seconds << " s";
        }
    }
}

TEST(SpeechUzbekTest, TheEndonymIsSpokenInBothScripts) {
    const double latin = Synthesizer{}.render(ui::language_endonym("uz-Latn"), "uz-Latn").seconds();
    const double cyrillic =
        Synthesizer{}.render(ui::language_endonym("uz-Cyrl"), "uz-Cyrl").seconds();
    EXPECT_GT(latin, 0.4);
    EXPECT_NEAR(cyrillic / latin, 1.0, 0.15);
}

TEST(SpeechBanglaTest, NumbersInBanglaDigitsAreSpoken) {
    const std::string sentence = translated("bn", "Your session will end in {0} seconds.");
    ASSERT_NE(sentence.find("{0}"), std::string::npos);
    const Audio without = Synthesizer{}.render(with_number(sentence, ""), "bn");
    const Audio bangla = Synthesizer{}.render(with_number(sentence, "৩০"), "bn");
    const Audio ascii = Synthesizer{}.render(with_number(sentence, "30"), "bn");
    // "ত্রিশ" (thirty) takes a good part of a second.
    EXPECT_GT(bangla.seconds(), without.seconds() + 0.3);
    EXPECT_NEAR(bangla.seconds(), ascii.seconds(), 0.05);
    EXPECT_GT(rms(bangla), kSpeechRms);
}

TEST(SpeechBanglaTest, BanglaDigitsAreSpokenInTheOtherLanguagesToo) {
    for (const std::string language : {"uz-Latn", "uz-Cyrl", "ru", "en"}) {
        const Audio number = Synthesizer{}.render("১২৩", language);
        EXPECT_GT(number.seconds(), 0.5) << language;
        EXPECT_GT(rms(number), kSpeechRms) << language;
    }
}

TEST(SpeechSynthesizerTest, LongTextIsCutAtTheLastWordThatFits) {
    const std::string sentence = translated("bn", "Choose a service");  // 46 bytes, 4 words
    std::string text;
    while (text.size() < 3 * kMaxSpokenBytes) text += sentence + " ";
    // What fits: whole words only.
    std::string fits;
    for (std::size_t word = 0, next; word < text.size(); word = next + 1) {
        next = text.find(' ', word);
        if (next > kMaxSpokenBytes) break;
        fits = text.substr(0, next);
    }
    ASSERT_LT(fits.size(), kMaxSpokenBytes);
    ASSERT_GT(fits.size(), kMaxSpokenBytes - sentence.size());

    EXPECT_TRUE(detail::spoken_text(text, "bn") == fits);
    const Audio cut = Synthesizer{}.render(text, "bn");
    EXPECT_TRUE(same_speech(cut, Synthesizer{}.render(fits, "bn")));
    EXPECT_GT(cut.seconds(), 20.0);
    EXPECT_LT(cut.seconds(), 90.0);
}

TEST(SpeechSynthesizerTest, CutsBetweenWordsNeverInsideOne) {
    using detail::cut_at_word;
    EXPECT_EQ(cut_at_word("একটি সেবা", 100), "একটি সেবা");
    EXPECT_EQ(cut_at_word("একটি সেবা", 14), "একটি");  // "সে" would fit, the word does not
    EXPECT_EQ(cut_at_word("একটি সেবা", 12), "একটি");  // the cut falls on the space
    EXPECT_EQ(cut_at_word("একটি", 5), "এ");           // one word longer than the bound
    EXPECT_EQ(cut_at_word("Xizmatni tanlang", 11), "Xizmatni");
    EXPECT_EQ(cut_at_word("Xizmatni   tanlang", 10), "Xizmatni");
}

TEST(SpeechSynthesizerTest, TextThatIsNotUtf8IsRefused) {
    try {
        (void)Synthesizer{}.render("Xizmat\xC3(ni", "uz-Latn");
        FAIL() << "invalid UTF-8 was rendered";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("not valid UTF-8 (byte 6 of 10)"));
        EXPECT_THAT(e.what(), Not(HasSubstr("Xizmat")));  // never quotes what it was given
    }
}

TEST(SpeechSynthesizerTest, BlankTextIsSilence) {
    EXPECT_TRUE(Synthesizer{}.render("", "bn").samples.empty());
    EXPECT_TRUE(Synthesizer{}.render(" \n\t", "ru").samples.empty());
}

TEST(SpeechSynthesizerTest, MarkupIsReadNotObeyed) {
    // espeak-ng obeys SSML and [[phonemes]] only when asked to: text from a catalog never does.
    const Audio plain = Synthesizer{}.render("Choose a service", "en");
    const Audio marked = Synthesizer{}.render("Choose a <break time=\"5s\"/> service", "en");
    EXPECT_LT(marked.seconds(), plain.seconds() + 4.0);
}

TEST(SpeechSynthesizerTest, AStopEndsTheRenderingAndTheNextOneIsWhole) {
    std::string text;
    while (text.size() < kMaxSpokenBytes - 50) text += translated("ru", "Choose a service") + ". ";
    std::stop_source stop;
    stop.request_stop();
    const Audio stopped = Synthesizer{}.render(text, "ru", stop.get_token());
    const Audio whole = Synthesizer{}.render(text, "ru");
    EXPECT_LT(stopped.seconds(), 1.0);
    EXPECT_GT(whole.seconds(), 20.0);
    EXPECT_TRUE(same_speech(Synthesizer{}.render("Choose a service", "en"),
                            Synthesizer{}.render("Choose a service", "en")));
}

TEST(SpeechSynthesizerTest, ThreadsTakeTurns) {
    // espeak-ng is one engine per process; renders from several threads come out whole.
    const Audio alone = Synthesizer{}.render(translated("bn", "Choose a service"), "bn");
    std::vector<Audio> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] {
            results[i] = Synthesizer{}.render(translated("bn", "Choose a service"), "bn");
        });
    for (std::thread& thread : threads) thread.join();
    for (const Audio& result : results) EXPECT_TRUE(same_speech(result, alone));
}

}  // namespace
}  // namespace seba::speech
