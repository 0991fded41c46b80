//! Reading PKCS#12 files (`.pfx`/`.p12`, RFC 7292) on the RustCrypto formats line: the `pkcs12`
//! crate's structures and key derivation, PBES2 from `pkcs5` (through `pkcs8`) for what OpenSSL 3
//! and Windows write today, and 3DES/RC2 in CBC mode for the legacy PKCS#12 PBE that older CA
//! tools and Windows exports still use.
//!
//! The MAC is checked before anything is decrypted. A MAC that fails means a wrong password, unless
//! an encrypted part still decrypts with that password into well-formed content: then the password
//! is right and the file is damaged. Every cost a
//! file controls is bounded: its size, each key derivation's iteration count, and the iterations
//! spent on the whole file.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, KeyInit, KeyIvInit};
use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{AnyRef, Decode, Tag, TagNumber, Tagged};
use hmac::{Mac, SimpleHmac};
use pkcs8::pkcs5::pbes2;
use pkcs12::cert_type::CertBag;
use pkcs12::kdf::{Pkcs12KeyType, derive_key};
use pkcs12::mac_data::MacData;
use pkcs12::pbe_params::{EncryptedPrivateKeyInfo, Pkcs12PbeParams};
use pkcs12::pfx::{Pfx, Version};
use pkcs12::safe_bag::SafeBag;
use secrecy::{ExposeSecret, SecretString};
use sha2::digest::core_api::BlockSizeUser;
use sha2::digest::{Digest, FixedOutputReset};
use zeroize::{Zeroize, Zeroizing};

use crate::sign::SignError;
use crate::{Error, Result};

/// The largest PKCS#12 file read: a key with a long chain takes a few kilobytes.
pub(super) const MAX_FILE_BYTES: usize = 1 << 20;
/// The most iterations one key derivation of a file may ask for (OpenSSL writes 2048, Windows
/// 2000, Java 10000; hardened tools a few hundred thousand).
const MAX_ITERATIONS: u64 = 2_000_000;
/// The most iterations all the key derivations of one file may ask for together.
const MAX_TOTAL_ITERATIONS: u64 = 10_000_000;
/// The most memory (128·r·N bytes) a scrypt key derivation may ask for (OpenSSL's default: 16 MiB).
const MAX_SCRYPT_MEMORY: u128 = 256 << 20;
/// The most work (N·r·p) a scrypt key derivation may ask for (OpenSSL's default: 2^17).
const MAX_SCRYPT_WORK: u128 = 1 << 24;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const LOCAL_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.21");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// What a PKCS#12 file holds that a signer needs.
pub(super) struct Contents {
    /// The private keys (PKCS#8 `PrivateKeyInfo`, DER; zeroized on drop).
    pub(super) keys: Vec<Bagged<Zeroizing<Vec<u8>>>>,
    /// The X.509 certificates (DER).
    pub(super) certificates: Vec<Bagged<Vec<u8>>>,
    /// Whether an encrypted part decrypted into well-formed content (so the password is right).
    decrypted: bool,
}

/// A key or certificate with its bag's `localKeyId`, which pairs a key with its certificate.
pub(super) struct Bagged<T> {
    /// The key or certificate.
    pub(super) value: T,
    /// The bag's `localKeyId` attribute.
    local_key_id: Option<Vec<u8>>,
}

impl Contents {
    /// The indexes in `certificates` of the certificates for `key`: those its `localKeyId` names
    /// first, then the others.
    pub(super) fn certificates_for<'a>(
        &'a self,
        key: &'a Bagged<Zeroizing<Vec<u8>>>,
    ) -> impl Iterator<Item = usize> + 'a {
        let named = |i: &usize| {
            key.local_key_id.is_some()
                && self.certificates.get(*i).map(|c| &c.local_key_id) == Some(&key.local_key_id)
        };
        let all = 0..self.certificates.len();
        all.clone()
            .filter(named)
            .chain(all.filter(move |i| !named(i)))
    }
}

