//! The slice kernels against the scalar catalogue, per function, forward and backward.
//!
//! Run with: `cargo bench -p actlab-act --bench kernels` (add `-- sigmoid` to pick a function;
//! `-- cross_entropy` for the fused loss over short and long rows).
//!
//! Each function is a group; `scalar` applies `Activation::forward`/`derivative` element by
//! element (the exact reference path), the kernel benches run `act::kernels` on every path this
//! CPU has (`portable`, `avx2`, …). Throughput is in elements (`ItemsCount`), one thread.

use act::Activation;
use act::kernels::{Kernels, Path};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// Fixed pseudo-random inputs in [−8, 8].
fn inputs(n: usize) -> Vec<f32> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 16.0 - 8.0
        })
        .collect()
}

/// The paths this CPU runs (the benchmark arguments).
fn paths() -> Vec<Path> {
    Path::available()
}

macro_rules! function {
    ($module:ident, $activation:expr) => {
        mod $module {
            use super::*;

            const A: Activation = $activation;

            #[divan::bench(consts = [4096, 65536])]
            fn forward_scalar<const N: usize>(b: Bencher) {
                let x = inputs(N);
                let mut y = vec![0.0f32; N];
                b.counter(ItemsCount::new(N)).bench_local(|| {
                    for (y, &x) in y.iter_mut().zip(black_box(&x)) {
                        *y = A.forward(x);
                    }
                });
            }

            #[divan::bench(consts = [4096, 65536], args = paths())]
            fn forward_kernel<const N: usize>(b: Bencher, path: Path) {
                let k = Kernels::with_path(path).unwrap();
                let x = inputs(N);
                let mut y = vec![0.0f32; N];
                b.counter(ItemsCount::new(N))
                    .bench_local(|| k.forward(A, black_box(&x), black_box(&mut y)));
            }

            #[divan::bench(consts = [4096, 65536])]
            fn backward_scalar<const N: usize>(b: Bencher) {
                let x = inputs(N);
                let dy = inputs(N);
                let mut dx = vec![0.0f32; N];
                b.counter(ItemsCount::new(N)).bench_local(|| {
                    for ((dx, &x), &dy) in dx.iter_mut().zip(black_box(&x)).zip(&dy) {
                        *dx = dy * A.derivative(x);
                    }
                });
            }

            #[divan::bench(consts = [4096, 65536], args = paths())]
            fn backward_kernel<const N: usize>(b: Bencher, path: Path) {
                let k = Kernels::with_path(path).unwrap();
                let x = inputs(N);
                let dy = inputs(N);
                let mut dx = vec![0.0f32; N];
                b.counter(ItemsCount::new(N))
                    .bench_local(|| k.backward(A, black_box(&x), &dy, black_box(&mut dx)));
            }
        }
    };
}

function!(sigmoid, Activation::Sigmoid);
function!(tanh, Activation::Tanh);
function!(relu, Activation::Relu);
function!(
    leaky_relu,
    Activation::LeakyRelu {
        negative_slope: 0.01
    }
);
function!(elu, Activation::Elu { alpha: 1.0 });
function!(gelu, Activation::Gelu);
function!(gelu_tanh, Activation::GeluTanh);
function!(silu, Activation::Silu);
function!(mish, Activation::Mish);
function!(
    softplus,
    Activation::Softplus {
        beta: 1.0,
        threshold: 20.0
    }
);
function!(logsigmoid, Activation::Logsigmoid);
function!(tanhshrink, Activation::Tanhshrink);
function!(hardswish, Activation::Hardswish);

/// The fused softmax cross-entropy (mean, with its gradient) over ten rows against class
/// targets: rows of two (the Playground's, which take the scalar short-row path) and of ten
/// (MNIST's, which take the vector sweeps). Counted in rows.
mod cross_entropy {
    use super::*;
    use act::rowwise::Target;

    const ROWS: usize = 10;

    #[divan::bench(consts = [2, 10], args = paths())]
    fn mean_with_gradient<const COLS: usize>(b: Bencher, path: Path) {
        let k = Kernels::with_path(path).expect("an available path");
        let logits = inputs(ROWS * COLS);
        let classes: Vec<usize> = (0..ROWS).map(|r| r % COLS).collect();
        let mut grad = vec![0.0f32; ROWS * COLS];
        b.counter(ItemsCount::new(ROWS)).bench_local(|| {
            k.softmax_cross_entropy_mean(
                black_box(&logits),
                Target::Class(&classes),
                COLS,
                Some(&mut grad),
            )
            .expect("whole rows")
        });
    }
}
