//! No decoder, no error mapping and not the log demuxer panics, whatever the input; and the
//! demuxer's output does not depend on how the input is chunked.

use portlight::portainer::*;
use proptest::prelude::*;

fn decode_all(status: u16, content_type: Option<&str>, body: &str) {
    let _ = decode::<Vec<Stack>>("Stack list", status, content_type, body);
    let _ = decode::<Stack>("Stack", status, content_type, body);
    let _ = decode::<Vec<Environment>>("Environment list", status, content_type, body);
    let _ = decode::<Environment>("Environment", status, content_type, body);
    let _ = decode::<Vec<EndpointGroup>>("EndpointGroup list", status, content_type, body);
    let _ = decode::<User>("User", status, content_type, body);
    let _ = decode::<Vec<AccessToken>>("AccessToken list", status, content_type, body);
    let _ = decode::<Vec<Team>>("Team list", status, content_type, body);
    let _ = decode::<Vec<TeamMembership>>("TeamMembership list", status, content_type, body);
    let _ = decode::<Vec<Role>>("Role list", status, content_type, body);
    let _ = decode::<ResourceControl>("ResourceControl", status, content_type, body);
    let _ = decode::<Status>("Status", status, content_type, body);
    let _ = decode::<SystemVersion>("SystemVersion", status, content_type, body);
    let _ = decode::<PublicSettings>("PublicSettings", status, content_type, body);
    let _ = decode::<Settings>("Settings", status, content_type, body);
    let _ = decode::<Motd>("Motd", status, content_type, body);
    let _ = decode::<StackFile>("StackFile", status, content_type, body);
    let _ = decode::<Vec<ContainerSummary>>("Docker container list", status, content_type, body);
    let _ = decode::<ContainerInspect>("Docker container", status, content_type, body);
    let _ = decode::<Vec<ServiceSummary>>("Docker service list", status, content_type, body);
    let _ = decode::<Vec<TaskSummary>>("Docker task list", status, content_type, body);
    let e = error_from_response(status, content_type, body);
    let _ = e.to_string();
}

/// JSON-ish text built from Portainer's own keys and odd values, to get past the first byte.
fn jsonish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "Id",
        "Name",
        "Type",
        "Status",
        "EndpointId",
        "Env",
        "ResourceControl",
        "UserAccesses",
        "TeamAccesses",
        "UserAccessPolicies",
        "EndpointAuthorizations",
        "SecuritySettings",
        "Snapshots",
        "GitConfig",
        "Authorizations",
        "Labels",
        "Ports",
        "Spec",
        "Mode",
        "prefix",
        "message",
        "details",
        "name",
        "value",
        "Portainer",
        "1",
        "",
    ]);
    let value = prop::sample::select(vec![
        "null",
        "0",
        "-1",
        "7",
        "4294967296",
        "1.5",
        "true",
        "\"x\"",
        "\"\"",
        "[]",
        "{}",
        "[null]",
        "{\"1\":{\"A\":true}}",
        "{\"x\":null}",
        "[{\"name\":1}]",
        "{\"Replicated\":{}}",
        "\"\\ud800\"",
        "1e999",
    ]);
    prop::collection::vec((key, value), 0..8).prop_map(|pairs| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decoders_never_panic_on_text(status in 100u16..600, body in any::<String>(), html in any::<bool>()) {
        let content_type = if html { Some("text/html") } else { Some("application/json") };
        decode_all(status, content_type, &body);
        decode_all(200, None, &body);
    }

    #[test]
    fn decoders_never_panic_on_jsonish(object in jsonish(), as_list in any::<bool>()) {
        let body = if as_list { format!("[{object}]") } else { object };
        decode_all(200, Some("application/json"), &body);
        decode_all(403, Some("application/json"), &body);
    }

    #[test]
    fn demuxer_never_panics(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..8),
                            framing in 0u8..3, timestamps in any::<bool>()) {
        let framing = [LogFraming::Auto, LogFraming::Multiplexed, LogFraming::Tty][framing as usize];
        let mut demux = LogDemuxer::new(framing, timestamps);
        for chunk in &chunks {
            let _ = demux.push(chunk);
        }
        let _ = demux.finish();
    }

    #[test]
    fn demuxer_output_does_not_depend_on_chunking(
        frames in prop::collection::vec((1u8..3, prop::collection::vec(any::<u8>(), 0..40)), 0..6),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
        timestamps in any::<bool>(),
    ) {
        let mut bytes = Vec::new();
        for (stream, payload) in &frames {
            bytes.extend([*stream, 0, 0, 0]);
            bytes.extend((payload.len() as u32).to_be_bytes());
            bytes.extend(payload);
        }
        let whole = {
            let mut d = LogDemuxer::new(LogFraming::Auto, timestamps);
            let mut lines = d.push(&bytes);
            lines.extend(d.finish());
            lines
        };
        let mut points: Vec<usize> = cuts.iter().map(|c| if bytes.is_empty() { 0 } else { c % bytes.len() }).collect();
        points.sort_unstable();
        let mut d = LogDemuxer::new(LogFraming::Auto, timestamps);
        let mut lines = Vec::new();
        let mut start = 0;
        for p in points {
            lines.extend(d.push(&bytes[start..p]));
            start = p;
        }
        lines.extend(d.push(&bytes[start..]));
        lines.extend(d.finish());
        prop_assert_eq!(lines, whole);
    }

    #[test]
    fn versions_and_paths_never_panic(text in any::<String>(), id in any::<u32>()) {
        let _ = ServerVersion::parse(&text);
        let _ = paths::normalize_stack_name(&text);
        let _ = paths::compose_stack_containers(id, &text);
        let _ = paths::logs(id, &LogTarget::Container { id: text.clone() }, &LogOptions::default(), true);
        let _ = paths::logs(id, &LogTarget::Service { id: text.clone() }, &LogOptions::default(), false);
        let _ = paths::url(&text, "/api/stacks");
        let _ = error::redact_secrets(&text);
        let _ = token_prefix(&text);
    }

    #[test]
    fn encoded_values_are_plain_ascii(text in any::<String>()) {
        let encoded = portlight::percent::encode(&text);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
    }
}
