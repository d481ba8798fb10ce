//! The check against go-yaml's and gojsonschema's own answers: the expected texts below are what
//! gopkg.in/yaml.v3 v3.0.1, gopkg.in/yaml.v2 v2.4.0 and gojsonschema v1.2.0 (with the schemas
//! compose-go and the docker CLI embed) give for the same input.

use super::yaml::{documents, Dialect};
use super::{check, Refusal, Tool};
use crate::model::stack::STACK_SWARM;
use crate::PortainerVersion::{V2_19, V2_23};

const PATH: &str = "/data/compose/3/docker-compose.yml";

/// go-yaml's error for `text`, or `ok`.
fn go_yaml(text: &str, dialect: Dialect) -> String {
    let all = dialect == Dialect::V3;
    match documents::<String>(text, dialect, all, |_| Ok(())) {
        Ok(_) => "ok".into(),
        Err(text) => text,
    }
}

fn stderr(tool: Tool, file: &str) -> String {
    match check(tool, file, PATH) {
        Ok(()) => "ok".into(),
        Err(Refusal { stderr, .. }) => stderr,
    }
}

#[test]
fn syntax_errors_read_as_go_yaml_words_them() {
    // (file, yaml.v3, yaml.v2): v3 prints the line of the context mark, v2 that of the problem,
    // and a parser error's line counts from 0.
    let cases = [
        (
            "services:\n  web:\n    image: nginx\n    ports: 80:80: x\n",
            "yaml: line 4: mapping values are not allowed in this context",
            "yaml: line 4: mapping values are not allowed in this context",
        ),
        (
            "services:\n  web:\n    image: nginx\n   ports:\n      - \"80:80\"\n",
            "yaml: line 1: did not find expected key",
            "yaml: line 3: did not find expected key",
        ),
        (
            "services:\n  web:\n    image: \"nginx\n    ports:\n      - 80\n",
            "yaml: line 3: found unexpected end of stream",
            "yaml: line 6: found unexpected end of stream",
        ),
        (
            "services:\n  web:\n    image: nginx\n    environment:\n      - A=1\n      B: 2\n",
            "yaml: line 4: did not find expected '-' indicator",
            "yaml: line 5: did not find expected '-' indicator",
        ),
        (
            "services:\n\tweb:\n    image: nginx\n",
            "yaml: line 2: found character that cannot start any token",
            "yaml: line 2: found character that cannot start any token",
        ),
        (
            "services:\n  web:\n    image: nginx\n    command: [a, b\n",
            "yaml: line 3: did not find expected ',' or ']'",
            "yaml: line 4: did not find expected ',' or ']'",
        ),
        // On the first line (line 0 to go-yaml) no line is printed.
        (
            "key: @bad\n",
            "yaml: found character that cannot start any token",
            "yaml: found character that cannot start any token",
        ),
        (
            "services:\n  web:\n    <<: *missing\n",
            "yaml: unknown anchor 'missing' referenced",
            "yaml: unknown anchor 'missing' referenced",
        ),
        (
            "services:\n  web:\n    <<: 5\n",
            "yaml: map merge requires map or sequence of maps as the value",
            "yaml: map merge requires map or sequence of maps as the value",
        ),
        (
            "services:\n  ? {k: 1}\n  : x\n",
            "yaml: invalid map key: map[string]interface {}{\"k\":1}",
            "yaml: invalid map key: map[interface {}]interface {}{\"k\":1}",
        ),
    ];
    for (file, v3, v2) in cases {
        assert_eq!(go_yaml(file, Dialect::V3), v3, "{file:?}");
        assert_eq!(go_yaml(file, Dialect::V2), v2, "{file:?}");
    }
}

#[test]
fn yaml_v3_refuses_repeated_keys_and_v2_keeps_the_last() {
    let cases = [
        (
            "services:\n  web:\n    image: nginx\n    image: redis\n",
            "yaml: unmarshal errors:\n  line 4: mapping key \"image\" already defined at line 3",
        ),
        (
            "x-a: &a\n  restart: always\nx-b: &b\n  tty: true\nservices:\n  web:\n    <<: *a\n    <<: *b\n    image: nginx\n",
            "yaml: unmarshal errors:\n  line 8: mapping key \"<<\" already defined at line 7",
        ),
        // A mapping with repeats is not decoded further; an anchored one is decoded at every use.
        (
            "x-a: &a\n  image: one\n  image: two\nservices:\n  web:\n    <<: *a\n  db:\n    <<: *a\n",
            "yaml: unmarshal errors:\n  line 3: mapping key \"image\" already defined at line 2\n  line 3: mapping key \"image\" already defined at line 2\n  line 3: mapping key \"image\" already defined at line 2",
        ),
    ];
    for (file, v3) in cases {
        assert_eq!(go_yaml(file, Dialect::V3), v3, "{file:?}");
        assert_eq!(go_yaml(file, Dialect::V2), "ok", "{file:?}");
    }
}

