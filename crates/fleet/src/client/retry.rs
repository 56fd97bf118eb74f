//! When and how long to wait before trying again: exponential backoff with jitter, at least as
//! long as the server's `Retry-After`, only for failures another attempt can cure.
use std::time::Duration;

use rand::RngExt;
use reqwest::StatusCode;

/// Retry policy of the fleet client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per file, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry (doubled at each further one).
    pub base_delay: Duration,
    /// Largest backoff delay.
    pub max_delay: Duration,
    /// Largest `Retry-After` honoured (a misconfigured server cannot stall the client).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1 for the first retry): uniformly drawn from the
    /// upper half of the exponential step ("equal jitter"), so clients that failed together do
    /// not come back together, and never less than `retry_after`.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let step = self.base_delay.saturating_mul(1u32 << retry.saturating_sub(1).min(20)).min(self.max_delay);
        let half = step / 2;
        let jitter = Duration::from_nanos(rand::rng().random_range(0..=half.as_nanos().min(u128::from(u64::MAX)) as u64));
        let backoff = half + jitter;
        match retry_after {
            Some(wait) => backoff.max(wait.min(self.max_retry_after) + jitter / 4),
            None => backoff,
        }
    }
}

/// Whether a response status is worth another attempt: the load balancer or worker was
/// unavailable (502, 503, 504). Client errors (4xx) never are, nor is 500.
pub fn retryable_status(status: StatusCode) -> bool {
    matches!(status, StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT)
}

/// `Retry-After` in delta-seconds (the form workers send); HTTP dates are ignored.
pub fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    value?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_within_bounds() {
        let policy = RetryPolicy { base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(1), ..RetryPolicy::default() };
        for _ in 0..50 {
            let first = policy.delay(1, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let third = policy.delay(3, None);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400), "{third:?}");
            let late = policy.delay(40, None);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_secs(1), "{late:?}");
        }
    }

    #[test]
    fn jitter_spreads_delays() {
        let policy = RetryPolicy::default();
        let delays: std::collections::BTreeSet<_> = (0..20).map(|_| policy.delay(4, None)).collect();
        assert!(delays.len() > 10, "delays should differ: {delays:?}");
    }

    #[test]
    fn retry_after_is_a_floor_and_is_capped() {
        let policy = RetryPolicy { max_retry_after: Duration::from_secs(3), ..RetryPolicy::default() };
        assert!(policy.delay(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
        assert!(policy.delay(1, Some(Duration::from_secs(3600))) < Duration::from_secs(4));
        assert_eq!(parse_retry_after(Some(" 7 ")), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
    }

    #[test]
    fn only_gateway_failures_are_retried() {
        for code in [502, 503, 504] {
            assert!(retryable_status(StatusCode::from_u16(code).unwrap()));
        }
        for code in [400, 401, 404, 408, 413, 429, 500] {
            assert!(!retryable_status(StatusCode::from_u16(code).unwrap()), "{code}");
        }
    }
}
