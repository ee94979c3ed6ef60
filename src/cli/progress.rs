//! A progress line on stderr for long scans: bytes and documents read. Shown only after a
//! second, only on a terminal (indicatif draws nothing when stderr is not one).

use crate::io::ScanStats;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running progress display; dropping it stops and clears the line at once (the thread
/// waits on a channel, not in a sleep, so a short query pays nothing for it).
pub struct Progress {
    stop: Option<Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts watching `stats`.
    pub fn start(stats: Arc<Mutex<ScanStats>>) -> Progress {
        let (stop, wait) = channel::<()>();
        let thread = std::thread::spawn(move || {
            // Quiet for the first second; a closed channel means the scan is over.
            if !matches!(wait.recv_timeout(Duration::from_secs(1)), Err(RecvTimeoutError::Timeout)) {
                return;
            }
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            loop {
                let (bytes, docs) = stats.lock().map(|s| (s.bytes, s.docs)).unwrap_or_default();
                bar.set_message(format!("{} read, {docs} documents", indicatif::HumanBytes(bytes)));
                bar.tick();
                if !matches!(wait.recv_timeout(Duration::from_millis(100)), Err(RecvTimeoutError::Timeout)) {
                    break;
                }
            }
            bar.finish_and_clear();
        });
        Progress { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.stop.take());
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
