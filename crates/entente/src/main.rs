//! The `entente` binary.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system's allocator: glibc keeps the 19 MiB of each password
/// hash in per-thread arenas after it is freed (its thresholds grow with the allocations),
/// so a sign-in flood left hundreds of MiB resident however few hashes ran at once;
/// mimalloc gives such blocks back. It is also faster for the many small allocations of
/// serving a request.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    entente::cli::run(entente::cli::Cli::parse()).await
}
