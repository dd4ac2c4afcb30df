//! Every table of the vector-permute AES, computed at compile time from
//! first principles (arithmetic in GF(2⁸) with the AES polynomial), so that
//! no constant here is copied from anywhere: the tests check the result
//! against FIPS-197 instead (every `S(x)` and `S⁻¹(x)`, the known answers,
//! and the `aes` crate on random keys and blocks).
//!
//! ## The tower field
//!
//! AES's S-box is `S(x) = L(x⁻¹) ⊕ 0x63` in GF(2⁸) (`L` the affine map's
//! linear part). A 16-entry table lookup (`i8x16.swizzle`) can compute any
//! function of a *nibble*, so the inversion is done in GF(2⁸) seen as a
//! quadratic extension of its subfield GF(2⁴):
//!
//! - `ω = 3¹⁷` has order 15 and generates the subfield; a nibble
//!   `n = n₃n₂n₁n₀` stands for `e(n) = Σ nᵢ ωⁱ`;
//! - `β` is the first byte with `β¹⁶ = β ⊕ 1`; it is not in the subfield and
//!   its minimal polynomial over it is `y² + y + λ` with `λ = β¹⁷`;
//! - the byte with nibbles `(A, B)` stands for `ψ(A, B) = e(A)·β ⊕ e(B)`;
//!   `φ = ψ⁻¹` is GF(2)-linear, so `φ(x) = φ(x_lo) ⊕ φ(x_hi << 4)`: two
//!   nibble lookups ([`PHI`]).
//!
//! With `Δ = λA² + AB + B²` (never 0 unless `A = B = 0`),
//! `(Aβ + B)⁻¹ = (Aβ + A + B)/Δ`. Writing `J = A ⊕ B`,
//!
//! ```text
//! V₁ = 1/(1/(λA) + 1/B) + J  =  Δ/(B + λA),  so 1/V₁ = B' + (1+λ)·A'
//! V₂ = 1/(1/(λA) + 1/J) + B  =  Δ/(J + λA),  so 1/V₂ = B' + λ·A'
//! ```
//!
//! where `(A', B')` are the inverse's nibbles (the second line is the first
//! in the basis `(β + 1, 1)`, whose `Δ` is the same). So the inverse is
//! `x⁻¹ = (1/V₁)·(β + λ) ⊕ (1/V₂)·(β + 1 + λ)`, and whatever linear map
//! follows (`L`, a MixColumns coefficient, the next round's `φ`) is two
//! more nibble lookups of `V₁` and `V₂`. That is five lookups for the
//! inversion ([`INV`] and [`INV_LAMBDA`]) and two per output.
//!
//! **Zero** is the one value without an inverse: the tables map 0 to
//! `0x80`, an index `i8x16.swizzle` answers with 0 (any index ≥ 16 gives
//! 0). Then `1/0 = ∞`, `∞ + finite = ∞` (the high bit survives the XOR),
//! `1/∞ = 0`, which is the right limit in every case where one of `A`, `B`,
//! `J`, `B + λA`, `J + λA` is zero; for `x = 0` both `V`s come out `∞` and
//! the output lookups give 0, so `S(0) = 0 ⊕ 0x63`. The constant `0x63`
//! (`0x05` for `S⁻¹`) is never in a table: it is folded into the round
//! keys ([`super::Schedule`]).

#![expect(
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "compile-time table generation: every index and cast is evaluated by the compiler, \
              where an out-of-range index is a build error, never a panic at run time"
)]

use super::lanes::V;

/// `a · x` in GF(2⁸) modulo `x⁸ + x⁴ + x³ + x + 1`, without a branch.
pub(crate) const fn xtime(a: u8) -> u8 {
    (a << 1) ^ (0x1b & 0u8.wrapping_sub(a >> 7))
}

/// `a · b` in GF(2⁸), without a branch or a lookup (constant time in both).
pub(crate) const fn gmul(a: u8, b: u8) -> u8 {
    let mut r = 0u8;
    let mut a = a;
    let mut b = b;
    let mut i = 0;
    while i < 8 {
        r ^= a & 0u8.wrapping_sub(b & 1);
        a = xtime(a);
        b >>= 1;
        i += 1;
    }
    r
}

/// `a^e` in GF(2⁸).
const fn gpow(a: u8, e: u32) -> u8 {
    let mut r = 1u8;
    let mut i = 0;
    while i < e {
        r = gmul(r, a);
        i += 1;
    }
    r
}

/// `a⁻¹` in GF(2⁸) (`a²⁵⁴`), 0 for 0.
const fn ginv(a: u8) -> u8 {
    gpow(a, 254)
}

