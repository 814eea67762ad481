// SPDX-License-Identifier: Apache-2.0
// "Verify a certificate": the QR read by the kiosk's camera where it has one, or the text under
// the QR typed in; checked with no network against the trust list this kiosk last synced.
#include "screens.hpp"

namespace seba::mp {

namespace {

constexpr const char* kText = "muktopaath.verify.text";

}  // namespace

std::string reason_text(Ui& ui, credentials::Reason reason) {
    using R = credentials::Reason;
    switch (reason) {
        case R::None:
            return {};
        case R::NotACredential:
            return ui.tr("This is not a MuktoPaath certificate code.");
        case R::Truncated:
            return ui.tr("The code is incomplete: part of it is missing.");
        case R::Malformed:
            return ui.tr("The code is damaged: it cannot be read as a certificate.");
        case R::BadSignature:
            return ui.tr("The certificate was changed after it was issued, or it is forged.");
        case R::Expired:
            return ui.tr("The certificate has expired.");
        case R::KeyRevoked:
            return ui.tr("The kiosk that issued it is no longer trusted.");
        case R::CredentialRevoked:
            return ui.tr("This certificate was withdrawn.");
        case R::UnknownKey:
            return ui.tr(
                "It was issued by a kiosk this kiosk does not know yet. Try again after "
                "the next sync, or check it online.");
        case R::NoTrustList:
            return ui.tr(
                "This kiosk cannot check certificates until it has synced with the "
                "server.");
    }
    return {};
}

std::string verdict_text(Ui& ui, const credentials::Verdict& verdict) {
    using S = credentials::Status;
    switch (verdict.status) {
        case S::Valid:
            return ui.tr("Valid certificate");
        case S::Invalid:
            return ui.tr("Not valid");
        case S::Expired:
            return ui.tr("Expired");
        case S::Revoked:
            return ui.tr("Revoked");
        case S::UnknownIssuer:
            return ui.tr("Unknown issuer");
    }
    return {};
}

VerifyScreen::~VerifyScreen() {
    // The camera is opened only while this screen is shown.
    if (scanning_ && academy_.services().scanner) academy_.services().scanner->stop();
}

void VerifyScreen::draw(Ui& ui, Navigator& /*nav*/) {
    ui.heading("muktopaath.verify.title", ui.tr("Verify a certificate"));
    credentials::Credentials* credentials = academy_.services().credentials;
    if (!credentials) {
        ui.message("muktopaath.verify.unavailable", ui::Tone::Warning,
                   ui.tr("This kiosk cannot check certificates. Please ask the operator."));
        return;
    }
    scan::Scanner* scanner = academy_.services().scanner;
    const bool camera = scanner && scanner->available();
    if (camera) {
        if (!scanning_) {
            scanner->start();
            scanning_ = true;
        }
        ui.paragraph("muktopaath.verify.camera",
                     ui.tr("Hold the certificate's QR code in front of the camera."));
        if (std::optional<std::string> read = scanner->poll())
            verdict_ = credentials->verify(*read);
    }
    ui.begin_form("muktopaath.verify");
    ui::FieldSpec spec;
    spec.max_chars = 2048;
    spec.required = true;
    ui.field(kText,
             camera ? ui.tr("Or type the text under the QR code")
                    : ui.tr("Type the text under the certificate's QR code, starting with SB1:"),
             spec);
    if (ui.submit("muktopaath.verify.check", ui.tr("Check"), "fact_check"))
        verdict_ = credentials->verify(ui.field_text(kText));
    ui.end_form();
    if (!verdict_) return;
    const credentials::Verdict& v = *verdict_;
    const bool valid = v.status == credentials::Status::Valid;
    ui.banner("muktopaath.verify.verdict", valid ? ui::Tone::Success : ui::Tone::Error,
              verdict_text(ui, v));
    if (!valid) {
        ui.paragraph("muktopaath.verify.reason", reason_text(ui, v.reason));
        return;
    }
    if (!v.claims) return;
    const credentials::Claims& c = *v.claims;
    ui.answer("muktopaath.verify.name", ui.tr("Name"), c.subject, false);
    Texts title;
    if (auto t = c.achievement.find("title"); t != c.achievement.end() && t->is_object())
        for (const auto& [language, text] : t->items())
            if (text.is_string()) title[language] = text.get<std::string>();
    ui.answer("muktopaath.verify.course", ui.tr("Course"), text_in(title, ui.language()), false);
    ui.answer("muktopaath.verify.version", ui.tr("Course version"),
              ui.digits(c.achievement.value("version", std::string())), false);
    const std::string band = c.achievement.value("score_band", std::string());
    ui.answer("muktopaath.verify.result", ui.tr("Result"),
              band == "distinction" ? ui.tr("Distinction")
              : band == "merit"     ? ui.tr("Merit")
                                    : ui.tr("Pass"),
              false);
    ui.answer("muktopaath.verify.issued", ui.tr("Date"), ui.date(c.issued), false);
    ui.answer("muktopaath.verify.issuer", ui.tr("Issued by kiosk"), c.issuer + " · " + c.centre,
              false);
}

}  // namespace seba::mp
