// SPDX-License-Identifier: Apache-2.0
// The speaker's thread: renders what say() hands it and plays it through ALSA, one utterance
// at a time, the newest cutting off the one before.
#include <alsa/asoundlib.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "seba/error.hpp"
#include "seba/logging.hpp"
#include "seba/speech/speech.hpp"

namespace seba::speech {
namespace {

// ALSA's buffer: what a stop may still let through, and how long a drain waits at most.
constexpr unsigned kLatencyUs = 100'000;
// Samples are handed to ALSA in pieces this long; a stop is noticed between two.
constexpr int kPiecesPerSecond = 20;
// The longest wait for room in ALSA's buffer before looking for a stop again.
constexpr int kWaitMs = 100;
// A device that takes no sound for this long is given up on (a USB speaker pulled out).
constexpr auto kStalled = std::chrono::seconds(2);

std::shared_ptr<spdlog::logger> logger() {
    return seba::logging::get("speech");
}

// alsa-lib prints its own diagnostics on standard error ("ALSA lib confmisc.c:855: cannot
// find card '0'" on every machine without sound); they go to the speech log instead.
void on_alsa_message(const char* file, int line, const char* function, int error,
                     const char* format, ...) {
    char text[512];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(text, sizeof text, format, arguments);
    va_end(arguments);
    logger()->debug("alsa-lib {}:{} ({}): {}{}", file != nullptr ? file : "?", line,
                    function != nullptr ? function : "?", text,
                    error != 0 ? fmt::format(": {}", snd_strerror(error)) : "");
}

void route_alsa_messages() {
    static std::once_flag once;
    std::call_once(once, [] { snd_lib_error_set_handler(on_alsa_message); });
}

struct PcmCloser {
    void operator()(snd_pcm_t* pcm) const { snd_pcm_close(pcm); }
};
using Pcm = std::unique_ptr<snd_pcm_t, PcmCloser>;

// Opens `device` for 16-bit mono playback at `sample_rate`; the error's text when it cannot.
Pcm open_pcm(const std::string& device, int sample_rate, std::string& error) {
    route_alsa_messages();
    snd_pcm_t* raw = nullptr;
    // Non-blocking open: a device another program holds must not stall the speaker.
    int result = snd_pcm_open(&raw, device.c_str(), SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
    if (result < 0) {
        error = snd_strerror(result);
        return nullptr;
    }
    Pcm pcm(raw);
    // The device stays non-blocking: the speaker waits for room itself (snd_pcm_wait), so a
    // stop is heard and a stalled device given up on.
    result = snd_pcm_set_params(pcm.get(), SND_PCM_FORMAT_S16, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                static_cast<unsigned>(sample_rate), 1 /* resample */, kLatencyUs);
    if (result < 0) {
        error = snd_strerror(result);
        return nullptr;
    }
    return pcm;
}

// The rate espeak-ng renders at; only used to probe the device before anything is said.
constexpr int kProbeRate = 22050;

}  // namespace

struct Speaker::Impl {
    struct Utterance {
        std::string text;
        std::string language;
        std::stop_source stop;  // requested when something newer is said, or on stop()
    };

    explicit Impl(Options given) : options(std::move(given)) {
        std::string error;
        device_ready = open_pcm(options.device, kProbeRate, error) != nullptr;
        if (!device_ready) {
            // Once per process: every Speaker on a machine without sound would say the same.
            static std::atomic<bool> told{false};
            if (!told.exchange(true))
                logger()->warn("no sound device (ALSA \"{}\": {}); the kiosk does not speak aloud",
                               options.device, error);
        }
        worker = std::thread([this] { run(); });
    }

    ~Impl() {
        {
            std::lock_guard lock(mutex);
            shutdown.request_stop();
            silence_locked();
        }
        wake.notify_all();
        worker.join();
    }

    bool keeps_every_utterance() const { return !options.wav_dir.empty(); }

    // Everything said so far is no longer to be heard. With wav_dir each is still written.
    void silence_locked() {
        if (current) current->request_stop();
        for (Utterance& utterance : pending) utterance.stop.request_stop();
        if (!keeps_every_utterance()) pending.clear();
    }

    void say(std::string text, std::string language) {
        {
            std::lock_guard lock(mutex);
            silence_locked();
            // Nothing would come of it: no device to hear it, no file to keep it.
            if (!device_ready && !keeps_every_utterance()) return;
            if (text.empty()) return;
            pending.push_back({std::move(text), std::move(language), {}});
        }
        wake.notify_one();
    }

    void stop() {
        std::lock_guard lock(mutex);
        silence_locked();
    }

    bool wait_until_quiet(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex);
        return quiet.wait_for(lock, timeout, [&] { return pending.empty() && !busy; });
    }

