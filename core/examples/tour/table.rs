//! Aligned text tables: every column as wide as its widest cell.

/// How a column's cells line up.
#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Right,
}

/// Prints `rows` under `header`, indented by two spaces, each column as
/// wide as its widest cell (header included).
pub fn print(header: &[(&str, Align)], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|(h, _)| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .zip(header)
            .map(|((cell, &w), (_, align))| match align {
                Align::Left => format!("{cell:<w$}"),
                Align::Right => format!("{cell:>w$}"),
            })
            .collect();
        println!("  {}", parts.join("  ").trim_end());
    };
    line(header.iter().map(|(h, _)| *h).collect());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// A duration in seconds as rollgate writes it (`1h30m`).
pub fn dur(secs: u64) -> String {
    rollgate::DurationSecs(secs).to_string()
}

/// A share of traffic (0.03) as a percentage (`3%`).
pub fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A value's wire name (`"rollback"`, `"no_data"`, `"medium"`).
pub fn word<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}
