//! `keywrap`: Keywrap Console's engine on the command line.
//!
//! ```text
//! keywrap wrap   --kek HEX [--iv HEX] [--mode kw|kwp|kw-pkcs5] [--in-format F] [--out-format F] [DATA | -]
//! keywrap unwrap --kek HEX [--iv HEX] [--mode kw|kwp|kw-pkcs5] [--in-format F] [--out-format F] [DATA | -]
//! keywrap kcv    --key HEX [--method ecb|cmac]
//! keywrap trace wrap|unwrap …   (the options of wrap / unwrap)
//! keywrap byok --provider P --algorithm NAME --public-key FILE (--key HEX | --key-file FILE) …
//! ```
//!
//! Exit status: 0 on success; 1 when the operation fails (bad input data,
//! integrity check failed, …), with the specific error on stderr; 2 for a
//! usage error (unknown option, missing or malformed option value such as
//! a KEK of the wrong length).
//!
//! Built only with the `cli` feature:
//! `cargo run -p keywrap-core --features cli --bin keywrap -- wrap --kek …`.

mod byok;
mod repl;

use std::io::{self, Read, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use keywrap_core::encoding::{self, Format};
use keywrap_core::kcv::{self, KcvMethod};
use keywrap_core::wrap::MAX_WRAPPED_LEN;
use keywrap_core::wrap::trace::{ExpectedIv, Padding, Registers, Rounds, Step};
use keywrap_core::{Error, Iv, Kek, Mechanism, SecretBytes};
use zeroize::Zeroizing;

/// Exit status when the operation itself fails.
const EXIT_FAILURE: u8 = 1;
/// Exit status for a usage error (what clap also uses).
const EXIT_USAGE: u8 = 2;

const AFTER_HELP: &str = "\
Exit status: 0 success; 1 the operation failed (the error is on stderr); 2 usage error.
Hex input may contain spaces, ':' separators and a leading 0x; base64 may contain line breaks.
Note: options on a command line are visible to other local users (ps); this is a teaching tool.";

#[derive(Parser)]
#[command(
    name = "keywrap",
    version,
    about = "AES key wrap (RFC 3394 KW, RFC 5649 KWP, CloudHSM KW-PKCS#5) with a visible IV and every step",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The sub-commands. To add one, add a variant here and an arm in [`run`].
#[derive(Subcommand)]
enum Command {
    /// Wrap key data under a KEK and print the wrapped key.
    Wrap(WrapArgs),
    /// Unwrap a wrapped key, check its integrity and print the key data.
    Unwrap(WrapArgs),
    /// Print the key check value (KCV) of an AES key.
    Kcv(KcvArgs),
    /// Print every step of the wrapping function W or its inverse (at most
    /// 512 bytes, 64 semiblocks, of key data).
    #[command(subcommand)]
    Trace(TraceCommand),
    /// The virtual HSM's key_mgmt_util console: a REPL on a terminal, a
    /// script (each line echoed as `Command:`) otherwise.
    Console(repl::ConsoleArgs),
    /// Bring your own key: a cloud KMS's import package from its public
    /// wrapping key (`byok unwrap` opens one with the private key).
    Byok(byok::ByokArgs),
}

#[derive(Subcommand)]
enum TraceCommand {
    /// Trace a wrap: the registers, each of the 6n steps, the result.
    Wrap(WrapArgs),
    /// Trace an unwrap, including a failed integrity check.
    Unwrap(WrapArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    /// RFC 3394 AES-KW (NIST SP 800-38F KW).
    Kw,
    /// RFC 5649 AES-KWP (NIST SP 800-38F KWP).
    Kwp,
    /// CloudHSM's AES_KEY_WRAP_PAD_PKCS5: PKCS#5 padding, then KW (vendor).
    #[value(name = "kw-pkcs5")]
    KwPkcs5,
}

impl From<Mode> for Mechanism {
    fn from(m: Mode) -> Mechanism {
        match m {
            Mode::Kw => Mechanism::Kw,
            Mode::Kwp => Mechanism::Kwp,
            Mode::KwPkcs5 => Mechanism::KwPkcs5,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Fmt {
    /// Hexadecimal.
    Hex,
    /// Base64.
    Base64,
    /// The bytes themselves.
    Raw,
}

impl From<Fmt> for Format {
    fn from(f: Fmt) -> Format {
        match f {
            Fmt::Hex => Format::Hex,
            Fmt::Base64 => Format::Base64,
            Fmt::Raw => Format::Raw,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Method {
    /// First 3 bytes of AES-ECB(key, zero block): CloudHSM, SoftHSM2.
    Ecb,
    /// First 3 bytes of AES-CMAC(key, zero block): payment-industry tools.
    Cmac,
}

#[derive(Args)]
struct WrapArgs {
    /// The key-encryption key: 16, 24 or 32 bytes in hex.
    #[arg(long, value_name = "HEX")]
    kek: String,
    /// A custom 8-byte IV in hex (KW and kw-pkcs5 only; default A6A6A6A6A6A6A6A6).
    #[arg(long, value_name = "HEX", value_parser = parse_iv)]
    iv: Option<Iv>,
    /// The mechanism.
    #[arg(long, value_enum, default_value = "kw")]
    mode: Mode,
    /// How DATA (or standard input) is encoded.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "hex")]
    in_format: Fmt,
    /// How the result is printed.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "hex")]
    out_format: Fmt,
    /// The input; '-' or nothing reads standard input.
    #[arg(value_name = "DATA")]
    data: Option<String>,
}

#[derive(Args)]
struct KcvArgs {
    /// The AES key: 16, 24 or 32 bytes in hex.
    #[arg(long, value_name = "HEX")]
    key: String,
    /// How the check value is computed.
    #[arg(long, value_enum, default_value = "ecb")]
    method: Method,
}

fn parse_iv(s: &str) -> Result<Iv, String> {
    Iv::parse_hex(s).map_err(|e| e.to_string())
}

/// Why the command stopped.
enum Failure {
    /// The operation failed: exit 1.
    Operation(Error),
    /// An I/O error: exit 1.
    Io(io::Error),
    /// An option had a bad value: exit 2.
    Usage(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Operation(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print and exit 0; real usage errors exit 2.
        Err(e) => e.exit(),
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(Failure::Operation(e)) => {
            eprintln!("keywrap: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
        Err(Failure::Io(e)) => {
            eprintln!("keywrap: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("keywrap: error: {message}\n\nFor more information, try '--help'.");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Console(args) => return repl::run(&args).map_err(Failure::Io),
        Command::Byok(args) => return Ok(byok::run(args)),
        Command::Wrap(args) => {
            let (kek, input) = prepare(&args)?;
            let wrapped = keywrap_core::wrap(&kek, args.mode.into(), args.iv.as_ref(), &input)?;
            write_output(&wrapped, args.out_format.into())?;
        }
        Command::Unwrap(args) => {
            let (kek, input) = prepare(&args)?;
            let key = keywrap_core::unwrap(&kek, args.mode.into(), args.iv.as_ref(), &input)?;
            write_output(key.expose_secret(), args.out_format.into())?;
        }
        Command::Kcv(args) => {
            let key = decode_key_option("--key", &args.key)?;
            let method = match args.method {
                Method::Ecb => KcvMethod::Ecb,
                Method::Cmac => KcvMethod::Cmac,
            };
            let value = kcv::key_check_value(&key, method).map_err(|e| usage("--key", &e))?;
            println!("{}", encoding::encode_hex(&value));
        }
        Command::Trace(TraceCommand::Wrap(args)) => {
            let (kek, input) = prepare(&args)?;
            let mechanism = args.mode.into();
            let trace = keywrap_core::trace_wrap(&kek, mechanism, args.iv.as_ref(), &input)?;
            let mut out = io::stdout().lock();
            print_wrap_trace(&mut out, &trace, &kek)?;
        }
        Command::Trace(TraceCommand::Unwrap(args)) => {
            let (kek, input) = prepare(&args)?;
            let mechanism = args.mode.into();
            let trace = keywrap_core::trace_unwrap(&kek, mechanism, args.iv.as_ref(), &input)?;
            {
                let mut out = io::stdout().lock();
                print_unwrap_trace(&mut out, &trace, &kek)?;
            }
            if let Err(e) = &trace.outcome {
                return Err(Failure::Operation(e.clone()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn usage(option: &str, e: &Error) -> Failure {
    Failure::Usage(format!("{option}: {e}"))
}

/// Decodes a secret hex option without ever echoing its value.
fn decode_key_option(option: &str, text: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    encoding::decode(text, Format::Hex).map_err(|e| usage(option, &e))
}

/// The KEK and the decoded input of a wrap, unwrap or trace.
fn prepare(args: &WrapArgs) -> Result<(Kek, Zeroizing<Vec<u8>>), Failure> {
    let kek_bytes = decode_key_option("--kek", &args.kek)?;
    let kek = Kek::new(&kek_bytes).map_err(|e| usage("--kek", &e))?;
    let mechanism: Mechanism = args.mode.into();
    if args.iv.is_some() && !mechanism.takes_custom_iv() {
        return Err(usage("--iv", &Error::IvNotAllowed { mechanism }));
    }
    let format: Format = args.in_format.into();
    let input = match args.data.as_deref() {
        Some(text) if text != "-" => encoding::decode(text, format)?,
        _ => {
            let stdin = read_stdin(format)?;
            encoding::decode_bytes(&stdin, format)?
        }
    };
    Ok((kek, input))
}

/// Reads standard input, refusing more than any operation could take.
fn read_stdin(format: Format) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let limit = match format {
        // Two digits a byte, plus room for separators and line breaks.
        Format::Hex => MAX_WRAPPED_LEN * 3 + 4096,
        Format::Base64 => MAX_WRAPPED_LEN / 3 * 4 + MAX_WRAPPED_LEN / 16 + 4096,
        Format::Raw => MAX_WRAPPED_LEN,
    };
    read_limited(&mut io::stdin().lock(), limit)
}

/// The first buffer [`read_limited`] allocates: enough for any key or blob a
/// person pastes, so most reads never grow.
const FIRST_READ_BUFFER: usize = 64 * 1024;

/// Reads `reader` to its end into a wiped-on-drop buffer, refusing more than
/// `limit` bytes.
///
/// `read_to_end` would grow a `Vec` by reallocation, and a reallocation frees
/// the old block without wiping it: a copy of the key would stay in freed
/// memory. Here the buffer is always fully initialised (`len == capacity`,
/// zeros beyond what was read), bytes are read into its unfilled tail, and
/// growing allocates a new `Zeroizing` buffer, copies, and drops the old one,
/// which wipes it.
fn read_limited(reader: &mut impl Read, limit: usize) -> Result<Zeroizing<Vec<u8>>, Failure> {
    // One byte past the limit tells "too large" from "exactly the limit".
    let most = limit.saturating_add(1);
    let mut buf = Zeroizing::new(vec![0u8; FIRST_READ_BUFFER.min(most)]);
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            if filled >= most {
                return Err(Failure::Operation(Error::InputTooLarge {
                    len: filled,
                    max: limit,
                }));
            }
            let mut bigger = Zeroizing::new(vec![0u8; buf.len().saturating_mul(2).min(most)]);
            if let (Some(to), Some(from)) = (bigger.get_mut(..filled), buf.get(..filled)) {
                to.copy_from_slice(from);
            }
            // The old buffer is dropped here, and wiped.
            buf = bigger;
        }
        let Some(tail) = buf.get_mut(filled..) else {
            break;
        };
        match reader.read(tail) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Failure::Io(e)),
        }
    }
    // Shrinking the length keeps the allocation (and its zeros); it is wiped,
    // whole capacity included, when the caller drops it.
    buf.truncate(filled);
    Ok(buf)
}

fn write_output(bytes: &[u8], format: Format) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match format {
        Format::Raw => out.write_all(bytes)?,
        Format::Hex | Format::Base64 => out.write_all(&encoded_line(bytes, format))?,
    }
    out.flush()?;
    Ok(())
}

/// `bytes` in hex or base64 with a line break, built in one buffer sized up
/// front: pushing `\n` onto the full buffer `encode` returns would reallocate
/// it and free an unwiped copy of the key's text.
fn encoded_line(bytes: &[u8], format: Format) -> Zeroizing<Vec<u8>> {
    let text = encoding::encode(bytes, format);
    let mut line = Zeroizing::new(Vec::with_capacity(text.len().saturating_add(1)));
    line.extend_from_slice(&text);
    line.push(b'\n');
    line
}

fn hex(bytes: &[u8]) -> String {
    encoding::encode_hex_upper(bytes)
}

fn print_registers(out: &mut impl Write, title: &str, regs: &Registers) -> io::Result<()> {
    writeln!(out, "{title}:")?;
    writeln!(out, "  A     = {}", hex(&regs.a))?;
    for (k, r) in regs.r.iter().enumerate() {
        writeln!(out, "  R[{}]{} = {}", k + 1, pad_index(k + 1), hex(r))?;
    }
    Ok(())
}

fn pad_index(i: usize) -> &'static str {
    match i {
        0..=9 => " ",
        _ => "",
    }
}

fn print_steps(out: &mut impl Write, rounds: &Rounds, unwrap: bool) -> io::Result<()> {
    match rounds {
        Rounds::SingleBlock { input, output } => {
            writeln!(
                out,
                "One semiblock of key data: a single AES block {} (RFC 5649 §4.{}), no W.",
                if unwrap { "decryption" } else { "encryption" },
                if unwrap { 2 } else { 1 }
            )?;
            writeln!(out, "  input  = {}", hex(input))?;
            writeln!(out, "  output = {}", hex(output))?;
        }
        Rounds::W(steps) => {
            if unwrap {
                writeln!(
                    out,
                    "W^-1, {} steps: B = AES-1(K, (A ^ t) | R[i]); A = MSB64(B); R[i] = LSB64(B)",
                    steps.len()
                )?;
            } else {
                writeln!(
                    out,
                    "W, {} steps: B = AES(K, A | R[i]); A = MSB64(B) ^ t; R[i] = LSB64(B)",
                    steps.len()
                )?;
            }
            writeln!(
                out,
                " j    i     t  A before          R[i] before       B (AES output)                    A after           R[i] after"
            )?;
            for s in steps {
                print_step(out, s)?;
            }
        }
    }
    Ok(())
}

fn print_step(out: &mut impl Write, s: &Step) -> io::Result<()> {
    writeln!(
        out,
        "{:>2} {:>4} {:>5}  {}  {}  {}  {}  {}",
        s.j,
        s.i,
        s.t,
        hex(&s.a_before),
        hex(&s.r_before),
        hex(&s.b),
        hex(&s.a_after),
        hex(&s.r_after)
    )
}

fn print_wrap_trace(
    out: &mut impl Write,
    t: &keywrap_core::WrapTrace,
    kek: &Kek,
) -> io::Result<()> {
    writeln!(
        out,
        "{} wrap, KEK {}, n = {} semiblock{}",
        t.mechanism,
        kek.algorithm(),
        t.n,
        if t.n == 1 { "" } else { "s" }
    )?;
    match t.padding {
        Padding::None => writeln!(out, "Padding: none")?,
        Padding::KwpZeros { mli, zeros } => writeln!(
            out,
            "Padding: {zeros} zero bytes after {mli} bytes of key data (MLI = {mli} = 0x{mli:08X})"
        )?,
        Padding::Pkcs5 { pad_byte } => writeln!(
            out,
            "Padding: PKCS#5, {pad_byte} bytes of value 0x{pad_byte:02X}"
        )?,
    }
    writeln!(out, "Initial value: {}", hex(&t.initial_value))?;
    print_registers(out, "Initial registers", &t.initial_registers)?;
    print_steps(out, &t.rounds, false)?;
    print_registers(
        out,
        "Final registers (C[0] = A, C[i] = R[i])",
        &t.final_registers,
    )?;
    writeln!(
        out,
        "Wrapped ({} bytes): {}",
        t.output.len(),
        encoding::encode_hex(&t.output)
    )
}

fn print_unwrap_trace(
    out: &mut impl Write,
    t: &keywrap_core::UnwrapTrace,
    kek: &Kek,
) -> io::Result<()> {
    writeln!(
        out,
        "{} unwrap, KEK {}, n = {} semiblock{}",
        t.mechanism,
        kek.algorithm(),
        t.n,
        if t.n == 1 { "" } else { "s" }
    )?;
    print_registers(
        out,
        "Initial registers (A = C[0], R[i] = C[i])",
        &t.initial_registers,
    )?;
    print_steps(out, &t.rounds, true)?;
    print_registers(out, "Final registers", &t.final_registers)?;
    let expected = match t.iv_check.expected {
        ExpectedIv::Exact(iv) => iv.to_string(),
        e @ ExpectedIv::KwpPrefix(_) => e.to_string(),
    };
    writeln!(
        out,
        "Integrity check: recovered A = {}, expected {} ... {}",
        hex(&t.iv_check.recovered),
        expected,
        if t.iv_check.passed { "ok" } else { "FAILED" }
    )?;
    if let Some(k) = &t.kwp {
        writeln!(
            out,
            "Length indicator: MLI = {} (0x{:08X}), allowed {} to {} ... {}",
            k.mli,
            k.mli,
            k.min,
            k.max,
            if k.mli_in_range { "ok" } else { "OUT OF RANGE" }
        )?;
        match k.padding_zero {
            Some(zero) => writeln!(
                out,
                "Padding: {} byte(s) [{}] ... {}",
                k.padding.len(),
                hex(&k.padding),
                if zero { "all zero, ok" } else { "NOT ZERO" }
            )?,
            None => writeln!(out, "Padding: not checked (MLI out of range)")?,
        }
    }
    if let Some(p) = &t.pkcs5 {
        writeln!(
            out,
            "PKCS#5 padding: last byte 0x{:02X} ... {}",
            p.pad_byte,
            if p.valid { "ok" } else { "INVALID" }
        )?;
    }
    match &t.outcome {
        Ok(key) => write_key_line(out, key),
        Err(e) => writeln!(out, "Result: no key data ({e})"),
    }
}

fn write_key_line(out: &mut impl Write, key: &SecretBytes) -> io::Result<()> {
    let text = Zeroizing::new(encoding::encode_hex(key.expose_secret()));
    writeln!(out, "Key data ({} bytes): {}", key.len(), text.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `chunk` bytes a call, as a pipe does.
    struct Trickle<'a> {
        data: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(out.len()).min(self.data.len());
            let (now, rest) = self.data.split_at(n);
            out.get_mut(..n)
                .ok_or_else(|| io::Error::other("short buffer"))?
                .copy_from_slice(now);
            self.data = rest;
            Ok(n)
        }
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| u8::try_from(i % 251).unwrap_or(0))
            .collect()
    }

    #[test]
    fn stdin_reads_everything_across_chunks_and_growth() {
        // Past the first buffer, so the read grows twice; odd chunk sizes
        // cross every boundary.
        let data = pattern(FIRST_READ_BUFFER * 3 + 17);
        for chunk in [1, 7, 4096, FIRST_READ_BUFFER + 1] {
            let mut reader = Trickle { data: &data, chunk };
            let got = read_limited(&mut reader, data.len()).map_err(|_| "refused");
            assert_eq!(
                got.as_deref().map(|v| v.as_slice()),
                Ok(data.as_slice()),
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn stdin_takes_exactly_the_limit_and_refuses_one_byte_more() {
        let data = pattern(1000);
        let mut at_limit = Trickle {
            data: &data,
            chunk: 333,
        };
        assert_eq!(
            read_limited(&mut at_limit, 1000).map(|v| v.len()).ok(),
            Some(1000)
        );
        let mut over = Trickle {
            data: &data,
            chunk: 333,
        };
        match read_limited(&mut over, 999) {
            Err(Failure::Operation(Error::InputTooLarge { len, max })) => {
                assert_eq!((len, max), (1000, 999));
            }
            other => panic!("expected InputTooLarge, got ok={}", other.is_ok()),
        }
    }

    #[test]
    fn stdin_empty_input_is_empty() {
        let mut empty = Trickle {
            data: &[],
            chunk: 1,
        };
        assert_eq!(read_limited(&mut empty, 10).map(|v| v.len()).ok(), Some(0));
    }

    #[test]
    fn the_output_line_never_outgrows_its_first_allocation() {
        // encode() returns a buffer with no room to spare; the line is sized
        // for the text and its line break up front, so the push never moves it.
        for len in [0, 1, 16, 32, 1000] {
            let key = pattern(len);
            for format in [Format::Hex, Format::Base64] {
                let line = encoded_line(&key, format);
                let text = encoding::encode(&key, format);
                assert_eq!(line.capacity(), text.len() + 1, "{len} bytes, {format:?}");
                assert_eq!(line.len(), line.capacity());
                assert_eq!(line.last(), Some(&b'\n'));
                assert_eq!(line.get(..text.len()), Some(text.as_slice()));
            }
        }
    }
}
