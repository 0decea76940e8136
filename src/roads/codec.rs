//! The stored form of a network: a small header (`BQRN`, format version) and a deflated body of
//! varints, coordinates delta-coded, so a whole region fits in a few megabytes of one database
//! row. Decoding checks every index, so a damaged blob is an error, never a panic.

use std::io::{Read as _, Write as _};

use super::ch::{Ch, ChEdge};
use super::network::{AddressPoint, Bbox, E7, NetworkMeta, RoadNetwork, Segment};
use super::osm::RoadClass;

const MAGIC: &[u8; 4] = b"BQRN";
const VERSION: u32 = 1;

/// Encodes a network for storage.
pub fn encode(net: &RoadNetwork) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::default();
    w.string(&net.meta.source);
    w.uv(u64::from(net.meta.osm_timestamp.is_some()));
    w.iv(net.meta.osm_timestamp.unwrap_or(0));
    let b = net.meta.bbox;
    for v in [b.south, b.west, b.north, b.east] {
        w.bytes.extend_from_slice(&v.to_le_bytes());
    }
    w.points(&net.nodes);
    w.uv(net.segments.len() as u64);
    for s in &net.segments {
        w.uv(u64::from(s.a));
        w.uv(u64::from(s.b));
        w.uv(u64::from(s.shape_end - s.shape_start));
        w.uv(u64::from(s.length_dm));
        w.uv(s.forward_ms.map_or(0, |t| u64::from(t) + 1));
        w.uv(s.backward_ms.map_or(0, |t| u64::from(t) + 1));
        w.uv(u64::from(s.class.as_u8()));
        w.uv(s.name.map_or(0, |n| u64::from(n) + 1));
    }
    w.points(&net.shape);
    w.uv(net.names.len() as u64);
    for name in &net.names {
        w.string(name);
    }
    w.uv(net.addresses.len() as u64);
    let mut last = E7::default();
    for a in &net.addresses {
        w.uv(u64::from(a.street));
        w.string(&a.number);
        w.delta(&mut last, a.at);
    }
    for (first, edges) in [
        (&net.ch.up_first, &net.ch.up),
        (&net.ch.down_first, &net.ch.down),
    ] {
        w.uv(first.len() as u64);
        for pair in first.windows(2) {
            w.uv(u64::from(pair[1] - pair[0]));
        }
        for e in edges.iter() {
            for v in [e.to, e.time_ms, e.dist_dm, e.via] {
                w.uv(u64::from(v));
            }
        }
    }
    let mut out = Vec::with_capacity(w.bytes.len() / 3 + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let mut z = flate2::write::DeflateEncoder::new(out, flate2::Compression::fast());
    z.write_all(&w.bytes)?;
    z.finish()
}

/// Decodes a stored network (without its snapping index).
pub fn decode(blob: &[u8]) -> Result<RoadNetwork, String> {
    let bytes = inflate(blob)?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    // The sections in the order `encode` writes them.
    let meta = r.meta()?;
    let nodes = r.points()?;
    let segments = r.segments()?;
    let shape = r.points()?;
    let names = (0..r.len()?)
        .map(|_| r.string())
        .collect::<Result<Vec<_>, _>>()?;
    let addresses = r.addresses()?;
    let (up_first, up) = r.hierarchy_half()?;
    let (down_first, down) = r.hierarchy_half()?;
    let net = RoadNetwork {
        meta,
        nodes,
        segments,
        shape,
        names,
        addresses,
        ch: Ch {
            up_first,
            up,
            down_first,
            down,
        },
    };
    validate(&net)?;
    Ok(net)
}

/// The stored body behind the header, inflated; refused when the header is not ours.
fn inflate(blob: &[u8]) -> Result<Vec<u8>, String> {
    let body = blob
        .strip_prefix(MAGIC.as_slice())
        .ok_or("not a stored road network")?;
    let (version, deflated) = body.split_at_checked(4).ok_or("truncated header")?;
    if version != VERSION.to_le_bytes() {
        return Err(format!(
            "stored road network has format {version:?}, not {VERSION}"
        ));
    }
    let mut bytes = Vec::new();
    flate2::read::DeflateDecoder::new(deflated)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("stored road network is damaged: {e}"))?;
    Ok(bytes)
}

