// SPDX-License-Identifier: Apache-2.0
// The kiosk's scanner: one worker thread per start(), reading the camera (or the test image)
// until stop(); codes wait in a short queue for poll(). A code held in front of the camera is
// handed on once, and again only after it was out of view for a while.
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "qr_reader.hpp"
#include "seba/host.hpp"
#include "seba/logging.hpp"
#include "seba/scan/camera.hpp"

namespace seba::scan {
namespace {

namespace fs = std::filesystem;
using namespace zbar;  // NOLINT: zbar.h puts its C API in this namespace for C++
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kRetryAfter = 5s;        // a failed camera is opened again no sooner
constexpr auto kSeenAgainAfter = 3s;    // a code out of view this long is handed on again
constexpr std::size_t kMaxQueued = 16;  // codes no plugin polled; the oldest go first
constexpr int kFrameWaitMs = 200;       // how long stop() may wait for the thread

// Why `path` cannot be the camera (or its image), or "" when it looks usable.
std::string unusable(const fs::path& path, bool device) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        int error = errno;
        if (device && error == ENOENT)
            return fmt::format(
                "the camera {} is not there: is it plugged in, and is [camera] "
                "device right?",
                path.string());
        return fmt::format("cannot read the camera {} {}: {}", device ? "device" : "image",
                           path.string(), std::strerror(error));
    }
    if (device && !S_ISCHR(info.st_mode))
        return fmt::format("the camera {} is not a video device; name one like /dev/video0",
                           path.string());
    if (!device && !S_ISREG(info.st_mode))
        return fmt::format("the camera image {} is not a regular file; name a PNG", path.string());
    if (::access(path.c_str(), device ? (R_OK | W_OK) : R_OK) != 0)
        return fmt::format("the kiosk's user may not open the camera {} ({}){}", path.string(),
                           std::strerror(errno), device ? "; add the user to the video group" : "");
    return {};
}

class ZbarScanner final : public Scanner {
  public:
    explicit ZbarScanner(CameraConfig camera)
        : camera_(std::move(camera)), log_(logging::get("camera")) {}
    ~ZbarScanner() override { stop(); }
    ZbarScanner(const ZbarScanner&) = delete;
    ZbarScanner& operator=(const ZbarScanner&) = delete;

    bool available() const override { return problem().empty(); }

    void start() override {
        if (started_) {
            std::lock_guard lock(mutex_);
            // A run that failed is tried again after a while: the camera may be back.
            if (running_ || failure_.empty() || Clock::now() - failed_at_ < kRetryAfter) return;
        }
        started_ = true;
        launch();
    }

    void stop() override {
        started_ = false;
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
        std::lock_guard lock(mutex_);
        codes_.clear();  // a code the citizen showed is not handed to a later screen
    }

    std::optional<std::string> poll() override {
        std::lock_guard lock(mutex_);
        if (codes_.empty()) return std::nullopt;
        std::string code = std::move(codes_.front());
        codes_.pop_front();
        return code;
    }

    std::string problem() const override {
        if (!image_mode() && camera_.device.empty())
            return "this kiosk has no camera: [camera] in its configuration names no device";
        {
            std::lock_guard lock(mutex_);
            if (!failure_.empty()) return failure_;
        }
        return unusable(image_mode() ? camera_.image : camera_.device, !image_mode());
    }

  private:
    bool image_mode() const { return !camera_.image.empty(); }

