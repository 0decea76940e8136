//! OpenStreetMap elements as the importer sees them, and the tag rules that decide what a car may
//! drive, in which direction and how fast (the speeds are listed in the README's "Roads").

use serde::{Deserialize, Serialize};

/// A node: an id, a position and the tags the importer keeps (only address tags matter).
#[derive(Debug, Clone, PartialEq)]
pub struct OsmNode {
    /// OSM id.
    pub id: i64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Tags as (key, value).
    pub tags: Vec<(String, String)>,
}

/// A way: an id, its node ids in order and its tags.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmWay {
    /// OSM id.
    pub id: i64,
    /// Node ids in order.
    pub refs: Vec<i64>,
    /// Tags as (key, value).
    pub tags: Vec<(String, String)>,
}

/// The class of a road, from its `highway` tag (links count as their road).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoadClass {
    /// `motorway`, `motorway_link`.
    Motorway,
    /// `trunk`, `trunk_link`.
    Trunk,
    /// `primary`, `primary_link`.
    Primary,
    /// `secondary`, `secondary_link`.
    Secondary,
    /// `tertiary`, `tertiary_link`.
    Tertiary,
    /// `unclassified` and `road` (minor public roads, country roads between villages).
    Unclassified,
    /// `residential`.
    Residential,
    /// `living_street`.
    LivingStreet,
    /// `service`.
    Service,
    /// `track` (unpaved roads between fields and villages, common in the steppe).
    Track,
}

impl RoadClass {
    /// Every class, major first (the order of `as_u8`).
    pub const ALL: [RoadClass; 10] = [
        RoadClass::Motorway,
        RoadClass::Trunk,
        RoadClass::Primary,
        RoadClass::Secondary,
        RoadClass::Tertiary,
        RoadClass::Unclassified,
        RoadClass::Residential,
        RoadClass::LivingStreet,
        RoadClass::Service,
        RoadClass::Track,
    ];

    /// The class of a `highway` value and whether it is a link road, or `None` when a car may
    /// not drive it (footway, cycleway, construction, ...).
    pub fn of_highway(value: &str) -> Option<(RoadClass, bool)> {
        let (base, link) = match value.strip_suffix("_link") {
            Some(base) => (base, true),
            None => (value, false),
        };
        let class = match base {
            "motorway" => RoadClass::Motorway,
            "trunk" => RoadClass::Trunk,
            "primary" => RoadClass::Primary,
            "secondary" => RoadClass::Secondary,
            "tertiary" => RoadClass::Tertiary,
            "unclassified" | "road" if !link => RoadClass::Unclassified,
            "residential" if !link => RoadClass::Residential,
            "living_street" if !link => RoadClass::LivingStreet,
            "service" if !link => RoadClass::Service,
            "track" if !link => RoadClass::Track,
            _ => return None,
        };
        Some((class, link))
    }

    /// Average driving speed when the way has no usable `maxspeed`, km/h (README "Roads").
    pub fn default_speed_kmh(self, link: bool) -> f64 {
        match (self, link) {
            (RoadClass::Motorway, false) => 100.0,
            (RoadClass::Motorway, true) => 50.0,
            (RoadClass::Trunk, false) => 90.0,
            (RoadClass::Trunk, true) => 45.0,
            (RoadClass::Primary, false) => 70.0,
            (RoadClass::Primary, true) => 40.0,
            (RoadClass::Secondary, false) => 60.0,
            (RoadClass::Secondary, true) => 35.0,
            (RoadClass::Tertiary, false) => 50.0,
            (RoadClass::Tertiary, true) => 30.0,
            (RoadClass::Unclassified, _) => 40.0,
            (RoadClass::Residential, _) => 30.0,
            (RoadClass::LivingStreet, _) => 10.0,
            (RoadClass::Service, _) => 15.0,
            (RoadClass::Track, _) => 15.0,
        }
    }

    /// A stable small number for storage.
    pub fn as_u8(self) -> u8 {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0) as u8
    }

    /// The class stored as `as_u8`.
    pub fn from_u8(value: u8) -> Option<RoadClass> {
        Self::ALL.get(usize::from(value)).copied()
    }

    /// The snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RoadClass::Motorway => "motorway",
            RoadClass::Trunk => "trunk",
            RoadClass::Primary => "primary",
            RoadClass::Secondary => "secondary",
            RoadClass::Tertiary => "tertiary",
            RoadClass::Unclassified => "unclassified",
            RoadClass::Residential => "residential",
            RoadClass::LivingStreet => "living_street",
            RoadClass::Service => "service",
            RoadClass::Track => "track",
        }
    }
}

/// Driving through a `maxspeed` is slower than the limit (junctions, traffic, villages on the
/// way); OSRM's car profile reduces limits the same way.
pub const MAXSPEED_FACTOR: f64 = 0.8;

