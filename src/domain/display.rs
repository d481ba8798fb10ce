//! How values from Portainer are shown safely: credentials inside URLs masked until the
//! operator reveals them, and names that carry Unicode direction controls flagged, since such a
//! name can read as another one (`U+202E` turns `gnp.exe` into `exe.png`).

/// What replaces a secret on screen.
pub const MASK: &str = "•••";

/// `https://user:secret@host/repo.git` → `https://user:•••@host/repo.git`, and a bare
/// `https://token@host/…` → `https://•••@host/…`. Anything else is returned as it is.
pub fn mask_url_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_string();
    };
    let masked = match userinfo.split_once(':') {
        Some((user, _)) if !user.is_empty() => format!("{user}:{MASK}"),
        _ => MASK.to_string(),
    };
    format!("{scheme}://{masked}@{host}{path}")
}

/// Whether `url` carries credentials that [`mask_url_credentials`] hides.
pub fn has_url_credentials(url: &str) -> bool {
    mask_url_credentials(url) != url
}

/// Portainer's webhook URL of a stack is an unauthenticated redeploy trigger: its id is shown
/// masked (the last 4 characters kept, to tell two apart).
pub fn mask_webhook_id(id: &str) -> String {
    let keep: String = {
        let tail: Vec<char> = id.chars().rev().take(4).collect();
        tail.into_iter().rev().collect()
    };
    format!("{MASK}{keep}")
}

/// The Unicode controls that change the direction of the text around them (embeddings,
/// overrides, isolates and marks).
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether a name holds direction controls: shown with a warning, since it may not read as
/// what it is.
pub fn has_direction_controls(name: &str) -> bool {
    name.chars().any(is_direction_control)
}

/// The name with its direction controls made visible (`⟨U+202E⟩`), for a warning's tooltip.
pub fn reveal_direction_controls(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if is_direction_control(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// "1 stack", "11 stacks", "0 stacks".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_masked() {
        assert_eq!(
            mask_url_credentials("https://user:s3cret@git.example.com/o/r.git"),
            "https://user:•••@git.example.com/o/r.git"
        );
        assert_eq!(
            mask_url_credentials("https://ghp_token123@github.com/o/r"),
            "https://•••@github.com/o/r"
        );
        // An @ in the path is not a credential.
        assert_eq!(mask_url_credentials("https://host/a@b"), "https://host/a@b");
        assert_eq!(
            mask_url_credentials("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
        assert_eq!(mask_url_credentials(""), "");
        assert!(has_url_credentials("http://a:b@c"));
        assert!(!has_url_credentials("http://c/d"));
        assert!(!mask_url_credentials("https://u:s3cr3t@h").contains("s3cr3t"));
    }

    #[test]
    fn webhook_ids_keep_only_their_tail() {
        assert_eq!(
            mask_webhook_id("3f2b9c1e-aaaa-bbbb-cccc-0123456789ab"),
            "•••89ab"
        );
        assert_eq!(mask_webhook_id("ab"), "•••ab");
    }

    #[test]
    fn direction_controls_are_found_and_shown() {
        assert!(has_direction_controls("report\u{202E}gnp.exe"));
        assert!(has_direction_controls("a\u{2067}b"));
        assert!(!has_direction_controls("web-front שלום"));
        assert_eq!(reveal_direction_controls("a\u{202E}b"), "a⟨U+202E⟩b");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(counted(1, "stack", "stacks"), "1 stack");
        assert_eq!(counted(0, "stack", "stacks"), "0 stacks");
        assert_eq!(
            counted(11, "environment", "environments"),
            "11 environments"
        );
    }
}
