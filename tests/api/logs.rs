//! Capturing what the app logs, for tests that prove secrets never reach the logs.
//!
//! One global subscriber for the whole test binary, off until a test captures: a thread-local
//! subscriber (`set_default`) proved unreliable here, missing every event now and then when
//! other tests ran on other threads. While a capture runs, every test's events are kept (which
//! only makes a "this secret appears nowhere" check stricter); captures run one at a time.

use std::sync::{Arc, Mutex, OnceLock};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::reload;
use tracing_subscriber::util::SubscriberInitExt;

type Handle = reload::Handle<LevelFilter, tracing_subscriber::Registry>;

struct Sink {
    level: Handle,
    buffer: Arc<Mutex<Vec<u8>>>,
    one_at_a_time: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Writer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn sink() -> &'static Sink {
    static SINK: OnceLock<Sink> = OnceLock::new();
    SINK.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let (filter, level) = reload::Layer::new(LevelFilter::OFF);
        let writer = Writer(buffer.clone());
        tracing_subscriber::registry()
            .with(filter)
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || writer.clone()),
            )
            .init();
        Sink {
            level,
            buffer,
            one_at_a_time: tokio::sync::Mutex::new(()),
        }
    })
}

/// Logs captured at `level` until dropped.
pub struct Capture {
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Capture {
    pub async fn start(level: LevelFilter) -> Self {
        let sink = sink();
        let turn = sink.one_at_a_time.lock().await;
        sink.buffer.lock().unwrap().clear();
        sink.level.modify(|filter| *filter = level).unwrap();
        Self { _turn: turn }
    }

    /// Everything logged since the capture started.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&sink().buffer.lock().unwrap()).into_owned()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = sink().level.modify(|filter| *filter = LevelFilter::OFF);
    }
}
