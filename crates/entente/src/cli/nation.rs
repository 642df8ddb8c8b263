//! `entente nation CODE`: a nation's timeline as text.

use entente_core::Subject;

use super::Failure;
use super::outln;
use crate::service::Services;
use crate::service::registry::find_nation;

pub(super) async fn run(services: &Services, code: &str) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let nation = find_nation(&registry, code)?;
    outln!("{} ({}) / {}", nation.name_en, nation.code, nation.name_fr);
    let today = services.db.clock().today();
    match registry.status_at(nation.code, today) {
        Some(s) => {
            let frameworks = s.frameworks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            outln!(
                "Today: {} {}",
                s.status.as_str(),
                if frameworks.is_empty() { String::new() } else { format!("({frameworks})") }
            );
        }
        None if !registry.is_certain_about(nation.code, today) => outln!("Today: no status (uncertain)"),
        None => outln!("Today: no status"),
    }
    let timeline = registry.timeline(nation.code);
    if timeline.is_empty() {
        outln!("No membership or participation is recorded.");
    }
    for e in timeline {
        let what = match &e.subject {
            Subject::Membership => "Member of the alliance".to_owned(),
            Subject::Framework(code) => {
                registry.framework(code).map_or_else(|| code.to_string(), |f| format!("{} ({code})", f.name_en))
            }
        };
        let reason = e.end_reason.map(|r| format!(" [{}]", r.as_str())).unwrap_or_default();
        outln!("  {:<44} {}{reason}", what, e.interval.human());
    }
    Ok(())
}
