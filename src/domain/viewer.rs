//! Who is looking: the token's user, reduced to what Portainer's access rules read
//! (user id, admin role, team ids).

use crate::portainer::{MembershipRole, TeamMembership, User};
use std::collections::BTreeSet;

/// The token's user as the access rules see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: u32,
    pub username: String,
    /// `Role == 1`. Admins bypass resource controls and environment access checks.
    pub is_admin: bool,
    /// Every team the user belongs to, as leader or member.
    pub team_ids: BTreeSet<u32>,
    /// Teams the user leads: leading any team opens Portainer's team-leader routes.
    pub led_team_ids: BTreeSet<u32>,
}

impl Viewer {
    /// `memberships` may be the user's own (`/users/{id}/memberships`) or everyone's
    /// (`/team_memberships`): entries of other users are ignored.
    pub fn new(user: &User, memberships: &[TeamMembership]) -> Self {
        let mut viewer = Self {
            user_id: user.id,
            username: user.username.clone(),
            is_admin: user.is_admin(),
            ..Self::default()
        };
        for m in memberships.iter().filter(|m| m.user_id == user.id) {
            viewer.team_ids.insert(m.team_id);
            if m.role == MembershipRole::TeamLeader {
                viewer.led_team_ids.insert(m.team_id);
            }
        }
        viewer
    }

    pub fn in_team(&self, team_id: u32) -> bool {
        self.team_ids.contains(&team_id)
    }

    /// Portainer's `TeamLeaderAccess`: admins and leaders of at least one team.
    pub fn is_team_leader(&self) -> bool {
        !self.led_team_ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portainer::UserRole;

    fn membership(user_id: u32, team_id: u32, role: MembershipRole) -> TeamMembership {
        TeamMembership {
            id: user_id * 100 + team_id,
            user_id,
            team_id,
            role,
        }
    }

    #[test]
    fn collects_teams_and_led_teams_of_this_user_only() {
        let user = User {
            id: 2,
            username: "bob".into(),
            role: UserRole::StandardUser,
            ..User::default()
        };
        let all = [
            membership(2, 1, MembershipRole::TeamMember),
            membership(2, 4, MembershipRole::TeamLeader),
            membership(3, 7, MembershipRole::TeamLeader),
        ];
        let v = Viewer::new(&user, &all);
        assert_eq!(v.user_id, 2);
        assert_eq!(v.username, "bob");
        assert!(!v.is_admin);
        assert_eq!(v.team_ids, BTreeSet::from([1, 4]));
        assert_eq!(v.led_team_ids, BTreeSet::from([4]));
        assert!(v.in_team(1) && !v.in_team(7));
        assert!(v.is_team_leader());
    }

    #[test]
    fn admin_without_teams() {
        let user = User {
            id: 1,
            username: "admin".into(),
            role: UserRole::Administrator,
            ..User::default()
        };
        let v = Viewer::new(&user, &[]);
        assert!(v.is_admin);
        assert!(v.team_ids.is_empty());
        assert!(!v.is_team_leader());
    }

    #[test]
    fn unknown_membership_role_counts_as_member_not_leader() {
        let user = User {
            id: 5,
            ..User::default()
        };
        let v = Viewer::new(&user, &[membership(5, 9, MembershipRole::Unknown(0))]);
        assert_eq!(v.team_ids, BTreeSet::from([9]));
        assert!(!v.is_team_leader());
    }
}
