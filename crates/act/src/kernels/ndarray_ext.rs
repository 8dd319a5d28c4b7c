//! [`ArrayExt`] and [`ArrayExtMut`]: the slice kernels on `ndarray` arrays (feature `ndarray`).
//!
//! An array whose elements are contiguous in memory (standard or Fortran order) runs the kernel
//! on its memory directly; any other layout (a strided view, a transposed slice) is first copied
//! into standard order. Every element goes through the same kernel either way, and its result
//! depends on its value only, so it does not depend on the layout.

use ndarray::{Array, ArrayBase, Data, DataMut, Dimension};

use super::{Element, Kernels};
use crate::Activation;

/// The kernels of [`Kernels`] on `ndarray` arrays of `f32` or `f64` of any dimension.
///
/// ```
/// use act::Activation;
/// use act::kernels::{ArrayExt, ArrayExtMut};
/// use ndarray::array;
///
/// let x = array![[-1.0f32, 0.0], [2.0, 3.0]];
/// assert_eq!(x.activate(Activation::Relu), array![[0.0, 0.0], [2.0, 3.0]]);
/// // dx = dy·f′(x); the transposed view goes through the same kernel.
/// let dy = array![[1.0f32, 1.0], [1.0, 1.0]];
/// assert_eq!(x.t().activation_backward(Activation::Relu, &dy), array![[0.0, 1.0], [0.0, 1.0]]);
/// let mut z = x.clone();
/// z.activate_in_place(Activation::Sigmoid);
/// assert_eq!(z[[0, 1]], 0.5);
/// ```
pub trait ArrayExt<T: Element, D: Dimension> {
    /// f of every element, as a new array in standard order ([`Kernels::forward`]).
    fn activate(&self, a: Activation) -> Array<T, D>;
    /// dx = dy·f′(x) with x this array's elements, as a new array in standard order
    /// ([`Kernels::backward`]).
    ///
    /// # Panics
    /// If `dy`'s shape differs from this array's.
    fn activation_backward<S: Data<Elem = T>>(
        &self,
        a: Activation,
        dy: &ArrayBase<S, D>,
    ) -> Array<T, D>;
}

/// The in-place kernel ([`Kernels::forward_in_place`]) on arrays whose elements can be written.
pub trait ArrayExtMut<T: Element> {
    /// x ← f(x) for every element.
    fn activate_in_place(&mut self, a: Activation);
}

impl<T, S, D> ArrayExt<T, D> for ArrayBase<S, D>
where
    T: Element,
    S: Data<Elem = T>,
    D: Dimension,
{
    fn activate(&self, a: Activation) -> Array<T, D> {
        let x = self.as_standard_layout();
        let mut y = Array::from_elem(self.raw_dim(), T::from_f64(0.0));
        Kernels::new().forward(a, standard(&x), standard_mut(&mut y));
        y
    }

    fn activation_backward<S2: Data<Elem = T>>(
        &self,
        a: Activation,
        dy: &ArrayBase<S2, D>,
    ) -> Array<T, D> {
        assert_eq!(
            self.shape(),
            dy.shape(),
            "activation_backward: x and dy differ in shape"
        );
        let (x, g) = (self.as_standard_layout(), dy.as_standard_layout());
        let mut dx = Array::from_elem(self.raw_dim(), T::from_f64(0.0));
        Kernels::new().backward(a, standard(&x), standard(&g), standard_mut(&mut dx));
        dx
    }
}

impl<T, S, D> ArrayExtMut<T> for ArrayBase<S, D>
where
    T: Element,
    S: DataMut<Elem = T>,
    D: Dimension,
{
    fn activate_in_place(&mut self, a: Activation) {
        let kernels = Kernels::new();
        if let Some(x) = self.as_slice_memory_order_mut() {
            kernels.forward_in_place(a, x);
        } else {
            let mut copy = self.as_standard_layout().into_owned();
            kernels.forward_in_place(a, standard_mut(&mut copy));
            self.assign(&copy);
        }
    }
}

/// The elements of a standard-layout array, in order.
fn standard<T, S: Data<Elem = T>, D: Dimension>(x: &ArrayBase<S, D>) -> &[T] {
    x.as_slice().expect("standard layout is contiguous")
}

/// The elements of a standard-layout array, in order, writable.
fn standard_mut<T, S: DataMut<Elem = T>, D: Dimension>(x: &mut ArrayBase<S, D>) -> &mut [T] {
    x.as_slice_mut().expect("standard layout is contiguous")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array3, ArrayView2, s};

    fn values(n: usize) -> Vec<f32> {
        (0..n).map(|i| (i as f32 - n as f32 / 2.0) * 0.37).collect()
    }

    #[test]
    fn every_layout_gives_the_slice_kernels_bits() {
        let k = Kernels::new();
        let x = Array3::from_shape_vec((3, 4, 5), values(60)).unwrap();
        let views = [
            x.view(),
            x.view().reversed_axes(),
            x.slice(s![.., 1..3, ..;2]),
            x.slice(s![..;-1, .., 1..]),
        ];
        for a in [
            Activation::Sigmoid,
            Activation::Gelu,
            Activation::LeakyRelu {
                negative_slope: 0.01,
            },
        ] {
            for v in &views {
                let flat: Vec<f32> = v.iter().copied().collect();
                let mut want = vec![0.0f32; flat.len()];
                k.forward(a, &flat, &mut want);
                let got = v.activate(a);
                assert_eq!(got.shape(), v.shape());
                assert!(
                    got.iter()
                        .zip(&want)
                        .all(|(g, w)| g.to_bits() == w.to_bits()),
                    "{a}"
                );

                let dy: Vec<f32> = (0..flat.len()).map(|i| 1.0 + i as f32).collect();
                let dy_arr = Array::from_shape_vec(v.raw_dim(), dy.clone()).unwrap();
                let mut want_dx = vec![0.0f32; flat.len()];
                k.backward(a, &flat, &dy, &mut want_dx);
                let got_dx = v.activation_backward(a, &dy_arr);
                assert!(
                    got_dx
                        .iter()
                        .zip(&want_dx)
                        .all(|(g, w)| g.to_bits() == w.to_bits())
                );

                let mut owned = x.clone();
                let mut view = owned.view_mut();
                // The same elements, written in place through a (possibly strided) view.
                let index = views.iter().position(|w| w == v).unwrap();
                match index {
                    0 => view.activate_in_place(a),
                    1 => view.reversed_axes().activate_in_place(a),
                    2 => view.slice_mut(s![.., 1..3, ..;2]).activate_in_place(a),
                    _ => view.slice_mut(s![..;-1, .., 1..]).activate_in_place(a),
                }
                let written: Vec<f32> = match index {
                    0 => owned.iter().copied().collect(),
                    1 => owned.view().reversed_axes().iter().copied().collect(),
                    2 => owned.slice(s![.., 1..3, ..;2]).iter().copied().collect(),
                    _ => owned.slice(s![..;-1, .., 1..]).iter().copied().collect(),
                };
                assert!(
                    written
                        .iter()
                        .zip(&want)
                        .all(|(g, w)| g.to_bits() == w.to_bits())
                );
            }
        }
    }

    #[test]
    #[should_panic(expected = "differ in shape")]
    fn a_shape_mismatch_panics() {
        let x = ArrayView2::from_shape((2, 3), &[0.0f64; 6]).unwrap();
        let dy = Array::from_elem((3, 2), 1.0f64);
        let _ = x.activation_backward(Activation::Tanh, &dy);
    }
}
