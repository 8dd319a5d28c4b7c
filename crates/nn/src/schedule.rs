//! Learning-rate schedules: the rate for step (or epoch) t as a function of the base rate.
//!
//! Each [`Schedule`] is the closed form of a `torch.optim.lr_scheduler` class (the
//! `_get_closed_form_lr` PyTorch itself uses when given an epoch), so the value for t does not
//! depend on the values before it and a run can resume at any t. Whether t counts epochs or
//! optimiser steps is the caller's choice, as in PyTorch.
//!
//! | [`Schedule`] | η(t) | PyTorch |
//! |---|---|---|
//! | `Constant` | η₀ | (no scheduler) |
//! | `Step { step_size, gamma }` | η₀·γ^⌊t/step_size⌋ | `StepLR` |
//! | `Exponential { gamma }` | η₀·γᵗ | `ExponentialLR` |
//! | `Cosine { t_max, eta_min }` | η_min + (η₀ − η_min)(1 + cos(πt/T_max))/2 | `CosineAnnealingLR` |
//! | `Linear { start_factor, end_factor, total_iters }` | η₀·(s + (e − s)·min(t, T)/T) | `LinearLR` |
//! | `WarmupCosine { warmup, total }` | linear from 0, then cosine to 0 | transformers' `get_cosine_schedule_with_warmup` |
//!
//! Powers and cosines use [`libm`], so a schedule gives the same bits on every platform.
//!
//! ```
//! use nn::schedule::Schedule;
//!
//! let cosine = Schedule::Cosine { t_max: 100, eta_min: 0.0 };
//! assert_eq!(cosine.lr_at(0.1, 0), 0.1);
//! assert!((cosine.lr_at(0.1, 50) - 0.05).abs() < 1e-15);
//! assert!(cosine.lr_at(0.1, 100).abs() < 1e-17);
//! ```

use core::f64::consts::PI;

/// A learning-rate schedule. See the [module docs](self) for the table; each variant's doc gives
/// its formula.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Schedule {
    /// η(t) = η₀ for every t.
    #[default]
    Constant,
    /// `StepLR`: η(t) = η₀·γ^⌊t/step_size⌋, the rate multiplied by γ every `step_size` steps.
    Step {
        /// Steps between decays (≥ 1).
        step_size: u64,
        /// Multiplicative factor γ per decay (PyTorch's default 0.1).
        gamma: f64,
    },
    /// `ExponentialLR`: η(t) = η₀·γᵗ.
    Exponential {
        /// Multiplicative factor γ per step.
        gamma: f64,
    },
    /// `CosineAnnealingLR` (Loshchilov & Hutter's SGDR without restarts):
    /// η(t) = η_min + (η₀ − η_min)·(1 + cos(π·t/T_max))/2, falling from η₀ at t = 0 to η_min
    /// at t = T_max. Past T_max the closed form keeps following the cosine (back up to η₀ at
    /// 2·T_max), as PyTorch's does; size T_max to the run.
    Cosine {
        /// Half-period T_max in steps (≥ 1).
        t_max: u64,
        /// The floor η_min (PyTorch's default 0).
        eta_min: f64,
    },
    /// `LinearLR`: η(t) = η₀·(s + (e − s)·min(t, T)/T), the factor moving linearly from s to e
    /// over T steps and staying at e after: a linear warm-up with s < e = 1.
    Linear {
        /// The factor s at t = 0, in (0, 1] (PyTorch's default 1/3).
        start_factor: f64,
        /// The factor e from t = T on, in [0, 1] (PyTorch's default 1).
        end_factor: f64,
        /// T, the steps the change takes (≥ 1; PyTorch's default 5).
        total_iters: u64,
    },
    /// Linear warm-up then cosine decay to 0, as Hugging Face transformers'
    /// `get_cosine_schedule_with_warmup` (half a cosine cycle):
    /// η(t) = η₀·t/W for t < W, then η₀·max(0, (1 + cos(π·p))/2) with
    /// p = (t − W)/(total − W). The first step (t = 0) has rate 0.
    WarmupCosine {
        /// W, the warm-up steps.
        warmup: u64,
        /// The total number of steps; the rate reaches 0 at t = total.
        total: u64,
    },
}

impl Schedule {
    /// The canonical names [`name`](Schedule::name) returns and
    /// [`from_name`](Schedule::from_name) accepts.
    pub const NAMES: [&'static str; 6] = [
        "constant",
        "step",
        "exponential",
        "cosine",
        "linear",
        "warmup_cosine",
    ];