/// What the importer keeps of a drivable way.
#[derive(Debug, Clone, PartialEq)]
pub struct WayProfile {
    /// The road's class.
    pub class: RoadClass,
    /// Cars may drive from the first node towards the last.
    pub forward: bool,
    /// Cars may drive from the last node towards the first.
    pub backward: bool,
    /// Average speed, km/h.
    pub speed_kmh: f64,
    /// The street's name (`name`, else `ref`), if any.
    pub name: Option<String>,
}

fn tag<'a>(tags: &'a [(String, String)], key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Values of `access` and its car-specific refinements that shut cars out. `destination`,
/// `permissive` and `customers` stay open: officers drive to residents' homes.
const CLOSED: [&str; 8] = [
    "no",
    "private",
    "agricultural",
    "forestry",
    "emergency",
    "psv",
    "bus",
    "military",
];

/// Whether a car may use the way: the most specific of `motorcar`, `motor_vehicle`, `vehicle`,
/// `access` that is present decides.
fn is_open(tags: &[(String, String)]) -> bool {
    ["motorcar", "motor_vehicle", "vehicle", "access"]
        .iter()
        .find_map(|key| tag(tags, key))
        .is_none_or(|value| !CLOSED.contains(&value))
}

/// The profile of a way a car may drive, or `None`.
pub fn way_profile(tags: &[(String, String)]) -> Option<WayProfile> {
    let (class, link) = RoadClass::of_highway(tag(tags, "highway")?)?;
    if tag(tags, "area") == Some("yes") || !is_open(tags) {
        return None;
    }
    let roundabout = matches!(tag(tags, "junction"), Some("roundabout" | "circular"));
    // Motorways are one-way by convention unless tagged otherwise.
    let implied = roundabout || class == RoadClass::Motorway;
    let (forward, backward) = match tag(tags, "oneway") {
        Some("yes" | "true" | "1") => (true, false),
        Some("-1" | "reverse") => (false, true),
        Some("no" | "false" | "0") => (true, true),
        // Reversible and alternating lanes change direction by the hour: not plannable.
        Some("reversible" | "alternating") => return None,
        _ if implied => (true, false),
        _ => (true, true),
    };
    let speed_kmh = tag(tags, "maxspeed")
        .and_then(parse_maxspeed)
        .map(|limit| limit * MAXSPEED_FACTOR)
        .unwrap_or_else(|| class.default_speed_kmh(link));
    let name = tag(tags, "name")
        .or_else(|| tag(tags, "ref"))
        .map(str::to_owned);
    Some(WayProfile {
        class,
        forward,
        backward,
        speed_kmh: speed_kmh.clamp(5.0, 150.0),
        name,
    })
}

/// The limit of a `maxspeed` value in km/h: `60`, `50 mph`, `RU:urban`, `KZ:rural`, `RU:zone30`,
/// `DE:zone:30`, `walk`; `None` for `none`, `signals` and what it cannot read (the class speed
/// applies then).
pub fn parse_maxspeed(value: &str) -> Option<f64> {
    // "60;80" lists limits by lane or time: the first is as good a guess as any.
    let value = value.split(';').next()?.trim();
    if let Some(mph) = value.strip_suffix("mph") {
        return mph.trim().parse::<f64>().ok().map(|v| v * 1.609_344);
    }
    if let Some(kmh) = value.strip_suffix("km/h") {
        return kmh.trim().parse::<f64>().ok();
    }
    if let Ok(kmh) = value.parse::<f64>() {
        return (kmh > 0.0).then_some(kmh);
    }
    if value == "walk" {
        return Some(7.0);
    }
    let (country, zone) = value.split_once(':')?;
    if let Some(digits) = zone.strip_prefix("zone") {
        return digits.trim_start_matches(':').parse::<f64>().ok();
    }
    zone_speed(country, zone)
}

/// Default limits of the zone values (`CC:urban` ...). Kazakhstan, Russia and the other former
/// Soviet republics share 60 in towns, 90 outside and 110 on motorways; most of Europe 50/80-100.
fn zone_speed(country: &str, zone: &str) -> Option<f64> {
    let soviet = matches!(country, "KZ" | "RU" | "BY" | "KG" | "UZ" | "UA");
    let kmh = match zone {
        "urban" if soviet => 60.0,
        "urban" => 50.0,
        "rural" if soviet => 90.0,
        "rural" => 80.0,
        "motorway" if soviet => 110.0,
        "motorway" => 120.0,
        "trunk" | "expressway" => 90.0,
        "living_street" => 20.0,
        _ => return None,
    };
    Some(kmh)
}

