//! This crate's AES-KW beside RustCrypto's `aes-kw`, in one run.
//!
//! `cargo bench -p keywrap-core --bench wrap` measures wrap and unwrap of
//! 16, 32, 64, 4096 bytes and 1 MiB under 128- and 256-bit KEKs with
//! Criterion (groups `wrap/aes-128/4096` etc., functions `keywrap-core` and
//! `aes-kw`), then prints a table of time ratios (ours / aes-kw) from an
//! interleaved measurement of its own, so that both sides see the same
//! machine load. The target is a ratio of at most 1.10. A benchmark reports;
//! it never fails.
//!
//! Both sides do the same work per call: the KEK is expanded once, outside
//! the loop, and each call allocates its output (`aes-kw` writes into a
//! fresh `Vec`, as a caller would).
//!
//! A second table (group `batch/aes-256/10000`) wraps and unwraps 10,000
//! 256-bit keys: `wrap_many` (keys interleaved through the cipher's parallel
//! blocks) beside `wrap` one by one and beside `aes-kw` one by one. On an
//! x86_64 machine with AES-NI (`aes::hardware_accelerated()`, printed), the
//! `aes-kw` row is the ceiling the page cannot have: hardware AES, which
//! wasm32 has no access to; the browser benchmark measures the page's
//! software AES (`scripts/bench.sh browser`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes_kw::cipher::KeyInit;
use criterion::{BenchmarkId, Criterion, Throughput};
use keywrap_core::wrap::{unwrap_many, wrap_many};
use keywrap_core::{Kek, Mechanism, unwrap, wrap};

const SIZES: [usize; 5] = [16, 32, 64, 4096, 1 << 20];

/// `aes-kw`'s KW for one KEK size.
enum Theirs {
    Aes128(aes_kw::KwAes128),
    Aes256(aes_kw::KwAes256),
}

impl Theirs {
    fn new(kek: &[u8]) -> Option<Theirs> {
        match kek.len() {
            16 => aes_kw::KwAes128::new_from_slice(kek)
                .ok()
                .map(Theirs::Aes128),
            32 => aes_kw::KwAes256::new_from_slice(kek)
                .ok()
                .map(Theirs::Aes256),
            _ => None,
        }
    }

    fn wrap(&self, data: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; data.len() + 8];
        let ok = match self {
            Theirs::Aes128(k) => k.wrap_key(data, &mut out).is_ok(),
            Theirs::Aes256(k) => k.wrap_key(data, &mut out).is_ok(),
        };
        if !ok {
            out.clear();
        }
        out
    }

    fn unwrap(&self, blob: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; blob.len().saturating_sub(8)];
        let ok = match self {
            Theirs::Aes128(k) => k.unwrap_key(blob, &mut out).is_ok(),
            Theirs::Aes256(k) => k.unwrap_key(blob, &mut out).is_ok(),
        };
        if !ok {
            out.clear();
        }
        out
    }
}

struct Case {
    bits: usize,
    size: usize,
    ours: Kek,
    theirs: Theirs,
    data: Vec<u8>,
    blob: Vec<u8>,
}

fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    for bits in [128usize, 256] {
        let kek: Vec<u8> = (0..=u8::MAX).take(bits / 8).map(|i| i ^ 0x3c).collect();
        for size in SIZES {
            let data: Vec<u8> = (0..=u8::MAX)
                .cycle()
                .take(size)
                .map(|i| i.wrapping_mul(13))
                .collect();
            let (Ok(ours), Some(theirs)) = (Kek::new(&kek), Theirs::new(&kek)) else {
                eprintln!("bench setup: KEK of {bits} bits refused");
                continue;
            };
            let blob = wrap(&ours, Mechanism::Kw, None, &data).unwrap_or_default();
            if blob != theirs.wrap(&data) {
                eprintln!("bench setup: the two implementations disagree at {size} bytes");
            }
            v.push(Case {
                bits,
                size,
                ours,
                theirs,
                data,
                blob,
            });
        }
    }
    v
}

fn ours_wrap(c: &Case) -> usize {
    wrap(&c.ours, Mechanism::Kw, None, black_box(&c.data)).map_or(0, |v| v.len())
}

fn ours_unwrap(c: &Case) -> usize {
    unwrap(&c.ours, Mechanism::Kw, None, black_box(&c.blob)).map_or(0, |k| k.len())
}

fn theirs_wrap(c: &Case) -> usize {
    c.theirs.wrap(black_box(&c.data)).len()
}

fn theirs_unwrap(c: &Case) -> usize {
    c.theirs.unwrap(black_box(&c.blob)).len()
}

