//! The few 16-lane byte-vector operations the vector-permute AES needs,
//! behind one type [`V`], in two builds:
//!
//! - on `wasm32` with the `simd128` target feature, `V` is a `v128` and
//!   every operation is one WebAssembly SIMD instruction (`v128.xor`,
//!   `v128.and`, `i8x16.shr_u`, `i8x16.swizzle`, lane moves). These
//!   intrinsics are safe functions in `core::arch::wasm32` (a WebAssembly
//!   engine validates the module's instructions before running it, so there
//!   is no undefined behaviour to guard against), which keeps
//!   `#![forbid(unsafe_code)]`;
//! - everywhere else, a portable emulation over `[u8; 16]` with exactly the
//!   same semantics, so that the cipher's logic is tested natively (the
//!   known answers, the cross-check against the `aes` crate, every `S(x)`).
//!   The emulation's `swizzle` indexes an array with secret data: it is
//!   **not** constant time and no native build uses it to protect keys (the
//!   native `KekCipher` keeps the `aes` crate, AES-NI or fixslice).

/// What [`V`] is in this build: `"wasm simd128"` or `"portable"`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub const LANES: &str = "wasm simd128";
/// What [`V`] is in this build: `"wasm simd128"` or `"portable"`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub const LANES: &str = "portable";

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{
        u8x16, u8x16_shr, u8x16_splat, u8x16_swizzle, u64x2, u64x2_extract_lane, v128, v128_and,
        v128_xor,
    };

    /// Sixteen bytes in one SIMD register.
    #[derive(Clone, Copy)]
    pub(crate) struct V(v128);

    impl V {
        /// A constant vector (evaluated at compile time for the tables).
        pub(crate) const fn from_array(b: [u8; 16]) -> V {
            V(u8x16(
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15],
            ))
        }

        /// Every lane `b`.
        #[inline(always)]
        pub(crate) fn splat(b: u8) -> V {
            V(u8x16_splat(b))
        }

        /// A block's 16 bytes, lane `i` = byte `i` (two 64-bit lanes, little
        /// endian, as WebAssembly memory is).
        #[inline(always)]
        pub(crate) fn load(b: &[u8; 16]) -> V {
            let (lo, hi) = b.split_at(8);
            let mut l = [0u8; 8];
            let mut h = [0u8; 8];
            l.copy_from_slice(lo);
            h.copy_from_slice(hi);
            V(u64x2(u64::from_le_bytes(l), u64::from_le_bytes(h)))
        }

        /// The 16 bytes back, lane `i` into byte `i`.
        #[inline(always)]
        pub(crate) fn store(self, out: &mut [u8; 16]) {
            let (lo, hi) = out.split_at_mut(8);
            lo.copy_from_slice(&u64x2_extract_lane::<0>(self.0).to_le_bytes());
            hi.copy_from_slice(&u64x2_extract_lane::<1>(self.0).to_le_bytes());
        }

        /// Lane-wise XOR.
        #[inline(always)]
        pub(crate) fn xor(self, o: V) -> V {
            V(v128_xor(self.0, o.0))
        }

        /// Lane-wise AND.
        #[inline(always)]
        pub(crate) fn and(self, o: V) -> V {
            V(v128_and(self.0, o.0))
        }

        /// Every lane shifted right by 4 (its high nibble, 0 to 15).
        #[inline(always)]
        pub(crate) fn high_nibbles(self) -> V {
            V(u8x16_shr(self.0, 4))
        }

        /// `out[i] = self[idx[i]]` for `idx[i] < 16`, else 0
        /// (`i8x16.swizzle`: a permutation inside the register, no memory
        /// access that depends on `idx`).
        #[inline(always)]
        pub(crate) fn swizzle(self, idx: V) -> V {
            V(u8x16_swizzle(self.0, idx.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    /// Sixteen bytes (portable emulation: see the module docs).
    #[derive(Clone, Copy)]
    pub(crate) struct V([u8; 16]);

    impl V {
        /// A constant vector.
        pub(crate) const fn from_array(b: [u8; 16]) -> V {
            V(b)
        }

        /// Every lane `b`.
        #[inline(always)]
        pub(crate) fn splat(b: u8) -> V {
            V([b; 16])
        }

        /// A block's 16 bytes.
        #[inline(always)]
        pub(crate) fn load(b: &[u8; 16]) -> V {
            V(*b)
        }

        /// The 16 bytes back.
        #[inline(always)]
        pub(crate) fn store(self, out: &mut [u8; 16]) {
            *out = self.0;
        }

        fn map2(self, o: V, f: impl Fn(u8, u8) -> u8) -> V {
            let mut r = [0u8; 16];
            for ((x, a), b) in r.iter_mut().zip(self.0).zip(o.0) {
                *x = f(a, b);
            }
            V(r)
        }

        /// Lane-wise XOR.
        #[inline(always)]
        pub(crate) fn xor(self, o: V) -> V {
            self.map2(o, |a, b| a ^ b)
        }

        /// Lane-wise AND.
        #[inline(always)]
        pub(crate) fn and(self, o: V) -> V {
            self.map2(o, |a, b| a & b)
        }

        /// Every lane shifted right by 4.
        #[inline(always)]
        pub(crate) fn high_nibbles(self) -> V {
            self.map2(self, |a, _| a >> 4)
        }

        /// `out[i] = self[idx[i]]` for `idx[i] < 16`, else 0, as
        /// `i8x16.swizzle` defines it.
        #[inline(always)]
        pub(crate) fn swizzle(self, idx: V) -> V {
            let table = self.0;
            idx.map2(idx, |i, _| table.get(usize::from(i)).copied().unwrap_or(0))
        }
    }
}

pub(crate) use imp::V;

impl V {
    /// All lanes zero.
    pub(crate) const ZERO: V = V::from_array([0; 16]);
}
