//! Docker's log stream, demultiplexed into lines. Pure code: fed any chunks the network gives.
//!
//! Without a TTY, Docker frames the stream: an 8-byte header (stream byte 1 = stdout,
//! 2 = stderr, three zero bytes, big-endian u32 payload length) before each payload. With a TTY
//! the stream is raw text. Lines may span frames and chunks; frames may span chunks.

/// Where a log is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogTarget {
    /// `…/containers/{id}/logs`.
    Container { id: String },
    /// `…/services/{id}/logs?details=1`: every task of the service, each line led by the
    /// task's attributes.
    Service { id: String },
    /// `…/kubernetes/api/v1/namespaces/{ns}/pods/{pod}/log?container=…`: plain text,
    /// stdout and stderr merged (not Docker's frames).
    Pod {
        namespace: String,
        pod: String,
        container: String,
    },
}

impl LogTarget {
    /// How the answer is framed: a pod's log is raw text, Docker's is told from its bytes.
    pub fn framing(&self) -> LogFraming {
        match self {
            Self::Pod { .. } => LogFraming::Tty,
            _ => LogFraming::Auto,
        }
    }
}

/// The stream a line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogStream {
    Stdout,
    Stderr,
}

/// One line of a container's log, without its line ending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub stream: LogStream,
    /// Docker's RFC 3339 (nano) timestamp, when the log was fetched with `timestamps=1`.
    pub timestamp: Option<String>,
    pub text: String,
    /// Which source (or swarm task) wrote it, for a view of several: 0 as the demuxer makes
    /// it; the stack logs page sets it.
    pub origin: u32,
}

/// How the stream is framed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFraming {
    /// Decide from the first bytes: 0, 1 or 2 followed by three zero bytes means multiplexed.
    #[default]
    Auto,
    /// Docker's 8-byte frame headers (containers without a TTY).
    Multiplexed,
    /// Raw text, all stdout (containers with a TTY).
    Tty,
}

/// A line longer than this without a newline is emitted in pieces, bounding memory.
const MAX_LINE_BYTES: usize = 256 * 1024;

/// Turns chunks of a Docker log stream into [`LogLine`]s. Never panics, whatever the input.
#[derive(Clone, Debug)]
pub struct LogDemuxer {
    framing: LogFraming,
    timestamps: bool,
    /// Auto mode: the first bytes, until there are enough to decide.
    sniffed: Vec<u8>,
    header: [u8; 8],
    header_len: usize,
    /// Payload bytes still to come in the current frame.
    remaining: usize,
    current: LogStream,
    stdout_line: Vec<u8>,
    stderr_line: Vec<u8>,
}

impl LogDemuxer {
    /// `timestamps`: the log was requested with `timestamps=1`, so each line starts with one.
    pub fn new(framing: LogFraming, timestamps: bool) -> Self {
        Self {
            framing,
            timestamps,
            sniffed: Vec::new(),
            header: [0; 8],
            header_len: 0,
            remaining: 0,
            current: LogStream::Stdout,
            stdout_line: Vec::new(),
            stderr_line: Vec::new(),
        }
    }

    /// The framing in use: `Auto` until the first bytes have been seen.
    pub fn framing(&self) -> LogFraming {
        self.framing
    }

