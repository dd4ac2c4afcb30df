//! `keywrap byok`: a provider's import package from its public wrapping key,
//! and `keywrap byok unwrap`: open one with the private key.
//!
//! ```text
//! keywrap byok --provider aws|gcp|azure|pkcs11 --algorithm NAME [--hash sha1|sha256]
//!              --public-key FILE (--key HEX | --key-file FILE) [--kid URL] [--out FILE]
//! keywrap byok unwrap --provider P --algorithm NAME [--hash H] --private-key FILE
//!              [--in FILE] [--out-format hex|base64|raw]
//! ```
//!
//! NAME is the provider's own spelling (`RSA_AES_KEY_WRAP_SHA_256`,
//! `RSA_OAEP_3072_SHA1_AES_256`, `CKM_RSA_AES_KEY_WRAP`, …). Without
//! `--out`, the package is printed: base64 of the binary file, or Azure's
//! `.byok` JSON. A summary (key size and fingerprint, the file, the command
//! that finishes the import) goes to standard error. Exit status: 1 when
//! the key or the material is wrong for the provider (the specific error on
//! stderr), 2 for a usage error (a missing or malformed option, an unknown
//! algorithm, a hash the algorithm fixes, Azure without `--kid`).

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use keywrap_core::byok::{
    self, AesKeySize, ByokError, MaterialKind, OaepHash, PackageRequest, Provider,
    UnwrappingPrivateKey, WrappingPublicKey,
};
use keywrap_core::encoding::{self, Format};
use zeroize::Zeroizing;

use super::{EXIT_FAILURE, EXIT_USAGE, Fmt};

/// The largest key file read (a PEM private key is under 4 KiB).
const MAX_KEY_FILE: u64 = 64 * 1024;
/// The largest key material or package read.
const MAX_MATERIAL_FILE: u64 = 1024 * 1024;

/// `keywrap byok …`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ByokArgs {
    #[command(subcommand)]
    command: Option<ByokCommand>,
    #[command(flatten)]
    wrap: WrapArgs,
}

#[derive(Subcommand)]
enum ByokCommand {
    /// Open an import package with the RSA private key (for tests, and for
    /// checking your own files) and print the key material.
    Unwrap(UnwrapArgs),
}

#[derive(Args)]
struct WrapArgs {
    /// Who the key is imported into.
    #[arg(long, required = true, value_parser = parse_provider)]
    provider: Option<Provider>,
    /// The provider's algorithm, in its own spelling (e.g. RSA_AES_KEY_WRAP_SHA_256).
    #[arg(long, required = true, value_name = "NAME")]
    algorithm: Option<String>,
    /// The OAEP hash, only where the algorithm's name does not fix it (PKCS#11; default sha256).
    #[arg(long, value_parser = parse_hash)]
    hash: Option<OaepHash>,
    /// PKCS#11 CKM_RSA_AES_KEY_WRAP only: the ephemeral AES key size (default 256).
    #[arg(long, value_name = "BITS")]
    aes_bits: Option<u16>,
    /// The provider's public wrapping key: PEM, DER, or base64 of DER.
    #[arg(long, required = true, value_name = "FILE")]
    public_key: Option<PathBuf>,
    /// The key material in hex.
    #[arg(long, value_name = "HEX", conflicts_with = "key_file")]
    key: Option<String>,
    /// The key material as a raw binary file (e.g. PKCS#8 DER for a private key).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// What the material is: auto (PKCS#8 private key if it parses as one, else symmetric), symmetric, hmac, secret.
    #[arg(long, value_name = "KIND", default_value = "auto", value_parser = parse_kind)]
    material: MaterialKind,
    /// Azure: the key id (URL) of the key-exchange key; required for Azure.
    #[arg(long, value_name = "URL")]
    kid: Option<String>,
    /// Azure: the name of the key to create (names the .byok file and the az command).
    #[arg(long, value_name = "NAME")]
    key_name: Option<String>,
    /// Write the provider's file here; without it the package is printed.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Also print the equivalent OpenSSL 3 commands (on standard error).
    #[arg(long)]
    openssl: bool,
}