    void run() {
        for (;;) {
            Utterance utterance;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [&] { return shutdown.stop_requested() || !pending.empty(); });
                if (shutdown.stop_requested()) break;
                utterance = std::move(pending.front());
                pending.pop_front();
                current = utterance.stop;
                busy = true;
            }
            speak(utterance);
            {
                std::lock_guard lock(mutex);
                current.reset();
                busy = false;
            }
            quiet.notify_all();
        }
        // Whoever waits for quiet learns that nothing more will be said.
        {
            std::lock_guard lock(mutex);
            pending.clear();
        }
        quiet.notify_all();
    }

    void speak(const Utterance& utterance) {
        Audio audio;
        try {
            // A kept utterance is rendered whole even when cut off: its file is the record.
            audio = synthesizer.render(
                utterance.text, utterance.language,
                keeps_every_utterance() ? shutdown.get_token() : utterance.stop.get_token());
        } catch (const Error& e) {
            // The reason only: the text may be what a citizen typed.
            logger()->warn("cannot say a text in {}: {}", utterance.language, e.what());
            return;
        }
        if (shutdown.stop_requested() || audio.samples.empty()) return;
        if (keeps_every_utterance()) keep(audio, utterance.language);
        if (device_ready && !utterance.stop.stop_requested())
            play(audio, utterance.stop.get_token());
    }

    void keep(const Audio& audio, const std::string& language) {
        const std::filesystem::path file =
            options.wav_dir / fmt::format("{:03}-{}.wav", ++written, language);
        try {
            std::filesystem::create_directories(options.wav_dir);
            write_wav(audio, file);
        } catch (const std::exception& e) {
            logger()->warn("cannot keep what was said: {}", e.what());
        }
    }

    void play(const Audio& audio, std::stop_token stop) {
        std::string error;
        Pcm pcm = open_pcm(options.device, audio.sample_rate, error);
        if (!pcm) {
            if (!told_play_failure.exchange(true))
                logger()->warn("cannot play on ALSA \"{}\": {}", options.device, error);
            return;
        }
        const std::size_t piece = static_cast<std::size_t>(audio.sample_rate / kPiecesPerSecond);
        auto last_progress = std::chrono::steady_clock::now();
        for (std::size_t at = 0; at < audio.samples.size();) {
            if (stop.stop_requested()) {
                snd_pcm_drop(pcm.get());  // silence now, not after the buffer
                return;
            }
            const std::size_t count = std::min(piece, audio.samples.size() - at);
            snd_pcm_sframes_t frames = snd_pcm_writei(pcm.get(), audio.samples.data() + at, count);
            if (frames == -EAGAIN) {  // the buffer is full: wait for room, a stop, or a stall
                if (std::chrono::steady_clock::now() - last_progress > kStalled) {
                    frames = -EIO;
                } else {
                    snd_pcm_wait(pcm.get(), kWaitMs);
                    continue;
                }
            }
            // An underrun (the thread was late) or a suspend: recover and go on.
            if (frames < 0) frames = snd_pcm_recover(pcm.get(), static_cast<int>(frames), 1);
            if (frames < 0) {
                if (!told_play_failure.exchange(true))
                    logger()->warn("playing on ALSA \"{}\" failed: {}", options.device,
                                   snd_strerror(static_cast<int>(frames)));
                snd_pcm_drop(pcm.get());
                return;
            }
            at += static_cast<std::size_t>(frames);
            last_progress = std::chrono::steady_clock::now();
        }
        // Let the buffer play out, still listening for a stop.
        snd_pcm_drain(pcm.get());  // non-blocking: starts draining
        const auto draining_since = std::chrono::steady_clock::now();
        while (snd_pcm_state(pcm.get()) == SND_PCM_STATE_DRAINING) {
            if (stop.stop_requested() ||
                std::chrono::steady_clock::now() - draining_since > kStalled) {
                snd_pcm_drop(pcm.get());
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(kWaitMs / 10));
        }
    }

    const Options options;
    bool device_ready = false;
    Synthesizer synthesizer;
    std::atomic<bool> told_play_failure{false};
    int written = 0;  // files kept so far; only the worker touches it

    std::mutex mutex;
    std::condition_variable wake;   // something to say, or shutdown
    std::condition_variable quiet;  // nothing pending and nothing being said
    std::deque<Utterance> pending;
    std::optional<std::stop_source> current;
    bool busy = false;
    std::stop_source shutdown;
    std::thread worker;  // last: starts once everything above is ready
};

Speaker::Speaker() : Speaker(Options{}) {
}
Speaker::Speaker(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {
}
Speaker::~Speaker() = default;

void Speaker::say(std::string text, std::string language) {
    impl_->say(std::move(text), std::move(language));
}
void Speaker::stop() {
    impl_->stop();
}
bool Speaker::available() const {
    return impl_->device_ready;
}
bool Speaker::wait_until_quiet(std::chrono::milliseconds timeout) {
    return impl_->wait_until_quiet(timeout);
}

}  // namespace seba::speech
