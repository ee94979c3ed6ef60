//! Elasticsearch's `CompensatedSum`: a running double sum with Kahan compensation. SUM,
//! AVG, MV_SUM, MV_AVG and the spatial centroids all add this way, so their last digits
//! are Elasticsearch's, and an overflow stays infinite rather than turning NaN (the
//! compensation of an infinite sum is NaN, so a non-finite sum is left as it is).

/// A running sum and the error its additions left out.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Compensated {
    pub value: f64,
    pub delta: f64,
}

impl Compensated {
    /// Adds `value` carrying its own compensation `delta` (another sum's, when merging).
    pub fn add(&mut self, value: f64, delta: f64) {
        // A non-finite value is added plainly, and a non-finite sum stays as it is.
        if !value.is_finite() {
            self.value += value;
        }
        if self.value.is_finite() {
            let corrected = value + (self.delta + delta);
            let updated = self.value + corrected;
            self.delta = corrected - (updated - self.value);
            self.value = updated;
        }
    }

    /// Adds another sum.
    pub fn merge(&mut self, other: Compensated) {
        self.add(other.value, other.delta);
    }

    /// The sum of `values`.
    pub fn of(values: impl IntoIterator<Item = f64>) -> f64 {
        let mut sum = Compensated::default();
        values.into_iter().for_each(|v| sum.add(v, 0.0));
        sum.value
    }
}

#[cfg(test)]
mod tests {
    use super::Compensated;

    #[test]
    fn compensation_keeps_what_plain_addition_loses() {
        assert_eq!([0.1, 0.2, 0.3].iter().sum::<f64>(), 0.6000000000000001);
        assert_eq!(Compensated::of([0.1, 0.2, 0.3]), 0.6);
    }

    #[test]
    fn an_overflow_stays_infinite() {
        assert_eq!(Compensated::of([1e308, 1e308, 1.0]), f64::INFINITY);
        assert_eq!(Compensated::of([1e308, 1e308, -1e308]), f64::INFINITY);
        assert!(Compensated::of([f64::INFINITY, f64::NEG_INFINITY]).is_nan());
    }
}
