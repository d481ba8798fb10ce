//! Percent-encoding (RFC 3986), the one codec for Portainer's query values and path segments
//! and for Portlight's own URL queries.

use std::fmt::Write;

/// Encodes everything except the unreserved characters `A-Z a-z 0-9 - . _ ~`.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Decodes `%XX` and `+` (a space, as HTML forms write it). A malformed escape stays as it is,
/// and bytes that are not UTF-8 become U+FFFD.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                b.get(i + 1).and_then(|c| hex(*c)),
                b.get(i + 2).and_then(|c| hex(*c)),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_stay_and_the_rest_is_escaped() {
        assert_eq!(encode("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn decoding_reads_plus_as_space_and_keeps_malformed_escapes() {
        assert_eq!(decode("a+b%2Bc"), "a b+c");
        assert_eq!(decode("%ZZ%4"), "%ZZ%4");
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert_eq!(decode(&encode("x&y=z 100% 日本")), "x&y=z 100% 日本");
    }
}
