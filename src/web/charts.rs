//! Small SVG charts drawn by our own code: a line chart of monthly series and a scatter chart,
//! with axes, ticks, labels and a legend. No inline style or script (the Content-Security-Policy
//! forbids both): every colour and stroke comes from classes styled in `static/css/reports.css`.

/// One line of the chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Shown in the legend and in each point's tooltip.
    pub name: String,
    /// CSS class of the line (`series-0`, `series-1`, ...).
    pub class: &'static str,
    /// One value per label.
    pub values: Vec<f64>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 40.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A round step for about five ticks up to `max`: 1, 2 or 5 times a power of ten.
fn nice_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let rough = max / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    step.max(1.0)
}

/// A line chart: `labels` along the x axis (every one shown when they fit, else every n-th),
/// the series as lines with a marked point per value, the y axis from 0 with round ticks.
/// `label` names the picture for screen readers; `format` writes a number on the axis.
pub fn line_chart(
    labels: &[String],
    series: &[Series],
    label: &str,
    format: &dyn Fn(f64) -> String,
) -> String {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    let step = nice_step(max);
    let top = (max / step).ceil().max(1.0) * step;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = labels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h * (1.0 - v / top);
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(label)
    );
    grid_and_axes(&mut svg, top, step, plot_h, &y, format);
    // X labels: at most about 12.
    let every = n.div_ceil(12);
    for (i, text) in labels.iter().enumerate() {
        if i % every == 0 {
            svg.push_str(&format!(
                r#"<text class="tick x" x="{:.1}" y="{:.1}">{}</text>"#,
                x(i),
                TOP + plot_h + 18.0,
                escape(text)
            ));
        }
    }
    draw_series(&mut svg, labels, series, (&x, &y), format);
    draw_legend(&mut svg, series);
    svg.push_str("</svg>");
    svg
}

/// Each series as a line with a marked point (and its tooltip) per value.
fn draw_series(
    svg: &mut String,
    labels: &[String],
    series: &[Series],
    (x, y): (&dyn Fn(usize) -> f64, &dyn Fn(f64) -> f64),
    format: &dyn Fn(f64) -> String,
) {
    for s in series {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        svg.push_str(&format!(
            r#"<g class="series {}"><polyline class="line" points="{}"/>"#,
            s.class,
            points.join(" ")
        ));
        for (i, v) in s.values.iter().enumerate() {
            let tip = format!(
                "{} {}: {}",
                s.name,
                labels.get(i).map(String::as_str).unwrap_or(""),
                format(*v)
            );
            svg.push_str(&format!(
                r#"<circle class="point" cx="{:.1}" cy="{:.1}" r="3"><title>{}</title></circle>"#,
                x(i),
                y(*v),
                escape(&tip)
            ));
        }
        svg.push_str("</g>");
    }
}

/// The legend along the top.
fn draw_legend(svg: &mut String, series: &[Series]) {
    let mut lx = LEFT;
    for s in series {
        svg.push_str(&format!(
            r#"<g class="legend {}"><line class="line" x1="{lx:.1}" y1="14" x2="{:.1}" y2="14"/><text x="{:.1}" y="18">{}</text></g>"#,
            s.class,
            lx + 22.0,
            lx + 28.0,
            escape(&s.name)
        ));
        lx += 40.0 + 7.5 * s.name.chars().count() as f64;
    }
}

/// The horizontal grid with the y axis' ticks from 0 to `top` by `step`, and both axes.
fn grid_and_axes(
    svg: &mut String,
    top: f64,
    step: f64,
    plot_h: f64,
    y: &dyn Fn(f64) -> f64,
    format: &dyn Fn(f64) -> String,
) {
    let mut tick = 0.0;
    while tick <= top + step / 2.0 {
        let ty = y(tick);
        svg.push_str(&format!(
            r#"<line class="grid" x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}"/><text class="tick y" x="{:.1}" y="{:.1}">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            ty + 4.0,
            escape(&format(tick))
        ));
        tick += step;
    }
    svg.push_str(&format!(
        r#"<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}"/><line class="axis" x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
        TOP + plot_h,
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h
    ));
}