    /// The learning rate at step (or epoch) `t` for base rate `base_lr` (the optimiser
    /// settings' `lr`), in the operation order of PyTorch's closed forms.
    ///
    /// # Panics
    ///
    /// If `step_size`, `t_max` or `total_iters` is 0 (use [`validate`](Schedule::validate) on
    /// settings a user typed).
    ///
    /// ```
    /// # use nn::schedule::Schedule;
    /// // StepLR's documented example: 0.05 for epochs 0–29, 0.005 for 30–59, 0.0005 for 60–89.
    /// let step = Schedule::Step { step_size: 30, gamma: 0.1 };
    /// assert_eq!(step.lr_at(0.05, 29), 0.05);
    /// assert!((step.lr_at(0.05, 30) - 0.005).abs() < 1e-18);
    /// ```
    pub fn lr_at(&self, base_lr: f64, t: u64) -> f64 {
        match *self {
            Schedule::Constant => base_lr,
            Schedule::Step { step_size, gamma } => {
                assert!(step_size > 0, "Schedule::Step: step_size = 0");
                // base_lr * gamma ** (last_epoch // step_size)
                base_lr * libm::pow(gamma, (t / step_size) as f64)
            }
            // base_lr * gamma ** last_epoch
            Schedule::Exponential { gamma } => base_lr * libm::pow(gamma, t as f64),
            Schedule::Cosine { t_max, eta_min } => {
                assert!(t_max > 0, "Schedule::Cosine: t_max = 0");
                // eta_min + (base_lr - eta_min) * (1 + cos(pi * last_epoch / T_max)) / 2
                let angle = PI * t as f64 / t_max as f64;
                eta_min + (base_lr - eta_min) * (1.0 + libm::cos(angle)) / 2.0
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                assert!(total_iters > 0, "Schedule::Linear: total_iters = 0");
                // base_lr * (start + (end - start) * min(total_iters, last_epoch) / total_iters)
                let progress = t.min(total_iters) as f64;
                base_lr
                    * (start_factor + (end_factor - start_factor) * progress / total_iters as f64)
            }
            Schedule::WarmupCosine { warmup, total } => {
                let factor = if t < warmup {
                    t as f64 / warmup.max(1) as f64
                } else {
                    let progress = (t - warmup) as f64 / total.saturating_sub(warmup).max(1) as f64;
                    // max(0, 0.5 * (1 + cos(pi * num_cycles * 2 * progress))), num_cycles = 0.5
                    (0.5 * (1.0 + libm::cos(PI * 0.5 * 2.0 * progress))).max(0.0)
                };
                // LambdaLR: base_lr * lambda(t)
                base_lr * factor
            }
        }
    }

    /// The canonical name: `constant`, `step`, `exponential`, `cosine`, `linear` or
    /// `warmup_cosine`.
    pub fn name(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Step { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
            Schedule::Cosine { .. } => "cosine",
            Schedule::Linear { .. } => "linear",
            Schedule::WarmupCosine { .. } => "warmup_cosine",
        }
    }

    /// The schedule called `name`, sized for a run of `horizon` steps (or epochs),
    /// t = 0, …, horizon − 1, where it needs a length:
    /// - `constant` (also `none`);
    /// - `step` (`steplr`): γ = 0.1 (PyTorch's default) every ⌈horizon/3⌉ steps, so the rate
    ///   is a hundredth of the base on the last third;
    /// - `exponential`: γ = 0.01^(1/(horizon − 1)), the same hundredfold fall by the last step,
    ///   spread evenly;
    /// - `cosine` (`cosine_annealing`): T_max = horizon, η_min = 0 (PyTorch's default);
    /// - `linear`: PyTorch's `LinearLR` defaults, 1/3 → 1 over 5 steps (a short warm-up);
    /// - `warmup_cosine`: warm-up over the first tenth (at least one step), then cosine to 0
    ///   at `horizon`.
    ///
    /// A `horizon` of 0 is taken as 1. `None` for any other name.
    ///
    /// ```
    /// # use nn::schedule::Schedule;
    /// let cosine = Schedule::from_name("cosine", 200).unwrap();
    /// assert_eq!(cosine, Schedule::Cosine { t_max: 200, eta_min: 0.0 });
    /// for name in Schedule::NAMES {
    ///     assert_eq!(Schedule::from_name(name, 50).unwrap().name(), name);
    /// }
    /// ```
    pub fn from_name(name: &str, horizon: u64) -> Option<Schedule> {
        let horizon = horizon.max(1);
        Some(match name {
            "constant" | "none" => Schedule::Constant,
            "step" | "steplr" => Schedule::Step {
                step_size: horizon.div_ceil(3),
                gamma: 0.1,
            },
            "exponential" => Schedule::Exponential {
                gamma: libm::pow(0.01, 1.0 / (horizon - 1).max(1) as f64),
            },
            "cosine" | "cosine_annealing" => Schedule::Cosine {
                t_max: horizon,
                eta_min: 0.0,
            },
            "linear" => Schedule::Linear {
                start_factor: 1.0 / 3.0,
                end_factor: 1.0,
                total_iters: 5,
            },
            "warmup_cosine" => Schedule::WarmupCosine {
                warmup: (horizon / 10).max(1),
                total: horizon,
            },
            _ => return None,
        })
    }

