//! Regression sets: the Playground's *Plane* and *Multi Gaussian*, plus a 1-D sine.
//!
//! `noise` follows the Playground's scale (its slider divided by 100, so 0–0.5 there; up to 1
//! accepted here), as in [`playground`](crate::data::playground). The Playground's two sets
//! perturb the point used to compute the target, `(x + u·6·noise, y + v·6·noise)` with
//! `u, v ~ U(−1, 1)`, and keep the point where it was drawn; targets lie in `[−1, 1]` (the
//! plane's slightly beyond with noise).
//!
//! # Panics
//! Every generator panics if `noise` is not in `[0, 1]` (NaN included).

use crate::rng::Rng;

use super::dataset::{Dataset, Targets};
use super::playground::{check_noise, distance};

/// The Playground's frame: inputs are drawn from `U(−6, 6)`.
const RADIUS: f64 = 6.0;

/// Packs rows and values into a dataset with the given feature names.
fn finish(features: Vec<f32>, values: Vec<f32>, names: &[&str]) -> Dataset {
    Dataset::new(features, names.len(), Targets::Values(values))
        .and_then(|d| d.with_feature_names(names.iter().map(|&s| s.to_owned()).collect()))
        .expect("generated rows are finite")
}

/// Draws the Playground's 2-D regression set whose (noise-perturbed) target is `target(x, y)`.
fn regress_2d(
    n_samples: usize,
    noise: f32,
    rng: &mut Rng,
    target: impl Fn(f64, f64) -> f64,
) -> Dataset {
    let noise = check_noise(noise);
    // (n, 2)
    let mut features = Vec::with_capacity(2 * n_samples);
    let mut values = Vec::with_capacity(n_samples);
    for _ in 0..n_samples {
        let x = rng.uniform(-RADIUS, RADIUS);
        let y = rng.uniform(-RADIUS, RADIUS);
        let noise_x = rng.uniform(-RADIUS, RADIUS) * noise;
        let noise_y = rng.uniform(-RADIUS, RADIUS) * noise;
        features.extend([x as f32, y as f32]);
        values.push(target(x + noise_x, y + noise_y) as f32);
    }
    finish(features, values, &["x1", "x2"])
}

/// The Playground's *Plane*: `y = (x1 + x2) / 10` on `[−6, 6]²` (its `d3` scale maps
/// `x1 + x2 ∈ [−10, 10]` onto `[−1, 1]`, unclamped, so targets reach ±1.2).
///
/// With noise the target is that of the perturbed point (see the [module](self) docs).
pub fn plane(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    regress_2d(n_samples, noise, rng, |x, y| (x + y) / 10.0)
}

/// The centres and signs of the Playground's *Multi Gaussian* bumps.
const BUMPS: [(f64, f64, f64); 6] = [
    (-4.0, 2.5, 1.0),
    (0.0, 2.5, -1.0),
    (4.0, 2.5, 1.0),
    (-4.0, -2.5, -1.0),
    (0.0, -2.5, 1.0),
    (4.0, -2.5, -1.0),
];

/// The Playground's *Multi Gaussian*: six cone-shaped bumps of alternating sign on a 3 × 2 grid
/// (centres x ∈ {−4, 0, 4}, y = ±2.5, the top-left one positive).
///
/// Each bump contributes `sign · max(0, 1 − dist/2)` (the Playground's clamped scale from
/// distance `[0, 2]` to `[1, 0]`); the target is the contribution largest in absolute value (the
/// first one on ties, 0 far from all). With noise the target is that of the perturbed point (see
/// the [module](self) docs). Targets lie in `[−1, 1]`.
pub fn gauss(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    regress_2d(n_samples, noise, rng, |x, y| {
        let mut target: f64 = 0.0;
        for (cx, cy, sign) in BUMPS {
            let bump = sign * (1.0 - distance(x - cx, y - cy) / 2.0).clamp(0.0, 1.0);
            if bump.abs() > target.abs() {
                target = bump;
            }
        }
        target
    })
}

/// A 1-D sine (not a Playground set): one feature `x ~ U(−6, 6)` (almost two periods) and
/// target `sin x + noise · ε`, `ε ~ N(0, 1)`.
///
/// Unlike the Playground's sets the noise is added to the target, since perturbing `x` only
/// shifts the phase.
pub fn sine(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    let noise = check_noise(noise);
    // (n, 1)
    let mut features = Vec::with_capacity(n_samples);
    let mut values = Vec::with_capacity(n_samples);
    for _ in 0..n_samples {
        let x = rng.uniform(-RADIUS, RADIUS);
        features.push(x as f32);
        values.push(rng.normal(libm::sin(x), noise) as f32);
    }
    finish(features, values, &["x"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plane_without_noise_is_exact() {
        let data = plane(100, 0.0, &mut Rng::seed(0));
        for (i, &y) in data.values().unwrap().iter().enumerate() {
            let row = data.row(i);
            assert!((y - (row[0] + row[1]) / 10.0).abs() < 1e-6);
        }
    }

    #[test]
    fn gauss_peaks_at_its_centres() {
        let data = gauss(4000, 0.0, &mut Rng::seed(1));
        for (i, &y) in data.values().unwrap().iter().enumerate() {
            let [x1, x2] = [f64::from(data.row(i)[0]), f64::from(data.row(i)[1])];
            assert!((-1.0..=1.0).contains(&y));
            // Within 0.5 of the top-left (positive) centre the nearest bump wins: 1 − d/2 ≥ 0.75.
            if (x1 + 4.0).hypot(x2 - 2.5) < 0.5 {
                assert!(y >= 0.75, "({x1}, {x2}) → {y}");
            }
            // Beyond distance 2 of every centre, the target is 0.
            if BUMPS
                .iter()
                .all(|&(cx, cy, _)| (x1 - cx).hypot(x2 - cy) > 2.0)
            {
                assert_eq!(y, 0.0);
            }
        }
    }

    #[test]
    fn sine_without_noise_is_exact() {
        let data = sine(50, 0.0, &mut Rng::seed(2));
        assert_eq!(data.n_features(), 1);
        for (i, &y) in data.values().unwrap().iter().enumerate() {
            assert!((y - data.row(i)[0].sin()).abs() < 1e-6);
        }
    }
}