/// The linear part of the S-box's affine map (FIPS-197 §5.1.1).
pub(crate) const fn affine_linear(b: u8) -> u8 {
    b ^ b.rotate_left(1) ^ b.rotate_left(2) ^ b.rotate_left(3) ^ b.rotate_left(4)
}

/// The inverse of [`affine_linear`] (FIPS-197 §5.3.2).
pub(crate) const fn affine_linear_inverse(b: u8) -> u8 {
    b.rotate_left(1) ^ b.rotate_left(3) ^ b.rotate_left(6)
}

/// The generator of GF(2⁴) inside GF(2⁸).
const OMEGA: u8 = gpow(3, 17);

/// `e(n)`: the subfield element a nibble stands for.
const fn embed(n: u8) -> u8 {
    let mut r = 0u8;
    let mut i = 0;
    while i < 4 {
        r ^= gpow(OMEGA, i) & 0u8.wrapping_sub((n >> i) & 1);
        i += 1;
    }
    r
}

/// `β`: the first byte with `β¹⁶ = β ⊕ 1`.
const BETA: u8 = {
    let mut b = 2u8;
    while gpow(b, 16) != b ^ 1 {
        b += 1;
    }
    b
};

/// `λ = β¹⁷`, in the subfield.
const LAMBDA: u8 = gpow(BETA, 17);

/// `ψ`: tower nibbles `(A, B)` (one byte, `A` high) to the AES byte.
const fn psi(ab: u8) -> u8 {
    gmul(embed(ab >> 4), BETA) ^ embed(ab & 0x0f)
}

/// `φ = ψ⁻¹` over all 256 bytes.
const PHI_FULL: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut ab = 0usize;
    while ab < 256 {
        t[psi(ab as u8) as usize] = ab as u8;
        ab += 1;
    }
    t
};

/// `φ(x)`.
pub(crate) const fn phi(x: u8) -> u8 {
    PHI_FULL[x as usize]
}

/// The nibble standing for a subfield element.
const fn unembed(z: u8) -> u8 {
    phi(z) & 0x0f
}

/// `1/e(n)` as a nibble, with `1/0 = ∞ = 0x80`.
const fn nibble_inverse(n: u8) -> u8 {
    if n == 0 {
        0x80
    } else {
        unembed(ginv(embed(n)))
    }
}

/// `1/(λ·e(n))` as a nibble, with `1/0 = 0x80`.
const fn nibble_lambda_inverse(n: u8) -> u8 {
    if n == 0 {
        0x80
    } else {
        unembed(ginv(gmul(LAMBDA, embed(n))))
    }
}

/// Two nibble tables `(lo, hi)` of a byte-linear map `m`, so that
/// `m(x) = lo[x & 15] ⊕ hi[x >> 4]`.
macro_rules! linear_tables {
    ($m:expr) => {{
        let mut lo = [0u8; 16];
        let mut hi = [0u8; 16];
        let mut n = 0usize;
        while n < 16 {
            lo[n] = $m(n as u8);
            hi[n] = $m((n as u8) << 4);
            n += 1;
        }
        [V::from_array(lo), V::from_array(hi)]
    }};
}

/// The output tables of the inversion for a linear map `m` after it: entry
/// `v` of the first is `m((1/v)·(β + λ))`, of the second
/// `m((1/v)·(β + 1 + λ))` (0 for `v = 0`, which never occurs).
macro_rules! output_tables {
    ($m:expr) => {{
        let mut t1 = [0u8; 16];
        let mut t2 = [0u8; 16];
        let mut v = 1usize;
        while v < 16 {
            let w = embed(nibble_inverse(v as u8));
            t1[v] = $m(gmul(w, BETA ^ LAMBDA));
            t2[v] = $m(gmul(w, BETA ^ 1 ^ LAMBDA));
            v += 1;
        }
        [V::from_array(t1), V::from_array(t2)]
    }};
}

/// A byte permutation as a swizzle index: `out[i] = in[f(i)]`.
macro_rules! permutation {
    ($f:expr) => {{
        let mut p = [0u8; 16];
        let mut i = 0usize;
        while i < 16 {
            p[i] = $f(i) as u8;
            i += 1;
        }
        V::from_array(p)
    }};
}

/// `1/n` for nibbles (`0 → 0x80`).
pub(crate) const INV: V = {
    let mut t = [0u8; 16];
    let mut n = 0usize;
    while n < 16 {
        t[n] = nibble_inverse(n as u8);
        n += 1;
    }
    V::from_array(t)
};