fn validate(net: &RoadNetwork) -> Result<(), String> {
    let n = net.nodes.len() as u32;
    let names = net.names.len() as u32;
    let shape = net.shape.len() as u32;
    let bad_segment = net
        .segments
        .iter()
        .any(|s| s.a >= n || s.b >= n || s.shape_end > shape || s.name.is_some_and(|i| i >= names));
    if bad_segment || net.addresses.iter().any(|a| a.street >= names) {
        return Err("stored road network points outside itself".to_owned());
    }
    if net.ch.node_count() != net.nodes.len() {
        return Err("stored hierarchy does not match the junctions".to_owned());
    }
    net.ch.validate((net.segments.len() * 2) as u32)
}

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    fn uv(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    fn iv(&mut self, v: i64) {
        self.uv(((v << 1) ^ (v >> 63)) as u64);
    }

    fn string(&mut self, s: &str) {
        self.uv(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn delta(&mut self, last: &mut E7, p: E7) {
        self.iv(i64::from(p.lat) - i64::from(last.lat));
        self.iv(i64::from(p.lon) - i64::from(last.lon));
        *last = p;
    }

    fn points(&mut self, points: &[E7]) {
        self.uv(points.len() as u64);
        let mut last = E7::default();
        for p in points {
            self.delta(&mut last, *p);
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).ok_or("overflow")?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or("stored road network is cut short")?;
        self.at = end;
        Ok(slice)
    }

    fn uv(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.take(1)?.first().ok_or("cut short")?;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(v);
            }
        }
        Err("bad number in stored road network".to_owned())
    }

    fn u32(&mut self) -> Result<u32, String> {
        u32::try_from(self.uv()?).map_err(|e| e.to_string())
    }

    /// A count, checked against what is left (every item takes at least a byte).
    fn len(&mut self) -> Result<usize, String> {
        let n = usize::try_from(self.uv()?).map_err(|e| e.to_string())?;
        if n > self.bytes.len() - self.at {
            return Err("stored road network is cut short".to_owned());
        }
        Ok(n)
    }

    fn iv(&mut self) -> Result<i64, String> {
        let v = self.uv()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|e| e.to_string())
    }

    fn delta(&mut self, last: &mut E7) -> Result<E7, String> {
        let lat = i64::from(last.lat) + self.iv()?;
        let lon = i64::from(last.lon) + self.iv()?;
        let p = E7 {
            lat: i32::try_from(lat).map_err(|e| e.to_string())?,
            lon: i32::try_from(lon).map_err(|e| e.to_string())?,
        };
        *last = p;
        Ok(p)
    }

    /// The source, the OSM timestamp and the box.
    fn meta(&mut self) -> Result<NetworkMeta, String> {
        let source = self.string()?;
        let has_time = self.uv()? == 1;
        let time = self.iv()?;
        let mut bbox = [0.0; 4];
        for v in &mut bbox {
            let bytes: [u8; 8] = self.take(8)?.try_into().map_err(|e| format!("bbox: {e}"))?;
            *v = f64::from_le_bytes(bytes);
        }
        Ok(NetworkMeta {
            source,
            osm_timestamp: has_time.then_some(time),
            bbox: Bbox {
                south: bbox[0],
                west: bbox[1],
                north: bbox[2],
                east: bbox[3],
            },
        })
    }

    /// The address points: street, number, and the point as a delta from the one before.
    fn addresses(&mut self) -> Result<Vec<AddressPoint>, String> {
        let mut addresses = Vec::new();
        let mut last = E7::default();
        for _ in 0..self.len()? {
            let street = self.u32()?;
            let number = self.string()?;
            addresses.push(AddressPoint {
                street,
                number,
                at: self.delta(&mut last)?,
            });
        }
        Ok(addresses)
    }

    fn points(&mut self) -> Result<Vec<E7>, String> {
        let mut last = E7::default();
        (0..self.len()?).map(|_| self.delta(&mut last)).collect()
    }

    fn segments(&mut self) -> Result<Vec<Segment>, String> {
        let segment_count = self.len()?;
        let mut segments = Vec::with_capacity(segment_count);
        let mut shape_at = 0u32;
        for _ in 0..segment_count {
            let (a, b, shape_len, length_dm) = (self.u32()?, self.u32()?, self.u32()?, self.u32()?);
            let optional = |v: u32| v.checked_sub(1);
            let (forward_ms, backward_ms) = (optional(self.u32()?), optional(self.u32()?));
            let class = RoadClass::from_u8(u8::try_from(self.uv()?).map_err(|e| e.to_string())?)
                .ok_or("unknown road class")?;
            let name = optional(self.u32()?);
            let shape_end = shape_at.checked_add(shape_len).ok_or("shape overflow")?;
            segments.push(Segment {
                a,
                b,
                shape_start: shape_at,
                shape_end,
                length_dm,
                forward_ms,
                backward_ms,
                class,
                name,
            });
            shape_at = shape_end;
        }
        Ok(segments)
    }

    fn hierarchy_half(&mut self) -> Result<(Vec<u32>, Vec<ChEdge>), String> {
        let n = self.len()?;
        let mut first = Vec::with_capacity(n);
        let mut at = 0u32;
        first.push(0);
        for _ in 1..n {
            at = at.checked_add(self.u32()?).ok_or("overflow")?;
            first.push(at);
        }
        if at as usize > (self.bytes.len() - self.at) / 4 {
            return Err("stored road network is cut short".to_owned());
        }
        let mut edges = Vec::with_capacity(at as usize);
        for _ in 0..at {
            let (to, time_ms, dist_dm, via) = (self.u32()?, self.u32()?, self.u32()?, self.u32()?);
            edges.push(ChEdge {
                to,
                time_ms,
                dist_dm,
                via,
            });
        }
        Ok((first, edges))
    }
}
