// SPDX-License-Identifier: Apache-2.0
// The kiosk's one print queue on a real database, as two plugins share it: each sees,
// retries and hears of its own jobs only, even under the same reference; a job queued in a
// transaction that rolls back never prints; a job that keeps failing is set aside while the
// next one prints; a reference that could name another file is refused. The Digital
// Centre's tests drive the same queue through the real kiosk (a stuck printer, a kill, a
// full disk).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "process.hpp"
#include "seba/error.hpp"
#include "seba/print/service.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba::print {
namespace {

namespace fs = std::filesystem;
using seba::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Document slip(const std::string& reference, const std::string& course = "Electrical wiring") {
    Document d;
    d.language = "en";
    d.reference = reference;
    d.title("Referral slip").row("Course", course).number(reference).qr(reference);
    return d;
}

class PrintQueueTest : public ::testing::Test {
  protected:
    PrintQueueTest() : db_(Database::open(dir_ / "seba.db")) { migrate_core(db_); }

    // The service as the host drives it; `heard` collects "plugin:reference" for each
    // on_printed call.
    void make(Target target,
              Retry retry = {std::chrono::milliseconds(10), std::chrono::milliseconds(40), 3}) {
        service_ = make_service(db_, std::move(target), retry);
        for (const char* plugin : {"alpha", "beta"})
            service_->printer_for(plugin).on_printed([this, plugin](const std::string& ref) {
                heard_.push_back(std::string(plugin) + ":" + ref);
            });
    }

    PrintService::Deliver deliver() {
        return [](const std::string&, const std::function<void()>& notify) {
            notify();
            return true;
        };
    }

