//! Encryption at rest: the key file, the keys derived from it, sealed files.
//!
//! A random 32-byte data key encrypts everything the data directory holds about cases. It is
//! kept in `permanence.key`, wrapped (XChaCha20-Poly1305) under a key that Argon2id derives
//! from the user's passphrase: changing the passphrase rewrites that small file only. From the
//! data key, HKDF-SHA256 derives one key per use: the SQLCipher database, the originals, the
//! names of the originals (a keyed hash of their sha256), the search index and the drafts.
//!
//! A sealed file is `PRM1`, a random 24-byte nonce, then the ciphertext and its tag; the
//! authenticated data names the use and the file, so that a file moved, renamed or swapped
//! with another is refused rather than read. See docs/SECURITY.md.

pub mod directory;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use argon2::{Algorithm, Argon2, Version};
use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::fr::quoted;

/// The key file, in the data directory.
pub const KEY_FILE: &str = "permanence.key";
/// Environment variable holding the passphrase (else the CLI asks on the terminal).
pub const PASSPHRASE_ENV: &str = "PERMANENCE_PASSPHRASE";
/// Environment variable holding the new passphrase of `permanence passphrase`.
pub const NEW_PASSPHRASE_ENV: &str = "PERMANENCE_NEW_PASSPHRASE";
/// `PERMANENCE_TEST_KDF=fast`: debug builds create key files with `KdfParams::TEST`.
pub const TEST_KDF_ENV: &str = "PERMANENCE_TEST_KDF";
/// The shortest passphrase accepted for a new key or a change.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

const KEY_FORMAT: &str = "permanence.key";
const KEY_VERSION: u32 = 1;
const KDF_NAME: &str = "argon2id";
const AEAD_NAME: &str = "xchacha20poly1305";
const SEAL_MAGIC: &[u8; 4] = b"PRM1";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const SEAL_HEADER: usize = SEAL_MAGIC.len() + NONCE_LEN;
/// A SQLite database in clear starts with these bytes; an SQLCipher one looks random.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error(
        "phrase de passe incorrecte : le dossier de données {} n'a pas été ouvert et rien n'a été modifié",
        quoted(&.dir.display().to_string())
    )]
    WrongPassphrase { dir: PathBuf },
    #[error(
        "la clé de chiffrement {} est introuvable : sans elle les données de ce dossier ne peuvent pas être lues ; restaurez-la depuis une sauvegarde",
        quoted(&.file.display().to_string())
    )]
    KeyFileMissing { file: PathBuf },
    #[error(
        "la clé de chiffrement {} est endommagée ({reason}) : restaurez-la depuis une sauvegarde ; rien n'a été modifié",
        quoted(&.file.display().to_string())
    )]
    KeyFileDamaged { file: PathBuf, reason: String },
    #[error(
        "le dossier de données {} a été créé par une version de Permanence qui ne chiffrait pas les données : cette version ne l'ouvre pas et n'y a rien modifié ; choisissez un autre dossier de données (voir docs/SECURITY.md)",
        quoted(&.dir.display().to_string())
    )]
    Plaintext { dir: PathBuf },
    #[error(
        "le fichier {} ne peut pas être déchiffré : il est endommagé ou ne vient pas de ce dossier de données",
        quoted(.file)
    )]
    Damaged { file: String },
    #[error("la phrase de passe doit compter au moins {MIN_PASSPHRASE_CHARS} caractères")]
    PassphraseTooShort,
    #[error("les deux saisies de la phrase de passe diffèrent : rien n'a été créé ni modifié")]
    PassphraseMismatch,
    #[error(
        "aucune phrase de passe : indiquez-la dans la variable PERMANENCE_PASSPHRASE ou lancez la commande dans un terminal"
    )]
    NoPassphrase,
    #[error("la clé de chiffrement {} ne peut pas être écrite : {reason}", quoted(&.file.display().to_string()))]
    Write { file: PathBuf, reason: String },
    #[error(
        "le délai de verrouillage doit être compris entre 1 et {max} minutes ({given} demandé)"
    )]
    LockDelay { given: u32, max: u32 },
}

