//! Phase timings for benchmarks: the one timer of the program.

/// Phase timings on stderr when `WEGWIJZER_TIMINGS` is set, for benchmarks.
#[derive(Default)]
pub struct Timer(Option<std::time::Instant>);
impl Timer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Timer(std::env::var_os("WEGWIJZER_TIMINGS").map(|_| std::time::Instant::now()))
    }
    pub fn lap(&mut self, what: &str) {
        if let Some(t) = self.0 {
            let rss_mb = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(0, |pages| pages * 4096 / (1024 * 1024));
            eprintln!(
                "timing: {what:<10} {:>8.1} ms  rss {rss_mb} MB",
                t.elapsed().as_secs_f64() * 1000.0
            );
            self.0 = Some(std::time::Instant::now());
        }
    }
}
