//! How many sources can be followed at once. Each followed source holds a request open. Over
//! HTTP/1.1 a browser opens at most six connections to a server, and a request past the sixth
//! waits for one to close: with six streams open, every other request Portlight sends (a
//! click, a refresh) would wait until the streams end. HTTP/2 and later carry any number of
//! streams over one connection.

/// Streams kept open at once over HTTP/1.1, leaving two connections for everything else.
pub const HTTP1_STREAMS: usize = 4;

/// How many of `sources` to follow, given whether the server speaks HTTP/2 or later (a
/// protocol Portlight cannot tell counts as HTTP/1.1).
pub fn followed_at_once(protocol: &str, sources: usize) -> usize {
    if multiplexed(protocol) {
        sources
    } else {
        sources.min(HTTP1_STREAMS)
    }
}

/// `h2`, `h3`: many streams on one connection (Resource Timing's `nextHopProtocol`).
pub fn multiplexed(protocol: &str) -> bool {
    protocol.starts_with("h2") || protocol.starts_with("h3")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http1_follows_four_streams_and_http2_every_one() {
        assert_eq!(followed_at_once("http/1.1", 10), 4);
        assert_eq!(followed_at_once("http/1.1", 3), 3);
        assert_eq!(followed_at_once("", 10), 4, "unknown counts as HTTP/1.1");
        assert_eq!(followed_at_once("h2", 10), 10);
        assert_eq!(followed_at_once("h3", 10), 10);
    }
}
