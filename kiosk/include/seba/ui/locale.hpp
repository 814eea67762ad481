// SPDX-License-Identifier: Apache-2.0
#pragma once

// Digits, dates, money and plurals for any language, through ICU. Every function takes the
// fields of a seba::ui::Language it needs as plain strings (an ICU numbering system such as
// "beng", an ICU locale such as "bn_BD", an ICU calendar such as "persian"), so a language a
// country pack defines works without a rebuild.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "seba/ui/export.hpp"

namespace seba::ui {

// [SECTION] digits

/// `text` with ASCII 0-9 written in the digits of ICU numbering system `numbering` ("beng",
/// "deva", "arabext"...); other characters pass through. "latn", an unknown name or an
/// algorithmic system (roman numerals, Hebrew letters) leave `text` unchanged.
SEBA_UI_API std::string native_digits(std::string_view text, std::string_view numbering);


// [SECTION] dates
// `locale` is an ICU locale id ("bn_BD") or a BCP 47 tag ("uz-Latn"); `calendar` an ICU
// calendar name ("gregorian", "persian", "ethiopic", "islamic-civil", "buddhist").

/// The Gregorian ISO date `iso` ("2024-02-21") as the locale writes it with numbers only
/// (ICU's "yMd" skeleton: the locale's order and separators), in `calendar`, with the digits
/// of `numbering`: bn_BD, gregorian, beng -> "২১/২/২০২৪". `iso` unchanged if it is no date.
SEBA_UI_API std::string format_date(std::string_view iso, std::string_view locale,
                                    std::string_view calendar, std::string_view numbering);

/// What a citizen typed as a date, as a Gregorian ISO date "YYYY-MM-DD": day, month and a
/// four-digit year in the locale's "yMd" order, separated by any of - / . or spaces, in ASCII
/// or any native digits, day and month with one or two digits. nullopt unless the date exists
/// in `calendar` (Esfand 30 only in a Persian leap year).
SEBA_UI_API std::optional<std::string> parse_date(std::string_view typed, std::string_view locale,
                                                  std::string_view calendar);

/// An example of the date format a citizen should type: `iso_today` as format_date writes it
/// (the caller shows "e.g. …").
SEBA_UI_API std::string date_example(std::string_view locale, std::string_view calendar,
                                     std::string_view numbering, std::string_view iso_today);

// [SECTION] money

/// `whole_units` of currency `currency_iso4217` ("BDT", "NPR", "EUR") as the locale writes an
/// amount of money: its short currency symbol or name, its grouping, no fraction digits, the
/// digits of `numbering`. A code ICU does not know gives "<amount> <code>".
SEBA_UI_API std::string format_money(long long whole_units, std::string_view currency_iso4217,
                                     std::string_view locale, std::string_view numbering);

// [SECTION] plurals

/// Which plural form of a message to show for a count: gettext's Plural-Forms, evaluated by
/// a small interpreter of its C subset (?: || && == != < > <= >= + - * / % ! parentheses, n,
/// decimal integers). Cheap to copy.
class SEBA_UI_API PluralRule {
  public:
    /// English: nplurals=2; plural=(n != 1). Also what a catalog without the header uses.
    PluralRule();
    /// Reads a Plural-Forms value ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : …);").
    /// nullopt when it is malformed, nplurals is not 1-16, the expression is longer than
    /// 512 bytes or its operators nest deeper than 64.
    static std::optional<PluralRule> parse(std::string_view header_value);

    int nplurals() const { return nplurals_; }
    /// The form for `n`, within [0, nplurals). Division by zero counts as 0.
    int index(unsigned long n) const;

    struct Program;  // the compiled expression (locale.cpp)

  private:
    struct Private {};
    explicit PluralRule(Private) {}
    int nplurals_ = 2;
    std::shared_ptr<const Program> program_;
};

}  // namespace seba::ui
