//! Small SVG maps drawn by our own code with `geo`: district boundaries and marked points, for
//! a person's page and the plan's routes, and districts shaded by a figure (the coverage
//! report). No tiles, no outside service. With an imported road network the maps draw its
//! streets under the points and the routes along the roads (`roads`).

mod memo;
mod roads;

use geo::{BoundingRect as _, Polygon};

pub use self::roads::{along_roads, roads_for};
use crate::domain::GeoPoint;
use crate::roads::{Bbox, Router};

/// A point to mark: where, its one-letter sign, and a CSS class (`home`, `work`, `base`, ...).
#[derive(Debug, Clone)]
pub struct Mark {
    /// Where.
    pub at: GeoPoint,
    /// Text in the marker (a letter or a stop number).
    pub sign: String,
    /// CSS class of the marker.
    pub class: &'static str,
    /// Tooltip.
    pub title: String,
}

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 320.0;
const PAD: f64 = 18.0;

/// A local equirectangular projection fitted to a box: fine for a district (distortion under a
/// percent), and exact enough to place a marker.
struct Projection {
    lon0: f64,
    lat1: f64,
    kx: f64,
    scale: f64,
    dx: f64,
    dy: f64,
}

impl Projection {
    fn fit(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> Self {
        let kx = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let w = ((max_lon - min_lon) * kx).max(1e-6);
        let h = (max_lat - min_lat).max(1e-6);
        let scale = ((WIDTH - 2.0 * PAD) / w).min((HEIGHT - 2.0 * PAD) / h);
        Self {
            lon0: min_lon,
            lat1: max_lat,
            kx,
            scale,
            dx: (WIDTH - w * scale) / 2.0,
            dy: (HEIGHT - h * scale) / 2.0,
        }
    }

    /// The latitude-longitude box the whole picture shows.
    fn frame(&self) -> Bbox {
        let k = self.kx * self.scale;
        Bbox {
            south: self.lat1 - (HEIGHT - self.dy) / self.scale,
            west: self.lon0 - self.dx / k,
            north: self.lat1 + self.dy / self.scale,
            east: self.lon0 + (WIDTH - self.dx) / k,
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.dx + (lon - self.lon0) * self.kx * self.scale,
            self.dy + (self.lat1 - lat) * self.scale,
        )
    }
}

fn ring_path(p: &Projection, ring: &geo::LineString<f64>) -> String {
    let mut d = String::new();
    for (i, c) in ring.coords().enumerate() {
        let (x, y) = p.xy(c.x, c.y);
        d.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }));
    }
    d.push('Z');
    d
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG of the areas (holes included), the streets of `roads` when given, and the marks,
/// framed on all of them. `label` names the picture for screen readers.
pub fn draw(
    roads: Option<&Router>,
    areas: &[&Polygon<f64>],
    marks: &[Mark],
    label: &str,
) -> String {
    draw_with_paths(roads, areas, &[], marks, label)
}

/// The projection framing all the areas and points; `None` when there is nothing to frame.
fn fit_all(areas: &[&Polygon<f64>], points: &[GeoPoint]) -> Option<Projection> {
    let mut bounds: Option<(f64, f64, f64, f64)> = None;
    let mut grow = |x: f64, y: f64| {
        bounds = Some(match bounds {
            None => (x, y, x, y),
            Some((a, b, c, d)) => (a.min(x), b.min(y), c.max(x), d.max(y)),
        });
    };
    for area in areas {
        if let Some(r) = area.bounding_rect() {
            grow(r.min().x, r.min().y);
            grow(r.max().x, r.max().y);
        }
    }
    for point in points {
        grow(point.lon, point.lat);
    }
    let (min_lon, min_lat, max_lon, max_lat) = bounds?;
    Some(Projection::fit(min_lon, min_lat, max_lon, max_lat))
}

fn area_path(p: &Projection, area: &Polygon<f64>) -> String {
    let mut d = ring_path(p, area.exterior());
    for hole in area.interiors() {
        d.push_str(&ring_path(p, hole));
    }
    d
}

/// An area shaded by a figure: its CSS class (`shade-0` ... or `shade-none`), its short label
/// written at its centre, and its tooltip.
#[derive(Debug, Clone)]
pub struct Shade<'a> {
    /// The boundary.
    pub area: &'a Polygon<f64>,
    /// CSS class of the fill.
    pub class: &'static str,
    /// Written on the area (a district code).
    pub label: String,
    /// Tooltip (name and figure).
    pub title: String,
}

