use super::*;

/// (line, column, message) of the first problem.
fn found(text: &str) -> (u32, u32, String) {
    let p = check_yaml(text).unwrap_or_else(|| panic!("no problem found in:\n{text}"));
    (p.line, p.column, p.message)
}

fn clean(text: &str) {
    assert_eq!(check_yaml(text), None, "in:\n{text}");
}

const COMPOSE: &str = r#"# The web stack.
version: "3.8"

x-defaults: &default
  restart: unless-stopped
  logging:
    driver: json-file
    options: { max-size: "10m", max-file: "3" }

services:
  web:
    <<: *default
    image: nginx:1.25   # pinned
    container_name: 'web'
    ports:
      - "80:80"
      - 443:443
      - target: 8080
        published: 8080
        protocol: tcp
    environment:
      - TZ=Europe/Paris
      - URL=http://example.com/#top
    labels:
      traefik.http.routers.web.rule: Host(`example.com`) && PathPrefix(`/`)
      "com.example.description": "Accounting: web app"
    volumes:
    - ./html:/usr/share/nginx/html:ro
    - /var/run/docker.sock:/var/run/docker.sock
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 30s
    command: >-
      nginx -g
      'daemon off;'

  db:
    <<: *default
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: "p@ss: word"
      POSTGRES_DB: app
      EMPTY:
    expose: ["5432"]
    configs:
      - source: init
        target: /docker-entrypoint-initdb.d/init.sql
    entrypoint: |
      #!/bin/sh
      echo "start: now"

        indented: deeper
      exec postgres
    networks:
      default:
        aliases: [db, "db.local"]
    sysctls:
      "net.core.somaxconn": 1024
    ulimits:
      nofile: {soft: 20000, hard: 40000}

configs:
  init:
    file: ./init.sql
networks:
  default:
"#;

#[test]
fn a_typical_compose_file_is_clean() {
    clean(COMPOSE);
    clean(&COMPOSE.replace('\n', "\r\n"));
    clean(&format!("\u{feff}---\n{COMPOSE}"));
}

#[test]
fn colons_without_a_space_are_plain_text() {
    clean("image: nginx:1.25\nports:\n  - \"80:80\"\n  - 80:80\n  - 127.0.0.1:8080:80/tcp\n");
    clean("url: http://host:8080/path?a=b#frag\ncmd: a:b:c\n");
    // As the whole content of a nested block it is a plain value too.
    clean("services:\n  web:\n    image:nginx\n");
}

#[test]
fn multi_line_values_that_yaml_accepts() {
    clean("command: python app.py\n  --verbose\n  --port 80\nnext: 1\n");
    clean("items:\n- one\n  continued - still one\n- two\n");
    clean("text:\n  a long\n  plain value\nother: 1\n");
    clean("quoted: \"first\n  second\"\nsingle: 'it''s\n  fine'\n");
    clean("test: [\n  \"CMD\",\n  \"curl\"\n]\nmap: {\n  a: 1, b: [x, y],\n}\n");
    clean("script: |\n  if [ \"$A\" ]; then\n  \tindented: with a tab\n  fi\nkeep: |+\n\n  x\n\nfold: >2\n    deeper\n");
    clean("empty_block: |\nnext: 1\n");
}

#[test]
fn anchors_tags_and_odd_keys() {
    clean("base: &b\n  a: 1\nuse:\n  <<: *b\n  <<: *b\n  c: 2\nlist:\n  - &item\n    x: 1\n  - *item\n");
    clean("ports: !reset []\nvolumes: !override\n  - a:/b\nnum: !!str 123\n");
    clean("\"8080/tcp\": 1\n'quoted key' : 2\nkey with spaces: 3\n-dash: 4\n? \n");
    clean("- - a\n  - b\n- c\n");
    clean("list:\n- a\n- b:\n  - c\nafter: 1\n");
    clean("%YAML 1.2\n---\na: 1\n...\n---\na: 2\n");
    clean("a: 1 # a: 2\nb: \"x\" # c: d\nc: [1] # ]\n");
}

#[test]
fn empty_files() {
    assert_eq!(found(""), (1, 1, "the file is empty".into()));
    assert_eq!(found("\n  \n---\n"), (1, 1, "the file is empty".into()));
    assert_eq!(
        found("# only\n# comments\n"),
        (1, 1, "the file has nothing but comments".into())
    );
}

#[test]
fn tabs_in_indentation() {
    assert_eq!(
        found("services:\n  web:\n    image: x\n\tports: []\n"),
        (
            4,
            1,
            "line 4 is indented with a tab; YAML allows only spaces".into()
        )
    );
    assert_eq!(found("a:\n  \tb: 1\n").0, 2);
    // Tabs after the indentation, in comments and on blank lines are fine.
    clean("a:\tb\nc: 1\t# note\n\t\n");
}

#[test]
fn unclosed_quotes() {
    assert_eq!(
        found("a: 1\nb: \"open\n"),
        (2, 4, "the double quote on line 2 is never closed".into())
    );
    assert_eq!(
        found("services:\n  web:\n    image: \"nginx\n    ports:\n      - \"80:80\"\n"),
        (
            3,
            12,
            "the double quote on line 3 is not closed on that line; where it ends, on line 5, \
             more text follows, so a closing quote is probably missing"
                .into()
        )
    );
    assert_eq!(
        found("a: 'it's'\n"),
        (1, 8, "line 1 has text after the closing quote".into())
    );
    // Quotes inside plain text are plain text.
    clean("a: it's\nb: say \"hi\ncmd: echo 'x\n");
}

