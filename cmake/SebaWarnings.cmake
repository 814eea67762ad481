# SPDX-License-Identifier: Apache-2.0
# seba_warnings(target): the project's warning set, and the sanitizers when asked.
function(seba_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
        -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
        -Wimplicit-fallthrough)
    if(SEBA_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

if(SEBA_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
