//! How fast a followed log grows (`Config::log_lines_per_sec`): each followed container writes
//! that many lines a second, in at most [`MAX_WRITES_PER_SEC`] writes a second, several lines
//! a write when the rate is higher. A write's lines are stamped evenly between the previous
//! write and now, so times only increase. At 1 line a second (the default) a container writes
//! one line every second, stamped with the time it is written.

use std::time::Duration;

use tokio::time::{interval_at, Instant, Interval, MissedTickBehavior};

use crate::clock;

/// The most writes a second a followed log makes.
pub const MAX_WRITES_PER_SEC: u32 = 20;

const NANOS: i128 = 1_000_000_000;

#[derive(Clone, Copy, Debug)]
pub struct Pace {
    lines_per_sec: u32,
}

impl Pace {
    pub fn new(lines_per_sec: u32) -> Self {
        Pace { lines_per_sec }
    }

    fn writes_per_sec(self) -> u32 {
        self.lines_per_sec.clamp(1, MAX_WRITES_PER_SEC)
    }

    /// The time between two writes.
    pub fn interval(self) -> Duration {
        Duration::from_secs(1) / self.writes_per_sec()
    }

    /// The lines each source writes at write `n` (from 0): the rate spread evenly, so that
    /// every second's writes add up to `lines_per_sec` lines.
    pub fn lines_at(self, n: u64) -> u64 {
        let rate = u64::from(self.lines_per_sec);
        let writes = u64::from(self.writes_per_sec());
        rate * (n + 1) / writes - rate * n / writes
    }

    /// The clock of one followed answer: created when the answer starts.
    pub fn ticker(self) -> Ticker {
        let interval = self.interval();
        let mut ticks = interval_at(Instant::now() + interval, interval);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let (secs, nanos) = clock::now_nanos();
        Ticker {
            pace: self,
            ticks,
            written: 0,
            last: total(secs, nanos) - interval.as_nanos() as i128,
        }
    }
}

/// Nanoseconds since the epoch.
fn total(secs: i64, nanos: u32) -> i128 {
    i128::from(secs) * NANOS + i128::from(nanos)
}

pub struct Ticker {
    pace: Pace,
    ticks: Interval,
    written: u64,
    /// The time of the last line stamped, in nanoseconds.
    last: i128,
}

impl Ticker {
    /// Waits for the next write and returns the times `(secs, nanos)` of the lines each
    /// source writes in it, increasing, the last one now (none at a rate of 0).
    pub async fn next(&mut self) -> Vec<(i64, u32)> {
        self.ticks.tick().await;
        let count = self.pace.lines_at(self.written) as i128;
        self.written += 1;
        let (secs, nanos) = clock::now_nanos();
        let now = total(secs, nanos).max(self.last + count);
        let span = now - self.last;
        let times = (1..=count)
            .map(|j| {
                let t = self.last + span * j / count;
                ((t / NANOS) as i64, (t % NANOS) as u32)
            })
            .collect();
        if count > 0 {
            self.last = now;
        }
        times
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_spread_over_at_most_twenty_writes_a_second() {
        let one = Pace::new(1);
        assert_eq!(one.interval(), Duration::from_secs(1));
        assert!((0..10).all(|n| one.lines_at(n) == 1));
        let busy = Pace::new(200);
        assert_eq!(busy.interval(), Duration::from_millis(50));
        assert!((0..40).all(|n| busy.lines_at(n) == 10));
        let odd = Pace::new(30);
        let second: u64 = (0..20).map(|n| odd.lines_at(n)).sum();
        assert_eq!(second, 30);
        assert!((0..20).all(|n| (1..=2).contains(&odd.lines_at(n))));
        assert_eq!(Pace::new(7).interval(), Duration::from_secs(1) / 7);
        assert_eq!(Pace::new(0).lines_at(3), 0);
    }

    #[tokio::test]
    async fn times_increase_within_and_across_writes() {
        let mut ticker = Pace::new(200).ticker();
        let mut all = Vec::new();
        for _ in 0..3 {
            let times = ticker.next().await;
            assert_eq!(times.len(), 10);
            all.extend(times);
        }
        assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
        let mut idle = Pace::new(0).ticker();
        assert!(idle.next().await.is_empty());
    }
}
