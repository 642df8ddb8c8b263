//! The `entente` command line: clap commands calling the same services as the HTTP layer.

mod assessments;
mod audit;
mod demo;
mod dialogue;
mod menu;
mod nation;
mod programmes;
mod proposals;
mod registry_files;
mod seats;
mod serve;
mod status;
mod tokens;
mod users;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::app::{self, Builder};
use crate::config::{Config, LogFormat, Overrides};
use crate::service::Services;
use crate::service::council::DecisionInput;
use crate::service::programmes::{ProgrammeInput, WorkPlanInput};
use crate::service::proposals::ProposalInput;
use crate::service::seats::RequestInput;
use crate::store::seats::StoredBudget;
use registry_files::FormatArg;

/// Entente: the partnership registry, cooperation and dialogue, as of any date.
#[derive(Debug, Parser)]
#[command(name = "entente", version, about)]
pub struct Cli {
    /// Configuration file (TOML); default: entente.toml here, if there is one.
    #[arg(long, global = true, env = "ENTENTE_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE (default sqlite://entente.db) or postgres://...
    /// (add ?sslmode=require or verify-full for TLS).
    #[arg(long, global = true, env = "ENTENTE_DATABASE_URL", hide_env_values = true)]
    database: Option<String>,
    /// Log lines as text or JSON.
    #[arg(long, global = true, env = "ENTENTE_LOG_FORMAT", value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the web pages and the JSON API.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080); a bare port listens on 127.0.0.1.
        #[arg(long, env = "ENTENTE_LISTEN", value_parser = parse_listen)]
        listen: Option<std::net::SocketAddr>,
        /// Adds one demo account per role (printing their passwords) and a few demo
        /// documents, and shows a demo banner on every page. Never for real use.
        #[arg(long)]
        demo: bool,
        /// Marks cookies Secure: set this when serving behind HTTPS.
        #[arg(long, env = "ENTENTE_SECURE_COOKIES", num_args = 0..=1, default_missing_value = "true")]
        secure_cookies: Option<bool>,
        /// The largest document upload accepted, in bytes (default 10 MiB).
        #[arg(long, env = "ENTENTE_MAX_UPLOAD_BYTES")]
        max_upload_bytes: Option<usize>,
    },
    /// Prints the effective configuration (file, environment and flags), secrets redacted.
    Config,
    /// Manages personal API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
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
    /// Prints a shell completion script: `entente completions bash > /etc/bash_completion.d/entente`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Works with the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Changes the registry through proposals that an approver approves.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// Imports or exports a year's cooperation menu.
    Menu {
        #[command(subcommand)]
        command: MenuCommand,
    },
    /// Imports events.
    Events {
        #[command(subcommand)]
        command: EventsCommand,
    },
    /// Tailored programmes: list, show, create, build, take lifecycle steps, amend.
    Programme {
        #[command(subcommand)]
        command: ProgrammeCommand,
    },
    /// Participant rules: resolve one on a day.
    Rule {
        #[command(subcommand)]
        command: dialogue::RuleCommand,
    },
    /// Operations: contributors, contributions, force requirements, liaison postings.
    Operation {
        #[command(subcommand)]
        command: dialogue::OperationCommand,
    },
    /// Dialogue meetings: list, show, create, agenda, outcomes, action items.
    Meeting {
        #[command(subcommand)]
        command: dialogue::MeetingCommand,
    },
    /// Asks for seats on an event.
    Request {
        #[command(subcommand)]
        command: RequestCommand,
    },
    /// Allocates the seats of an `at_deadline` event, or of every one of a year at once.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["event", "year"])))]
    Allocate {
        /// The event's code.
        #[arg(long)]
        event: Option<String>,
        /// A year: every `at_deadline` event starting in it, under the yearly budgets.
        #[arg(long)]
        year: Option<i64>,
        /// `table` for people, `json` for scripts (one object per request).
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Nominees' personal data.
    Nominations {
        #[command(subcommand)]
        command: NominationsCommand,
    },
    /// Sets nations' yearly budgets of sponsored seats.
    Budget {
        #[command(subcommand)]
        command: BudgetCommand,
    },
    /// Lists the areas of cooperation.
    Areas {
        /// `table` for people, `json` for scripts.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Records council decisions.
    Decision {
        #[command(subcommand)]
        command: DecisionCommand,
    },
    /// Says whether a nation may take part in an activity on a day, and why.
    Eligibility {
        /// The nation's code.
        #[arg(long)]
        nation: String,
        /// The activity's code.
        #[arg(long)]
        activity: String,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        at: String,
        /// `text` for people, `json` for scripts.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Generates demonstration data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// A nation's progress in a year: programmes, goals, indicators (0 to 1, or null).
    Progress {
        /// The nation (ISO alpha-2).
        #[arg(long)]
        nation: String,
        /// The year.
        #[arg(long)]
        year: i64,
        /// `text` for people, `json` for scripts.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Writes a nation's yearly progress report: a workbook or a printable page.
    Report {
        /// The nation (ISO alpha-2).
        #[arg(long)]
        nation: String,
        /// The year.
        #[arg(long)]
        year: i64,
        /// `xlsx` or `html`.
        #[arg(long, value_parser = ["xlsx", "html"])]
        format: String,
        /// The file to write.
        #[arg(long)]
        output: PathBuf,
    },
    /// Review periods and their workflow.
    Review {
        #[command(subcommand)]
        command: assessments::ReviewCommand,
    },
    /// Indicators of programme and PARP goals.
    Indicator {
        #[command(subcommand)]
        command: assessments::IndicatorCommand,
    },
    /// Units declared to the pool of forces and their evaluations.
    Unit {
        #[command(subcommand)]
        command: assessments::UnitCommand,
    },
    /// What is missing or late: goals without indicators, unmeasured indicators, ...
    DataQuality {
        /// The year (default this year).
        #[arg(long)]
        year: Option<i64>,
        /// `text` for people, `json` for scripts.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
enum MenuCommand {
    /// Imports a menu file (CSV or .xlsx, by extension), all or nothing.
    Import {
        /// The file.
        file: PathBuf,
    },
    /// Exports a year's menu.
    Export {
        /// The menu's year.
        #[arg(long)]
        year: i64,
        /// csv or xlsx.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum ProgrammeCommand {
    /// Lists programmes (latest versions), of a nation or with a status.
    List {
        /// A nation's code.
        #[arg(long)]
        nation: Option<String>,
        /// draft, submitted, agreed, in_execution or closed.
        #[arg(long)]
        status: Option<String>,
        /// `table` for people, `json` for scripts.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Prints a programme with its objectives, goals, supports and work plan, as JSON.
    Show {
        /// The programme's code.
        code: String,
        /// A version (default: the latest).
        #[arg(long)]
        version: Option<i64>,
    },
    /// Starts a programme (a draft, version 1).
    Create {
        /// The account acting (staff, or an officer of the nation).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The partner.
        #[arg(long)]
        nation: String,
        /// ipp, ipap, ipcp, anp, itpp, annual_package or dcb_package.
        #[arg(long)]
        kind: String,
        /// Title.
        #[arg(long)]
        title: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        starts: String,
        /// Last day (default: the kind's usual length).
        #[arg(long, default_value = "")]
        ends: String,
        /// Marking (default: UNCLASSIFIED REL TO the nation).
        #[arg(long, default_value = "")]
        marking: String,
    },
    /// Adds a strategic objective to a draft.
    Objective {
        /// The programme's code.
        code: String,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// Title.
        #[arg(long)]
        title: String,
    },
    /// Adds a partnership goal under one of a draft's objectives.
    Goal {
        /// The programme's code.
        code: String,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The objective's number.
        #[arg(long)]
        objective: i64,
        /// Title.
        #[arg(long)]
        title: String,
    },
    /// Names an activity or event supporting one of a draft's goals.
    Support {
        /// The programme's code.
        code: String,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The goal's number.
        #[arg(long)]
        goal: i64,
        /// The activity's or event's code.
        #[arg(long)]
        item: String,
    },
    /// Puts an activity or event on a year's work plan, under a goal.
    WorkPlan {
        /// The programme's code.
        code: String,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The year.
        #[arg(long)]
        year: i64,
        /// The goal's number.
        #[arg(long)]
        goal: i64,
        /// The activity's or event's code.
        #[arg(long)]
        item: String,
        /// 1 (highest) to 3.
        #[arg(long, default_value_t = 2)]
        priority: i64,
    },
    /// Takes a lifecycle step: submit, return, council_decision (with --reference),
    /// partner_acceptance, execute or close.
    Step {
        /// The programme's code.
        code: String,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The step.
        #[arg(long)]
        step: String,
        /// The council decision's reference.
        #[arg(long, default_value = "")]
        reference: String,
    },
    /// Starts an amendment of an agreed programme: a new draft version.
    Amend {
        /// The programme's code.
        code: String,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
    },
}

#[derive(Debug, Subcommand)]
enum RequestCommand {
    /// Asks for seats on an event for a nation; prints the answer.
    Add {
        /// The event's code.
        #[arg(long)]
        event: String,
        /// The nation asking.
        #[arg(long)]
        nation: String,
        /// Seats.
        #[arg(long)]
        seats: i64,
        /// 1 (highest) to 3.
        #[arg(long, default_value_t = 2)]
        priority: i64,
        /// `table` for people, `json` for scripts.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
enum NominationsCommand {
    /// Erases the names and contacts of nominees to events that ended more than the
    /// configured `personal_data_days` ago (or `--days`); the server also does it daily.
    Purge {
        /// Days after an event's end to keep them (default: the configuration's).
        #[arg(long)]
        days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
enum BudgetCommand {
    /// Sets a nation's budget of sponsored seats for a year (for one area, or every area).
    Set {
        /// The nation.
        #[arg(long)]
        nation: String,
        /// The year.
        #[arg(long)]
        year: i64,
        /// An area's code; without it, the budget is over every area.
        #[arg(long, default_value = "")]
        area: String,
        /// Seats.
        #[arg(long)]
        seats: i64,
    },
}

#[derive(Debug, Subcommand)]
enum EventsCommand {
    /// Imports an events file (CSV), all or nothing.
    Import {
        /// The file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum DecisionCommand {
    /// Records a council decision and prints its number.
    Add {
        /// `opens` or `suspends`.
        #[arg(long)]
        kind: String,
        /// A nation it concerns (repeat for several).
        #[arg(long = "nation", required = true)]
        nations: Vec<String>,
        /// `menu`, `area:CODE` or `activity:CODE`.
        #[arg(long)]
        scope: String,
        /// First day valid, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day valid.
        #[arg(long)]
        to: Option<String>,
        /// Where it is recorded.
        #[arg(long)]
        reference: String,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Generates a realistic menu, labelled as generated, replacing an earlier generated one.
    Menu {
        /// The menu's year.
        #[arg(long)]
        year: i32,
        /// How many activities.
        #[arg(long, default_value_t = 1400)]
        activities: usize,
        /// The seed: the same seed gives the same menu.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Generates programmes, goals, indicators, reviews and measurements for every
    /// partner, labelled as generated; partners that have theirs already are left as
    /// they are.
    Assessments {
        /// The seed: the same seed gives the same set.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
enum RegistryCommand {
    /// Proposes a change and prints the new proposal's id.
    Propose {
        /// The account proposing (staff, administrator or member delegate).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The nation's code.
        #[arg(long)]
        nation: String,
        /// The framework's code.
        #[arg(long)]
        framework: String,
        /// The participation begins on DATE (YYYY-MM-DD, YYYY-MM, YYYY).
        #[arg(long, value_name = "DATE", conflicts_with = "end", required_unless_present = "end")]
        start: Option<String>,
        /// The participation in force on DATE ends that day.
        #[arg(long, value_name = "DATE")]
        end: Option<String>,
        /// Why the change is made.
        #[arg(long)]
        reason: String,
        /// The public source that attests it.
        #[arg(long)]
        source: String,
    },
    /// Approves a pending proposal and applies it (an approver, not its author).
    Approve {
        /// The proposal's id.
        id: i64,
        /// The approving account.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
    },
    /// Returns a pending proposal to its author with a comment.
    Return {
        /// The proposal's id.
        id: i64,
        /// The approver's account.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// Why it is returned.
        #[arg(long)]
        comment: String,
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
    List {
        /// `table` for people, `json` for scripts (an array of objects).
        #[arg(long, value_enum, default_value_t = users::ListFormat::Table)]
        format: users::ListFormat,
    },
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
enum TokenCommand {
    /// Issues a personal API token for an account and prints it alone on the last line.
    Issue {
        /// The account's email.
        #[arg(long)]
        email: String,
        /// Allow changes (the default is read-only).
        #[arg(long)]
        write: bool,
        /// Days until it expires, 1 to 366.
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Checks the hash chain, the trail against signed checkpoints, and every audited row
    /// against the digest the trail last recorded for it; exits non-zero on any problem.
    Verify {
        /// A file of checkpoints (one JSON object a line) made by `entente audit checkpoint`.
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<std::path::PathBuf>,
    },
    /// Signs a checkpoint of the trail's head with the key named by `audit_signing_key`
    /// (created on first use); keep checkpoints away from the database.
    Checkpoint {
        /// Appends the checkpoint to FILE (one a line) instead of printing it.
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
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
        format: Option<FormatArg>,
    },
}

#[derive(Debug, Subcommand)]
enum ExportWhat {
    /// Writes the whole registry.
    Registry {
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

/// Writes a line to standard output; a failed write (such as a reader that went away:
/// `entente status | head -1`) returns from the command as an error.
macro_rules! outln {
    ($($arg:tt)*) => {
        if let Err(error) = {
            use std::io::Write as _;
            writeln!(std::io::stdout().lock(), $($arg)*)
        } {
            return Err($crate::cli::Failure::from(error));
        }
    };
}
/// [`outln`] without the line end.
macro_rules! out {
    ($($arg:tt)*) => {
        if let Err(error) = {
            use std::io::Write as _;
            write!(std::io::stdout().lock(), $($arg)*)
        } {
            return Err($crate::cli::Failure::from(error));
        }
    };
}
pub(crate) use {out, outln};

/// Whether `error` is standard output's reader having gone away: not a failure of the
/// command, which ends quietly like any Unix tool.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            cause.downcast_ref::<csv::Error>().and_then(|e| match e.kind() {
                csv::ErrorKind::Io(io) => Some(io),
                _ => None,
            })
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs the command line and returns the process's exit code.
pub async fn run(cli: Cli) -> ExitCode {
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Error(e)) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::FAILURE,
        Err(Failure::Error(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// How a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
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

/// `--listen` accepts `IP:PORT`, `localhost:PORT`, or a bare port on 127.0.0.1.
pub(crate) fn parse_listen(text: &str) -> Result<std::net::SocketAddr, String> {
    let loopback = |port| std::net::SocketAddr::from(([127, 0, 0, 1], port));
    if let Ok(port) = text.parse::<u16>() {
        return Ok(loopback(port));
    }
    if let Some(port) = text.strip_prefix("localhost:").and_then(|p| p.parse::<u16>().ok()) {
        return Ok(loopback(port));
    }
    text.parse().map_err(|_| {
        format!("`{text}` is not an address: write IP:PORT (0.0.0.0:8080), localhost:PORT or a port (8080)")
    })
}

/// The effective configuration of this invocation.
fn config_of(cli: &Cli) -> Result<Config, Failure> {
    let (listen, secure_cookies, max_upload_bytes) = match &cli.command {
        Command::Serve { listen, secure_cookies, max_upload_bytes, .. } => {
            (*listen, *secure_cookies, *max_upload_bytes)
        }
        // Other commands have no such flags, but `entente config` shows what serve would use.
        _ => (
            env_setting("ENTENTE_LISTEN", parse_listen)?,
            env_setting("ENTENTE_SECURE_COOKIES", |t| t.parse::<bool>().map_err(|e| e.to_string()))?,
            env_setting("ENTENTE_MAX_UPLOAD_BYTES", |t| t.parse::<usize>().map_err(|e| e.to_string()))?,
        ),
    };
    let overrides = Overrides {
        database_url: cli.database.clone(),
        listen,
        secure_cookies,
        max_upload_bytes,
        log_format: cli.log_format,
        log_filter: std::env::var("ENTENTE_LOG").ok(),
    };
    Ok(Config::load(cli.config.as_deref(), overrides)?)
}

/// An environment variable's value, parsed, or an error naming the variable.
fn env_setting<T>(name: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, Failure> {
    match std::env::var(name) {
        Ok(text) => parse(&text).map(Some).map_err(|e| anyhow::anyhow!("{name}: {e}").into()),
        Err(_) => Ok(None),
    }
}

async fn open(config: &Config, with_reference: bool) -> Result<Arc<Services>, Failure> {
    let builder = Builder::new(config.clone());
    let builder = if with_reference { builder } else { builder.without_reference_data() };
    Ok(builder.build().await?.services)
}

async fn execute(cli: Cli) -> Result<(), Failure> {
    let config = config_of(&cli)?;
    let _log_writer = app::init_tracing(&config);
    match cli.command {
        Command::Serve { demo, .. } => {
            let application = Builder::new(config).build().await?;
            serve::run(application, serve::ServeOptions { demo }).await
        }
        Command::Config => {
            out!("{}", config.to_redacted_toml());
            Ok(())
        }
        Command::Token { command: TokenCommand::Issue { email, write, days } } => {
            tokens::issue(&*open(&config, true).await?, &email, write, days).await
        }
        Command::Migrate => {
            let services = open(&config, false).await?;
            outln!("{} database is up to date", services.db.backend());
            Ok(())
        }
        Command::Status { at, framework, format } => {
            let services = open(&config, true).await?;
            status::run(&services, &at, framework.as_deref(), format).await
        }
        Command::Nation { code } => {
            let services = open(&config, true).await?;
            nation::run(&services, &code).await
        }
        Command::Import { what: ImportWhat::Registry { file, format } } => {
            let services = open(&config, false).await?;
            registry_files::import(&services, &file, format).await
        }
        Command::User { command } => {
            let services = open(&config, true).await?;
            match command {
                UserCommand::Add { email, name, role, affiliation, clearance } => {
                    users::add(&services, &email, &name, &role, &affiliation, &clearance).await
                }
                UserCommand::List { format } => users::list(&services, format).await,
                UserCommand::Disable { email } => users::disable(&services, &email).await,
                UserCommand::SetRole { email, role } => users::set_role(&services, &email, &role).await,
            }
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "entente", &mut script);
            out!("{}", String::from_utf8_lossy(&script));
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify { checkpoints } } => {
            audit::verify(&*open(&config, false).await?, &config, checkpoints.as_deref()).await
        }
        Command::Audit { command: AuditCommand::Checkpoint { output } } => {
            audit::checkpoint(&*open(&config, false).await?, &config, output.as_deref()).await
        }
        Command::Registry { command } => {
            let services = open(&config, true).await?;
            match command {
                RegistryCommand::Propose { as_email, nation, framework, start, end, reason, source } => {
                    let input = ProposalInput {
                        nation,
                        framework: Some(framework),
                        start,
                        end,
                        reason,
                        source,
                        ..ProposalInput::default()
                    };
                    proposals::propose(&services, &as_email, input).await
                }
                RegistryCommand::Approve { id, as_email } => proposals::approve(&services, &as_email, id).await,
                RegistryCommand::Return { id, as_email, comment } => {
                    proposals::return_proposal(&services, &as_email, id, &comment).await
                }
            }
        }
        Command::Menu { command: MenuCommand::Import { file } } => {
            menu::import_menu(&*open(&config, true).await?, &file).await
        }
        Command::Menu { command: MenuCommand::Export { year, format, output } } => {
            menu::export_menu(&*open(&config, true).await?, year, &format, output.as_deref()).await
        }
        Command::Events { command: EventsCommand::Import { file } } => {
            menu::import_events(&*open(&config, true).await?, &file).await
        }
        Command::Programme { command } => {
            let services = open(&config, true).await?;
            programme(&services, command).await
        }
        Command::Rule { command } => dialogue::rule(&*open(&config, true).await?, command).await,
        Command::Operation { command } => dialogue::operation(&*open(&config, true).await?, command).await,
        Command::Meeting { command } => dialogue::meeting(&*open(&config, true).await?, command).await,
        Command::Request { command: RequestCommand::Add { event, nation, seats, priority, format } } => {
            let input = RequestInput { nation, seats, priority };
            seats::add_request(&*open(&config, true).await?, &event, input, format == "json").await
        }
        Command::Allocate { event, year, format } => {
            let services = open(&config, true).await?;
            match (event, year) {
                (Some(event), _) => seats::allocate_event(&services, &event, format == "json").await,
                (None, Some(year)) => seats::allocate_year(&services, year, format == "json").await,
                (None, None) => Err(anyhow::anyhow!("give --event CODE or --year YEAR").into()),
            }
        }
        Command::Nominations { command: NominationsCommand::Purge { days } } => {
            let days = days.unwrap_or(config.personal_data_days);
            seats::purge(&*open(&config, true).await?, days).await
        }
        Command::Budget { command: BudgetCommand::Set { nation, year, area, seats } } => {
            let budget =
                StoredBudget { nation: nation.to_ascii_uppercase(), year, area: area.to_ascii_uppercase(), seats };
            seats::set_budget(&*open(&config, true).await?, budget).await
        }
        Command::Areas { format } => menu::areas(&*open(&config, true).await?, format == "json").await,
        Command::Decision { command: DecisionCommand::Add { kind, nations, scope, from, to, reference } } => {
            let input = DecisionInput {
                decided_on: String::new(),
                kind,
                nations,
                scope,
                from,
                to: to.unwrap_or_default(),
                reference,
            };
            menu::add_decision(&*open(&config, true).await?, input).await
        }
        Command::Eligibility { nation, activity, at, format } => {
            menu::eligibility(&*open(&config, true).await?, &nation, &activity, &at, format == "json").await
        }
        Command::Demo { command: DemoCommand::Menu { year, activities, seed } } => {
            menu::demo_menu(&*open(&config, true).await?, year, activities, seed).await
        }
        Command::Demo { command: DemoCommand::Assessments { seed } } => {
            assessments::demo(&*open(&config, true).await?, seed).await
        }
        Command::Progress { nation, year, format } => {
            assessments::progress(&*open(&config, true).await?, &nation, year, format == "json").await
        }
        Command::Report { nation, year, format, output } => {
            assessments::report(&*open(&config, true).await?, &nation, year, &format, &output).await
        }
        Command::Review { command } => assessments::review(&*open(&config, true).await?, command).await,
        Command::Indicator { command } => assessments::indicator(&*open(&config, true).await?, command).await,
        Command::Unit { command } => assessments::unit(&*open(&config, true).await?, command).await,
        Command::DataQuality { year, format } => {
            let services = open(&config, true).await?;
            let year = year.unwrap_or_else(|| i64::from(chrono::Datelike::year(&services.db.clock().today())));
            assessments::data_quality(&services, year, format == "json").await
        }
        Command::Export { what: ExportWhat::Registry { format, output } } => {
            let services = open(&config, true).await?;
            registry_files::export(&services, format, output.as_deref()).await
        }
    }
}

async fn programme(services: &Services, command: ProgrammeCommand) -> Result<(), Failure> {
    use programmes::Addition;
    match command {
        ProgrammeCommand::List { nation, status, format } => {
            programmes::list(services, nation.as_deref(), status.as_deref(), format == "json").await
        }
        ProgrammeCommand::Show { code, version } => programmes::show(services, &code, version).await,
        ProgrammeCommand::Create { as_email, nation, kind, title, starts, ends, marking } => {
            let input = ProgrammeInput { nation, kind, title, starts, ends, marking };
            programmes::create(services, &as_email, input).await
        }
        ProgrammeCommand::Objective { code, as_email, title } => {
            programmes::add(services, &as_email, &code, Addition::Objective { title }).await
        }
        ProgrammeCommand::Goal { code, as_email, objective, title } => {
            programmes::add(services, &as_email, &code, Addition::Goal { objective, title }).await
        }
        ProgrammeCommand::Support { code, as_email, goal, item } => {
            programmes::add(services, &as_email, &code, Addition::Support { goal, item }).await
        }
        ProgrammeCommand::WorkPlan { code, as_email, year, goal, item, priority } => {
            let input = WorkPlanInput { year, goal, item, priority };
            programmes::add(services, &as_email, &code, Addition::WorkPlan(input)).await
        }
        ProgrammeCommand::Step { code, as_email, step, reference } => {
            programmes::step(services, &as_email, &code, &step, &reference).await
        }
        ProgrammeCommand::Amend { code, as_email } => programmes::amend(services, &as_email, &code).await,
    }
}