    // Pumps as the shell does, a frame every 10 ms, until `done` or 10 s.
    bool pump_until(const std::function<bool()>& done) {
        for (int i = 0; i < 1000 && !done(); ++i) {
            service_->pump(deliver());
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return done();
    }

    std::int64_t jobs(const std::string& plugin) {
        Statement q = db_.prepare("SELECT count(*) FROM core__print_jobs WHERE plugin = ?");
        q.bind_all(plugin);
        q.step();
        return q.integer(0);
    }

    TempDir dir_;
    Database db_;
    std::unique_ptr<PrintService> service_;
    std::vector<std::string> heard_;
};

TEST_F(PrintQueueTest, TwoPluginsSeeRetryAndHearOfTheirOwnJobsOnly) {
    // The printer is unplugged: every job fails, three times, and is set aside.
    const fs::path device = dir_ / "usb" / "lp0";
    make({device, {}, Paper::Thermal58});
    Printer& alpha = service_->printer_for("alpha");
    Printer& beta = service_->printer_for("beta");
    alpha.queue(slip("SAME-1"));
    beta.queue(slip("SAME-1", "Plumbing"));  // the same reference, another plugin's document
    beta.queue(slip("BETA-2"));
    service_->start();
    ASSERT_TRUE(pump_until([&] {
        return alpha.unprinted_count() == 1 && alpha.unprinted()[0].set_aside &&
               beta.unprinted_count() == 2 && beta.unprinted()[1].set_aside;
    }));

    std::vector<UnprintedJob> alphas = alpha.unprinted();
    ASSERT_EQ(alphas.size(), 1u);
    EXPECT_EQ(alphas[0].reference, "SAME-1");
    EXPECT_EQ(alphas[0].failures, 3);
    EXPECT_THAT(alphas[0].last_error, HasSubstr(device.string()));
    EXPECT_THAT(alphas[0].last_error, HasSubstr("ENOENT"));
    std::vector<UnprintedJob> betas = beta.unprinted();
    ASSERT_EQ(betas.size(), 2u);
    EXPECT_EQ(betas[0].reference, "SAME-1");
    EXPECT_EQ(betas[1].reference, "BETA-2");
    EXPECT_EQ(alpha.status("SAME-1"), Status::Failed);
    EXPECT_EQ(alpha.status("BETA-2"), Status::None) << "beta's job is not alpha's to know";
    EXPECT_FALSE(alpha.retry("BETA-2")) << "nor to retry";

    // Plugged in: alpha prints its own again; beta's, under the same reference, stay.
    fs::create_directories(device.parent_path());
    EXPECT_TRUE(alpha.retry("SAME-1"));
    ASSERT_TRUE(pump_until([&] { return alpha.status("SAME-1") == Status::Printed; }));
    EXPECT_THAT(heard_, ElementsAre("alpha:SAME-1"));
    EXPECT_EQ(jobs("alpha"), 0);
    EXPECT_EQ(jobs("beta"), 2);
    EXPECT_EQ(beta.status("SAME-1"), Status::Failed);
    EXPECT_EQ(beta.unprinted_count(), 2);
    const std::uintmax_t one_job = fs::file_size(device);
    EXPECT_GT(one_job, 1000u);

    // Beta asks for its own: both print, and beta hears of both, alpha of nothing more.
    EXPECT_TRUE(beta.retry("SAME-1"));
    EXPECT_TRUE(beta.retry("BETA-2"));
    ASSERT_TRUE(pump_until([&] { return beta.unprinted_count() == 0; }));
    EXPECT_THAT(heard_, ElementsAre("alpha:SAME-1", "beta:SAME-1", "beta:BETA-2"));
    EXPECT_EQ(beta.status("BETA-2"), Status::Printed);
    service_->stop(deliver());
}

TEST_F(PrintQueueTest, ACertificateIsAnA4OrA5PdfAndStillAReceiptOnTheThermalPrinter) {
    const fs::path device = dir_ / "lp0";
    make({device, dir_ / "pdf", Paper::Thermal58});
    Printer& alpha = service_->printer_for("alpha");
    Document a4 = slip("CERT-A4");
    a4.page = Document::Page::A4;
    Document a5 = slip("CERT-A5");
    a5.page = Document::Page::A5;
    alpha.queue(a4);
    alpha.queue(a5);  // kept in the database as queued: the page is part of the job
    alpha.queue(slip("RECEIPT-1"));
    service_->start();
    ASSERT_TRUE(pump_until([&] { return alpha.status("RECEIPT-1") == Status::Printed; }));
    EXPECT_EQ(alpha.status("CERT-A4"), Status::Printed);
    auto page_size = [&](const std::string& reference) {
        fs::path pdf = dir_ / "pdf" / (reference + ".pdf");
        return seba::testing::run_process("pdfinfo '" + pdf.string() + "' | grep 'Page size'")
            .output;
    };
    EXPECT_THAT(page_size("CERT-A4"), HasSubstr("(A4)"));
    EXPECT_THAT(page_size("CERT-A5"), HasSubstr("419.528 x 595.276 pts"));    // A5
    EXPECT_THAT(page_size("RECEIPT-1"), HasSubstr("297.638 x 419.528 pts"));  // A6
    // The preview is the thermal printer's strip, 384 dots wide: PNG width at bytes 16-19.
    std::string png = seba::testing::read_file(dir_ / "pdf" / "CERT-A4.png");
    ASSERT_GT(png.size(), 24u);
    EXPECT_EQ(static_cast<unsigned char>(png[18]) << 8 | static_cast<unsigned char>(png[19]), 384);
    service_->stop(deliver());
}

TEST_F(PrintQueueTest, AJobQueuedInATransactionThatRollsBackNeverPrints) {
    make({{}, dir_ / "pdf", Paper::Thermal80});
    Printer& alpha = service_->printer_for("alpha");
    service_->start();
    {
        Transaction tx = db_.transaction();
        alpha.queue(slip("GONE-1"));
        EXPECT_EQ(alpha.status("GONE-1"), Status::Printing) << "queued, in the transaction";
    }  // rolled back: the request it was for was not stored
    alpha.queue(slip("KEPT-1"));
    ASSERT_TRUE(pump_until([&] { return alpha.status("KEPT-1") == Status::Printed; }));
    EXPECT_EQ(alpha.status("GONE-1"), Status::None);
    EXPECT_TRUE(fs::exists(dir_ / "pdf" / "KEPT-1.pdf"));
    EXPECT_TRUE(fs::exists(dir_ / "pdf" / "KEPT-1.png"));
    EXPECT_FALSE(fs::exists(dir_ / "pdf" / "GONE-1.pdf"));
    EXPECT_THAT(heard_, ElementsAre("alpha:KEPT-1"));
}

TEST_F(PrintQueueTest, AJobThatKeepsFailingIsSetAsideAndTheNextOnePrints) {
    make({{}, dir_ / "pdf", Paper::Thermal80});
    Printer& alpha = service_->printer_for("alpha");
    alpha.queue(slip("BAD-1", "名"));  // no installed font draws it: fails every time
    alpha.queue(slip("GOOD-2"));
    service_->start();
    ASSERT_TRUE(pump_until([&] { return alpha.status("GOOD-2") == Status::Printed; }));
    std::vector<UnprintedJob> left = alpha.unprinted();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].reference, "BAD-1");
    EXPECT_TRUE(left[0].set_aside);
    EXPECT_EQ(left[0].failures, 3);
    EXPECT_THAT(left[0].last_error, HasSubstr("U+540D"));
    EXPECT_EQ(alpha.status("BAD-1"), Status::Failed);
    EXPECT_FALSE(fs::exists(dir_ / "pdf" / "BAD-1.pdf"));
}

TEST_F(PrintQueueTest, AReferenceThatCouldNameAnotherFileIsRefused) {
    make({{}, dir_ / "pdf", Paper::Thermal80});
    Printer& alpha = service_->printer_for("alpha");
    for (const char* bad : {"", "../etc/passwd", ".hidden", "a/b", "with space"}) {
        try {
            alpha.queue(slip(bad));
            ADD_FAILURE() << "queued \"" << bad << "\"";
        } catch (const Error& e) {
            EXPECT_THAT(e.what(), HasSubstr("plugin alpha"));
        }
    }
    EXPECT_EQ(jobs("alpha"), 0);
}

TEST_F(PrintQueueTest, WithNoPrinterConfiguredNothingIsQueued) {
    make({});
    Printer& alpha = service_->printer_for("alpha");
    alpha.queue(slip("NOWHERE-1"));
    EXPECT_EQ(jobs("alpha"), 0);
    EXPECT_EQ(alpha.status("NOWHERE-1"), Status::None);
}

}  // namespace
}  // namespace seba::print