/// `1/(λn)` for nibbles (`0 → 0x80`).
pub(crate) const INV_LAMBDA: V = {
    let mut t = [0u8; 16];
    let mut n = 0usize;
    while n < 16 {
        t[n] = nibble_lambda_inverse(n as u8);
        n += 1;
    }
    V::from_array(t)
};

/// Low nibbles.
pub(crate) const NIBBLE_MASK: V = V::from_array([0x0f; 16]);

const fn id(x: u8) -> u8 {
    x
}
const fn phi_l(x: u8) -> u8 {
    phi(affine_linear(x))
}
const fn phi_l2(x: u8) -> u8 {
    phi(xtime(affine_linear(x)))
}
const fn lin(x: u8) -> u8 {
    affine_linear(x)
}
/// `θ = φ ∘ L⁻¹`: the basis the decryption keeps its state in.
pub(crate) const fn theta(x: u8) -> u8 {
    phi(affine_linear_inverse(x))
}
const fn theta9(x: u8) -> u8 {
    theta(gmul(x, 9))
}
const fn theta11(x: u8) -> u8 {
    theta(gmul(x, 11))
}
const fn theta13(x: u8) -> u8 {
    theta(gmul(x, 13))
}
const fn theta14(x: u8) -> u8 {
    theta(gmul(x, 14))
}

/// `φ` as two nibble tables: the encryption's input.
pub(crate) const PHI: [V; 2] = linear_tables!(phi);
/// `θ` as two nibble tables: the decryption's input.
pub(crate) const THETA: [V; 2] = linear_tables!(theta);

/// Encryption, middle rounds: `φ(L(x⁻¹))` and `φ(2·L(x⁻¹))`.
pub(crate) const ENC_S: [V; 2] = output_tables!(phi_l);
/// See [`ENC_S`].
pub(crate) const ENC_S2: [V; 2] = output_tables!(phi_l2);
/// Encryption, last round: `L(x⁻¹)` in the AES basis.
pub(crate) const ENC_LAST: [V; 2] = output_tables!(lin);

/// Decryption, middle rounds: `θ(m·x⁻¹)` for InvMixColumns' 14, 11, 13, 9.
pub(crate) const DEC_14: [V; 2] = output_tables!(theta14);
/// See [`DEC_14`].
pub(crate) const DEC_11: [V; 2] = output_tables!(theta11);
/// See [`DEC_14`].
pub(crate) const DEC_13: [V; 2] = output_tables!(theta13);
/// See [`DEC_14`].
pub(crate) const DEC_9: [V; 2] = output_tables!(theta9);
/// Decryption, last round: `x⁻¹` in the AES basis.
pub(crate) const DEC_LAST: [V; 2] = output_tables!(id);

/// ShiftRows on the column-major state (byte `4c + r` is row `r` of
/// column `c`): row `r` takes column `c + r`.
const fn shift_rows(i: usize) -> usize {
    let (c, r) = (i / 4, i % 4);
    4 * ((c + r) % 4) + r
}
/// InvShiftRows: row `r` takes column `c − r`.
const fn inv_shift_rows(i: usize) -> usize {
    let (c, r) = (i / 4, i % 4);
    4 * ((c + 4 - r) % 4) + r
}
/// Row `r` of column `c` takes row `r + k` of the same column.
const fn rotate(k: usize, i: usize) -> usize {
    let (c, r) = (i / 4, i % 4);
    4 * c + (r + k) % 4
}
const fn sr1(i: usize) -> usize {
    shift_rows(rotate(1, i))
}
const fn sr2(i: usize) -> usize {
    shift_rows(rotate(2, i))
}
const fn sr3(i: usize) -> usize {
    shift_rows(rotate(3, i))
}
const fn isr1(i: usize) -> usize {
    inv_shift_rows(rotate(1, i))
}
const fn isr2(i: usize) -> usize {
    inv_shift_rows(rotate(2, i))
}
const fn isr3(i: usize) -> usize {
    inv_shift_rows(rotate(3, i))
}

/// ShiftRows, and ShiftRows followed by rotating each column's rows up by
/// 1, 2 and 3 (MixColumns' `a[r+1]`, `a[r+2]`, `a[r+3]`).
pub(crate) const SR: [V; 4] = [
    permutation!(shift_rows),
    permutation!(sr1),
    permutation!(sr2),
    permutation!(sr3),
];
/// InvShiftRows and the same rotations after it.
pub(crate) const ISR: [V; 4] = [
    permutation!(inv_shift_rows),
    permutation!(isr1),
    permutation!(isr2),
    permutation!(isr3),
];
