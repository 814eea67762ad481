// SPDX-License-Identifier: Apache-2.0
// seba-say: the kiosk's voices from the command line, for pilots checking how a language is
// read.
//   seba-say --language bn --out x.wav TEXT    writes the speech to a WAVE file
//   seba-say --language bn TEXT                 says it on the sound device
#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>

#include "seba/build_info.hpp"
#include "seba/error.hpp"
#include "seba/speech/speech.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Speak text in a kiosk language with the kiosk's voices (espeak-ng)"};
    app.set_version_flag("--version", seba::version_line("seba-say"));
    std::string language, out, device = "default", text;
    app.add_option("--language", language, "bn, uz-Latn, uz-Cyrl, ru or en")->required();
    app.add_option("--out", out, "write a 16-bit mono WAVE file instead of playing");
    app.add_option("--device", device, "the ALSA device to play on")->default_val("default");
    app.add_option("text", text, "UTF-8 text to speak")->required();
    CLI11_PARSE(app, argc, argv);

    try {
        if (!out.empty()) {
            const seba::speech::Audio audio = seba::speech::Synthesizer{}.render(text, language);
            seba::speech::write_wav(audio, out);
            std::cout << out << ": " << std::fixed << std::setprecision(2) << audio.seconds()
                      << " s of speech at " << audio.sample_rate << " Hz (espeak-ng voice "
                      << seba::speech::voice_for(language) << ")\n";
            return 0;
        }
        // Refuse what cannot be spoken here, where the user sees it, not in the speaker's log.
        (void)seba::speech::Synthesizer{}.render(text, language);
        seba::speech::Speaker::Options options;
        options.device = device;
        seba::speech::Speaker speaker(options);
        if (!speaker.available()) {
            std::cerr << "seba-say: no sound device (ALSA \"" << device
                      << "\"); use --out x.wav to write the speech to a file\n";
            return 3;
        }
        speaker.say(text, language);
        speaker.wait_until_quiet(std::chrono::hours(1));
        return 0;
    } catch (const seba::Error& e) {
        std::cerr << "seba-say: " << e.what() << "\n";
        return 2;
    }
}
