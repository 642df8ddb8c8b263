//! `entente menu import|export`, `entente events import`, `entente areas`, `entente
//! decision add`, `entente eligibility` and `entente demo menu`: the menu at the command
//! line, through the same services as the pages, acting as the machine's operator.

use std::io::Write as _;
use std::path::Path;

use super::{Failure, outln};
use crate::service::accounts::Actor;
use crate::service::council::DecisionInput;
use crate::service::menu_file::MenuFormat;
use crate::service::{ServiceError, Services};

/// Prints every bad row of a refused file.
fn report(file: &Path, error: ServiceError) -> Failure {
    match error {
        ServiceError::InvalidFile(problems) => {
            eprintln!("{}: {} problem(s); nothing was imported:", file.display(), problems.len());
            for problem in problems {
                eprintln!("  {problem}");
            }
            Failure::Reported
        }
        e => e.into(),
    }
}

pub(super) async fn import_menu(services: &Services, file: &Path) -> Result<(), Failure> {
    let name = file.display().to_string();
    let format = MenuFormat::of_path(&name)
        .ok_or_else(|| anyhow::anyhow!("{name}: give a .csv or .xlsx file (the extension says which)"))?;
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let registry = services.registry.snapshot().await?;
    eprintln!("importing {name} ...");
    let done =
        services.menu.import(&Actor::operator(), &registry, &bytes, format).await.map_err(|e| report(file, e))?;
    outln!("imported {name}: {} activities added, {} replaced", done.created, done.updated);
    Ok(())
}

pub(super) async fn export_menu(
    services: &Services,
    year: i64,
    format: &str,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let format = match format {
        "csv" => MenuFormat::Csv,
        "xlsx" => MenuFormat::Xlsx,
        other => return Err(anyhow::anyhow!("--format: `{other}` is not csv or xlsx").into()),
    };
    let registry = services.registry.snapshot().await?;
    let bytes = services.menu.export(&Actor::operator().caller, &registry, year, format).await?;
    match output {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}

pub(super) async fn import_events(services: &Services, file: &Path) -> Result<(), Failure> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let registry = services.registry.snapshot().await?;
    let count = services.events.import(&Actor::operator(), &registry, &bytes).await.map_err(|e| report(file, e))?;
    outln!("imported {name}: {count} events");
    Ok(())
}

pub(super) async fn areas(services: &Services, json: bool) -> Result<(), Failure> {
    let areas = services.menu.catalogue().await?.areas;
    if json {
        let list: Vec<_> = areas
            .iter()
            .map(|a| serde_json::json!({ "code": a.code, "name_en": a.name_en, "name_fr": a.name_fr }))
            .collect();
        outln!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        for a in &areas {
            outln!("{:<16} {}", a.code, a.name_en);
        }
    }
    Ok(())
}

pub(super) async fn add_decision(services: &Services, input: DecisionInput) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let id = services.council.add_decision(&Actor::operator(), &registry, &input).await?;
    outln!("{id}");
    Ok(())
}

pub(super) async fn eligibility(
    services: &Services,
    nation: &str,
    activity: &str,
    at: &str,
    json: bool,
) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let day = entente_core::parse_day(at).map_err(|_| anyhow::anyhow!("--at: `{at}` is not a day YYYY-MM-DD"))?;
    let code = crate::service::menu::nation_field(&registry, "nation", nation)
        .map_err(|_| anyhow::anyhow!("--nation: unknown nation `{nation}`"))?;
    let caller = Actor::operator().caller;
    let (_, answer) =
        services.menu.eligibility(&caller, &registry, &activity.to_ascii_uppercase(), None, code, day).await.map_err(
            |e| match e {
                ServiceError::NotFound { .. } => anyhow::anyhow!("--activity: unknown activity `{activity}`"),
                e => e.into(),
            },
        )?;
    let reasons: Vec<String> = answer.reasons.iter().map(ToString::to_string).collect();
    if json {
        let body = serde_json::json!({
            "nation": code.to_string(), "activity": activity.to_ascii_uppercase(), "at": day.to_string(),
            "eligible": answer.eligible, "reasons": reasons,
        });
        outln!("{}", serde_json::to_string_pretty(&body)?);
    } else {
        outln!("{}: {}", if answer.eligible { "eligible" } else { "not eligible" }, reasons.join("; "));
    }
    Ok(())
}

pub(super) async fn demo_menu(services: &Services, year: i32, activities: usize, seed: u64) -> Result<(), Failure> {
    if !(1..=100_000).contains(&activities) {
        return Err(anyhow::anyhow!("--activities: give 1 to 100000").into());
    }
    let registry = services.registry.snapshot().await?;
    eprintln!("generating a demo menu of {activities} activities for {year} (seed {seed}) ...");
    let (made, events) = services.menu.load_demo(&Actor::operator(), &registry, year, activities, seed).await?;
    outln!("demo menu {year}: {made} generated activities and {events} events (seed {seed})");
    Ok(())
}