#[test]
fn compose_messages_per_version() {
    let new = Tool::Compose(V2_23);
    let old = Tool::Compose(V2_19);
    let syntax = "services:\n  web:\n    image: nginx\n    ports: 80:80: x\n";
    let yaml_error = "yaml: line 4: mapping values are not allowed in this context";
    assert_eq!(stderr(new, syntax), format!("{yaml_error}\n"));
    assert_eq!(
        stderr(old, syntax),
        format!("parsing {PATH}: {yaml_error}\n")
    );
    let cases = [
        (
            "services:\n  web:\n    imag: nginx\n",
            "services.web Additional property imag is not allowed",
        ),
        (
            "servics:\n  web:\n    image: nginx\n",
            "(root) Additional property servics is not allowed",
        ),
        (
            "services:\n  web app:\n    image: nginx\n",
            "services Additional property web app is not allowed",
        ),
        ("services:\n  web:\n", "services.web must be a mapping"),
        (
            "version: 3.8\nservices:\n  web:\n    image: nginx\n",
            "version must be a string",
        ),
        // The deeper error wins; at equal depth a wrong type beats an unknown key.
        (
            "foo: 1\nservices:\n  web:\n    imag: x\n",
            "services.web Additional property imag is not allowed",
        ),
        (
            "foo: 1\nversion: 3\nservices: {}\n",
            "version must be a string",
        ),
        (
            "services:\n  web:\n    imag: x\n  db:\n",
            "services.db must be a mapping",
        ),
    ];
    for (file, text) in cases {
        let want = format!("validating {PATH}: {text}\n");
        assert_eq!(stderr(new, file), want, "{file:?}");
        assert_eq!(stderr(old, file), want, "{file:?}");
    }
    // compose-go v2 checks services while applying `extends`, before the schema.
    assert_eq!(
        stderr(new, "services: [web]\n"),
        "services must be a mapping\n"
    );
    assert_eq!(
        stderr(old, "services: [web]\n"),
        format!("validating {PATH}: services must be a mapping\n")
    );
    assert_eq!(
        stderr(new, "services:\n  web: nginx\n"),
        "services.web must be a mapping\n"
    );
    // `develop` and the name pattern are where the schemas differ.
    let develop = "services:\n  web:\n    image: nginx\n    develop: {}\n";
    assert_eq!(stderr(new, develop), "ok");
    assert_eq!(
        stderr(old, develop),
        format!("validating {PATH}: services.web Additional property develop is not allowed\n")
    );
    let named = "name: MyApp\nservices:\n  web:\n    image: nginx\n";
    assert_eq!(stderr(new, named), "ok");
    assert_eq!(
        stderr(old, named),
        format!("validating {PATH}: name Does not match pattern '^[a-z0-9][a-z0-9_-]*$'\n")
    );
    // Nothing in the file, and nothing to start.
    assert_eq!(stderr(new, "# nothing\n"), "empty compose file\n");
    assert_eq!(stderr(new, "version: \"3\"\n"), "empty compose file\n");
    assert_eq!(
        stderr(old, "# nothing\n"),
        format!("parsing {PATH}: Top-level object must be a mapping\n")
    );
    assert_eq!(stderr(new, "- a\n"), "Top-level object must be a mapping\n");
    let profiles = "services:\n  web:\n    image: nginx\n    profiles: [debug]\n";
    for tool in [new, old] {
        let refusal = check(tool, profiles, PATH).unwrap_err();
        assert_eq!(refusal.stderr, "no service selected\n");
        assert!(refusal.up_only);
        assert_eq!(
            stderr(tool, "version: \"3\"\nvolumes: {}\n"),
            "no service selected\n"
        );
    }
}

