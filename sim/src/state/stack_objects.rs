//! What starting, stopping, redeploying and removing a stack does to its Docker objects.

use std::collections::HashMap;

use super::State;
use crate::model::docker::{Container, Health, RunState, Service, Task};

/// A stopped stack's Docker objects, as they will be created again.
#[derive(Default, Clone)]
pub struct Parked {
    pub containers: Vec<Container>,
    pub services: Vec<Service>,
    pub tasks: Vec<Task>,
}

/// Moves, in order, the objects of the stacks `parked` holds out of `items` into their entry.
fn park<T>(
    items: &mut Vec<T>,
    parked: &mut HashMap<i64, Parked>,
    stack_of: fn(&T) -> Option<i64>,
    slot: fn(&mut Parked) -> &mut Vec<T>,
) {
    for item in std::mem::take(items) {
        match stack_of(&item).and_then(|id| parked.get_mut(&id)) {
            Some(entry) => slot(entry).push(item),
            None => items.push(item),
        }
    }
}

impl State {
    /// A stopped stack has no Docker objects: at start, the seed's stopped stacks lose theirs
    /// as `remove_stack_objects` would, in one pass rather than one per stack (`--scale` stops
    /// thousands).
    pub fn park_stopped_stacks(&mut self) {
        let mut parked: HashMap<i64, Parked> = self
            .stacks
            .iter()
            .filter(|s| s.status == crate::model::stack::STACK_INACTIVE)
            .map(|s| (s.id, Parked::default()))
            .collect();
        park(
            &mut self.containers,
            &mut parked,
            |c| c.stack_id,
            |p| &mut p.containers,
        );
        park(
            &mut self.services,
            &mut parked,
            |s| s.stack_id,
            |p| &mut p.services,
        );
        park(
            &mut self.tasks,
            &mut parked,
            |t| t.stack_id,
            |p| &mut p.tasks,
        );
        self.parked.extend(parked);
    }

    /// `docker compose … down --remove-orphans` (`api/exec/compose_stack.go` `Down`) and
    /// `docker stack rm` (`api/exec/swarm_stack.go` `Remove`): the stack's containers, or its
    /// services with their tasks and containers, are removed (volumes stay).
    pub fn remove_stack_objects(&mut self, stack_id: i64) {
        let ours = |id: Option<i64>| id == Some(stack_id);
        let parked = self.parked.entry(stack_id).or_default();
        parked
            .containers
            .extend(self.containers.iter().filter(|c| ours(c.stack_id)).cloned());
        parked
            .services
            .extend(self.services.iter().filter(|s| ours(s.stack_id)).cloned());
        parked
            .tasks
            .extend(self.tasks.iter().filter(|t| ours(t.stack_id)).cloned());
        self.containers.retain(|c| !ours(c.stack_id));
        self.services.retain(|s| !ours(s.stack_id));
        self.tasks.retain(|t| !ours(t.stack_id));
    }

    /// `docker compose up -d` / `docker stack deploy`: a stopped stack's objects are created
    /// again, with new ids and creation times.
    pub fn create_stack_objects(&mut self, stack_id: i64, now: i64) {
        let Some(parked) = self.parked.remove(&stack_id) else {
            return;
        };
        let fresh = |old: &str| crate::model::docker::hex_id(&format!("{old}/created/{now}"));
        let mut renamed = HashMap::new();
        for mut c in parked.containers {
            let id = fresh(&c.id);
            renamed.insert(c.id.clone(), id.clone());
            c.id = id;
            c.created = now;
            c.started_at = now;
            c.state = RunState::Running;
            c.health = c.health.map(|_| Health::Healthy);
            self.containers.push(c);
        }
        for mut s in parked.services {
            s.created_at = now;
            s.updated_at = now;
            self.services.push(s);
        }
        for mut t in parked.tasks {
            t.id = fresh(&t.id);
            if let Some(id) = renamed.get(&t.container_id) {
                t.container_id = id.clone();
            }
            t.created_at = now;
            t.desired_state = "running";
            self.tasks.push(t);
        }
    }

    /// `docker compose up` / `docker stack deploy` of a stack that runs: its containers run;
    /// `recreate` (a redeploy) replaces running ones too.
    pub fn run_stack_containers(&mut self, stack_id: i64, now: i64, recreate: bool) {
        for c in self
            .containers
            .iter_mut()
            .filter(|c| c.stack_id == Some(stack_id))
        {
            if recreate || !c.is_running() {
                if recreate {
                    c.created = now;
                }
                c.state = RunState::Running;
                c.started_at = now;
                c.health = c.health.map(|_| Health::Healthy);
            }
        }
        for t in self
            .tasks
            .iter_mut()
            .filter(|t| t.stack_id == Some(stack_id))
        {
            t.desired_state = "running";
        }
    }

    /// Deleting a stack removes its Docker objects, file and ResourceControl.
    pub fn remove_stack(&mut self, stack_id: i64) {
        if let Some(stack) = self.stack(stack_id).cloned() {
            let rc_id = self.stack_resource_control(&stack).map(|rc| rc.id);
            self.resource_controls.retain(|rc| Some(rc.id) != rc_id);
        }
        self.stacks.retain(|s| s.id != stack_id);
        self.stack_files.remove(&stack_id);
        self.containers.retain(|c| c.stack_id != Some(stack_id));
        self.services.retain(|s| s.stack_id != Some(stack_id));
        self.tasks.retain(|t| t.stack_id != Some(stack_id));
        self.parked.remove(&stack_id);
    }
}
