//! Docker log demultiplexing: frames split across chunks at every position, partial frames,
//! stdout/stderr, timestamps, TTY text, detection and bad input.

use portlight::portainer::logs::split_timestamp;
use portlight::portainer::{LogDemuxer, LogFraming, LogLine, LogStream};

fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![stream, 0, 0, 0];
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

fn line(stream: LogStream, timestamp: Option<&str>, text: &str) -> LogLine {
    LogLine {
        stream,
        timestamp: timestamp.map(str::to_owned),
        text: text.to_owned(),
        origin: 0,
    }
}

fn run(framing: LogFraming, timestamps: bool, chunks: &[&[u8]]) -> Vec<LogLine> {
    let mut demux = LogDemuxer::new(framing, timestamps);
    let mut lines = Vec::new();
    for chunk in chunks {
        lines.extend(demux.push(chunk));
    }
    lines.extend(demux.finish());
    lines
}

fn sample() -> (Vec<u8>, Vec<LogLine>) {
    let mut bytes = frame(1, b"2024-05-29T10:00:00.123456789Z hello\n");
    bytes.extend(frame(
        2,
        b"2024-05-29T10:00:01.000000001Z oops: \xE2\x9C\x97 failed\n",
    ));
    bytes.extend(frame(
        1,
        b"2024-05-29T10:00:02.5Z multi\n2024-05-29T10:00:03Z two\n",
    ));
    bytes.extend(frame(1, b"2024-05-29T10:00:04Z split "));
    bytes.extend(frame(1, b"across frames\n"));
    bytes.extend(frame(2, b""));
    bytes.extend(frame(1, b"2024-05-29T10:00:05Z crlf\r\n"));
    let expected = vec![
        line(
            LogStream::Stdout,
            Some("2024-05-29T10:00:00.123456789Z"),
            "hello",
        ),
        line(
            LogStream::Stderr,
            Some("2024-05-29T10:00:01.000000001Z"),
            "oops: ✗ failed",
        ),
        line(LogStream::Stdout, Some("2024-05-29T10:00:02.5Z"), "multi"),
        line(LogStream::Stdout, Some("2024-05-29T10:00:03Z"), "two"),
        line(
            LogStream::Stdout,
            Some("2024-05-29T10:00:04Z"),
            "split across frames",
        ),
        line(LogStream::Stdout, Some("2024-05-29T10:00:05Z"), "crlf"),
    ];
    (bytes, expected)
}

#[test]
fn multiplexed_stream_in_one_chunk() {
    let (bytes, expected) = sample();
    assert_eq!(run(LogFraming::Auto, true, &[&bytes]), expected);
    assert_eq!(run(LogFraming::Multiplexed, true, &[&bytes]), expected);
}

#[test]
fn split_at_every_byte_position() {
    let (bytes, expected) = sample();
    for cut in 0..=bytes.len() {
        let (a, b) = bytes.split_at(cut);
        assert_eq!(
            run(LogFraming::Auto, true, &[a, b]),
            expected,
            "cut at {cut}"
        );
    }
    for cut in 1..bytes.len() {
        for second in cut..bytes.len() {
            let parts = [&bytes[..cut], &bytes[cut..second], &bytes[second..]];
            assert_eq!(
                run(LogFraming::Auto, true, &parts),
                expected,
                "cuts {cut} {second}"
            );
        }
    }
}

#[test]
fn one_byte_at_a_time() {
    let (bytes, expected) = sample();
    let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(run(LogFraming::Auto, true, &chunks), expected);
}

#[test]
fn lines_come_out_as_soon_as_complete() {
    let mut demux = LogDemuxer::new(LogFraming::Auto, false);
    let f = frame(1, b"first\nsec");
    assert_eq!(demux.push(&f[..3]), vec![]);
    assert_eq!(demux.framing(), LogFraming::Auto);
    assert_eq!(demux.push(&f[3..10]), vec![]);
    assert_eq!(demux.framing(), LogFraming::Multiplexed);
    assert_eq!(
        demux.push(&f[10..]),
        vec![line(LogStream::Stdout, None, "first")]
    );
    assert_eq!(
        demux.push(&frame(1, b"ond\n")),
        vec![line(LogStream::Stdout, None, "second")]
    );
    // A partial frame waits for the rest; finish() shows what arrived.
    let g = frame(2, b"half a line that never ends");
    assert_eq!(demux.push(&g[..15]), vec![]);
    assert_eq!(
        demux.finish(),
        vec![line(LogStream::Stderr, None, "half a ")]
    );
}

#[test]
fn stdout_and_stderr_partial_lines_do_not_mix() {
    let mut bytes = frame(1, b"out-a");
    bytes.extend(frame(2, b"err-a"));
    bytes.extend(frame(1, b"out-b\n"));
    bytes.extend(frame(2, b"err-b\n"));
    bytes.extend(frame(0, b"stdin counts as stdout\n"));
    assert_eq!(
        run(LogFraming::Auto, false, &[&bytes]),
        vec![
            line(LogStream::Stdout, None, "out-aout-b"),
            line(LogStream::Stderr, None, "err-aerr-b"),
            line(LogStream::Stdout, None, "stdin counts as stdout"),
        ]
    );
}

