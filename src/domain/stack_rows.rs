//! One row per stack, joined in the browser with its environment: what the stack browser lists,
//! searches, filters and sorts. Built once when the data loads, so the per-keystroke work in
//! `stack_query` only reads precomputed fields.

use super::display::mask_url_credentials;
use super::git::short_reference;
use super::ownership::Ownership;
use crate::portainer::{EndpointStatus, EndpointType, Environment, Stack, StackStatus, StackType};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What the token knows about a stack's environment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EnvInfo {
    Known {
        name: String,
        kind: EndpointType,
        status: EndpointStatus,
    },
    /// Not in the token's environment list, and the token is not an admin: Portainer lists a
    /// stack by its ResourceControl without checking environment access (§3.1), so the
    /// environment may exist and simply be hidden. Only an admin can tell an orphan.
    NotAccessible,
    /// An admin sees every environment, so a missing one is gone: the stack is orphaned.
    Orphaned,
}

impl EnvInfo {
    pub const NOT_ACCESSIBLE_NOTE: &'static str = "environment not accessible to this token";
    pub const ORPHANED_NOTE: &'static str = "orphaned: the environment no longer exists";

    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Known { name, .. } => Some(name),
            _ => None,
        }
    }

    /// What the environment is called on every page: its name, or "environment #9 (deleted)"
    /// for an orphan's and "environment #7" for one the token cannot see (a stack id reads
    /// "#7", so an environment's number always says what it is).
    pub fn label(&self, endpoint_id: u32) -> String {
        self.label_text(endpoint_id).into_owned()
    }

    /// [`EnvInfo::label`], borrowed when it is the name (a row's search text copies no name).
    fn label_text(&self, endpoint_id: u32) -> Cow<'_, str> {
        match self {
            Self::Known { name, .. } if !name.is_empty() => Cow::Borrowed(name),
            _ => Cow::Owned(unnamed_environment(endpoint_id, *self == Self::Orphaned)),
        }
    }

    /// Words a search finds the stack by besides the label: "orphaned", "not accessible".
    fn search_words(&self) -> &'static str {
        match self {
            Self::Known { .. } => "",
            Self::NotAccessible => " not accessible",
            Self::Orphaned => " orphaned",
        }
    }

    /// Sort rank: known environments first, then hidden ones, then orphans.
    pub(crate) fn rank(&self) -> u8 {
        match self {
            Self::Known { .. } => 0,
            Self::NotAccessible => 1,
            Self::Orphaned => 2,
        }
    }
}

/// An environment the token cannot name: "environment #7", or "environment #9 (deleted)" when
/// it is known to be gone. Every page names it this way.
pub fn unnamed_environment(endpoint_id: u32, deleted: bool) -> String {
    if deleted {
        format!("environment #{endpoint_id} (deleted)")
    } else {
        format!("environment #{endpoint_id}")
    }
}

/// Where the stack's definition comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `reference` as Portainer stores it, e.g. `refs/heads/main`.
    Git { url: String, reference: String },
    /// Uploaded or typed in the web editor; `entry_point` is e.g. `docker-compose.yml`.
    File { entry_point: String },
}

/// The source filter facet. Declaration order is the display and sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    File,
    Git,
}

impl SourceKind {
    pub const ALL: [Self; 2] = [Self::File, Self::Git];

    /// Stable name in URLs (`source=git`).
    pub const fn url_name(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Git => "git",
        }
    }

    pub fn from_url_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.url_name() == name)
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::File => "File",
            Self::Git => "Git",
        }
    }
}

impl Source {
    pub fn kind(&self) -> SourceKind {
        match self {
            Self::Git { .. } => SourceKind::Git,
            Self::File { .. } => SourceKind::File,
        }
    }

    pub fn is_git(&self) -> bool {
        matches!(self, Self::Git { .. })
    }

    /// "https://github.com/o/r.git @ main", or the entry point file.
    pub fn describe(&self) -> String {
        match self {
            Self::Git { url, reference } if reference.is_empty() => url.clone(),
            Self::Git { url, reference } => format!("{url} @ {}", short_reference(reference)),
            Self::File { entry_point } => entry_point.clone(),
        }
    }
}

