//! Loading and viewing never panic, whatever the bytes: 100,000 mutated certificates (bit flips,
//! byte changes, truncations, length-byte changes, insertions and deletions), from a fixed seed,
//! of the bundled national certificates and (with `test-pki`) the test PKI's.

use vnaccs_core::cert::{Certificate, TrustAnchors};

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut d = seed.to_vec();
    for _ in 0..=rng.below(3) {
        if d.is_empty() {
            break;
        }
        let i = rng.below(d.len());
        match rng.below(6) {
            0 => d[i] ^= 1 << rng.below(8),
            1 => d[i] = rng.next() as u8,
            2 => d.truncate(i),
            // Length octets sit right after a tag; nudging any byte by ±1 or to 0x80+n hits them.
            3 => d[i] = d[i].wrapping_add(if rng.below(2) == 0 { 1 } else { 0xFF }),
            4 => d.insert(i, rng.next() as u8),
            _ => {
                d.remove(i);
            }
        }
    }
    d
}

/// Exercises every accessor of the view, so a panic anywhere in it is caught.
fn view_everything(c: &Certificate, anchors: &TrustAnchors) {
    let _ = (c.serial(), c.subject().to_string(), c.issuer().to_string());
    let _ = (
        c.not_before(),
        c.not_after(),
        c.key_algorithm(),
        c.key_bits(),
    );
    let _ = (
        c.signature_algorithm(),
        c.key_usage(),
        c.is_ca(),
        c.ca_family(),
    );
    let _ = (
        c.sha1_thumbprint(),
        c.sha256_thumbprint(),
        c.identities(),
        c.tax_code(),
    );
    let _ = (c.public_key_der(), c.signing_usage());
    let _ = anchors.verify(c, &[]);
}

#[test]
fn mutated_certificates_never_panic() {
    let anchors = TrustAnchors::national();
    #[allow(unused_mut)] // extended only with the test PKI
    let mut seeds: Vec<Vec<u8>> = anchors
        .roots()
        .iter()
        .chain(anchors.intermediates())
        .map(|c| c.der().to_vec())
        .collect();
    // Certificates with UID identities, Vietnamese names, EC and RSA-1024 keys.
    #[cfg(feature = "test-pki")]
    {
        let (_, set) = vnaccs_core::fixtures::test_pki();
        seeds.extend(set.all().into_iter().map(|(_, c)| c.der.clone()));
    }
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let (mut parsed, mut rejected) = (0usize, 0usize);
    for n in 0..100_000 {
        let seed = &seeds[n % seeds.len()];
        let bytes = mutate(&mut rng, seed);
        match Certificate::load_all(&bytes) {
            Ok(certs) => {
                parsed += 1;
                // Signature checks are slow; do the chain on a sample.
                if n % 50 == 0 {
                    certs.iter().for_each(|c| view_everything(c, &anchors));
                } else {
                    certs
                        .iter()
                        .for_each(|c| view_everything(c, &TrustAnchors::default()));
                }
            }
            Err(e) => {
                rejected += 1;
                assert_eq!(e.code(), "invalid_certificate");
                assert!(!e.message_vi().is_empty());
            }
        }
    }
    assert_eq!(parsed + rejected, 100_000);
    // Both paths were exercised: many mutations still parse (e.g. flips inside names), most do not.
    assert!(
        parsed > 1_000 && rejected > 10_000,
        "parsed {parsed}, rejected {rejected}"
    );
}
