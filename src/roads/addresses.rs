//! Address search over the network's streets and house numbers (the extract's `addr:*` tags):
//! "Абая 12", "ул. Абая, 12", "abaya 12" and "Abay" all find a house or a street, folded and
//! transliterated like the registry's search (`domain::search`). Streets whose houses carry no
//! numbers are found by name alone. Also: how far a point lies from a street an address names.

use std::collections::HashMap;

use super::network::{E7, RoadNetwork};
use crate::domain::search::{fold, transliterate};

/// Words that say what kind of street or place a name is, dropped before matching, so "улица
/// Абая", "ул. Абая" and "Абая" are one street (Russian, Kazakh and Latin spellings).
const TYPE_WORDS: &[&str] = &[
    "ул",
    "улица",
    "пр",
    "просп",
    "проспект",
    "пер",
    "переулок",
    "мкр",
    "микрорайон",
    "б-р",
    "бульвар",
    "ш",
    "шоссе",
    "пл",
    "площадь",
    "д",
    "дом",
    "г",
    "город",
    "с",
    "село",
    "п",
    "поселок",
    "кв",
    "квартира",
    "копшеси",
    "кош",
    "дангылы",
    "ul",
    "ulitsa",
    "pr",
    "prospekt",
    "per",
    "pereulok",
    "mkr",
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "str",
    "kv",
];

/// Words after which the next token is a flat, not a house.
const FLAT_WORDS: &[&str] = &["кв", "квартира", "kv", "apt", "flat"];

/// Streets farther apart than this with one name are different streets (in different towns).
const SAME_STREET_KM: f64 = 3.0;

/// A point farther than this from the street its address names is worth a warning (a town
/// block's depth and a courtyard: a house on that street lies nearer).
pub const NEAR_STREET_M: f64 = 400.0;

/// Metres in one degree of latitude.
const M_PER_DEG: f64 = 111_195.0;

/// One street name: its folded and Latin spellings, its key, its houses and segments.
#[derive(Debug)]
struct Street {
    name: u32,
    folded: String,
    latin: String,
    houses: Vec<u32>,
    segments: Vec<u32>,
}

/// What a search found: a house, or a street (no number) at a point along it.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressMatch {
    /// The street as the extract names it.
    pub street: String,
    /// The house number, `None` for a street found by name.
    pub number: Option<String>,
    /// Where.
    pub at: E7,
}

/// The search index of a network (built once per loaded network, see `Router::addresses`).
#[derive(Debug)]
pub struct AddressIndex {
    streets: Vec<Street>,
    by_key: HashMap<String, Vec<usize>>,
}

