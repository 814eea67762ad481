// SPDX-License-Identifier: Apache-2.0
// The speaker's thread with no sound device, and with a sound card made of ALSA's file plugin
// writing into a FIFO that the test reads at the pace of a real card: every sample that
// reaches ALSA is seen, and playing takes time, so cutting off can be seen too.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "audio_checks.hpp"
#include "seba/speech/speech.hpp"
#include "temp_dir.hpp"

namespace seba::speech {
namespace {

using namespace std::chrono_literals;
using testing::same_speech;
namespace fs = std::filesystem;

// A sound card that is certainly not there, whatever this machine has.
constexpr const char* kNoDevice = "hw:CARD=SebaNoSuchCard";
constexpr int kRate = 22050;  // espeak-ng's

// Plays at `speed` times real time, and hears every sample: ALSA's file plugin writes into a
// FIFO that this reads at the pace of a card. (The openings of the device are not told apart:
// when the speaker reopens it at once, the FIFO never shows the reader an end between them.)
class PacedSoundCard {
  public:
    explicit PacedSoundCard(int speed) : speed_(speed) {
        if (::mkfifo(fifo_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
        reader_ = std::thread([this] { run(); });
    }

    ~PacedSoundCard() {
        stopping_ = true;
        // The reader may be waiting in open() for a writer: be one, briefly.
        while (!finished_) {
            const int fd = ::open(fifo_.c_str(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0) ::close(fd);
            std::this_thread::sleep_for(10ms);
        }
        reader_.join();
    }

    std::string device() const { return "file:FILE=" + fifo_.string() + ",FORMAT=raw"; }

    /// Everything played so far.
    Audio played() {
        std::lock_guard lock(mutex_);
        return Audio{kRate, played_};
    }

    /// Waits until `seconds` have been played.
    bool wait_for_played(double seconds, std::chrono::seconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(
            lock, timeout, [&] { return static_cast<double>(played_.size()) >= seconds * kRate; });
    }

    /// Waits until the device is closed and all that was written to it has been played.
    bool wait_until_closed(std::chrono::seconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return !open_; });
    }

  private:
    void run() {
        // 20 ms of sound at a time, `speed_` times as fast as a card would take it.
        const auto piece_time = 20ms / speed_;
        std::vector<char> buffer(static_cast<std::size_t>(kRate / 50) * 2);
        while (!stopping_) {
            const int fd = ::open(fifo_.c_str(), O_RDONLY);
            if (fd < 0) break;
            {
                std::lock_guard lock(mutex_);
                open_ = true;
            }
            // A pipe holds 64 KiB (1.5 s of speech) unless told otherwise; a card's buffer is
            // a tenth of a second or so.
            ::fcntl(fd, F_SETPIPE_SZ, 4096);
            std::string bytes;
            for (;;) {
                const ssize_t got = ::read(fd, buffer.data(), buffer.size());
                if (got < 0 && errno == EINTR) continue;
                if (got <= 0) break;  // the speaker closed the device
                bytes.append(buffer.data(), static_cast<std::size_t>(got));
                const std::size_t whole = bytes.size() & ~std::size_t{1};
                {
                    std::lock_guard lock(mutex_);
                    const std::size_t old_size = played_.size();
                    played_.resize(old_size + whole / 2);
                    std::memcpy(played_.data() + old_size, bytes.data(), whole);
                }
                bytes.erase(0, whole);
                changed_.notify_all();
                std::this_thread::sleep_for(piece_time);
            }
            ::close(fd);
            {
                std::lock_guard lock(mutex_);
                open_ = false;
            }
            changed_.notify_all();
        }
        finished_ = true;
    }

    seba::testing::TempDir dir_;
    const fs::path fifo_ = dir_ / "card";
    const int speed_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::int16_t> played_;
    bool open_ = false;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> finished_{false};
    std::thread reader_;
};

std::string long_text(const std::string& sentence) {
    std::string text;
    while (text.size() + sentence.size() < kMaxSpokenBytes) text += sentence;
    return text;
}

TEST(SpeechSpeakerTest, WithoutASoundDeviceItGoesOnAndKeepsTheFiles) {
    seba::testing::TempDir dir;
    Speaker::Options options;
    options.device = kNoDevice;
    options.wav_dir = dir / "said";
    Speaker speaker(options);
    EXPECT_FALSE(speaker.available());
    EXPECT_NO_THROW(speaker.say("একটি সেবা বেছে নিন", "bn"));
    EXPECT_NO_THROW(speaker.say("Выберите услугу", "ru"));
    EXPECT_NO_THROW(speaker.say("Хизматни танланг", "uz-Cyrl"));
    ASSERT_TRUE(speaker.wait_until_quiet(30s));

    // Every utterance, in the order said, even those cut off by the next.
    const Synthesizer synthesizer;
    EXPECT_TRUE(same_speech(read_wav(dir / "said" / "001-bn.wav"),
                            synthesizer.render("একটি সেবা বেছে নিন", "bn")));
    EXPECT_TRUE(same_speech(read_wav(dir / "said" / "002-ru.wav"),
                            synthesizer.render("Выберите услугу", "ru")));
    EXPECT_TRUE(same_speech(read_wav(dir / "said" / "003-uz-Cyrl.wav"),
                            synthesizer.render("Хизматни танланг", "uz-Cyrl")));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir / "said"), fs::directory_iterator()), 3);
}

TEST(SpeechSpeakerTest, TheDefaultSpeakerNeverThrows) {
    // This machine may or may not have sound; either way the kiosk goes on.
    Speaker speaker;
    EXPECT_NO_THROW(speaker.say("Choose a service", "en"));
    EXPECT_NO_THROW(speaker.stop());
}