#[derive(Args)]
struct UnwrapArgs {
    /// The provider the package was made for.
    #[arg(long, value_parser = parse_provider)]
    provider: Provider,
    /// The algorithm it was made with.
    #[arg(long, value_name = "NAME")]
    algorithm: String,
    /// The OAEP hash, where the algorithm's name does not fix it.
    #[arg(long, value_parser = parse_hash)]
    hash: Option<OaepHash>,
    /// The RSA private key: PEM or DER, PKCS#8 or PKCS#1.
    #[arg(long, value_name = "FILE")]
    private_key: PathBuf,
    /// The package (binary, or Azure's .byok JSON); standard input when absent.
    #[arg(long = "in", value_name = "FILE")]
    input: Option<PathBuf>,
    /// How the key material is printed.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "hex")]
    out_format: Fmt,
}

fn parse_provider(s: &str) -> Result<Provider, String> {
    s.parse()
}

fn parse_hash(s: &str) -> Result<OaepHash, String> {
    s.parse()
}

fn parse_kind(s: &str) -> Result<MaterialKind, String> {
    s.parse()
}

/// Why `byok` stopped.
enum Stop {
    /// Bad input data: exit 1.
    Input(String),
    /// Usage: exit 2.
    Usage(String),
}

impl From<ByokError> for Stop {
    fn from(e: ByokError) -> Stop {
        match e {
            // Errors about the options themselves, not the data.
            ByokError::UnknownAlgorithm { .. }
            | ByokError::HashFixedByAlgorithm { .. }
            | ByokError::AesKeyBits { .. }
            | ByokError::KidRequired
            | ByokError::KidInvalid { .. } => Stop::Usage(e.to_string()),
            other => Stop::Input(other.to_string()),
        }
    }
}

/// Runs `keywrap byok …` and returns its exit status.
pub fn run(args: ByokArgs) -> ExitCode {
    let result = match args.command {
        Some(ByokCommand::Unwrap(unwrap)) => run_unwrap(&unwrap),
        None => run_wrap(&args.wrap),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Input(message)) => {
            eprintln!("keywrap: {message}");
            ExitCode::from(EXIT_FAILURE)
        }
        Err(Stop::Usage(message)) => {
            eprintln!("keywrap: error: {message}\n\nFor more information, try '--help'.");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Reads at most `limit` bytes of `path` into a wiped buffer.
fn read_file(option: &str, path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>, Stop> {
    let file = fs::File::open(path)
        .map_err(|e| Stop::Input(format!("{option} {}: {e}", path.display())))?;
    read_limited(option, file, limit)
}

fn read_limited(option: &str, source: impl Read, limit: u64) -> Result<Zeroizing<Vec<u8>>, Stop> {
    let mut buf = Zeroizing::new(Vec::new());
    source
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Stop::Input(format!("{option}: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(Stop::Input(format!(
            "{option}: more than {limit} bytes; no key or package is that large"
        )));
    }
    Ok(buf)
}

fn missing(option: &str) -> Stop {
    Stop::Usage(format!("{option} is required"))
}

fn run_wrap(args: &WrapArgs) -> Result<(), Stop> {
    let provider = args.provider.ok_or_else(|| missing("--provider"))?;
    let name = args
        .algorithm
        .as_deref()
        .ok_or_else(|| missing("--algorithm"))?;
    let algorithm = provider.algorithm(name)?;
    let aes = args.aes_bits.map(AesKeySize::from_bits).transpose()?;
    let key_path = args
        .public_key
        .as_deref()
        .ok_or_else(|| missing("--public-key"))?;
    let key_bytes = read_file("--public-key", key_path, MAX_KEY_FILE)?;
    let material = match (&args.key, &args.key_file) {
        (Some(hex), None) => {
            encoding::decode(hex, Format::Hex).map_err(|e| Stop::Usage(format!("--key: {e}")))?
        }
        (None, Some(path)) => read_file("--key-file", path, MAX_MATERIAL_FILE)?,
        _ => {
            return Err(Stop::Usage(
                "give the key material: --key HEX or --key-file FILE".into(),
            ));
        }
    };
    if provider == Provider::Azure && args.kid.is_none() {
        return Err(ByokError::KidRequired.into());
    }
    let wrapping_key = WrappingPublicKey::parse(&key_bytes)
        .map_err(|e| Stop::Input(format!("--public-key {}: {e}", key_path.display())))?;
    let request = PackageRequest {
        algorithm,
        hash: args.hash,
        aes,
        wrapping_key: &wrapping_key,
        material: &material,
        material_kind: args.material,
        kid: args.kid.as_deref(),
        key_name: args.key_name.as_deref(),
    };
    let package = byok::prepare(&request)?;
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "wrapping key: RSA-{}, SHA-256 fingerprint {}",
        package.wrapping_bits, package.wrapping_fingerprint
    );
    let _ = writeln!(
        err,
        "{} {}: {} bytes of {} material -> {} bytes",
        provider.display_name(),
        algorithm.name,
        package.material_len,
        package.checked.spec,
        package.file_contents.len()
    );
    match &args.out {
        Some(path) => {
            fs::write(path, &package.file_contents)
                .map_err(|e| Stop::Input(format!("--out {}: {e}", path.display())))?;
            let _ = writeln!(
                err,
                "wrote {} (the provider's name for it: {})",
                path.display(),
                package.file_name
            );
        }
        None => {
            let mut out = io::stdout().lock();
            let text = if provider == Provider::Azure {
                String::from_utf8_lossy(&package.file_contents)
                    .trim_end()
                    .to_owned()
            } else {
                package.file_base64()
            };
            writeln!(out, "{text}").map_err(|e| Stop::Input(e.to_string()))?;
        }
    }
    let _ = writeln!(err, "finish with: {}", package.finishing_command);
    if args.openssl {
        let _ = writeln!(
            err,
            "\nthe same with OpenSSL 3:\n{}",
            package.openssl_commands
        );
    }
    Ok(())
}

