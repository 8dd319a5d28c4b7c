//! Saving and loading trained networks: the weights as a [safetensors] file, the model's
//! description as JSON in the file's metadata.
//!
//! A saved [`Mlp`] is one tensor per parameter block, named for its layer's index in
//! [`Mlp::layers`] and stored row-major in the model's element type (`F32` or `F64`):
//!
//! | layer | tensors |
//! |---|---|
//! | [`Dense`](Layer::Dense) | `layers.{l}.weight` `(outputs, inputs)`, `layers.{l}.bias` `(outputs)` |
//! | [`Prelu`](Layer::Prelu) | `layers.{l}.alpha` `(width)` per unit, else `(1)` |
//!
//! The safetensors `__metadata__` map holds one entry, [`DESCRIPTION_KEY`], whose value is a JSON
//! object: the format name and version, the element type, the input and output widths, the
//! seed, the layer list (kinds, widths, activations in `act`'s `Display` form such as
//! `leaky_relu(negative_slope=0.2)`, initialisers), the [`ModelCard`] (what prediction needs
//! from the data side: the loss, feature and class names, the standardiser's statistics) and a
//! CRC-32 of every tensor's bytes.
//!
//! [`load`] trusts nothing in the file. It checks the safetensors framing, the format and
//! version, the element type, that the layers chain (each layer's input is the previous one's
//! output) and their parameters are valid, that the card fits the network, that every expected
//! tensor is present with its dtype, shape and checksum, that no other tensor is, and that every
//! value is finite. Only then does it build the model: a bad file gives a [`PersistError`]
//! naming the file and what is wrong, never a panic and never a half-loaded model.
//!
//! [`save`] writes to `PATH.tmp` in the same directory, flushes it to disk, then renames it over
//! `PATH` (and flushes the directory), so a crash leaves either the old file or the new one,
//! never a torn one.
//!
//! ```
//! use act::Activation;
//! use nn::persist::{self, ModelCard};
//! use nn::{Mlp, Mode};
//!
//! let mut model = Mlp::<f32>::builder(2)
//!     .dense(4).act(Activation::LeakyRelu { negative_slope: 0.2 })
//!     .dense(2)
//!     .build(7)?;
//! let card = ModelCard::classifier(&["x", "y"], 2);
//! let path = std::env::temp_dir().join(format!("nn-persist-doc-{}.safetensors", std::process::id()));
//! persist::save(&path, &model, &card)?;
//!
//! let (mut loaded, loaded_card) = persist::load::<f32>(&path)?;
//! assert_eq!(loaded_card, card);
//! assert_eq!(loaded.layers(), model.layers());
//! let x = [0.5, -1.0];
//! assert_eq!(loaded.forward(&x, Mode::Eval), model.forward(&x, Mode::Eval));
//! # std::fs::remove_file(&path)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [safetensors]: https://huggingface.co/docs/safetensors

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use act::Activation;
use act::gated::Gate;
use safetensors::tensor::{Dtype, SafeTensorError, SafeTensors, TensorView};
use serde::{Deserialize, Serialize};

use crate::Scalar;
use crate::data::{Dataset, Standardizer};
use crate::init::{FanMode, Init};
use crate::layer::Layer;
use crate::loss::Loss;
use crate::model::Mlp;
use crate::num::{cast, wide};

/// The `__metadata__` key whose value is the JSON model description.
pub const DESCRIPTION_KEY: &str = "actlab.model";
/// The description's `format` field.
pub const FORMAT: &str = "actlab-mlp";
/// The description's `version` this code writes and reads.
pub const VERSION: u32 = 1;

/// What prediction needs to know besides the network: how to read the outputs and how to
/// prepare the inputs. Saved with the weights, so `actlab predict` needs nothing else.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelCard {
    /// The loss the network was trained with: it says how outputs become predictions
    /// (arg-max or a threshold) and probabilities (softmax or sigmoid).
    pub loss: Loss,
    /// One name per input feature, in input order.
    pub feature_names: Vec<String>,
    /// The number of classes for a classifier, `None` for regression.
    pub n_classes: Option<usize>,
    /// One name per class, when known (`n_classes` of them).
    pub class_names: Option<Vec<String>>,
    /// The per-feature standardisation fitted on the training set, to replay on every input;
    /// `None` when the inputs were used as they are.
    pub standardizer: Option<Standardizer>,
    /// Where the training data came from, in words (`"xor (noise 0)"`, a file name); free text.
    pub source: String,
}

impl ModelCard {
    /// A softmax cross-entropy classifier over `n_classes` classes on features named
    /// `feature_names`, unstandardised, with no class names and no source.
    pub fn classifier(feature_names: &[&str], n_classes: usize) -> ModelCard {
        ModelCard {
            loss: Loss::SoftmaxCrossEntropy,
            feature_names: feature_names.iter().map(|s| (*s).to_owned()).collect(),
            n_classes: Some(n_classes),
            class_names: None,
            standardizer: None,
            source: String::new(),
        }
    }

    /// The card of a model trained on `data` with `loss`, its inputs standardised by
    /// `standardizer` if given: feature names, the number of classes and the class names come
    /// from the dataset.
    pub fn for_dataset(
        data: &Dataset,
        loss: Loss,
        standardizer: Option<Standardizer>,
        source: impl Into<String>,
    ) -> ModelCard {
        ModelCard {
            loss,
            feature_names: data.feature_names().to_vec(),
            n_classes: data.n_classes(),
            class_names: data.class_names().map(<[String]>::to_vec),
            standardizer,
            source: source.into(),
        }
    }
}

