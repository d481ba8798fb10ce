//! Names behind the ids Portainer's answers carry, and how Portlight lists them in a sentence.

use crate::portainer::{Team, User};
use std::collections::BTreeMap;

/// "a", "a and b", "a, b and c".
pub fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// User and team names from whatever lists the token could fetch. Non-admins usually cannot
/// list users (403) and see only their own teams, so unknown ids get a readable fallback.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    users: BTreeMap<u32, String>,
    teams: BTreeMap<u32, String>,
}

impl Names {
    pub fn new(users: &[User], teams: &[Team]) -> Self {
        let mut names = Self::default();
        for u in users {
            names.insert_user(u.id, &u.username);
        }
        for t in teams {
            names.insert_team(t.id, &t.name);
        }
        names
    }

    /// Empty names are ignored (the fallback reads better than nothing).
    pub fn insert_user(&mut self, id: u32, username: &str) {
        if !username.is_empty() {
            self.users.insert(id, username.to_owned());
        }
    }

    pub fn insert_team(&mut self, id: u32, name: &str) {
        if !name.is_empty() {
            self.teams.insert(id, name.to_owned());
        }
    }

    /// "alice", or "user #3" when the token could not learn the name.
    pub fn user(&self, id: u32) -> String {
        match self.users.get(&id) {
            Some(name) => name.clone(),
            None => format!("user #{id}"),
        }
    }

    /// "team devs", or "team #2". The word "team" keeps team and user names apart in a list.
    pub fn team(&self, id: u32) -> String {
        match self.teams.get(&id) {
            Some(name) => format!("team {name}"),
            None => format!("team #{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_lists_ignore_empty_names() {
        let users = [User {
            id: 9,
            username: String::new(),
            ..User::default()
        }];
        let teams = [Team {
            id: 3,
            name: "qa".into(),
        }];
        let n = Names::new(&users, &teams);
        assert_eq!(n.user(9), "user #9");
        assert_eq!(n.team(3), "team qa");
    }

    #[test]
    fn join_and_lists() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&s(&[])), "");
        assert_eq!(join_and(&s(&["a"])), "a");
        assert_eq!(join_and(&s(&["a", "b"])), "a and b");
        assert_eq!(join_and(&s(&["a", "b", "c"])), "a, b and c");
    }
}