/// An address from `addr:*` tags: the street (or `addr:place` where a village numbers its houses
/// without streets) and the house number.
pub fn address(tags: &[(String, String)]) -> Option<(String, String)> {
    let number = tag(tags, "addr:housenumber")?;
    let street = tag(tags, "addr:street").or_else(|| tag(tags, "addr:place"))?;
    Some((street.to_owned(), number.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn maxspeed_values_in_every_common_form_are_read() {
        assert_eq!(parse_maxspeed("60"), Some(60.0));
        assert_eq!(parse_maxspeed("90;60"), Some(90.0));
        assert_eq!(parse_maxspeed("40 km/h"), Some(40.0));
        let mph = parse_maxspeed("50 mph").unwrap_or_default();
        assert!((mph - 80.47).abs() < 0.01, "{mph}");
        assert_eq!(parse_maxspeed("RU:urban"), Some(60.0));
        assert_eq!(parse_maxspeed("KZ:rural"), Some(90.0));
        assert_eq!(parse_maxspeed("FI:urban"), Some(50.0));
        assert_eq!(parse_maxspeed("RU:zone30"), Some(30.0));
        assert_eq!(parse_maxspeed("DE:zone:30"), Some(30.0));
        assert_eq!(parse_maxspeed("walk"), Some(7.0));
        assert_eq!(parse_maxspeed("none"), None);
        assert_eq!(parse_maxspeed("signals"), None);
        assert_eq!(parse_maxspeed("0"), None);
    }

    #[test]
    fn oneway_tags_and_roundabouts_set_the_directions() {
        let dirs =
            |pairs: &[(&str, &str)]| way_profile(&tags(pairs)).map(|p| (p.forward, p.backward));
        assert_eq!(dirs(&[("highway", "residential")]), Some((true, true)));
        for yes in ["yes", "true", "1"] {
            assert_eq!(
                dirs(&[("highway", "residential"), ("oneway", yes)]),
                Some((true, false))
            );
        }
        assert_eq!(
            dirs(&[("highway", "primary"), ("oneway", "-1")]),
            Some((false, true))
        );
        assert_eq!(
            dirs(&[("highway", "primary"), ("junction", "roundabout")]),
            Some((true, false))
        );
        assert_eq!(dirs(&[("highway", "motorway")]), Some((true, false)));
        assert_eq!(
            dirs(&[("highway", "motorway"), ("oneway", "no")]),
            Some((true, true))
        );
        assert_eq!(
            dirs(&[("highway", "secondary"), ("oneway", "reversible")]),
            None
        );
    }

    #[test]
    fn closed_and_non_car_ways_are_left_out() {
        assert!(way_profile(&tags(&[("highway", "footway")])).is_none());
        assert!(way_profile(&tags(&[("highway", "cycleway")])).is_none());
        assert!(way_profile(&tags(&[("highway", "construction")])).is_none());
        assert!(way_profile(&tags(&[("highway", "service"), ("access", "private")])).is_none());
        assert!(way_profile(&tags(&[("highway", "track"), ("motor_vehicle", "no")])).is_none());
        assert!(way_profile(&tags(&[("highway", "pedestrian"), ("area", "yes")])).is_none());
        // The car-specific tag outranks the general one.
        let open = tags(&[
            ("highway", "service"),
            ("access", "no"),
            ("motorcar", "yes"),
        ]);
        assert!(way_profile(&open).is_some());
        let destination = tags(&[("highway", "residential"), ("access", "destination")]);
        assert!(way_profile(&destination).is_some());
    }

    #[test]
    fn speed_comes_from_maxspeed_else_from_the_class() {
        let speed = |pairs: &[(&str, &str)]| way_profile(&tags(pairs)).map(|p| p.speed_kmh);
        assert_eq!(speed(&[("highway", "residential")]), Some(30.0));
        assert_eq!(speed(&[("highway", "trunk_link")]), Some(45.0));
        assert_eq!(
            speed(&[("highway", "residential"), ("maxspeed", "50")]),
            Some(40.0)
        );
        assert_eq!(
            speed(&[("highway", "primary"), ("maxspeed", "none")]),
            Some(70.0)
        );
    }

    #[test]
    fn names_fall_back_to_the_road_number_and_addresses_to_the_place() {
        let p = way_profile(&tags(&[("highway", "trunk"), ("ref", "A-21")]));
        assert_eq!(p.and_then(|p| p.name), Some("A-21".to_owned()));
        let a = address(&tags(&[
            ("addr:place", "Заречное"),
            ("addr:housenumber", "12"),
        ]));
        assert_eq!(a, Some(("Заречное".to_owned(), "12".to_owned())));
        assert_eq!(address(&tags(&[("addr:street", "Абая")])), None);
    }

    #[test]
    fn classes_survive_storage_as_numbers() {
        for class in RoadClass::ALL {
            assert_eq!(RoadClass::from_u8(class.as_u8()), Some(class));
        }
        assert_eq!(RoadClass::from_u8(200), None);
    }
}
