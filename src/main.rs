//! The `nashra` binary: parse the command line and hand over to the library.

use clap::Parser;
use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long, c_void};

/// mimalloc, as the `mimalloc` crate's allocator but calling the plain
/// functions when the alignment asked for is at most 8 bytes, which every
/// block of mimalloc's has (its size classes are multiples of 8 bytes, laid
/// from 8-byte-aligned starts). The crate calls the aligned functions for
/// every allocation: their checks were nearly 3% of a build's instructions.
struct MiMalloc;

/// The alignment every mimalloc block has.
const PLAIN_ALIGN: usize = 8;

// SAFETY: each method hands the request to mimalloc, whose functions meet
// `GlobalAlloc`'s contract: the plain ones for alignments their blocks
// always have, the aligned ones otherwise; `mi_free` frees either kind.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

#[global_allocator]
static ALLOC: MiMalloc = MiMalloc;

extern "C" {
    // from the mimalloc library that `libmimalloc-sys` links in
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set(option: c_int, value: c_long);
}

/// `mi_option_purge_delay` in mimalloc 2's `mi_option_e` (libmimalloc-sys
/// 0.1.49 with its `v2` feature).
const MI_OPTION_PURGE_DELAY: c_int = 15;
/// Its default in that version (options.c), in milliseconds.
const MI_PURGE_DELAY_DEFAULT: c_long = 10;

/// A one-shot build frees and allocates page-sized buffers all the time;
/// mimalloc hands freed memory back to the system after a moment and then
/// faults it in again (75,000 page faults in a 10,000-pair build, a quarter
/// of its system time). A process that ends within seconds keeps it instead.
/// Left alone when the option does not read as its default (set
/// by `MIMALLOC_PURGE_DELAY`, or a mimalloc whose option numbers differ).
fn keep_freed_memory() {
    // SAFETY: both functions only read or write mimalloc's option table; an
    // out-of-range option number is ignored by mimalloc (it checks the range).
    unsafe {
        if mi_option_get(MI_OPTION_PURGE_DELAY) == MI_PURGE_DELAY_DEFAULT {
            mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

fn main() {
    let cli = nashra::cli::Cli::parse();
    if matches!(cli.command, nashra::cli::Command::Build { .. } | nashra::cli::Command::Check { .. }) {
        keep_freed_memory();
    }
    std::process::exit(nashra::cli::run(cli));
}
