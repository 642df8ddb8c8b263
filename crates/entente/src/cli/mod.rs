//! The `entente` command line: clap commands calling the same services as the HTTP layer.

mod audit;
mod demo;
mod nation;
mod registry_files;
mod serve;
mod status;
mod users;

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
        /// Adds one demo account per role (printing their passwords) and a few demo
        /// documents, and shows a demo banner on every page. Never for real use.
        #[arg(long)]
        demo: bool,
        /// Marks cookies Secure: set this when serving behind HTTPS.
        #[arg(long, env = "ENTENTE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The largest document upload accepted, in bytes.
        #[arg(long, env = "ENTENTE_MAX_UPLOAD_BYTES", default_value_t = crate::service::documents::DEFAULT_MAX_UPLOAD_BYTES)]
        max_upload_bytes: usize,
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
    /// Manages user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Works with the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Creates an account; the password is read from standard input.
    Add {
        /// Email address (the sign-in name).
        #[arg(long)]
        email: String,
        /// Name shown on pages.
        #[arg(long)]
        name: String,
        /// admin, staff, approver, member_delegate, partner_officer or analyst.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        affiliation: users::AffiliationArgs,
        /// PUBLIC, UNCLASSIFIED or RESTRICTED.
        #[arg(long, default_value = "UNCLASSIFIED")]
        clearance: String,
    },
    /// Lists accounts.
    List,
    /// Disables an account and ends its sessions.
    Disable {
        /// The account's email.
        email: String,
    },
    /// Changes an account's role.
    SetRole {
        /// The account's email.
        email: String,
        /// The new role.
        role: String,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Checks the hash chain and names the first broken link.
    Verify,
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
    open_with_limit(database, with_reference, crate::service::documents::DEFAULT_MAX_UPLOAD_BYTES).await
}

async fn open_with_limit(
    database: &str,
    with_reference: bool,
    max_upload_bytes: usize,
) -> Result<Arc<Services>, Failure> {
    let store = crate::store::open(database)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database {}: {e}", config::redact(database)))?;
    let services = Arc::new(Services::with_upload_limit(store, max_upload_bytes));
    if with_reference {
        services.registry.ensure_reference_dataset().await?;
    }
    Ok(services)
}

async fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve { listen, demo, secure_cookies, max_upload_bytes } => {
            let services = open_with_limit(&cli.database, true, max_upload_bytes).await?;
            let config = config::Config { database_url: cli.database, listen };
            serve::run(services, config, serve::ServeOptions { demo, secure_cookies }).await
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
        Command::User { command } => {
            let services = open(&cli.database, true).await?;
            match command {
                UserCommand::Add { email, name, role, affiliation, clearance } => {
                    users::add(&services, &email, &name, &role, &affiliation, &clearance).await
                }
                UserCommand::List => users::list(&services).await,
                UserCommand::Disable { email } => users::disable(&services, &email).await,
                UserCommand::SetRole { email, role } => users::set_role(&services, &email, &role).await,
            }
        }
        Command::Audit { command: AuditCommand::Verify } => audit::verify(&*open(&cli.database, false).await?).await,
        Command::Export { what: ExportWhat::Registry { format, output } } => {
            let services = open(&cli.database, true).await?;
            registry_files::export(&services, format, output.as_deref()).await
        }
    }
}