/// A name's key: folded, punctuation and street-type words dropped ("ул. Абая" -> "абая").
pub fn street_key(name: &str) -> String {
    fold(name)
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | '"' | '«' | '»'))
        .filter(|w| !w.is_empty() && !TYPE_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A house number compared across scripts and spacing ("12 А" = "12a").
fn number_key(number: &str) -> String {
    transliterate(&fold(number)).replace([' ', '-'], "")
}

/// A query: the words of the street's name and the house number, if any.
fn parse(query: &str) -> (Vec<String>, Option<String>) {
    let folded = fold(query);
    let mut words = Vec::new();
    let mut number = None;
    let mut skip_next = false;
    for token in folded.split(|c: char| c.is_whitespace() || matches!(c, ',' | '"' | '«' | '»')) {
        let token = token.trim_matches('.');
        if token.is_empty() || std::mem::take(&mut skip_next) {
            continue;
        }
        if FLAT_WORDS.contains(&token) {
            skip_next = true;
        } else if token.starts_with(|c: char| c.is_ascii_digit()) {
            number.get_or_insert_with(|| number_key(token));
        } else if !TYPE_WORDS.contains(&token) && token.chars().count() >= 2 {
            words.push(token.to_owned());
        }
    }
    (words, number)
}

impl AddressIndex {
    /// Groups the houses and named segments by street name.
    pub fn new(net: &RoadNetwork) -> AddressIndex {
        let mut at: HashMap<u32, usize> = HashMap::new();
        let mut streets: Vec<Street> = Vec::new();
        let mut entry = |name: u32, streets: &mut Vec<Street>| -> usize {
            *at.entry(name).or_insert_with(|| {
                let folded = fold(net.name(Some(name)).unwrap_or_default());
                streets.push(Street {
                    name,
                    latin: transliterate(&folded),
                    folded,
                    houses: Vec::new(),
                    segments: Vec::new(),
                });
                streets.len() - 1
            })
        };
        for (i, s) in net.segments.iter().enumerate() {
            if let Some(name) = s.name {
                let e = entry(name, &mut streets);
                streets[e].segments.push(i as u32);
            }
        }
        for (i, a) in net.addresses.iter().enumerate() {
            let e = entry(a.street, &mut streets);
            streets[e].houses.push(i as u32);
        }
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in streets.iter().enumerate() {
            let key = street_key(&s.folded);
            if !key.is_empty() {
                by_key.entry(key).or_default().push(i);
            }
        }
        AddressIndex { streets, by_key }
    }

    /// Houses (or streets, without a number) matching `query`, at most `limit`, best first:
    /// the streets matching most of the query's words, then by name.
    pub fn search(&self, net: &RoadNetwork, query: &str, limit: usize) -> Vec<AddressMatch> {
        let (words, number) = parse(query);
        if words.is_empty() || limit == 0 {
            return Vec::new();
        }
        let score = |s: &Street| {
            words
                .iter()
                .filter(|w| s.folded.contains(w.as_str()) || s.latin.contains(w.as_str()))
                .count()
        };
        let scored: Vec<(usize, &Street)> = self.streets.iter().map(|s| (score(s), s)).collect();
        let best = scored.iter().map(|(n, _)| *n).max().unwrap_or(0);
        if best == 0 {
            return Vec::new();
        }
        let mut streets: Vec<&Street> = scored
            .into_iter()
            .filter(|(n, _)| *n == best)
            .map(|(_, s)| s)
            .collect();
        streets.sort_by(|a, b| a.folded.cmp(&b.folded));
        let mut found = Vec::new();
        for s in streets {
            let name = net.name(Some(s.name)).unwrap_or_default();
            match &number {
                Some(n) if !s.houses.is_empty() => houses(net, s, n, name, &mut found),
                _ => along(net, s, name, &mut found),
            }
            if found.len() >= limit {
                break;
            }
        }
        found.truncate(limit);
        found
    }

    /// [`Self::distance_to_named_street`] when it exceeds [`NEAR_STREET_M`].
    pub fn far_from_named_street(
        &self,
        net: &RoadNetwork,
        address: &str,
        lat: f64,
        lon: f64,
    ) -> Option<(String, f64)> {
        self.distance_to_named_street(net, address, lat, lon)
            .filter(|(_, m)| *m > NEAR_STREET_M)
    }

    /// When `address` names a street the network knows (one of its comma-separated parts is
    /// the street's name), the street's name and the distance in metres from (`lat`, `lon`) to
    /// the nearest stretch or house of it; `None` when no part names a known street.
    pub fn distance_to_named_street(
        &self,
        net: &RoadNetwork,
        address: &str,
        lat: f64,
        lon: f64,
    ) -> Option<(String, f64)> {
        let streets = address
            .split(',')
            .find_map(|part| self.by_key.get(&street_key(part)))?;
        let kx = lat.to_radians().cos();
        let plane = |p: E7| {
            (
                (p.lon() - lon) * kx * M_PER_DEG,
                (p.lat() - lat) * M_PER_DEG,
            )
        };
        let mut best = f64::INFINITY;
        let mut name = String::new();
        for &i in streets {
            let s = &self.streets[i];
            for &seg in &s.segments {
                let Some(segment) = net.segments.get(seg as usize) else {
                    continue;
                };
                let line = net.polyline(segment);
                for w in line.windows(2) {
                    best = best.min(to_origin(plane(w[0]), plane(w[1])));
                }
            }
            for &h in &s.houses {
                if let Some(a) = net.addresses.get(h as usize) {
                    let (x, y) = plane(a.at);
                    best = best.min(x.hypot(y));
                }
            }
            if name.is_empty() {
                name = net.name(Some(s.name)).unwrap_or_default().to_owned();
            }
        }
        best.is_finite().then_some((name, best))
    }
}

/// Distance from the origin to the piece `p`-`q` of a plane in metres.
fn to_origin(p: (f64, f64), q: (f64, f64)) -> f64 {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(p.0 * dx + p.1 * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 + t * dx).hypot(p.1 + t * dy)
}

/// The houses of a street with the number: exact first, then those it begins ("12" -> "12А").
fn houses(net: &RoadNetwork, s: &Street, number: &str, name: &str, found: &mut Vec<AddressMatch>) {
    let mut exact = Vec::new();
    let mut prefixed = Vec::new();
    for &h in &s.houses {
        let Some(a) = net.addresses.get(h as usize) else {
            continue;
        };
        let key = number_key(&a.number);
        if key == number {
            exact.push(a);
        } else if key.starts_with(number) && !key[number.len()..].starts_with(char::is_numeric) {
            prefixed.push(a);
        }
    }
    found.extend(exact.into_iter().chain(prefixed).map(|a| AddressMatch {
        street: name.to_owned(),
        number: Some(a.number.clone()),
        at: a.at,
    }));
}

/// A street found by name: one point per stretch of it (one per town that has it), the middle
/// of the segment nearest its stretch's centre.
fn along(net: &RoadNetwork, s: &Street, name: &str, found: &mut Vec<AddressMatch>) {
    let mut points: Vec<E7> = s
        .segments
        .iter()
        .filter_map(|&i| net.segments.get(i as usize))
        .filter_map(|seg| {
            let line = net.polyline(seg);
            line.get(line.len() / 2).copied()
        })
        .collect();
    if points.is_empty() {
        points = s
            .houses
            .iter()
            .filter_map(|&h| net.addresses.get(h as usize).map(|a| a.at))
            .collect();
    }
    let mut groups: Vec<Vec<E7>> = Vec::new();
    for p in points {
        match groups
            .iter_mut()
            .find(|g| g[0].distance_m(p) < SAME_STREET_KM * 1000.0)
        {
            Some(g) => g.push(p),
            None => groups.push(vec![p]),
        }
    }
    for g in groups {
        let n = g.len() as f64;
        let (lat, lon) = g
            .iter()
            .fold((0.0, 0.0), |(a, b), p| (a + p.lat() / n, b + p.lon() / n));
        let centre = E7::from_degrees(lat, lon);
        let Some(at) = g
            .iter()
            .min_by(|a, b| a.distance_m(centre).total_cmp(&b.distance_m(centre)))
        else {
            continue;
        };
        found.push(AddressMatch {
            street: name.to_owned(),
            number: None,
            at: *at,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_splits_into_street_words_and_a_house_number_without_the_flat() {
        assert_eq!(
            parse("г. Костанай, ул. Абая, 12А, кв. 5"),
            (
                vec!["костанай".to_owned(), "абая".to_owned()],
                Some("12a".to_owned())
            )
        );
        assert_eq!(parse("Abaya street"), (vec!["abaya".to_owned()], None));
        assert_eq!(parse("ул. 5"), (vec![], Some("5".to_owned())));
    }

    #[test]
    fn street_keys_drop_the_kind_of_street() {
        assert_eq!(street_key("ул. Абая"), "абая");
        assert_eq!(street_key("улица  Абая"), "абая");
        assert_eq!(street_key("пр. Аль-Фараби"), "аль-фараби");
        assert_eq!(street_key("г. Костанай"), "костанай");
    }

    #[test]
    fn distance_to_a_piece_is_perpendicular_or_to_its_end() {
        assert!((to_origin((-5.0, 3.0), (5.0, 3.0)) - 3.0).abs() < 1e-9);
        assert!((to_origin((3.0, 4.0), (10.0, 4.0)) - 5.0).abs() < 1e-9);
    }
}
