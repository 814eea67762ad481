// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace seba::testing {

/// seba-front (nginx with server/front/seba-front.conf.in, as every deployment runs it) for
/// one test: TLS with a certificate made for the test by openssl (for 127.0.0.1 and
/// localhost), on a free loopback port, in front of a seba-server on `backend_port`, or of
/// several (a fleet, docs/deployment.md "Several backends").
class Front {
  public:
    /// Starts nginx and waits until it accepts connections. Throws seba::Error if it cannot.
    Front(const std::filesystem::path& dir, int backend_port);
    /// The same in front of several seba-servers on loopback: the template's `server` line is
    /// written once per port, as an operator does. `fail_timeout_s` > 0 replaces the time a
    /// failed backend is left out (10 s), so that a test need not wait for a restarted one.
    Front(const std::filesystem::path& dir, const std::vector<int>& backend_ports,
          int fail_timeout_s = 0);
    ~Front();
    Front(const Front&) = delete;
    Front& operator=(const Front&) = delete;

    int port() const { return port_; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
    /// The server's certificate: what a kiosk trusts (server.ca_file) or pins.
    const std::filesystem::path& certificate() const { return certificate_; }
    /// What nginx said (errors, backends it left out), for a failing test's message.
    std::string log() const;

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::filesystem::path dir_;
    std::filesystem::path certificate_;
};

}  // namespace seba::testing