#[test]
fn stack_deploy_messages_per_version() {
    let new = Tool::StackDeploy(V2_23);
    let old = Tool::StackDeploy(V2_19);
    let v38 = "version: \"3.8\"\n";
    let cases = [
        (
            "services:\n  web:\n    imag: nginx\n",
            "services.web Additional property imag is not allowed",
        ),
        (
            "name: x\nservices: {}\n",
            "(root) Additional property name is not allowed",
        ),
        ("services:\n  web:\n", "services.web must be a mapping"),
        (
            "services:\n  web:\n    develop: {}\n",
            "services.web Additional property develop is not allowed",
        ),
    ];
    for (body, text) in cases {
        let file = format!("{v38}{body}");
        assert_eq!(stderr(new, &file), format!("{text}\n"), "{file:?}");
        assert_eq!(stderr(old, &file), format!("{text}\n"), "{file:?}");
    }
    // The version picks the schema; without one 27.1 takes 3.13 and 20.10 "1.0", which it lacks.
    let bare = "services:\n  web:\n    image: nginx\n";
    assert_eq!(stderr(new, bare), "ok");
    assert_eq!(stderr(old, bare), "unsupported Compose file version: 1.0\n");
    assert_eq!(
        stderr(old, &format!("version: \"3.10\"\n{bare}")),
        "unsupported Compose file version: 3.10\n"
    );
    assert_eq!(
        stderr(new, &format!("version: \"2.4\"\n{bare}")),
        "unsupported Compose file version: 2.4\n"
    );
    assert_eq!(
        stderr(new, &format!("version: 3.8\n{bare}")),
        "version must be a string\n"
    );
    // `x-` keys: at the top from 3.4, in a service from 3.7.
    let x = "x-a: 1\nservices:\n  web:\n    image: nginx\n    x-b: 1\n";
    assert_eq!(stderr(new, &format!("version: \"3.7\"\n{x}")), "ok");
    assert_eq!(
        stderr(new, &format!("version: \"3.6\"\n{x}")),
        "services.web Additional property x-b is not allowed\n"
    );
    // Keys swarm forbids come first, with the CLI's advice; the syntax is yaml.v2's.
    let forbidden =
        format!("{v38}services:\n  web:\n    image: nginx\n    mem_limit: 1g\n    extends: base\n");
    assert_eq!(
        stderr(new, &forbidden),
        "Compose file contains unsupported options:\n\nextends: Support for `extends` is not implemented yet.\n\nmem_limit: Set resource limits using deploy.resources\n\n"
    );
    let syntax = "services:\n  web:\n    image: nginx\n   ports:\n      - \"80:80\"\n";
    assert_eq!(
        stderr(new, syntax),
        "yaml: line 3: did not find expected key\n"
    );
    assert_eq!(stderr(new, "- a\n"), "top-level object must be a mapping\n");
    assert_eq!(stderr(old, "- a\n"), "Top-level object must be a mapping\n");
}

#[test]
fn anchors_merge_keys_and_extensions_pass() {
    let file = "x-defaults: &defaults\n  restart: unless-stopped\n  logging:\n    driver: json-file\nx-env: &env\n  TZ: UTC\nservices:\n  web:\n    <<: *defaults\n    image: nginx\n    environment:\n      <<: *env\n      MODE: web\n    x-owner: ops\n  worker:\n    <<: [*defaults]\n    image: busybox\n";
    for version in [V2_23, V2_19] {
        assert_eq!(stderr(Tool::Compose(version), file), "ok");
        let swarm = format!("version: \"3.8\"\n{file}");
        assert_eq!(stderr(Tool::StackDeploy(version), &swarm), "ok");
        // compose-go drops a `!reset` value before decoding.
        let reset = "services:\n  web:\n    image: nginx\n    labels: !reset []\n";
        assert_eq!(stderr(Tool::Compose(version), reset), "ok");
    }
}

#[test]
fn every_seeded_stack_file_is_accepted() {
    let states = [
        crate::seed::demo(0),
        crate::scale::generate(0, 60, 30, Default::default()),
    ];
    for state in &states {
        for stack in state.stacks.iter().filter(|s| s.is_docker()) {
            let file = &state.stack_files[&stack.id];
            for version in [V2_23, V2_19] {
                let tool = match stack.kind {
                    STACK_SWARM => Tool::StackDeploy(version),
                    _ => Tool::Compose(version),
                };
                assert_eq!(
                    check(tool, file, PATH),
                    Ok(()),
                    "{} on {version:?}",
                    stack.name
                );
            }
        }
    }
}
