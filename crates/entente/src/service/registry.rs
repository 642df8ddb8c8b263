//! Registry use cases: read a current snapshot, import and export whole registries, and
//! load the reference dataset on first start.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use entente_core::{Registry, RegistryParts};

use super::registry_file::{self, FileFormat};
use super::{Db, ServiceError};
use crate::store::audit::AuditRecord;
use crate::store::registry::FrameworkIdentity;
use crate::store::{LockKey, Tx};

/// How long a process trusts its copy of the registry before asking the database whether
/// another process changed it. Changes made through this process are seen at once.
const FRESHNESS: Duration = Duration::from_millis(500);

/// The registry as last read, with the revision it was read at and when that was checked.
#[derive(Debug)]
struct Cached {
    revision: i64,
    registry: Arc<Registry>,
    checked: Instant,
    loaded: Instant,
}

/// The reference dataset shipped in the binary, in the registry file format.
pub const REFERENCE_DATASET: &str = include_str!("../../../../data/registry.csv");

/// Reads and changes the registry. The registry is small (hundreds of rows) and read far
/// more often than written, so each process keeps it in memory and reloads it when the
/// database's revision moves, which keeps several processes on one PostgreSQL coherent
/// (within [`FRESHNESS`]). One reload runs at a time (others wait for it, then use its
/// result), and the cache never goes back to an older revision than it holds.
#[derive(Debug)]
pub struct RegistryService {
    db: Db,
    cache: RwLock<Option<Cached>>,
    reload: tokio::sync::Mutex<()>,
}

/// What an import changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Nations in the new registry.
    pub nations: usize,
    /// Frameworks in the new registry.
    pub frameworks: usize,
    /// Memberships in the new registry.
    pub memberships: usize,
    /// Participations in the new registry.
    pub participations: usize,
    /// The registry's revision after the import.
    pub revision: i64,
}

