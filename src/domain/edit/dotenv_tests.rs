use super::*;

fn pair(name: &str, value: &str) -> Pair {
    Pair {
        name: name.into(),
        value: value.into(),
    }
}

fn parsed(text: &str) -> Vec<(String, String)> {
    parse_env_block(text)
        .unwrap()
        .into_iter()
        .map(|p| (p.name, p.value))
        .collect()
}

fn error(text: &str) -> (u32, String) {
    let e = parse_env_block(text).unwrap_err();
    (e.line, e.message)
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

#[test]
fn reads_names_values_comments_and_export() {
    let text = "# database\n\nDB_HOST=db.local\r\nexport PORT = 5432 \n  TOKEN=abc#def\nEMPTY=\nNOTE=a b # the note\nHASH=#kept\n";
    assert_eq!(
        parsed(text),
        owned(&[
            ("DB_HOST", "db.local"),
            ("PORT", "5432"),
            ("TOKEN", "abc#def"),
            ("EMPTY", ""),
            ("NOTE", "a b"),
            ("HASH", "#kept"),
        ])
    );
    // "export" is a prefix only when a space follows it.
    assert_eq!(parsed("exported=1"), owned(&[("exported", "1")]));
    assert!(parsed("  \n# only comments\n").is_empty());
}

#[test]
fn quoted_values() {
    let text = concat!(
        "SINGLE='a \\n # b'\n",
        "DOUBLE=\"line\\nnext\\t\\\"q\\\" \\\\ \\$x\" # comment\n",
        "EQUALS=\"a=b\"\n",
        "KEY=\"-----BEGIN-----\nabc\n-----END-----\"\n",
        "AFTER=1\n",
    );
    assert_eq!(
        parsed(text),
        owned(&[
            ("SINGLE", "a \\n # b"),
            ("DOUBLE", "line\nnext\t\"q\" \\ \\$x"),
            ("EQUALS", "a=b"),
            ("KEY", "-----BEGIN-----\nabc\n-----END-----"),
            ("AFTER", "1"),
        ])
    );
}

#[test]
fn mistakes_name_their_line() {
    assert_eq!(
        error("A=1\n\nPORT\n"),
        (
            3,
            "line 3 has no “=”; write it as NAME=value (“PORT=” for an empty value)".into()
        )
    );
    assert_eq!(error("=1"), (1, "line 1 has no name before “=”".into()));
    assert_eq!(
        error("A=1\nMY VAR=2"),
        (
            2,
            "line 2: the name “MY VAR” contains a space, which a variable name cannot".into()
        )
    );
    assert_eq!(
        error("A=1\nB=\"open\nC=3\n"),
        (2, "line 2 opens a double quote that is never closed".into())
    );
    assert_eq!(
        error("B='open"),
        (1, "line 1 opens a single quote that is never closed".into())
    );
    assert_eq!(
        error("B=\"x\" y"),
        (1, "line 1 has text after the closing quote of “B”".into())
    );
}

#[test]
fn changes_by_name_with_the_last_value_winning() {
    let deployed = [
        pair("A", "1"),
        pair("B", "2"),
        pair("C", "3"),
        pair("B", "4"),
    ];
    let edited = [
        pair("D", "new"),
        pair("", ""),
        pair("C", "30"),
        pair("B", "4"),
        pair("D", "newer"),
    ];
    assert_eq!(
        env_changes(&deployed, &edited),
        vec![
            EnvChange::Added {
                name: "D".into(),
                value: "newer".into()
            },
            EnvChange::Changed {
                name: "C".into(),
                old: "3".into(),
                new: "30".into()
            },
            EnvChange::Removed {
                name: "A".into(),
                value: "1".into()
            },
        ]
    );
    assert!(env_changes(&deployed, &deployed).is_empty());
    // The same value given differently (moved, repeated) is no change.
    assert!(env_changes(&[pair("X", "1")], &[pair("X", "0"), pair("X", "1")]).is_empty());
}

#[test]
fn problems_are_sentences_in_row_order() {
    let vars = [
        pair("PORT", "80"),
        pair("", "orphan"),
        pair("", ""),
        pair("MY VAR", "x"),
        pair("A=B", "y"),
        pair("PORT", "81"),
        pair("TAG", "1"),
        pair("TAG", "2"),
        pair("TAG", "3"),
    ];
    assert_eq!(
        env_problems(&vars),
        [
            "“PORT” is given twice; Portainer would keep both and compose the last one.",
            "Variable 2 has no name.",
            "Variable 4 is named “MY VAR”; a name cannot contain spaces or “=”.",
            "Variable 5 is named “A=B”; a name cannot contain spaces or “=”.",
            "“TAG” is given 3 times; Portainer would keep them all and compose the last one.",
        ]
    );
    assert!(env_problems(&[pair("A", ""), pair("", ""), pair("", "")]).is_empty());
}

#[test]
fn pasted_values_replace_in_place_and_new_names_follow() {
    let existing = [pair("A", "1"), pair("B", "2"), pair("", ""), pair("C", "3")];
    let pasted = vec![
        pair("D", "4"),
        pair("B", "20"),
        pair("E", "5"),
        pair("D", "40"),
    ];
    assert_eq!(
        merge_pasted(&existing, pasted),
        [
            pair("A", "1"),
            pair("B", "20"),
            pair("", ""),
            pair("C", "3"),
            pair("D", "40"),
            pair("E", "5"),
        ]
    );
    assert_eq!(merge_pasted(&[], Vec::new()), []);
}
