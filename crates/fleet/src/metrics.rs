//! A small Prometheus registry: request counts, latency histograms, analyses in flight,
//! rejections and errors, rendered in the text exposition format (version 0.0.4).
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Content type of [`Metrics::render`].
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the latency buckets, in seconds (analyses take from milliseconds to a minute).
const LATENCY_BUCKETS: [f64; 14] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0];

#[derive(Default, Clone)]
struct Histogram {
    /// Count per bucket of [`LATENCY_BUCKETS`] (not cumulative; summed when rendered).
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(index) = LATENCY_BUCKETS.iter().position(|bound| seconds <= *bound) {
            if let Some(bucket) = self.buckets.get_mut(index) {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

/// The worker's metrics. Labels come from a closed set (route templates, status codes, error
/// kinds), so the number of series stays bounded whatever clients send.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    in_flight: AtomicI64,
    rejections: Mutex<BTreeMap<String, u64>>,
    errors: Mutex<BTreeMap<String, u64>>,
}

impl Metrics {
    /// Counts one finished request on `route` (a route template such as `/v1/analyze`).
    pub fn record_request(&self, route: &str, status: u16, elapsed: Duration) {
        *lock(&self.requests).entry((route.to_string(), status)).or_default() += 1;
        lock(&self.latency).entry(route.to_string()).or_default().observe(elapsed.as_secs_f64());
    }

    /// Counts a refused request (`unauthorized`, `too_large`, `overloaded`, `draining`, ...).
    pub fn record_rejection(&self, reason: &str) {
        *lock(&self.rejections).entry(reason.to_string()).or_default() += 1;
    }

    /// Counts an error (`internal`, or `analysis` for a report whose isolated child failed).
    pub fn record_error(&self, kind: &str) {
        *lock(&self.errors).entry(kind.to_string()).or_default() += 1;
    }

    /// One more analysis in flight until the guard is dropped.
    pub fn in_flight(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(self)
    }

    /// Analyses in flight now.
    pub fn in_flight_now(&self) -> i64 {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        header(&mut out, "fcas_requests_total", "counter", "HTTP requests served, by route and status.");
        for ((route, status), count) in lock(&self.requests).iter() {
            let _ = writeln!(out, "fcas_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}");
        }
        header(&mut out, "fcas_request_duration_seconds", "histogram", "Wall time of HTTP requests, by route.");
        for (route, histogram) in lock(&self.latency).iter() {
            render_histogram(&mut out, route, histogram);
        }
        header(&mut out, "fcas_analyses_in_flight", "gauge", "Analyses admitted and not yet answered.");
        let _ = writeln!(out, "fcas_analyses_in_flight {}", self.in_flight_now());
        header(&mut out, "fcas_rejections_total", "counter", "Requests refused before analysis, by reason.");
        for (reason, count) in lock(&self.rejections).iter() {
            let _ = writeln!(out, "fcas_rejections_total{{reason=\"{reason}\"}} {count}");
        }
        header(&mut out, "fcas_errors_total", "counter", "Worker and isolated-analysis failures, by kind.");
        for (kind, count) in lock(&self.errors).iter() {
            let _ = writeln!(out, "fcas_errors_total{{kind=\"{kind}\"}} {count}");
        }
        out
    }
}

/// Decrements the in-flight gauge when dropped (also when a request is cancelled).
pub struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn render_histogram(out: &mut String, route: &str, histogram: &Histogram) {
    let mut cumulative = 0;
    for (bound, count) in LATENCY_BUCKETS.iter().zip(histogram.buckets.iter()) {
        cumulative += count;
        let _ = writeln!(out, "fcas_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}");
    }
    let _ = writeln!(out, "fcas_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", histogram.count);
    let _ = writeln!(out, "fcas_request_duration_seconds_sum{{route=\"{route}\"}} {}", histogram.sum);
    let _ = writeln!(out, "fcas_request_duration_seconds_count{{route=\"{route}\"}} {}", histogram.count);
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_cumulative_histograms_and_counters() {
        let metrics = Metrics::default();
        metrics.record_request("/v1/analyze", 200, Duration::from_millis(3));
        metrics.record_request("/v1/analyze", 200, Duration::from_millis(300));
        metrics.record_request("/v1/analyze", 503, Duration::from_secs(500));
        metrics.record_rejection("overloaded");
        {
            let _guard = metrics.in_flight();
            assert!(metrics.render().contains("fcas_analyses_in_flight 1\n"));
        }
        let text = metrics.render();
        assert!(text.contains("fcas_requests_total{route=\"/v1/analyze\",status=\"200\"} 2\n"), "{text}");
        assert!(text.contains("fcas_request_duration_seconds_bucket{route=\"/v1/analyze\",le=\"0.005\"} 1\n"), "{text}");
        assert!(text.contains("fcas_request_duration_seconds_bucket{route=\"/v1/analyze\",le=\"0.5\"} 2\n"), "{text}");
        assert!(text.contains("fcas_request_duration_seconds_bucket{route=\"/v1/analyze\",le=\"120\"} 2\n"), "{text}");
        assert!(text.contains("fcas_request_duration_seconds_bucket{route=\"/v1/analyze\",le=\"+Inf\"} 3\n"), "{text}");
        assert!(text.contains("fcas_request_duration_seconds_count{route=\"/v1/analyze\"} 3\n"), "{text}");
        assert!(text.contains("fcas_rejections_total{reason=\"overloaded\"} 1\n"), "{text}");
        assert!(text.contains("fcas_analyses_in_flight 0\n"), "{text}");
    }
}
