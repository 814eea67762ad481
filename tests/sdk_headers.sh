#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The plugin SDK's one header reaches only what a plugin may call: every seba/ header it
# includes, directly or not, must be on this list. A host-only header (the database
# connection, the loader, the sync engine, the kit's state, the shell's hooks) showing up
# here means a plugin could call it.
# usage: sdk_headers.sh <c++ compiler> <source root>
set -eu
cxx=$1
root=$2
allowed="seba/sdk.hpp seba/content_files.hpp seba/credentials.hpp seba/error.hpp seba/export.hpp seba/kiosk_time.hpp seba/manifest.hpp
seba/plugin.hpp seba/plugin_store.hpp seba/print.hpp seba/scanner.hpp seba/search.hpp seba/settings.hpp
seba/statement.hpp seba/utf8.hpp seba/version.hpp seba/ui/export.hpp seba/ui/icons.hpp seba/ui/navigation.hpp
seba/ui/ui.hpp seba/tcv.hpp seba/ui/exit_survey.hpp seba/return_code.hpp seba/reference.hpp"
reached=$(echo '#include <seba/sdk.hpp>' |
    "$cxx" -std=c++20 -fsyntax-only -H -I"$root/core/include" -I"$root/kiosk/include" -x c++ - 2>&1 |
    grep -o 'include/seba/[A-Za-z0-9_/]*\.hpp' | sed 's|^include/||' | sort -u)
[ -n "$reached" ] || { echo "seba/sdk.hpp did not compile or reached no header"; exit 1; }
status=0
for header in $reached; do
    case " $(echo $allowed) " in
        *" $header "*) ;;
        *) echo "seba/sdk.hpp reaches the host-only header $header"; status=1 ;;
    esac
done
[ $status -eq 0 ] && echo "seba/sdk.hpp reaches only: $(echo $reached)"
exit $status
