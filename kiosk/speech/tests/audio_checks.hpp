// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a listener would notice, measured: is there sound, and how much of the time.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "seba/speech/speech.hpp"

namespace seba::speech::testing {

/// Root mean square of samples [begin, end), in 16-bit units (full scale 32767).
inline double rms(const Audio& audio, std::size_t begin, std::size_t end) {
    if (end <= begin) return 0;
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += double(audio.samples[i]) * audio.samples[i];
    return std::sqrt(sum / double(end - begin));
}

inline double rms(const Audio& audio) {
    return rms(audio, 0, audio.samples.size());
}

/// Speech is loud: espeak-ng's voices speak at an RMS of about 3000 (-20 dBFS).
inline constexpr double kSpeechRms = 1000;
/// A 20 ms frame quieter than this (-50 dBFS) is silence between words.
inline constexpr double kSilentFrameRms = 100;

/// The share of 20 ms frames that are not silent.
inline double sounding_share(const Audio& audio) {
    const std::size_t frame = static_cast<std::size_t>(audio.sample_rate / 50);
    if (frame == 0 || audio.samples.size() < frame) return 0;
    std::size_t frames = 0, sounding = 0;
    for (std::size_t at = 0; at + frame <= audio.samples.size(); at += frame, ++frames)
        if (rms(audio, at, at + frame) > kSilentFrameRms) ++sounding;
    return double(sounding) / double(frames);
}

/// Whether `a` and `b` are the same speech. espeak-ng is not sample-exact from one render to
/// the next (its wave generator carries state over: "Choose a service" came out 19625 to 19634
/// samples long), so: the same length within 1% and the same loudness within 10%.
inline ::testing::AssertionResult same_speech(const Audio& a, const Audio& b) {
    const double longer = std::max(a.seconds(), b.seconds());
    if (a.sample_rate != b.sample_rate || std::abs(a.seconds() - b.seconds()) > 0.01 * longer)
        return ::testing::AssertionFailure()
               << a.seconds() << " s at " << a.sample_rate << " Hz against " << b.seconds()
               << " s at " << b.sample_rate << " Hz";
    if (std::abs(rms(a) - rms(b)) > 0.1 * std::max(rms(a), rms(b)))
        return ::testing::AssertionFailure() << "RMS " << rms(a) << " against " << rms(b);
    return ::testing::AssertionSuccess();
}

}  // namespace seba::speech::testing