    /// Feeds the next chunk; returns the lines it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<LogLine> {
        let mut lines = Vec::new();
        if self.framing == LogFraming::Auto {
            self.sniffed.extend_from_slice(chunk);
            match detect(&self.sniffed) {
                Some(framing) => self.framing = framing,
                None => return lines,
            }
            let sniffed = std::mem::take(&mut self.sniffed);
            self.consume(&sniffed, &mut lines);
        } else {
            self.consume(chunk, &mut lines);
        }
        lines
    }

    /// Ends the stream: returns any last line that had no newline. An incomplete frame header
    /// is dropped.
    pub fn finish(&mut self) -> Vec<LogLine> {
        let mut lines = Vec::new();
        if self.framing == LogFraming::Auto && !self.sniffed.is_empty() {
            // Too short to be a frame header: it can only be text.
            self.framing = LogFraming::Tty;
            let sniffed = std::mem::take(&mut self.sniffed);
            self.consume(&sniffed, &mut lines);
        }
        for stream in [LogStream::Stdout, LogStream::Stderr] {
            let pending = std::mem::take(self.line_mut(stream));
            if !pending.is_empty() {
                lines.push(self.make_line(stream, &pending));
            }
        }
        self.header_len = 0;
        self.remaining = 0;
        lines
    }

    fn consume(&mut self, mut input: &[u8], lines: &mut Vec<LogLine>) {
        while !input.is_empty() {
            if self.framing != LogFraming::Multiplexed {
                self.feed(LogStream::Stdout, input, lines);
                return;
            }
            if self.remaining > 0 {
                let n = self.remaining.min(input.len());
                self.feed(self.current, &input[..n], lines);
                self.remaining -= n;
                input = &input[n..];
                continue;
            }
            let n = (8 - self.header_len).min(input.len());
            self.header[self.header_len..self.header_len + n].copy_from_slice(&input[..n]);
            self.header_len += n;
            input = &input[n..];
            if self.header_len < 8 {
                return;
            }
            self.header_len = 0;
            let header = self.header;
            if header[0] > 2 || header[1..4] != [0, 0, 0] {
                // Not a frame header: the stream is not what it claimed. Show the rest as text
                // rather than losing it.
                self.framing = LogFraming::Tty;
                self.feed(LogStream::Stdout, &header, lines);
                continue;
            }
            self.current = if header[0] == 2 {
                LogStream::Stderr
            } else {
                LogStream::Stdout
            };
            let length = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
            self.remaining = usize::try_from(length).unwrap_or(usize::MAX);
        }
    }

    /// Appends payload bytes of `stream`, emitting every completed line.
    fn feed(&mut self, stream: LogStream, mut bytes: &[u8], lines: &mut Vec<LogLine>) {
        while !bytes.is_empty() {
            // Never more than MAX_LINE_BYTES pending: a full buffer is emitted below.
            let room = MAX_LINE_BYTES
                .saturating_sub(self.line_mut(stream).len())
                .max(1);
            let window = &bytes[..bytes.len().min(room)];
            let complete = match window.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.line_mut(stream).extend_from_slice(&window[..i]);
                    bytes = &bytes[i + 1..];
                    true
                }
                None => {
                    self.line_mut(stream).extend_from_slice(window);
                    bytes = &bytes[window.len()..];
                    self.line_mut(stream).len() >= MAX_LINE_BYTES
                }
            };
            if complete {
                let line = std::mem::take(self.line_mut(stream));
                lines.push(self.make_line(stream, &line));
            }
        }
    }

    fn line_mut(&mut self, stream: LogStream) -> &mut Vec<u8> {
        match stream {
            LogStream::Stdout => &mut self.stdout_line,
            LogStream::Stderr => &mut self.stderr_line,
        }
    }

    fn make_line(&self, stream: LogStream, bytes: &[u8]) -> LogLine {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let text = String::from_utf8_lossy(bytes);
        let (timestamp, text) = if self.timestamps {
            split_timestamp(&text)
        } else {
            (None, text.as_ref())
        };
        LogLine {
            stream,
            timestamp: timestamp.map(str::to_owned),
            text: text.to_owned(),
            origin: 0,
        }
    }
}

/// `None` while there are too few bytes to tell.
fn detect(first: &[u8]) -> Option<LogFraming> {
    match first {
        [] => None,
        [b, ..] if *b > 2 => Some(LogFraming::Tty),
        [_, rest @ ..] if rest.len() < 3 => {
            if rest.iter().all(|&b| b == 0) {
                None
            } else {
                Some(LogFraming::Tty)
            }
        }
        [_, 0, 0, 0, ..] => Some(LogFraming::Multiplexed),
        _ => Some(LogFraming::Tty),
    }
}

/// Splits Docker's `2024-05-29T10:00:00.123456789Z ` prefix off a line, if it has one.
pub fn split_timestamp(line: &str) -> (Option<&str>, &str) {
    let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
    let bytes = head.as_bytes();
    let looks_like_time = bytes.len() >= 20
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':';
    if looks_like_time {
        (Some(head), rest)
    } else {
        (None, line)
    }
}
