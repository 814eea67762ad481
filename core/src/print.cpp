// SPDX-License-Identifier: Apache-2.0
#include "seba/print.hpp"

#include <fmt/format.h>

#include <utility>

#include "seba/error.hpp"
#include "seba/print_service.hpp"
#include "unavailable_printer.hpp"

namespace seba::print {

// Out of line so the vtables and type info live once, in libseba_core.
Printer::~Printer() = default;
PrintService::~PrintService() = default;

Document& Document::title(std::string text) {
    blocks.push_back({Block::Kind::Title, std::move(text), {}});
    return *this;
}

Document& Document::heading(std::string text) {
    blocks.push_back({Block::Kind::Heading, std::move(text), {}});
    return *this;
}

Document& Document::row(std::string label, std::string value) {
    blocks.push_back({Block::Kind::Row, std::move(label), std::move(value)});
    return *this;
}

Document& Document::paragraph(std::string text) {
    blocks.push_back({Block::Kind::Paragraph, std::move(text), {}});
    return *this;
}

Document& Document::qr(std::string payload) {
    blocks.push_back({Block::Kind::Qr, std::move(payload), {}});
    return *this;
}

Document& Document::rule() {
    blocks.push_back({Block::Kind::Rule, {}, {}});
    return *this;
}

Document& Document::number(std::string text) {
    blocks.push_back({Block::Kind::Number, std::move(text), {}});
    return *this;
}

Document& Document::footer(std::string text) {
    blocks.push_back({Block::Kind::Footer, std::move(text), {}});
    return *this;
}

}  // namespace seba::print

namespace seba::detail {
namespace {

class UnavailablePrinter final : public print::Printer {
  public:
    explicit UnavailablePrinter(std::string plugin_id) : plugin_id_(std::move(plugin_id)) {}

    void queue(const print::Document& document) override { refuse(document); }
    void print_copy(const print::Document& document) override { refuse(document); }
    print::Status status(std::string_view) override { return print::Status::None; }
    bool retry(std::string_view) override { return false; }
    std::vector<print::UnprintedJob> unprinted(int) override { return {}; }
    int unprinted_count() override { return 0; }
    void on_printed(std::function<void(const std::string&)>) override {}

  private:
    [[noreturn]] void refuse(const print::Document& document) const {
        throw Error(fmt::format(
            "plugin {} cannot print {} here: this program has no print service; documents "
            "print in seba-kiosk",
            plugin_id_, document.reference));
    }

    std::string plugin_id_;
};

}  // namespace

std::unique_ptr<print::Printer> unavailable_printer(std::string plugin_id) {
    return std::make_unique<UnavailablePrinter>(std::move(plugin_id));
}

}  // namespace seba::detail