/// One stack of the browser's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackRow {
    pub id: u32,
    pub name: String,
    pub endpoint_id: u32,
    pub env: EnvInfo,
    pub kind: StackType,
    pub status: StackStatus,
    pub source: Source,
    /// Described where it is shown or sorted by, with the user and team names known then:
    /// names arriving later change no row.
    pub ownership: Ownership,
    pub created_by: String,
    /// Unix seconds; 0 = unknown.
    pub created_at: i64,
    pub updated_by: String,
    /// Unix seconds; 0 = never updated.
    pub updated_at: i64,
    /// Lower-cased name, environment (its label, and "orphaned" or "not accessible" when it
    /// is), creator and git URL, one per line: search terms
    /// never contain a newline, so a term cannot match across two fields.
    pub haystack: String,
    /// Why Portainer will refuse this stack's details (and every action) to a standard user,
    /// when the list already tells: see [`details_refused`].
    pub refused: Option<String>,
}

impl StackRow {
    /// Built from a borrowed stack: the list's answer stays with its request, and only the
    /// fields a row shows are copied (cloning 20,000 whole stacks cost more than the join).
    pub fn new(stack: &Stack, env: EnvInfo) -> Self {
        let ownership = Ownership::from_resource_control(stack.resource_control.as_ref());
        let source = match &stack.git_config {
            // Credentials in the URL are never shown nor searched.
            Some(git) => Source::Git {
                url: mask_url_credentials(&git.url),
                reference: git.reference_name.clone(),
            },
            None => Source::File {
                entry_point: stack.entry_point.clone(),
            },
        };
        let git_url = match &source {
            Source::Git { url, .. } => url.as_str(),
            Source::File { .. } => "",
        };
        let mut haystack =
            String::with_capacity(stack.name.len() + stack.created_by.len() + git_url.len() + 40);
        push_lower(&mut haystack, &stack.name);
        haystack.push('\n');
        push_lower(&mut haystack, &env.label_text(stack.endpoint_id));
        haystack.push_str(env.search_words());
        haystack.push('\n');
        push_lower(&mut haystack, &stack.created_by);
        haystack.push('\n');
        push_lower(&mut haystack, git_url);
        Self {
            id: stack.id,
            name: stack.name.clone(),
            endpoint_id: stack.endpoint_id,
            env,
            kind: stack.kind,
            status: stack.status,
            source,
            ownership,
            created_by: stack.created_by.clone(),
            created_at: stack.creation_date,
            updated_by: stack.updated_by.clone(),
            updated_at: stack.update_date,
            haystack,
            refused: None,
        }
    }

    /// The lower-cased name, read from the haystack's first line rather than lowered again
    /// (20,000 copies at each load); only a name holding a newline is lowered anew.
    pub fn lowered_name(&self) -> Cow<'_, str> {
        match self.haystack.split_once('\n') {
            Some((first, _)) if !self.name.contains('\n') => Cow::Borrowed(first),
            _ => {
                let mut lowered = String::with_capacity(self.name.len());
                push_lower(&mut lowered, &self.name);
                Cow::Owned(lowered)
            }
        }
    }

    /// See [`EnvInfo::label`].
    pub fn env_label(&self) -> String {
        self.env.label(self.endpoint_id)
    }
}

/// Lower-cases `s` onto `out` character by character (search terms use the same mapping).
/// ASCII text, nearly all of it, takes the byte-wise way: same result, several times faster.
pub(crate) fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        let from = out.len();
        out.push_str(s);
        out[from..].make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// Joins `GET /api/stacks` with `GET /api/endpoints`. A stack whose environment is not in
/// `envs` is orphaned when the viewer is an admin (who sees every environment) and otherwise
/// "not accessible to this token". Rows keep the order of `stacks`.
pub fn build_stack_rows(
    stacks: &[Stack],
    envs: &[Environment],
    viewer_is_admin: bool,
) -> Vec<StackRow> {
    let mut by_id: BTreeMap<u32, &Environment> = BTreeMap::new();
    by_id.extend(envs.iter().map(|e| (e.id, e)));
    stacks
        .iter()
        .map(|stack| {
            let env_record = by_id.get(&stack.endpoint_id).copied();
            let env = match env_record {
                Some(e) => EnvInfo::Known {
                    name: e.name.clone(),
                    kind: e.kind,
                    status: e.status,
                },
                None if viewer_is_admin => EnvInfo::Orphaned,
                None => EnvInfo::NotAccessible,
            };
            let mut row = StackRow::new(stack, env);
            row.refused = details_refused(viewer_is_admin, env_record, row.endpoint_id);
            row
        })
        .collect()
}

