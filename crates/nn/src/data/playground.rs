//! TensorFlow Playground's 2-D classification sets, plus moons and a checkerboard.
//!
//! Every generator returns `n_samples` rows with features `x1`, `x2` in the Playground's frame
//! (about `[−6, 6]²`) and two classes, the Playground's −1 as label 0 (`"negative"`) and +1 as
//! label 1 (`"positive"`). Rows come in generation order (the Playground's order: positives
//! first where it makes two groups); shuffle with [`Dataset::split`] or [`Dataset::batches`].
//!
//! # Noise
//! `noise` is the Playground's internal value: its *Noise* slider (0–50) divided by 100, so the
//! Playground itself only reaches 0.5. Values up to 1 are accepted and follow the same formulas
//! further. How each set uses it is documented on the function, following `src/dataset.ts` of
//! github.com/tensorflow/playground (Apache-2.0); the Playground's default data sizes are 500
//! points for classification and 1200 for regression.
//!
//! # Deviations from the Playground
//! Where it makes two groups of `numSamples / 2` each, an odd count gives the Playground one
//! point too many; here the first group gets `n − n/2` points and the second `n/2`, exactly
//! `n_samples` in all.
//!
//! # Panics
//! Every generator panics if `noise` is not in `[0, 1]` (NaN included);
//! [`by_name`](crate::data::by_name) checks it and returns an error instead.

use std::f64::consts::PI;

use crate::rng::Rng;

use super::dataset::{Dataset, Targets};

/// Collects 2-D points and their 0/1 labels.
struct Points {
    /// (n, 2)
    features: Vec<f32>,
    labels: Vec<u32>,
}

impl Points {
    fn with_capacity(n: usize) -> Points {
        Points {
            features: Vec::with_capacity(2 * n),
            labels: Vec::with_capacity(n),
        }
    }

    /// Adds a point with the Playground's label: `positive` is +1 (label 1), otherwise −1 (0).
    fn push(&mut self, x: f64, y: f64, positive: bool) {
        self.features.push(x as f32);
        self.features.push(y as f32);
        self.labels.push(u32::from(positive));
    }

    fn finish(self) -> Dataset {
        let targets = Targets::Classes {
            labels: self.labels,
            n_classes: 2,
        };
        Dataset::new(self.features, 2, targets)
            .and_then(|d| d.with_feature_names(vec!["x1".into(), "x2".into()]))
            .and_then(|d| d.with_class_names(vec!["negative".into(), "positive".into()]))
            .expect("generated points are finite and labelled 0 or 1")
    }
}

/// The Euclidean norm of `(dx, dy)`, as the Playground's `dist` computes it: `√(dx² + dy²)`
/// (correctly rounded operations only, so the same bits everywhere, unlike `f64::hypot`).
pub(crate) fn distance(dx: f64, dy: f64) -> f64 {
    (dx * dx + dy * dy).sqrt()
}

/// Checks the noise contract shared by every generator.
pub(crate) fn check_noise(noise: f32) -> f64 {
    assert!(
        (0.0..=1.0).contains(&noise),
        "noise must lie in [0, 1] (the Playground's slider / 100), got {noise}"
    );
    f64::from(noise)
}

/// The sizes of two groups making `n` in all: the first takes the odd one out.
fn halves(n: usize) -> [usize; 2] {
    [n - n / 2, n / 2]
}

/// The Playground's *Circle*: a disc of positives (radius < 2.5) inside a ring of negatives
/// (radius 3.5 to 5), points uniform in radius and angle.
///
/// Noise flips labels rather than moving points: each point is labelled by whether
/// `(x + u·5·noise, y + v·5·noise)` lies within radius 2.5, with `u, v ~ U(−1, 1)`; the point
/// itself is kept where it was drawn. Features lie in `[−5, 5]`.
pub fn circle(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    let noise = check_noise(noise);
    let radius = 5.0;
    let mut points = Points::with_capacity(n_samples);
    let [inside, outside] = halves(n_samples);
    for (count, r_low, r_high) in [(inside, 0.0, radius * 0.5), (outside, radius * 0.7, radius)] {
        for _ in 0..count {
            let r = rng.uniform(r_low, r_high);
            let angle = rng.uniform(0.0, 2.0 * PI);
            let (x, y) = (r * libm::sin(angle), r * libm::cos(angle));
            let noise_x = rng.uniform(-radius, radius) * noise;
            let noise_y = rng.uniform(-radius, radius) * noise;
            let positive = distance(x + noise_x, y + noise_y) < radius * 0.5;
            points.push(x, y, positive);
        }
    }
    points.finish()
}

