// SPDX-License-Identifier: Apache-2.0
#pragma once

// Read-aloud: the kiosk's words spoken for citizens who read little. Text in a kiosk
// language is rendered with espeak-ng (the voice is part of the language's definition,
// seba::ui::language_voice) and played through ALSA on a thread of its own, so the screen
// never waits for the speaker. docs/architecture.md, "Read-aloud".

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace seba::speech {

/// Longest text spoken at once, in bytes of UTF-8 (about 50 s of Bangla); longer text is
/// cut at the last word that fits.
inline constexpr std::size_t kMaxSpokenBytes = 2000;

/// Speech as 16-bit mono PCM.
struct Audio {
    int sample_rate = 0;  ///< samples per second
    std::vector<std::int16_t> samples;
    /// How long it plays; 0 when empty.
    double seconds() const;
};

/// The espeak-ng voice that reads `language` ("bn", "uz-Latn", "uz-Cyrl", "ru", "en"); empty
/// for a language with no voice.
std::string voice_for(std::string_view language);

/// Renders text to Audio with espeak-ng. espeak-ng is one engine per process: every
/// Synthesizer shares it, one rendering at a time; it is set up on the first render().
class Synthesizer {
  public:
    /// `text` (UTF-8) spoken in `language`. Numbers in Bangla digits are read as numbers;
    /// Uzbek in Cyrillic is read through its Latin spelling (the uz voice spells some
    /// Cyrillic letters); text past kMaxSpokenBytes is cut at a word boundary. Empty or
    /// blank text gives empty Audio. When `stop` is requested, returns what was rendered so
    /// far. Throws seba::Error for text that is not UTF-8, a language with no voice, or
    /// espeak-ng's data missing.
    Audio render(std::string_view text, std::string_view language, std::stop_token stop = {}) const;
};

/// Writes `audio` as a 16-bit mono PCM RIFF/WAVE file (replacing it whole: written beside
/// and renamed). Throws seba::Error naming the file when it cannot be written.
void write_wav(const Audio& audio, const std::filesystem::path& file);

/// Reads a 16-bit mono PCM WAVE file. Throws seba::Error naming the file for anything else.
Audio read_wav(const std::filesystem::path& file);

/// Speaks without blocking the caller: say() hands the text to the speaker's thread, which
/// renders it and plays it through ALSA. A kiosk with no sound device (a CI runner, Xvfb)
/// is silent, not broken: it is logged once (logger "speech") and say() goes on working.
/// Nothing say() is given is ever logged (it may be what a citizen typed).
class Speaker {
  public:
    struct Options {
        /// When set, every utterance is also written to <wav_dir>/NNN-<language>.wav
        /// (001, 002... in the order said), so that a script run shows what was said.
        /// Then even an utterance cut short by the next is rendered and written in full.
        std::filesystem::path wav_dir;
        /// The ALSA PCM to play on.
        std::string device = "default";
    };

    Speaker();
    explicit Speaker(Options options);
    /// Stops speaking and joins the thread (within about one audio period).
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    /// Speaks `text` in `language`, cutting off whatever was being said (a new screen
    /// interrupts the old one). Never throws for the text: a text that cannot be spoken
    /// (not UTF-8, a language with no voice) is logged, by reason only, and skipped.
    void say(std::string text, std::string language);
    /// Silence now; nothing said before is spoken any more.
    void stop();
    /// Whether the sound device opened when the speaker was made.
    bool available() const;
    /// Waits until everything said has been spoken (or written, with no device); false when
    /// `timeout` passed first.
    bool wait_until_quiet(std::chrono::milliseconds timeout);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace seba::speech
