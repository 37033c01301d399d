//! Progress of a long operation: a bar on a terminal, a log line every few seconds otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

const LOG_EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    label: &'static str,
    total: Option<u64>,
    done: u64,
    bar: Option<ProgressBar>,
    started: Instant,
    last_log: Instant,
}

impl Progress {
    pub fn new(label: &'static str, total: Option<u64>) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = match total {
                Some(total) => ProgressBar::new(total),
                None => ProgressBar::new_spinner(),
            };
            let template = match total {
                Some(_) => "{msg:>8} [{bar:40}] {human_pos}/{human_len} rows ({per_sec}, {eta})",
                None => "{msg:>8} {spinner} {human_pos} rows ({per_sec})",
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(label);
            bar
        });
        let now = Instant::now();
        Self {
            label,
            total,
            done: 0,
            bar,
            started: now,
            last_log: now,
        }
    }

    pub fn add(&mut self, rows: u64) {
        self.done += rows;
        match &self.bar {
            Some(bar) => bar.set_position(self.done),
            None if self.last_log.elapsed() >= LOG_EVERY => {
                self.last_log = Instant::now();
                self.log();
            }
            None => {}
        }
    }

    pub fn finish(&self) {
        match &self.bar {
            Some(bar) => bar.finish(),
            None => self.log(),
        }
    }

    fn log(&self) {
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = self.done as f64 / seconds.max(1e-9);
        match self.total {
            Some(total) if total > 0 => tracing::info!(
                "{}: {} of {} rows ({:.0} %, {:.0} rows/s)",
                self.label,
                self.done,
                total,
                100.0 * self.done as f64 / total as f64,
                rate
            ),
            _ => tracing::info!("{}: {} rows ({:.0} rows/s)", self.label, self.done, rate),
        }
    }
}