/// The Playground's *Exclusive or*: uniform points in the four quadrants, positive where
/// `x·y ≥ 0`.
///
/// Each coordinate is drawn from `U(−5, 5)` and pushed 0.3 away from its axis, so features lie in
/// `(−5.3, 5.3)` with a 0.6-wide empty cross. Noise flips labels: the label is that of
/// `(x + u·5·noise, y + v·5·noise)`, `u, v ~ U(−1, 1)`. Classes are balanced only on average.
pub fn xor(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    let noise = check_noise(noise);
    let padding = 0.3;
    let mut points = Points::with_capacity(n_samples);
    for _ in 0..n_samples {
        let mut x = rng.uniform(-5.0, 5.0);
        x += if x > 0.0 { padding } else { -padding };
        let mut y = rng.uniform(-5.0, 5.0);
        y += if y > 0.0 { padding } else { -padding };
        let noise_x = rng.uniform(-5.0, 5.0) * noise;
        let noise_y = rng.uniform(-5.0, 5.0) * noise;
        points.push(x, y, (x + noise_x) * (y + noise_y) >= 0.0);
    }
    points.finish()
}

/// The Playground's *Gaussian*: two isotropic Gaussian blobs, positives around (2, 2) and
/// negatives around (−2, −2).
///
/// Noise widens the blobs: the variance is `0.5 + 7·noise` (the Playground maps noise 0–0.5
/// linearly onto variance 0.5–4), so the standard deviation is about 0.71 at noise 0 and 2 at
/// 0.5. Features are unbounded but lie within about ±6 up to noise 0.5.
pub fn gauss(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    let noise = check_noise(noise);
    let std = (0.5 + 7.0 * noise).sqrt();
    let mut points = Points::with_capacity(n_samples);
    let [positives, negatives] = halves(n_samples);
    for (count, center, positive) in [(positives, 2.0, true), (negatives, -2.0, false)] {
        for _ in 0..count {
            let x = rng.normal(center, std);
            let y = rng.normal(center, std);
            points.push(x, y, positive);
        }
    }
    points.finish()
}

/// The Playground's *Spiral*: two interleaved arms of 1.75 turns each, radius growing linearly
/// from 0 to 5; the positive arm starts at angle 0, the negative one at π.
///
/// Point `i` of an arm of `m` points sits at radius `5·i/m` and angle `3.5π·i/m + offset`
/// (measured with `x = r·sin t`, `y = r·cos t`), then both coordinates move by `u·noise`,
/// `u ~ U(−1, 1)`. Features lie in `[−5 − noise, 5 + noise]`.
pub fn spiral(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    let noise = check_noise(noise);
    let mut points = Points::with_capacity(n_samples);
    let [positives, negatives] = halves(n_samples);
    for (count, offset, positive) in [(positives, 0.0, true), (negatives, PI, false)] {
        let m = count as f64;
        for i in 0..count {
            let r = i as f64 / m * 5.0;
            let t = 1.75 * i as f64 / m * 2.0 * PI + offset;
            let x = r * libm::sin(t) + rng.uniform(-1.0, 1.0) * noise;
            let y = r * libm::cos(t) + rng.uniform(-1.0, 1.0) * noise;
            points.push(x, y, positive);
        }
    }
    points.finish()
}

/// scikit-learn's `make_moons(n_samples, noise=noise, shuffle=False)`, moved into the
/// Playground's frame (not a Playground set).
///
/// The upper moon (label 0) is `(cos s, sin s)` and the lower one (label 1) is
/// `(1 − cos s, 0.5 − sin s)`, `s` evenly spaced over `[0, π]` (the upper moon takes `n/2`
/// points, the lower the rest, as scikit-learn does); each coordinate then gets Gaussian noise of
/// standard deviation `noise`, and the result is mapped by `(x − 0.5, y − 0.25) × 3`. At noise
/// 0, `x1 ∈ [−4.5, 4.5]` and `x2 ∈ [−2.25, 2.25]`; the noise is `3·noise` in those units.
pub fn moons(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    let noise = check_noise(noise);
    let scale = 3.0;
    let n_upper = n_samples / 2;
    let n_lower = n_samples - n_upper;
    // np.linspace(0, π, m)[i]
    let angle = |i: usize, m: usize| {
        if m > 1 {
            PI * i as f64 / (m - 1) as f64
        } else {
            0.0
        }
    };
    let mut points = Points::with_capacity(n_samples);
    for (count, lower) in [(n_upper, false), (n_lower, true)] {
        for i in 0..count {
            let s = angle(i, count);
            let (x, y) = if lower {
                (1.0 - libm::cos(s), 1.0 - libm::sin(s) - 0.5)
            } else {
                (libm::cos(s), libm::sin(s))
            };
            let x = rng.normal(x, noise);
            let y = rng.normal(y, noise);
            points.push((x - 0.5) * scale, (y - 0.25) * scale, lower);
        }
    }
    points.finish()
}

