//! Where log lines go: a buffer in memory, written to standard error by a flushing thread
//! a few times a second, or at once when it fills. A request pays a lock and a copy for its
//! access line, never a system call of its own; and the lines still buffered when the
//! process ends are written by the guard, on the exiting thread, whatever the machine's
//! load (a writer thread that must be scheduled before a deadline can lose them).

use std::io::{BufWriter, Stderr, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// How often buffered lines are written out.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// The buffer: beyond, the line that fills it writes it out.
const BUFFER_BYTES: usize = 64 * 1024;

type Shared = Arc<Mutex<BufWriter<Stderr>>>;

/// The log's writer, for `tracing_subscriber::fmt().with_writer(...)`.
#[derive(Debug, Clone)]
pub struct LogWriter(Shared);

/// One event's writer: each write locks the buffer and copies into it.
#[derive(Debug)]
pub struct LogLine<'a>(&'a Mutex<BufWriter<Stderr>>);

impl Write for LogLine<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("log buffer poisoned"))?.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Written out by the flushing thread, or by the guard at the end.
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = LogLine<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LogLine(&self.0)
    }
}

/// Keeps the flushing thread running; dropping it writes out what is left, then stops it.
#[derive(Debug)]
pub struct LogGuard {
    shared: Shared,
    stop: Arc<AtomicBool>,
    flusher: Option<JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(flusher) = self.flusher.take() {
            flusher.thread().unpark();
            let _ = flusher.join();
        }
        if let Ok(mut buffer) = self.shared.lock() {
            let _ = buffer.flush();
        }
    }
}

/// A writer to standard error and its guard.
pub fn to_stderr() -> (LogWriter, LogGuard) {
    let shared: Shared = Arc::new(Mutex::new(BufWriter::with_capacity(BUFFER_BYTES, std::io::stderr())));
    let stop = Arc::new(AtomicBool::new(false));
    let flusher = {
        let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
        std::thread::Builder::new().name("entente-log".into()).spawn(move || {
            while !stop.load(Ordering::Acquire) {
                std::thread::park_timeout(FLUSH_EVERY);
                if let Ok(mut buffer) = shared.lock() {
                    let _ = buffer.flush();
                }
            }
        })
    };
    let guard = LogGuard { shared: Arc::clone(&shared), stop, flusher: flusher.ok() };
    (LogWriter(shared), guard)
}
