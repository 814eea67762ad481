// SPDX-License-Identifier: Apache-2.0
#include "categories.hpp"

#include <array>

namespace seba::civil {

namespace {

// Pictograms chosen to read without words: a clock running out, money crossed out, an unhappy
// face, a question, a person missing, three dots.
constexpr std::array kCategories = {
    Category{"delay", "hourglass_bottom", "Delay"},
    Category{"extra_money", "money_off", "Asked for extra money"},
    Category{"staff_behaviour", "sentiment_very_dissatisfied", "Rude or unhelpful staff"},
    Category{"wrong_information", "help_outline", "Wrong information"},
    Category{"closed_or_absent", "person_off", "Centre closed or staff absent"},
    Category{"other", "more_horiz", "Other"},
};

constexpr std::array kPhrases = {
    Phrase{"waited_hours", "I waited for hours"},
    Phrase{"came_many_times", "I had to come many times"},
    Phrase{"asked_for_extra_money", "I was asked to pay more than the receipt"},
    Phrase{"no_receipt", "I was not given a receipt"},
    Phrase{"documents_not_explained", "Nobody told me which documents to bring"},
    Phrase{"spoke_rudely", "Staff spoke to me rudely"},
    Phrase{"closed_in_opening_hours", "The centre was closed in its opening hours"},
    Phrase{"service_not_delivered", "I still have not received the service"},
};

}  // namespace

std::span<const Category> categories() {
    return kCategories;
}

const Category* find_category(std::string_view id) {
    for (const Category& c : kCategories)
        if (c.id == id) return &c;
    return nullptr;
}

std::span<const Phrase> phrases() {
    return kPhrases;
}

const Phrase* find_phrase(std::string_view id) {
    for (const Phrase& p : kPhrases)
        if (p.id == id) return &p;
    return nullptr;
}

}  // namespace seba::civil
