// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/navigation.hpp"

#include <algorithm>

#include "seba/ui/ui_state.hpp"

namespace seba::ui {

Screen::~Screen() = default;

Navigator::Navigator(RootFactory root) : make_root_(std::move(root)) {
}

Navigator::~Navigator() = default;

void Navigator::ensure_root() {
    if (stack_.empty()) stack_.push_back({make_root_(), {}});
}

void Navigator::draw(Ui& ui) {
    state_ = &ui.state_;
    ensure_root();
    requests_.clear();
    if (Screen::Step at = step(); at.of > 0) ui.steps("nav.steps", at.number, at.of);
    const std::size_t drawn_before = state_->tree().size();
    try {
        stack_.back().screen->draw(ui, *this);
    } catch (...) {
        requests_.clear();  // a screen that failed mid-frame moves nowhere
        throw;
    }
    // What the screen typed into is its own, to be wiped when it leaves.
    const std::vector<Node>& tree = state_->tree();
    for (std::size_t i = drawn_before; i < tree.size(); ++i)
        if (tree[i].role == Role::Field) stack_.back().fields.insert(tree[i].id);

    std::vector<Request> requests = std::move(requests_);
    requests_.clear();
    if (!requests.empty()) state_->turn_page();
    for (Request& r : requests) {
        switch (r.move) {
            case Move::Push:
                stack_.push_back({std::move(r.screen), {}});
                break;
            case Move::Replace:
                pop();
                stack_.push_back({std::move(r.screen), {}});
                break;
            case Move::Back:
                if (stack_.size() > 1) pop();
                break;
            case Move::Home:
                while (!stack_.empty()) pop();
                ensure_root();
                break;
        }
    }
}

Screen::Step Navigator::step() const {
    for (std::size_t i = stack_.size(); i-- > 0;) {
        Screen::Step declared = stack_[i].screen->step();
        if (declared.of <= 0) continue;
        const int number = declared.number + static_cast<int>(stack_.size() - 1 - i);
        if (number > declared.of) return {};
        return {number, declared.of};
    }
    return {};
}

bool Navigator::go_back() {
    requests_.clear();
    if (stack_.size() <= 1) return false;
    pop();
    if (state_) state_->turn_page();
    return true;
}

void Navigator::reset() {
    requests_.clear();
    while (!stack_.empty()) pop();
}

void Navigator::pop() {
    // Destroyed before its fields are wiped: a destructor that reads a field sees it still.
    Entry leaving = std::move(stack_.back());
    stack_.pop_back();
    leaving.screen.reset();
    forget_fields(leaving);
}

void Navigator::forget_fields(const Entry& leaving) {
    if (!state_) return;
    for (const std::string& id : leaving.fields) {
        // A field a screen still on the stack drew too stays (it is that screen's as well).
        bool kept = std::any_of(stack_.begin(), stack_.end(),
                                [&](const Entry& e) { return e.fields.count(id) > 0; });
        if (kept) continue;
        state_->field(id).wipe();
        if (state_->focused() == id) state_->blur();
    }
}

}  // namespace seba::ui
