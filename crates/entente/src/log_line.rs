//! The text log line, written for a server that logs every request: the same shape as
//! `tracing_subscriber`'s default (`TIME LEVEL target: span{fields}: message key=value`),
//! without its per-field styling, with integers written directly and the date part of
//! the timestamp formatted once a second. On the registry read this takes the access
//! line from about 16,700 instructions to about 2,000, with the buffered writer of
//! `log_writer` (bench/instructions_per_read.sh).

use std::cell::RefCell;
use std::fmt;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// The event format of text logs.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainLine;

thread_local! {
    /// The last second formatted on this thread, and its text (`2026-11-23T23:04:26`).
    static SECOND: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
}

fn write_timestamp(writer: &mut Writer<'_>) -> fmt::Result {
    let now = chrono::Utc::now();
    let second = now.timestamp();
    SECOND.with(|cached| {
        let mut cached = cached.borrow_mut();
        if cached.0 != second {
            *cached = (second, now.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
        writer.write_str(&cached.1)
    })?;
    let micros = now.timestamp_subsec_micros();
    let mut digits = itoa::Buffer::new();
    let text = digits.format(micros);
    writer.write_char('.')?;
    for _ in text.len()..6 {
        writer.write_char('0')?;
    }
    writer.write_str(text)?;
    writer.write_char('Z')
}

fn level_text(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => " ERROR ",
        Level::WARN => "  WARN ",
        Level::INFO => "  INFO ",
        Level::DEBUG => " DEBUG ",
        Level::TRACE => " TRACE ",
    }
}

impl<S, N> FormatEvent<S, N> for PlainLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let metadata = event.metadata();
        write_timestamp(&mut writer)?;
        writer.write_str(level_text(metadata.level()))?;
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                writer.write_str(span.name())?;
                let extensions = span.extensions();
                if let Some(fields) = extensions.get::<FormattedFields<N>>().filter(|f| !f.is_empty()) {
                    write!(writer, "{{{fields}}}")?;
                }
                writer.write_str(": ")?;
            }
        }
        writer.write_str(metadata.target())?;
        writer.write_str(":")?;
        let mut fields = Fields { writer: &mut writer, result: Ok(()) };
        event.record(&mut fields);
        fields.result?;
        writer.write_char('\n')
    }
}

/// Writes an event's fields: the message first, then ` key=value` for each other.
struct Fields<'a, 'w> {
    writer: &'a mut Writer<'w>,
    result: fmt::Result,
}

impl Fields<'_, '_> {
    fn name(&mut self, field: &Field) -> fmt::Result {
        self.writer.write_char(' ')?;
        if field.name() != "message" {
            self.writer.write_str(field.name())?;
            self.writer.write_char('=')?;
        }
        Ok(())
    }

    fn put(&mut self, field: &Field, value: impl FnOnce(&mut Writer<'_>) -> fmt::Result) {
        if self.result.is_ok() {
            self.result = self.name(field).and_then(|()| value(self.writer));
        }
    }
}

impl Visit for Fields<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, |w| w.write_str(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, |w| w.write_str(itoa::Buffer::new().format(value)));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, |w| w.write_str(itoa::Buffer::new().format(value)));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, |w| w.write_str(if value { "true" } else { "false" }));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, |w| write!(w, "{value:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_reads_like_the_default_format() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .event_format(PlainLine)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("request", route = "/x");
            span.in_scope(|| {
                tracing::info!(target: "entente::access", method = %"GET", path = "/nations/SE", status = 200u16, latency_us = 17u64, ok = true, "request");
            });
        });
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let line = text.trim_end();
        let (time, rest) = line.split_once(' ').unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
        assert_eq!(
            rest.trim_start(),
            "INFO request{route=\"/x\"}: entente::access: request method=GET path=/nations/SE status=200 latency_us=17 ok=true"
        );
    }
}
