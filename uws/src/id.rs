//! Job ids: 128 bits from the operating system's random source, in lower-case hex, so they
//! cannot be guessed and are safe in a URL path.

use std::fmt::Write;

/// A new job id (32 hex digits).
pub fn new_job_id() -> Result<String, getrandom::Error> {
    random_hex::<16>()
}

/// `N` random bytes from the OS as hex.
fn random_hex<const N: usize>() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().fold(String::with_capacity(2 * N), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}

/// Whether `id` has the shape of an id made here; anything else is never looked up, so a path
/// segment cannot become a path on disk.
pub fn is_job_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_128_bit_hex_and_differ() {
        let a = new_job_id().unwrap();
        let b = new_job_id().unwrap();
        assert!(is_job_id(&a) && is_job_id(&b));
        assert_ne!(a, b);
        assert!(!is_job_id("../../etc/passwd"));
        assert!(!is_job_id(&a.to_uppercase()));
    }
}
