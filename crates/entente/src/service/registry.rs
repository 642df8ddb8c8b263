//! Registry use cases: read a current snapshot, import and export whole registries, and
//! load the reference dataset on first start.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use entente_core::Registry;

use super::ServiceError;
use super::registry_file::{self, FileFormat};
use crate::store::Store;
use crate::store::audit::AuditRecord;

/// How long a process trusts its copy of the registry before asking the database whether
/// another process changed it. Changes made through this process are seen at once.
const FRESHNESS: Duration = Duration::from_millis(500);

/// The registry as last read, with the revision it was read at and when that was checked.
#[derive(Debug)]
struct Cached {
    revision: i64,
    registry: Arc<Registry>,
    checked: Instant,
}

/// The reference dataset shipped in the binary, in the registry file format.
pub const REFERENCE_DATASET: &str = include_str!("../../../../data/registry.csv");

/// Reads and changes the registry. The registry is small (hundreds of rows) and read far
/// more often than written, so each process keeps it in memory and reloads it when the
/// database's revision moves, which keeps several processes on one PostgreSQL coherent
/// (within [`FRESHNESS`]).
#[derive(Debug)]
pub struct RegistryService {
    store: Store,
    cache: RwLock<Option<Cached>>,
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
    /// A service over `store`.
    pub fn new(store: Store) -> Self {
        Self { store, cache: RwLock::new(None) }
    }

    /// The current registry.
    pub async fn snapshot(&self) -> Result<Arc<Registry>, ServiceError> {
        if let Some(cached) = self.cache.read().map_err(|_| ServiceError::Poisoned)?.as_ref()
            && cached.checked.elapsed() < FRESHNESS
        {
            return Ok(Arc::clone(&cached.registry));
        }
        let revision = self.store.registry_revision().await?;
        if let Some(cached) = self.cache.write().map_err(|_| ServiceError::Poisoned)?.as_mut()
            && cached.revision == revision
        {
            cached.checked = Instant::now();
            return Ok(Arc::clone(&cached.registry));
        }
        let (revision, parts) = self.store.load_registry().await?;
        let registry = Arc::new(Registry::new(parts).map_err(|errors| {
            ServiceError::Corrupt(errors.into_iter().map(|e| e.reason).collect::<Vec<_>>().join("; "))
        })?);
        let cached = Cached { revision, registry: Arc::clone(&registry), checked: Instant::now() };
        *self.cache.write().map_err(|_| ServiceError::Poisoned)? = Some(cached);
        Ok(registry)
    }

    /// Replaces the registry with the file's contents, all or nothing. A file with any
    /// problem changes nothing and yields every problem found.
    pub async fn import(&self, bytes: &[u8], format: FileFormat, actor: &str) -> Result<ImportSummary, ServiceError> {
        let registry = registry_file::parse(bytes, format).map_err(ServiceError::InvalidFile)?;
        let parts = registry.to_parts();
        let mut summary = ImportSummary {
            nations: parts.nations.len(),
            frameworks: parts.frameworks.len(),
            memberships: parts.memberships.len(),
            participations: parts.participations.len(),
            revision: 0,
        };
        let audit = AuditRecord {
            actor: actor.to_owned(),
            action: "registry.import".into(),
            detail: serde_json::to_value(&summary).unwrap_or_default(),
        };
        summary.revision = self.store.replace_registry(&parts, &audit).await?;
        // This process sees its own change at once, not after FRESHNESS.
        *self.cache.write().map_err(|_| ServiceError::Poisoned)? = None;
        Ok(summary)
    }

    /// The whole registry as a file.
    pub async fn export(&self, format: FileFormat) -> Result<Vec<u8>, ServiceError> {
        let registry = self.snapshot().await?;
        registry_file::write(&registry, format).map_err(|e| ServiceError::Corrupt(e.to_string()))
    }

    /// Loads the reference dataset into a database that has never had a registry.
    pub async fn ensure_reference_dataset(&self) -> Result<Option<ImportSummary>, ServiceError> {
        if self.store.registry_revision().await? != 0 {
            return Ok(None);
        }
        let summary = self.import(REFERENCE_DATASET.as_bytes(), FileFormat::Csv, "system:reference-dataset").await?;
        tracing::info!(?summary, "loaded the reference dataset");
        Ok(Some(summary))
    }
}

/// The nation with `code`, or a not-found error naming it (a malformed code is not found).
pub fn find_nation<'r>(registry: &'r Registry, code: &str) -> Result<&'r entente_core::Nation, ServiceError> {
    code.parse()
        .ok()
        .and_then(|c| registry.nation(c))
        .ok_or_else(|| ServiceError::NotFound { kind: "nation", code: code.to_owned() })
}

/// The framework with `code`, or a not-found error naming it.
pub fn find_framework<'r>(registry: &'r Registry, code: &str) -> Result<&'r entente_core::Framework, ServiceError> {
    code.parse()
        .ok()
        .and_then(|c| registry.framework(&c))
        .ok_or_else(|| ServiceError::NotFound { kind: "framework", code: code.to_owned() })
}

/// Nations whose code or name (English or French) contains `query`, ignoring case.
pub fn search_nations<'r>(registry: &'r Registry, query: &str) -> Vec<&'r entente_core::Nation> {
    let needle = query.trim().to_lowercase();
    registry
        .nations()
        .filter(|n| {
            needle.is_empty()
                || n.code.as_str().eq_ignore_ascii_case(&needle)
                || n.name_en.to_lowercase().contains(&needle)
                || n.name_fr.to_lowercase().contains(&needle)
        })
        .collect()
}
