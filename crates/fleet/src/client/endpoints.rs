//! The endpoints a client may use (one load balancer or several workers), and which of them
//! look healthy: an endpoint that failed is avoided for a while that grows with its failures.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::Url;

/// Longest an endpoint is avoided after failures.
const MAX_QUARANTINE: Duration = Duration::from_secs(30);
/// Avoidance after the first failure (doubled for each further consecutive one).
const FIRST_QUARANTINE: Duration = Duration::from_millis(500);

#[derive(Debug, Default)]
struct Health {
    consecutive_failures: u32,
    avoid_until: Option<Instant>,
}

#[derive(Debug)]
struct Endpoint {
    url: Url,
    health: Mutex<Health>,
}

/// The endpoints and their health.
#[derive(Debug)]
pub struct Endpoints {
    list: Vec<Endpoint>,
    next: AtomicUsize,
}

impl Endpoints {
    /// Endpoints from base URLs (e.g. `http://10.0.0.5:8080`). At least one is required.
    pub fn new(urls: Vec<Url>) -> Option<Self> {
        if urls.is_empty() {
            return None;
        }
        let list = urls.into_iter().map(|url| Endpoint { url, health: Mutex::default() }).collect();
        Some(Self { list, next: AtomicUsize::new(0) })
    }

    /// How many endpoints there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Always false (there is at least one endpoint).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The base URL of endpoint `index`.
    pub fn url(&self, index: usize) -> &Url {
        &self.list[index % self.list.len()].url
    }

    /// The next endpoint to use: round robin over the healthy ones; when none is healthy, the
    /// one whose quarantine ends first.
    pub fn pick(&self) -> usize {
        let now = Instant::now();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.list.len();
        let mut soonest: Option<(usize, Instant)> = None;
        for offset in 0..count {
            let index = (start + offset) % count;
            let health = lock(&self.list[index].health);
            match health.avoid_until {
                Some(until) if until > now => {
                    if soonest.is_none_or(|(_, best)| until < best) {
                        soonest = Some((index, until));
                    }
                }
                _ => return index,
            }
        }
        soonest.map_or(start % count, |(index, _)| index)
    }

    /// Endpoint `index` failed (could not connect, timed out, or its gateway answered 502/504).
    pub fn mark_failure(&self, index: usize) {
        let mut health = lock(&self.list[index % self.list.len()].health);
        health.consecutive_failures = health.consecutive_failures.saturating_add(1);
        let quarantine = FIRST_QUARANTINE.saturating_mul(1u32 << (health.consecutive_failures - 1).min(16)).min(MAX_QUARANTINE);
        health.avoid_until = Some(Instant::now() + quarantine);
    }

    /// Endpoint `index` answered.
    pub fn mark_success(&self, index: usize) {
        *lock(&self.list[index % self.list.len()].health) = Health::default();
    }

    /// Whether endpoint `index` is currently avoided.
    pub fn is_avoided(&self, index: usize) -> bool {
        lock(&self.list[index % self.list.len()].health).avoid_until.is_some_and(|until| until > Instant::now())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(n: usize) -> Endpoints {
        Endpoints::new((0..n).map(|i| Url::parse(&format!("http://127.0.0.1:{}", 9000 + i)).unwrap()).collect()).unwrap()
    }

    #[test]
    fn round_robin_skips_failed_endpoints() {
        let endpoints = endpoints(3);
        endpoints.mark_failure(1);
        let picked: Vec<usize> = (0..6).map(|_| endpoints.pick()).collect();
        assert!(!picked.contains(&1), "{picked:?}");
        assert!(picked.contains(&0) && picked.contains(&2), "{picked:?}");
        endpoints.mark_success(1);
        let picked: Vec<usize> = (0..6).map(|_| endpoints.pick()).collect();
        assert!(picked.contains(&1), "{picked:?}");
    }

    #[test]
    fn when_all_failed_the_soonest_back_is_tried() {
        let endpoints = endpoints(2);
        endpoints.mark_failure(0);
        endpoints.mark_failure(0);
        endpoints.mark_failure(1);
        assert_eq!(endpoints.pick(), 1);
        assert!(endpoints.is_avoided(0) && endpoints.is_avoided(1));
        assert!(Endpoints::new(vec![]).is_none());
    }
}
