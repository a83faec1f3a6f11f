//! The `nashra` binary: parse the command line and hand over to the library.

use clap::Parser;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = nashra::cli::Cli::parse();
    std::process::exit(nashra::cli::run(cli));
}
