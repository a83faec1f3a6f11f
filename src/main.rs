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

/// A one-shot build's memory is touched once, in small pages. With
/// transparent huge pages (mimalloc asks for them), a fault clears 2 MiB at
/// once, and on a virtual machine that has handed its free memory back to
/// the host (as ours do), each such fault waits for the host to back all of
/// it: the system time of a 10,000-pair build varied from 0.6 to 1.2 s,
/// against 0.74 s every time with small pages, for 2 to 3% more user time
/// (docs/performance.md). Left alone when `MIMALLOC_ALLOW_THP` is set.
#[cfg(target_os = "linux")]
fn small_pages() {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
        return;
    }
    extern "C" {
        // glibc's, which the binary links with on Linux
        fn prctl(option: c_int, ...) -> c_int;
    }
    /// From <linux/prctl.h>.
    const PR_SET_THP_DISABLE: c_int = 41;
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process, and
    // takes four more arguments (the flag, then three zeros); its result is
    // ignored, as a kernel without it leaves things as they were.
    let (on, zero): (std::ffi::c_ulong, std::ffi::c_ulong) = (1, 0);
    unsafe {
        prctl(PR_SET_THP_DISABLE, on, zero, zero, zero);
    }
}

#[cfg(not(target_os = "linux"))]
fn small_pages() {}

fn main() {
    let cli = nashra::cli::Cli::parse();
    if matches!(cli.command, nashra::cli::Command::Build { .. } | nashra::cli::Command::Check { .. }) {
        small_pages();
        keep_freed_memory();
    }
    std::process::exit(nashra::cli::run(cli));
}
