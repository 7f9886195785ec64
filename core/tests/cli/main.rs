//! The `rollgate` binary end to end: a test per subcommand, with its exit
//! code, standard input, YAML input, text output and invalid input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod canary;
mod change;
mod plan;
mod schema;
mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run printed and returned.
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

/// A scratch folder for one test's files.
pub struct Dir(PathBuf);

impl Dir {
    /// A fresh, empty folder for the test `name`.
    pub fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("rollgate-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    /// Writes `name` and returns its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    /// The path of `name` in the folder (which may not exist yet).
    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    /// Runs `rollgate` with `args` in this folder, `stdin` on standard input.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Run {
        run_in(&self.0, args, stdin)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rollgate"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The one-line error on stderr: `(code, path, message)`.
pub fn error_line(run: &Run) -> (String, String, String) {
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {}", run.stderr);
    let rest = lines[0]
        .strip_prefix("error: ")
        .expect("starts with `error: `");
    let (code, rest) = rest.split_once(" at ").unwrap();
    let (path, message) = rest.split_once(": ").unwrap();
    (code.to_string(), path.to_string(), message.to_string())
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let dir = Dir::new("usage");
    let run = dir.run(&["order"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("<PLAN>"));
    assert_eq!(dir.run(&["frobnicate"], None).code, 2);
    let help = dir.run(&["--help"], None);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit codes"));
    // Standard input can be read once.
    let twice = dir.run(&["judge", "-", "-"], Some("{}"));
    assert_eq!(twice.code, 2);
    assert_eq!(error_line(&twice).0, "usage");
}

#[test]
fn an_unreadable_file_exits_6_and_an_oversized_one_5() {
    let dir = Dir::new("io");
    let missing = dir.run(&["order", "no-such-plan.json"], None);
    assert_eq!(missing.code, 6);
    let (code, path, _) = error_line(&missing);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("io_error", "no-such-plan.json")
    );

    let plan = dir.file("plan.json", r#"{"name": "p", "services": [{"id": "a"}]}"#);
    let big = dir.run(&["--max-input-bytes", "10", "order", &plan], None);
    assert_eq!(big.code, 5);
    let (code, _, message) = error_line(&big);
    assert_eq!(code, "input_too_large");
    assert!(message.contains("more than 10 bytes"), "{message}");
    // The same limit applies to standard input.
    let big = dir.run(
        &["--max-input-bytes", "10", "order", "-"],
        Some(r#"{"name": "p", "services": []}"#),
    );
    assert_eq!(
        (big.code, error_line(&big).0.as_str()),
        (5, "input_too_large")
    );
    // Exactly at the limit is fine.
    let len = std::fs::metadata(&plan).unwrap().len().to_string();
    assert_eq!(
        dir.run(&["--max-input-bytes", &len, "order", &plan], None)
            .code,
        0
    );
}

#[test]
fn text_that_is_not_json_is_invalid_input_naming_the_file() {
    let dir = Dir::new("syntax");
    let run = dir.run(&["order", "-"], Some("name: p\nservices: []\n"));
    assert_eq!(run.code, 5);
    let (code, path, message) = error_line(&run);
    assert_eq!((code.as_str(), path.as_str()), ("invalid_input", "-"));
    assert!(message.contains("--input-format yaml"), "{message}");
    let run = dir.run(
        &["--input-format", "yaml", "order", "-"],
        Some("name: p\nservices: [{id: a}]\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["waves"], serde_json::json!([["a"]]));
}
