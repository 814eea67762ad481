# SPDX-License-Identifier: Apache-2.0
# seba_add_plugin(<id>
#     SOURCES <files...>          the module's sources
#     [LIBRARIES <targets...>]    extra libraries (seba::core and seba::ui are always linked)
#     [MANIFEST <file>]           default: manifest.json beside the calling CMakeLists.txt;
#                                 without "api", the SDK's own API version is written in
#     [ASSETS <dir>]              copied next to the module (locale, seed data...); each
#                                 locale/*.po gets a test of `msgfmt --check`
#     [TESTS <files...>]          GoogleTest sources, built into <id>_tests and discovered
#     [OUTPUT_DIR <dir>]          default: ${SEBA_OUTPUT_DIR}/plugins; a plugin built elsewhere
#                                 (a test plugin) is not installed
#     [UNSIGNED]                  leave the module unsigned (loader tests only)
#     [TAMPER])                   sign, then change the module (loader tests only)
# The CMakeLists.txt that calls it must not build inside <OUTPUT_DIR>/<id> (checked).
#
# Builds a MODULE library <OUTPUT_DIR>/<id>/<id>.so with hidden visibility (only the
# SEBA_PLUGIN entry symbol is exported), no undefined symbols, a RUNPATH that finds Seba's
# libraries both in a build tree and installed, its debug information split off (kept in the
# build folder), its manifest and assets beside it, and plugin.files + plugin.files.minisig
# made by seba-plugin-sign: the signed list of every file of the folder. The folder is made
# afresh at each link and holds only those files. `make install` (and the packages) copy it
# byte for byte to <prefix>/lib/<multiarch>/seba/plugins/<id> (SEBA_INSTALL_PLUGINDIR).
#
# Which key signs: SEBA_SIGNING_KEY, when set (a country's release key:
# `cmake -DSEBA_SIGNING_KEY=/media/offline/country.key`), signs a release build; otherwise
# the build tree's own development key (made once in <build>/keys, never committed) signs a
# development build, which only a kiosk in development mode loads.
#
# The same file serves Seba's own tree and, installed by the seba-dev package, a plugin
# author's (find_package(Seba) includes it).

set(SEBA_SIGNING_KEY "" CACHE FILEPATH
    "minisign secret key that signs plugins as a release build (empty: the development key)")
if(NOT DEFINED SEBA_OUTPUT_DIR)
    set(SEBA_OUTPUT_DIR ${CMAKE_BINARY_DIR})
endif()
if(NOT DEFINED SEBA_INSTALL_PLUGINDIR)  # beside Seba's own plugins
    set(SEBA_INSTALL_PLUGINDIR lib/${CMAKE_LIBRARY_ARCHITECTURE}/seba/plugins)
endif()
if(NOT DEFINED SEBA_PLUGIN_COMPONENT)
    set(SEBA_PLUGIN_COMPONENT plugins)  # the install component plugins belong to
endif()
find_program(MINISIGN minisign REQUIRED)

# The development signing key: made once per build tree. Its public half says what it is in
# its comment, so that a kiosk in production refuses it even if it is listed as trusted.
set(SEBA_DEV_KEY_DIR ${CMAKE_BINARY_DIR}/keys)
set(SEBA_DEV_SECRET_KEY ${SEBA_DEV_KEY_DIR}/seba-dev.key)
set(SEBA_DEV_PUBLIC_KEY ${SEBA_DEV_KEY_DIR}/seba-dev.pub)
if(NOT EXISTS ${SEBA_DEV_SECRET_KEY})
    file(MAKE_DIRECTORY ${SEBA_DEV_KEY_DIR})
    execute_process(
        COMMAND ${MINISIGN} -G -W -p ${SEBA_DEV_PUBLIC_KEY} -s ${SEBA_DEV_SECRET_KEY}
        RESULT_VARIABLE keygen_result OUTPUT_QUIET ERROR_VARIABLE keygen_error)
    if(NOT keygen_result EQUAL 0)
        message(FATAL_ERROR "Could not make the development signing key: ${keygen_error}")
    endif()
    message(STATUS "Made a development plugin signing key in ${SEBA_DEV_KEY_DIR}")
