//! Real `fcas serve` processes and a real nginx in front of them, on loopback ports, each
//! stopped (by its own PID) when its guard is dropped.
#![allow(dead_code)]
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "fleet-test-token-31c9";

pub fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files")
}

/// A running `fcas serve`.
pub struct Worker {
    pub child: Child,
    pub addr: SocketAddr,
    pub id: String,
}

impl Worker {
    /// Starts `fcas serve` on a free loopback port with `extra` arguments and waits until ready.
    pub fn start(dir: &Path, id: &str, extra: &[&str]) -> Worker {
        let token_file = dir.join("tokens");
        if !token_file.exists() {
            std::fs::write(&token_file, format!("# test tokens\n{TOKEN}\n")).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_fcas"))
            .args(["serve", "--listen", "127.0.0.1:0", "--worker-id", id, "--token-file"])
            .arg(&token_file)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start fcas serve");
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(Duration::from_secs(60)).expect("fcas serve prints its address");
        let addr: SocketAddr =
            line.trim().rsplit("://").next().unwrap().parse().unwrap_or_else(|_| panic!("unexpected first line {line:?}"));
        let worker = Worker { child, addr, id: id.to_string() };
        wait_until(Duration::from_secs(60), || http_status(worker.addr, "GET", "/v1/ready", None) == Some(200));
        worker
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private nginx balancing over `upstreams`.
pub struct Nginx {
    child: Child,
    pub port: u16,
    pub prefix: tempfile::TempDir,
}

/// The nginx binary, or a failure telling how to install it.
pub fn nginx_binary() -> PathBuf {
    for candidate in ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!("nginx is not installed: run `make test`, which installs it (scripts/setup-system.sh fleet)");
}

/// nginx configuration of the test load balancer (same directives as deploy/nginx.conf).
pub fn nginx_config(prefix: &Path, port: u16, upstreams: &[SocketAddr], max_body: &str) -> String {
    let servers: String = upstreams.iter().map(|a| format!("        server {a} max_fails=0;\n")).collect();
    // SAFETY: geteuid cannot fail.
    let user = if unsafe { libc::geteuid() } == 0 { "user root root;\n" } else { "" };
    let p = prefix.display();
    format!(
        "{user}worker_processes 1;
pid {p}/nginx.pid;
error_log {p}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {p}/client_body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    client_max_body_size {max_body};
    upstream fcas_workers {{
        least_conn;
{servers}        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://fcas_workers;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_request_buffering on;
            proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;
            proxy_next_upstream_tries 6;
            proxy_connect_timeout 2s;
            proxy_read_timeout 300s;
            proxy_send_timeout 300s;
        }}
    }}
}}
"
    )
}

impl Nginx {
    pub fn start(upstreams: &[SocketAddr], max_body: &str) -> Nginx {
        let binary = nginx_binary();
        let prefix = tempfile::tempdir().unwrap();
        let port = free_port();
        let config = prefix.path().join("nginx.conf");
        std::fs::write(&config, nginx_config(prefix.path(), port, upstreams, max_body)).unwrap();
        let child = Command::new(binary)
            .arg("-c")
            .arg(&config)
            .arg("-p")
            .arg(prefix.path())
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let nginx = Nginx { child, port, prefix };
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        wait_until(Duration::from_secs(20), || http_status(addr, "GET", "/v1/health", None) == Some(200));
        nginx
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGQUIT: nginx's graceful stop; then make sure.
        signal(self.child.id() as i32, libc::SIGQUIT);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `signal` to process `pid` (a process this test started).
pub fn signal(pid: i32, signal: i32) {
    // SAFETY: kill(2) on a PID this test spawned.
    unsafe { libc::kill(pid, signal) };
}

pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

pub fn wait_until(limit: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "not ready within {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Status of a bodiless request over plain HTTP/1.1 (no client library, so probes stay simple).
pub fn http_status(addr: SocketAddr, method: &str, path: &str, token: Option<&str>) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: test\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(head.get(9..12)?).ok()?.parse().ok()
}

/// The report as JSON without `provenance` (the only part a worker may change).
pub fn without_provenance(report: &fcas_report::Report) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap();
    value.as_object_mut().unwrap().remove("provenance");
    // Wall times differ between any two runs.
    if let Some(extraction) = value.get_mut("extraction").and_then(|e| e.as_object_mut()) {
        extraction.remove("ms");
    }
    value
}

/// The report a local scan gives the file itself (its container's children opened too, as a
/// worker does).
pub fn local_report(path: &Path) -> fcas_report::Report {
    let options = fcas_engine::Options::default();
    // The rules a worker runs by default: the built-in ones and the user's folder.
    static RULES: std::sync::OnceLock<fcas_rules::RuleSet> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| fcas_rules::RuleSet::load(&fcas_rules::RuleSources::standard(&[])).0);
    let stage = fcas_rules::RulesStage::new(rules);
    match fcas_engine::OpenedFile::open(path, options.limits.max_file_size) {
        Ok(opened) => fcas_engine::analyze_submission(&path.to_string_lossy(), opened, &options, &[&stage]).root,
        Err(error) => fcas_engine::input_failure(&path.to_string_lossy(), &error),
    }
}

/// A ZIP encrypted with AES-256 under `password` holding `files` under their file names.
pub fn encrypted_zip(dir: &Path, files: &[PathBuf], password: &str) -> PathBuf {
    let path = dir.join(format!("samples-{password}.zip"));
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default().with_aes_encryption(zip::AesMode::Aes256, password);
    for file in files {
        writer.start_file(file.file_name().unwrap().to_string_lossy(), options).unwrap();
        std::io::Write::write_all(&mut writer, &std::fs::read(file).unwrap()).unwrap();
    }
    writer.finish().unwrap();
    path
}