TEST(SpeechSpeakerTest, WhatCannotBeSaidIsSkippedNotThrown) {
    seba::testing::TempDir dir;
    Speaker::Options options;
    options.device = kNoDevice;
    options.wav_dir = dir.path();
    Speaker speaker(options);
    EXPECT_NO_THROW(speaker.say("Xizmat\xC3(ni", "uz-Latn"));
    EXPECT_NO_THROW(speaker.say("Хизматро интихоб кунед", "tg"));
    EXPECT_NO_THROW(speaker.say("Choose a service", "en"));
    ASSERT_TRUE(speaker.wait_until_quiet(30s));
    EXPECT_TRUE(fs::exists(dir / "001-en.wav"));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(SpeechSpeakerTest, PlaysEverySampleThroughAlsa) {
    PacedSoundCard card(8);
    seba::testing::TempDir dir;
    Speaker::Options options;
    options.device = card.device();
    options.wav_dir = dir.path();
    Speaker speaker(options);
    ASSERT_TRUE(speaker.available());
    speaker.say("একটি সেবা বেছে নিন", "bn");
    ASSERT_TRUE(speaker.wait_until_quiet(30s));
    ASSERT_TRUE(card.wait_until_closed(30s));
    const Audio kept = read_wav(dir / "001-bn.wav");
    EXPECT_GT(kept.seconds(), 1.0);
    EXPECT_TRUE(card.played().samples == kept.samples);
}

TEST(SpeechSpeakerTest, ANewScreenCutsOffTheOldOne) {
    PacedSoundCard card(4);
    Speaker::Options options;
    options.device = card.device();
    Speaker speaker(options);
    speaker.say(long_text("Выберите услугу. "), "ru");  // about 45 s
    ASSERT_TRUE(card.wait_for_played(1.0, 30s));
    speaker.say("Choose a service", "en");
    ASSERT_TRUE(speaker.wait_until_quiet(30s));
    ASSERT_TRUE(card.wait_until_closed(30s));

    // The old screen's words stop within what was on its way to the card; the new ones
    // follow, whole.
    const double old_seconds =
        card.played().seconds() - Synthesizer{}.render("Choose a service", "en").seconds();
    EXPECT_GE(old_seconds, 1.0);
    EXPECT_LT(old_seconds, 4.0);
}

TEST(SpeechSpeakerTest, TheRecordKeepsWhatWasCutOff) {
    PacedSoundCard card(4);
    seba::testing::TempDir dir;
    Speaker::Options options;
    options.device = card.device();
    options.wav_dir = dir.path();
    Speaker speaker(options);
    speaker.say(long_text("Выберите услугу. "), "ru");
    ASSERT_TRUE(card.wait_for_played(1.0, 30s));
    speaker.say("Choose a service", "en");
    ASSERT_TRUE(speaker.wait_until_quiet(30s));
    ASSERT_TRUE(card.wait_until_closed(30s));

    const Audio cut_off = read_wav(dir / "001-ru.wav");
    const Audio latest = read_wav(dir / "002-en.wav");
    EXPECT_GT(cut_off.seconds(), 30.0);  // the file has it all
    // The card heard the start of the first, then the whole second.
    const std::vector<std::int16_t> played = card.played().samples;
    ASSERT_GT(played.size(), latest.samples.size());
    const std::size_t heard_of_first = played.size() - latest.samples.size();
    EXPECT_GE(heard_of_first, std::size_t{kRate});
    EXPECT_LT(heard_of_first, std::size_t{4 * kRate});
    EXPECT_TRUE(std::equal(cut_off.samples.begin(), cut_off.samples.begin() + heard_of_first,
                           played.begin()));
    EXPECT_TRUE(
        std::equal(latest.samples.begin(), latest.samples.end(), played.begin() + heard_of_first));
}

TEST(SpeechSpeakerTest, StopSilencesAndSayingAgainWorks) {
    PacedSoundCard card(4);
    Speaker::Options options;
    options.device = card.device();
    Speaker speaker(options);
    speaker.say(long_text("একটি সেবা বেছে নিন। "), "bn");
    ASSERT_TRUE(card.wait_for_played(1.0, 30s));
    speaker.stop();
    ASSERT_TRUE(speaker.wait_until_quiet(30s));
    ASSERT_TRUE(card.wait_until_closed(30s));
    const double stopped_after = card.played().seconds();
    EXPECT_LT(stopped_after, 4.0);

    speaker.say("Choose a service", "en");
    ASSERT_TRUE(speaker.wait_until_quiet(30s));
    ASSERT_TRUE(card.wait_until_closed(30s));
    const double said_again = card.played().seconds() - stopped_after;
    EXPECT_NEAR(said_again, Synthesizer{}.render("Choose a service", "en").seconds(), 0.05);
}

TEST(SpeechSpeakerTest, GoesAwayPromptlyWhileSpeaking) {
    PacedSoundCard card(1);  // real time: the text would take about 50 s
    Speaker::Options options;
    options.device = card.device();
    std::optional<Speaker> speaker(std::in_place, options);
    speaker->say(long_text("একটি সেবা বেছে নিন। "), "bn");
    ASSERT_TRUE(card.wait_for_played(0.5, 30s));
    const auto start = std::chrono::steady_clock::now();
    speaker.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    ASSERT_TRUE(card.wait_until_closed(30s));
    EXPECT_LT(card.played().seconds(), 2.0);
}

}  // namespace
}  // namespace seba::speech
