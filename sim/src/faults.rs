//! `--faults RATE`: a seeded share of `/api` requests fails, the ways a flaky network or an
//! overloaded Portainer fails.

use std::sync::Mutex;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 500 with a Portainer error body.
    ServerError,
    /// The request is never answered.
    Hang,
    /// The TCP connection is reset (RST) without an answer.
    Reset,
}

pub struct Faults {
    rate: f64,
    rng: Mutex<u64>,
}

impl Faults {
    pub fn new(rate: f64, seed: u64) -> Self {
        Faults {
            rate: rate.clamp(0.0, 1.0),
            rng: Mutex::new(seed),
        }
    }

    pub fn enabled(&self) -> bool {
        self.rate > 0.0
    }

    /// Decides the fate of one request.
    pub fn draw(&self) -> Option<Fault> {
        if !self.enabled() {
            return None;
        }
        let mut state = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        if unit(splitmix64(&mut state)) >= self.rate {
            return None;
        }
        Some(match splitmix64(&mut state) % 3 {
            0 => Fault::ServerError,
            1 => Fault::Hang,
            _ => Fault::Reset,
        })
    }
}

/// SplitMix64: small, fast and deterministic for a given seed.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1).
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_roughly_respected_and_deterministic() {
        let a = Faults::new(0.25, 7);
        let b = Faults::new(0.25, 7);
        let draws: Vec<_> = (0..4000).map(|_| a.draw()).collect();
        let again: Vec<_> = (0..4000).map(|_| b.draw()).collect();
        assert_eq!(draws, again);
        let failed = draws.iter().filter(|d| d.is_some()).count();
        assert!((800..1200).contains(&failed), "{failed}");
        assert!(Faults::new(0.0, 7).draw().is_none());
        assert!((0..100).all(|_| Faults::new(1.0, 3).draw().is_some()));
    }
}