impl RegistryService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db, cache: RwLock::new(None), reload: tokio::sync::Mutex::new(()) }
    }

    fn fresh(&self) -> Result<Option<Arc<Registry>>, ServiceError> {
        let cache = self.cache.read().map_err(|_| ServiceError::Poisoned)?;
        Ok(cache.as_ref().filter(|c| c.checked.elapsed() < FRESHNESS).map(|c| Arc::clone(&c.registry)))
    }

    /// The current registry.
    pub async fn snapshot(&self) -> Result<Arc<Registry>, ServiceError> {
        if let Some(registry) = self.fresh()? {
            return Ok(registry);
        }
        // One reload at a time; whoever waited finds the cache fresh again.
        let _reloading = self.reload.lock().await;
        if let Some(registry) = self.fresh()? {
            return Ok(registry);
        }
        let mut tx = self.db.read().await?;
        let revision = tx.registry_revision().await?;
        if let Some(cached) = self.cache.write().map_err(|_| ServiceError::Poisoned)?.as_mut()
            && cached.revision >= revision
        {
            cached.checked = Instant::now();
            return Ok(Arc::clone(&cached.registry));
        }
        let (revision, parts) = tx.load_registry().await?;
        tx.commit().await?;
        let registry = Arc::new(Registry::new(parts).map_err(|errors| {
            ServiceError::Corrupt(errors.into_iter().map(|e| e.reason).collect::<Vec<_>>().join("; "))
        })?);
        self.remember(revision, &registry)?;
        Ok(registry)
    }

    /// The revision of the snapshot this process serves now, if it has one (for ETags:
    /// the answers about one snapshot never change).
    pub fn served_revision(&self) -> Option<i64> {
        self.cache.read().ok()?.as_ref().map(|c| c.revision)
    }

    /// The served snapshot's revision while it is known current (checked within the
    /// freshness window); `None` once a read must look at the database again.
    pub fn current_revision(&self) -> Option<i64> {
        let cache = self.cache.read().ok()?;
        cache.as_ref().filter(|c| c.checked.elapsed() < FRESHNESS).map(|c| c.revision)
    }

    /// How long ago the served snapshot was read from the database, and how long ago it
    /// was last found current.
    pub fn snapshot_age(&self) -> Option<(std::time::Duration, std::time::Duration)> {
        let cache = self.cache.read().ok()?;
        cache.as_ref().map(|c| (c.loaded.elapsed(), c.checked.elapsed()))
    }

    /// The database, for the registry's other use cases (proposals).
    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    /// Serves a registry this process has just written, at once rather than after FRESHNESS.
    pub(super) fn remember_applied(&self, revision: i64, registry: &Arc<Registry>) -> Result<(), ServiceError> {
        self.remember(revision, registry)
    }

    /// Keeps `registry` at `revision` unless the cache already holds a newer one.
    fn remember(&self, revision: i64, registry: &Arc<Registry>) -> Result<(), ServiceError> {
        let mut cache = self.cache.write().map_err(|_| ServiceError::Poisoned)?;
        if cache.as_ref().is_none_or(|c| c.revision <= revision) {
            let now = Instant::now();
            *cache = Some(Cached { revision, registry: Arc::clone(registry), checked: now, loaded: now });
        }
        Ok(())
    }

    /// Replaces the registry with the file's contents, all or nothing. A file with any
    /// problem changes nothing and yields every problem found.
    pub async fn import(&self, bytes: &[u8], format: FileFormat, actor: &str) -> Result<ImportSummary, ServiceError> {
        let registry = registry_file::parse(bytes, format).map_err(ServiceError::InvalidFile)?;
        let mut tx = self.db.write().await?;
        let summary = replace(&mut tx, registry.to_parts(), actor).await?;
        tx.commit().await?;
        // This process sees its own change at once, not after FRESHNESS.
        self.remember(summary.revision, &Arc::new(registry))?;
        Ok(summary)
    }

    /// The whole registry as a file.
    pub async fn export(&self, format: FileFormat) -> Result<Vec<u8>, ServiceError> {
        let registry = self.snapshot().await?;
        registry_file::write(&registry, format).map_err(|e| ServiceError::Corrupt(e.to_string()))
    }

    /// The registry's revision in the database (for `/metrics`).
    pub async fn revision(&self) -> Result<i64, ServiceError> {
        Ok(self.db.read().await?.registry_revision().await?)
    }

    /// Loads the reference dataset into a database that has never had a registry. Several
    /// processes starting at once on one empty database load it exactly once: the check and
    /// the load run in one unit under a lock.
    pub async fn ensure_reference_dataset(&self) -> Result<Option<ImportSummary>, ServiceError> {
        let mut tx = self.db.write().await?;
        // Locked before the check, so the second of two processes finds it loaded.
        tx.lock(LockKey::Registry).await?;
        if tx.registry_revision().await? != 0 {
            return Ok(None);
        }
        let registry =
            registry_file::parse(REFERENCE_DATASET.as_bytes(), FileFormat::Csv).map_err(ServiceError::InvalidFile)?;
        let summary = replace(&mut tx, registry.to_parts(), "system:reference-dataset").await?;
        tx.commit().await?;
        tracing::info!(?summary, "loaded the reference dataset");
        Ok(Some(summary))
    }
}

/// Replaces the registry in `tx`, keeps framework identities lasting, and records the audit
/// event. The registry is locked first: two replacements, or a replacement and the loading
/// of the reference dataset, never interleave their reads and writes of the identities.
async fn replace(tx: &mut Tx, parts: RegistryParts, actor: &str) -> Result<ImportSummary, ServiceError> {
    tx.lock(LockKey::Registry).await?;
    let mut summary = ImportSummary {
        nations: parts.nations.len(),
        frameworks: parts.frameworks.len(),
        memberships: parts.memberships.len(),
        participations: parts.participations.len(),
        revision: 0,
    };
    let identities = tx.framework_identities().await?;
    let frameworks: Vec<(String, String)> =
        parts.frameworks.iter().map(|f| (f.code.to_string(), f.name_en.clone())).collect();
    let mut renamed = Vec::new();
    for change in match_identities(&identities, &frameworks) {
        match change {
            IdentityChange::Keep { id, code, name_en } => {
                let before = identities.iter().find(|i| i.id == id).map(|i| i.code.clone()).unwrap_or_default();
                if before != code {
                    renamed.push(serde_json::json!({ "from": before, "to": code }));
                }
                tx.update_framework_identity(id, &code, &name_en).await?;
            }
            IdentityChange::New { code, name_en } => {
                tx.insert_framework_identity(&code, &name_en).await?;
            }
        }
    }
    summary.revision = tx.replace_registry(&parts).await?;
    let mut detail = serde_json::to_value(&summary).unwrap_or_default();
    if !renamed.is_empty() {
        detail["frameworks_renamed"] = renamed.into();
    }
    let record = AuditRecord { actor: actor.to_owned(), action: "registry.import".into(), detail };
    super::integrity::append(tx, &record, &[super::integrity::Subject::Registry]).await?;
    Ok(summary)
}