    void launch() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
        if (!image_mode() && camera_.device.empty()) return;
        {
            std::lock_guard lock(mutex_);
            failure_.clear();
            running_ = true;
        }
        stopping_ = false;
        thread_ = std::thread([this] { run(); });
    }

    void run() noexcept {
        std::string failure;
        try {
            if (image_mode())
                hand_on(read_codes(camera_.image));
            else
                read_camera();
        } catch (const std::exception& e) {
            failure = *e.what() ? e.what() : "the camera failed";
        }
        if (!failure.empty()) log_->warn("{}", failure);  // names the device, never a code
        std::lock_guard lock(mutex_);
        failure_ = std::move(failure);
        failed_at_ = Clock::now();
        running_ = false;
    }

    void hand_on(const std::vector<std::string>& codes) {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        for (const std::string& code : codes) {
            if (codes_.size() >= kMaxQueued) codes_.pop_front();
            codes_.push_back(code);
        }
    }

    [[noreturn]] void fail(zbar_video_t* video, std::string_view doing) const {
        throw ScanError(fmt::format("the camera {} failed {}: {}", camera_.device.string(), doing,
                                    zbar_video_error_string(video, 0)));
    }

    void read_camera() {
        const std::string device = camera_.device.string();
        if (std::string why = unusable(camera_.device, true); !why.empty()) throw ScanError(why);
        std::unique_ptr<zbar_video_t, void (*)(zbar_video_t*)> video(zbar_video_create(),
                                                                     zbar_video_destroy);
        if (!video) throw ScanError("zbar could not make a video reader (out of memory?)");
        if (zbar_video_open(video.get(), device.c_str()) != 0) fail(video.get(), "to open");
        // zbar picks a format it can turn into grey; no window to show it in.
        if (zbar_negotiate_format(video.get(), nullptr) != 0)
            fail(video.get(), "to give a picture format zbar reads");
        const int width = zbar_video_get_width(video.get());
        const int height = zbar_video_get_height(video.get());
        if (width > kMaxImageSide || height > kMaxImageSide)
            throw ScanError(
                fmt::format("the camera {} gives {} x {} pictures; at most {} x {} are "
                            "read",
                            device, width, height, kMaxImageSide, kMaxImageSide));
        if (zbar_video_enable(video.get(), 1) != 0) fail(video.get(), "to start");
        log_->info("camera {} reading ({} x {})", device, width, height);

        detail::QrReader reader;
        std::map<std::string, Clock::time_point> last_seen;  // codes in view lately
        const int fd = zbar_video_get_fd(video.get());       // -1 unless V4L2
        while (!stopping_) {
            if (fd >= 0) {
                pollfd ready{fd, POLLIN, 0};
                int n = ::poll(&ready, 1, kFrameWaitMs);
                if (n == 0 || (n < 0 && errno == EINTR)) continue;
                if (n < 0)
                    throw ScanError(fmt::format("the camera {} cannot be waited for: {}", device,
                                                std::strerror(errno)));
            }
            std::unique_ptr<zbar_image_t, void (*)(zbar_image_t*)> frame(
                zbar_video_next_image(video.get()), zbar_image_destroy);
            if (!frame) fail(video.get(), "to give a picture");
            std::unique_ptr<zbar_image_t, void (*)(zbar_image_t*)> grey(
                zbar_image_convert(frame.get(), detail::fourcc("Y800")), zbar_image_destroy);
            frame.reset();  // hands the buffer back to the driver
            if (!grey) continue;
            const auto now = Clock::now();
            std::vector<std::string> fresh;
            for (std::string& code : reader.scan(grey.get())) {
                auto seen = last_seen.find(code);
                if (seen == last_seen.end() || now - seen->second > kSeenAgainAfter)
                    fresh.push_back(code);
                last_seen[std::move(code)] = now;
            }
            std::erase_if(last_seen,
                          [&](const auto& entry) { return now - entry.second > kSeenAgainAfter; });
            hand_on(fresh);
        }
        zbar_video_enable(video.get(), 0);
        log_->info("camera {} released", device);
    }

    const CameraConfig camera_;
    std::shared_ptr<spdlog::logger> log_;
    bool started_ = false;  // between start() and stop(); the caller's thread only
    std::atomic<bool> stopping_{false};
    std::thread thread_;

    mutable std::mutex mutex_;  // what the thread shares with the caller:
    std::deque<std::string> codes_;
    std::string failure_;  // what the last run met; "" while it runs or when it went well
    Clock::time_point failed_at_{};
    bool running_ = false;
};

}  // namespace

std::unique_ptr<Scanner> make_scanner(const CameraConfig& camera) {
    return std::make_unique<ZbarScanner>(camera);
}

void install(Host& host) {
    host.set_scanner(make_scanner(host.config().camera));
}

}  // namespace seba::scan
