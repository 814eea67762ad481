# SPDX-License-Identifier: Apache-2.0
# cmake -DDOC=<file> -DSOURCE=<file> -P CheckDocContains.cmake
# Fails when DOC does not contain SOURCE verbatim, so a guide's example cannot drift from
# the code it shows.
file(READ ${DOC} doc)
file(READ ${SOURCE} source)
string(FIND "${doc}" "${source}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "${DOC} no longer shows ${SOURCE} as it is; copy the file into the guide")
endif()
