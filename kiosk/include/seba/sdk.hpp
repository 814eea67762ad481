// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The one header a plugin includes: everything a plugin may call, and nothing it may not.
/// The host's own headers (the database connection, the loader, the sync engine, the
/// kit's state, the shell's hooks) are not reachable from here.
///
///   seba::Plugin, PluginContext, SEBA_PLUGIN   the contract (seba/plugin.hpp)
///   seba::PluginStore, Statement, Migration    the plugin's own tables, outbox, catalogs
///   seba::Settings, Manifest                   its settings and manifest
///   seba::kiosk_now()                          the time to record things with
///   seba::Error, StorageError, NoServerKey     what the host throws
///   seba::print::Document, Printer             printing (context.printer(), "printer")
///   seba::search::Search, Query, Hit           search as the citizen types (store().search())
///   seba::utf8                                 decoding, encoding, cutting text
///   seba::return_code                          a citizen's return code, login and box
///   seba::reference                            references on slips, typed back (reference.hpp)
///   seba::ui::Ui, View, OperatorView           widgets and views (ui.hpp)
///   seba::ui::icon::read_aloud, ...            the kit's pictogram names (icons.hpp)
///   seba::ui::Screen, Navigator, ScreenView    screens on a stack (navigation.hpp)
///   seba::tcv, seba::ui::exit_survey           Time-Cost-Visit: a service delivered, the
///                                              exit survey (tcv.hpp, exit_survey.hpp)
///
/// docs/plugin-guide.md walks through a plugin written with it.

#include <spdlog/spdlog.h>

#include "seba/content_files.hpp"
#include "seba/credentials.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_time.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin.hpp"
#include "seba/plugin_store.hpp"
#include "seba/print.hpp"
#include "seba/reference.hpp"
#include "seba/return_code.hpp"
#include "seba/scanner.hpp"
#include "seba/search.hpp"
#include "seba/settings.hpp"
#include "seba/statement.hpp"
#include "seba/tcv.hpp"
#include "seba/ui/exit_survey.hpp"
#include "seba/ui/icons.hpp"
#include "seba/ui/navigation.hpp"
#include "seba/ui/ui.hpp"
#include "seba/utf8.hpp"
