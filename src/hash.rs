//! Digests: the hash algorithms nbwheel accepts, a digest value, and one hasher that computes
//! several algorithms over one stream.
//!
//! A foundation module (it imports nothing from the crate). Downloads hash while they stream
//! (sha256 always, plus the strongest algorithm the index published); `--hash` checks of files
//! already in the cache read them once through the same [`MultiHasher`], and `verify` checks
//! each wheel member against the digest its `RECORD` names with it.

use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;

use sha2::Digest as _;

/// A hash algorithm nbwheel accepts (md5 and sha1 are refused everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HashAlgorithm {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// The lowercase name used in URLs fragments, `--hash` options and RECORD.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
        }
    }

    /// The length of a digest in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HashAlgorithm {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "sha256" => Ok(HashAlgorithm::Sha256),
            "sha384" => Ok(HashAlgorithm::Sha384),
            "sha512" => Ok(HashAlgorithm::Sha512),
            _ => Err(()),
        }
    }
}

/// A computed digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The algorithm.
    pub algorithm: HashAlgorithm,
    /// The raw digest bytes.
    pub bytes: Vec<u8>,
}

impl Digest {
    /// Lowercase hex, as the Simple API and `--hash` write it.
    pub fn hex(&self) -> String {
        hex::encode(&self.bytes)
    }
}

enum One {
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

/// Computes one digest per requested algorithm over the same bytes.
pub struct MultiHasher {
    hashers: Vec<One>,
}

impl MultiHasher {
    /// A hasher for each algorithm in `algorithms` (duplicates are computed once).
    pub fn new(algorithms: impl IntoIterator<Item = HashAlgorithm>) -> Self {
        let mut wanted: Vec<HashAlgorithm> = algorithms.into_iter().collect();
        wanted.sort();
        wanted.dedup();
        MultiHasher {
            hashers: wanted
                .into_iter()
                .map(|a| match a {
                    HashAlgorithm::Sha256 => One::Sha256(sha2::Sha256::new()),
                    HashAlgorithm::Sha384 => One::Sha384(sha2::Sha384::new()),
                    HashAlgorithm::Sha512 => One::Sha512(sha2::Sha512::new()),
                })
                .collect(),
        }
    }

    /// Feeds bytes to every hasher.
    pub fn update(&mut self, bytes: &[u8]) {
        for h in &mut self.hashers {
            match h {
                One::Sha256(h) => h.update(bytes),
                One::Sha384(h) => h.update(bytes),
                One::Sha512(h) => h.update(bytes),
            }
        }
    }

    /// Every digest, in algorithm order (sha256, sha384, sha512).
    pub fn finish(self) -> Vec<Digest> {
        self.hashers
            .into_iter()
            .map(|h| match h {
                One::Sha256(h) => Digest {
                    algorithm: HashAlgorithm::Sha256,
                    bytes: h.finalize().to_vec(),
                },
                One::Sha384(h) => Digest {
                    algorithm: HashAlgorithm::Sha384,
                    bytes: h.finalize().to_vec(),
                },
                One::Sha512(h) => Digest {
                    algorithm: HashAlgorithm::Sha512,
                    bytes: h.finalize().to_vec(),
                },
            })
            .collect()
    }

    /// Reads `reader` to the end through the hashers (256 KiB at a time).
    pub fn read_all(mut self, mut reader: impl Read) -> io::Result<Vec<Digest>> {
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            self.update(&buf[..n]);
        }
        Ok(self.finish())
    }
}

/// Bytes written are hashed (a member streamed out of a wheel, for RECORD); never fails.
impl io::Write for MultiHasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_each_algorithm_once() {
        let mut h = MultiHasher::new([
            HashAlgorithm::Sha512,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha256,
        ]);
        h.update(b"abc");
        let d = h.finish();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].algorithm, HashAlgorithm::Sha256);
        assert_eq!(
            d[0].hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d[1].algorithm, HashAlgorithm::Sha512);
        assert_eq!("sha384".parse(), Ok(HashAlgorithm::Sha384));
        assert!("md5".parse::<HashAlgorithm>().is_err());
    }
}
