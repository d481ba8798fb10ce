//! A stack's git source as an operator reads it: references and commits shortened, and what
//! a redeploy changed.

/// `refs/heads/main` → `main`, `refs/tags/v1` → `v1`; anything else unchanged.
pub fn short_reference(reference: &str) -> &str {
    reference
        .strip_prefix("refs/heads/")
        .or_else(|| reference.strip_prefix("refs/tags/"))
        .unwrap_or(reference)
}

/// A commit as an operator reads it: its first 12 hex digits; "unknown" when Portainer has none.
pub fn short_commit(hash: &str) -> String {
    match hash.get(..12) {
        Some(short) => short.to_string(),
        None if hash.is_empty() => "unknown".into(),
        None => hash.to_string(),
    }
}

/// What a git redeploy did to the deployed commit (`GitConfig.ConfigHash` before and after).
pub fn commit_change(before: &str, after: &str) -> Option<String> {
    if after.is_empty() {
        return None;
    }
    Some(if before == after {
        format!(
            "Still at commit {}: the reference had no new commit.",
            short_commit(after)
        )
    } else if before.is_empty() {
        format!("Now at commit {}.", short_commit(after))
    } else {
        format!(
            "Now at commit {} (was {}).",
            short_commit(after),
            short_commit(before)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(short_reference("refs/heads/main"), "main");
        assert_eq!(short_reference("refs/tags/v1.2"), "v1.2");
        assert_eq!(short_reference("a1b2c3"), "a1b2c3");
    }

    #[test]
    fn a_redeploy_says_which_commit_it_deployed() {
        let old = "0f9e8d7c6b5a49382716ffeeddccbbaa99887766";
        let new = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
        assert_eq!(
            commit_change(old, new).as_deref(),
            Some("Now at commit 1a2b3c4d5e6f (was 0f9e8d7c6b5a).")
        );
        assert_eq!(
            commit_change(new, new).as_deref(),
            Some("Still at commit 1a2b3c4d5e6f: the reference had no new commit.")
        );
        assert_eq!(
            commit_change("", "abc").as_deref(),
            Some("Now at commit abc.")
        );
        assert_eq!(commit_change(old, ""), None);
        assert_eq!(short_commit(""), "unknown");
    }
}