/// What becomes of a framework of an imported registry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum IdentityChange {
    /// It is an existing framework (same code, or a new code with the same English name).
    Keep { id: i64, code: String, name_en: String },
    /// It is new.
    New { code: String, name_en: String },
}

/// Matches imported frameworks (code, English name) to lasting identities: by code first,
/// then, for a code never seen, by the English name of an identity whose code the import
/// no longer uses. So a framework keeps its identity, and what was released to it, when an
/// import changes its code or its name, though not both at once.
fn match_identities(identities: &[FrameworkIdentity], frameworks: &[(String, String)]) -> Vec<IdentityChange> {
    let codes: Vec<&str> = frameworks.iter().map(|(code, _)| code.as_str()).collect();
    let mut taken: Vec<i64> = Vec::new();
    let mut changes = Vec::new();
    for (code, name_en) in frameworks {
        let same_code = identities.iter().find(|i| &i.code == code);
        let same_name = || {
            identities
                .iter()
                .find(|i| &i.name_en == name_en && !codes.contains(&i.code.as_str()) && !taken.contains(&i.id))
        };
        match same_code.or_else(same_name) {
            Some(identity) => {
                taken.push(identity.id);
                changes.push(IdentityChange::Keep { id: identity.id, code: code.clone(), name_en: name_en.clone() });
            }
            None => changes.push(IdentityChange::New { code: code.clone(), name_en: name_en.clone() }),
        }
    }
    changes
}

/// The nation with `code`, in any case, or a not-found error naming it (a malformed code
/// is not found).
pub fn find_nation<'r>(registry: &'r Registry, code: &str) -> Result<&'r entente_core::Nation, ServiceError> {
    code.to_ascii_uppercase()
        .parse()
        .ok()
        .and_then(|c| registry.nation(c))
        .ok_or_else(|| ServiceError::NotFound { kind: "nation", code: code.to_owned() })
}

/// The framework with `code`, in any case, or a not-found error naming it.
pub fn find_framework<'r>(registry: &'r Registry, code: &str) -> Result<&'r entente_core::Framework, ServiceError> {
    code.to_ascii_uppercase()
        .parse()
        .ok()
        .and_then(|c| registry.framework(&c))
        .ok_or_else(|| ServiceError::NotFound { kind: "framework", code: code.to_owned() })
}

/// Nations whose code or name (English or French) contains `query`, ignoring case and
/// accents ("suede" finds Sweden by its French name, Suède).
pub fn search_nations<'r>(registry: &'r Registry, query: &str) -> Vec<&'r entente_core::Nation> {
    use entente_core::text::contains_folded;
    let needle = query.trim();
    registry
        .nations()
        .filter(|n| {
            needle.is_empty()
                || n.code.as_str().eq_ignore_ascii_case(needle)
                || contains_folded(&n.name_en, needle)
                || contains_folded(&n.name_fr, needle)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(id: i64, code: &str, name: &str) -> FrameworkIdentity {
        FrameworkIdentity { id, code: code.into(), name_en: name.into() }
    }

    #[test]
    fn a_framework_keeps_its_identity_when_its_code_or_its_name_changes() {
        let known = [identity(1, "PFP", "Partnership for Peace"), identity(2, "MD", "Mediterranean Dialogue")];
        let imported = [
            ("PFPX".to_owned(), "Partnership for Peace".to_owned()),
            ("MD".to_owned(), "The Mediterranean Dialogue".to_owned()),
            ("NEW".to_owned(), "Something new".to_owned()),
        ];
        assert_eq!(
            match_identities(&known, &imported),
            vec![
                IdentityChange::Keep { id: 1, code: "PFPX".into(), name_en: "Partnership for Peace".into() },
                IdentityChange::Keep { id: 2, code: "MD".into(), name_en: "The Mediterranean Dialogue".into() },
                IdentityChange::New { code: "NEW".into(), name_en: "Something new".into() },
            ]
        );
    }
}
