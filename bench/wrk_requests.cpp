// SPDX-License-Identifier: Apache-2.0
// Pre-signed requests for wrk, which cannot sign with Ed25519 (bench/wrk_bench.sh runs it).
// Enrolls one device per enrollment code read from stdin (one a line, as `seba-server admin
// enroll-code` prints them) against a running seba-server, then writes raw HTTP requests:
// POST /v1/events, one event each, every one with its own nonce, fresh timestamp and event
// uuid, the devices taking turns. All requests have the same length, so bench/wrk/signed.lua
// finds any of them by arithmetic. The file:
//   seba-wrk-requests COUNT RECORD_BYTES\n
//   COUNT records of RECORD_BYTES bytes, back to back
// A second file, OUT.probe, holds --probes more in the same format, for the idle test.
// Run: wrk_requests --url http://127.0.0.1:PORT --centre bench --requests 400000 --out FILE
#include <httplib.h>
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "seba/signing.hpp"
#include "seba/storage.hpp"

namespace {

using nlohmann::json;

struct Enrolled {
    seba::signing::KeyPair key;
    std::string device;
};

std::string random_uuid() {
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    id[6] = static_cast<unsigned char>((id[6] & 0x0f) | 0x40);
    id[8] = static_cast<unsigned char>((id[8] & 0x3f) | 0x80);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    std::string h(hex);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

// One raw HTTP/1.1 request, signed by `device`, as a kiosk pushing one event sends it.
std::string signed_push(const Enrolled& device, const std::string& centre,
                        const std::string& host) {
    std::string body = json{{"centre", centre},
                            {"events",
                             {{{"uuid", random_uuid()},
                               {"type", "bench.request_created"},
                               {"payload", {{"service", "birth_registration"}, {"fee", 50}}},
                               {"created_at", seba::utc_now_iso()}}}}}
                           .dump();
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    seba::signing::SignedHeaders h =
        seba::signing::sign_request(device.key, device.device, "POST", "/v1/events", body, now);
    return "POST /v1/events HTTP/1.1\r\nHost: " + host +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nX-Seba-Device: " + h.device + "\r\nX-Seba-Timestamp: " + h.timestamp +
           "\r\nX-Seba-Nonce: " + h.nonce + "\r\nX-Seba-Signature: " + h.signature + "\r\n\r\n" +
           body;
}

// `count` requests, the devices taking turns, signed on every core; all of one length.
void write_requests(const std::string& file, std::size_t count,
                    const std::vector<Enrolled>& devices, const std::string& centre,
                    const std::string& host) {
    std::size_t workers = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::string> blocks(workers);
    std::vector<std::size_t> shortest(workers, SIZE_MAX), longest(workers, 0);
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            for (std::size_t i = w; i < count; i += workers) {
                std::string request = signed_push(devices[i % devices.size()], centre, host);
                shortest[w] = std::min(shortest[w], request.size());
                longest[w] = std::max(longest[w], request.size());
                blocks[w] += request;
            }
        });
    for (std::thread& t : threads) t.join();
    std::size_t record = longest[0];
    for (std::size_t w = 0; w < workers && w < count; ++w)
        if (shortest[w] != record || longest[w] != record)
            throw std::runtime_error("the signed requests differ in length; cannot index them");
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "seba-wrk-requests " << count << " " << record << "\n";
    // Worker w signed requests w, w + workers, ...: interleave them back into order.
    for (std::size_t i = 0; i < count; ++i)
        out.write(blocks[i % workers].data() + static_cast<std::ptrdiff_t>((i / workers) * record),
                  static_cast<std::streamsize>(record));
    if (!out) throw std::runtime_error("cannot write " + file);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"wrk_requests: pre-signed POST /v1/events requests for wrk"};
    std::string url = "http://127.0.0.1:8470", centre, out;
    std::size_t requests = 400000, probes = 20;
    app.add_option("--url", url, "the running seba-server")->capture_default_str();
    app.add_option("--centre", centre, "the centre the codes were made for")->required();
    app.add_option("--requests", requests, "how many requests")->capture_default_str();
    app.add_option("--probes", probes, "how many more, in OUT.probe")->capture_default_str();
    app.add_option("--out", out, "the requests file")->required();
    CLI11_PARSE(app, argc, argv);
    if (sodium_init() < 0) return 1;

    std::string host = url.substr(url.find("://") + 3);
    httplib::Client http(url);
    std::vector<Enrolled> devices;
    for (std::string code; std::getline(std::cin, code);) {
        if (code.empty()) continue;
        Enrolled device{seba::signing::generate_key_pair(), ""};
        auto reply = http.Post(
            "/v1/enroll",
            json{{"code", code}, {"public_key", seba::signing::to_base64(device.key.public_key)}}
                .dump(),
            "application/json");
        if (!reply || reply->status != 201) {
            std::cerr << "wrk_requests: enrollment with " << code
                      << " failed: " << (reply ? reply->body : httplib::to_string(reply.error()))
                      << "\n";
            return 2;
        }
        device.device = json::parse(reply->body).at("device").get<std::string>();
        devices.push_back(std::move(device));
    }
    if (devices.empty()) {
        std::cerr << "wrk_requests: no enrollment codes on stdin\n";
        return 2;
    }
    auto start = std::chrono::steady_clock::now();
    try {
        write_requests(out, requests, devices, centre, host);
        write_requests(out + ".probe", probes, devices, centre, host);
    } catch (const std::exception& e) {
        std::cerr << "wrk_requests: " << e.what() << "\n";
        return 2;
    }
    std::printf("%zu devices enrolled; %zu signed requests in %s (%.1f s), %zu in %s.probe\n",
                devices.size(), requests, out.c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                probes, out.c_str());
    return 0;
}
