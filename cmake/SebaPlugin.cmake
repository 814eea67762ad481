# SPDX-License-Identifier: Apache-2.0
# seba_add_plugin(<id>
#     SOURCES <files...>          the module's sources
#     [LIBRARIES <targets...>]    extra libraries (seba::core is always linked)
#     [MANIFEST <file>]           default: manifest.json beside the calling CMakeLists.txt
#     [ASSETS <dir>]              copied next to the module (locale, seed data...)
#     [TESTS <files...>]          GoogleTest sources, built into <id>_tests and discovered
#     [OUTPUT_DIR <dir>]          default: ${SEBA_OUTPUT_DIR}/plugins
#     [UNSIGNED]                  leave the module unsigned (loader tests only)
#     [TAMPER]                    sign, then change the module (loader tests only))
#
# Builds a MODULE library <OUTPUT_DIR>/<id>/<id>.so with hidden visibility (only the
# SEBA_PLUGIN entry symbol is exported), no undefined symbols, an RPATH to lib/, its
# manifest beside it, and a minisign signature <id>.so.minisig made with the build's
# development key.

# The development signing key: made once per build tree, never committed.
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

function(seba_add_plugin id)
    cmake_parse_arguments(PARSE_ARGV 1 arg "UNSIGNED;TAMPER" "MANIFEST;ASSETS;OUTPUT_DIR"
                          "SOURCES;LIBRARIES;TESTS")
    if(NOT arg_SOURCES)
        message(FATAL_ERROR "seba_add_plugin(${id}): SOURCES is required")
    endif()
    if(NOT arg_MANIFEST)
        set(arg_MANIFEST ${CMAKE_CURRENT_SOURCE_DIR}/manifest.json)
    endif()
    if(NOT arg_OUTPUT_DIR)
        set(arg_OUTPUT_DIR ${SEBA_OUTPUT_DIR}/plugins)
    endif()
    set(dir ${arg_OUTPUT_DIR}/${id})
    set(target seba_plugin_${id})

    add_library(${target} MODULE ${arg_SOURCES})
    target_link_libraries(${target} PRIVATE seba::core ${arg_LIBRARIES})
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
    seba_warnings(${target})
    set_target_properties(${target} PROPERTIES
        PREFIX "" OUTPUT_NAME ${id}
        LIBRARY_OUTPUT_DIRECTORY ${dir}
        BUILD_RPATH "$ORIGIN/../../lib"
        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)

    # The manifest and assets travel with the module.
    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E copy_if_different ${arg_MANIFEST} ${dir}/manifest.json
        VERBATIM)
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${arg_MANIFEST})
    if(arg_ASSETS)
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND ${CMAKE_COMMAND} -E copy_directory ${arg_ASSETS} ${dir}/assets VERBATIM)
    endif()

    set(module ${dir}/${id}.so)
    if(arg_UNSIGNED)
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND ${CMAKE_COMMAND} -E rm -f ${module}.minisig VERBATIM)
    else()
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND ${MINISIGN} -S -s ${SEBA_DEV_SECRET_KEY} -m ${module} -x ${module}.minisig
                    -t "seba plugin ${id}, development build" -c "seba development key"
            COMMENT "Signing plugin ${id} with the development key" VERBATIM)
    endif()
    if(arg_TAMPER)
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND sh -c "printf 'tampered' >> \"$0\"" ${module} VERBATIM)
    endif()

    if(arg_TESTS)
        add_executable(${id}_tests ${arg_TESTS})
        target_link_libraries(${id}_tests PRIVATE seba::core seba::test_support ${arg_LIBRARIES})
        target_compile_definitions(${id}_tests PRIVATE SEBA_PLUGIN_DIR="${dir}")
        add_dependencies(${id}_tests ${target})
        seba_warnings(${id}_tests)
        gtest_discover_tests(${id}_tests DISCOVERY_TIMEOUT 30)
    endif()
endfunction()
