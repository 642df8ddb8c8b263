//! Signed checkpoints of the audit trail, and the digests of audited rows.
//!
//! The hash chain alone proves nothing against someone who can write to the database: they
//! can rewrite events and recompute every hash. A checkpoint records the chain's head (a
//! sequence number and its hash) signed with an Ed25519 key kept outside the database; kept
//! away from the database too, it pins the trail: a later trail must still hold that event
//! with that hash, which a rollback, a wipe or any rewrite up to that point cannot fake
//! without the key.
//!
//! Rows are pinned by digests: each audited change records, in its (chained) event, the
//! digest of every row it wrote; a row whose digest today differs from the last recorded
//! one was changed outside the application.

use std::collections::BTreeMap;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::AuditEvent;

/// What a checkpoint's signature covers, after this prefix.
const DOMAIN: &str = "entente-audit-checkpoint:v1";

/// A signed statement that the trail's event `seq` had hash `hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The head event's number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When the checkpoint was made, RFC 3339.
    pub made_at: String,
    /// The signer's public key, hex.
    pub key: String,
    /// The Ed25519 signature of the fields above, hex.
    pub signature: String,
}

fn message(seq: i64, hash: &str, made_at: &str) -> Vec<u8> {
    format!("{DOMAIN}\n{seq}\n{hash}\n{made_at}").into_bytes()
}

/// The public key of `key`, hex (how checkpoints name their signer).
pub fn public_key_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().to_bytes())
}

impl Checkpoint {
    /// A checkpoint of head `(seq, hash)` made at `made_at`, signed with `key`.
    pub fn sign(seq: i64, hash: &str, made_at: &str, key: &SigningKey) -> Self {
        let signature = key.sign(&message(seq, hash, made_at));
        Self {
            seq,
            hash: hash.to_owned(),
            made_at: made_at.to_owned(),
            key: public_key_hex(key),
            signature: hex::encode(signature.to_bytes()),
        }
    }

    /// Whether the signature is `expected`'s, over these very fields.
    fn signed_by(&self, expected: &VerifyingKey) -> bool {
        if self.key != hex::encode(expected.to_bytes()) {
            return false;
        }
        let Ok(bytes) = hex::decode(&self.signature) else { return false };
        let Ok(signature) = Signature::from_slice(&bytes) else { return false };
        expected.verify_strict(&message(self.seq, &self.hash, &self.made_at), &signature).is_ok()
    }
}

/// Why the trail no longer extends a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointBreak {
    /// The signature is not the configured key's, or does not match the fields.
    #[error("its signature is not valid for this installation's key: it was forged or altered")]
    BadSignature,
    /// The trail is shorter than the checkpoint.
    #[error(
        "the trail ends at event {last} but the checkpoint records event {seq}: the database was rolled back or the trail cut"
    )]
    Missing {
        /// The checkpoint's event.
        seq: i64,
        /// The trail's last event.
        last: i64,
    },
    /// The event is there, with another hash.
    #[error("event {seq} no longer has the hash the checkpoint records: the trail was rewritten")]
    Rewritten {
        /// The checkpoint's event.
        seq: i64,
    },
}

/// Checks one checkpoint against an intact trail (`events`, in order, already verified as
/// a chain) and the installation's public key.
pub fn check(checkpoint: &Checkpoint, events: &[AuditEvent], key: &VerifyingKey) -> Result<(), CheckpointBreak> {
    if !checkpoint.signed_by(key) {
        return Err(CheckpointBreak::BadSignature);
    }
    let last = events.last().map_or(0, |e| e.seq);
    match events.iter().find(|e| e.seq == checkpoint.seq) {
        None => Err(CheckpointBreak::Missing { seq: checkpoint.seq, last }),
        Some(event) if event.hash != checkpoint.hash => Err(CheckpointBreak::Rewritten { seq: checkpoint.seq }),
        Some(_) => Ok(()),
    }
}

