-- Registered offences from the region's crime statistics (DESIGN.md section 2, Offence): the
-- crime-trend reports count them and the suspect's IIN links re-offending to the registry.
CREATE TABLE offences (
    -- The office's register number (ERDR), or a generated id for demo data.
    id TEXT PRIMARY KEY NOT NULL,
    offence_date DATE NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts (id),
    -- The point when known.
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    -- Criminal Code article, e.g. '188 ч.2'.
    article TEXT NOT NULL,
    -- especially_grave, grave, medium, minor, misdemeanour.
    severity TEXT NOT NULL,
    -- theft, robbery, extortion, fraud, grievous_bodily_harm, hooliganism, other.
    offence_type TEXT NOT NULL,
    -- public_place, street, dwelling, other.
    place TEXT NOT NULL,
    suspect_iin TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX offences_date ON offences (offence_date);
CREATE INDEX offences_district_date ON offences (district_id, offence_date);
CREATE INDEX offences_suspect ON offences (suspect_iin);