impl CryptoError {
    pub fn code(&self) -> &'static str {
        match self {
            CryptoError::WrongPassphrase { .. } => "crypto.wrong_passphrase",
            CryptoError::KeyFileMissing { .. } => "crypto.key_file_missing",
            CryptoError::KeyFileDamaged { .. } => "crypto.key_file_damaged",
            CryptoError::Plaintext { .. } => "crypto.plaintext_data_dir",
            CryptoError::Damaged { .. } => "crypto.damaged",
            CryptoError::PassphraseTooShort => "crypto.passphrase_too_short",
            CryptoError::PassphraseMismatch => "crypto.passphrase_mismatch",
            CryptoError::NoPassphrase => "crypto.no_passphrase",
            CryptoError::Write { .. } => "crypto.write",
            CryptoError::LockDelay { .. } => "crypto.lock_delay",
        }
    }
}

/// Argon2id's cost, recorded in the key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// 64 MiB, three passes: about half a second on a laptop.
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };
    /// Weak and fast: for tests only (`PERMANENCE_TEST_KDF=fast` in debug builds).
    pub const TEST: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    /// The cost of a new key file: `DEFAULT`, or `TEST` in a debug build asked to be fast.
    pub fn for_new_key() -> KdfParams {
        #[cfg(debug_assertions)]
        if std::env::var(TEST_KDF_ENV).is_ok_and(|v| v == "fast") {
            return KdfParams::TEST;
        }
        KdfParams::DEFAULT
    }

    fn argon2(&self) -> Option<Argon2<'static>> {
        let sane = (8..=4 * 1024 * 1024).contains(&self.memory_kib)
            && (1..=64).contains(&self.iterations)
            && (1..=16).contains(&self.parallelism);
        let params =
            argon2::Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
                .ok()
                .filter(|_| sane)?;
        Some(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

type Key = Zeroizing<[u8; 32]>;

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the system's random source");
    bytes
}

fn hkdf_expand(ikm: &[u8], info: &str) -> Key {
    let mut out = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(None, ikm)
        .expand(info.as_bytes(), &mut *out)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    out
}

/// Authenticated encryption of whole files under one key, for one use.
#[derive(Clone)]
pub struct Sealer {
    key: Arc<Key>,
    purpose: &'static str,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer({})", self.purpose)
    }
}

impl Sealer {
    fn new(data_key: &[u8], purpose: &'static str) -> Sealer {
        Sealer {
            key: Arc::new(hkdf_expand(data_key, &format!("permanence/{purpose}/1"))),
            purpose,
        }
    }

    fn aad(&self, name: &str) -> Vec<u8> {
        format!("permanence/{}/{name}", self.purpose).into_bytes()
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&**self.key).into())
    }

    /// `plaintext` sealed: magic, nonce, ciphertext, tag. `name` is authenticated with it.
    pub fn seal(&self, name: &str, plaintext: &[u8]) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = random();
        let mut out = Vec::with_capacity(SEAL_HEADER + plaintext.len() + TAG_LEN);
        out.extend_from_slice(SEAL_MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .cipher()
            .encrypt_in_place_detached(
                XNonce::from_slice(&nonce),
                &self.aad(name),
                &mut out[SEAL_HEADER..],
            )
            .expect("XChaCha20-Poly1305 encrypts any length a Vec holds");
        out.extend_from_slice(&tag);
        out
    }

    /// The plaintext of `sealed`, decrypted in place; `None` when it is not a file sealed
    /// under this key and name (damaged, swapped, or from another data directory).
    pub fn open(&self, name: &str, mut sealed: Vec<u8>) -> Option<Vec<u8>> {
        if sealed.len() < SEAL_HEADER + TAG_LEN || !sealed.starts_with(SEAL_MAGIC) {
            return None;
        }
        let nonce = *XNonce::from_slice(&sealed[SEAL_MAGIC.len()..SEAL_HEADER]);
        let tag_at = sealed.len() - TAG_LEN;
        let tag = *Tag::from_slice(&sealed[tag_at..]);
        self.cipher()
            .decrypt_in_place_detached(
                &nonce,
                &self.aad(name),
                &mut sealed[SEAL_HEADER..tag_at],
                &tag,
            )
            .ok()?;
        sealed.truncate(tag_at);
        sealed.drain(..SEAL_HEADER);
        Some(sealed)
    }
}

/// True when `bytes` begin like a sealed file.
pub fn looks_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(SEAL_MAGIC)
}

