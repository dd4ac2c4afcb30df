//! RSA key pairs and the RSA wrapping mechanisms in CloudHSM CLI's
//! spelling: `key generate-asymmetric-pair rsa`, `key import pem`, and
//! `key wrap rsa-aes|rsa-oaep` / `key unwrap rsa-aes|rsa-oaep` with
//! `--hash-function` and `--mgf`. Each spells one [`ops_rsa`] call; the
//! replies are AWS's (`public_key` / `private_key`, the `key wrap` fields).

use serde_json::json;

use super::parse::{CliLine, reference};
use super::{Ran, Refused, Reply, from_op, key_type_of, ran, select_one, usage};
use crate::byok::OaepHash;
use crate::cloudhsm_cli::CliError;
use crate::hsm::ops::{OutFile, WrappedInput};
use crate::hsm::ops_rsa::{self, PublicImportSpec, RsaPairSpec};
use crate::hsm::{FileOrigin, HsmState, KeySource};
use crate::wrap::RsaMechanism;

/// The RSA mechanism the line names (`rsa-aes`, `rsa-oaep`), if it names one.
pub(super) fn mechanism(cli: &CliLine) -> Option<RsaMechanism> {
    cli.choice.as_deref().and_then(RsaMechanism::from_cli_name)
}

/// `--hash-function` and `--mgf`, both required with the RSA mechanisms.
/// AWS offers sha1 to sha512 for both; this HSM's OAEP takes SHA-1 or
/// SHA-256, and one hash for the label and MGF1 (as every cloud import
/// does), so `--mgf` must name the same hash.
fn hash(cli: &CliLine) -> Result<OaepHash, CliError> {
    let c = cli.command;
    let hash = match cli.req("--hash-function")? {
        "sha1" => OaepHash::Sha1,
        "sha256" => OaepHash::Sha256,
        other @ ("sha224" | "sha384" | "sha512") => {
            return Err(usage(
                c,
                format!("--hash-function {other}: this HSM's RSA-OAEP takes sha1 or sha256"),
            ));
        }
        other => {
            return Err(usage(
                c,
                format!("--hash-function takes sha1 or sha256, not \"{other}\""),
            ));
        }
    };
    let mgf = cli.req("--mgf")?;
    let expected = match hash {
        OaepHash::Sha1 => "mgf1-sha1",
        OaepHash::Sha256 => "mgf1-sha256",
    };
    if mgf != expected {
        return Err(usage(
            c,
            format!(
                "--mgf {mgf}: this HSM's RSA-OAEP uses the OAEP hash for MGF1 too: give --mgf {expected}"
            ),
        ));
    }
    Ok(hash)
}

/// The AES mechanisms take no hash: `--hash-function` and `--mgf` belong to
/// `rsa-aes` and `rsa-oaep`.
pub(super) fn refuse_hash_flags(cli: &CliLine) -> Result<(), CliError> {
    for flag in ["--hash-function", "--mgf"] {
        if cli.has(flag) {
            return Err(usage(
                cli.command,
                format!("{flag} is valid only with rsa-aes and rsa-oaep"),
            ));
        }
    }
    Ok(())
}

/// `key wrap rsa-aes|rsa-oaep --payload-filter … --wrapping-filter …
/// --hash-function … --mgf … [--path FILE]`.
pub(super) fn wrap(
    state: &HsmState,
    keys: &mut dyn KeySource,
    cli: &CliLine,
    mechanism: RsaMechanism,
) -> Result<Ran, Refused> {
    let hash = hash(cli)?;
    let key = select_one(state, cli, "--payload-filter")?;
    let wrapping = select_one(state, cli, "--wrapping-filter")?;
    let spec = ops_rsa::RsaWrapSpec {
        key,
        wrapping,
        mechanism,
        hash,
        out: cli.opt("--path").map(|name| OutFile {
            name,
            origin: FileOrigin::WrapKey {
                key,
                wrapping,
                header: false,
            },
        }),
    };
    let planned = ops_rsa::wrap(state, keys, &spec).map_err(from_op("key wrap"))?;
    let data = json!({
        "payload_key_reference": reference(key),
        "wrapping_key_reference": reference(wrapping),
        "wrapped_key_data": crate::encoding::encode_base64(&planned.result.package),
    });
    Ok(ran(
        planned,
        Reply::Data(data),
        vec![key, wrapping],
        "key wrap",
    ))
}

