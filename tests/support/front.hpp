// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace seba::testing {

/// seba-front (nginx with server/front/seba-front.conf.in, as every deployment runs it) for
/// one test: TLS with a certificate made for the test by openssl (for 127.0.0.1 and
/// localhost), on a free loopback port, in front of a seba-server on `backend_port`.
class Front {
  public:
    /// Starts nginx and waits until it accepts connections. Throws seba::Error if it cannot.
    Front(const std::filesystem::path& dir, int backend_port);
    ~Front();
    Front(const Front&) = delete;
    Front& operator=(const Front&) = delete;

    int port() const { return port_; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
    /// The server's certificate: what a kiosk trusts (server.ca_file) or pins.
    const std::filesystem::path& certificate() const { return certificate_; }

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::filesystem::path certificate_;
};

}  // namespace seba::testing
