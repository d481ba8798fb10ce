//! Another origin that records every request it gets: where a redirect points, or where an
//! edited address leads, so a test can prove the token never arrived there.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A request as it arrived: the request line and the headers, raw.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub line: String,
    pub headers: Vec<String>,
}

impl Recorded {
    /// Whether any header carries `needle` (a token, typically).
    pub fn carries(&self, needle: &str) -> bool {
        self.line.contains(needle) || self.headers.iter().any(|h| h.contains(needle))
    }
}

/// Listens on a free loopback port until dropped (its thread ends with the process); answers
/// every request with `200 {}` and records it.
pub struct Recorder {
    port: u16,
    seen: Arc<Mutex<Vec<Recorded>>>,
}

impl Recorder {
    pub fn start() -> Recorder {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind a recorder port");
        let port = listener.local_addr().expect("recorder address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        Recorder { port, seen }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn answer(stream: TcpStream, log: &Mutex<Vec<Recorded>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => headers.push(header.trim_end().to_string()),
        }
    }
    log.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Recorded {
            line: line.trim_end().to_string(),
            headers,
        });
    let mut stream = stream;
    let _ = stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    );
}