/// `key unwrap rsa-aes|rsa-oaep --filter <private key> --hash-function …
/// --mgf … --key-type-class aes|generic-secret --label L (--data-path F |
/// --data B64) [--attributes …] [--session]`.
pub(super) fn unwrap(
    state: &HsmState,
    cli: &CliLine,
    mechanism: RsaMechanism,
) -> Result<Ran, Refused> {
    let c = cli.command;
    let hash = hash(cli)?;
    let unwrapping = select_one(state, cli, "--filter")?;
    let key_type = key_type_of(c, cli.req("--key-type-class")?)?;
    let label = cli.req("--label")?;
    let decoded;
    let input = match (cli.opt("--data-path"), cli.opt("--data")) {
        (Some(path), None) => WrappedInput::File(path),
        (None, Some(text)) => {
            decoded = crate::encoding::decode(text, crate::encoding::Format::Base64)
                .map_err(|e| usage(c, format!("--data: {e}")))?;
            WrappedInput::Bytes(&decoded)
        }
        _ => return Err(usage(c, "give exactly one of --data-path and --data").into()),
    };
    let template = super::unwrap_template(cli, label, key_type)?;
    let spec = ops_rsa::RsaUnwrapSpec {
        input,
        unwrapping,
        mechanism,
        hash,
        template,
    };
    let planned = ops_rsa::unwrap(state, &spec).map_err(from_op("key unwrap"))?;
    let handle = planned.result;
    Ok(ran(
        planned,
        Reply::Key(handle),
        vec![unwrapping],
        "key unwrap",
    ))
}

/// `key generate-asymmetric-pair rsa --public-label … --private-label …
/// --modulus-size-bits N --public-exponent 65537 [--session]`.
pub(super) fn generate(
    state: &HsmState,
    keys: &mut dyn KeySource,
    cli: &CliLine,
) -> Result<Ran, Refused> {
    let public_label = cli.req("--public-label")?;
    let private_label = cli.req("--private-label")?;
    let bits = cli.number("--modulus-size-bits", cli.req("--modulus-size-bits")?)?;
    let exponent = cli.number("--public-exponent", cli.req("--public-exponent")?)?;
    let spec = RsaPairSpec {
        modulus_bits: u64::from(bits),
        public_exponent: u64::from(exponent),
        public_label,
        private_label,
        id: "",
        extractable: true,
        token: !cli.has("--session"),
    };
    let planned = ops_rsa::generate_pair(state, keys, &spec)
        .map_err(from_op("key generate-asymmetric-pair"))?;
    let pair = planned.result;
    Ok(ran(
        planned,
        Reply::KeyPair {
            public: pair.public,
            private: pair.private,
        },
        Vec::new(),
        "key generate-asymmetric-pair",
    ))
}

/// `key import pem --path FILE --label L [--key-type-class rsa-public] [--session]`.
pub(super) fn import_pem(state: &HsmState, cli: &CliLine) -> Result<Ran, Refused> {
    let c = cli.command;
    match cli.opt("--key-type-class") {
        None | Some("rsa-public") => {}
        Some("ec-public") => {
            return Err(usage(c, "ec-public keys are not held by this HSM: use rsa-public").into());
        }
        Some(other) => {
            return Err(usage(
                c,
                format!("--key-type-class takes rsa-public here, not \"{other}\""),
            )
            .into());
        }
    }
    let spec = PublicImportSpec {
        input: WrappedInput::File(cli.req("--path")?),
        label: cli.req("--label")?,
        id: "",
        token: !cli.has("--session"),
    };
    let planned = ops_rsa::import_public(state, &spec).map_err(from_op("key import pem"))?;
    let handle = planned.result;
    Ok(ran(
        planned,
        Reply::Key(handle),
        Vec::new(),
        "key import pem",
    ))
}

/// The RSA attributes CloudHSM CLI shows of an RSA key, by AWS's names.
/// (`modulus` itself is left out: 512 hex digits say nothing a person
/// reads; the size and the fingerprint-like KCV identify the key.)
pub(super) fn rsa_attributes(
    a: &crate::store::KeyAttributes,
    m: &mut serde_json::Map<String, serde_json::Value>,
) {
    // AWS's order (`key generate-asymmetric-pair rsa`, `key import pem`):
    // public-exponent, modulus, modulus-size-bits, for both halves; the
    // values are the public key's, `0x` and lowercase hex as check-value.
    // AWS also prints key-length-bytes (512 for a 2048-bit public key,
    // 1216 for its private key) by a rule it does not document; this HSM
    // leaves it out rather than print a number of its own.
    if let Some(rsa) = &a.rsa {
        use crate::encoding::encode_hex;
        m.insert(
            "public-exponent".into(),
            format!("0x{}", encode_hex(&rsa.public_exponent_bytes())).into(),
        );
        m.insert(
            "modulus".into(),
            format!("0x{}", encode_hex(&rsa.modulus)).into(),
        );
        m.insert("modulus-size-bits".into(), rsa.modulus_bits.into());
    }
}

/// The CLI's class names.
pub(super) fn class_name(class: crate::store::KeyClass) -> &'static str {
    match class {
        crate::store::KeyClass::Public => "public-key",
        crate::store::KeyClass::Private => "private-key",
        crate::store::KeyClass::Secret => "secret-key",
    }
}
