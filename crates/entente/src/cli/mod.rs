//! The `entente` command line: clap commands calling the same services as the HTTP layer.

mod nation;
mod registry_files;
mod serve;
mod status;

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config::{self, DEFAULT_DATABASE_URL};
use crate::service::Services;
use crate::service::registry_file::FileFormat;

/// Entente: the partnership registry, cooperation and dialogue, as of any date.
#[derive(Debug, Parser)]
#[command(name = "entente", version, about)]
pub struct Cli {
    /// Database URL: sqlite://FILE (the default, entente.db here) or postgres://...
    #[arg(long, global = true, env = "ENTENTE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the web pages and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "ENTENTE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Applies pending database migrations.
    Migrate,
    /// Prints every nation's status on a day.
    Status {
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        at: String,
        /// Only nations in this framework that day.
        #[arg(long)]
        framework: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = status::OutputFormat::Table)]
        format: status::OutputFormat,
    },
    /// Prints a nation's timeline.
    Nation {
        /// ISO 3166-1 alpha-2 code, such as SE.
        code: String,
    },
    /// Imports data, replacing what is there, all or nothing.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Exports data.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
}

#[derive(Debug, Subcommand)]
enum ImportWhat {
    /// Replaces the whole registry with a registry file (CSV or JSON).
    Registry {
        /// The file to import.
        file: std::path::PathBuf,
        /// The file's format (default: from its extension).
        #[arg(long, value_enum)]
        format: Option<FileFormat>,
    },
}

#[derive(Debug, Subcommand)]
enum ExportWhat {
    /// Writes the whole registry.
    Registry {
        /// Output format.
        #[arg(long, value_enum, default_value_t = FileFormat::Csv)]
        format: FileFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

/// Runs the command line and returns the process's exit code.
pub async fn run(cli: Cli) -> ExitCode {
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::FAILURE,
        Err(Failure::Error(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// How a command failed.
#[derive(Debug)]
enum Failure {
    /// The command printed its own explanation.
    Reported,
    /// An error still to be printed.
    Error(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Error(e.into())
    }
}

async fn open(database: &str, with_reference: bool) -> Result<Arc<Services>, Failure> {
    let store = crate::store::open(database)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database {}: {e}", config::redact(database)))?;
    let services = Arc::new(Services::new(store));
    if with_reference {
        services.registry.ensure_reference_dataset().await?;
    }
    Ok(services)
}

async fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve { listen } => {
            let services = open(&cli.database, true).await?;
            serve::run(services, config::Config { database_url: cli.database, listen }).await
        }
        Command::Migrate => {
            let services = open(&cli.database, false).await?;
            println!("{} database is up to date", services.store.backend());
            Ok(())
        }
        Command::Status { at, framework, format } => {
            let services = open(&cli.database, true).await?;
            status::run(&services, &at, framework.as_deref(), format).await
        }
        Command::Nation { code } => {
            let services = open(&cli.database, true).await?;
            nation::run(&services, &code).await
        }
        Command::Import { what: ImportWhat::Registry { file, format } } => {
            let services = open(&cli.database, false).await?;
            registry_files::import(&services, &file, format).await
        }
        Command::Export { what: ExportWhat::Registry { format, output } } => {
            let services = open(&cli.database, true).await?;
            registry_files::export(&services, format, output.as_deref()).await
        }
    }
}