/// One point of a scatter chart.
#[derive(Debug, Clone)]
pub struct Point {
    /// Across.
    pub x: f64,
    /// Up.
    pub y: f64,
    /// Its tooltip (district and month, say).
    pub label: String,
}

/// A scatter chart: the x axis from 0 to `x_max` (100 for a percentage), the y axis from 0 with
/// round ticks, a marked point per pair with its label as tooltip, both axes named.
pub fn scatter_chart(
    points: &[Point],
    x_max: f64,
    names: (&str, &str),
    label: &str,
    format_x: &dyn Fn(f64) -> String,
    format_y: &dyn Fn(f64) -> String,
) -> String {
    let max = points.iter().map(|p| p.y).fold(0.0_f64, f64::max);
    let step = nice_step(max);
    let top = (max / step).ceil().max(1.0) * step;
    let x_step = nice_step(x_max);
    let x_top = (x_max / x_step).ceil().max(1.0) * x_step;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |v: f64| LEFT + plot_w * v.clamp(0.0, x_top) / x_top;
    let y = |v: f64| TOP + plot_h * (1.0 - v / top);
    let mut svg = format!(
        r#"<svg class="chart scatter" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(label)
    );
    grid_and_axes(&mut svg, top, step, plot_h, &y, format_y);
    let mut tick = 0.0;
    while tick <= x_top + x_step / 2.0 {
        svg.push_str(&format!(
            r#"<text class="tick x" x="{:.1}" y="{:.1}">{}</text>"#,
            x(tick),
            TOP + plot_h + 16.0,
            escape(&format_x(tick))
        ));
        tick += x_step;
    }
    svg.push_str(&format!(
        r#"<text class="axis-name x" x="{:.1}" y="{:.1}">{}</text><text class="axis-name y" x="{LEFT}" y="{:.1}">{}</text>"#,
        LEFT + plot_w / 2.0,
        HEIGHT - 4.0,
        escape(names.0),
        TOP - 12.0,
        escape(names.1)
    ));
    svg.push_str(r#"<g class="series series-0">"#);
    for p in points {
        svg.push_str(&format!(
            r#"<circle class="point" cx="{:.1}" cy="{:.1}" r="4"><title>{}: {}, {}</title></circle>"#,
            x(p.x),
            y(p.y),
            escape(&p.label),
            escape(&format_x(p.x)),
            escape(&format_y(p.y))
        ));
    }
    svg.push_str("</g></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(330.0), 100.0);
        assert_eq!(nice_step(95.0), 20.0);
        assert_eq!(nice_step(4.0), 1.0);
    }

    #[test]
    fn a_chart_has_a_line_per_series_escaped_labels_and_no_style() {
        let labels: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}")).collect();
        let series = [
            Series {
                name: "2025 <now>".to_owned(),
                class: "series-0",
                values: (1..=12).map(f64::from).collect(),
            },
            Series {
                name: "2024".to_owned(),
                class: "series-1",
                values: vec![3.0; 12],
            },
        ];
        let svg = line_chart(&labels, &series, "Offences & months", &|v| format!("{v}"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 24);
        assert!(svg.contains("Offences &amp; months"));
        assert!(svg.contains("2025 &lt;now&gt;"));
        assert!(!svg.contains("style"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn a_scatter_chart_has_a_point_per_pair_and_named_axes() {
        let points = [
            Point {
                x: 50.0,
                y: 24.0,
                label: "A 2025-01".to_owned(),
            },
            Point {
                x: 100.0,
                y: 0.0,
                label: "C <2025-01>".to_owned(),
            },
        ];
        let svg = scatter_chart(
            &points,
            100.0,
            ("Coverage, %", "Offences & more"),
            "Scatter",
            &|v| format!("{v}"),
            &|v| format!("{v}"),
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("C &lt;2025-01&gt;: 100, 0"));
        assert!(svg.contains("Offences &amp; more"));
        // The point at 100 % sits on the right edge, the one at 0 offences on the x axis.
        assert!(svg.contains(&format!(
            r#"cx="{:.1}" cy="{:.1}""#,
            WIDTH - RIGHT,
            HEIGHT - BOTTOM
        )));
        assert!(!svg.contains("style"));
    }
}
