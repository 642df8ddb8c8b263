//! What pins the database's rows to the audit trail: the digest of each audited row
//! (a user with their tokens, a document with its releasability, the whole registry),
//! recorded by the change that wrote it; and the checkpoint signing key, kept in a file
//! outside the database.

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::SigningKey;
use entente_core::checkpoint::row_digest;
use serde_json::json;

use super::ServiceError;
use crate::store::Tx;
use crate::store::audit::AuditRecord;

/// A row, or group of rows, pinned by one digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The whole registry, with the framework identities documents are released to.
    Registry,
    /// A user's row and their tokens.
    User(i64),
    /// A document's row, releasability and links.
    Document(i64),
}

impl Subject {
    /// How the trail names it.
    pub fn key(self) -> String {
        match self {
            Subject::Registry => "registry".into(),
            Subject::User(id) => format!("user:{id}"),
            Subject::Document(id) => format!("document:{id}"),
        }
    }
}

/// Appends `record` to the trail with the digests of `subjects` as `tx` holds them now
/// (after the change's writes).
pub async fn append(tx: &mut Tx, record: &AuditRecord, subjects: &[Subject]) -> Result<(), ServiceError> {
    // The trail's head is locked first: concurrent changes then digest their rows one
    // after the other, each seeing the one before, so no digest misses a committed write.
    tx.lock_audit_head().await?;
    // One read per kind of subject, however many rows the change wrote: a single row by
    // its id, several by reading the whole table once.
    let mut found = BTreeMap::new();
    let count = |kind: fn(&Subject) -> Option<i64>| subjects.iter().filter_map(kind).collect::<Vec<_>>();
    let users = count(|s| if let Subject::User(id) = s { Some(*id) } else { None });
    if !users.is_empty() {
        found.extend(user_digests(tx, (users.len() == 1).then(|| users[0])).await?);
    }
    let documents = count(|s| if let Subject::Document(id) = s { Some(*id) } else { None });
    if !documents.is_empty() {
        found.extend(document_digests(tx, (documents.len() == 1).then(|| documents[0])).await?);
    }
    if subjects.contains(&Subject::Registry) {
        found.extend(registry_digests(tx).await?);
    }
    let digests: BTreeMap<String, String> = subjects
        .iter()
        .map(|subject| {
            let key = subject.key();
            let digest = found.get(&key).cloned().unwrap_or_else(|| entente_core::checkpoint::DELETED.to_owned());
            (key, digest)
        })
        .collect();
    tx.append_audit_with_digests(record, &digests).await?;
    Ok(())
}

/// The digest of every pinned row in the database now.
pub async fn all_digests(tx: &mut Tx) -> Result<BTreeMap<String, String>, ServiceError> {
    let mut digests = user_digests(tx, None).await?;
    digests.extend(document_digests(tx, None).await?);
    digests.extend(registry_digests(tx).await?);
    Ok(digests)
}

fn digest_of(value: &serde_json::Value) -> String {
    row_digest(&value.to_string())
}

async fn user_digests(tx: &mut Tx, id: Option<i64>) -> Result<BTreeMap<String, String>, ServiceError> {
    let users = tx.user_pins(id).await?;
    let tokens = tx.token_pins(id).await?;
    Ok(users
        .into_iter()
        .map(|user| {
            let own: Vec<_> = tokens.iter().filter(|t| t.user_id == user.row.id).collect();
            (Subject::User(user.row.id).key(), digest_of(&json!([user, own])))
        })
        .collect())
}

async fn document_digests(tx: &mut Tx, id: Option<i64>) -> Result<BTreeMap<String, String>, ServiceError> {
    let (rows, parts) = tx.document_pins(id).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut own: Vec<&str> =
                parts.iter().filter(|p| p.document_id == row.id).map(|p| p.part.as_str()).collect();
            own.sort_unstable();
            (Subject::Document(row.id).key(), digest_of(&json!([row, own])))
        })
        .collect())
}

/// The registry's digest, over its rows as stored (so that no change of a file format
/// changes it); none for a registry never loaded.
async fn registry_digests(tx: &mut Tx) -> Result<BTreeMap<String, String>, ServiceError> {
    if tx.registry_revision().await? == 0 {
        return Ok(BTreeMap::new());
    }
    let pins = tx.registry_pins().await?;
    Ok(BTreeMap::from([(Subject::Registry.key(), digest_of(&json!(pins)))]))
}

/// Why the signing key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read, created or understood.
    #[error("the audit signing key {path}: {reason}")]
    Unusable {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The checkpoint signing key at `path`, created (readable by its owner only) if there is
/// none yet. A key that others may read is refused: whoever reads it can forge checkpoints.
pub fn signing_key(path: &Path, create: bool) -> Result<SigningKey, KeyError> {
    let unusable = |reason: String| KeyError::Unusable { path: path.display().to_string(), reason };
    if !path.exists() {
        if !create {
            return Err(unusable("no such file".into()));
        }
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| unusable(format!("no randomness: {e}")))?;
        write_owner_only(path, format!("{}\n", hex::encode(seed)).as_bytes())
            .map_err(|e| unusable(format!("cannot create it: {e}")))?;
        tracing::info!(path = %path.display(), "created the audit signing key");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(|e| unusable(e.to_string()))?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(unusable(format!(
                "others may read it (mode {:o}); make it readable by its owner only (chmod 600)",
                mode & 0o777
            )));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| unusable(e.to_string()))?;
    let bytes = hex::decode(text.trim()).map_err(|_| unusable("not a key written by Entente".into()))?;
    let seed: [u8; 32] = bytes.try_into().map_err(|_| unusable("not a key written by Entente".into()))?;
    Ok(SigningKey::from_bytes(&seed))
}

fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}
