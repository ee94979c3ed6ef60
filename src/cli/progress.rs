//! A progress line on stderr for long scans: bytes and documents read. Shown only after a
//! second, only on a terminal (indicatif draws nothing when stderr is not one).

use crate::io::ScanStats;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running progress display; dropping it stops and clears the line.
pub struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts watching `stats`.
    pub fn start(stats: Arc<Mutex<ScanStats>>) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        let thread = std::thread::spawn(move || {
            for _ in 0..10 {
                std::thread::sleep(Duration::from_millis(100));
                if flag.load(Ordering::Relaxed) {
                    return;
                }
            }
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            while !flag.load(Ordering::Relaxed) {
                let (bytes, docs) = stats.lock().map(|s| (s.bytes, s.docs)).unwrap_or_default();
                bar.set_message(format!("{} read, {docs} documents", indicatif::HumanBytes(bytes)));
                bar.tick();
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress { done, thread: Some(thread) }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The engine's scan watcher when stderr is a terminal: a progress line for long scans.
pub fn on_terminal() -> Option<crate::engine::ScanWatch> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then_some(|stats| Box::new(Progress::start(stats)) as Box<dyn std::any::Any>)
}