#[test]
fn tty_text_is_stdout() {
    let text = b"2024-05-29T10:00:00Z \x1b[32mready\x1b[0m\r\n2024-05-29T10:00:01Z bye";
    let expected = vec![
        line(
            LogStream::Stdout,
            Some("2024-05-29T10:00:00Z"),
            "\u{1b}[32mready\u{1b}[0m",
        ),
        line(LogStream::Stdout, Some("2024-05-29T10:00:01Z"), "bye"),
    ];
    assert_eq!(run(LogFraming::Auto, true, &[text]), expected);
    assert_eq!(run(LogFraming::Tty, true, &[text]), expected);
    for cut in 0..=text.len() {
        let (a, b) = text.split_at(cut);
        assert_eq!(
            run(LogFraming::Auto, true, &[a, b]),
            expected,
            "cut at {cut}"
        );
    }
    let mut demux = LogDemuxer::new(LogFraming::Auto, true);
    demux.push(b"h");
    assert_eq!(demux.framing(), LogFraming::Tty);
}

#[test]
fn forcing_tty_keeps_frame_bytes_as_text() {
    let bytes = frame(1, b"x\n");
    let lines = run(LogFraming::Tty, false, &[&bytes]);
    assert_eq!(
        lines,
        vec![line(LogStream::Stdout, None, "\u{1}\0\0\0\0\0\0\u{2}x")]
    );
}

#[test]
fn short_or_odd_starts_are_text() {
    // Fewer than four bytes, all plausible header bytes: decided at finish().
    assert_eq!(
        run(LogFraming::Auto, false, &[b"\x01\0"]),
        vec![line(LogStream::Stdout, None, "\u{1}\0")]
    );
    assert_eq!(
        run(LogFraming::Auto, false, &[b"\x01A", b"BC\n"]),
        vec![line(LogStream::Stdout, None, "\u{1}ABC")]
    );
    assert_eq!(run(LogFraming::Auto, false, &[]), vec![]);
    assert_eq!(run(LogFraming::Auto, false, &[b""]), vec![]);
}

#[test]
fn a_corrupt_header_mid_stream_turns_into_text() {
    let mut bytes = frame(1, b"fine\n");
    bytes.extend(b"\x07garbage\n");
    assert_eq!(
        run(LogFraming::Auto, false, &[&bytes]),
        vec![
            line(LogStream::Stdout, None, "fine"),
            line(LogStream::Stdout, None, "\u{7}garbage")
        ]
    );
}

#[test]
fn invalid_utf8_is_replaced() {
    let bytes = frame(2, b"bad \xFF\xFE bytes\n");
    assert_eq!(
        run(LogFraming::Auto, false, &[&bytes]),
        vec![line(LogStream::Stderr, None, "bad \u{FFFD}\u{FFFD} bytes")]
    );
    // A multi-byte character split across frames survives.
    let mut split = frame(1, b"caf\xC3");
    split.extend(frame(1, b"\xA9\n"));
    assert_eq!(
        run(LogFraming::Auto, false, &[&split]),
        vec![line(LogStream::Stdout, None, "café")]
    );
}

#[test]
fn empty_lines_are_kept() {
    let bytes = frame(1, b"a\n\nb\n");
    assert_eq!(
        run(LogFraming::Auto, false, &[&bytes]),
        vec![
            line(LogStream::Stdout, None, "a"),
            line(LogStream::Stdout, None, ""),
            line(LogStream::Stdout, None, "b")
        ]
    );
}

#[test]
fn huge_frame_lengths_do_not_allocate_up_front() {
    let mut bytes = vec![1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
    bytes.extend(b"only this\n");
    assert_eq!(
        run(LogFraming::Auto, false, &[&bytes]),
        vec![line(LogStream::Stdout, None, "only this")]
    );
}

#[test]
fn very_long_lines_are_emitted_in_pieces() {
    let long = vec![b'a'; 600 * 1024];
    let lines = run(LogFraming::Tty, false, &[&long]);
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines.iter().map(|l| l.text.len()).sum::<usize>(),
        long.len()
    );
}

#[test]
fn timestamps_are_split_only_when_present() {
    assert_eq!(
        split_timestamp("2024-05-29T10:00:00.123456789Z hello world"),
        (Some("2024-05-29T10:00:00.123456789Z"), "hello world")
    );
    assert_eq!(
        split_timestamp("2024-05-29T10:00:00+02:00 x"),
        (Some("2024-05-29T10:00:00+02:00"), "x")
    );
    assert_eq!(
        split_timestamp("2024-05-29T10:00:00Z"),
        (Some("2024-05-29T10:00:00Z"), "")
    );
    assert_eq!(split_timestamp("hello world"), (None, "hello world"));
    assert_eq!(
        split_timestamp("2024 was a year"),
        (None, "2024 was a year")
    );
    assert_eq!(split_timestamp(""), (None, ""));
    // Without timestamps=1 a leading date is part of the text.
    let bytes = frame(1, b"2024-05-29T10:00:00Z app-time\n");
    assert_eq!(
        run(LogFraming::Auto, false, &[&bytes]),
        vec![line(
            LogStream::Stdout,
            None,
            "2024-05-29T10:00:00Z app-time"
        )]
    );
}
