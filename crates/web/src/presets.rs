//! Presets that demonstrate the guide's claims on the page, each with one line saying what to
//! watch.

use serde::Serialize;

use crate::config::{Config, Feature, LayerSpec, LossKind};

/// A named configuration and what it shows.
#[derive(Clone, Debug, Serialize)]
pub struct Preset {
    /// The preset's id (`vanishing`, …).
    pub name: &'static str,
    /// A short title for the menu.
    pub title: &'static str,
    /// One line: what to watch.
    pub explanation: &'static str,
    /// The configuration it applies.
    pub config: Config,
}

fn layers(count: usize, units: usize, activation: &str) -> Vec<LayerSpec> {
    vec![
        LayerSpec {
            units,
            activation: activation.into(),
        };
        count
    ]
}

/// The presets, in menu order.
pub fn all() -> Vec<Preset> {
    let dying = Config {
        dataset: "spiral".into(),
        features: vec![Feature::X1, Feature::X2],
        layers: layers(3, 8, "relu"),
        init: "he".into(),
        loss: LossKind::Softmax,
        optimizer: "sgd".into(),
        learning_rate: 1.0,
        batch_size: 10,
        ..Config::default()
    };
    vec![
        Preset {
            name: "vanishing",
            title: "Vanishing gradients: deep sigmoid",
            explanation: "Eight sigmoid layers: σ′ ≤ 0.25, so each layer shrinks the gradient and \
                          the gradient-flow panel shows the first layers orders of magnitude \
                          below the last; they barely learn.",
            config: Config {
                dataset: "circle".into(),
                layers: layers(8, 6, "sigmoid"),
                init: "xavier".into(),
                loss: LossKind::Softmax,
                learning_rate: 0.1,
                ..Config::default()
            },
        },
        Preset {
            name: "dying-relu",
            title: "Dying ReLU: learning rate too large",
            explanation: "ReLU at learning rate 1: large updates push units to x < 0 for every \
                          point, where relu′ = 0, and they never come back; watch the dead-unit \
                          count.",
            config: dying.clone(),
        },
        Preset {
            name: "leaky-relu",
            title: "Leaky ReLU survives it",
            explanation: "The same network and learning rate with Leaky ReLU: its slope 0.01 \
                          below zero keeps a gradient flowing, so no unit can die.",
            config: Config {
                layers: layers(3, 8, "leaky_relu"),
                ..dying
            },
        },
        Preset {
            name: "linear-collapse",
            title: "Linear collapse: no nonlinearity",
            explanation: "Four identity layers compose to one linear map: however deep, the \
                          boundary stays a straight line and the circle cannot be separated.",
            config: Config {
                dataset: "circle".into(),
                layers: layers(4, 8, "identity"),
                init: "xavier".into(),
                loss: LossKind::Softmax,
                learning_rate: 0.03,
                ..Config::default()
            },
        },
        Preset {
            name: "divergence",
            title: "Divergence: learning rate far too large",
            explanation: "Leaky ReLU at learning rate 10: the activations overflow within a few \
                          steps, and the page says where and why instead of going grey.",
            config: Config {
                dataset: "spiral".into(),
                layers: layers(3, 8, "leaky_relu"),
                init: "he".into(),
                loss: LossKind::Softmax,
                optimizer: "sgd".into(),
                learning_rate: 10.0,
                ..Config::default()
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    fn by_name(name: &str) -> Config {
        all().into_iter().find(|p| p.name == name).unwrap().config
    }

    #[test]
    fn every_preset_is_valid() {
        for preset in all() {
            preset.config.validate().unwrap();
        }
    }

    #[test]
    fn vanishing_preset_vanishes() {
        let mut vanishing = Session::new(by_name("vanishing")).unwrap();
        vanishing.train_epochs(1);
        let point = vanishing.history().last().unwrap();
        let (first, last) = (point.grad_norms[0], *point.grad_norms.last().unwrap());
        assert!(first < 1e-2 * last, "first {first}, last {last}");
    }

    #[test]
    fn relu_dies_and_leaky_relu_survives() {
        let mut dying = Session::new(by_name("dying-relu")).unwrap();
        dying.train_epochs(20);
        let dead: usize = dying.probe().dead.iter().map(Vec::len).sum();
        assert!(dead >= 4, "only {dead} dead units");
        let mut leaky = Session::new(by_name("leaky-relu")).unwrap();
        leaky.train_epochs(20);
        assert!(leaky.divergence().is_none());
        let dead: usize = leaky.probe().dead.iter().map(Vec::len).sum();
        assert_eq!(dead, 0);
    }

    #[test]
    fn linear_collapse_cannot_separate_the_circle() {
        let mut linear = Session::new(by_name("linear-collapse")).unwrap();
        linear.train_epochs(30);
        assert!(linear.probe().accuracy_train < 0.8);
    }

    #[test]
    fn divergence_preset_diverges_in_words() {
        let mut diverging = Session::new(by_name("divergence")).unwrap();
        diverging.train_epochs(20);
        assert!(diverging.divergence().unwrap().contains("too large"));
    }
}