endif()
file(STRINGS ${SEBA_DEV_PUBLIC_KEY} dev_key_lines)
list(GET dev_key_lines 0 dev_key_comment)
if(NOT dev_key_comment MATCHES "seba development key")
    # core/src/loader.hpp, kDevelopmentKeyMark, reads this mark.
    list(GET dev_key_lines 1 dev_key_line)
    file(WRITE ${SEBA_DEV_PUBLIC_KEY} "untrusted comment: seba development key of ${CMAKE_BINARY_DIR}; never trust it on a kiosk in service\n${dev_key_line}\n")
endif()

if(SEBA_SIGNING_KEY)
    set(seba_signing_args --key ${SEBA_SIGNING_KEY})
    message(STATUS "Plugins are signed as a release build with ${SEBA_SIGNING_KEY}")
else()
    set(seba_signing_args --key ${SEBA_DEV_SECRET_KEY} --development)
endif()

function(seba_add_plugin id)
    cmake_parse_arguments(PARSE_ARGV 1 arg "UNSIGNED;TAMPER" "MANIFEST;ASSETS;OUTPUT_DIR"
                          "SOURCES;LIBRARIES;TESTS")
    if(NOT arg_SOURCES)
        message(FATAL_ERROR "seba_add_plugin(${id}): SOURCES is required")
    endif()
    if(NOT arg_MANIFEST)
        set(arg_MANIFEST ${CMAKE_CURRENT_SOURCE_DIR}/manifest.json)
    endif()
    set(install ON)
    if(arg_OUTPUT_DIR)
        set(install OFF)
    else()
        set(arg_OUTPUT_DIR ${SEBA_OUTPUT_DIR}/plugins)
    endif()
    set(dir ${arg_OUTPUT_DIR}/${id})
    set(target seba_plugin_${id})

    # Where Seba's libraries are, for the module's RUNPATH: beside it once installed
    # (seba/plugins/<id> -> seba), in lib/ of Seba's build tree, or the SDK's folder.
    if(TARGET seba_core)
        set(runpath "$ORIGIN/../.." "$ORIGIN/../../lib")
    else()
        get_target_property(core_location seba::core LOCATION)
        get_filename_component(core_dir ${core_location} DIRECTORY)
        set(runpath "$ORIGIN/../.." ${core_dir})
    endif()

    # The plugin folder holds exactly what is signed: it is made afresh from the linked
    # module (kept, with its debug information, in a staging folder of the build) at every
    # link, so no build file and no stale asset lands in the signed list.
    get_filename_component(dir_real ${dir} REALPATH)
    get_filename_component(binary_real ${CMAKE_CURRENT_BINARY_DIR} REALPATH)
    string(FIND "${binary_real}/" "${dir_real}/" inside)
    if(inside EQUAL 0)
        message(FATAL_ERROR "seba_add_plugin(${id}): the plugin folder ${dir} holds this "
            "CMakeLists.txt's build folder ${CMAKE_CURRENT_BINARY_DIR}; give add_subdirectory() "
            "a binary folder elsewhere (plugins/CMakeLists.txt does)")
    endif()
    set(stage ${CMAKE_CURRENT_BINARY_DIR}/seba-plugin-${id})

    # The manifest's "api" is the oldest Seba API the plugin works with. Left out, it is the
    # API this SDK provides, written into the copy that is signed.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${arg_MANIFEST})
    file(READ ${arg_MANIFEST} manifest_text)
    string(JSON manifest_api ERROR_VARIABLE no_api GET "${manifest_text}" api)
    if(no_api)
        if(DEFINED SEBA_API_VERSION)
            set(sdk_api ${SEBA_API_VERSION})
        else()
            set(sdk_api ${Seba_PLUGIN_API_VERSION})
        endif()
        string(REGEX MATCH "^[0-9]+\\.[0-9]+" sdk_api "${sdk_api}")
        # Written in as text after the opening brace: the author's layout and UTF-8 stay.
        string(REGEX REPLACE "^([ \t\r\n]*{)" "\\1\n  \"api\": \"${sdk_api}\"," manifest_text
               "${manifest_text}")
        set(manifest_copy ${CMAKE_CURRENT_BINARY_DIR}/seba-plugin-${id}.manifest.json)
        file(WRITE ${manifest_copy}.new "${manifest_text}")
        file(COPY_FILE ${manifest_copy}.new ${manifest_copy} ONLY_IF_DIFFERENT)
        set(arg_MANIFEST ${manifest_copy})
    endif()

    add_library(${target} MODULE ${arg_SOURCES})
    target_link_libraries(${target} PRIVATE seba::core seba::ui ${arg_LIBRARIES})
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
    if(COMMAND seba_warnings)
        seba_warnings(${target})
    endif()
    set_target_properties(${target} PROPERTIES
        PREFIX "" OUTPUT_NAME ${id}
        LIBRARY_OUTPUT_DIRECTORY ${stage}
        BUILD_RPATH "${runpath}"
        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${arg_MANIFEST})
    if(arg_ASSETS)  # a changed asset makes a new folder (and signature)
        file(GLOB_RECURSE asset_files CONFIGURE_DEPENDS ${arg_ASSETS}/*)
        set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${asset_files})
    endif()

    # The debug information stays in the staging folder (<id>.so.debug; load it in gdb with
    # `symbol-file`), so the module that is signed and shipped is stripped.
    set(module ${dir}/${id}.so)
    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND ${CMAKE_OBJCOPY} --only-keep-debug ${id}.so ${id}.so.debug
        COMMAND ${CMAKE_OBJCOPY} --strip-unneeded --remove-section=.comment
                --add-gnu-debuglink=${id}.so.debug ${id}.so ${id}.stripped.so
        COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
        COMMAND ${CMAKE_COMMAND} -E copy ${id}.stripped.so ${module}
        COMMAND ${CMAKE_COMMAND} -E copy ${arg_MANIFEST} ${dir}/manifest.json
        WORKING_DIRECTORY ${stage} VERBATIM)
    if(arg_ASSETS)
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND ${CMAKE_COMMAND} -E copy_directory ${arg_ASSETS} ${dir}/assets VERBATIM)
    endif()
    if(NOT arg_UNSIGNED)
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND $<TARGET_FILE:seba::plugin_sign> ${seba_signing_args} --minisign ${MINISIGN}
                    ${dir}
            COMMENT "Signing plugin ${id}" VERBATIM)
        if(TARGET seba-plugin-sign)
            add_dependencies(${target} seba-plugin-sign)
        endif()
    endif()
    if(arg_TAMPER)
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND sh -c "printf 'tampered' >> \"$0\"" ${module} VERBATIM)
    endif()

    if(install)
        set(to ${SEBA_INSTALL_PLUGINDIR}/${id})
        # The signed folder as it is, byte for byte: its list names every file in it.
        install(DIRECTORY ${dir}/ DESTINATION ${to} COMPONENT ${SEBA_PLUGIN_COMPONENT})
    endif()

    # Its translations must pass gettext's own checks (format strings, plural forms, headers).
    if(arg_ASSETS)
        find_program(MSGFMT msgfmt REQUIRED)
        file(GLOB catalogs ${arg_ASSETS}/locale/*.po)
        foreach(catalog ${catalogs})
            get_filename_component(name ${catalog} NAME)
            add_test(NAME i18n.msgfmt_check.${id}.${name}
                     COMMAND ${MSGFMT} --check -o /dev/null ${catalog})
        endforeach()
    endif()

    if(arg_TESTS)
        add_executable(${id}_tests ${arg_TESTS})
        if(TARGET seba_core)  # Seba's own tree: its test support (defined later, in tests/)
            set(test_support seba::test_support)
        else()
            find_package(GTest REQUIRED)
            include(GoogleTest)
            set(test_support GTest::gtest_main)
        endif()
        target_link_libraries(${id}_tests PRIVATE seba::core ${test_support} ${arg_LIBRARIES})
        target_compile_definitions(${id}_tests PRIVATE SEBA_PLUGIN_DIR="${dir}")
        add_dependencies(${id}_tests ${target})
        if(COMMAND seba_warnings)
            seba_warnings(${id}_tests)
        endif()
        gtest_discover_tests(${id}_tests DISCOVERY_TIMEOUT 30)
    endif()
endfunction()