/// Why a model could not be saved or loaded. Every variant names the file (`path`: the path
/// given, or the origin passed to [`from_bytes`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum PersistError {
    /// Reading or writing the file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The file is shorter (or longer) than its safetensors header says: truncated, or not a
    /// safetensors file at all.
    Truncated {
        /// The file.
        path: PathBuf,
        /// The file's size in bytes.
        size: usize,
        /// The safetensors parser's words.
        reason: String,
    },
    /// The safetensors header is not valid (not UTF-8, not JSON, overlapping or out-of-range
    /// tensor offsets, …): the file is corrupt.
    Header {
        /// The file.
        path: PathBuf,
        /// The safetensors parser's words.
        reason: String,
    },
    /// The file has no actlab model description ([`DESCRIPTION_KEY`] in its metadata): it is a
    /// safetensors file, but not one this module wrote.
    MissingDescription {
        /// The file.
        path: PathBuf,
    },
    /// The model description is not the JSON this module writes (a missing, extra or mistyped
    /// field).
    Description {
        /// The file.
        path: PathBuf,
        /// What is wrong, as the JSON parser says it.
        reason: String,
    },
    /// The description's format or version is not the one this code reads.
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The format found.
        format: String,
        /// The version found.
        version: u32,
    },
    /// The model's element type is not the one asked for (or not `f32`/`f64`).
    Dtype {
        /// The file.
        path: PathBuf,
        /// The element type asked for.
        expected: &'static str,
        /// The element type in the file.
        found: String,
    },
    /// A layer names an activation or gate the catalogue does not have, or parameters it
    /// rejects.
    UnknownActivation {
        /// The file.
        path: PathBuf,
        /// The layer's index.
        layer: usize,
        /// The name as written.
        name: String,
        /// The catalogue's words.
        reason: String,
    },
    /// The description contradicts itself: layers that do not chain, an invalid layer
    /// parameter, a card that does not fit the network.
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// What does not fit, in words.
        what: String,
    },
    /// A parameter tensor the layers need is absent.
    MissingTensor {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
    },
    /// The file holds a tensor no layer needs.
    UnexpectedTensor {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
    },
    /// A tensor's dtype is not the model's element type.
    TensorDtype {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
        /// The dtype expected (`F32` or `F64`).
        expected: String,
        /// The dtype found.
        found: String,
    },
    /// A tensor's shape is not the one its layer needs.
    TensorShape {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
        /// The shape expected.
        expected: Vec<usize>,
        /// The shape found.
        found: Vec<usize>,
    },
    /// A tensor's bytes do not match the CRC-32 the description recorded: they were damaged
    /// after saving.
    Checksum {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
        /// The CRC-32 recorded.
        expected: u32,
        /// The CRC-32 of the bytes found.
        found: u32,
    },
    /// A parameter is NaN or infinite (a diverged model: refused on save and on load).
    NonFinite {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
        /// The flat (row-major) index of the first such value.
        index: usize,
        /// The value.
        value: f64,
    },
}

