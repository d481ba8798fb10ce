//! A stack's ownership, from its `ResourceControl` (docs/portainer-api.md §2.3), and why a token sees it.
//!
//! Portainer's rule (`UserCanAccessResource`): admins bypass the check; anyone else needs a
//! ResourceControl that names the user, names one of the user's teams, or is `Public`. The list
//! (`FilterAuthorizedStacks`) also requires the ResourceControl to exist. The `AdministratorsOnly`
//! flag is not read by that rule: Portainer writes it with empty user and team lists, and the
//! empty lists are what keep everyone but admins out. We mirror the rule, not the flag, so an
//! inconsistent ResourceControl is described the way the server enforces it.

use super::names::{join_and, Names};
use super::order::sort_dedup;
use super::viewer::Viewer;
use crate::portainer::ResourceControl;

/// Who may see and act on a stack, in the words of Portainer's access control panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ownership {
    /// A ResourceControl that is not public and names nobody.
    AdministratorsOnly,
    Public,
    /// Named users and teams (sorted, no duplicates); never both empty.
    Restricted {
        users: Vec<u32>,
        teams: Vec<u32>,
    },
    /// No ResourceControl: Portainer lists such stacks to admins only.
    NoResourceControl,
}

/// The ownership filter facet. Declaration order is the display and sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OwnershipKind {
    Public,
    Restricted,
    Administrators,
    None,
}

impl OwnershipKind {
    pub const ALL: [Self; 4] = [
        Self::Public,
        Self::Restricted,
        Self::Administrators,
        Self::None,
    ];

    /// Stable name in URLs (`own=public`); never change one, bookmarks hold them.
    pub const fn url_name(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Restricted => "restricted",
            Self::Administrators => "administrators",
            Self::None => "none",
        }
    }

    pub fn from_url_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.url_name() == name)
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Public => "Public",
            Self::Restricted => "Restricted",
            Self::Administrators => "Administrators only",
            Self::None => "No resource control",
        }
    }
}

impl Ownership {
    pub fn from_resource_control(rc: Option<&ResourceControl>) -> Self {
        let Some(rc) = rc else {
            return Self::NoResourceControl;
        };
        if rc.public {
            return Self::Public;
        }
        let mut users: Vec<u32> = rc.user_accesses.iter().map(|a| a.user_id).collect();
        let mut teams: Vec<u32> = rc.team_accesses.iter().map(|a| a.team_id).collect();
        if users.is_empty() && teams.is_empty() {
            return Self::AdministratorsOnly;
        }
        sort_dedup(&mut users);
        sort_dedup(&mut teams);
        Self::Restricted { users, teams }
    }

    pub fn kind(&self) -> OwnershipKind {
        match self {
            Self::AdministratorsOnly => OwnershipKind::Administrators,
            Self::Public => OwnershipKind::Public,
            Self::Restricted { .. } => OwnershipKind::Restricted,
            Self::NoResourceControl => OwnershipKind::None,
        }
    }

    /// Whether Portainer lets `viewer` see and act on the stack (the same answer as
    /// [`why_visible`] on the ResourceControl this came from).
    pub fn grants(&self, viewer: &Viewer) -> bool {
        viewer.is_admin
            || match self {
                Self::Public => true,
                Self::Restricted { users, teams } => {
                    users.contains(&viewer.user_id) || teams.iter().any(|t| viewer.in_team(*t))
                }
                Self::AdministratorsOnly | Self::NoResourceControl => false,
            }
    }

    /// e.g. "public", "administrators only", "restricted to alice, bob and team devs".
    pub fn describe(&self, names: &Names) -> String {
        match self {
            Self::AdministratorsOnly => "administrators only".into(),
            Self::Public => "public".into(),
            Self::NoResourceControl => "no resource control (administrators only)".into(),
            Self::Restricted { users, teams } => {
                let parts: Vec<String> = users
                    .iter()
                    .map(|u| names.user(*u))
                    .chain(teams.iter().map(|t| names.team(*t)))
                    .collect();
                format!("restricted to {}", join_and(&parts))
            }
        }
    }
}

/// Why a token sees a stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Admins bypass resource controls.
    Administrator,
    /// The ResourceControl names the user.
    User,
    /// The ResourceControl names these teams of the user (sorted).
    Team(Vec<u32>),
    /// The ResourceControl is public.
    Public,
}

