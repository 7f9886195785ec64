//! Reading documents: from a file or standard input (`-`), as JSON, YAML or
//! JSON Lines, refusing anything above the size limit before reading it whole.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use clap::ValueEnum;
use serde_json::Value;

use crate::fail::Fail;

/// The default size limit of one input, in bytes (`--max-input-bytes`).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// By the file's extension: `.yaml`/`.yml` YAML, `.jsonl`/`.ndjson`
    /// JSON Lines, anything else (and standard input) JSON.
    Auto,
    /// JSON.
    Json,
    /// YAML 1.2 (one document).
    Yaml,
    /// JSON Lines: one JSON value per line, read as a list.
    Jsonl,
}

/// Where inputs come from and how big they may be.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// The format given on the command line.
    pub format: InputFormat,
    /// The most bytes one input may hold.
    pub max_bytes: u64,
}

impl Reader {
    /// Reads the document named `name` (`-`: standard input).
    pub fn value(&self, name: &str) -> Result<Value, Fail> {
        let text = self.text(name)?;
        let format = self.format_of(name);
        parse(&text, format).map_err(|message| {
            let hint = match (name, self.format) {
                ("-", InputFormat::Auto) => {
                    " (standard input is read as JSON; give --input-format yaml for YAML)"
                }
                _ => "",
            };
            Fail::syntax(name, format!("{message}{hint}"))
        })
    }

    /// Reads the document named `name` if the file exists (`None` if it does
    /// not; standard input always exists).
    pub fn value_if_exists(&self, name: &str) -> Result<Option<Value>, Fail> {
        if name != "-" && !Path::new(name).exists() {
            return Ok(None);
        }
        self.value(name).map(Some)
    }

    /// The format `name` is read in.
    pub fn format_of(&self, name: &str) -> InputFormat {
        if self.format != InputFormat::Auto {
            return self.format;
        }
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            InputFormat::Yaml
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            InputFormat::Jsonl
        } else {
            InputFormat::Json
        }
    }

    /// The text of `name`, at most `max_bytes` of it (more is an error, found
    /// without reading more than one byte past the limit).
    fn text(&self, name: &str) -> Result<String, Fail> {
        let mut bytes = Vec::new();
        let read = if name == "-" {
            std::io::stdin()
                .lock()
                .take(self.max_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
        } else {
            File::open(name).and_then(|f| {
                f.take(self.max_bytes.saturating_add(1))
                    .read_to_end(&mut bytes)
            })
        };
        read.map_err(|err| Fail::io(name, "cannot read", &err))?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(Fail::too_large(name, self.max_bytes));
        }
        String::from_utf8(bytes).map_err(|err| {
            Fail::syntax(
                name,
                format!("not UTF-8 text (byte {})", err.utf8_error().valid_up_to()),
            )
        })
    }
}

/// Parses `text` in `format` (`Auto` reads JSON).
pub fn parse(text: &str, format: InputFormat) -> Result<Value, String> {
    match format {
        InputFormat::Yaml => serde_saphyr::from_str::<Value>(text).map_err(|e| one_line(&e)),
        InputFormat::Jsonl => text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1)))
            .collect::<Result<Vec<Value>, String>>()
            .map(Value::Array),
        InputFormat::Json | InputFormat::Auto => {
            serde_json::from_str(text).map_err(|e| e.to_string())
        }
    }
}

/// The last non-blank line of a JSON Lines file, read one line at a time
/// (each line at most `max_bytes`), and whether the file ends with a line
/// break; `None` for a file that does not exist.
pub fn last_line(name: &str, max_bytes: u64) -> Result<Option<(Option<String>, bool)>, Fail> {
    let file = match File::open(name) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Fail::io(name, "cannot read", &err)),
    };
    let mut reader = BufReader::new(file);
    let (mut last, mut ends_with_newline) = (None, true);
    loop {
        let mut line = Vec::new();
        let n = (&mut reader)
            .take(max_bytes.saturating_add(2))
            .read_until(b'\n', &mut line)
            .map_err(|err| Fail::io(name, "cannot read", &err))?;
        if n == 0 {
            break;
        }
        if line.len() as u64 > max_bytes.saturating_add(1) {
            return Err(Fail::too_large(name, max_bytes));
        }
        ends_with_newline = line.last() == Some(&b'\n');
        let text = String::from_utf8(line)
            .map_err(|_| Fail::syntax(name, "a line is not UTF-8 text".to_string()))?;
        if !text.trim().is_empty() {
            last = Some(text.trim().to_string());
        }
    }
    Ok(Some((last, ends_with_newline)))
}

/// An error message on one line.
pub fn one_line(err: &impl std::fmt::Display) -> String {
    err.to_string()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
