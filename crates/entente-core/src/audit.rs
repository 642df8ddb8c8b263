//! The audit trail's hash chain. Each event's hash covers its sequence number, its contents
//! and the previous event's hash, so editing, deleting or reordering events breaks the
//! chain at a place [`verify_chain`] names.

use sha2::{Digest, Sha256};

/// The hash that the first event follows.
pub const GENESIS: &str = "genesis";

/// An audit event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Position in the trail, from 1, without gaps.
    pub seq: i64,
    /// When, RFC 3339.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What kind of change, such as `registry.import`.
    pub action: String,
    /// What changed (before and after), as JSON.
    pub detail: String,
    /// The digests of the rows the change wrote, as a JSON object (`""` for none); see
    /// [`crate::checkpoint`].
    pub digests: String,
    /// The previous event's hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

/// The hash of an event with these contents following `prev_hash`. Row digests, when an
/// event has them, are hashed too; an event without them hashes as events did before
/// digests existed, so older trails still verify.
pub fn link_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    detail: &str,
    digests: &str,
    prev_hash: &str,
) -> String {
    let mut hasher = Sha256::new();
    let seq = seq.to_string();
    let mut fields = vec![seq.as_str(), at, actor, action, detail];
    if !digests.is_empty() {
        fields.push(digests);
    }
    fields.push(prev_hash);
    // Each field is length-prefixed, so no two different events encode alike.
    for field in fields {
        hasher.update(field.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// The first broken link found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An event's contents no longer match its hash.
    #[error("event {seq} was altered: its contents do not match its hash")]
    Altered {
        /// The event.
        seq: i64,
    },
    /// An event does not follow the one before it.
    #[error("event {seq} does not follow event {previous}: an event was removed, inserted or moved")]
    Unlinked {
        /// The event.
        seq: i64,
        /// The event before it in the trail.
        previous: i64,
    },
    /// The sequence skips or repeats a number.
    #[error("expected event {expected} but found event {found}: events were removed or reordered")]
    Sequence {
        /// The number that should come next.
        expected: i64,
        /// The number found.
        found: i64,
    },
    /// The trail ends before (or after) the head recorded with the last change.
    #[error("the trail ends at event {last} but its head records event {head}: events were removed from the end")]
    Truncated {
        /// The last event in the table.
        last: i64,
        /// The last event the head records.
        head: i64,
    },
}

/// Checks a whole trail, in sequence order, against its head (last sequence number and
/// hash). Returns how many events were checked.
pub fn verify_chain(
    events: impl IntoIterator<Item = AuditEvent>,
    head_seq: i64,
    head_hash: &str,
) -> Result<i64, ChainBreak> {
    let mut expected_prev = GENESIS.to_owned();
    let mut last = 0;
    for event in events {
        if event.seq != last + 1 {
            return Err(ChainBreak::Sequence { expected: last + 1, found: event.seq });
        }
        if event.prev_hash != expected_prev {
            return Err(ChainBreak::Unlinked { seq: event.seq, previous: last });
        }
        let recomputed = link_hash(
            event.seq,
            &event.at,
            &event.actor,
            &event.action,
            &event.detail,
            &event.digests,
            &event.prev_hash,
        );
        if recomputed != event.hash {
            return Err(ChainBreak::Altered { seq: event.seq });
        }
        expected_prev = event.hash;
        last = event.seq;
    }
    if last != head_seq || (last > 0 && expected_prev != head_hash) {
        return Err(ChainBreak::Truncated { last, head: head_seq });
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let (at, actor, action, detail) =
                    ("2026-01-01T00:00:00Z", "alice", "document.create", format!("{{\"id\":{seq}}}"));
                let hash = link_hash(seq, at, actor, action, &detail, "", &prev);
                let event = AuditEvent {
                    seq,
                    at: at.into(),
                    actor: actor.into(),
                    action: action.into(),
                    detail,
                    digests: String::new(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                event
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5);
        let head = events[4].hash.clone();
        assert_eq!(verify_chain(events, 5, &head), Ok(5));
        assert_eq!(verify_chain(Vec::new(), 0, GENESIS), Ok(0));
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let events = chain(5);
        let head = events[4].hash.clone();
        let mut edited = events.clone();
        edited[2].actor = "mallory".into();
        assert_eq!(verify_chain(edited, 5, &head), Err(ChainBreak::Altered { seq: 3 }));
        let mut deleted = events.clone();
        deleted.remove(1);
        assert_eq!(verify_chain(deleted, 5, &head), Err(ChainBreak::Sequence { expected: 2, found: 3 }));
        let mut swapped = events.clone();
        swapped.swap(1, 2);
        (swapped[1].seq, swapped[2].seq) = (2, 3);
        assert_eq!(verify_chain(swapped, 5, &head), Err(ChainBreak::Unlinked { seq: 2, previous: 1 }));
        let mut truncated = events;
        truncated.pop();
        assert_eq!(verify_chain(truncated, 5, &head), Err(ChainBreak::Truncated { last: 4, head: 5 }));
    }
}