/// An SVG of areas each filled by its class and labelled at its centre (a choropleth map), the
/// major roads of `roads` over the fills; the legend is the caller's, in HTML beside it. With
/// roads it is drawn once and then remembered (`memo`), like [`draw_with_paths`].
pub fn draw_shaded(roads: Option<&Router>, shades: &[Shade<'_>], label: &str) -> String {
    if roads.is_none() {
        return draw_shaded_afresh(roads, shades, label);
    }
    memo::remembered(memo::Key::of_shaded(roads, shades, label), || {
        draw_shaded_afresh(roads, shades, label)
    })
}

/// [`draw_shaded`] without the memo.
fn draw_shaded_afresh(roads: Option<&Router>, shades: &[Shade<'_>], label: &str) -> String {
    let areas: Vec<&Polygon<f64>> = shades.iter().map(|s| s.area).collect();
    let Some(p) = fit_all(&areas, &[]) else {
        return String::new();
    };
    let mut svg = format!(
        r#"<svg class="map shaded" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(label)
    );
    for s in shades {
        svg.push_str(&format!(
            r#"<path class="area {}" fill-rule="evenodd" d="{}"><title>{}</title></path>"#,
            s.class,
            area_path(&p, s.area),
            escape(&s.title)
        ));
    }
    if let Some(router) = roads {
        svg.push_str(&roads::street_layer(router, &p));
    }
    for s in shades {
        let Some(centre) = geo::InteriorPoint::interior_point(s.area) else {
            continue;
        };
        let (x, y) = p.xy(centre.x(), centre.y());
        svg.push_str(&format!(
            r#"<text class="area-label" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y + 4.0,
            escape(&s.label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// [`draw`] with paths through stops: along the roads of `roads` when given (class
/// `on-roads`), else straight legs. A map along the roads is drawn once and then remembered
/// (`memo`): the same inputs give the same picture.
pub fn draw_with_paths(
    roads: Option<&Router>,
    areas: &[&Polygon<f64>],
    paths: &[Vec<GeoPoint>],
    marks: &[Mark],
    label: &str,
) -> String {
    if roads.is_none() {
        return draw_afresh(roads, areas, paths, marks, label);
    }
    memo::remembered(memo::Key::of(roads, areas, paths, marks, label), || {
        draw_afresh(roads, areas, paths, marks, label)
    })
}

/// [`draw_with_paths`] without the memo.
fn draw_afresh(
    roads: Option<&Router>,
    areas: &[&Polygon<f64>],
    paths: &[Vec<GeoPoint>],
    marks: &[Mark],
    label: &str,
) -> String {
    let paths: Vec<Vec<GeoPoint>> = paths
        .iter()
        .map(|stops| match roads {
            Some(router) => along_roads(router, stops),
            None => stops.clone(),
        })
        .collect();
    let points: Vec<GeoPoint> = marks
        .iter()
        .map(|m| m.at)
        .chain(paths.iter().flatten().copied())
        .collect();
    let Some(p) = fit_all(areas, &points) else {
        return String::new();
    };
    let mut svg = format!(
        r#"<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(label)
    );
    for area in areas {
        svg.push_str(&format!(
            r#"<path class="area" fill-rule="evenodd" d="{}"/>"#,
            area_path(&p, area)
        ));
    }
    if let Some(router) = roads {
        svg.push_str(&roads::street_layer(router, &p));
    }
    let class = if roads.is_some() {
        "path on-roads"
    } else {
        "path"
    };
    for path in &paths {
        let line: Vec<(f64, f64)> = path.iter().map(|g| p.xy(g.lon, g.lat)).collect();
        let mut d = String::new();
        roads::push_run(&mut d, &line);
        svg.push_str(&format!(r#"<path class="{class}" d="{d}"/>"#));
    }
    push_marks(&mut svg, &p, marks);
    svg.push_str("</svg>");
    svg
}

fn push_marks(svg: &mut String, p: &Projection, marks: &[Mark]) {
    for m in marks {
        let (x, y) = p.xy(m.at.lon, m.at.lat);
        svg.push_str(&format!(
            r#"<g class="mark {}"><title>{}</title><circle cx="{x:.1}" cy="{y:.1}" r="11"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"#,
            m.class,
            escape(&m.title),
            y + 4.5,
            escape(&m.sign)
        ));
    }
}

/// The person form's street map: framed on `frame`'s points, the streets and the marks, with
/// the box it shows as `data-frame="S,W,N,E"` so the form's script turns a click into a point
/// (the projection is linear in each axis, and the picture keeps its aspect).
pub fn draw_picker(roads: &Router, frame: &[GeoPoint], marks: &[Mark], label: &str) -> String {
    let Some(p) = fit_all(&[], frame) else {
        return String::new();
    };
    let b = p.frame();
    let mut svg = format!(
        r#"<svg class="map picker" id="address-map" viewBox="0 0 {WIDTH} {HEIGHT}" data-frame="{:.6},{:.6},{:.6},{:.6}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        b.south,
        b.west,
        b.north,
        b.east,
        escape(label)
    );
    svg.push_str(&roads::street_layer(roads, &p));
    push_marks(&mut svg, &p, marks);
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_land_inside_the_picture_and_text_is_escaped() {
        let square = Polygon::new(
            geo::LineString::from(vec![
                (63.0, 53.0),
                (64.0, 53.0),
                (64.0, 54.0),
                (63.0, 54.0),
                (63.0, 53.0),
            ]),
            vec![],
        );
        let home = Mark {
            at: GeoPoint {
                lat: 53.5,
                lon: 63.5,
            },
            sign: "H".into(),
            class: "home",
            title: "<b>".into(),
        };
        let svg = draw(None, &[&square], &[home], "map & more");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains("map &amp; more"));
        // The centre of the square is the centre of the picture.
        assert!(svg.contains(r#"cx="240.0" cy="160.0""#), "{svg}");
    }

    #[test]
    fn shaded_areas_carry_their_class_label_and_tooltip() {
        let square = |x: f64| {
            Polygon::new(
                geo::LineString::from(vec![
                    (x, 53.0),
                    (x + 1.0, 53.0),
                    (x + 1.0, 54.0),
                    (x, 54.0),
                    (x, 53.0),
                ]),
                vec![],
            )
        };
        let (west, east) = (square(63.0), square(64.0));
        let svg = draw_shaded(
            None,
            &[
                Shade {
                    area: &west,
                    class: "shade-4",
                    label: "KST".into(),
                    title: "Kostanay: 85 %".into(),
                },
                Shade {
                    area: &east,
                    class: "shade-none",
                    label: "A&B".into(),
                    title: "none".into(),
                },
            ],
            "coverage",
        );
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.contains(r#"class="area shade-4""#));
        assert!(svg.contains("<title>Kostanay: 85 %</title>"));
        assert!(svg.contains(">KST</text>") && svg.contains(">A&amp;B</text>"));
        assert!(!svg.contains("style"));
        assert_eq!(draw_shaded(None, &[], "empty"), "");
    }
}