/// Opens a PKCS#12 file with its password: [`SignError::KeyFilePassword`] when the password is
/// wrong, [`SignError::KeyFile`] when the file is malformed, damaged, uses an algorithm this
/// library does not read, or asks for more work than the limits allow.
pub(super) fn open(data: &[u8], password: &SecretString) -> Result<Contents> {
    if data.len() > MAX_FILE_BYTES {
        return Err(malformed(format!(
            "a PKCS#12 file of {} bytes (the limit is {MAX_FILE_BYTES})",
            data.len()
        )));
    }
    let password = Password::new(password.expose_secret());
    let pfx = Pfx::from_der(data).map_err(|e| malformed(format!("not a PKCS#12 file: {e}")))?;
    if pfx.version != Version::V3 {
        return Err(malformed("not a version 3 PKCS#12 file"));
    }
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(malformed(format!(
            "a PKCS#12 file protected by a public key ({}); only password protection is supported",
            pfx.auth_safe.content_type
        )));
    }
    let safe = octets((&pfx.auth_safe.content).into())?;
    let mut budget = Budget(MAX_TOTAL_ITERATIONS);
    let Some(mac) = &pfx.mac_data else {
        return read_safe(safe, &password, Trust::Unverified, &mut budget);
    };
    if verify_mac(mac, &password, safe, &mut budget)? {
        return read_safe(safe, &password, Trust::Verified, &mut budget);
    }
    // The right password still decrypts an encrypted part: then the MAC, not the password, is
    // wrong. Nothing read this way is used.
    match read_safe(safe, &password, Trust::Probe, &mut budget) {
        Ok(contents) if contents.decrypted => Err(malformed(
            "its integrity check (MAC) fails: the file is damaged or was altered",
        )),
        _ => Err(Error::Signing(SignError::KeyFilePassword)),
    }
}

/// The password in the two forms PKCS#12 uses: UTF-8 bytes for PBES2, and big-endian UTF-16
/// with a terminating zero for the MAC and the legacy PBE (RFC 7292 B.1).
struct Password<'a> {
    utf8: &'a [u8],
    bmp: Zeroizing<Vec<u8>>,
}

impl<'a> Password<'a> {
    fn new(password: &'a str) -> Self {
        // UTF-16 never takes more units than UTF-8 takes bytes: the buffer never grows, so no
        // copy is left behind unzeroized.
        let mut bmp = Zeroizing::new(Vec::with_capacity(2 * password.len() + 2));
        for unit in password.encode_utf16() {
            bmp.extend_from_slice(&unit.to_be_bytes());
        }
        bmp.extend_from_slice(&[0, 0]);
        Self {
            utf8: password.as_bytes(),
            bmp,
        }
    }
}

/// What is known of the password when a part is decrypted, which says what a part that does not
/// decrypt means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// The MAC verified with it: the part is damaged.
    Verified,
    /// The file has no MAC: the password is the likelier culprit.
    Unverified,
    /// The MAC failed with it: the part is skipped, to see whether any part decrypts.
    Probe,
}

impl Trust {
    fn undecryptable(self, what: &str) -> Error {
        match self {
            Self::Verified => malformed(format!("{what} does not decrypt: the file is damaged")),
            Self::Unverified | Self::Probe => Error::Signing(SignError::KeyFilePassword),
        }
    }