fn run_unwrap(args: &UnwrapArgs) -> Result<(), Stop> {
    let algorithm = args.provider.algorithm(&args.algorithm)?;
    // Reject a hash the name fixes before reading any key.
    algorithm.resolve_hash(args.hash)?;
    let key_bytes = read_file("--private-key", &args.private_key, MAX_KEY_FILE)?;
    let private = UnwrappingPrivateKey::parse(&key_bytes)
        .map_err(|e| Stop::Input(format!("--private-key {}: {e}", args.private_key.display())))?;
    let input = match &args.input {
        Some(path) => read_file("--in", path, MAX_MATERIAL_FILE)?,
        None => read_limited("standard input", io::stdin().lock(), MAX_MATERIAL_FILE)?,
    };
    let wrapped = if args.provider == Provider::Azure {
        azure_ciphertext(&input)?
    } else {
        input
    };
    let material = byok::open(algorithm, args.hash, &private, &wrapped)?;
    let format: Format = args.out_format.into();
    let mut out = io::stdout().lock();
    let written = match format {
        Format::Raw => out.write_all(material.expose_secret()),
        Format::Hex | Format::Base64 => {
            let mut text = encoding::encode(material.expose_secret(), format);
            text.push(b'\n');
            out.write_all(&text)
        }
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| Stop::Input(e.to_string()))
}

/// The `ciphertext` of an Azure `.byok` file, after checking its header.
fn azure_ciphertext(file: &[u8]) -> Result<Zeroizing<Vec<u8>>, Stop> {
    let bad = |detail: &str| {
        Stop::Input(
            ByokError::MalformedByokFile {
                detail: detail.to_owned(),
            }
            .to_string(),
        )
    };
    let json: serde_json::Value =
        serde_json::from_slice(file).map_err(|e| bad(&format!("not JSON: {e}")))?;
    let field = |path: &[&str]| {
        path.iter()
            .try_fold(&json, |v, k| v.get(k))
            .and_then(serde_json::Value::as_str)
    };
    if field(&["schema_version"]) != Some("1.0.0") {
        return Err(bad("schema_version is not \"1.0.0\""));
    }
    if field(&["header", "alg"]) != Some("dir")
        || field(&["header", "enc"]) != Some("CKM_RSA_AES_KEY_WRAP")
    {
        return Err(bad(
            "the header is not alg \"dir\", enc \"CKM_RSA_AES_KEY_WRAP\"",
        ));
    }
    let text = field(&["ciphertext"]).ok_or_else(|| bad("there is no \"ciphertext\" string"))?;
    encoding::decode(text, Format::Base64).map_err(|e| bad(&format!("ciphertext: {e}")))
}
