//! Memoised response bodies. A registry snapshot never changes, so the JSON answer for one
//! question about it (every status on a day) can be kept and served again until the
//! registry is reloaded. Entries are bounded in number and dropped with their snapshot.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use entente_core::Registry;

/// How many answers are kept for one snapshot before the memo starts over.
const MAX_ENTRIES: usize = 4096;

/// Answers keyed by `K`, valid for one registry snapshot.
#[derive(Debug)]
pub struct Memo<K> {
    inner: Mutex<Entries<K>>,
}

#[derive(Debug)]
struct Entries<K> {
    /// Held, so that its identity cannot be taken by a later snapshot.
    snapshot: Option<Arc<Registry>>,
    answers: HashMap<K, Bytes>,
}

impl<K: Eq + Hash> Default for Memo<K> {
    fn default() -> Self {
        Self { inner: Mutex::new(Entries { snapshot: None, answers: HashMap::new() }) }
    }
}

impl<K: Eq + Hash + Copy> Memo<K> {
    /// The answer for `key` on `registry`, computed by `compute` when not already kept.
    pub fn get_or_insert<E>(
        &self,
        registry: &Arc<Registry>,
        key: K,
        compute: impl FnOnce() -> Result<Bytes, E>,
    ) -> Result<Bytes, E> {
        let same = |held: &Option<Arc<Registry>>| held.as_ref().is_some_and(|held| Arc::ptr_eq(held, registry));
        if let Ok(entries) = self.inner.lock()
            && same(&entries.snapshot)
            && let Some(bytes) = entries.answers.get(&key)
        {
            return Ok(bytes.clone());
        }
        let bytes = compute()?;
        if let Ok(mut entries) = self.inner.lock() {
            if !same(&entries.snapshot) || entries.answers.len() >= MAX_ENTRIES {
                entries.answers.clear();
                entries.snapshot = Some(Arc::clone(registry));
            }
            entries.answers.insert(key, bytes.clone());
        }
        Ok(bytes)
    }
}
