// SPDX-License-Identifier: Apache-2.0
// Prints, as its manifest asks to: a referral slip queued with the row it is for, in one
// transaction; one whose transaction rolls back, which must never print; and a mark of its
// own for each slip the printer reports printed.
#include <seba/plugin.hpp>
#include <seba/plugin_store.hpp>
#include <seba/print.hpp>
#include <stdexcept>

namespace {

constexpr seba::Migration kMigrations[] = {
    {1, "slips", "CREATE TABLE prints__slips (reference TEXT PRIMARY KEY, printed INTEGER)"},
};

seba::print::Document slip(const std::string& reference) {
    seba::print::Document d;
    d.language = "bn";
    d.reference = reference;
    d.title("রেফারেল স্লিপ")
        .heading("জাতীয় দক্ষতা উন্নয়ন কর্তৃপক্ষ")
        .rule()
        .row("কোর্স", "ইলেকট্রিক্যাল ইনস্টলেশন")
        .paragraph("নিকটতম প্রশিক্ষণ কেন্দ্রে এই স্লিপটি দেখান।")
        .rule()
        .number(reference)
        .qr(reference)
        .footer("nsda.gov.bd");
    return d;
}

class Prints final : public seba::Plugin {
  public:
    std::span<const seba::Migration> migrations() const override { return kMigrations; }

    void start(seba::PluginContext& context) override {
        seba::PluginStore& store = context.store();
        seba::print::Printer& printer = context.printer();
        printer.on_printed([&store](const std::string& reference) {
            store.prepare("UPDATE prints__slips SET printed = 1 WHERE reference = ?")
                .bind(1, reference)
                .run();
        });
        store.transaction([&] {
            store.prepare("INSERT OR IGNORE INTO prints__slips VALUES ('SLIP-1', 0)").run();
            printer.queue(slip("SLIP-1"));
        });
        try {
            store.transaction([&] {
                store.prepare("INSERT OR IGNORE INTO prints__slips VALUES ('SLIP-2', 0)").run();
                printer.queue(slip("SLIP-2"));
                throw std::runtime_error("the citizen walked away before confirming");
            });
        } catch (const std::runtime_error&) {
        }
    }
};

}  // namespace

SEBA_PLUGIN(Prints)
