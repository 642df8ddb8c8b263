//! The `entente` binary.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    entente::cli::run(entente::cli::Cli::parse()).await
}
