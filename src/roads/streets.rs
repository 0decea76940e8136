//! Streets for maps: an R-tree of every segment's bounding box in degrees, so a map finds the
//! few hundred segments inside its frame without walking the whole region, and the classes a
//! map shows at its scale.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::network::{Bbox, RoadNetwork};
use super::osm::RoadClass;

type Boxed = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// The R-tree of the segments' boxes (longitude, latitude).
#[derive(Debug)]
pub struct StreetIndex {
    tree: RTree<Boxed>,
}

impl StreetIndex {
    /// Indexes every segment by the box around its shape.
    pub fn new(net: &RoadNetwork) -> StreetIndex {
        let boxes = net
            .segments
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let b = Bbox::around(net.polyline(s))?;
                let rect = Rectangle::from_corners([b.west, b.south], [b.east, b.north]);
                Some(Boxed::new(rect, i as u32))
            })
            .collect();
        StreetIndex {
            tree: RTree::bulk_load(boxes),
        }
    }

    /// The segments whose box meets `frame` and whose class is `widest` or more major, in no
    /// particular order.
    pub fn within(&self, net: &RoadNetwork, frame: &Bbox, widest: RoadClass) -> Vec<u32> {
        let envelope = AABB::from_corners([frame.west, frame.south], [frame.east, frame.north]);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|b| b.data)
            .filter(|&i| {
                net.segments
                    .get(i as usize)
                    .is_some_and(|s| s.class <= widest)
            })
            .collect()
    }
}

/// The most minor class a map of `span_km` (its larger side) shows: a region shows the roads
/// between towns, a district its main streets too, a town every street. Tracks and service
/// roads only at street scale, where they are the way into a yard.
pub fn widest_class_for(span_km: f64) -> RoadClass {
    if span_km > 60.0 {
        RoadClass::Secondary
    } else if span_km > 25.0 {
        RoadClass::Tertiary
    } else if span_km > 8.0 {
        RoadClass::Unclassified
    } else if span_km > 3.0 {
        RoadClass::LivingStreet
    } else {
        RoadClass::Track
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_larger_frame_shows_fewer_classes() {
        assert_eq!(widest_class_for(200.0), RoadClass::Secondary);
        assert_eq!(widest_class_for(10.0), RoadClass::Unclassified);
        assert_eq!(widest_class_for(1.0), RoadClass::Track);
        assert!(widest_class_for(30.0) < widest_class_for(5.0));
    }
}
