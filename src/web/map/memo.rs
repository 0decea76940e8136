//! Drawn maps remembered. A map is a function of its network, areas, paths, marks and label
//! alone, and drawing one along the roads costs milliseconds (route searches between the stops,
//! clipping the streets, formatting thousands of numbers), while an officer's route page asks for
//! the same map on every visit of the page: the largest share of the page's 6.6 ms by `perf`
//! (`bench/RESULTS.md` §11; 3.7 ms at one client with the memo, §12). So the last few megabytes
//! of maps are kept, least recently used out first.
//!
//! The key holds every input itself, bit for bit, not a hash of them: two different routes can
//! never share a picture, whatever the odds. A network is told apart by its load's
//! [`Router::generation`], so a newly imported network draws afresh.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use geo::Polygon;

use super::{Mark, Shade};
use crate::domain::GeoPoint;
use crate::roads::Router;

/// Bytes of drawn maps kept: an officer's route map is 20 to 150 KB, so a region's day of routes
/// (24 groups) and the pages around them fit several times over.
const BUDGET_BYTES: usize = 8 << 20;

/// Which drawing a key is of: the same inputs draw different pictures in each.
#[derive(Debug, Clone, Copy)]
enum Drawing {
    Paths = 1,
    Shaded = 2,
}

/// Everything a drawing depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    numbers: Vec<u64>,
    text: String,
}

impl Key {
    /// The key of [`super::draw_with_paths`]'s inputs. Lengths go in before each run of numbers
    /// or text, so no two different inputs write the same key.
    pub(super) fn of(
        roads: Option<&Router>,
        areas: &[&Polygon<f64>],
        paths: &[Vec<GeoPoint>],
        marks: &[Mark],
        label: &str,
    ) -> Key {
        let mut key = Key::start(Drawing::Paths, roads);
        key.numbers.push(areas.len() as u64);
        for area in areas {
            key.push_area(area);
        }
        key.numbers.push(paths.len() as u64);
        for path in paths {
            key.numbers.push(path.len() as u64);
            key.push_points(path);
        }
        key.numbers.push(marks.len() as u64);
        for m in marks {
            key.push_points(&[m.at]);
            for text in [m.sign.as_str(), m.class, m.title.as_str()] {
                key.push_text(text);
            }
        }
        key.push_text(label);
        key
    }

    /// The key of [`super::draw_shaded`]'s inputs.
    pub(super) fn of_shaded(roads: Option<&Router>, shades: &[Shade<'_>], label: &str) -> Key {
        let mut key = Key::start(Drawing::Shaded, roads);
        key.numbers.push(shades.len() as u64);
        for s in shades {
            key.push_area(s.area);
            for text in [s.class, s.label.as_str(), s.title.as_str()] {
                key.push_text(text);
            }
        }
        key.push_text(label);
        key
    }

    /// A key that begins with what is drawn and on which network load.
    fn start(drawing: Drawing, roads: Option<&Router>) -> Key {
        Key {
            numbers: vec![drawing as u64, roads.map_or(0, Router::generation)],
            text: String::new(),
        }
    }

    fn push_area(&mut self, area: &Polygon<f64>) {
        self.numbers.push(area.interiors().len() as u64);
        for ring in std::iter::once(area.exterior()).chain(area.interiors()) {
            self.numbers.push(ring.0.len() as u64);
            for c in &ring.0 {
                self.numbers.extend([c.x.to_bits(), c.y.to_bits()]);
            }
        }
    }

    fn push_points(&mut self, points: &[GeoPoint]) {
        for g in points {
            self.numbers.extend([g.lat.to_bits(), g.lon.to_bits()]);
        }
    }

    fn push_text(&mut self, text: &str) {
        self.numbers.push(text.len() as u64);
        self.text.push_str(text);
    }

    fn bytes(&self) -> usize {
        self.numbers.len() * 8 + self.text.len()
    }
}

#[derive(Debug, Default)]
struct Kept {
    maps: HashMap<Key, (String, u64)>,
    bytes: usize,
    tick: u64,
}

impl Kept {
    /// A kept map, marked as just used.
    fn get(&mut self, key: &Key) -> Option<String> {
        self.tick += 1;
        let tick = self.tick;
        let (svg, used) = self.maps.get_mut(key)?;
        *used = tick;
        Some(svg.clone())
    }

    /// Keeps a map, then lets the least recently used go until `budget` bytes hold the rest. A
    /// map over a quarter of the budget is not kept (it would push out many others).
    fn put(&mut self, key: Key, svg: &str, budget: usize) {
        let size = key.bytes() + svg.len();
        if size > budget / 4 || self.maps.contains_key(&key) {
            return;
        }
        self.tick += 1;
        self.bytes += size;
        self.maps.insert(key, (svg.to_owned(), self.tick));
        while self.bytes > budget {
            let Some(oldest) = self
                .maps
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((old, _)) = self.maps.remove(&oldest) {
                self.bytes -= oldest.bytes() + old.len();
            }
        }
    }
}

/// The process's drawn maps.
fn kept() -> &'static Mutex<Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(Mutex::default)
}

