// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "seba/error.hpp"
#include "shell.hpp"

namespace seba::kiosk {

/// A failed step: "step 3 (tap "dc.birth_reg"): no enabled widget with that id on screen;
/// ids on screen: ...".
class ScriptError : public Error {
  public:
    using Error::Error;
};

/// Runs a script of steps against the shell on a virtual clock, so a 60-second idle
/// timeout takes no real time. Steps (a JSON array; each object has one of these keys):
///   {"tap": "id"}                      tap a widget
///   {"keys": "text"}                   type by tapping on-screen keyboard keys
///   {"type": "text"}                   type into the focused field (a physical keyboard)
///   {"type_file": "path"}              type what the file holds, kept out of the script (a
///                                      test's sentinel); the copy read is zeroed after
///   {"wait_s": 65}                     let time pass, drawing once a second
///   {"language": "bn"}                 tap the language switch
///   {"expect": "id"} or {"expect": {"id": "...", "label": "...", "value": "..."}}
///   {"expect_screen": "home"}
///   {"absent": "id"}                   the widget is not on screen
///   {"screenshot": "name"}             name.png (with a window) and name.json (the tree)
///   {"dump": "name"}                   name.json; with the folder "-", a line
///                                      "tree name: JSON" on standard output instead
///   {"wait_sync_s": 20}                wait, in real time and at most this long, until the
///                                      background sync has sent every event
///   {"pause": "name"}                  print "paused: name" and stop the process (SIGSTOP)
///                                      until it is continued: a test reads its memory then
class ScriptRunner {
  public:
    using Clock = Shell::Clock;
    using DrawFrame = std::function<void(Clock::time_point now)>;
    using Screenshot = std::function<void(const std::filesystem::path& png)>;

    ScriptRunner(Shell& shell, ui::UiState& state, DrawFrame draw, Screenshot screenshot,
                 std::filesystem::path out_dir);

    /// Throws ScriptError naming the step; parse errors name the step too.
    void run(const nlohmann::json& steps);
    Clock::time_point now() const { return now_; }

  private:
    void step(const nlohmann::json& step, std::size_t number);
    void tap(const std::string& id, const std::string& where);
    void keys(const std::string& text, const std::string& where);
    /// Draws a frame, and the next ones while the renderer still settles (a scroll).
    void frame();

    Shell& shell_;
    ui::UiState& state_;
    DrawFrame draw_;
    Screenshot screenshot_;
    std::filesystem::path out_dir_;
    Clock::time_point now_;
};

/// Reads a script file; errors name the file.
nlohmann::json load_script(const std::filesystem::path& file);

}  // namespace seba::kiosk
