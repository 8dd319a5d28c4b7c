//! A hash of the dispatched slice kernels' outputs over all 2³² `f32` inputs (a NaN included,
//! hashed with its quiet bit set), one line per function and pass: two builds that print the
//! same lines give the same bits on every input, so a change that should not move a result (a
//! faster schedule of the same arithmetic) keeps the exhaustive sweeps of `kernel_sweep` valid
//! without rerunning them.
//!
//! ```text
//! cargo run --release -p actlab-act --example kernel_hash -- [--path NAME] [all | PASS:NAME ...]
//! ```
//!
//! `--path` forces a kernel path (portable, avx2, avx512, neon; the detected one without it):
//! two paths that print the same lines give the same bits, so one path's sweep holds for the
//! other.
//!
//! PASS is `fwd` (y = f(x)), `bwd` (dx = dy·f′(x), with a fixed pattern of dy around ±1 that
//! varies the sign and the low mantissa bits) or `out` (the same from the output, fed x as y);
//! `all` runs every function but snake in every pass it has; no argument, the `f32`-lane
//! kernels. One thread, about 10–40 s per line on this project's machine.
use act::kernels::Kernels;
fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let k = match args.iter().position(|a| a == "--path") {
        Some(i) => {
            let name = args.get(i + 1).expect("--path takes a name").clone();
            args.drain(i..i + 2);
            let path: act::kernels::Path = name.parse().unwrap_or_else(|e| panic!("{e}"));
            Kernels::with_path(path).unwrap_or_else(|e| panic!("{e}"))
        }
        None => Kernels::new(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    if args == ["all"] {
        args.clear();
        for a in act::ALL.iter().copied().filter(|a| a.name() != "snake") {
            args.push(format!("fwd:{}", a.name()));
            args.push(format!("bwd:{}", a.name()));
            if a.has_derivative_from_output() {
                args.push(format!("out:{}", a.name()));
            }
        }
    }
    if args.is_empty() {
        for n in [
            "sigmoid",
            "silu",
            "tanh",
            "gelu",
            "gelu_tanh",
            "elu",
            "selu",
            "celu",
            "softplus",
            "logsigmoid",
            "hardsigmoid",
            "hardswish",
            "softsign",
            "tanhshrink",
        ] {
            args.push(format!("fwd:{n}"));
        }
        args.push("bwd:softplus".into());
        args.push("bwd:logsigmoid".into());
        args.push("bwd:silu".into());
    }
    pool.install(|| {
        let n = 1usize << 20;
        let mut x = vec![0f32; n];
        let mut y = vec![0f32; n];
        let mut dy = vec![0f32; n];
        for (i, g) in dy.iter_mut().enumerate() {
            *g = f32::from_bits(0x3f80_0000 ^ ((i as u32).wrapping_mul(2654435761) & 0x807f_ffff));
        }
        for arg in &args {
            let (pass, name) = arg.split_once(':').unwrap();
            let a = act::ALL.iter().copied().find(|a| a.name() == name).unwrap();
            let mut h: u64 = 0xcbf29ce484222325;
            for block in 0..(1u64 << 12) {
                for (i, v) in x.iter_mut().enumerate() {
                    *v = f32::from_bits(((block << 20) as u32) | i as u32);
                }
                match pass {
                    "fwd" => k.forward(a, &x, &mut y),
                    "bwd" => k.backward(a, &x, &dy, &mut y),
                    "out" => k.backward_from_output(a, &x, &dy, &mut y).unwrap(),
                    _ => panic!("pass"),
                }
                let mut acc = [0u64; 8];
                for c in y.chunks_exact(8) {
                    for (a, v) in acc.iter_mut().zip(c) {
                        // A NaN with its quiet bit set: paths may differ in whether a
                        // signalling NaN comes out quieted (a NaN either way).
                        let bits = if v.is_nan() {
                            v.to_bits() | 0x0040_0000
                        } else {
                            v.to_bits()
                        };
                        *a = (*a ^ bits as u64).wrapping_mul(0x100000001b3);
                    }
                }
                for a in acc {
                    h = (h ^ a).wrapping_mul(0x100000001b3);
                }
            }
            println!("{arg} {h:016x}");
        }
    });
}