    /// Checks the parameters as PyTorch's constructors do (and what [`lr_at`](Schedule::lr_at)
    /// needs): periods ≥ 1, γ ≥ 0 and finite, η_min finite, `LinearLR`'s
    /// 0 < start_factor ≤ 1 and 0 ≤ end_factor ≤ 1.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let period = |name: &'static str, value: u64| {
            if value == 0 {
                Err(ScheduleError::ZeroPeriod { name })
            } else {
                Ok(())
            }
        };
        let factor = |name: &'static str, value: f64, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(ScheduleError::InvalidFactor { name, value })
            }
        };
        match *self {
            Schedule::Constant | Schedule::WarmupCosine { .. } => Ok(()),
            Schedule::Step { step_size, gamma } => {
                period("step_size", step_size)?;
                factor("gamma", gamma, gamma >= 0.0 && gamma.is_finite())
            }
            Schedule::Exponential { gamma } => {
                factor("gamma", gamma, gamma >= 0.0 && gamma.is_finite())
            }
            Schedule::Cosine { t_max, eta_min } => {
                period("t_max", t_max)?;
                factor("eta_min", eta_min, eta_min.is_finite())
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                period("total_iters", total_iters)?;
                factor(
                    "start_factor",
                    start_factor,
                    start_factor > 0.0 && start_factor <= 1.0,
                )?;
                factor("end_factor", end_factor, (0.0..=1.0).contains(&end_factor))
            }
        }
    }
}

/// Invalid schedule parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum ScheduleError {
    /// A period (`step_size`, `t_max`, `total_iters`) is 0.
    ZeroPeriod {
        /// The parameter's name.
        name: &'static str,
    },
    /// A factor is out of its range (see [`Schedule::validate`]).
    InvalidFactor {
        /// The parameter's name.
        name: &'static str,
        /// The offending value.
        value: f64,
    },
}

impl core::fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ScheduleError::ZeroPeriod { name } => write!(f, "{name} must be at least 1"),
            ScheduleError::InvalidFactor { name, value } => {
                write!(f, "{name} = {value} is out of range")
            }
        }
    }
}

