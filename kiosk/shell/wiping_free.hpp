// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace seba::kiosk {

/// The kiosk executable replaces free(), realloc() and reallocarray() so that every heap
/// block is zeroed before glibc takes it back: a citizen's text left in a string, a JSON
/// body, a glyph run, a libcurl or HarfBuzz buffer is gone the moment its owner frees it,
/// whichever library allocated it (C++ delete, ImGui, HarfBuzz, FreeType, ICU, SQLite and
/// libcurl all free through these). glibc's M_PERTURB is not enough: blocks that go to the
/// thread cache are not perturbed. Linked into seba-kiosk (and the kiosk benchmark) only.
///
/// Turning it off exists for the benchmark that measures its cost; the kiosk never does.
void set_wipe_freed_memory(bool on);
bool wipe_freed_memory();

}  // namespace seba::kiosk
