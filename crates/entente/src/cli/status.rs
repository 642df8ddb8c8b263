//! `entente status --at DATE [--framework CODE] [--format table|json|csv]`.

use entente_core::parse_day;
use serde::Serialize;

use super::Failure;
use super::outln;
use crate::service::registry::find_framework;
use crate::service::{Services, spreadsheet};

/// How `entente status` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// A JSON array, one object per nation.
    Json,
    /// Comma-separated values with a header.
    Csv,
}

#[derive(Serialize)]
struct Row {
    nation: String,
    name_en: String,
    status: &'static str,
    frameworks: Vec<String>,
    certain: bool,
}

pub(super) async fn run(
    services: &Services,
    at: &str,
    framework: Option<&str>,
    format: OutputFormat,
) -> Result<(), Failure> {
    let day = parse_day(at).map_err(|e| anyhow::anyhow!("--at: {e}; expected a day written YYYY-MM-DD"))?;
    let registry = services.registry.snapshot().await?;
    let only = framework.map(|code| find_framework(&registry, code).map(|f| f.code.clone())).transpose()?;
    let rows: Vec<Row> = registry
        .statuses_at(day)
        .into_iter()
        .filter(|s| only.as_ref().is_none_or(|code| s.frameworks.contains(code)))
        .map(|s| Row {
            nation: s.nation.to_string(),
            name_en: registry.nation(s.nation).map(|n| n.name_en.clone()).unwrap_or_default(),
            status: s.status.as_str(),
            frameworks: s.frameworks.iter().map(ToString::to_string).collect(),
            certain: s.certain,
        })
        .collect();
    match format {
        OutputFormat::Json => outln!("{}", serde_json::to_string_pretty(&rows)?),
        OutputFormat::Csv => {
            let mut writer = spreadsheet::writer(std::io::stdout());
            spreadsheet::write_row(&mut writer, ["nation", "name_en", "status", "frameworks", "certain"])?;
            for r in &rows {
                let certain = if r.certain { "true" } else { "false" };
                spreadsheet::write_row(
                    &mut writer,
                    [r.nation.as_str(), &r.name_en, r.status, &r.frameworks.join(" "), certain],
                )?;
            }
            writer.flush()?;
        }
        OutputFormat::Table => {
            let width = rows.iter().map(|r| r.name_en.chars().count()).max().unwrap_or(4).max(4);
            outln!("{:<6} {:<width$} {:<9} FRAMEWORKS", "CODE", "NAME", "STATUS");
            for r in &rows {
                let mark = if r.certain { "" } else { "  (uncertain)" };
                outln!("{:<6} {:<width$} {:<9} {}{mark}", r.nation, r.name_en, r.status, r.frameworks.join(", "));
            }
            outln!("{} nations on {day}", rows.len());
        }
    }
    Ok(())
}