impl std::error::Error for ScheduleError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-15 * b.abs().max(1e-300) || a == b
    }

    #[test]
    fn constant_is_constant() {
        assert!((0..1000).all(|t| Schedule::Constant.lr_at(0.3, t) == 0.3));
        assert_eq!(Schedule::default(), Schedule::Constant);
    }

    #[test]
    fn step_lr_matches_pytorchs_example() {
        // torch.optim.lr_scheduler.StepLR docs: base 0.05, step_size 30, gamma 0.1:
        // lr = 0.05 for epoch < 30, 0.005 for 30 ≤ epoch < 60, 0.0005 for 60 ≤ epoch < 90.
        let step = Schedule::Step {
            step_size: 30,
            gamma: 0.1,
        };
        for t in 0..90 {
            let expected = [0.05, 0.005, 0.0005][(t / 30) as usize];
            assert!(close(step.lr_at(0.05, t), expected), "{t}");
        }
        // γ⁰ = 1 exactly, so the first period is the base rate bit for bit.
        assert_eq!(step.lr_at(0.05, 0), 0.05);
    }

    #[test]
    fn exponential_lr() {
        let exponential = Schedule::Exponential { gamma: 0.5 };
        for t in 0..60 {
            // Powers of ½ are exact.
            assert_eq!(exponential.lr_at(3.0, t), 3.0 * 0.5f64.powi(t as i32));
        }
    }

    #[test]
    fn cosine_annealing_closed_form() {
        let (base, eta_min, t_max) = (0.1, 0.001, 100);
        let cosine = Schedule::Cosine { t_max, eta_min };
        assert_eq!(cosine.lr_at(base, 0), base);
        assert!(close(cosine.lr_at(base, t_max), eta_min));
        // Half-way the cosine term is 0: the mean of the two ends.
        assert!(close(cosine.lr_at(base, t_max / 2), (base + eta_min) / 2.0));
        // A quarter of the way: (1 + cos(π/4))/2 = (2 + √2)/4 of the way from η_min to η₀.
        let quarter = eta_min + (base - eta_min) * (2.0 + 2f64.sqrt()) / 4.0;
        assert!(close(cosine.lr_at(base, t_max / 4), quarter));
        // Monotone down to T_max, then (PyTorch's closed form) back up to η₀ at 2·T_max.
        for t in 0..t_max {
            assert!(cosine.lr_at(base, t + 1) < cosine.lr_at(base, t), "{t}");
        }
        assert!(close(cosine.lr_at(base, 2 * t_max), base));
    }

    #[test]
    fn linear_lr_matches_pytorchs_example() {
        // torch.optim.lr_scheduler.LinearLR docs: base 0.05, start_factor 0.5, total_iters 4:
        // lr = 0.025, 0.03125, 0.0375, 0.04375, then 0.05.
        let linear = Schedule::Linear {
            start_factor: 0.5,
            end_factor: 1.0,
            total_iters: 4,
        };
        let expected = [0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05, 0.05];
        for (t, lr) in expected.into_iter().enumerate() {
            assert!(close(linear.lr_at(0.05, t as u64), lr), "{t}");
        }
    }

    #[test]
    fn warmup_then_cosine() {
        let schedule = Schedule::WarmupCosine {
            warmup: 10,
            total: 110,
        };
        let base = 0.5;
        // Warm-up: t/W·η₀, from 0.
        assert_eq!(schedule.lr_at(base, 0), 0.0);
        assert!(close(schedule.lr_at(base, 5), 0.25));
        // Peak at t = W, half at the middle of the decay, 0 at the end.
        assert_eq!(schedule.lr_at(base, 10), base);
        assert!(close(schedule.lr_at(base, 60), base / 2.0));
        assert!(schedule.lr_at(base, 110) < 1e-16);
        for t in 0..110 {
            let (now, next) = (schedule.lr_at(base, t), schedule.lr_at(base, t + 1));
            assert!(if t < 10 { next > now } else { next < now }, "{t}");
        }
        // No warm-up is a plain cosine to 0.
        let plain = Schedule::WarmupCosine {
            warmup: 0,
            total: 100,
        };
        let cosine = Schedule::Cosine {
            t_max: 100,
            eta_min: 0.0,
        };
        for t in 0..=100 {
            assert!(
                (plain.lr_at(1.0, t) - cosine.lr_at(1.0, t)).abs() < 1e-15,
                "{t}"
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for name in Schedule::NAMES {
            let schedule = Schedule::from_name(name, 90).unwrap();
            assert_eq!(schedule.name(), name);
            assert_eq!(schedule.validate(), Ok(()));
        }
        assert_eq!(Schedule::from_name("none", 1), Some(Schedule::Constant));
        assert_eq!(
            Schedule::from_name("steplr", 90),
            Some(Schedule::Step {
                step_size: 30,
                gamma: 0.1
            })
        );
        assert_eq!(
            Schedule::from_name("cosine_annealing", 0)
                .unwrap()
                .validate(),
            Ok(())
        );
        assert_eq!(Schedule::from_name("onecycle", 10), None);
        // The horizon-sized defaults end at a hundredth of the base rate on the last step.
        for name in ["step", "exponential"] {
            let schedule = Schedule::from_name(name, 90).unwrap();
            let last = schedule.lr_at(1.0, 89);
            assert!((last / 0.01 - 1.0).abs() < 1e-12, "{name}: {last}");
        }
    }

    #[test]
    fn validation() {
        let bad = [
            (
                Schedule::Step {
                    step_size: 0,
                    gamma: 0.1,
                },
                ScheduleError::ZeroPeriod { name: "step_size" },
            ),
            (
                Schedule::Cosine {
                    t_max: 0,
                    eta_min: 0.0,
                },
                ScheduleError::ZeroPeriod { name: "t_max" },
            ),
            (
                Schedule::Exponential { gamma: -0.5 },
                ScheduleError::InvalidFactor {
                    name: "gamma",
                    value: -0.5,
                },
            ),
            (
                Schedule::Linear {
                    start_factor: 0.0,
                    end_factor: 1.0,
                    total_iters: 5,
                },
                ScheduleError::InvalidFactor {
                    name: "start_factor",
                    value: 0.0,
                },
            ),
            (
                Schedule::Linear {
                    start_factor: 0.5,
                    end_factor: 1.5,
                    total_iters: 5,
                },
                ScheduleError::InvalidFactor {
                    name: "end_factor",
                    value: 1.5,
                },
            ),
        ];
        for (schedule, error) in bad {
            assert_eq!(schedule.validate(), Err(error));
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    #[should_panic(expected = "t_max = 0")]
    fn zero_t_max_panics() {
        Schedule::Cosine {
            t_max: 0,
            eta_min: 0.0,
        }
        .lr_at(0.1, 3);
    }
}