impl Visibility {
    /// Completes "visible …", e.g. "through team devs and team ops".
    pub fn describe(&self, names: &Names) -> String {
        match self {
            Self::Administrator => "as an administrator".into(),
            Self::User => "because its access control names this user".into(),
            Self::Team(teams) => {
                let parts: Vec<String> = teams.iter().map(|t| names.team(*t)).collect();
                format!("through {}", join_and(&parts))
            }
            Self::Public => "because it is public".into(),
        }
    }
}

/// The first reason `viewer` may see the stack, in the order Portainer checks them:
/// administrator, then the user, then the user's teams, then public. `None`: Portainer hides it.
pub fn why_visible(viewer: &Viewer, rc: Option<&ResourceControl>) -> Option<Visibility> {
    visibility_reasons(viewer, rc).into_iter().next()
}

/// Every reason `viewer` may see the stack, in [`why_visible`]'s order; empty when hidden.
/// For an admin the ResourceControl reasons follow `Administrator`, and an admin sees stacks
/// without a ResourceControl too.
pub fn visibility_reasons(viewer: &Viewer, rc: Option<&ResourceControl>) -> Vec<Visibility> {
    let mut reasons = Vec::new();
    if viewer.is_admin {
        reasons.push(Visibility::Administrator);
    }
    let Some(rc) = rc else {
        return reasons;
    };
    if rc.grants_user(viewer.user_id) {
        reasons.push(Visibility::User);
    }
    let mut teams: Vec<u32> = rc
        .team_accesses
        .iter()
        .map(|a| a.team_id)
        .filter(|t| viewer.in_team(*t))
        .collect();
    if !teams.is_empty() {
        sort_dedup(&mut teams);
        reasons.push(Visibility::Team(teams));
    }
    if rc.public {
        reasons.push(Visibility::Public);
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{administrators_only, public, restricted_to, viewer};

    fn admin() -> Viewer {
        viewer(1, "admin", true, &[])
    }

    /// bob (id 2), member of teams 1 (devs) and 4 (ops).
    fn team_member() -> Viewer {
        viewer(2, "bob", false, &[1, 4])
    }

    /// carol (id 3), in no team.
    fn loner() -> Viewer {
        viewer(3, "carol", false, &[])
    }

    fn names() -> Names {
        let mut n = Names::default();
        n.insert_user(2, "bob");
        n.insert_user(5, "alice");
        n.insert_team(1, "devs");
        n
    }

    #[test]
    fn ownership_of_each_resource_control_shape() {
        assert_eq!(
            Ownership::from_resource_control(None),
            Ownership::NoResourceControl
        );
        assert_eq!(
            Ownership::from_resource_control(Some(&administrators_only())),
            Ownership::AdministratorsOnly
        );
        // Portainer's UI calls a ResourceControl naming nobody "administrators" too.
        assert_eq!(
            Ownership::from_resource_control(Some(&restricted_to(&[], &[]))),
            Ownership::AdministratorsOnly
        );
        assert_eq!(
            Ownership::from_resource_control(Some(&restricted_to(&[2], &[1]).and_public())),
            Ownership::Public
        );
        assert_eq!(
            Ownership::from_resource_control(Some(&restricted_to(&[5, 2, 5], &[4, 1]))),
            Ownership::Restricted {
                users: vec![2, 5],
                teams: vec![1, 4]
            }
        );
        // Inconsistent flag: the server grants the named user, so we say restricted.
        assert_eq!(
            Ownership::from_resource_control(Some(
                &restricted_to(&[2], &[]).and_administrators_only()
            )),
            Ownership::Restricted {
                users: vec![2],
                teams: vec![]
            }
        );
    }

    #[test]
    fn kinds_have_stable_url_names() {
        for k in OwnershipKind::ALL {
            assert_eq!(OwnershipKind::from_url_name(k.url_name()), Some(k));
        }
        assert_eq!(OwnershipKind::Administrators.url_name(), "administrators");
        assert_eq!(OwnershipKind::from_url_name("Public"), None);
        assert_eq!(OwnershipKind::from_url_name(""), None);
        assert_eq!(Ownership::NoResourceControl.kind(), OwnershipKind::None);
        assert_eq!(
            Ownership::Restricted {
                users: vec![1],
                teams: vec![]
            }
            .kind(),
            OwnershipKind::Restricted
        );
    }

    #[test]
    fn describe_uses_names_and_falls_back_to_ids() {
        let n = names();
        let o = Ownership::Restricted {
            users: vec![2, 5],
            teams: vec![1],
        };
        assert_eq!(o.describe(&n), "restricted to bob, alice and team devs");
        let o = Ownership::Restricted {
            users: vec![3],
            teams: vec![2],
        };
        assert_eq!(o.describe(&n), "restricted to user #3 and team #2");
        let o = Ownership::Restricted {
            users: vec![],
            teams: vec![1],
        };
        assert_eq!(o.describe(&n), "restricted to team devs");
        assert_eq!(Ownership::Public.describe(&n), "public");
        assert_eq!(
            Ownership::AdministratorsOnly.describe(&n),
            "administrators only"
        );
        assert!(Ownership::NoResourceControl
            .describe(&n)
            .contains("administrators only"));
    }

    #[test]
    fn no_resource_control_is_admins_only() {
        assert_eq!(why_visible(&admin(), None), Some(Visibility::Administrator));
        assert_eq!(why_visible(&team_member(), None), None);
        assert_eq!(why_visible(&loner(), None), None);
    }

    #[test]
    fn administrators_only_is_admins_only() {
        let r = administrators_only();
        assert_eq!(
            why_visible(&admin(), Some(&r)),
            Some(Visibility::Administrator)
        );
        assert_eq!(why_visible(&team_member(), Some(&r)), None);
        assert_eq!(why_visible(&loner(), Some(&r)), None);
    }

    #[test]
    fn public_is_everyone() {
        let r = public();
        assert_eq!(
            why_visible(&admin(), Some(&r)),
            Some(Visibility::Administrator)
        );
        assert_eq!(
            visibility_reasons(&admin(), Some(&r)),
            vec![Visibility::Administrator, Visibility::Public]
        );
        assert_eq!(
            why_visible(&team_member(), Some(&r)),
            Some(Visibility::Public)
        );
        assert_eq!(why_visible(&loner(), Some(&r)), Some(Visibility::Public));
    }

    #[test]
    fn restricted_to_user() {
        let r = restricted_to(&[3], &[]);
        assert_eq!(why_visible(&loner(), Some(&r)), Some(Visibility::User));
        assert_eq!(why_visible(&team_member(), Some(&r)), None);
        assert_eq!(
            why_visible(&admin(), Some(&r)),
            Some(Visibility::Administrator)
        );
    }

    #[test]
    fn restricted_to_teams_lists_only_the_viewers_teams() {
        let r = restricted_to(&[], &[4, 9, 1]);
        assert_eq!(
            why_visible(&team_member(), Some(&r)),
            Some(Visibility::Team(vec![1, 4]))
        );
        assert_eq!(why_visible(&loner(), Some(&r)), None);
    }

    #[test]
    fn all_reasons_in_portainers_order() {
        let r = restricted_to(&[2], &[1]).and_public();
        assert_eq!(
            visibility_reasons(&team_member(), Some(&r)),
            vec![
                Visibility::User,
                Visibility::Team(vec![1]),
                Visibility::Public
            ]
        );
        assert_eq!(
            why_visible(&team_member(), Some(&r)),
            Some(Visibility::User)
        );
        assert_eq!(
            visibility_reasons(&loner(), Some(&r)),
            vec![Visibility::Public]
        );
    }

    #[test]
    fn server_rule_ignores_the_administrators_only_flag() {
        // UserCanAccessResource never reads AdministratorsOnly.
        let r = restricted_to(&[3], &[]).and_administrators_only();
        assert_eq!(why_visible(&loner(), Some(&r)), Some(Visibility::User));
    }

    #[test]
    fn ownership_grants_agrees_with_why_visible() {
        let shapes = [
            None,
            Some(administrators_only()),
            Some(restricted_to(&[], &[])),
            Some(public()),
            Some(restricted_to(&[2], &[])),
            Some(restricted_to(&[3], &[])),
            Some(restricted_to(&[], &[4])),
            Some(restricted_to(&[], &[7])),
            Some(restricted_to(&[5], &[1])),
            Some(restricted_to(&[3], &[]).and_administrators_only()),
        ];
        for viewer in [admin(), team_member(), loner()] {
            for shape in &shapes {
                let o = Ownership::from_resource_control(shape.as_ref());
                assert_eq!(
                    o.grants(&viewer),
                    why_visible(&viewer, shape.as_ref()).is_some(),
                    "{viewer:?} {shape:?}"
                );
            }
        }
    }

    #[test]
    fn visibility_descriptions() {
        let n = names();
        assert_eq!(
            Visibility::Team(vec![1, 8]).describe(&n),
            "through team devs and team #8"
        );
        assert_eq!(Visibility::Public.describe(&n), "because it is public");
        assert_eq!(
            Visibility::User.describe(&n),
            "because its access control names this user"
        );
    }
}