/// `stack_inspect.go` `stackInspect` (2.19 and 2.23) asks a standard user for access to the
/// stack's environment, then, on a Docker environment, for stack management; the list admits
/// a stack by its ResourceControl alone, so it can list what the token cannot open.
/// Administrators pass both. An environment missing from a standard user's list may also be
/// deleted (Portainer then answers 404 and the page shows what the list knows).
pub fn details_refused(
    is_admin: bool,
    env: Option<&Environment>,
    endpoint_id: u32,
) -> Option<String> {
    if is_admin {
        return None;
    }
    match env {
        None => Some(format!(
            "This token has no access to environment #{endpoint_id} (or it no longer exists): \
             Portainer lists the stack but refuses its details and actions."
        )),
        Some(e)
            if e.kind.is_docker()
                && !e.security_settings.allow_stack_management_for_regular_users =>
        {
            Some(format!(
                "Stack management is disabled for non-admin users on {}: Portainer lists the \
                 stack but refuses its details and actions.",
                e.name
            ))
        }
        Some(_) => None,
    }
}

/// Environment id → its label (see [`EnvInfo::label`]) for every environment of `envs` and
/// every one a row points at, so the environment filter can offer a deleted one too. Labelled
/// once per environment, not once per row: every row of an environment has the same.
pub fn environment_labels(rows: &[StackRow], envs: &[Environment]) -> BTreeMap<u32, String> {
    let mut labels = BTreeMap::new();
    for r in rows {
        labels.entry(r.endpoint_id).or_insert_with(|| r.env_label());
    }
    for e in envs.iter().filter(|e| !e.name.is_empty()) {
        labels.insert(e.id, e.name.clone());
    }
    labels
}

