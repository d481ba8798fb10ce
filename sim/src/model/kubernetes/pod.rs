//! A pod as the API server writes it (`k8s.io/api/core/v1` `Pod`: its fields, though a pod's
//! keys come out in alphabetical order rather than the Go structs'), and the `PodList` around
//! pods (in `PodList`'s own order).

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{time, uid, Cluster, ContainerState, ListMeta, Pod, PodContainer, Terminated};
use crate::model::docker::hex_id;

/// `GET /api/v1/namespaces/{ns}/pods`: items carry no `kind`/`apiVersion` of their own.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodList {
    kind: &'static str,
    api_version: &'static str,
    metadata: ListMeta,
    pub items: Vec<Value>,
}

pub fn pod_list<'a>(cluster: &Cluster, pods: impl Iterator<Item = &'a Pod>) -> PodList {
    PodList {
        kind: "PodList",
        api_version: "v1",
        metadata: ListMeta::of(cluster),
        items: pods.map(Pod::json).collect(),
    }
}

/// The registry-qualified image a container status reports (`docker.io/library/redis:7.2`).
fn qualified_image(image: &str) -> String {
    let first = image.split('/').next().unwrap_or_default();
    let has_registry = image.contains('/') && (first.contains('.') || first.contains(':'));
    match (has_registry, image.contains('/')) {
        (true, _) => image.to_string(),
        (false, true) => format!("docker.io/{image}"),
        (false, false) => format!("docker.io/library/{image}"),
    }
}

fn image_id(image: &str) -> String {
    let repository = qualified_image(image);
    let repository = repository
        .rsplit_once(':')
        .map_or(repository.as_str(), |(r, tag)| {
            if tag.contains('/') {
                &repository
            } else {
                r
            }
        });
    format!("{repository}@sha256:{}", hex_id(&format!("image/{image}")))
}

impl Pod {
    fn container_id(&self, container: &str, run: i64) -> String {
        let seed = format!("container/{}/{container}/{run}", self.uid());
        format!("containerd://{}", hex_id(&seed))
    }

    /// The kube-api-access projected volume every pod of a service account gets.
    fn token_volume(&self) -> String {
        format!("kube-api-access-{}", &hex_id(&self.uid())[..5])
    }

    pub fn json(&self) -> Value {
        json!({
            "metadata": self.metadata_json(),
            "spec": self.spec_json(),
            "status": self.status_json(),
        })
    }

    fn metadata_json(&self) -> Value {
        let mut meta = Map::new();
        meta.insert("name".into(), json!(self.name));
        // Controllers name their pods from a prefix; a StatefulSet names them by ordinal.
        if let Some(owner) = self.owner.as_ref().filter(|o| o.kind != "StatefulSet") {
            meta.insert("generateName".into(), json!(format!("{}-", owner.name)));
        }
        meta.insert("namespace".into(), json!(self.namespace));
        meta.insert("uid".into(), json!(self.uid()));
        meta.insert(
            "resourceVersion".into(),
            json!(self.resource_version.to_string()),
        );
        meta.insert("creationTimestamp".into(), json!(time(self.created)));
        meta.insert("labels".into(), json!(self.labels));
        if let Some(owner) = &self.owner {
            let owner_uid = uid(&format!("{}/{}/{}", owner.kind, self.namespace, owner.name));
            meta.insert(
                "ownerReferences".into(),
                json!([{
                    "apiVersion": owner.api_version, "kind": owner.kind, "name": owner.name,
                    "uid": owner_uid, "controller": true, "blockOwnerDeletion": true
                }]),
            );
        }
        let manager = if self.owner.is_some() {
            "kube-controller-manager"
        } else {
            "kubectl-client-side-apply"
        };
        meta.insert(
            "managedFields".into(),
            json!([
                {
                    "manager": manager, "operation": "Update", "apiVersion": "v1",
                    "time": time(self.created), "fieldsType": "FieldsV1",
                    "fieldsV1": { "f:metadata": { "f:labels": { ".": {} } }, "f:spec": {} }
                },
                {
                    "manager": "kubelet", "operation": "Update", "apiVersion": "v1",
                    "time": time(self.created + 5), "fieldsType": "FieldsV1",
                    "fieldsV1": { "f:status": { "f:conditions": {}, "f:phase": {} } },
                    "subresource": "status"
                }
            ]),
        );
        Value::Object(meta)
    }

    fn spec_json(&self) -> Value {
        let volume = self.token_volume();
        let containers: Vec<Value> = self
            .containers
            .iter()
            .map(|c| {
                let mut spec = json!({ "name": c.name, "image": c.image });
                if !c.ports.is_empty() {
                    spec["ports"] = c
                        .ports
                        .iter()
                        .map(|p| json!({ "containerPort": p, "protocol": "TCP" }))
                        .collect();
                }
                if !c.env.is_empty() {
                    spec["env"] = c
                        .env
                        .iter()
                        .map(|(name, value)| json!({ "name": name, "value": value }))
                        .collect();
                }
                spec["resources"] = json!({});
                spec["volumeMounts"] = json!([{
                    "name": volume, "readOnly": true,
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"
                }]);
                spec["terminationMessagePath"] = json!("/dev/termination-log");
                spec["terminationMessagePolicy"] = json!("File");
                spec["imagePullPolicy"] = json!("IfNotPresent");
                spec
            })
            .collect();
        json!({
            "volumes": [{
                "name": volume,
                "projected": {
                    "sources": [
                        { "serviceAccountToken": { "expirationSeconds": 3607, "path": "token" } },
                        { "configMap": { "name": "kube-root-ca.crt",
                                         "items": [{ "key": "ca.crt", "path": "ca.crt" }] } },
                        { "downwardAPI": { "items": [{ "path": "namespace", "fieldRef": {
                            "apiVersion": "v1", "fieldPath": "metadata.namespace" } }] } }
                    ],
                    "defaultMode": 420
                }
            }],
            "containers": containers,
            "restartPolicy": self.restart_policy,
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "serviceAccount": "default",
            "nodeName": self.node,
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "tolerations": [
                { "key": "node.kubernetes.io/not-ready", "operator": "Exists",
                  "effect": "NoExecute", "tolerationSeconds": 300 },
                { "key": "node.kubernetes.io/unreachable", "operator": "Exists",
                  "effect": "NoExecute", "tolerationSeconds": 300 }
            ],
            "priority": 0,
            "enableServiceLinks": true,
            "preemptionPolicy": "PreemptLowerPriority"
        })
    }

