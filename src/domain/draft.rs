//! An unsent edit of a stack and the deployed state it began from: what makes a draft
//! worth keeping, and whether Portainer's copy changed under it (Portainer has no version
//! check: without this, the last update silently wins).

use crate::portainer::{Pair, Stack, StackEdit};
use serde::{Deserialize, Serialize};

/// What Portainer had deployed, as far as an edit is concerned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployed {
    /// Unix seconds; 0 when the stack was never updated.
    pub update_date: i64,
    pub updated_by: String,
    /// The entry point; empty for a git stack (its file lives in the repository).
    pub file: String,
    pub env: Vec<Pair>,
    /// The git reference; empty for a file stack.
    pub reference: String,
}

impl Deployed {
    pub fn of(stack: &Stack, file: String) -> Self {
        Self {
            update_date: stack.update_date,
            updated_by: stack.updated_by.clone(),
            file,
            env: stack.env.clone(),
            reference: stack
                .git_config
                .as_ref()
                .map(|g| g.reference_name.clone())
                .unwrap_or_default(),
        }
    }
}

/// The operator's edit: kept per Portainer instance and stack until sent or discarded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub stack_id: u32,
    /// What the edit is compared with, and checked against before sending.
    pub base: Deployed,
    pub file: String,
    pub env: Vec<Pair>,
    pub reference: String,
}

impl Draft {
    /// An edit that changes nothing yet.
    pub fn fresh(stack_id: u32, base: Deployed) -> Self {
        Self {
            stack_id,
            file: base.file.clone(),
            env: base.env.clone(),
            reference: base.reference.clone(),
            base,
        }
    }

    /// Nothing to keep: the edit equals what it began from (blank variable rows aside).
    pub fn is_unchanged(&self) -> bool {
        self.file == self.base.file
            && self.reference == self.base.reference
            && without_blank_rows(&self.env) == self.base.env
    }

    /// What is sent, with the review's options.
    pub fn to_edit(&self, pull_image: bool, prune: bool, redeploy: bool) -> StackEdit {
        StackEdit {
            file: self.file.clone(),
            env: without_blank_rows(&self.env),
            reference: self.reference.trim().to_string(),
            pull_image,
            prune,
            redeploy,
        }
    }
}

/// Variables without the rows left entirely empty (an added row never filled in).
pub fn without_blank_rows(env: &[Pair]) -> Vec<Pair> {
    env.iter()
        .filter(|p| !(p.name.trim().is_empty() && p.value.is_empty()))
        .cloned()
        .collect()
}

/// How Portainer's copy differs from the one an edit began from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TheirChange {
    pub file: bool,
    pub env: bool,
    pub reference: bool,
    /// Updated again (by anyone), even if to the same content.
    pub updated: bool,
}

/// `None` when nothing changed since `base`: an update may be sent.
pub fn changed_since(base: &Deployed, now: &Deployed) -> Option<TheirChange> {
    let change = TheirChange {
        file: base.file != now.file,
        env: base.env != now.env,
        reference: base.reference != now.reference,
        updated: base.update_date != now.update_date || base.updated_by != now.updated_by,
    };
    (change.file || change.env || change.reference || change.updated).then_some(change)
}

/// The storage key of a draft: per instance (never its token) and stack.
pub fn draft_key(instance_id: &str, stack_id: u32) -> String {
    format!("{DRAFT_PREFIX}{instance_id}.{stack_id}")
}

/// Every draft key of an instance starts with this and the instance id.
pub const DRAFT_PREFIX: &str = "portlight.draft.";

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(name: &str, value: &str) -> Pair {
        Pair {
            name: name.into(),
            value: value.into(),
        }
    }

    fn deployed() -> Deployed {
        Deployed {
            update_date: 100,
            updated_by: "alice".into(),
            file: "services:\n  web:\n    image: nginx:1.25\n".into(),
            env: vec![pair("TAG", "1")],
            reference: String::new(),
        }
    }

    #[test]
    fn a_fresh_draft_is_unchanged_until_edited() {
        let mut draft = Draft::fresh(3, deployed());
        assert!(draft.is_unchanged());
        draft.env.push(pair("", ""));
        assert!(draft.is_unchanged(), "a blank row changes nothing");
        draft.file = draft.file.replace("1.25", "1.27");
        assert!(!draft.is_unchanged());
        let sent = draft.to_edit(true, false, true);
        assert_eq!(sent.env, vec![pair("TAG", "1")]);
        assert!(sent.file.contains("nginx:1.27"));
    }

    #[test]
    fn any_change_on_portainer_since_the_base_is_caught() {
        let base = deployed();
        assert_eq!(changed_since(&base, &base.clone()), None);
        let mut now = base.clone();
        now.update_date = 200;
        now.updated_by = "bob".into();
        assert_eq!(
            changed_since(&base, &now),
            Some(TheirChange {
                file: false,
                env: false,
                reference: false,
                updated: true
            })
        );
        let mut now = base.clone();
        now.env[0].value = "2".into();
        let change = changed_since(&base, &now).unwrap();
        assert!(change.env && !change.file && !change.updated);
        let mut now = base.clone();
        now.file.push_str("# more\n");
        assert!(changed_since(&base, &now).unwrap().file);
    }

    #[test]
    fn drafts_are_kept_per_instance_and_stack() {
        assert_eq!(draft_key("k3x9", 12), "portlight.draft.k3x9.12");
        assert!(draft_key("k3x9", 12).starts_with(&format!("{DRAFT_PREFIX}k3x9.")));
    }
}