/// The digest of a row's canonical text.
pub fn row_digest(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Digests recorded by one event, as stored: a JSON object from subject (`user:7`,
/// `document:3`, `registry`) to digest, or `""` for none.
pub fn encode_digests(digests: &BTreeMap<String, String>) -> String {
    if digests.is_empty() { String::new() } else { serde_json::to_string(digests).unwrap_or_default() }
}

/// A row that no longer matches what the trail last recorded for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowDrift {
    /// Changed since the event that last wrote it.
    #[error("{subject} was changed outside Entente after event {seq}")]
    Changed {
        /// The row.
        subject: String,
        /// The last event that wrote it.
        seq: i64,
    },
    /// Present, but no event ever wrote it.
    #[error("{subject} exists but no audited change wrote it")]
    Unrecorded {
        /// The row.
        subject: String,
    },
    /// Recorded, but gone.
    #[error("{subject} was deleted outside Entente (last written by event {seq})")]
    Deleted {
        /// The row.
        subject: String,
        /// The last event that wrote it.
        seq: i64,
    },
}

/// The digest marking a row an event deleted.
pub const DELETED: &str = "deleted";

/// Compares today's rows (`current`, subject to digest) with the last digest the trail
/// recorded for each.
pub fn row_drift(events: &[AuditEvent], current: &BTreeMap<String, String>) -> Vec<RowDrift> {
    let mut recorded: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for event in events.iter().filter(|e| !e.digests.is_empty()) {
        let digests: BTreeMap<String, String> = serde_json::from_str(&event.digests).unwrap_or_default();
        for (subject, digest) in digests {
            recorded.insert(subject, (digest, event.seq));
        }
    }
    let mut drift = Vec::new();
    for (subject, digest) in current {
        match recorded.get(subject) {
            None => drift.push(RowDrift::Unrecorded { subject: subject.clone() }),
            Some((last, seq)) if last != digest => {
                drift.push(RowDrift::Changed { subject: subject.clone(), seq: *seq })
            }
            Some(_) => {}
        }
    }
    for (subject, (digest, seq)) in &recorded {
        if digest != DELETED && !current.contains_key(subject) {
            drift.push(RowDrift::Deleted { subject: subject.clone(), seq: *seq });
        }
    }
    drift
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{GENESIS, link_hash};

    fn key(byte: u8) -> SigningKey {
        SigningKey::from_bytes(&[byte; 32])
    }

    fn event(seq: i64, digests: &str, prev: &str) -> AuditEvent {
        let hash = link_hash(seq, "2026-01-01T00:00:00Z", "a", "x", "{}", digests, prev);
        AuditEvent {
            seq,
            at: "2026-01-01T00:00:00Z".into(),
            actor: "a".into(),
            action: "x".into(),
            detail: "{}".into(),
            digests: digests.into(),
            prev_hash: prev.into(),
            hash,
        }
    }

    #[test]
    fn a_checkpoint_pins_the_head_and_only_its_key_signs_it() {
        let first = event(1, "", GENESIS);
        let second = event(2, "", &first.hash);
        let trail = vec![first.clone(), second];
        let checkpoint = Checkpoint::sign(2, &trail[1].hash, "2026-01-02T00:00:00Z", &key(7));
        assert_eq!(check(&checkpoint, &trail, &key(7).verifying_key()), Ok(()));
        assert_eq!(check(&checkpoint, &trail, &key(8).verifying_key()), Err(CheckpointBreak::BadSignature));
        let mut moved = checkpoint.clone();
        moved.seq = 1;
        assert_eq!(check(&moved, &trail, &key(7).verifying_key()), Err(CheckpointBreak::BadSignature));
        assert_eq!(
            check(&checkpoint, &trail[..1], &key(7).verifying_key()),
            Err(CheckpointBreak::Missing { seq: 2, last: 1 })
        );
        let rewritten = vec![first.clone(), event(2, r#"{"user:1":"x"}"#, &first.hash)];
        assert_eq!(check(&checkpoint, &rewritten, &key(7).verifying_key()), Err(CheckpointBreak::Rewritten { seq: 2 }));
    }

    #[test]
    fn rows_are_compared_with_their_last_recorded_digest() {
        let first = event(1, r#"{"user:1":"a","user:2":"b"}"#, GENESIS);
        let second = event(2, r#"{"user:1":"c","document:1":"deleted"}"#, &first.hash);
        let trail = vec![first, second];
        let today: BTreeMap<String, String> =
            [("user:1", "c"), ("user:3", "d")].into_iter().map(|(s, d)| (s.to_owned(), d.to_owned())).collect();
        assert_eq!(
            row_drift(&trail, &today),
            vec![
                RowDrift::Unrecorded { subject: "user:3".into() },
                RowDrift::Deleted { subject: "user:2".into(), seq: 1 },
            ]
        );
        let tampered: BTreeMap<String, String> =
            [("user:1", "z"), ("user:2", "b")].into_iter().map(|(s, d)| (s.to_owned(), d.to_owned())).collect();
        assert_eq!(row_drift(&trail, &tampered), vec![RowDrift::Changed { subject: "user:1".into(), seq: 2 }]);
    }
}
