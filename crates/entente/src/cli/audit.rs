//! `entente audit verify` and `entente audit checkpoint`.

use std::io::Write;
use std::path::Path;

use entente_core::checkpoint::Checkpoint;

use super::Failure;
use super::{out, outln};
use crate::config::Config;
use crate::service::Services;

/// Reads a checkpoints file: one JSON object a line (blank lines skipped); a bad line is
/// named.
fn read_checkpoints(path: &Path) -> Result<Vec<(usize, Checkpoint)>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the checkpoints file {}: {e}", path.display()))?;
    let mut checkpoints = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let checkpoint = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{} line {}: not a checkpoint: {e}", path.display(), index + 1))?;
        checkpoints.push((index + 1, checkpoint));
    }
    if checkpoints.is_empty() {
        return Err(anyhow::anyhow!("{} holds no checkpoint", path.display()).into());
    }
    Ok(checkpoints)
}

pub(super) async fn verify(services: &Services, config: &Config, checkpoints: Option<&Path>) -> Result<(), Failure> {
    let given = match checkpoints {
        Some(path) => read_checkpoints(path)?,
        None => Vec::new(),
    };
    let list: Vec<Checkpoint> = given.iter().map(|(_, c)| c.clone()).collect();
    let found = services.audit.verify_all(&config.audit_signing_key, &list).await?;
    match &found.chain {
        Ok(count) => {
            let events = if *count == 1 { "event" } else { "events" };
            outln!("the hash chain is intact: {count} {events}, every link verified");
        }
        Err(broken) => eprintln!("the audit trail is broken: {broken}"),
    }
    for ((line, checkpoint), result) in given.iter().zip(&found.checkpoints) {
        let name = format!("checkpoint on line {line} (event {}, made {})", checkpoint.seq, checkpoint.made_at);
        match result {
            Ok(()) => outln!("{name}: the trail extends it"),
            Err(broken) => eprintln!("{name}: {broken}"),
        }
    }
    for drift in &found.drift {
        eprintln!("row changed outside Entente: {drift}");
    }
    if found.drift.is_empty() {
        outln!("every audited row matches the digest its last change recorded");
    }
    if found.is_intact() { Ok(()) } else { Err(Failure::Reported) }
}

pub(super) async fn checkpoint(services: &Services, config: &Config, output: Option<&Path>) -> Result<(), Failure> {
    let checkpoint = services.audit.checkpoint(&config.audit_signing_key).await?;
    let line = format!("{}\n", serde_json::to_string(&checkpoint)?);
    match output {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| anyhow::anyhow!("cannot write the checkpoint to {}: {e}", path.display()))?;
            file.write_all(line.as_bytes())?;
            eprintln!("checkpoint of event {} appended to {}", checkpoint.seq, path.display());
        }
        None => out!("{line}"),
    }
    Ok(())
}