    /// A decryption's outcome: `None` for a failure while probing (the part is skipped).
    fn tolerate<T>(self, outcome: Result<T>) -> Result<Option<T>> {
        match outcome {
            Ok(value) => Ok(Some(value)),
            Err(_) if self == Self::Probe => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The iterations a file may still spend on key derivation.
struct Budget(u64);

impl Budget {
    /// Spends `iterations` (a file's value) on one key derivation.
    fn spend(&mut self, iterations: impl TryInto<u64>) -> Result<()> {
        let n = iterations
            .try_into()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| unbounded("an iteration count below 1"))?;
        if n > MAX_ITERATIONS || n > self.0 {
            return Err(unbounded(format!(
                "its key derivation asks for {n} iterations, more than the limit \
                 ({MAX_ITERATIONS} each, {MAX_TOTAL_ITERATIONS} for the file)"
            )));
        }
        self.0 -= n;
        Ok(())
    }
}

/// Whether the MAC over the authenticated safe verifies with `password`.
fn verify_mac(
    mac: &MacData,
    password: &Password,
    data: &[u8],
    budget: &mut Budget,
) -> Result<bool> {
    budget.spend(mac.iterations)?;
    // Spent and checked above: 1 ≤ iterations ≤ MAX_ITERATIONS.
    let rounds = mac.iterations;
    let salt = mac.mac_salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    let check = match mac.mac.algorithm.oid {
        SHA1 => mac_matches::<sha1::Sha1>,
        SHA224 => mac_matches::<sha2::Sha224>,
        SHA256 => mac_matches::<sha2::Sha256>,
        SHA384 => mac_matches::<sha2::Sha384>,
        SHA512 => mac_matches::<sha2::Sha512>,
        other => return Err(malformed(format!("an unsupported MAC algorithm ({other})"))),
    };
    Ok(check(&password.bmp, salt, rounds, data, expected))
}

/// HMAC with a key from the PKCS#12 KDF (RFC 7292 B.2), compared in constant time.
fn mac_matches<D>(password: &[u8], salt: &[u8], rounds: i32, data: &[u8], expected: &[u8]) -> bool
where
    D: Digest + FixedOutputReset + BlockSizeUser,
{
    let size = <D as Digest>::output_size();
    let key = Zeroizing::new(derive_key::<D>(
        password,
        salt,
        Pkcs12KeyType::Mac,
        rounds,
        size,
    ));
    let Ok(mut hmac) = <SimpleHmac<D> as KeyInit>::new_from_slice(&key) else {
        return false;
    };
    hmac.update(data);
    hmac.verify_slice(expected).is_ok()
}

/// Reads the authenticated safe: a sequence of plain or password-encrypted safe contents.
fn read_safe(
    safe: &[u8],
    password: &Password,
    trust: Trust,
    budget: &mut Budget,
) -> Result<Contents> {
    let infos =
        Vec::<ContentInfo>::from_der(safe).map_err(|e| malformed(format!("its contents: {e}")))?;
    let mut contents = Contents {
        keys: Vec::new(),
        certificates: Vec::new(),
        decrypted: false,
    };
    for info in &infos {
        match info.content_type {
            ID_DATA => read_bags(
                octets((&info.content).into())?,
                password,
                trust,
                budget,
                &mut contents,
            )?,
            ID_ENCRYPTED_DATA => {
                let encrypted: EncryptedData = info
                    .content
                    .decode_as()
                    .map_err(|e| malformed(format!("its encrypted contents: {e}")))?;
                let info = &encrypted.enc_content_info;
                let Some(data) = &info.encrypted_content else {
                    continue;
                };
                let part = decrypt(
                    &info.content_enc_alg,
                    data.as_bytes(),
                    password,
                    trust,
                    budget,
                )
                .and_then(|plain| {
                    read_bags(&plain, password, trust, budget, &mut contents).map_err(|e| {
                        match trust {
                            Trust::Verified => e,
                            _ => trust.undecryptable("a part"),
                        }
                    })
                });
                if trust.tolerate(part)?.is_some() {
                    contents.decrypted = true;
                }
            }
            other => {
                return Err(malformed(format!(
                    "a part protected by a public key ({other}); only password protection is supported"
                )));
            }
        }
    }
    Ok(contents)
}

/// Bags, zeroized on drop: a key bag's value is a plain private key.
struct Bags(Vec<SafeBag>);

impl Drop for Bags {
    fn drop(&mut self) {
        for bag in &mut self.0 {
            bag.bag_value.zeroize();
        }
    }
}

/// Reads one safe contents: its keys and X.509 certificates; other bags are skipped.
fn read_bags(
    data: &[u8],
    password: &Password,
    trust: Trust,
    budget: &mut Budget,
    contents: &mut Contents,
) -> Result<()> {
    let bags =
        Bags(Vec::<SafeBag>::from_der(data).map_err(|e| malformed(format!("its bags: {e}")))?);
    for bag in &bags.0 {
        let local_key_id = local_key_id(bag);
        let value = explicit(&bag.bag_value)?;
        match bag.bag_id {
            pkcs12::PKCS_12_KEY_BAG_OID => contents.keys.push(Bagged {
                value: private_key(value, Trust::Verified)?,
                local_key_id,
            }),
            pkcs12::PKCS_12_PKCS8_KEY_BAG_OID => {
                let shrouded = EncryptedPrivateKeyInfo::from_der(value)
                    .map_err(|e| malformed(format!("its encrypted key: {e}")))?;
                let key = decrypt(
                    &shrouded.encryption_algorithm,
                    shrouded.encrypted_data.as_bytes(),
                    password,
                    trust,
                    budget,
                )
                .and_then(|key| private_key(&key, trust));
                if let Some(value) = trust.tolerate(key)? {
                    contents.decrypted = true;
                    contents.keys.push(Bagged {
                        value,
                        local_key_id,
                    });
                }
            }
            pkcs12::PKCS_12_CERT_BAG_OID => {
                let cert = CertBag::from_der(value)
                    .map_err(|e| malformed(format!("its certificate: {e}")))?;
                if cert.cert_id == pkcs12::PKCS_12_X509_CERT_OID {
                    contents.certificates.push(Bagged {
                        value: cert.cert_value.as_bytes().to_vec(),
                        local_key_id,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A private key bag's value, checked to be a PKCS#8 `PrivateKeyInfo`.
fn private_key(der: &[u8], trust: Trust) -> Result<Zeroizing<Vec<u8>>> {
    match pkcs8::PrivateKeyInfo::try_from(der) {
        Ok(_) => Ok(Zeroizing::new(der.to_vec())),
        Err(e) => match trust {
            Trust::Verified => Err(malformed(format!("its private key: {e}"))),
            _ => Err(trust.undecryptable("the private key")),
        },
    }
}

/// The bag's `localKeyId` attribute, when it has one.
fn local_key_id(bag: &SafeBag) -> Option<Vec<u8>> {
    let attribute = bag
        .bag_attributes
        .as_ref()?
        .iter()
        .find(|a| a.oid == LOCAL_KEY_ID)?;
    let value = attribute.values.iter().next()?;
    Some(
        value
            .decode_as::<OctetStringRef<'_>>()
            .ok()?
            .as_bytes()
            .to_vec(),
    )
}

/// The value inside a bag's `[0] EXPLICIT` wrapper.
fn explicit(tlv: &[u8]) -> Result<&[u8]> {
    let any = AnyRef::from_der(tlv).map_err(|e| malformed(format!("a bag: {e}")))?;
    let wrapper = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N0,
    };
    if any.tag() != wrapper {
        return Err(malformed("a bag without its [0] value"));
    }
    Ok(any.value())
}

/// The bytes of an `OCTET STRING` (the content of a `Data` content info).
fn octets(any: AnyRef<'_>) -> Result<&[u8]> {
    any.decode_as::<OctetStringRef<'_>>()
        .map(|o| o.as_bytes())
        .map_err(|e| malformed(format!("its data: {e}")))
}

/// The legacy PKCS#12 PBE schemes read (RFC 7292 C): SHA-1 KDF, CBC with PKCS#7 padding.
#[derive(Clone, Copy)]
enum LegacyCipher {
    TripleDes3Key,
    TripleDes2Key,
    Rc2 { key_bytes: usize },
}

impl LegacyCipher {
    fn from_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC => Some(Self::TripleDes3Key),
            pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC => Some(Self::TripleDes2Key),
            pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC => Some(Self::Rc2 { key_bytes: 16 }),
            pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC => Some(Self::Rc2 { key_bytes: 5 }),
            _ => None,
        }
    }

    fn key_bytes(self) -> usize {
        match self {
            Self::TripleDes3Key => 24,
            Self::TripleDes2Key => 16,
            Self::Rc2 { key_bytes } => key_bytes,
        }
    }

    /// Decrypts `buffer` in place; the plaintext's length, or `None` when the padding is wrong.
    fn decrypt(self, key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Option<usize> {
        match self {
            Self::TripleDes3Key => cbc_decrypt::<des::TdesEde3>(key, iv, buffer),
            Self::TripleDes2Key => cbc_decrypt::<des::TdesEde2>(key, iv, buffer),
            // The effective key length is the key's (40 or 128 bits).
            Self::Rc2 { .. } => cbc_decrypt::<rc2::Rc2>(key, iv, buffer),
        }
    }
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Option<usize>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    decryptor
        .decrypt_padded_mut::<Pkcs7>(buffer)
        .ok()
        .map(|p| p.len())
}

/// Decrypts a part or a key: PBES2 with PBKDF2, or a legacy PKCS#12 PBE.
fn decrypt(
    algorithm: &spki::AlgorithmIdentifierOwned,
    data: &[u8],
    password: &Password,
    trust: Trust,
    budget: &mut Budget,
) -> Result<Zeroizing<Vec<u8>>> {
    let parameters: AnyRef<'_> = algorithm
        .parameters
        .as_ref()
        .map(Into::into)
        .ok_or_else(|| malformed(format!("no parameters for {}", algorithm.oid)))?;
    let mut buffer = Zeroizing::new(data.to_vec());
    let length = if algorithm.oid == pbes2::PBES2_OID {
        let pbes2 = pbes2::Parameters::try_from(parameters)
            .map_err(|e| malformed(format!("its PBES2 parameters: {e}")))?;
        bound_kdf(&pbes2.kdf, budget)?;
        match pbes2.decrypt_in_place(password.utf8, &mut buffer[..]) {
            Ok(plain) => plain.len(),
            // pkcs5 0.7 reports a wrong padding as `EncryptFailed`.
            Err(pkcs8::pkcs5::Error::DecryptFailed | pkcs8::pkcs5::Error::EncryptFailed) => {
                return Err(trust.undecryptable("a part"));
            }
            Err(e) => return Err(malformed(e)),
        }
    } else if let Some(cipher) = LegacyCipher::from_oid(algorithm.oid) {
        let pbe: Pkcs12PbeParams = parameters
            .decode_as()
            .map_err(|e| malformed(format!("its PBE parameters: {e}")))?;
        // One derivation for the key, one for the IV.
        budget.spend(pbe.iterations)?;
        budget.spend(pbe.iterations)?;
        let salt = pbe.salt.as_bytes();
        let derive = |kind, len| {
            Zeroizing::new(derive_key::<sha1::Sha1>(
                &password.bmp,
                salt,
                kind,
                pbe.iterations,
                len,
            ))
        };
        let key = derive(Pkcs12KeyType::EncryptionKey, cipher.key_bytes());
        let iv = derive(Pkcs12KeyType::Iv, 8);
        cipher
            .decrypt(&key, &iv, &mut buffer)
            .ok_or_else(|| trust.undecryptable("a part"))?
    } else {
        return Err(malformed(format!(
            "an unsupported encryption algorithm ({})",
            algorithm.oid
        )));
    };
    buffer.truncate(length);
    Ok(buffer)
}

/// Checks the cost of an encrypted PKCS#8 key's derivation (a PEM `ENCRYPTED PRIVATE KEY`)
/// against the limits.
pub(super) fn bound_encrypted_key(scheme: &pkcs8::pkcs5::EncryptionScheme<'_>) -> Result<()> {
    match scheme {
        pkcs8::pkcs5::EncryptionScheme::Pbes2(pbes2) => {
            bound_kdf(&pbes2.kdf, &mut Budget(MAX_TOTAL_ITERATIONS))
        }
        // PBES1: not decrypted (pkcs5 refuses it).
        _ => Ok(()),
    }
}

/// Checks a PBES2 key derivation's cost against the limits, spending PBKDF2's iterations.
fn bound_kdf(kdf: &pbes2::Kdf<'_>, budget: &mut Budget) -> Result<()> {
    match kdf {
        pbes2::Kdf::Pbkdf2(pbkdf2) => budget.spend(pbkdf2.iteration_count),
        pbes2::Kdf::Scrypt(scrypt) => {
            let (n, r, p) = (
                u128::from(scrypt.cost_parameter),
                u128::from(scrypt.block_size),
                u128::from(scrypt.parallelization),
            );
            if 128 * r * n > MAX_SCRYPT_MEMORY || n * r * p > MAX_SCRYPT_WORK {
                return Err(unbounded(format!(
                    "its scrypt key derivation (N={n}, r={r}, p={p}) asks for more than the limit \
                     ({MAX_SCRYPT_MEMORY} bytes of memory, {MAX_SCRYPT_WORK} for N·r·p)"
                )));
            }
            Ok(())
        }
        _ => Err(unbounded("an unsupported PBES2 key derivation")),
    }
}

/// A key derivation that asks for more than the limits, or one not supported (PKCS#12 or PEM).
fn unbounded(e: impl std::fmt::Display) -> Error {
    Error::Signing(SignError::KeyFile {
        reason: e.to_string(),
    })
}

fn malformed(e: impl std::fmt::Display) -> Error {
    Error::Signing(SignError::KeyFile {
        reason: format!("PKCS#12: {e}"),
    })
}
