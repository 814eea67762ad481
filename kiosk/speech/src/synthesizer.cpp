// SPDX-License-Identifier: Apache-2.0
// The espeak-ng engine behind every Synthesizer: one per process (espeak-ng keeps its voice,
// parameters and callback in globals), set up on first use and used under one mutex.
#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <cstring>
#include <mutex>
#include <string>

#include "seba/error.hpp"
#include "seba/speech/speech.hpp"
#include "seba/ui/i18n.hpp"
#include "spoken_text.hpp"

namespace seba::speech {
namespace {

// A little slower than espeak-ng's 175 words a minute: many listeners are not used to a
// synthetic voice.
constexpr int kWordsPerMinute = 150;
// Samples reach the callback in pieces this long, so a stop is noticed within one.
constexpr int kPieceMs = 100;

// Where one render's samples go; espeak-ng hands it back with every piece (user_data).
struct Rendering {
    std::vector<std::int16_t>* samples;
    std::stop_token stop;
};

int on_samples(short* wav, int count, espeak_EVENT* events) {
    auto* rendering = static_cast<Rendering*>(events->user_data);
    if (wav != nullptr && count > 0)
        rendering->samples->insert(rendering->samples->end(), wav, wav + count);
    return rendering->stop.stop_requested() ? 1 : 0;  // 1 makes espeak-ng stop here
}

class Engine {
  public:
    Audio render(const std::string& text, std::string_view voice, std::string_view language,
                 std::stop_token stop) {
        std::lock_guard lock(mutex_);
        start();
        if (espeak_SetVoiceByName(std::string(voice).c_str()) != EE_OK)
            throw Error(
                fmt::format("espeak-ng has no voice \"{}\" for {}; install the Debian package "
                            "espeak-ng-data, which holds it",
                            voice, language));
        espeak_SetParameter(espeakRATE, kWordsPerMinute, 0);
        Audio audio;
        audio.sample_rate = sample_rate_;
        Rendering rendering{&audio.samples, std::move(stop)};
        // No espeakSSML or espeakPHONEMES flag: markup and [[phonemes]] in the text are read
        // as the text they are, never obeyed.
        const espeak_ERROR result = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                                 espeakCHARS_UTF8, nullptr, &rendering);
        if (result != EE_OK && !rendering.stop.stop_requested())
            throw Error(fmt::format("espeak-ng could not render the text in {} (error {})",
                                    language, static_cast<int>(result)));
        return audio;
    }

  private:
    void start() {
        if (sample_rate_ > 0) return;
        // espeakINITIALIZE_DONT_EXIT: without it espeak-ng ends the process when its data is
        // missing.
        const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kPieceMs, nullptr,
                                           espeakINITIALIZE_DONT_EXIT);
        if (rate <= 0)
            throw Error(
                "espeak-ng cannot start: its data (espeak-ng-data) is missing or unreadable; "
                "install the Debian package espeak-ng-data, or point ESPEAK_DATA_PATH at it");
        espeak_SetSynthCallback(on_samples);
        sample_rate_ = rate;
    }

    std::mutex mutex_;
    int sample_rate_ = 0;
};

Engine& engine() {
    static Engine instance;
    return instance;
}

}  // namespace

double Audio::seconds() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
}

std::string voice_for(std::string_view language) {
    return ui::language_voice(language);
}

Audio Synthesizer::render(std::string_view text, std::string_view language,
                          std::stop_token stop) const {
    const std::string voice = voice_for(language);
    if (voice.empty())
        throw Error(fmt::format(
            "no voice reads the language \"{}\": its record (seba/ui/languages.hpp) names "
            "none; show the text only, or give it an espeak-ng voice",
            language));
    const std::string spoken = detail::spoken_text(text, language);
    if (spoken.find_first_not_of(" \t\n\r\f\v") == std::string::npos) return Audio{};
    return engine().render(spoken, voice, language, std::move(stop));
}

}  // namespace seba::speech
