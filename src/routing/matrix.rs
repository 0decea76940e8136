//! Travel matrices: dense durations and distances between locations, and the default provider
//! that derives them from coordinates (great-circle distance times a circuity factor).

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Dense, row-major travel durations and distances between `size` locations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelMatrix {
    size: usize,
    durations: Vec<i64>,
    distances: Vec<i64>,
}

/// A matrix whose parts do not fit together.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MatrixError {
    /// A flat vector is not `size * size` long.
    #[error("expected {expected} entries for a square matrix, got {got}")]
    NotSquare {
        /// `size * size`.
        expected: usize,
        /// What was given.
        got: usize,
    },
    /// A duration or distance is negative.
    #[error("negative entry at ({from}, {to})")]
    Negative {
        /// Row.
        from: usize,
        /// Column.
        to: usize,
    },
}

impl TravelMatrix {
    /// Builds a matrix from row-major durations and distances (any units, non-negative).
    pub fn new(size: usize, durations: Vec<i64>, distances: Vec<i64>) -> Result<Self, MatrixError> {
        let expected = size * size;
        for got in [durations.len(), distances.len()] {
            if got != expected {
                return Err(MatrixError::NotSquare { expected, got });
            }
        }
        let negative = durations
            .iter()
            .zip(&distances)
            .position(|(t, d)| *t < 0 || *d < 0);
        if let Some(at) = negative {
            return Err(MatrixError::Negative {
                from: at / size.max(1),
                to: at % size.max(1),
            });
        }
        Ok(Self {
            size,
            durations,
            distances,
        })
    }

    /// Builds a matrix from a function giving `(duration, distance)`, negative values clamped to 0.
    pub fn from_fn(size: usize, mut entry: impl FnMut(usize, usize) -> (i64, i64)) -> Self {
        let mut durations = Vec::with_capacity(size * size);
        let mut distances = Vec::with_capacity(size * size);
        for a in 0..size {
            for b in 0..size {
                let (t, d) = entry(a, b);
                durations.push(t.max(0));
                distances.push(d.max(0));
            }
        }
        Self {
            size,
            durations,
            distances,
        }
    }

    /// A matrix where duration and distance are the same numbers (as in the Solomon benchmark).
    pub fn symmetric_same(size: usize, values: Vec<i64>) -> Result<Self, MatrixError> {
        Self::new(size, values.clone(), values)
    }

    /// Number of locations.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Travel duration from `from` to `to`.
    #[inline]
    pub fn duration(&self, from: usize, to: usize) -> i64 {
        self.durations[from * self.size + to]
    }

    /// Travel distance from `from` to `to`.
    #[inline]
    pub fn distance(&self, from: usize, to: usize) -> i64 {
        self.distances[from * self.size + to]
    }
}

/// A point on the Earth, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

/// The default provider: road distance is great-circle distance times `circuity`, driven at
/// `speed_kmh`. Distances come out in metres and durations in seconds, rounded up so that a
/// plan never promises an arrival earlier than the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GreatCircle {
    /// Road distance over straight-line distance (about 1.3 in towns, 1.2 between them).
    pub circuity: f64,
    /// Average driving speed, km/h.
    pub speed_kmh: f64,
}

impl GreatCircle {
    /// Builds the matrix between all `points`.
    pub fn matrix(&self, points: &[LatLon]) -> TravelMatrix {
        let n = points.len();
        let mut durations = vec![0; n * n];
        let mut distances = vec![0; n * n];
        let metres_per_second = (self.speed_kmh / 3.6).max(f64::MIN_POSITIVE);
        for (i, a) in points.iter().enumerate() {
            for (j, b) in points.iter().enumerate() {
                let pa = Point::new(a.lon, a.lat);
                let pb = Point::new(b.lon, b.lat);
                let metres = Haversine.distance(pa, pb) * self.circuity;
                // Casts saturate; distances on Earth fit in i64 with room to spare.
                distances[i * n + j] = metres.ceil() as i64;
                durations[i * n + j] = (metres / metres_per_second).ceil() as i64;
            }
        }
        TravelMatrix {
            size: n,
            durations,
            distances,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_vector_of_the_wrong_length_is_refused() {
        let err = TravelMatrix::new(2, vec![0; 3], vec![0; 4]);
        assert_eq!(
            err,
            Err(MatrixError::NotSquare {
                expected: 4,
                got: 3
            })
        );
    }

    #[test]
    fn one_degree_of_latitude_at_sixty_kmh_takes_about_111_minutes() {
        let provider = GreatCircle {
            circuity: 1.0,
            speed_kmh: 60.0,
        };
        let m = provider.matrix(&[
            LatLon {
                lat: 43.0,
                lon: 76.9,
            },
            LatLon {
                lat: 44.0,
                lon: 76.9,
            },
        ]);
        let km = m.distance(0, 1) as f64 / 1000.0;
        assert!((110.0..112.5).contains(&km), "{km}");
        let minutes = m.duration(1, 0) as f64 / 60.0;
        assert!((110.0..112.5).contains(&minutes), "{minutes}");
        assert_eq!(m.distance(0, 0), 0);
    }
}
