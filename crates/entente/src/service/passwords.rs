//! Password hashing with Argon2id, by default at OWASP's recommended parameters (19 MiB of
//! memory, two passes, one lane). Hashing and verifying take tens of milliseconds of CPU
//! and 19 MiB each, so they run on the blocking pool, never on the async workers, and only
//! a bounded number at once ([`Passwords`]): three hundred anonymous sign-ins cannot take
//! the server's memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 12;

/// Argon2id's cost parameters for new hashes (a stored hash carries its own, so changing
/// them never locks anybody out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Hashing {
    /// Memory, in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub passes: u32,
    /// How many hashes may be computed at once (each holds `memory_kib`); beyond that a
    /// request waits a moment, then is answered 503 with `Retry-After`.
    pub max_concurrent: usize,
}

impl Default for Hashing {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self { memory_kib: 19 * 1024, passes: 2, max_concurrent: cores * 2 }
    }
}

impl Hashing {
    /// Parameters cheap enough for test suites, and worthless against an attacker.
    pub const FOR_TESTS_ONLY: Hashing = Hashing { memory_kib: 64, passes: 1, max_concurrent: 8 };

    fn hasher(&self) -> Result<Argon2<'static>, String> {
        let params = Params::new(self.memory_kib, self.passes, 1, None).map_err(|e| e.to_string())?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// The PHC string for `password`, with a random salt.
    pub fn hash(&self, password: &str) -> Result<String, String> {
        self.hasher()?.hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
    }
}

/// Whether `password` matches the PHC string `stored` (whose own parameters are used).
pub fn verify(password: &str, stored: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), stored).is_ok()
}

/// How long a request waits for a free hashing slot before it is told to come back.
const QUEUE_WAIT: Duration = Duration::from_secs(1);

/// The only way the application hashes and verifies passwords: on the blocking pool, at
/// most `max_concurrent` at once.
#[derive(Debug, Clone)]
pub struct Passwords {
    hashing: Hashing,
    slots: Arc<Semaphore>,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

/// Every hashing slot is taken: the caller should come back in a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl Passwords {
    /// A gate hashing new passwords with `hashing`.
    pub fn new(hashing: Hashing) -> Self {
        Self {
            hashing,
            slots: Arc::new(Semaphore::new(hashing.max_concurrent.max(1))),
            in_flight: Arc::default(),
            peak: Arc::default(),
        }
    }

    /// The PHC string for `password`, with a random salt.
    pub async fn hash(&self, password: &str) -> Result<Result<String, String>, Busy> {
        Ok(self.slot().await?.hash(password).await)
    }

    /// Whether `password` matches the PHC string `stored`.
    pub async fn verify(&self, password: &str, stored: &str) -> Result<bool, Busy> {
        Ok(self.slot().await?.verify(password, stored).await)
    }

    /// Takes every slot, so that the next hash finds the gate full (for tests of the bound).
    pub async fn hold_every_slot(&self) -> OwnedSemaphorePermit {
        let all = u32::try_from(self.hashing.max_concurrent.max(1)).unwrap_or(u32::MAX);
        Arc::clone(&self.slots).acquire_many_owned(all).await.unwrap_or_else(|_| unreachable!("never closed"))
    }

    /// Hashes running now, and the most that ever ran at once.
    pub fn in_flight(&self) -> (usize, usize) {
        (self.in_flight.load(Ordering::Relaxed), self.peak.load(Ordering::Relaxed))
    }

    /// A slot for one hash, once one is free; `Busy` if none frees up in time.
    pub async fn slot(&self) -> Result<Slot, Busy> {
        let permit = tokio::time::timeout(QUEUE_WAIT, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
        Ok(Slot { _permit: permit, in_flight: Arc::clone(&self.in_flight), hashing: self.hashing })
    }
}

/// The right to compute one hash, held until the hash is done (or the slot dropped).
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    in_flight: Arc<AtomicUsize>,
    hashing: Hashing,
}

impl Slot {
    /// The PHC string for `password`, computed on the blocking pool.
    pub async fn hash(self, password: &str) -> Result<String, String> {
        let password = password.to_owned();
        let hashing = self.hashing;
        self.run(move || hashing.hash(&password)).await.unwrap_or_else(|| Err("the hash was not computed".into()))
    }

    /// Whether `password` matches `stored`, computed on the blocking pool.
    pub async fn verify(self, password: &str, stored: &str) -> bool {
        let (password, stored) = (password.to_owned(), stored.to_owned());
        self.run(move || verify(&password, &stored)).await.unwrap_or(false)
    }

    /// Runs `work` on the blocking pool, keeping the slot until it ends; `None` if it panicked.
    async fn run<T: Send + 'static>(self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        tokio::task::spawn_blocking(move || {
            let _slot = self;
            work()
        })
        .await
        .ok()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Why a new password is refused, if it is.
pub fn weakness(password: &str) -> Option<super::Reason> {
    if password.chars().count() < MIN_LENGTH {
        return Some(super::Reason::TooShort(MIN_LENGTH));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Busy, Hashing, Passwords};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_hashes_run_at_once_than_allowed() {
        let passwords = Passwords::new(Hashing { memory_kib: 4096, passes: 1, max_concurrent: 2 });
        let hashes = (0..16).map(|i| {
            let passwords = passwords.clone();
            tokio::spawn(async move { passwords.hash(&format!("password number {i}")).await })
        });
        for hash in hashes.collect::<Vec<_>>() {
            assert!(hash.await.unwrap().unwrap().is_ok());
        }
        let (in_flight, peak) = passwords.in_flight();
        assert_eq!(in_flight, 0);
        assert!((1..=2).contains(&peak), "{peak}");
        let held = passwords.hold_every_slot().await;
        assert_eq!(passwords.verify("x", "y").await, Err(Busy), "a full gate answers busy");
        drop(held);
        assert_eq!(passwords.verify("x", "y").await, Ok(false));
    }

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let stored = Hashing::default().hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(super::verify("correct horse battery", &stored));
        assert!(!super::verify("correct horse batterz", &stored));
        assert!(!super::verify("anything", "not a hash"));
    }

    #[test]
    fn a_hash_made_with_other_parameters_still_verifies() {
        let stored = Hashing::FOR_TESTS_ONLY.hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{stored}");
        assert!(super::verify("correct horse battery", &stored));
    }
}
