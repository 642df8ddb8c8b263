//! Request metrics in Prometheus's text format: a count per route, method and status, and
//! a latency histogram per route and method. Routes are the router's patterns
//! (`/api/v1/nations/{code}`), so the number of series stays bounded; unmatched addresses
//! share one. Each series is a set of atomics found under a read lock, so counting costs a
//! request a hash lookup and a few relaxed increments.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::http::Method;

/// The histogram's upper bounds, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Debug, Default)]
struct Latency {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

#[derive(Debug, Default)]
struct RouteSeries {
    /// By method: the latency histogram, and the count by status.
    by_method: RwLock<HashMap<Method, Arc<MethodSeries>>>,
}

#[derive(Debug, Default)]
struct MethodSeries {
    latency: Latency,
    by_status: RwLock<HashMap<u16, Arc<AtomicU64>>>,
}

/// Every request counted and timed, by route.
#[derive(Debug, Default)]
pub struct RequestMetrics {
    routes: RwLock<HashMap<String, Arc<RouteSeries>>>,
}

/// The value under `key` in `map`, made on first use.
fn entry<K, Q, V>(map: &RwLock<HashMap<K, Arc<V>>>, key: &Q, owned: impl FnOnce() -> K) -> Option<Arc<V>>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
    V: Default,
{
    if let Some(found) = map.read().ok()?.get(key) {
        return Some(Arc::clone(found));
    }
    let mut writable = map.write().ok()?;
    Some(Arc::clone(writable.entry(owned()).or_default()))
}

impl RequestMetrics {
    /// Counts one answered request.
    pub fn record(&self, route: &str, method: &Method, status: u16, elapsed: Duration) {
        // Any token is a method to HTTP: one made up per request must not make a series each.
        let known =
            [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS];
        let other = Method::from_bytes(b"OTHER").unwrap_or(Method::TRACE);
        let method = if known.contains(method) { method } else { &other };
        let Some(route) = entry(&self.routes, route, || route.to_owned()) else { return };
        let Some(series) = entry(&route.by_method, method, || method.clone()) else { return };
        if let Some(counter) = entry(&series.by_status, &status, || status) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let seconds = elapsed.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&series.latency.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        series.latency.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        series.latency.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The series, in the text format.
    pub fn render(&self, out: &mut String) {
        let Ok(routes) = self.routes.read() else { return };
        let mut routes: Vec<_> = routes.iter().map(|(r, s)| (r.clone(), Arc::clone(s))).collect();
        routes.sort_by(|a, b| a.0.cmp(&b.0));
        let mut counts = String::new();
        let mut histograms = String::new();
        for (route, series) in routes {
            let route = escape(&route);
            let Ok(methods) = series.by_method.read() else { continue };
            let mut methods: Vec<_> = methods.iter().map(|(m, s)| (m.clone(), Arc::clone(s))).collect();
            methods.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            for (method, series) in methods {
                let labels = format!("route=\"{route}\",method=\"{method}\"");
                if let Ok(statuses) = series.by_status.read() {
                    let mut statuses: Vec<_> = statuses.iter().map(|(s, c)| (*s, c.load(Ordering::Relaxed))).collect();
                    statuses.sort_unstable();
                    for (status, count) in statuses {
                        let _ = writeln!(counts, "entente_http_requests_total{{{labels},status=\"{status}\"}} {count}");
                    }
                }
                let latency = &series.latency;
                for (bound, bucket) in BUCKETS.iter().zip(&latency.buckets) {
                    let n = bucket.load(Ordering::Relaxed);
                    let _ = writeln!(
                        histograms,
                        "entente_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                    );
                }
                let count = latency.count.load(Ordering::Relaxed);
                let sum = latency.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
                let _ = writeln!(
                    histograms,
                    "entente_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
                );
                let _ = writeln!(histograms, "entente_http_request_duration_seconds_sum{{{labels}}} {sum}");
                let _ = writeln!(histograms, "entente_http_request_duration_seconds_count{{{labels}}} {count}");
            }
        }
        let _ =
            writeln!(out, "# HELP entente_http_requests_total HTTP requests answered, by route, method and status.");
        let _ = writeln!(out, "# TYPE entente_http_requests_total counter");
        out.push_str(&counts);
        let _ = writeln!(out, "# HELP entente_http_request_duration_seconds Time to answer, by route and method.");
        let _ = writeln!(out, "# TYPE entente_http_request_duration_seconds histogram");
        out.push_str(&histograms);
    }
}

/// A label value with `\`, `"` and line ends escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The process's own figures, read from `/proc` on Linux (nothing elsewhere).
pub fn render_process(out: &mut String, started: std::time::SystemTime) {
    let mut gauge = |name: &str, kind: &str, help: &str, value: f64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
    };
    if let Ok(since_epoch) = started.duration_since(std::time::UNIX_EPOCH) {
        gauge(
            "process_start_time_seconds",
            "gauge",
            "Start time of the process since the Unix epoch.",
            since_epoch.as_secs_f64(),
        );
    }
    // /proc/self/stat: utime and stime (fields 14, 15) in clock ticks, RSS (24) in pages.
    if let Ok(stat) = std::fs::read_to_string("/proc/self/stat")
        && let Some(after_name) = stat.rsplit_once(") ").map(|(_, rest)| rest)
    {
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let number = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
        // Fields after the name start at field 3; the kernel's clock tick is 100 Hz on Linux.
        if let (Some(user), Some(system)) = (number(11), number(12)) {
            gauge("process_cpu_seconds_total", "counter", "CPU time used, user and system.", (user + system) / 100.0);
        }
        if let Some(pages) = number(21) {
            gauge("process_resident_memory_bytes", "gauge", "Resident memory.", pages * 4096.0);
        }
        if let Some(bytes) = number(20) {
            gauge("process_virtual_memory_bytes", "gauge", "Virtual memory.", bytes);
        }
    }
    if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
        gauge("process_open_fds", "gauge", "Open file descriptors.", fds.count() as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::RequestMetrics;
    use axum::http::Method;
    use std::time::Duration;

    #[test]
    fn requests_are_counted_by_route_method_and_status() {
        let metrics = RequestMetrics::default();
        metrics.record("/api/v1/nations/{code}", &Method::GET, 200, Duration::from_micros(700));
        metrics.record("/api/v1/nations/{code}", &Method::GET, 200, Duration::from_millis(30));
        metrics.record("/api/v1/nations/{code}", &Method::GET, 404, Duration::from_micros(100));
        for made_up in ["FOO1", "FOO2", "FOO3"] {
            metrics.record("(unmatched)", &Method::from_bytes(made_up.as_bytes()).unwrap(), 405, Duration::ZERO);
        }
        let mut text = String::new();
        metrics.render(&mut text);
        let labels = "route=\"/api/v1/nations/{code}\",method=\"GET\"";
        assert!(text.contains(&format!("entente_http_requests_total{{{labels},status=\"200\"}} 2")), "{text}");
        assert!(text.contains(&format!("entente_http_requests_total{{{labels},status=\"404\"}} 1")), "{text}");
        assert!(text.contains(&format!("entente_http_request_duration_seconds_bucket{{{labels},le=\"0.001\"}} 2")));
        assert!(text.contains(&format!("entente_http_request_duration_seconds_count{{{labels}}} 3")));
        assert!(text.contains("entente_http_requests_total{route=\"(unmatched)\",method=\"OTHER\",status=\"405\"} 3"));
        assert!(!text.contains("FOO"), "made-up methods share one series");
    }
}