/// The keys of an unlocked data directory. Cloning shares them; the last clone dropped wipes
/// them from memory.
#[derive(Clone)]
pub struct Keys(Arc<Derived>);

struct Derived {
    database: Key,
    names: Key,
    originals: Sealer,
    index: Sealer,
    drafts: Sealer,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    fn derive(data_key: &[u8; 32]) -> Keys {
        Keys(Arc::new(Derived {
            database: hkdf_expand(data_key, "permanence/database/1"),
            names: hkdf_expand(data_key, "permanence/names/1"),
            originals: Sealer::new(data_key, "originals"),
            index: Sealer::new(data_key, "index"),
            drafts: Sealer::new(data_key, "drafts"),
        }))
    }

    /// Keys saved nowhere: for scratch data directories that die with the process (the bench).
    pub fn ephemeral() -> Keys {
        Keys::derive(&Zeroizing::new(random()))
    }

    /// The SQLCipher raw key, as `PRAGMA key` takes it: `x'…'` (no second key derivation).
    pub(crate) fn database_pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"x'{}'\"", hex::encode(*self.0.database)))
    }

    /// The stored name of an original: a keyed hash of its digest and kind, so that the folder
    /// does not tell which files it holds to someone who has them.
    pub fn original_name(&self, sha256: &str, kind: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&*self.0.names).expect("any key length");
        mac.update(sha256.as_bytes());
        mac.update(b".");
        mac.update(kind.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn originals(&self) -> &Sealer {
        &self.0.originals
    }
    pub fn index(&self) -> &Sealer {
        &self.0.index
    }
    pub fn drafts(&self) -> &Sealer {
        &self.0.drafts
    }
}

/// What a data directory holds, before any passphrase is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No key and no database: a key is created (the passphrase asked twice).
    New,
    /// A key file: the passphrase unlocks it.
    Encrypted,
}

pub fn key_file(root: &Path) -> PathBuf {
    root.join(KEY_FILE)
}

/// Whether `root` is new or encrypted; refused when it is a previous version's directory in
/// clear, or when its database lost its key file. Reads only.
pub fn state(root: &Path) -> Result<State, CryptoError> {
    let database = root.join(crate::store::DB_FILE);
    let mut header = [0u8; 16];
    let db_header = std::fs::File::open(&database)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .map(|()| header);
    if db_header.as_ref().is_ok_and(|h| h == SQLITE_HEADER) {
        return Err(CryptoError::Plaintext {
            dir: root.to_owned(),
        });
    }
    let key = key_file(root);
    if key.exists() {
        Ok(State::Encrypted)
    } else if database.exists() {
        Err(CryptoError::KeyFileMissing { file: key })
    } else {
        Ok(State::New)
    }
}

/// The key file as written: the KDF's cost and salt, a check value that tells a wrong
/// passphrase from a damaged file, and the wrapped data key (all hex).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    version: u32,
    kdf: String,
    kdf_params: KdfParams,
    salt: String,
    check: String,
    aead: String,
    nonce: String,
    wrapped_key: String,
}

impl KeyFile {
    /// Authenticated with the wrapped key: the cost and salt cannot be changed unnoticed.
    fn aad(&self) -> Vec<u8> {
        let p = self.kdf_params;
        format!(
            "{}/{} {} m={} t={} p={} salt={} {}",
            self.format,
            self.version,
            self.kdf,
            p.memory_kib,
            p.iterations,
            p.parallelism,
            self.salt,
            self.aead
        )
        .into_bytes()
    }
}

/// The wrapping key and the check value a passphrase gives under `params` and `salt`.
fn passphrase_keys(passphrase: &str, salt: &[u8], params: &KdfParams) -> Option<(Key, Key)> {
    let mut master = Zeroizing::new([0u8; 32]);
    params
        .argon2()?
        .hash_password_into(passphrase.as_bytes(), salt, &mut *master)
        .ok()?;
    Some((
        hkdf_expand(&*master, "permanence/key-wrap/1"),
        hkdf_expand(&*master, "permanence/passphrase-check/1"),
    ))
}

fn check_new_passphrase(passphrase: &str) -> Result<(), CryptoError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        Err(CryptoError::PassphraseTooShort)
    } else {
        Ok(())
    }
}