#[test]
fn flow_brackets() {
    assert_eq!(
        found("test: [\"CMD\", \"curl\"\nb: 1\n"),
        (1, 7, "the “[” on line 1 is never closed".into())
    );
    assert_eq!(
        found("a: {x: [1, 2}\n"),
        (1, 13, "line 1 closes the “[” of line 1 with “}”".into())
    );
    assert_eq!(
        found("a: [1, 2] 3\n"),
        (1, 11, "line 1 has text after the closing “]”".into())
    );
    // Brackets in quotes and in block plain text do not count.
    clean("a: [\"]\", '[', \"a\\\"]\"]\nb: x]\nc: echo {\nd: [{\"k\":\"v\"}]\n");
}

#[test]
fn indented_after_a_value() {
    let message = "line 2 is indented more than the line before, which already has a value";
    assert_eq!(found("image: nginx\n  ports:\n"), (2, 3, message.into()));
    assert_eq!(found("image: \"nginx\"\n  next\n"), (2, 3, message.into()));
    assert_eq!(found("- a: [1]\n    b: 2\n"), (2, 5, message.into()));
    assert_eq!(
        found("a:\n  text\n  b: 1\n"),
        (
            3,
            4,
            "line 3 has “: ” but continues the text of the lines above, so it cannot be a key; \
             indent it like the keys it belongs with or quote it"
                .into()
        )
    );
}

#[test]
fn indentation_matching_no_block() {
    let text = "services:\n  web:\n    image: x\n    ports:\n      - 80\n   image: y\n";
    assert_eq!(found(text).0, 6);
    // A new block may take any deeper indentation.
    clean("services:\n  web:\n   image: x\n  db:\n       image: y\n");
    let text = "a:\n    b:\n      c: 1\n  d: 2\n";
    assert_eq!(
        found(text),
        (
            4,
            3,
            "line 4's indentation (2 spaces) matches no enclosing block".into()
        )
    );
    assert_eq!(
        found("  a: 1\nb: 2\n").2,
        "line 2's indentation (0 spaces) matches no enclosing block"
    );
}

#[test]
fn duplicate_keys() {
    assert_eq!(
        found("services:\n  web:\n    image: a\n    ports: []\n    image: b\n"),
        (
            5,
            5,
            "“image” is given twice in the same block (lines 3 and 5)".into()
        )
    );
    assert_eq!(
        found("a: 1\n\"b\": 2\n\"b\": 3\n").2,
        "“b” is given twice in the same block (lines 2 and 3)"
    );
    // Each list item is its own block; nested blocks are separate.
    clean("l:\n- name: a\n  image: x\n- name: b\n  image: y\nx:\n  name: 1\ny:\n  name: 2\n");
    clean("a:\n  b: 1\nc:\n  b: 2\n");
}

#[test]
fn lists_and_keys_mixed_up() {
    assert_eq!(
        found("a: 1\n- b\n"),
        (
            2,
            1,
            "line 2 starts a list item (“- ”) among lines of “key: value”".into()
        )
    );
    assert_eq!(
        found("- a\nb: 1\n").2,
        "line 2 should start with “- ” like the other items of its list"
    );
    assert_eq!(
        found("a: 1\nimage:nginx\n").2,
        "line 2 has “:” with no space after it, so YAML does not read “image:nginx” as “key: value”"
    );
    assert_eq!(
        found("a: 1\njust text\n").2,
        "line 2 is not “key: value” like the other lines of its block"
    );
    assert_eq!(
        found("ports: - 80\n"),
        (
            1,
            8,
            "line 1 starts a list on the same line as its key; start it on the next line".into()
        )
    );
}

#[test]
fn values_yaml_cannot_read() {
    assert_eq!(
        found("command: echo a: b\n"),
        (
            1,
            16,
            "line 1 has a second “: ” after its key; put the value in quotes".into()
        )
    );
    assert_eq!(
        found("env:\n  PASS: @secret\n"),
        (
            2,
            9,
            "line 2 has a value starting with “@”, which YAML reserves; put the value in quotes"
                .into()
        )
    );
    assert_eq!(
        found("script: |echo\n").2,
        "line 1 has text right after “|”; a block of text starts on the next line"
    );
}

#[test]
fn json_is_yaml_too() {
    clean("{\"services\": {\"web\": {\"image\": \"nginx\", \"ports\": [\"80:80\"]}}}");
    clean("{\n  \"services\": {\n    \"web\":{\"image\":\"nginx\"}\n  }\n}\n");
    // A long one-line file is read in one pass.
    let big = format!("[{}\"end\"]", "{\"k\": [\"v\", 1]}, ".repeat(50_000));
    clean(&big);
    assert_eq!(
        found(&big[..big.len() - 1]).2,
        "the “[” on line 1 is never closed"
    );
}

#[test]
fn columns_count_characters() {
    assert_eq!(found("é: 'ü\n").1, 4);
}
