//! FNV-1a, 64 bits: a fingerprint that stays the same across Rust releases and restarts, unlike
//! `std`'s `DefaultHasher`, so it can be stored (the published-records ledger) and compared.

pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The fingerprint of some bytes.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut fnv = Fnv::default();
    fnv.write(bytes);
    fnv.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_values() {
        // Published FNV-1a test vectors.
        assert_eq!(super::fingerprint(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fingerprint(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
