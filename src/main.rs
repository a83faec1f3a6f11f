//! The `nashra` binary: parse the command line and hand over to the library.

use clap::Parser;
use std::ffi::{c_int, c_long};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    // from the mimalloc library that the `mimalloc` crate links in
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
