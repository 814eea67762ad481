// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "audio_checks.hpp"
#include "process.hpp"
#include "seba/error.hpp"
#include "seba/speech/speech.hpp"
#include "temp_dir.hpp"

namespace seba::speech {
namespace {

using ::testing::HasSubstr;

TEST(SpeechWavTest, WhatIsWrittenIsReadBack) {
    seba::testing::TempDir dir;
    Audio audio;
    audio.sample_rate = 22050;
    audio.samples = {0, 1, -1, 32767, -32768, 1234, -4321};
    write_wav(audio, dir / "a.wav");
    EXPECT_EQ(std::filesystem::file_size(dir / "a.wav"), 44 + 2 * audio.samples.size());
    const Audio back = read_wav(dir / "a.wav");
    EXPECT_EQ(back.sample_rate, 22050);
    EXPECT_EQ(back.samples, audio.samples);
    EXPECT_FALSE(std::filesystem::exists(dir / "a.wav.part"));
}

TEST(SpeechWavTest, OtherToolsReadItAsMonoPcm) {
    seba::testing::TempDir dir;
    write_wav(Synthesizer{}.render("Choose a service", "en"), dir / "said.wav");
    const auto described = seba::testing::run_process(std::string(SEBA_FILE_COMMAND) + " -b " +
                                                      (dir / "said.wav").string());
    EXPECT_EQ(described.exit_code, 0);
    EXPECT_THAT(described.output,
                HasSubstr("RIFF (little-endian) data, WAVE audio, Microsoft PCM, 16 bit, mono "
                          "22050 Hz"));
}

TEST(SpeechWavTest, SomethingElseIsRefusedByName) {
    seba::testing::TempDir dir;
    seba::testing::write_file(dir / "notes.wav", "these are not sounds");
    EXPECT_THAT([&] { read_wav(dir / "notes.wav"); },
                ::testing::ThrowsMessage<Error>(HasSubstr("notes.wav is not a 16-bit mono PCM")));

    Audio audio;
    audio.sample_rate = 8000;
    audio.samples.assign(100, 7);
    write_wav(audio, dir / "cut.wav");
    std::filesystem::resize_file(dir / "cut.wav", 44 + 50);
    EXPECT_THAT([&] { read_wav(dir / "cut.wav"); },
                ::testing::ThrowsMessage<Error>(HasSubstr("the data chunk is cut short")));

    EXPECT_THAT([&] { read_wav(dir / "absent.wav"); },
                ::testing::ThrowsMessage<Error>(HasSubstr("cannot read")));
    EXPECT_THAT([&] { write_wav(audio, dir / "no" / "such" / "dir.wav"); },
                ::testing::ThrowsMessage<Error>(HasSubstr("cannot write")));
}

TEST(SpeechSayToolTest, WritesWhatAPilotAskedFor) {
    seba::testing::TempDir dir;
    const auto said =
        seba::testing::run_process(std::string(SEBA_SAY_BIN) + " --language uz-Cyrl --out " +
                                   (dir / "x.wav").string() + " 'Хизматни танланг'");
    EXPECT_EQ(said.exit_code, 0) << said.output;
    EXPECT_THAT(said.output, HasSubstr("at 22050 Hz (espeak-ng voice uz)"));
    EXPECT_TRUE(testing::same_speech(read_wav(dir / "x.wav"),
                                     Synthesizer{}.render("Хизматни танланг", "uz-Cyrl")));

    const auto refused = seba::testing::run_process(
        std::string(SEBA_SAY_BIN) + " --language tg --out " + (dir / "y.wav").string() + " Салом");
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_THAT(refused.output, HasSubstr("seba-say: no voice reads the language \"tg\""));
    EXPECT_FALSE(std::filesystem::exists(dir / "y.wav"));
}

}  // namespace
}  // namespace seba::speech
