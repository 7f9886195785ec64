//! Plain-text descriptions: the doc comments schemars copies into a schema
//! are rustdoc, and a JSON user reads them as text.

/// Rewrites every `description` from rustdoc to plain text a JSON user
/// reads: code examples dropped, intra-doc links reduced to their text,
/// wrapped lines joined (paragraphs and list items kept).
pub(super) fn tidy_descriptions(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => tidy_map(map),
        serde_json::Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

pub(super) fn tidy_map(map: &mut serde_json::Map<String, serde_json::Value>) {
    for (key, item) in map.iter_mut() {
        match item {
            serde_json::Value::String(text) if key == "description" => *text = plain_text(text),
            _ => tidy_descriptions(item),
        }
    }
}

fn plain_text(doc: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let starts_item = line.starts_with("- ") || line.starts_with("* ");
        if line.is_empty() || starts_item {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let text = paragraphs.join("\n");
    strip_links(&text).trim_end_matches(':').trim().to_string()
}

/// `[`x`](path)` and `[`x`]` become `` `x` ``; `[text](path)` becomes `text`.
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find(']') else {
            out.push('[');
            rest = after;
            continue;
        };
        let label = after.get(..close).unwrap_or("");
        let tail = after.get(close + 1..).unwrap_or("");
        let is_link_label = !label.is_empty() && !label.contains('[');
        if is_link_label && tail.starts_with('(') {
            if let Some(end) = tail.find(')') {
                out.push_str(label);
                rest = tail.get(end + 1..).unwrap_or("");
                continue;
            }
        }
        if is_link_label && label.starts_with('`') && label.ends_with('`') {
            out.push_str(label);
            rest = tail;
            continue;
        }
        out.push('[');
        rest = after;
    }
    out.push_str(rest);
    out
}
