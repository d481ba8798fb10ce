//! A Kubernetes stack's pods and their logs, read through Portainer's Kubernetes proxy: the
//! pods its Deployment selects and its bare pod, a crash-looping container first, and one log
//! view of every container, each line named `pod/container`.

use crate::connect::connect_as;
use portlight_e2e::{demo_sim, Browser};

/// Each pod row as (name, owner, status, ready, restarts).
fn pods(b: &Browser) -> Vec<(String, String, String, String, String)> {
    let rows = b.exec(
        "return [...document.querySelectorAll('table.pods tr.pod')].map(r => {
           const c = r.querySelectorAll(':scope > td');
           return [r.dataset.name, c[0].querySelector('.sub').textContent,
                   c[1].querySelector('.badge').textContent, c[2].textContent, c[3].textContent];
         });",
        vec![],
    );
    serde_json::from_value(rows).unwrap_or_default()
}

#[test]
fn a_kubernetes_stacks_pods_and_their_logs() {
    let sim = demo_sim();
    // alice reaches k8s-lab and namespace demo through her own policies, as admin does.
    for user in ["admin", "alice"] {
        let b = Browser::start();
        connect_as(&b, &sim.url(), user);
        b.goto(&format!("{}/stacks/10?tab=containers", sim.url()));
        b.wait_text("nav.tabs a[data-tab='containers']", "Pods");
        b.wait_text("nav.tabs a[data-tab='compose']", "Manifest");
        b.wait("table.pods tr.pod");
        let pods = pods(&b);
        assert_eq!(pods.len(), 3, "{user}: {pods:?}");
        // The crash-looping bare pod first, then the Deployment's two replicas.
        assert_eq!(pods[0].0, "demo-worker", "{pods:?}");
        assert_eq!(pods[0].1, "Pod");
        assert_eq!(pods[0].2, "CrashLoopBackOff");
        assert_eq!(pods[0].3, "1/2");
        assert_eq!(pods[0].4, "7");
        for p in &pods[1..] {
            assert!(p.0.starts_with("demo-web-7c9d8f6b5d-"), "{p:?}");
            assert_eq!(
                (p.1.as_str(), p.2.as_str(), p.3.as_str()),
                ("Deployment demo-web", "Running", "1/1")
            );
        }
        let worker = b
            .wait("tr.pod[data-name='demo-worker'] li.pod-container[data-name='worker']")
            .text();
        assert!(worker.contains("waiting: CrashLoopBackOff"), "{worker}");
        assert!(
            worker.contains("7 restarts, last run: Error (1)"),
            "{worker}"
        );
        assert!(
            b.unexpected_errors().is_empty(),
            "{:?}",
            b.unexpected_errors()
        );

        // The pod's Logs: its two containers only, each line named pod/container.
        b.click("tr.pod[data-name='demo-worker'] td:last-child a.button");
        b.wait(".logs .line");
        assert!(b.url().contains("/stacks/10/logs?only="), "{}", b.url());
        b.wait_until("both containers' lines", || {
            let prefixes = b.texts(".logs .line .src");
            prefixes.iter().any(|p| p == "demo-worker/worker")
                && prefixes.iter().any(|p| p == "demo-worker/metrics")
                && prefixes.iter().all(|p| p.starts_with("demo-worker/"))
        });
        let chips = b.texts(".source-chip");
        assert_eq!(
            chips.len(),
            4,
            "every container of every pod is a source: {chips:?}"
        );
        assert!(
            chips
                .iter()
                .any(|c| c.contains("demo-worker/worker") && c.contains("CrashLoopBackOff")),
            "{chips:?}"
        );

        // The whole stack: the web replicas' lines too, by time.
        b.goto(&format!("{}/stacks/10/logs", sim.url()));
        b.wait_until("every pod's lines", || {
            b.texts(".logs .line .src")
                .iter()
                .any(|p| p.starts_with("demo-web-7c9d8f6b5d-") && p.ends_with("/web"))
        });
        let times = b.texts(".logs .line .ts");
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "by time: {times:?}");
        assert!(!b.exists(".source-error"), "no source failed");
    }
    // The manifest tab shows the stack's Kubernetes file.
    let b = Browser::start();
    connect_as(&b, &sim.url(), "admin");
    b.goto(&format!("{}/stacks/10?tab=compose", sim.url()));
    b.wait_text(".compose .code", "kind: Deployment");
}