fn criterion_benches(crit: &mut Criterion, cases: &[Case]) {
    type Op = fn(&Case) -> usize;
    let ops: [(&str, Op, Op); 2] = [
        ("wrap", ours_wrap, theirs_wrap),
        ("unwrap", ours_unwrap, theirs_unwrap),
    ];
    for (op, ours, theirs) in ops {
        for c in cases {
            let mut group = crit.benchmark_group(format!("{op}/aes-{}/{}", c.bits, c.size));
            group.throughput(Throughput::Bytes(c.size as u64));
            if c.size >= 4096 {
                group.sample_size(20);
            }
            group.bench_function(BenchmarkId::from_parameter("keywrap-core"), |b| {
                b.iter(|| ours(c))
            });
            group.bench_function(BenchmarkId::from_parameter("aes-kw"), |b| {
                b.iter(|| theirs(c))
            });
            group.finish();
        }
    }
}

/// Time of `iters` calls, in nanoseconds per call.
fn per_call(iters: u32, f: impl Fn() -> usize) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(iters)
}

/// Times the two sides back to back for `ROUNDS` rounds of about 20 ms each
/// and returns (best time ours, best time theirs, median of the per-round
/// ratios). The best time of each side is the least disturbed by other
/// processes; the ratio of the two is the headline figure.
fn ratio(c: &Case, ours: fn(&Case) -> usize, theirs: fn(&Case) -> usize) -> (f64, f64, f64) {
    let probe = per_call(3, || ours(c)).max(1.0);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "clamped to 1..=1e6 right after; a NaN or huge quotient saturates"
    )]
    let iters = ((20_000_000.0 / probe) as u32).clamp(1, 1_000_000);
    let mut ratios = Vec::new();
    let (mut t_ours, mut t_theirs) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which side goes first.
        let (a, b) = if round % 2 == 0 {
            let a = per_call(iters, || ours(c));
            (a, per_call(iters, || theirs(c)))
        } else {
            let b = per_call(iters, || theirs(c));
            (per_call(iters, || ours(c)), b)
        };
        ratios.push(a / b);
        t_ours.push(a);
        t_theirs.push(b);
    }
    (min(&t_ours), min(&t_theirs), median(&mut ratios))
}

const ROUNDS: usize = 21;

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn print_ratios(cases: &[Case]) {
    println!();
    println!(
        "keywrap-core beside aes-kw (AES-KW, default IV; {ROUNDS} interleaved rounds; \
         best time of each side, their ratio, and the median per-round ratio)"
    );
    println!(
        "{:<7} {:<8} {:>9} {:>13} {:>13} {:>7} {:>8}",
        "op", "KEK", "bytes", "keywrap-core", "aes-kw", "ratio", "median"
    );
    type Op = fn(&Case) -> usize;
    let ops: [(&str, Op, Op); 2] = [
        ("wrap", ours_wrap, theirs_wrap),
        ("unwrap", ours_unwrap, theirs_unwrap),
    ];
    let mut worst: f64 = 0.0;
    for (op, ours, theirs) in ops {
        for c in cases {
            let (a, b, med) = ratio(c, ours, theirs);
            let r = a / b;
            worst = worst.max(r);
            println!(
                "{:<7} {:<8} {:>9} {:>13} {:>13} {:>7.3} {:>8.3}",
                op,
                format!("AES-{}", c.bits),
                c.size,
                human(a),
                human(b),
                r,
                med
            );
        }
    }
    println!(
        "worst ratio {worst:.3} (target <= 1.10): {}",
        if worst <= 1.10 { "met" } else { "NOT met" }
    );
}

/// 10,000 keys of 32 bytes under one AES-256 KEK, and their wrapped blobs.
struct Batch {
    ours: Kek,
    theirs: Theirs,
    keys: Vec<[u8; 32]>,
    blobs: Vec<Vec<u8>>,
}

const BATCH_KEYS: usize = 10_000;

fn batch() -> Option<Batch> {
    let kek: Vec<u8> = (0u8..32).map(|i| i ^ 0xa5).collect();
    let ours = Kek::new(&kek).ok()?;
    let theirs = Theirs::new(&kek)?;
    let keys: Vec<[u8; 32]> = (0u32..)
        .take(BATCH_KEYS)
        .map(|k| {
            let mut key = [0u8; 32];
            for (b, x) in key.iter_mut().zip(k.to_le_bytes().iter().cycle()) {
                *b = *x;
            }
            key
        })
        .collect();
    let blobs: Vec<Vec<u8>> = wrap_many(&ours, Mechanism::Kw, None, &keys)
        .into_iter()
        .collect::<Result<_, _>>()
        .ok()?;
    let same = keys.iter().zip(&blobs).all(|(k, b)| theirs.wrap(k) == *b);
    if !same {
        eprintln!("bench setup: wrap_many and aes-kw disagree");
    }
    Some(Batch {
        ours,
        theirs,
        keys,
        blobs,
    })
}

