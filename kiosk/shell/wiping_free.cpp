// SPDX-License-Identifier: Apache-2.0
// Every heap block zeroed before it is freed (wiping_free.hpp). The executable's own free()
// comes first in the dynamic linker's lookup, so every shared library's calls land here;
// glibc's internal calls (stdio, getaddrinfo) do not, and hold no citizen text.
#include "wiping_free.hpp"

#include <malloc.h>
#include <string.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>

extern "C" {
// glibc's own entry points, exported for exactly this: a replacement that defers to them.
void __libc_free(void* block);
void* __libc_malloc(std::size_t size);
void* __libc_realloc(void* block, std::size_t size);
}

namespace {

std::atomic<bool> g_wipe{true};

[[maybe_unused]] void wipe(void* block, std::size_t bytes) {
    if (bytes) explicit_bzero(block, bytes);
}

}  // namespace

namespace seba::kiosk {

void set_wipe_freed_memory(bool on) {
    g_wipe.store(on, std::memory_order_relaxed);
}

bool wipe_freed_memory() {
    return g_wipe.load(std::memory_order_relaxed);
}

}  // namespace seba::kiosk

#if defined(__SANITIZE_ADDRESS__)

// Under AddressSanitizer its allocator owns the heap and a replaced free() would hand it
// blocks it never made: it zeroes freed blocks itself instead.
extern "C" __attribute__((visibility("default"))) const char* __asan_default_options() {
    return "max_free_fill_size=2147483647:free_fill_byte=0";
}

#else

extern "C" {

__attribute__((visibility("default"))) void free(void* block) {
    if (!block) return;
    if (g_wipe.load(std::memory_order_relaxed)) wipe(block, malloc_usable_size(block));
    __libc_free(block);
}

// glibc's realloc frees the old block when it moves it, and a shrink in place hands the
// tail back: neither is wiped by free(). So a move is done here, and a tail is zeroed first.
__attribute__((visibility("default"))) void* realloc(void* block, std::size_t size) {
    if (!block) return __libc_malloc(size);
    if (size == 0) {
        free(block);
        return nullptr;
    }
    if (!g_wipe.load(std::memory_order_relaxed)) return __libc_realloc(block, size);
    const std::size_t have = malloc_usable_size(block);
    if (size <= have) {
        wipe(static_cast<char*>(block) + size, have - size);
        // A shrink stays where it is (or mremap moves the pages themselves): nothing left behind.
        return __libc_realloc(block, size);
    }
    void* moved = __libc_malloc(size);
    if (!moved) return nullptr;  // errno is ENOMEM; the old block stays the caller's
    memcpy(moved, block, have);
    free(block);
    return moved;
}

__attribute__((visibility("default"))) void* reallocarray(void* block, std::size_t count,
                                                          std::size_t size) {
    std::size_t bytes = 0;
    if (__builtin_mul_overflow(count, size, &bytes)) {
        errno = ENOMEM;
        return nullptr;
    }
    return realloc(block, bytes);
}

}  // extern "C"

#endif  // __SANITIZE_ADDRESS__
