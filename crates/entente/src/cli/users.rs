//! `entente user add|list|disable|set-role`: account administration by the operator.

use std::io::{BufRead, IsTerminal};

use entente_core::{Affiliation, Classification, Role};

use super::Failure;
use super::outln;
use crate::service::Services;
use crate::service::accounts::{Actor, NewUser};

/// Whom a new user works for, from the flags.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct AffiliationArgs {
    /// The user works for the alliance's staff.
    #[arg(long)]
    staff: bool,
    /// The user works for this nation (ISO 3166-1 alpha-2 code).
    #[arg(long)]
    nation: Option<String>,
    /// The user works for this organisation (code, such as EU).
    #[arg(long)]
    organisation: Option<String>,
}

impl AffiliationArgs {
    fn affiliation(&self) -> Result<Affiliation, Failure> {
        if let Some(code) = &self.nation {
            return Ok(Affiliation::Nation(code.parse().map_err(|e| anyhow::anyhow!("--nation: {e}"))?));
        }
        if let Some(code) = &self.organisation {
            return Ok(Affiliation::Organisation(code.parse().map_err(|e| anyhow::anyhow!("--organisation: {e}"))?));
        }
        Ok(Affiliation::AllianceStaff)
    }
}

fn role(text: &str) -> Result<Role, Failure> {
    Role::parse(text).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        anyhow::anyhow!("unknown role `{text}`: expected one of {}", all.join(", ")).into()
    })
}

/// Reads the password: at a terminal, prompted for without echo; otherwise the first line
/// of standard input (for scripts: `printf '%s\n' "$PASSWORD" | entente user add ...`).
fn read_password() -> Result<String, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let prompt = format!("Password (at least {} characters, not shown): ", crate::service::passwords::MIN_LENGTH);
        return Ok(rpassword::prompt_password(prompt)?);
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub(super) async fn add(
    services: &Services,
    email: &str,
    name: &str,
    role_text: &str,
    affiliation: &AffiliationArgs,
    clearance: &str,
) -> Result<(), Failure> {
    let clearance = Classification::parse(clearance)
        .ok_or_else(|| anyhow::anyhow!("--clearance: `{clearance}` is not PUBLIC, UNCLASSIFIED or RESTRICTED"))?;
    let new = NewUser {
        email: email.to_owned(),
        display_name: name.to_owned(),
        role: role(role_text)?,
        affiliation: affiliation.affiliation()?,
        clearance,
        password: read_password()?,
    };
    let user = services.accounts.create_user(&Actor::operator(), new).await?;
    outln!(
        "created user {} <{}> ({}, {}, {})",
        user.id,
        user.email,
        user.role.as_str(),
        user.affiliation_text(),
        user.clearance.as_str()
    );
    Ok(())
}

/// How `user list` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns.
    Table,
    /// A JSON array: `id`, `email`, `display_name`, `role`, `affiliation`, `clearance`, `active`.
    Json,
}

pub(super) async fn list(services: &Services, format: ListFormat) -> Result<(), Failure> {
    let (users, total) = services.accounts.list_users(&Actor::operator(), i64::MAX, 0).await?;
    if format == ListFormat::Json {
        let rows: Vec<serde_json::Value> = users
            .iter()
            .map(|u| {
                serde_json::json!({ "id": u.id, "email": u.email, "display_name": u.display_name,
                    "role": u.role.as_str(), "affiliation": u.affiliation_text(),
                    "clearance": u.clearance.as_str(), "active": u.active })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    outln!("{:<5} {:<32} {:<16} {:<20} {:<13} ACTIVE", "ID", "EMAIL", "ROLE", "AFFILIATION", "CLEARANCE");
    for u in users {
        outln!(
            "{:<5} {:<32} {:<16} {:<20} {:<13} {}",
            u.id,
            u.email,
            u.role.as_str(),
            u.affiliation_text(),
            u.clearance.as_str(),
            if u.active { "yes" } else { "no" }
        );
    }
    outln!("{total} users");
    Ok(())
}

pub(super) async fn disable(services: &Services, email: &str) -> Result<(), Failure> {
    let user = services.accounts.user_by_email(email).await?;
    services.accounts.update_user(&Actor::operator(), user.id, None, Some(false)).await?;
    outln!("disabled {}; their sessions have ended", user.email);
    Ok(())
}

pub(super) async fn set_role(services: &Services, email: &str, role_text: &str) -> Result<(), Failure> {
    let user = services.accounts.user_by_email(email).await?;
    let updated = services.accounts.update_user(&Actor::operator(), user.id, Some(role(role_text)?), None).await?;
    outln!("{} is now {}", updated.email, updated.role.as_str());
    Ok(())
}