/// Wraps `data_key` under `passphrase` and writes the key file whole (or not at all).
fn write_key_file(
    root: &Path,
    data_key: &[u8; 32],
    passphrase: &str,
    params: KdfParams,
) -> Result<(), CryptoError> {
    let file = key_file(root);
    let salt: [u8; 16] = random();
    let nonce: [u8; NONCE_LEN] = random();
    let (wrap, check) =
        passphrase_keys(passphrase, &salt, &params).expect("the parameters of a new key are sane");
    let mut kf = KeyFile {
        format: KEY_FORMAT.to_owned(),
        version: KEY_VERSION,
        kdf: KDF_NAME.to_owned(),
        kdf_params: params,
        salt: hex::encode(salt),
        check: hex::encode(*check),
        aead: AEAD_NAME.to_owned(),
        nonce: hex::encode(nonce),
        wrapped_key: String::new(),
    };
    let mut wrapped = data_key.to_vec();
    let tag = XChaCha20Poly1305::new((&*wrap).into())
        .encrypt_in_place_detached(XNonce::from_slice(&nonce), &kf.aad(), &mut wrapped)
        .expect("32 bytes encrypt");
    wrapped.extend_from_slice(&tag);
    kf.wrapped_key = hex::encode(wrapped);
    let json = serde_json::to_vec_pretty(&kf).expect("the key file serialises");
    let failed = |e: std::io::Error| CryptoError::Write {
        file: file.clone(),
        reason: match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                "le dossier de données n'est pas accessible en écriture".to_owned()
            }
            _ => crate::draft::io_reason(&e).to_owned(),
        },
    };
    std::fs::create_dir_all(root).map_err(failed)?;
    crate::atomic::write(&file, &json).map_err(failed)
}

/// Reads the key file of `root` and unwraps its data key with `passphrase`. Writes nothing.
fn unwrap_data_key(root: &Path, passphrase: &str) -> Result<Key, CryptoError> {
    let file = key_file(root);
    let damaged = |reason: &str| CryptoError::KeyFileDamaged {
        file: file.clone(),
        reason: reason.to_owned(),
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CryptoError::KeyFileMissing { file });
        }
        Err(e) => {
            return Err(damaged(&format!(
                "illisible : {}",
                crate::draft::io_reason(&e)
            )));
        }
    };
    let kf: KeyFile = serde_json::from_slice(&bytes).map_err(|_| damaged("contenu illisible"))?;
    if kf.format != KEY_FORMAT || kf.kdf != KDF_NAME || kf.aead != AEAD_NAME {
        return Err(damaged("format inconnu"));
    }
    if kf.version != KEY_VERSION {
        return Err(damaged(&format!("version {} inconnue", kf.version)));
    }
    let hex_field = |v: &str, len: usize| {
        hex::decode(v)
            .ok()
            .filter(|b| b.len() == len)
            .ok_or_else(|| damaged("valeur tronquée ou altérée"))
    };
    let salt = hex_field(&kf.salt, 16)?;
    let check = hex_field(&kf.check, 32)?;
    let nonce = hex_field(&kf.nonce, NONCE_LEN)?;
    let mut wrapped = Zeroizing::new(hex_field(&kf.wrapped_key, 32 + TAG_LEN)?);
    let (wrap, expected) = passphrase_keys(passphrase, &salt, &kf.kdf_params)
        .ok_or_else(|| damaged("paramètres de dérivation invalides"))?;
    if *expected != *check {
        return Err(CryptoError::WrongPassphrase {
            dir: root.to_owned(),
        });
    }
    let tag = *Tag::from_slice(&wrapped[32..]);
    XChaCha20Poly1305::new((&*wrap).into())
        .decrypt_in_place_detached(
            XNonce::from_slice(&nonce),
            &kf.aad(),
            &mut wrapped[..32],
            &tag,
        )
        .map_err(|_| damaged("la clé enveloppée ne s'authentifie pas"))?;
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&wrapped[..32]);
    Ok(key)
}

/// Creates the key of a new data directory (refused if it has one).
pub fn create(root: &Path, passphrase: &str, params: KdfParams) -> Result<Keys, CryptoError> {
    check_new_passphrase(passphrase)?;
    if state(root)? != State::New {
        return Err(CryptoError::Write {
            file: key_file(root),
            reason: "une clé existe déjà".to_owned(),
        });
    }
    let data_key: Key = Zeroizing::new(random());
    write_key_file(root, &data_key, passphrase, params)?;
    Ok(Keys::derive(&data_key))
}

