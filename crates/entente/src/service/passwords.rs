//! Password hashing with Argon2id, by default at OWASP's recommended parameters (19 MiB of
//! memory, two passes, one lane). Hashing and verifying take tens of milliseconds of CPU,
//! so they run on the blocking pool, never on the async workers.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 12;

/// Argon2id's cost parameters for new hashes (a stored hash carries its own, so changing
/// them never locks anybody out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hashing {
    /// Memory, in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub passes: u32,
}

impl Default for Hashing {
    fn default() -> Self {
        Self { memory_kib: 19 * 1024, passes: 2 }
    }
}

impl Hashing {
    /// Parameters cheap enough for test suites, and worthless against an attacker.
    pub const FOR_TESTS_ONLY: Hashing = Hashing { memory_kib: 64, passes: 1 };

    fn hasher(&self) -> Result<Argon2<'static>, String> {
        let params = Params::new(self.memory_kib, self.passes, 1, None).map_err(|e| e.to_string())?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// The PHC string for `password`, with a random salt.
    pub fn hash(&self, password: &str) -> Result<String, String> {
        self.hasher()?.hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
    }

    /// [`Hashing::hash`] on the blocking pool.
    pub async fn hash_off_thread(self, password: &str) -> Result<String, String> {
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || self.hash(&password)).await.map_err(|e| e.to_string())?
    }
}

/// Whether `password` matches the PHC string `stored` (whose own parameters are used).
pub fn verify(password: &str, stored: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), stored).is_ok()
}

/// [`verify`] on the blocking pool.
pub async fn verify_off_thread(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    tokio::task::spawn_blocking(move || verify(&password, &stored)).await.unwrap_or(false)
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
    use super::Hashing;

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
