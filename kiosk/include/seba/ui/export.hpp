// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Marks what libseba_ui exports; everything else in the library stays hidden.
#define SEBA_UI_API __attribute__((visibility("default")))