fn batch_wrap_many(b: &Batch) -> usize {
    wrap_many(&b.ours, Mechanism::Kw, None, black_box(&b.keys)).len()
}

fn batch_wrap_one_by_one(b: &Batch) -> usize {
    b.keys
        .iter()
        .map(|k| wrap(&b.ours, Mechanism::Kw, None, black_box(k)).map_or(0, |v| v.len()))
        .sum()
}

fn batch_aes_kw_one_by_one(b: &Batch) -> usize {
    b.keys
        .iter()
        .map(|k| b.theirs.wrap(black_box(k)).len())
        .sum()
}

fn batch_unwrap_many(b: &Batch) -> usize {
    unwrap_many(&b.ours, Mechanism::Kw, None, black_box(&b.blobs)).len()
}

fn batch_unwrap_one_by_one(b: &Batch) -> usize {
    b.blobs
        .iter()
        .map(|c| unwrap(&b.ours, Mechanism::Kw, None, black_box(c)).map_or(0, |k| k.len()))
        .sum()
}

fn batch_aes_kw_unwrap_one_by_one(b: &Batch) -> usize {
    b.blobs
        .iter()
        .map(|c| b.theirs.unwrap(black_box(c)).len())
        .sum()
}

type BatchOp = fn(&Batch) -> usize;

const BATCH_OPS: [(&str, BatchOp); 6] = [
    ("wrap_many", batch_wrap_many),
    ("wrap one by one", batch_wrap_one_by_one),
    ("aes-kw wrap one by one", batch_aes_kw_one_by_one),
    ("unwrap_many", batch_unwrap_many),
    ("unwrap one by one", batch_unwrap_one_by_one),
    ("aes-kw unwrap one by one", batch_aes_kw_unwrap_one_by_one),
];

fn criterion_batch(crit: &mut Criterion, b: &Batch) {
    let mut group = crit.benchmark_group(format!("batch/aes-256/{BATCH_KEYS}"));
    group.throughput(Throughput::Elements(BATCH_KEYS as u64));
    group.sample_size(10);
    for (name, op) in BATCH_OPS {
        group.bench_function(BenchmarkId::from_parameter(name), |bench| {
            bench.iter(|| op(b))
        });
    }
    group.finish();
}

/// Best of `ROUNDS` timings of each batch operation, interleaved, and the
/// ratios that matter: batch vs one by one, and ours vs the `aes-kw` row.
fn print_batch(b: &Batch) {
    let mut best = [f64::INFINITY; BATCH_OPS.len()];
    for _ in 0..ROUNDS {
        for ((_, op), slot) in BATCH_OPS.iter().zip(best.iter_mut()) {
            *slot = slot.min(per_call(1, || op(b)));
        }
    }
    println!();
    println!(
        "{BATCH_KEYS} keys of 256 bits under one AES-256 KEK (best of {ROUNDS}; \
         AES hardware backend in use: {})",
        aes::hardware_accelerated()
    );
    println!("{:<26} {:>12} {:>14}", "operation", "time", "keys/s");
    for ((name, _), t) in BATCH_OPS.iter().zip(best) {
        println!(
            "{:<26} {:>12} {:>14.0}",
            name,
            human(t),
            BATCH_KEYS as f64 * 1e9 / t
        );
    }
    let [wm, w1, wk, um, u1, uk] = best;
    println!(
        "wrap_many is {:.2}x wrap one by one, {:.2}x aes-kw one by one; \
         unwrap_many is {:.2}x unwrap one by one, {:.2}x aes-kw one by one",
        w1 / wm,
        wk / wm,
        u1 / um,
        uk / um
    );
}

fn main() {
    let cases = cases();
    let batch = batch();
    let mut crit = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    criterion_benches(&mut crit, &cases);
    if let Some(b) = &batch {
        criterion_batch(&mut crit, b);
    }
    crit.final_summary();
    // Only `cargo bench` passes `--bench`; under `cargo test` Criterion runs
    // each benchmark once as a smoke test, and the table is skipped.
    if std::env::args().any(|a| a == "--bench") {
        print_ratios(&cases);
        if let Some(b) = &batch {
            print_batch(b);
        }
    }
}
