//! Charts drawn on the server as SVG: no script, no inline style (classes and presentation
//! attributes only, for the Content-Security-Policy), every mark a link to the projects behind
//! it. The figures themselves are shown beside each chart in a table; the chart only draws them.
//! Positions are computed in f64 (pixels); no figure shown to a reader passes through it.
use std::fmt::Write;

/// Escapes text for SVG content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One point of a rate line: a percentage 0–100, what a reader hears for it, and its list.
#[derive(Debug, Clone)]
pub struct RatePoint {
    pub value: Option<f64>,
    pub text: String,
    pub href: String,
}

/// One month (or date) of the rate chart: its axis label and one point per series.
#[derive(Debug, Clone)]
pub struct RateColumn {
    pub label: String,
    pub points: Vec<RatePoint>,
}

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

/// Lines of rates (percent) over columns, the y axis from `floor` to 100 %. `classes` gives each
/// series' line and dot classes (`line`/`dot`, `line-alt`/`dot-alt`).
pub fn rate_lines(
    title: &str,
    columns: &[RateColumn],
    classes: &[(&str, &str)],
    floor: f64,
) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 {W} {H}" xmlns="http://www.w3.org/2000/svg" aria-labelledby="{id}-t"><title id="{id}-t">{t}</title>"#,
        id = "rates",
        t = esc(title)
    );
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y_of = |v: f64| TOP + plot_h * (1.0 - ((v - floor) / (100.0 - floor)).clamp(0.0, 1.0));
    let n = columns.len().max(1) as f64;
    let x_of = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / n;
    // Grid lines every fifth of the range, labelled.
    for k in 0..=4 {
        let v = floor + (100.0 - floor) * f64::from(k) / 4.0;
        let y = y_of(v);
        let _ = write!(
            s,
            r#"<line class="grid-line" x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{v:.0}%</text>"#,
            x2 = W - RIGHT,
            tx = LEFT - 6.0,
            ty = y + 4.0
        );
    }
    let _ = write!(
        s,
        r#"<line class="axis" x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}"/>"#,
        x2 = W - RIGHT,
        y = TOP + plot_h
    );
    for (i, c) in columns.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{y}" text-anchor="middle">{l}</text>"#,
            x = x_of(i),
            y = H - 10.0,
            l = esc(&c.label)
        );
    }
    for (series, (line, dot)) in classes.iter().enumerate() {
        let pts: Vec<(f64, f64)> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.points
                    .get(series)
                    .and_then(|p| p.value)
                    .map(|v| (x_of(i), y_of(v)))
            })
            .collect();
        if pts.len() > 1 {
            let path: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(
                s,
                r#"<polyline class="{line}" points="{}"/>"#,
                path.join(" ")
            );
        }
        for (i, c) in columns.iter().enumerate() {
            let Some(p) = c.points.get(series) else {
                continue;
            };
            let Some(v) = p.value else { continue };
            let _ = write!(
                s,
                r#"<a href="{h}" aria-label="{a}"><circle class="{dot}" cx="{x:.1}" cy="{y:.1}" r="5"><title>{a}</title></circle></a>"#,
                h = esc(&p.href),
                a = esc(&p.text),
                x = x_of(i),
                y = y_of(v)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One row of a bar chart: a total bar and, over it, the part of it (required and accepted).
#[derive(Debug, Clone)]
pub struct BarRow {
    pub label: String,
    pub whole: u64,
    pub part: u64,
    pub whole_text: String,
    pub part_text: String,
    pub whole_href: String,
    pub part_href: String,
}

/// Horizontal bars, one row per group: the whole (`bar-alt`) with the part over it (`bar`).
pub fn bars(id: &str, title: &str, rows: &[BarRow]) -> String {
    let row_h = 28.0;
    let label_w = 96.0;
    let right = 56.0;
    let h = TOP + row_h * rows.len() as f64 + 8.0;
    let max = rows
        .iter()
        .map(|r| r.whole.max(r.part))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let plot_w = W - label_w - right;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 {W} {h:.0}" xmlns="http://www.w3.org/2000/svg" aria-labelledby="{id}-t"><title id="{id}-t">{t}</title>"#,
        id = esc(id),
        t = esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let ww = plot_w * r.whole as f64 / max;
        let pw = plot_w * r.part as f64 / max;
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty:.1}" text-anchor="end">{l}</text><a href="{wh}" aria-label="{wt}"><rect class="bar-alt" x="{label_w}" y="{y:.1}" width="{ww:.1}" height="20"><title>{wt}</title></rect></a><a href="{ph}" aria-label="{pt}"><rect class="bar" x="{label_w}" y="{py:.1}" width="{pw:.1}" height="12"><title>{pt}</title></rect></a><text x="{vx:.1}" y="{ty:.1}">{p}/{w}</text>"#,
            lx = label_w - 6.0,
            ty = y + 15.0,
            l = esc(&r.label),
            wh = esc(&r.whole_href),
            wt = esc(&r.whole_text),
            ph = esc(&r.part_href),
            pt = esc(&r.part_text),
            py = y + 4.0,
            vx = label_w + ww + 6.0,
            p = r.part,
            w = r.whole,
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_carry_links_and_no_style() {
        let cols = vec![RateColumn {
            label: "1月".into(),
            points: vec![RatePoint {
                value: Some(96.84),
                text: "1月 <96.84%>".into(),
                href: "/dashboard/projects?measure=accepted_or_decided&as_of=2023-01-31".into(),
            }],
        }];
        let svg = rate_lines("受理审批率", &cols, &[("line", "dot")], 0.0);
        assert!(svg.contains("&amp;as_of=2023-01-31"), "{svg}");
        assert!(svg.contains("&lt;96.84%&gt;"), "{svg}");
        assert!(!svg.contains("style"), "{svg}");
        let svg = bars(
            "county",
            "各县区",
            &[BarRow {
                label: "商州区".into(),
                whole: 10,
                part: 9,
                whole_text: "应办 10".into(),
                part_text: "已受理 9".into(),
                whole_href: "/a".into(),
                part_href: "/b".into(),
            }],
        );
        assert!(
            svg.contains("9/10") && svg.contains(r#"href="/b""#),
            "{svg}"
        );
        assert!(!svg.contains("style"), "{svg}");
    }
}
