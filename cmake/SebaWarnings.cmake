# SPDX-License-Identifier: Apache-2.0
# seba_warnings(target): the project's warning set; the sanitizers when asked; hardening.
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

# Debian's hardening (what dpkg-buildflags gives its packages): stack protector, format
# checks, fortified libc calls where the optimiser can see buffer sizes, and a read-only
# relocation table bound at start-up.
add_compile_options(-fstack-protector-strong -Wformat -Werror=format-security
                    $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
add_link_options(-Wl,-z,relro -Wl,-z,now)
