-- The region's road network imported from an OpenStreetMap extract (`baqylau roads import`):
-- one row, the active network, swapped in one transaction by a new import. It lives in the
-- database so that every app server of a fleet routes on the same network (README "Roads").
CREATE TABLE road_networks (
    -- UUIDv7; app servers cache the loaded network under it and reload when it changes.
    id TEXT PRIMARY KEY NOT NULL,
    -- The imported file's name.
    source_name TEXT NOT NULL,
    -- The extract's replication timestamp, when its header has one (UTC).
    osm_timestamp TIMESTAMP,
    south DOUBLE PRECISION NOT NULL,
    west DOUBLE PRECISION NOT NULL,
    north DOUBLE PRECISION NOT NULL,
    east DOUBLE PRECISION NOT NULL,
    node_count BIGINT NOT NULL,
    edge_count BIGINT NOT NULL,
    address_count BIGINT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    -- The network in the format of src/roads/codec.rs (deflated).
    data BYTEA NOT NULL
);