impl fmt::Display for PersistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersistError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            PersistError::Truncated { path, size, reason } => write!(
                f,
                "{}: the file ({size} bytes) does not match its safetensors header, so it is \
                 truncated or not a safetensors file ({reason})",
                path.display()
            ),
            PersistError::Header { path, reason } => write!(
                f,
                "{}: corrupt safetensors header ({reason})",
                path.display()
            ),
            PersistError::MissingDescription { path } => write!(
                f,
                "{}: not an actlab model (no {DESCRIPTION_KEY:?} entry in the safetensors metadata)",
                path.display()
            ),
            PersistError::Description { path, reason } => {
                write!(f, "{}: invalid model description: {reason}", path.display())
            }
            PersistError::UnsupportedVersion {
                path,
                format,
                version,
            } => write!(
                f,
                "{}: model format {format:?} version {version} is not supported (this actlab \
                 reads {FORMAT:?} version {VERSION})",
                path.display()
            ),
            PersistError::Dtype {
                path,
                expected,
                found,
            } => write!(
                f,
                "{}: the model's element type is {found:?}, expected {expected}",
                path.display()
            ),
            PersistError::UnknownActivation {
                path,
                layer,
                name,
                reason,
            } => write!(
                f,
                "{}: layer {layer}: unknown activation {name:?} ({reason})",
                path.display()
            ),
            PersistError::Inconsistent { path, what } => {
                write!(
                    f,
                    "{}: inconsistent model description: {what}",
                    path.display()
                )
            }
            PersistError::MissingTensor { path, tensor } => {
                write!(f, "{}: tensor {tensor} is missing", path.display())
            }
            PersistError::UnexpectedTensor { path, tensor } => write!(
                f,
                "{}: tensor {tensor} belongs to no layer of the model",
                path.display()
            ),
            PersistError::TensorDtype {
                path,
                tensor,
                expected,
                found,
            } => write!(
                f,
                "{}: tensor {tensor} has dtype {found}, expected {expected}",
                path.display()
            ),
            PersistError::TensorShape {
                path,
                tensor,
                expected,
                found,
            } => write!(
                f,
                "{}: tensor {tensor} has shape {found:?}, expected {expected:?}",
                path.display()
            ),
            PersistError::Checksum {
                path,
                tensor,
                expected,
                found,
            } => write!(
                f,
                "{}: tensor {tensor} is damaged (CRC-32 {found:08x}, recorded {expected:08x})",
                path.display()
            ),
            PersistError::NonFinite {
                path,
                tensor,
                index,
                value,
            } => write!(
                f,
                "{}: tensor {tensor} holds {value} at index {index} (a diverged model?)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for PersistError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PersistError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A network of either element type, from [`load_any`].
#[derive(Clone, Debug)]
pub enum AnyMlp {
    /// Saved as `F32`.
    F32(Mlp<f32>),
    /// Saved as `F64`.
    F64(Mlp<f64>),
}

// ---- the JSON description ---------------------------------------------------------------------

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
struct Description {
    format: String,
    version: u32,
    /// `f32` or `f64`.
    dtype: String,
    inputs: usize,
    outputs: usize,
    seed: u64,
    layers: Vec<LayerDesc>,
    card: CardDesc,
    /// CRC-32 of each tensor's bytes, by tensor name.
    checksums: BTreeMap<String, u32>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum LayerDesc {
    Dense {
        inputs: usize,
        outputs: usize,
        init: InitDesc,
    },
    Activation {
        /// `act`'s `Display` form: `tanh`, `leaky_relu(negative_slope=0.2)`.
        activation: String,
        width: usize,
    },
    Prelu {
        width: usize,
        per_unit: bool,
        /// The initial slope (the learned ones are the `alpha` tensor).
        init: f64,
    },
    Rrelu {
        /// `rrelu` or `rrelu(lower=…, upper=…)`.
        activation: String,
        width: usize,
    },
    Gated {
        /// `glu`, `reglu`, `geglu` or `swiglu`.
        gate: String,
        inputs: usize,
        outputs: usize,
    },
    Dropout {
        width: usize,
        p: f64,
    },
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
struct InitDesc {
    /// [`Init::name`].
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gain: Option<f64>,
    /// `fan_in` or `fan_out`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mode: Option<String>,
    /// The bound of `uniform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<f64>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
struct CardDesc {
    /// [`Loss::name`].
    loss: String,
    feature_names: Vec<String>,
    n_classes: Option<usize>,
    class_names: Option<Vec<String>>,
    standardizer: Option<StandardizerDesc>,
    source: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
struct StandardizerDesc {
    mean: Vec<f64>,
    std: Vec<f64>,
}

fn describe_init(init: &Init) -> InitDesc {
    let mut desc = InitDesc {
        name: init.name().to_owned(),
        gain: init.gain(),
        mode: None,
        a: None,
    };
    match *init {
        Init::HeUniform { mode, .. } | Init::HeNormal { mode, .. } => {
            desc.mode = Some(mode.name().to_owned());
        }
        Init::Uniform { a } => desc.a = Some(a),
        _ => {}
    }
    desc
}

fn describe_layer(layer: &Layer) -> LayerDesc {
    match *layer {
        Layer::Dense {
            inputs,
            outputs,
            ref init,
        } => LayerDesc::Dense {
            inputs,
            outputs,
            init: describe_init(init),
        },
        Layer::Activation { activation, width } => LayerDesc::Activation {
            activation: activation.to_string(),
            width,
        },
        Layer::Prelu {
            width,
            per_unit,
            init,
        } => LayerDesc::Prelu {
            width,
            per_unit,
            init,
        },
        Layer::Rrelu {
            width,
            lower,
            upper,
        } => LayerDesc::Rrelu {
            activation: Activation::Rrelu { lower, upper }.to_string(),
            width,
        },
        Layer::Gated { gate, outputs } => LayerDesc::Gated {
            gate: gate.name().to_owned(),
            inputs: 2 * outputs,
            outputs,
        },
        Layer::Dropout { width, p } => LayerDesc::Dropout { width, p },
    }
}

fn describe_card(card: &ModelCard) -> CardDesc {
    CardDesc {
        loss: card.loss.name().to_owned(),
        feature_names: card.feature_names.clone(),
        n_classes: card.n_classes,
        class_names: card.class_names.clone(),
        standardizer: card.standardizer.as_ref().map(|s| StandardizerDesc {
            mean: s.mean().to_vec(),
            std: s.std().to_vec(),
        }),
        source: card.source.clone(),
    }
}

/// The loss called `name` ([`Loss::name`]'s spelling).
fn loss_from_name(name: &str) -> Option<Loss> {
    [Loss::SoftmaxCrossEntropy, Loss::BceWithLogits, Loss::Mse]
        .into_iter()
        .find(|l| l.name() == name)
}

// ---- the tensors ------------------------------------------------------------------------------

/// One parameter tensor a layer needs: its name, shape and place in the flat buffer.
struct TensorSpec {
    name: String,
    shape: Vec<usize>,
    range: core::ops::Range<usize>,
}

/// The tensors of `layers`, in layer order, with their places in the flat parameter buffer
/// (whose layout [`Mlp`]'s docs give).
fn tensor_specs(layers: &[Layer]) -> Vec<TensorSpec> {
    let mut specs = Vec::new();
    let mut offset = 0;
    for (l, layer) in layers.iter().enumerate() {
        match *layer {
            Layer::Dense {
                inputs, outputs, ..
            } => {
                let w = outputs * inputs;
                specs.push(TensorSpec {
                    name: format!("layers.{l}.weight"),
                    shape: vec![outputs, inputs],
                    range: offset..offset + w,
                });
                specs.push(TensorSpec {
                    name: format!("layers.{l}.bias"),
                    shape: vec![outputs],
                    range: offset + w..offset + w + outputs,
                });
            }
            Layer::Prelu { .. } => specs.push(TensorSpec {
                name: format!("layers.{l}.alpha"),
                shape: vec![layer.n_params()],
                range: offset..offset + layer.n_params(),
            }),
            _ => {}
        }
        offset += layer.n_params();
    }
    specs
}

/// The safetensors dtype of `T`.
fn dtype_of<T: Scalar>() -> Dtype {
    if <T as act::Real>::NAME == "f64" {
        Dtype::F64
    } else {
        Dtype::F32
    }
}

/// `values` as little-endian bytes of `dtype` (exact: `values` are of that type).
fn to_le_bytes<T: Scalar>(values: &[T], dtype: Dtype) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(values.len() * dtype.bitsize() / 8);
    for &v in values {
        if dtype == Dtype::F64 {
            bytes.extend_from_slice(&wide(v).to_le_bytes());
        } else {
            // Exact: T is f32 here.
            bytes.extend_from_slice(&(wide(v) as f32).to_le_bytes());
        }
    }
    bytes
}

/// Little-endian `bytes` of `dtype` (F32 or F64) as values of `T` (exact: `T` is that type).
fn from_le_bytes<T: Scalar>(bytes: &[u8], dtype: Dtype, out: &mut [T]) {
    if dtype == Dtype::F64 {
        for (v, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
            let array: [u8; 8] = chunk.try_into().expect("chunks of 8");
            *v = cast(f64::from_le_bytes(array));
        }
    } else {
        for (v, chunk) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            let array: [u8; 4] = chunk.try_into().expect("chunks of 4");
            *v = cast(f64::from(f32::from_le_bytes(array)));
        }
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

// ---- saving -----------------------------------------------------------------------------------

/// The safetensors bytes of `model` with `card`: what [`save`] writes. `origin` names the
/// destination in errors.
///
/// # Errors
///
/// [`PersistError::NonFinite`] if a parameter is NaN or infinite;
/// [`PersistError::Inconsistent`] if `card` does not fit the model (see [`load`]).
pub fn to_bytes<T: Scalar>(
    model: &Mlp<T>,
    card: &ModelCard,
    origin: impl AsRef<Path>,
) -> Result<Vec<u8>, PersistError> {
    let path = origin.as_ref();
    let inconsistent = |what: String| PersistError::Inconsistent {
        path: path.to_owned(),
        what,
    };
    check_card(card, model.inputs(), model.outputs()).map_err(inconsistent)?;
    let dtype = dtype_of::<T>();
    let specs = tensor_specs(model.layers());
    let mut buffers = Vec::with_capacity(specs.len());
    let mut checksums = BTreeMap::new();
    for spec in &specs {
        let values = &model.params()[spec.range.clone()];
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(PersistError::NonFinite {
                path: path.to_owned(),
                tensor: spec.name.clone(),
                index,
                value: wide(values[index]),
            });
        }
        let bytes = to_le_bytes(values, dtype);
        checksums.insert(spec.name.clone(), crc32(&bytes));
        buffers.push(bytes);
    }
    let description = Description {
        format: FORMAT.to_owned(),
        version: VERSION,
        dtype: <T as act::Real>::NAME.to_owned(),
        inputs: model.inputs(),
        outputs: model.outputs(),
        seed: model.seed(),
        layers: model.layers().iter().map(describe_layer).collect(),
        card: describe_card(card),
        checksums,
    };
    let json = serde_json::to_string(&description).expect("the description serialises");
    let metadata = HashMap::from([(DESCRIPTION_KEY.to_owned(), json)]);
    let views = specs
        .iter()
        .zip(&buffers)
        .map(|(spec, bytes)| {
            let view = TensorView::new(dtype, spec.shape.clone(), bytes)
                .expect("a tensor's bytes match its shape");
            (spec.name.clone(), view)
        })
        .collect::<Vec<_>>();
    safetensors::serialize(views, Some(metadata)).map_err(|e| PersistError::Header {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

/// Saves `model` and `card` to `path` as safetensors (see the [module docs](self)), atomically:
/// the bytes go to `PATH.tmp` in the same directory, are flushed to disk, and the file is then
/// renamed over `path`, so `path` is never left half-written.
///
/// # Errors
///
/// As [`to_bytes`], and [`PersistError::Io`] if the file cannot be written (the temporary file
/// is removed then).
pub fn save<T: Scalar>(
    path: impl AsRef<Path>,
    model: &Mlp<T>,
    card: &ModelCard,
) -> Result<(), PersistError> {
    let path = path.as_ref();
    let bytes = to_bytes(model, card, path)?;
    write_atomically(path, &bytes).map_err(|source| PersistError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Writes `bytes` to `path` through `PATH.tmp`: write, fsync, rename, fsync the directory.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file",
        ));
    };
    let mut tmp_name = name.to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let written = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        // The data must be on disk before the rename makes it visible under `path`.
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
        return written;
    }
    // The rename itself is durable only once the directory is flushed (POSIX).
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

// ---- loading ----------------------------------------------------------------------------------

/// Loads a model saved by [`save`] in element type `T`, with its card.
///
/// # Errors
///
/// [`PersistError::Io`] if the file cannot be read; [`PersistError::Dtype`] if it holds the
/// other element type (use [`load_any`] for either); otherwise as [`from_bytes`].
pub fn load<T: Scalar>(path: impl AsRef<Path>) -> Result<(Mlp<T>, ModelCard), PersistError> {
    let path = path.as_ref();
    let bytes = read(path)?;
    from_bytes(&bytes, path)
}

/// Loads a model saved by [`save`] in whichever element type it was saved, with its card.
///
/// # Errors
///
/// As [`load`], less the element-type mismatch.
pub fn load_any(path: impl AsRef<Path>) -> Result<(AnyMlp, ModelCard), PersistError> {
    let path = path.as_ref();
    let bytes = read(path)?;
    let decoded = decode(&bytes, path)?;
    Ok(match decoded.dtype {
        Dtype::F64 => {
            let (model, card) = decoded.build::<f64>()?;
            (AnyMlp::F64(model), card)
        }
        _ => {
            let (model, card) = decoded.build::<f32>()?;
            (AnyMlp::F32(model), card)
        }
    })
}

fn read(path: &Path) -> Result<Vec<u8>, PersistError> {
    fs::read(path).map_err(|source| PersistError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Parses and validates safetensors `bytes` as [`load`] does; `origin` names them in errors.
///
/// # Errors
///
/// [`PersistError::Truncated`] or [`PersistError::Header`] if the safetensors framing is
/// broken; [`PersistError::MissingDescription`], [`PersistError::Description`] or
/// [`PersistError::UnsupportedVersion`] if the description is absent, malformed or of another
/// version; [`PersistError::Dtype`] for an element type other than `T`;
/// [`PersistError::UnknownActivation`] or [`PersistError::Inconsistent`] for layers or a card
/// that make no valid model; [`PersistError::MissingTensor`],
/// [`PersistError::UnexpectedTensor`], [`PersistError::TensorDtype`],
/// [`PersistError::TensorShape`], [`PersistError::Checksum`] or [`PersistError::NonFinite`]
/// for tensors that do not fit.
pub fn from_bytes<T: Scalar>(
    bytes: &[u8],
    origin: impl AsRef<Path>,
) -> Result<(Mlp<T>, ModelCard), PersistError> {
    let path = origin.as_ref();
    let decoded = decode(bytes, path)?;
    if decoded.dtype != dtype_of::<T>() {
        return Err(PersistError::Dtype {
            path: path.to_owned(),
            expected: <T as act::Real>::NAME,
            found: decoded.description.dtype.clone(),
        });
    }
    decoded.build()
}

/// A file whose framing, description, layers and card are valid; its tensors are checked by
/// [`Decoded::build`].
struct Decoded<'a> {
    path: &'a Path,
    tensors: SafeTensors<'a>,
    description: Description,
    dtype: Dtype,
    layers: Vec<Layer>,
    card: ModelCard,
}

fn decode<'a>(bytes: &'a [u8], path: &'a Path) -> Result<Decoded<'a>, PersistError> {
    let owned = || path.to_owned();
    let tensors = SafeTensors::deserialize(bytes).map_err(|e| match e {
        SafeTensorError::HeaderTooSmall
        | SafeTensorError::InvalidHeaderLength
        | SafeTensorError::MetadataIncompleteBuffer => PersistError::Truncated {
            path: owned(),
            size: bytes.len(),
            reason: e.to_string(),
        },
        other => PersistError::Header {
            path: owned(),
            reason: other.to_string(),
        },
    })?;
    // The metadata lives in the header; `read_metadata` parses it again (cheap: the header is
    // small), since `SafeTensors` does not hand it out.
    let (_, metadata) = SafeTensors::read_metadata(bytes).map_err(|e| PersistError::Header {
        path: owned(),
        reason: e.to_string(),
    })?;
    let json = metadata
        .metadata()
        .as_ref()
        .and_then(|m| m.get(DESCRIPTION_KEY))
        .ok_or_else(|| PersistError::MissingDescription { path: owned() })?;
    let description: Description =
        serde_json::from_str(json).map_err(|e| PersistError::Description {
            path: owned(),
            reason: e.to_string(),
        })?;
    if description.format != FORMAT || description.version != VERSION {
        return Err(PersistError::UnsupportedVersion {
            path: owned(),
            format: description.format,
            version: description.version,
        });
    }
    let dtype = match description.dtype.as_str() {
        "f32" => Dtype::F32,
        "f64" => Dtype::F64,
        other => {
            return Err(PersistError::Dtype {
                path: owned(),
                expected: "f32 or f64",
                found: other.to_owned(),
            });
        }
    };
    let layers = rebuild_layers(&description, path)?;
    let card = rebuild_card(&description.card)
        .and_then(|card| {
            check_card(&card, description.inputs, description.outputs)?;
            Ok(card)
        })
        .map_err(|what| PersistError::Inconsistent {
            path: owned(),
            what,
        })?;
    Ok(Decoded {
        path,
        tensors,
        description,
        dtype,
        layers,
        card,
    })
}

/// The layers the description lists, each checked as [`MlpBuilder`](crate::MlpBuilder) checks
/// them, and chained: every layer's input width is the previous layer's output width.
fn rebuild_layers(description: &Description, path: &Path) -> Result<Vec<Layer>, PersistError> {
    let inconsistent = |what: String| PersistError::Inconsistent {
        path: path.to_owned(),
        what,
    };
    let unknown = |layer: usize, name: &str, reason: String| PersistError::UnknownActivation {
        path: path.to_owned(),
        layer,
        name: name.to_owned(),
        reason,
    };
    if description.inputs == 0 {
        return Err(inconsistent("the input width is 0".into()));
    }
    if description.layers.is_empty() {
        return Err(inconsistent("the model has no layers".into()));
    }
    let mut width = description.inputs;
    let mut layers = Vec::with_capacity(description.layers.len());
    for (l, desc) in description.layers.iter().enumerate() {
        let chain = |inputs: usize| {
            if inputs == width {
                Ok(())
            } else {
                Err(inconsistent(format!(
                    "layer {l} takes {inputs} inputs, but the layer below gives {width}"
                )))
            }
        };
        let layer = match desc {
            LayerDesc::Dense {
                inputs,
                outputs,
                init,
            } => {
                chain(*inputs)?;
                if *outputs == 0 {
                    return Err(inconsistent(format!(
                        "layer {l}: a dense layer with 0 units"
                    )));
                }
                Layer::Dense {
                    inputs: *inputs,
                    outputs: *outputs,
                    init: rebuild_init(init)
                        .ok_or_else(|| inconsistent(format!("layer {l}: invalid init {init:?}")))?,
                }
            }
            LayerDesc::Activation {
                activation: name,
                width: w,
            } => {
                chain(*w)?;
                let activation: Activation = name
                    .parse()
                    .map_err(|e: act::ParamError| unknown(l, name, e.to_string()))?;
                if matches!(
                    activation,
                    Activation::Prelu { .. } | Activation::Rrelu { .. }
                ) {
                    return Err(inconsistent(format!(
                        "layer {l}: {name} is saved as its own layer kind, not as an activation"
                    )));
                }
                Layer::Activation {
                    activation,
                    width: *w,
                }
            }
            LayerDesc::Prelu {
                width: w,
                per_unit,
                init,
            } => {
                chain(*w)?;
                if !init.is_finite() {
                    return Err(inconsistent(format!(
                        "layer {l}: prelu's initial slope {init} is not finite"
                    )));
                }
                Layer::Prelu {
                    width: *w,
                    per_unit: *per_unit,
                    init: *init,
                }
            }
            LayerDesc::Rrelu {
                activation: name,
                width: w,
            } => {
                chain(*w)?;
                let activation: Activation = name
                    .parse()
                    .map_err(|e: act::ParamError| unknown(l, name, e.to_string()))?;
                let Activation::Rrelu { lower, upper } = activation else {
                    return Err(inconsistent(format!(
                        "layer {l}: an rrelu layer holds {name}"
                    )));
                };
                if !(lower.is_finite() && upper.is_finite() && 0.0 <= lower && lower <= upper) {
                    return Err(inconsistent(format!(
                        "layer {l}: rrelu needs finite 0 ≤ lower ≤ upper, got {name}"
                    )));
                }
                Layer::Rrelu {
                    width: *w,
                    lower,
                    upper,
                }
            }
            LayerDesc::Gated {
                gate,
                inputs,
                outputs,
            } => {
                chain(*inputs)?;
                let parsed: Gate = gate
                    .parse()
                    .map_err(|e: act::ParamError| unknown(l, gate, e.to_string()))?;
                if *outputs == 0 || *inputs != 2 * *outputs {
                    return Err(inconsistent(format!(
                        "layer {l}: a gated layer maps 2n inputs to n > 0 outputs, not {inputs} \
                         to {outputs}"
                    )));
                }
                Layer::Gated {
                    gate: parsed,
                    outputs: *outputs,
                }
            }
            LayerDesc::Dropout { width: w, p } => {
                chain(*w)?;
                if !(0.0..1.0).contains(p) {
                    return Err(inconsistent(format!(
                        "layer {l}: dropout probability {p} is not in [0, 1)"
                    )));
                }
                Layer::Dropout { width: *w, p: *p }
            }
        };
        width = layer.outputs();
        layers.push(layer);
    }
    if width != description.outputs {
        return Err(inconsistent(format!(
            "the layers give {width} outputs, the description says {}",
            description.outputs
        )));
    }
    Ok(layers)
}

fn rebuild_init(desc: &InitDesc) -> Option<Init> {
    let gain = || desc.gain.filter(|g| g.is_finite());
    let mode = || match desc.mode.as_deref()? {
        "fan_in" => Some(FanMode::FanIn),
        "fan_out" => Some(FanMode::FanOut),
        _ => None,
    };
    Some(match desc.name.as_str() {
        "zeros" => Init::Zeros,
        "uniform" => Init::Uniform {
            a: desc.a.filter(|a| a.is_finite() && *a >= 0.0)?,
        },
        "playground" => Init::Playground,
        "standard" => Init::Standard,
        "xavier" => Init::GlorotUniform { gain: gain()? },
        "xavier_normal" => Init::GlorotNormal { gain: gain()? },
        "he" => Init::HeUniform {
            mode: mode()?,
            gain: gain()?,
        },
        "he_normal" => Init::HeNormal {
            mode: mode()?,
            gain: gain()?,
        },
        "lecun" => Init::LeCunNormal,
        "orthogonal" => Init::Orthogonal { gain: gain()? },
        _ => return None,
    })
}

fn rebuild_card(desc: &CardDesc) -> Result<ModelCard, String> {
    let loss = loss_from_name(&desc.loss).ok_or_else(|| format!("unknown loss {:?}", desc.loss))?;
    let standardizer = match &desc.standardizer {
        None => None,
        Some(s) => Some(
            Standardizer::from_parts(s.mean.clone(), s.std.clone()).ok_or_else(|| {
                "the standardiser needs one finite mean and one finite, positive std per feature"
                    .to_owned()
            })?,
        ),
    };
    Ok(ModelCard {
        loss,
        feature_names: desc.feature_names.clone(),
        n_classes: desc.n_classes,
        class_names: desc.class_names.clone(),
        standardizer,
        source: desc.source.clone(),
    })
}

/// Whether `card` fits a network of `inputs` inputs and `outputs` outputs.
fn check_card(card: &ModelCard, inputs: usize, outputs: usize) -> Result<(), String> {
    if card.feature_names.len() != inputs {
        return Err(format!(
            "{} feature names for {inputs} inputs",
            card.feature_names.len()
        ));
    }
    if let Some(s) = &card.standardizer
        && s.n_features() != inputs
    {
        return Err(format!(
            "a standardiser of {} features for {inputs} inputs",
            s.n_features()
        ));
    }
    match card.n_classes {
        None => {
            if card.class_names.is_some() {
                return Err("class names on a regression model".into());
            }
        }
        Some(k) => {
            // What the outputs can encode, as the trainer's check: one class per logit, or
            // two for a single BCE or MSE output.
            let encodable = match card.loss {
                Loss::SoftmaxCrossEntropy => outputs,
                _ if outputs == 1 => 2,
                _ => outputs,
            };
            if k == 0 || k > encodable {
                return Err(format!(
                    "{k} classes, but {outputs} {} outputs encode {encodable}",
                    card.loss
                ));
            }
            if let Some(names) = &card.class_names
                && names.len() != k
            {
                return Err(format!("{} class names for {k} classes", names.len()));
            }
        }
    }
    Ok(())
}

impl Decoded<'_> {
    /// Checks every tensor against the layers and builds the model from them.
    fn build<T: Scalar>(self) -> Result<(Mlp<T>, ModelCard), PersistError> {
        let path = self.path;
        let specs = tensor_specs(&self.layers);
        let expected: BTreeSet<&str> = specs.iter().map(|s| s.name.as_str()).collect();
        // Sorted, so the first extra tensor reported does not depend on hash order.
        let mut names = self.tensors.names();
        names.sort_unstable();
        if let Some(extra) = names.iter().find(|n| !expected.contains(**n)) {
            return Err(PersistError::UnexpectedTensor {
                path: path.to_owned(),
                tensor: (*extra).to_owned(),
            });
        }
        let n_params = specs.last().map_or(0, |s| s.range.end);
        let mut params = vec![T::zero(); n_params];
        for spec in &specs {
            let tensor = |name: &str| PersistError::MissingTensor {
                path: path.to_owned(),
                tensor: name.to_owned(),
            };
            let view = self
                .tensors
                .tensor(&spec.name)
                .map_err(|_| tensor(&spec.name))?;
            if view.dtype() != self.dtype {
                return Err(PersistError::TensorDtype {
                    path: path.to_owned(),
                    tensor: spec.name.clone(),
                    expected: self.dtype.to_string(),
                    found: view.dtype().to_string(),
                });
            }
            if view.shape() != spec.shape.as_slice() {
                return Err(PersistError::TensorShape {
                    path: path.to_owned(),
                    tensor: spec.name.clone(),
                    expected: spec.shape.clone(),
                    found: view.shape().to_vec(),
                });
            }
            let found = crc32(view.data());
            match self.description.checksums.get(&spec.name) {
                Some(&recorded) if recorded == found => {}
                Some(&recorded) => {
                    return Err(PersistError::Checksum {
                        path: path.to_owned(),
                        tensor: spec.name.clone(),
                        expected: recorded,
                        found,
                    });
                }
                None => {
                    return Err(PersistError::Inconsistent {
                        path: path.to_owned(),
                        what: format!("no checksum recorded for tensor {}", spec.name),
                    });
                }
            }
            let slot = &mut params[spec.range.clone()];
            from_le_bytes(view.data(), self.dtype, slot);
            if let Some(index) = slot.iter().position(|v| !v.is_finite()) {
                return Err(PersistError::NonFinite {
                    path: path.to_owned(),
                    tensor: spec.name.clone(),
                    index,
                    value: wide(slot[index]),
                });
            }
        }
        if let Some(name) = self
            .description
            .checksums
            .keys()
            .find(|k| !expected.contains(k.as_str()))
        {
            return Err(PersistError::Inconsistent {
                path: path.to_owned(),
                what: format!("a checksum is recorded for tensor {name}, which no layer has"),
            });
        }
        // Everything checked: only now is a model built.
        let mut model = Mlp::from_layers(
            self.description.inputs,
            self.layers,
            self.description.seed,
            1,
        );
        model.params_mut().copy_from_slice(&params);
        Ok((model, self.card))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mode;
    use crate::data::{Targets, playground};
    use crate::rng::Rng;
    use crate::train::{TrainConfig, train};

    /// A fresh path in the system's temporary directory.
    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nn-persist-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    fn card2() -> ModelCard {
        ModelCard::classifier(&["x1", "x2"], 2)
    }

    /// A network with every kind of layer that has parameters, or a parameter in its
    /// description.
    fn every_layer<T: Scalar>() -> Mlp<T> {
        Mlp::<T>::builder(2)
            .dense(6)
            .act(Activation::LeakyRelu {
                negative_slope: 0.2,
            })
            .dense(6)
            .prelu_per_unit()
            .dropout(0.25)
            .dense(4)
            .gated(Gate::Swiglu)
            .dense(3)
            .rrelu(0.1, 0.3)
            .dense(2)
            .act(Activation::Tanh)
            .dense(2)
            .prelu()
            .build(11)
            .unwrap()
    }

    fn round_trip<T: Scalar>() {
        let mut data = playground::xor(200, 0.1, &mut Rng::seed(3));
        let scaler = data.standardize();
        let mut model = every_layer::<T>();
        let config = TrainConfig {
            epochs: 2,
            batch_size: 16,
            ..TrainConfig::default()
        };
        train(&mut model, &data, None, &config, |_| {}).unwrap();
        let card = ModelCard::for_dataset(&data, Loss::SoftmaxCrossEntropy, Some(scaler), "xor");
        let path = temp_path(&format!(
            "round-trip-{}.safetensors",
            <T as act::Real>::NAME
        ));
        save(&path, &model, &card).unwrap();
        assert!(!path.with_extension("safetensors.tmp").exists());

        let (mut loaded, loaded_card) = load::<T>(&path).unwrap();
        assert_eq!(loaded_card, card);
        assert_eq!(loaded.layers(), model.layers());
        assert_eq!(loaded.seed(), model.seed());
        assert_eq!(loaded.params(), model.params());
        let x: Vec<T> = data
            .features()
            .iter()
            .map(|&v| cast(f64::from(v)))
            .collect();
        let expected = model.forward(&x, Mode::Eval).to_vec();
        let got = loaded.forward(&x, Mode::Eval).to_vec();
        // Bit for bit, NaN-safe.
        let bits = |v: &[T]| v.iter().map(|&z| wide(z).to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&expected));

        // The element type is part of the file.
        match load_any(&path).unwrap().0 {
            AnyMlp::F32(_) => assert_eq!(<T as act::Real>::NAME, "f32"),
            AnyMlp::F64(_) => assert_eq!(<T as act::Real>::NAME, "f64"),
        }
        fs::remove_file(&path).unwrap();
    }

    #[test]
    fn round_trip_f32_is_bit_identical() {
        round_trip::<f32>();
    }

    #[test]
    fn round_trip_f64_is_bit_identical() {
        round_trip::<f64>();
    }

    #[test]
    fn the_other_element_type_is_refused() {
        let model = Mlp::<f64>::builder(2).dense(2).build(0).unwrap();
        let bytes = to_bytes(&model, &card2(), "m.safetensors").unwrap();
        let err = from_bytes::<f32>(&bytes, "m.safetensors").unwrap_err();
        assert!(
            matches!(err, PersistError::Dtype { expected: "f32", ref found, .. } if found == "f64")
        );
    }

    #[test]
    fn saving_replaces_the_old_file_and_leaves_no_temporary() {
        let path = temp_path("replace.safetensors");
        fs::write(&path, b"old contents").unwrap();
        let model = Mlp::<f32>::builder(2).dense(2).build(1).unwrap();
        save(&path, &model, &card2()).unwrap();
        assert!(load::<f32>(&path).is_ok());
        let tmp = temp_path("replace.safetensors.tmp");
        assert!(!tmp.exists());
        // A directory in the way: the write fails, the temporary file is cleaned up.
        let blocked = temp_path("blocked");
        fs::create_dir_all(&blocked).unwrap();
        let err = save(&blocked, &model, &card2()).unwrap_err();
        assert!(matches!(err, PersistError::Io { .. }), "{err}");
        assert!(!temp_path("blocked.tmp").exists());
        fs::remove_dir(&blocked).unwrap();
        fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_diverged_model_is_not_saved() {
        let mut model = Mlp::<f32>::builder(2).dense(2).build(1).unwrap();
        model.bias_mut(0).unwrap()[1] = f32::NAN;
        let err = to_bytes(&model, &card2(), "m").unwrap_err();
        assert!(
            matches!(err, PersistError::NonFinite { ref tensor, index: 1, .. } if tensor == "layers.0.bias"),
            "{err}"
        );
    }

    #[test]
    fn a_card_that_does_not_fit_is_not_saved() {
        let model = Mlp::<f32>::builder(3).dense(2).build(1).unwrap();
        let err = to_bytes(&model, &card2(), "m").unwrap_err();
        assert!(matches!(err, PersistError::Inconsistent { .. }), "{err}");
        assert!(err.to_string().contains("2 feature names for 3 inputs"));
    }

    // ---- damaged files ---------------------------------------------------------------------

    /// A saved file's parts, to damage and reassemble.
    struct Parts {
        tensors: Vec<(String, Dtype, Vec<usize>, Vec<u8>)>,
        description: serde_json::Value,
    }

    fn saved_parts() -> (Vec<u8>, Parts) {
        let model = Mlp::<f32>::builder(2)
            .dense(3)
            .act(Activation::Tanh)
            .dense(2)
            .build(5)
            .unwrap();
        let bytes = to_bytes(&model, &card2(), "m.safetensors").unwrap();
        let st = SafeTensors::deserialize(&bytes).unwrap();
        let mut tensors: Vec<_> = st
            .tensors()
            .into_iter()
            .map(|(name, v)| (name, v.dtype(), v.shape().to_vec(), v.data().to_vec()))
            .collect();
        tensors.sort_by(|a, b| a.0.cmp(&b.0));
        let (_, metadata) = SafeTensors::read_metadata(&bytes).unwrap();
        let json = &metadata.metadata().as_ref().unwrap()[DESCRIPTION_KEY];
        let description = serde_json::from_str(json).unwrap();
        (
            bytes,
            Parts {
                tensors,
                description,
            },
        )
    }

    /// Reassembles `parts`, recording fresh checksums when `fix_checksums`.
    fn assemble(mut parts: Parts, fix_checksums: bool) -> Vec<u8> {
        if fix_checksums {
            let sums: serde_json::Map<String, serde_json::Value> = parts
                .tensors
                .iter()
                .map(|(name, _, _, data)| (name.clone(), crc32(data).into()))
                .collect();
            parts.description["checksums"] = sums.into();
        }
        let metadata = HashMap::from([(DESCRIPTION_KEY.to_owned(), parts.description.to_string())]);
        let views: Vec<_> = parts
            .tensors
            .iter()
            .map(|(name, dtype, shape, data)| {
                (
                    name.clone(),
                    TensorView::new(*dtype, shape.clone(), data).unwrap(),
                )
            })
            .collect();
        safetensors::serialize(views, Some(metadata)).unwrap()
    }

    fn load_err(bytes: &[u8]) -> PersistError {
        let err = from_bytes::<f32>(bytes, "damaged.safetensors").unwrap_err();
        assert!(
            err.to_string().starts_with("damaged.safetensors: "),
            "the error names the file: {err}"
        );
        err
    }

    #[test]
    fn unchanged_parts_load() {
        let (original, parts) = saved_parts();
        let bytes = assemble(parts, true);
        assert!(from_bytes::<f32>(&bytes, "m").is_ok());
        assert!(from_bytes::<f32>(&original, "m").is_ok());
    }

    #[test]
    fn a_truncated_file_is_truncated() {
        let (bytes, _) = saved_parts();
        for len in [0, 7, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            let err = load_err(&bytes[..len]);
            assert!(
                matches!(err, PersistError::Truncated { .. }),
                "{len}: {err}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(load_err(&longer), PersistError::Truncated { .. }));
    }

    #[test]
    fn flipped_bytes_in_the_header_are_caught() {
        let (bytes, _) = saved_parts();
        let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        let header = 8..8 + header_len;
        let mut failures = 0;
        for at in header.clone().step_by(7) {
            for mask in [0x01u8, 0x20, 0x80] {
                let mut damaged = bytes.clone();
                damaged[at] ^= mask;
                match from_bytes::<f32>(&damaged, "damaged.safetensors") {
                    Err(err) => {
                        assert!(
                            err.to_string().starts_with("damaged.safetensors: "),
                            "{err}"
                        );
                        failures += 1;
                    }
                    // A flip that changes nothing the model depends on (a letter of the free
                    // text, a digit of an informational field) may load; it must then load the
                    // same network.
                    Ok((model, _)) => {
                        let (original, _) = from_bytes::<f32>(&bytes, "m").unwrap();
                        assert_eq!(model.params(), original.params(), "flip at {at}");
                    }
                }
            }
        }
        assert!(failures > 0);
        // The high bit makes the header invalid UTF-8: a corrupt header.
        let mut damaged = bytes.clone();
        damaged[8 + 2] ^= 0x80;
        assert!(matches!(load_err(&damaged), PersistError::Header { .. }));
        // So does breaking the JSON's first brace.
        let mut damaged = bytes.clone();
        damaged[8] = b'[';
        assert!(matches!(load_err(&damaged), PersistError::Header { .. }));
    }

    #[test]
    fn flipped_bytes_in_the_data_fail_the_checksum() {
        let (mut bytes, _) = saved_parts();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        let err = load_err(&bytes);
        assert!(matches!(err, PersistError::Checksum { .. }), "{err}");
    }

    #[test]
    fn a_tensor_with_the_wrong_shape() {
        let (_, mut parts) = saved_parts();
        // layers.0.weight is (3, 2); the same bytes as (2, 3).
        let weight = parts
            .tensors
            .iter_mut()
            .find(|t| t.0 == "layers.0.weight")
            .unwrap();
        weight.2 = vec![2, 3];
        let err = load_err(&assemble(parts, true));
        match err {
            PersistError::TensorShape {
                tensor,
                expected,
                found,
                ..
            } => {
                assert_eq!(tensor, "layers.0.weight");
                assert_eq!((expected, found), (vec![3, 2], vec![2, 3]));
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_tensor_of_the_wrong_dtype() {
        let (_, mut parts) = saved_parts();
        let bias = parts
            .tensors
            .iter_mut()
            .find(|t| t.0 == "layers.2.bias")
            .unwrap();
        bias.1 = Dtype::I32;
        let err = load_err(&assemble(parts, true));
        assert!(
            matches!(err, PersistError::TensorDtype { ref tensor, .. } if tensor == "layers.2.bias"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_activation_name() {
        let (_, mut parts) = saved_parts();
        parts.description["layers"][1]["activation"] = "tanhh".into();
        let err = load_err(&assemble(parts, true));
        assert!(
            matches!(err, PersistError::UnknownActivation { layer: 1, ref name, .. } if name == "tanhh"),
            "{err}"
        );
        // A known name with a parameter it does not have.
        let (_, mut parts) = saved_parts();
        parts.description["layers"][1]["activation"] = "tanh(alpha=2)".into();
        assert!(matches!(
            load_err(&assemble(parts, true)),
            PersistError::UnknownActivation { layer: 1, .. }
        ));
    }

    #[test]
    fn a_missing_tensor() {
        let (_, mut parts) = saved_parts();
        parts.tensors.retain(|t| t.0 != "layers.2.bias");
        let err = load_err(&assemble(parts, true));
        assert!(
            matches!(err, PersistError::MissingTensor { ref tensor, .. } if tensor == "layers.2.bias"),
            "{err}"
        );
    }

    #[test]
    fn an_extra_tensor() {
        let (_, mut parts) = saved_parts();
        parts
            .tensors
            .push(("layers.1.weight".into(), Dtype::F32, vec![1], vec![0; 4]));
        let err = load_err(&assemble(parts, true));
        assert!(
            matches!(err, PersistError::UnexpectedTensor { ref tensor, .. } if tensor == "layers.1.weight"),
            "{err}"
        );
    }

    #[test]
    fn nan_weights() {
        let (_, mut parts) = saved_parts();
        let weight = parts
            .tensors
            .iter_mut()
            .find(|t| t.0 == "layers.2.weight")
            .unwrap();
        weight.3[4..8].copy_from_slice(&f32::NAN.to_le_bytes());
        let err = load_err(&assemble(parts, true));
        assert!(
            matches!(err, PersistError::NonFinite { ref tensor, index: 1, value, .. } if tensor == "layers.2.weight" && value.is_nan()),
            "{err}"
        );
    }

    #[test]
    fn descriptions_that_contradict_themselves() {
        type Damage = fn(&mut serde_json::Value);
        let cases: [(&str, Damage); 6] = [
            ("widths", |d| d["layers"][2]["inputs"] = 4.into()),
            ("outputs", |d| d["outputs"] = 3.into()),
            ("feature names", |d| {
                d["card"]["feature_names"] = serde_json::json!(["a"])
            }),
            ("classes", |d| d["card"]["n_classes"] = 5.into()),
            ("init", |d| d["layers"][0]["init"]["name"] = "bogus".into()),
            ("loss", |d| d["card"]["loss"] = "hinge".into()),
        ];
        for (what, damage) in cases {
            let (_, mut parts) = saved_parts();
            damage(&mut parts.description);
            let err = load_err(&assemble(parts, true));
            assert!(
                matches!(err, PersistError::Inconsistent { .. }),
                "{what}: {err}"
            );
        }
    }

    #[test]
    fn versions_descriptions_and_foreign_files() {
        let (_, mut parts) = saved_parts();
        parts.description["version"] = 2.into();
        assert!(matches!(
            load_err(&assemble(parts, true)),
            PersistError::UnsupportedVersion { version: 2, .. }
        ));
        let (_, mut parts) = saved_parts();
        parts.description["surprise"] = true.into();
        assert!(matches!(
            load_err(&assemble(parts, true)),
            PersistError::Description { .. }
        ));
        let (_, mut parts) = saved_parts();
        parts.description["dtype"] = "f16".into();
        assert!(matches!(
            load_err(&assemble(parts, true)),
            PersistError::Dtype { .. }
        ));
        // A safetensors file that is not an actlab model.
        let data = [0u8; 8];
        let view = TensorView::new(Dtype::F32, vec![2], &data).unwrap();
        let foreign = safetensors::serialize([("w", view)], None).unwrap();
        assert!(matches!(
            load_err(&foreign),
            PersistError::MissingDescription { .. }
        ));
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it() {
        let err = load::<f32>("/nonexistent/model.safetensors").unwrap_err();
        assert!(matches!(err, PersistError::Io { .. }));
        assert!(
            err.to_string()
                .starts_with("/nonexistent/model.safetensors: ")
        );
    }

    #[test]
    fn regression_cards_round_trip() {
        let data =
            Dataset::new(vec![0.0, 1.0, 2.0], 1, Targets::Values(vec![0.0, 1.0, 2.0])).unwrap();
        let card = ModelCard::for_dataset(&data, Loss::Mse, None, "");
        let model = Mlp::<f64>::builder(1).dense(1).build(0).unwrap();
        let bytes = to_bytes(&model, &card, "m").unwrap();
        let (_, loaded) = from_bytes::<f64>(&bytes, "m").unwrap();
        assert_eq!(loaded, card);
    }
}