/// Unlocks the keys of an encrypted data directory. Writes nothing, even on failure.
pub fn unlock(root: &Path, passphrase: &str) -> Result<Keys, CryptoError> {
    match state(root)? {
        State::New => Err(CryptoError::KeyFileMissing {
            file: key_file(root),
        }),
        State::Encrypted => Ok(Keys::derive(&*unwrap_data_key(root, passphrase)?)),
    }
}

/// Unlocks `root`, or creates its key with `params` when it is new.
pub fn open_or_create(
    root: &Path,
    passphrase: &str,
    params: KdfParams,
) -> Result<Keys, CryptoError> {
    match state(root)? {
        State::New => create(root, passphrase, params),
        State::Encrypted => unlock(root, passphrase),
    }
}

/// Changes the passphrase: the data key is unwrapped with `old` and wrapped again under `new`
/// in a new key file that replaces the old one whole. Nothing else is rewritten.
pub fn change_passphrase(
    root: &Path,
    old: &str,
    new: &str,
    params: KdfParams,
) -> Result<(), CryptoError> {
    check_new_passphrase(new)?;
    if state(root)? == State::New {
        return Err(CryptoError::KeyFileMissing {
            file: key_file(root),
        });
    }
    let data_key = unwrap_data_key(root, old)?;
    write_key_file(root, &data_key, new, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "une phrase de passe";

    #[test]
    fn a_key_unlocks_with_its_passphrase_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert_eq!(state(root).unwrap(), State::New);
        let keys = create(root, PASS, KdfParams::TEST).unwrap();
        assert_eq!(state(root).unwrap(), State::Encrypted);
        let again = unlock(root, PASS).unwrap();
        assert_eq!(
            keys.original_name(&"ab".repeat(32), "pdf"),
            again.original_name(&"ab".repeat(32), "pdf")
        );
        let sealed = keys.drafts().seal("a.docx", b"contenu");
        assert_eq!(again.drafts().open("a.docx", sealed).unwrap(), b"contenu");
        let e = unlock(root, "une autre phrase").unwrap_err();
        assert_eq!(e.code(), "crypto.wrong_passphrase");
        assert_eq!(
            create(root, PASS, KdfParams::TEST).unwrap_err().code(),
            "crypto.write"
        );
    }

    #[test]
    fn new_keys_use_argon2id_with_64_mib_and_three_passes() {
        let tmp = tempfile::tempdir().unwrap();
        create(tmp.path(), PASS, KdfParams::DEFAULT).unwrap();
        let kf: serde_json::Value =
            serde_json::from_slice(&std::fs::read(key_file(tmp.path())).unwrap()).unwrap();
        assert_eq!(kf["kdf"], "argon2id");
        assert_eq!(kf["kdf_params"]["memory_kib"], 65536);
        assert_eq!(kf["kdf_params"]["iterations"], 3);
        assert_eq!(kf["aead"], "xchacha20poly1305");
        unlock(tmp.path(), PASS).unwrap();
    }

    #[test]
    fn sealed_files_are_bound_to_their_key_and_name() {
        let keys = Keys::ephemeral();
        let other = Keys::ephemeral();
        let sealed = keys.originals().seal("x", b"%PDF-1.7 secret");
        assert!(looks_sealed(&sealed));
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(
            keys.originals().open("x", sealed.clone()).unwrap(),
            b"%PDF-1.7 secret"
        );
        assert!(
            keys.originals().open("y", sealed.clone()).is_none(),
            "renamed"
        );
        assert!(
            keys.index().open("x", sealed.clone()).is_none(),
            "another use"
        );
        assert!(
            other.originals().open("x", sealed.clone()).is_none(),
            "another key"
        );
        let mut flipped = sealed;
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(keys.originals().open("x", flipped).is_none(), "altered");
        assert!(
            keys.originals().open("x", b"PRM1".to_vec()).is_none(),
            "truncated"
        );
    }

    #[test]
    fn short_passphrases_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let e = create(tmp.path(), "court", KdfParams::TEST).unwrap_err();
        assert_eq!(e.code(), "crypto.passphrase_too_short");
        assert!(!key_file(tmp.path()).exists());
    }
}
