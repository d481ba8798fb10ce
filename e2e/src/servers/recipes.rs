//! The recipes in `deploy/` and their `${NAME}` placeholders, filled the way `envsubst` does.

use crate::workspace_root;
use std::path::PathBuf;

/// `deploy/` in the workspace.
pub fn deploy_dir() -> PathBuf {
    workspace_root().join("deploy")
}

/// The text of a recipe, by its path under `deploy/` (e.g. `nginx/portlight.conf`).
pub fn recipe(path: &str) -> String {
    let file = deploy_dir().join(path);
    std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read the recipe {}: {e}", file.display()))
}

/// The `${NAME}` placeholders of a recipe, in order of first use.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_string());
        }
        rest = &after[end..];
    }
    names
}

/// Fills a recipe's `${NAME}` placeholders the way `envsubst '${A} ${B}'` does. Fails the test
/// when the recipe has a placeholder without a value, or a value has no placeholder: the test
/// and the recipe must agree on the names an operator fills in.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let used = placeholders(text);
    let mut missing: Vec<&String> = used
        .iter()
        .filter(|name| !values.iter().any(|(n, _)| n == name))
        .collect();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "no value for the placeholders {missing:?} (the recipe uses {used:?})"
    );
    let unused: Vec<&str> = values
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !used.iter().any(|u| u == n))
        .collect();
    assert!(
        unused.is_empty(),
        "the recipe has no placeholders {unused:?} (it uses {used:?})"
    );
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    out
}