/// The environments holding the rows (counted the way the access page counts them): their
/// ids, ascending, each once. Gathered in a set: a few hundred ids among 20,000 rows.
pub fn environments_holding(rows: &[StackRow]) -> Vec<u32> {
    let mut ids = BTreeMap::new();
    for r in rows {
        ids.insert(r.endpoint_id, ());
    }
    ids.into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::names::Names;
    use crate::domain::testing::{environment, restricted_to, stack};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lower_casing_is_the_unicode_mapping_ascii_or_not(s in prop_oneof!["[ -~]{0,24}", "\\PC{0,24}"], prefix in "[a-zA-Z]{0,3}") {
            let mut out = prefix.clone();
            push_lower(&mut out, &s);
            let expected: String = prefix.chars().chain(s.chars().flat_map(char::to_lowercase)).collect();
            prop_assert_eq!(out, expected);
        }
    }

    fn env(id: u32, name: &str) -> Environment {
        environment(id, name).of_kind(EndpointType::AgentOnDocker)
    }

    fn dated(id: u32, name: &str, endpoint_id: u32) -> Stack {
        stack(id, name)
            .on(endpoint_id)
            .created("Admin", 1_717_000_000)
            .updated("bob", 1_717_000_500)
    }

    #[test]
    fn join_known_orphaned_and_not_accessible() {
        let envs = [env(1, "Local"), env(2, "prod")];
        let stacks = vec![dated(10, "web", 1), dated(11, "db", 9), dated(12, "api", 2)];

        let admin_rows = build_stack_rows(&stacks, &envs, true);
        assert_eq!(admin_rows.len(), 3);
        assert_eq!(
            admin_rows[0].env,
            EnvInfo::Known {
                name: "Local".into(),
                kind: EndpointType::AgentOnDocker,
                status: EndpointStatus::Up
            }
        );
        assert_eq!(admin_rows[1].env, EnvInfo::Orphaned);
        assert_eq!(admin_rows[1].endpoint_id, 9);
        assert_eq!(admin_rows[1].env_label(), "environment #9 (deleted)");
        assert!(admin_rows[1].haystack.contains("orphaned"));
        assert_eq!(admin_rows[2].env.name(), Some("prod"));

        let user_rows = build_stack_rows(&stacks, &envs, false);
        assert_eq!(user_rows[1].env, EnvInfo::NotAccessible);
        assert_eq!(user_rows[1].env_label(), "environment #9");
        assert!(user_rows[1].haystack.contains("not accessible"));
        assert!(!user_rows[1].haystack.contains("orphan"));
        assert_eq!(user_rows[0].env_label(), "Local");
        // Order of the stacks is kept.
        let ids: Vec<u32> = user_rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [10, 11, 12]);
    }

    #[test]
    fn every_environment_of_a_row_is_labelled_and_counted_once() {
        let envs = [env(1, "Local"), env(2, "prod"), env(3, "")];
        let stacks = vec![
            dated(10, "web", 1),
            dated(11, "db", 9),
            dated(12, "api", 1),
            dated(13, "old", 3),
        ];
        let rows = build_stack_rows(&stacks, &envs, true);
        let labels = environment_labels(&rows, &envs);
        assert_eq!(
            labels.into_iter().collect::<Vec<_>>(),
            [
                (1, "Local".to_string()),
                (2, "prod".to_string()),
                (3, "environment #3".to_string()),
                (9, "environment #9 (deleted)".to_string()),
            ]
        );
        // Environments 1, 3 and 9 hold stacks; prod holds none.
        assert_eq!(environments_holding(&rows).len(), 3);
        assert!(environments_holding(&[]).is_empty());
    }

    #[test]
    fn the_list_tells_which_stacks_a_standard_user_cannot_open() {
        let staging = env(4, "staging").stack_management(false);
        let envs = [env(1, "Local"), staging];
        let stacks = vec![
            dated(1, "web", 1),
            dated(8, "batch", 4),
            dated(11, "old", 9),
        ];
        let user = build_stack_rows(&stacks, &envs, false);
        assert_eq!(user[0].refused, None);
        let batch = user[1].refused.as_deref().unwrap_or_default();
        assert!(
            batch.contains("disabled for non-admin users on staging"),
            "{batch}"
        );
        let old = user[2].refused.as_deref().unwrap_or_default();
        assert!(old.contains("environment #9"), "{old}");
        // Kubernetes environments have no such gate.
        let k8s = [env(4, "k8s")
            .of_kind(EndpointType::AgentOnKubernetes)
            .stack_management(false)];
        let rows = build_stack_rows(&[dated(8, "batch", 4)], &k8s, false);
        assert_eq!(rows[0].refused, None);
        // Administrators open everything (an orphan shows what the list knows).
        let admin = build_stack_rows(&stacks, &envs, true);
        assert!(admin.iter().all(|r| r.refused.is_none()));
    }

    #[test]
    fn row_fields_and_haystack() {
        let s = dated(10, "Web-Front", 1)
            .from_git("https://GitHub.com/Acme/Web.git")
            .controlled_by(restricted_to(&[2], &[]));
        let mut names = Names::default();
        names.insert_user(2, "bob");
        let rows = build_stack_rows(&[s], &[env(1, "ÉDGE-1")], false);
        let r = &rows[0];
        assert_eq!(r.id, 10);
        assert_eq!(r.name, "Web-Front");
        assert_eq!(r.kind, StackType::DockerCompose);
        assert_eq!(r.status, StackStatus::Active);
        assert_eq!(
            r.source,
            Source::Git {
                url: "https://GitHub.com/Acme/Web.git".into(),
                reference: "refs/heads/main".into()
            }
        );
        assert_eq!(
            r.source.describe(),
            "https://GitHub.com/Acme/Web.git @ main"
        );
        assert_eq!(r.ownership.describe(&names), "restricted to bob");
        assert_eq!(
            (r.created_by.as_str(), r.created_at),
            ("Admin", 1_717_000_000)
        );
        assert_eq!(
            (r.updated_by.as_str(), r.updated_at),
            ("bob", 1_717_000_500)
        );
        assert_eq!(
            r.haystack,
            "web-front\nédge-1\nadmin\nhttps://github.com/acme/web.git"
        );
    }

    #[test]
    fn the_lowered_name_is_the_whole_name_even_with_a_newline_in_it() {
        let rows = build_stack_rows(
            &[dated(1, "Web-Front", 1), dated(2, "Two\nLINES", 1)],
            &[env(1, "edge")],
            true,
        );
        assert_eq!(rows[0].lowered_name(), "web-front");
        assert!(matches!(rows[0].lowered_name(), Cow::Borrowed(_)));
        assert_eq!(rows[1].lowered_name(), "two\nlines");
    }

    #[test]
    fn file_source_and_haystack_of_unknown_environment() {
        let rows = build_stack_rows(&[dated(3, "db", 5)], &[], false);
        let r = &rows[0];
        assert_eq!(
            r.source,
            Source::File {
                entry_point: "docker-compose.yml".into()
            }
        );
        assert_eq!(r.source.kind(), SourceKind::File);
        assert_eq!(r.source.describe(), "docker-compose.yml");
        assert_eq!(r.haystack, "db\nenvironment #5 not accessible\nadmin\n");
        assert_eq!(r.ownership, Ownership::NoResourceControl);
    }

    #[test]
    fn git_sources_describe_themselves() {
        let git = Source::Git {
            url: "u".into(),
            reference: String::new(),
        };
        assert_eq!(git.describe(), "u");
        for k in SourceKind::ALL {
            assert_eq!(SourceKind::from_url_name(k.url_name()), Some(k));
        }
    }
}