/// The map of `key`, drawn by `draw` unless it was drawn before. The lock is not held while
/// drawing: two requests for a new map may both draw it, and nobody waits on another's drawing.
/// A poisoned lock only costs drawing again.
pub(super) fn remembered(key: Key, draw: impl FnOnce() -> String) -> String {
    if let Some(svg) = kept().lock().ok().and_then(|mut kept| kept.get(&key)) {
        return svg;
    }
    let svg = draw();
    if let Ok(mut kept) = kept().lock() {
        kept.put(key, &svg, BUDGET_BYTES);
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64) -> GeoPoint {
        GeoPoint { lat, lon: 63.6 }
    }

    fn mark(sign: &str, title: &str) -> Mark {
        Mark {
            at: point(53.2),
            sign: sign.to_owned(),
            class: "home",
            title: title.to_owned(),
        }
    }

    #[test]
    fn inputs_that_differ_anywhere_make_different_keys() {
        let path = vec![point(53.1), point(53.2)];
        let base = Key::of(
            None,
            &[],
            std::slice::from_ref(&path),
            &[mark("1", "a")],
            "map",
        );
        assert_eq!(
            base,
            Key::of(
                None,
                &[],
                std::slice::from_ref(&path),
                &[mark("1", "a")],
                "map"
            )
        );
        // Text moved between fields, a point moved, a path split in two, another label.
        assert_ne!(
            base,
            Key::of(
                None,
                &[],
                std::slice::from_ref(&path),
                &[mark("1a", "")],
                "map"
            )
        );
        let moved = vec![point(53.1), point(53.2000001)];
        assert_ne!(base, Key::of(None, &[], &[moved], &[mark("1", "a")], "map"));
        let split = [vec![point(53.1)], vec![point(53.2)]];
        assert_ne!(base, Key::of(None, &[], &split, &[mark("1", "a")], "map"));
        assert_ne!(base, Key::of(None, &[], &[path], &[mark("1", "a")], "mapa"));
        // Nothing but a label: still two different drawings.
        assert_ne!(
            Key::of(None, &[], &[], &[], "map"),
            Key::of_shaded(None, &[], "map")
        );
    }

    #[test]
    fn the_least_recently_used_map_goes_first_and_the_budget_holds() {
        let key = |n: u64| Key {
            numbers: vec![n],
            text: String::new(),
        };
        let svg = "x".repeat(92);
        let mut kept = Kept::default();
        // Each entry is 100 bytes (8 of key, 92 of picture): four fit in 400.
        for n in 0..4 {
            kept.put(key(n), &svg, 400);
        }
        assert!(kept.get(&key(0)).is_some(), "0 is now the latest used");
        kept.put(key(4), &svg, 400);
        assert!(kept.get(&key(1)).is_none(), "1 was the least recently used");
        for n in [0, 2, 3, 4] {
            assert_eq!(kept.get(&key(n)).as_deref(), Some(svg.as_str()));
        }
        assert_eq!(kept.bytes, 400);
        // A map over a quarter of the budget is drawn but not kept.
        kept.put(key(9), &"y".repeat(200), 400);
        assert!(kept.get(&key(9)).is_none());
        assert_eq!(kept.bytes, 400);
    }

    #[test]
    fn a_remembered_map_is_the_map_drawn_afresh_and_a_change_draws_anew() {
        let router = Router::new(crate::roads::tests::grid(6, false));
        let stops = vec![
            point(53.2),
            GeoPoint {
                lat: 53.209,
                lon: 63.612,
            },
            point(53.2),
        ];
        let marks = [mark("1", "ул. Абая, 1")];
        let draw = |r: &Router, marks: &[Mark]| {
            super::super::draw_with_paths(
                Some(r),
                &[],
                std::slice::from_ref(&stops),
                marks,
                "route",
            )
        };
        let fresh = super::super::draw_afresh(
            Some(&router),
            &[],
            std::slice::from_ref(&stops),
            &marks,
            "route",
        );
        assert!(
            fresh.contains("on-roads") && fresh.contains("road-residential"),
            "{fresh}"
        );
        assert_eq!(draw(&router, &marks), fresh);
        assert_eq!(
            draw(&router, &marks),
            fresh,
            "the second time, from the memo"
        );
        // Another address on the mark: another picture, not the remembered one.
        let other = [mark("1", "ул. Абая, 2")];
        let changed = draw(&router, &other);
        assert_ne!(changed, fresh);
        assert!(changed.contains("ул. Абая, 2") && !changed.contains("ул. Абая, 1"));
        // The same network loaded again is another generation, drawn the same.
        let again = Router::new(crate::roads::tests::grid(6, false));
        assert_ne!(again.generation(), router.generation());
        let key = |r: &Router| Key::of(Some(r), &[], std::slice::from_ref(&stops), &marks, "route");
        assert_ne!(
            key(&again),
            key(&router),
            "a new load never hits the old load's maps"
        );
        assert_eq!(draw(&again, &marks), fresh);
    }

    #[test]
    fn a_remembered_shaded_map_is_the_map_drawn_afresh_and_another_figure_draws_anew() {
        let router = Router::new(crate::roads::tests::grid(6, false));
        let ring = vec![
            (63.6, 53.2),
            (63.61, 53.2),
            (63.61, 53.209),
            (63.6, 53.209),
            (63.6, 53.2),
        ];
        let square = Polygon::new(geo::LineString::from(ring), vec![]);
        let shade = |title: &str| Shade {
            area: &square,
            class: "shade-3",
            label: "KST".to_owned(),
            title: title.to_owned(),
        };
        let draw = |title: &str| super::super::draw_shaded(Some(&router), &[shade(title)], "cov");
        let fresh = super::super::draw_shaded_afresh(Some(&router), &[shade("85 %")], "cov");
        assert!(fresh.contains("road-"), "{fresh}");
        assert_eq!(draw("85 %"), fresh);
        assert_eq!(draw("85 %"), fresh, "the second time, from the memo");
        let other = draw("60 %");
        assert!(other.contains("60 %") && !other.contains("85 %"));
    }
}