    fn terminated_json(&self, c: &PodContainer, t: &Terminated, run: i64) -> Value {
        json!({ "terminated": {
            "exitCode": t.exit_code, "reason": t.reason,
            "startedAt": time(t.started_at), "finishedAt": time(t.finished_at),
            "containerID": self.container_id(&c.name, run)
        } })
    }

    fn container_status_json(&self, c: &PodContainer) -> Value {
        let state = match &c.state {
            ContainerState::Running { started_at } => {
                json!({ "running": { "startedAt": time(*started_at) } })
            }
            ContainerState::Waiting { reason, message } => {
                json!({ "waiting": { "reason": reason, "message": message } })
            }
            ContainerState::Terminated(t) => self.terminated_json(c, t, c.restart_count),
        };
        let last_state = match &c.last_state {
            Some(t) => self.terminated_json(c, t, c.restart_count - 1),
            None => json!({}),
        };
        let mut status = json!({
            "name": c.name,
            "state": state,
            "lastState": last_state,
            "ready": c.ready(),
            "restartCount": c.restart_count,
            "image": qualified_image(&c.image),
            "imageID": image_id(&c.image),
        });
        // A container waiting to restart keeps the id of its last run.
        match (&c.state, &c.last_state) {
            (ContainerState::Waiting { .. }, None) => {}
            (ContainerState::Waiting { .. }, Some(_)) => {
                status["containerID"] = json!(self.container_id(&c.name, c.restart_count - 1));
            }
            _ => status["containerID"] = json!(self.container_id(&c.name, c.restart_count)),
        }
        status["started"] = json!(c.ready());
        status
    }

    fn status_json(&self) -> Value {
        let phase = self.phase();
        let ready = self.containers.iter().all(PodContainer::ready);
        let unready: Vec<&str> = self
            .containers
            .iter()
            .filter(|c| !c.ready())
            .map(|c| c.name.as_str())
            .collect();
        let scheduled = time(self.created + 1);
        let changed = self
            .containers
            .iter()
            .map(|c| match (&c.state, &c.last_state) {
                (ContainerState::Running { started_at }, _) => *started_at,
                (ContainerState::Terminated(t), _) | (_, Some(t)) => t.finished_at,
                _ => self.created + 2,
            })
            .max()
            .unwrap_or(self.created + 2);
        let condition = |kind: &str, ok: bool, at: String, why: Option<(&str, String)>| {
            let mut c = json!({
                "type": kind, "status": if ok { "True" } else { "False" },
                "lastProbeTime": null, "lastTransitionTime": at
            });
            if let Some((reason, message)) = why {
                c["reason"] = json!(reason);
                if !message.is_empty() {
                    c["message"] = json!(message);
                }
            }
            c
        };
        let done = phase == "Succeeded" || phase == "Failed";
        let not_ready = if done {
            Some(("PodCompleted", String::new()))
        } else if ready {
            None
        } else {
            let list = format!("containers with unready status: [{}]", unready.join(" "));
            Some(("ContainersNotReady", list))
        };
        let started = time(self.created + 2);
        let conditions = json!([
            condition(
                "PodReadyToStartContainers",
                !done,
                time(changed.max(self.created + 2)),
                None
            ),
            condition(
                "Initialized",
                true,
                started.clone(),
                done.then(|| ("PodCompleted", String::new()))
            ),
            condition("Ready", ready && !done, time(changed), not_ready.clone()),
            condition("ContainersReady", ready && !done, time(changed), not_ready),
            condition("PodScheduled", true, scheduled, None),
        ]);
        json!({
            "phase": phase,
            "conditions": conditions,
            "hostIP": self.host_ip,
            "hostIPs": [{ "ip": self.host_ip }],
            "podIP": self.pod_ip,
            "podIPs": [{ "ip": self.pod_ip }],
            "startTime": started,
            "containerStatuses": self.containers.iter()
                .map(|c| self.container_status_json(c)).collect::<Vec<_>>(),
            "qosClass": "BestEffort"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{image_id, qualified_image};

    #[test]
    fn images_are_qualified_like_containerd_reports_them() {
        assert_eq!(qualified_image("redis:7.2"), "docker.io/library/redis:7.2");
        assert_eq!(
            qualified_image("bitnami/redis:7.2.5"),
            "docker.io/bitnami/redis:7.2.5"
        );
        assert_eq!(
            qualified_image("ghcr.io/acme/demo-web:1.3.0"),
            "ghcr.io/acme/demo-web:1.3.0"
        );
        assert!(
            image_id("ghcr.io/acme/demo-web:1.3.0").starts_with("ghcr.io/acme/demo-web@sha256:")
        );
        assert!(image_id("localhost:5000/app").starts_with("localhost:5000/app@sha256:"));
    }
}
