//! `entente import registry FILE` and `entente export registry`.

use std::io::Write;
use std::path::Path;

use super::Failure;
use super::outln;
use crate::service::registry_file::FileFormat;
use crate::service::{ServiceError, Services};

/// A registry file's format, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum FormatArg {
    /// Comma-separated values, one record a row.
    Csv,
    /// One JSON object with a list per kind of record.
    Json,
}

impl From<FormatArg> for FileFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Csv => FileFormat::Csv,
            FormatArg::Json => FileFormat::Json,
        }
    }
}

pub(super) async fn import(services: &Services, file: &Path, format: Option<FormatArg>) -> Result<(), Failure> {
    let format = match format {
        Some(format) => FileFormat::from(format),
        None => match file.extension().and_then(|e| e.to_str()) {
            Some("json") => FileFormat::Json,
            Some("csv") => FileFormat::Csv,
            _ => {
                return Err(
                    anyhow::anyhow!("cannot tell the format of {}: pass --format csv or json", file.display()).into()
                );
            }
        },
    };
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    match services.registry.import(&bytes, format, &actor).await {
        Ok(summary) => {
            outln!(
                "imported {}: {} nations, {} frameworks, {} memberships, {} participations (revision {})",
                file.display(),
                summary.nations,
                summary.frameworks,
                summary.memberships,
                summary.participations,
                summary.revision
            );
            Ok(())
        }
        Err(ServiceError::InvalidFile(problems)) => {
            eprintln!("{}: {} problem(s); nothing was imported:", file.display(), problems.len());
            for problem in problems {
                eprintln!("  {problem}");
            }
            Err(Failure::Reported)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn export(services: &Services, format: FormatArg, output: Option<&Path>) -> Result<(), Failure> {
    let format = FileFormat::from(format);
    let bytes = services.registry.export(format).await?;
    match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}
