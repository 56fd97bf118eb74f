//! The deployment files are valid: every YAML parses and says what the scaling page promises,
//! and nginx accepts the load balancer configuration (`nginx -t`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod fleet_support;

use std::path::PathBuf;
use std::process::Command;

use serde::Deserialize;
use serde_norway::Value;

fn deploy() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../deploy")
}

fn documents(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(deploy().join(name)).unwrap();
    serde_norway::Deserializer::from_str(&text).map(|doc| Value::deserialize(doc).unwrap_or_else(|e| panic!("{name}: {e}"))).collect()
}

fn get<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |v, key| match key.parse::<usize>() {
        Ok(index) => &v[index],
        Err(_) => &v[key],
    })
}

#[test]
fn kubernetes_manifests_parse_and_wire_probes_drain_and_scaling() {
    let mut kinds = Vec::new();
    for entry in std::fs::read_dir(deploy().join("k8s")).unwrap() {
        let name = format!("k8s/{}", entry.unwrap().file_name().to_string_lossy());
        for doc in documents(&name) {
            kinds.push(get(&doc, "kind").as_str().unwrap_or_default().to_string());
            match get(&doc, "kind").as_str() {
                Some("Deployment") => {
                    let pod = get(&doc, "spec.template.spec");
                    let container = get(pod, "containers.0");
                    assert_eq!(get(container, "readinessProbe.httpGet.path").as_str(), Some("/v1/ready"));
                    assert_eq!(get(container, "livenessProbe.httpGet.path").as_str(), Some("/v1/health"));
                    let args: Vec<&str> = get(container, "args").as_sequence().unwrap().iter().filter_map(|a| a.as_str()).collect();
                    let drain: u64 =
                        args.iter().position(|a| *a == "--drain-timeout").and_then(|i| args.get(i + 1)).unwrap().parse().unwrap();
                    let grace = get(pod, "terminationGracePeriodSeconds").as_u64().unwrap();
                    assert!(grace > drain, "terminationGracePeriodSeconds ({grace}) must exceed --drain-timeout ({drain})");
                    assert_eq!(get(pod, "securityContext.runAsNonRoot").as_bool(), Some(true));
                }
                Some("HorizontalPodAutoscaler") => {
                    assert_eq!(get(&doc, "spec.scaleTargetRef.kind").as_str(), Some("Deployment"));
                    assert_eq!(get(&doc, "spec.scaleTargetRef.name").as_str(), Some("fcas-worker"));
                    assert!(get(&doc, "spec.maxReplicas").as_u64() > get(&doc, "spec.minReplicas").as_u64());
                }
                Some("PodDisruptionBudget") | Some("Service") => {
                    let selector = get(&doc, "spec.selector");
                    let labels = selector.get("matchLabels").unwrap_or(selector);
                    assert_eq!(labels.get("app.kubernetes.io/name").and_then(|v| v.as_str()), Some("fcas-worker"));
                }
                _ => {}
            }
        }
    }
    kinds.sort();
    assert_eq!(kinds, ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"]);
}

#[test]
fn compose_file_has_nginx_and_three_workers() {
    let docs = documents("compose.yaml");
    let services = get(&docs[0], "services").as_mapping().unwrap();
    let names: Vec<&str> = services.keys().filter_map(|k| k.as_str()).collect();
    for expected in ["nginx", "worker1", "worker2", "worker3"] {
        assert!(names.contains(&expected), "{expected} missing from compose.yaml: {names:?}");
    }
    // Every worker shares the anchored definition: non-root image, read-only, grace > drain.
    let worker = get(&docs[0], "services.worker2");
    assert_eq!(get(worker, "read_only").as_bool(), Some(true));
    assert!(get(worker, "stop_grace_period").as_str().is_some());
}

#[test]
fn nginx_accepts_the_load_balancer_configuration() {
    let nginx = fleet_support::nginx_binary();
    let prefix = tempfile::tempdir().unwrap();
    // Compose's service names do not resolve here, and nginx -t resolves upstream hosts.
    let mut config = std::fs::read_to_string(deploy().join("nginx.conf")).unwrap();
    for i in 1..=3 {
        config = config.replace(&format!("worker{i}:8080"), &format!("127.0.0.1:1808{i}"));
    }
    let path = prefix.path().join("nginx.conf");
    std::fs::write(&path, config).unwrap();
    let output = Command::new(nginx)
        .arg("-t")
        .arg("-c")
        .arg(&path)
        .arg("-p")
        .arg(prefix.path())
        .args(["-g", &format!("pid {}/nginx.pid;", prefix.path().display())])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "nginx -t failed:\n{stderr}");
    assert!(stderr.contains("syntax is ok"), "{stderr}");
}
