//! The virtual HSM at scale: 10,000 keys, then `findKey -l` (by label, via
//! the label index), `findKey` over every key, and `getAttribute` of one key.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use keywrap_core::hsm::{InsecureSeededKeys, Session};

const KEYS: u64 = 10_000;

fn session_with_keys() -> Session {
    let mut s = Session::with_key_source(Box::new(InsecureSeededKeys::new(9)));
    for i in 0..KEYS {
        // 100 labels, 100 keys each.
        let line = format!("genSymKey -t 31 -s 32 -l label{}", i % 100);
        let _ = s.run(&line);
    }
    s
}

fn bench(c: &mut Criterion) {
    let mut s = session_with_keys();
    assert_eq!(s.key_count(), 10_000);
    let middle = 6 + KEYS / 2;
    let get_one = format!("getAttribute -o {middle} -a 371");
    let get_all = format!("getAttribute -o {middle} -a 512");
    let mut g = c.benchmark_group("store_10k_keys");
    g.bench_function("findKey -l (100 of 10,000 match)", |b| {
        b.iter(|| black_box(s.run(black_box("findKey -l label42"))))
    });
    g.bench_function("findKey -l (no match)", |b| {
        b.iter(|| black_box(s.run(black_box("findKey -l nosuch"))))
    });
    g.bench_function("findKey -kcv (scan of 10,000)", |b| {
        b.iter(|| black_box(s.run(black_box("findKey -kcv 000000"))))
    });
    g.bench_function("getAttribute -a 371", |b| {
        b.iter(|| black_box(s.run(black_box(&get_one))))
    });
    g.bench_function("getAttribute -a 512", |b| {
        b.iter(|| black_box(s.run(black_box(&get_all))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