/// A 4 × 4 checkerboard on `[−6, 6]²` with cells of side 3 (not a Playground set): the
/// cell whose corner is the origin, `[0, 3)²`, is positive, and colours alternate from there, so
/// it refines [`xor`]'s quadrants.
///
/// Points are uniform on `[−6, 6)²`. Like the Playground's sets, noise flips labels: the label is
/// that of `(x + u·3·noise, y + v·3·noise)`, `u, v ~ U(−1, 1)` (up to a full cell at noise 1).
/// Classes are balanced only on average.
pub fn checkerboard(n_samples: usize, noise: f32, rng: &mut Rng) -> Dataset {
    let noise = check_noise(noise);
    let cell = 3.0;
    let mut points = Points::with_capacity(n_samples);
    for _ in 0..n_samples {
        let x = rng.uniform(-6.0, 6.0);
        let y = rng.uniform(-6.0, 6.0);
        let noise_x = rng.uniform(-cell, cell) * noise;
        let noise_y = rng.uniform(-cell, cell) * noise;
        let column = ((x + noise_x) / cell).floor() as i64;
        let row = ((y + noise_y) / cell).floor() as i64;
        points.push(x, y, (column + row).rem_euclid(2) == 0);
    }
    points.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_counts_give_exactly_n_rows() {
        let mut rng = Rng::seed(0);
        for generate in [circle, xor, gauss, spiral, moons, checkerboard] {
            for n in [0, 1, 2, 7] {
                assert_eq!(generate(n, 0.1, &mut rng).len(), n);
            }
        }
    }

    #[test]
    fn spiral_at_zero_noise_lies_on_its_arms() {
        let data = spiral(8, 0.0, &mut Rng::seed(0));
        // Second point of the positive arm (m = 4): r = 1.25, t = 3.5π/4.
        let t = 3.5 * PI / 4.0;
        assert!((f64::from(data.row(1)[0]) - 1.25 * t.sin()).abs() < 1e-6);
        assert!((f64::from(data.row(1)[1]) - 1.25 * t.cos()).abs() < 1e-6);
        // The negative arm is the positive one turned by π.
        assert!((data.row(5)[0] + data.row(1)[0]).abs() < 1e-6);
        assert_eq!(data.labels().unwrap(), &[1, 1, 1, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn moons_at_zero_noise_match_sklearn_then_the_frame() {
        let data = moons(4, 0.0, &mut Rng::seed(0));
        // make_moons(4, shuffle=False): (1, 0), (−1, 0) upper; (0, 0.5), (2, 0.5) lower.
        let expected = [[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [2.0, 0.5]];
        for (i, [x, y]) in expected.into_iter().enumerate() {
            let mapped = [(x - 0.5) * 3.0, (y - 0.25) * 3.0];
            assert!((data.row(i)[0] - mapped[0]).abs() < 1e-6, "{i}");
            assert!((data.row(i)[1] - mapped[1]).abs() < 1e-6, "{i}");
        }
        assert_eq!(data.labels().unwrap(), &[0, 0, 1, 1]);
    }

    #[test]
    fn checkerboard_at_zero_noise_follows_the_cells() {
        let data = checkerboard(2000, 0.0, &mut Rng::seed(1));
        for i in 0..data.len() {
            let [x, y] = [data.row(i)[0], data.row(i)[1]];
            let parity = ((x / 3.0).floor() as i64 + (y / 3.0).floor() as i64).rem_euclid(2);
            assert_eq!(
                data.labels().unwrap()[i],
                u32::from(parity == 0),
                "({x}, {y})"
            );
        }
    }

    #[test]
    #[should_panic(expected = "noise must lie in [0, 1]")]
    fn noise_above_one_panics() {
        circle(10, 1.5, &mut Rng::seed(0));
    }
}
