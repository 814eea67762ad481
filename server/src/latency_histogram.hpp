// SPDX-License-Identifier: Apache-2.0
#pragma once
// Request latency for /metrics, as a Prometheus histogram with one series per route. The
// routes are a fixed list known at start, so every series exists from the first scrape (a
// rate over a series that appears late reads as nothing) and a client cannot add one.
// Observing is a few relaxed atomic adds, no lock: every worker thread records each request.
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seba::server::detail {

class LatencyHistogram {
  public:
    /// Upper bounds, 5 ms to 30 s: a healthz answers in well under 5 ms, a push of 500
    /// events waits for a durable commit, and a front gives up on a backend after 30 s.
    struct Bound {
        std::int64_t nanoseconds;
        std::string_view label;  ///< the `le` value, as Prometheus' own client libraries write it
    };
    static constexpr std::array<Bound, 12> kBounds{{{5'000'000, "0.005"},
                                                    {10'000'000, "0.01"},
                                                    {25'000'000, "0.025"},
                                                    {50'000'000, "0.05"},
                                                    {100'000'000, "0.1"},
                                                    {250'000'000, "0.25"},
                                                    {500'000'000, "0.5"},
                                                    {1'000'000'000, "1"},
                                                    {2'500'000'000, "2.5"},
                                                    {5'000'000'000, "5"},
                                                    {10'000'000'000, "10"},
                                                    {30'000'000'000, "30"}}};

    /// One series per value of `label`; the values must need no escaping (route names do not).
    LatencyHistogram(std::string_view name, std::string_view help, std::string_view label,
                     std::span<const std::string_view> values)
        : name_(name),
          help_(help),
          label_(label),
          values_(values.begin(), values.end()),
          series_(std::make_unique<Series[]>(values.size())) {}

    /// Records one request of series `index` (an index into the values given at construction;
    /// out of range is ignored). A negative duration counts as zero.
    void observe(std::size_t index, std::chrono::nanoseconds took) {
        if (index >= values_.size()) return;
        const std::int64_t ns = took.count() < 0 ? 0 : took.count();
        std::size_t bucket = 0;
        while (bucket < kBounds.size() && ns > kBounds[bucket].nanoseconds) ++bucket;
        Series& s = series_[index];
        s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
        s.sum_ns.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
    }

    /// The histogram in Prometheus' text format. Buckets are kept apart and summed here, and
    /// _count is their total, so a scrape during requests is still cumulative and its +Inf
    /// bucket always equals _count.
    std::string text() const {
        std::string out = fmt::format("# HELP {0} {1}\n# TYPE {0} histogram\n", name_, help_);
        for (std::size_t i = 0; i < values_.size(); ++i) {
            const Series& s = series_[i];
            std::uint64_t cumulative = 0;
            for (std::size_t b = 0; b <= kBounds.size(); ++b) {
                cumulative += s.buckets[b].load(std::memory_order_relaxed);
                out +=
                    fmt::format("{}_bucket{{{}=\"{}\",le=\"{}\"}} {}\n", name_, label_, values_[i],
                                b < kBounds.size() ? kBounds[b].label : "+Inf", cumulative);
            }
            const double sum_s =
                static_cast<double>(s.sum_ns.load(std::memory_order_relaxed)) / 1e9;
            out += fmt::format("{}_sum{{{}=\"{}\"}} {}\n", name_, label_, values_[i], sum_s);
            out += fmt::format("{}_count{{{}=\"{}\"}} {}\n", name_, label_, values_[i], cumulative);
        }
        return out;
    }

  private:
    struct Series {
        std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets{};  // last: over 30 s
        std::atomic<std::uint64_t> sum_ns{0};
    };

    std::string name_;
    std::string help_;
    std::string label_;
    std::vector<std::string> values_;
    std::unique_ptr<Series[]> series_;
};

}  // namespace seba::server::detail
