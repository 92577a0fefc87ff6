//! The HTML report in a real browser: headless Chromium, driven over the DevTools
//! protocol, opens the report of the demo account from disk, and the test checks the
//! verdict and the findings in the DOM, that the filters work, that the page is whole
//! with JavaScript off, that it made no network request, and takes a screenshot.
//!
//! Set `ORR_REPORT_SCREENSHOT=docs/report.png` to keep the screenshot (the README's
//! picture is made this way: `ORR_REPORT_SCREENSHOT=docs/report.png cargo test --test
//! browser`).

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};
use support::{orr, DEMO};
use tungstenite::{Message, WebSocket};

const TIMEOUT: Duration = Duration::from_secs(60);

/// Chromium with a fresh profile, killed when dropped.
struct Chromium {
    child: Child,
    _profile: tempfile::TempDir,
    endpoint: String,
}

impl Chromium {
    fn start() -> Chromium {
        let program = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(&program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1280,1000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {program}: {e}; install it with: apt-get install chromium")
            });
        let stderr = child.stderr.take().unwrap();
        let (sender, endpoint) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find("ws://") {
                    let _ = sender.send(line[at..].trim().to_string());
                }
            }
        });
        let endpoint = endpoint.recv_timeout(TIMEOUT).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("{program} did not print its DevTools address within 60 s")
        });
        assert!(endpoint.starts_with("ws://127.0.0.1:"), "{endpoint}");
        Chromium {
            child,
            _profile: profile,
            endpoint,
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One DevTools connection, attached to one page; events are kept as they arrive.
struct Page {
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    events: Vec<Value>,
}

impl Page {
    fn open(browser: &Chromium) -> Page {
        let address = browser
            .endpoint
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let stream = TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        let (socket, _) = tungstenite::client(browser.endpoint.as_str(), stream).unwrap();
        let mut page = Page {
            socket,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
        };
        let target = page.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached = page.call(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        page.session = attached["sessionId"].as_str().unwrap().to_string();
        page.call("Page.enable", json!({}));
        page.call("Network.enable", json!({}));
        page
    }

    /// Sends a command and waits for its answer, keeping the events read meanwhile.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .unwrap();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            assert!(Instant::now() < deadline, "no answer to {method}");
            let Message::Text(text) = self.socket.read().unwrap() else {
                continue;
            };
            let value: Value = serde_json::from_str(text.as_str()).unwrap();
            if value["id"] == id {
                assert!(value["error"].is_null(), "{method} failed: {value}");
                return value["result"].clone();
            }
            self.events.push(value);
        }
    }

    fn wait_for_event(&mut self, method: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.events.iter().any(|e| e["method"] == method) {
            assert!(Instant::now() < deadline, "no {method} event");
            let Message::Text(text) = self.socket.read().unwrap() else {
                continue;
            };
            self.events
                .push(serde_json::from_str(text.as_str()).unwrap());
        }
    }

    fn load(&mut self, url: &str) {
        self.events.clear();
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for_event("Page.loadEventFired");
    }

    /// Evaluates an expression in the page and returns its value.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        assert!(
            result["exceptionDetails"].is_null(),
            "{expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    fn requested_urls(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .map(|e| e["params"]["request"]["url"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Rows of findings the reader can see now.
const VISIBLE_ROWS: &str =
    "[...document.querySelectorAll('tr.finding')].filter(r => r.getClientRects().length > 0).length";

fn set_filter(page: &mut Page, id: &str, value: &str) {
    let event = if id == "filter-text" {
        "input"
    } else {
        "change"
    };
    page.eval(&format!(
        "(() => {{ const el = document.getElementById({id:?}); el.value = {value:?}; el.dispatchEvent(new Event({event:?})); }})()"
    ));
}

#[test]
fn the_html_report_works_in_a_real_browser_and_stays_offline() {
    let dir = tempfile::tempdir().unwrap();
    let (report, json_path) = (
        dir.path().join("report.html"),
        dir.path().join("audit.json"),
    );
    // The demo account's review: two waivers, two attestations, named signatories.
    orr()
        .args(["--config", "examples/demo-review.toml"])
        .args(["audit", "--snapshot", DEMO, "--output", "none", "--export"])
        .arg(&report)
        .arg("--export")
        .arg(&json_path)
        .assert()
        .code(1);
    let audit: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let findings = audit["findings"].as_array().unwrap();
    let count = |pred: &dyn Fn(&Value) -> bool| findings.iter().filter(|f| pred(f)).count();
    let url = format!("file://{}", report.display());

    let browser = Chromium::start();
    let mut page = Page::open(&browser);
    page.load(&url);

    // The verdict and every finding are in the DOM.
    assert_eq!(
        page.eval("document.getElementById('verdict').dataset.verdict"),
        "NO-GO"
    );
    assert_eq!(
        page.eval("document.querySelector('#verdict .word').textContent"),
        "NO-GO"
    );
    assert_eq!(
        page.eval("document.querySelectorAll('tr.finding').length"),
        json!(findings.len())
    );
    assert_eq!(page.eval(VISIBLE_ROWS), json!(findings.len()));
    assert_eq!(
        page.eval("document.querySelectorAll('#checklist tbody tr').length"),
        json!(audit["run"]["checks"].as_array().unwrap().len())
    );
    assert_eq!(
        page.eval("document.getElementById('filters').hidden"),
        json!(false)
    );
    // Waivers and attestations with who and when; a sign-off line per role.
    for (selector, rows) in [
        ("#waivers tbody tr", 2),
        ("#attestations tbody tr", 2),
        (".signoff tbody tr", 3),
    ] {
        assert_eq!(
            page.eval(&format!("document.querySelectorAll({selector:?}).length")),
            json!(rows),
            "{selector}"
        );
    }
    assert!(page
        .eval("document.getElementById('waivers').textContent")
        .as_str()
        .unwrap()
        .contains("jane.doe (security)"));

    // The filters: by status, by severity and category together, by text, and reset.
    set_filter(&mut page, "filter-status", "FAIL");
    assert_eq!(
        page.eval(VISIBLE_ROWS),
        json!(count(&|f| f["status"] == "FAIL"))
    );
    set_filter(&mut page, "filter-status", "WAIVED");
    assert_eq!(page.eval(VISIBLE_ROWS), json!(2));
    set_filter(&mut page, "filter-status", "");
    set_filter(&mut page, "filter-severity", "critical");
    set_filter(&mut page, "filter-category", "security");
    assert_eq!(
        page.eval(VISIBLE_ROWS),
        json!(count(
            &|f| f["severity"] == "critical" && f["category"] == "security"
        ))
    );
    set_filter(&mut page, "filter-severity", "");
    set_filter(&mut page, "filter-category", "");
    set_filter(&mut page, "filter-text", "billing-mysql");
    let billing = count(&|f| f["resource_id"].as_str().unwrap().contains("billing-mysql"));
    assert!(billing > 0);
    assert_eq!(page.eval(VISIBLE_ROWS), json!(billing));
    assert_eq!(
        page.eval("document.getElementById('filter-count').textContent"),
        format!("{billing} of {} findings", findings.len())
    );
    set_filter(&mut page, "filter-text", "");
    assert_eq!(page.eval(VISIBLE_ROWS), json!(findings.len()));

    // The first screen, as a reviewer sees it.
    let shot = page.call("Page.captureScreenshot", json!({ "format": "png" }));
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    if let Ok(keep) = std::env::var("ORR_REPORT_SCREENSHOT") {
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join(keep), &png).unwrap();
    }

    // Nothing but the file itself was requested: no CSS, font, script or beacon.
    let requests = page.requested_urls();
    assert!(
        requests.iter().all(|r| r == &url),
        "the report requested {requests:?}"
    );

    // With JavaScript off the page is still complete: every finding shown, no dead
    // filter controls.
    page.call(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    );
    page.load(&url);
    assert_eq!(page.eval(VISIBLE_ROWS), json!(findings.len()));
    assert_eq!(
        page.eval("document.getElementById('filters').hidden"),
        json!(true)
    );
    assert_eq!(
        page.eval("document.getElementById('audit-sha256').textContent.length"),
        json!(64)
    );
}
