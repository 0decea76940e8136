//! The demo region's towns: their neighbourhoods (where homes cluster), streets and larger
//! employers.
//!
//! Neighbourhood centres are approximate real positions and street names are typical of each
//! town (most of them real). A few employers are the region's real large companies (АО «ССГПО»,
//! АО «Костанайские минералы», АО «Баян Сулу», ТОО «СарыаркаАвтоПром»); the rest are invented.

use crate::domain::GeoPoint;

/// A cluster of homes: a centre, a normal spread in km, and a weight among its siblings.
pub(super) struct Cluster {
    /// Latitude of the centre.
    pub lat: f64,
    /// Longitude of the centre.
    pub lon: f64,
    /// Standard deviation of the spread around the centre, km.
    pub sigma_km: f64,
    /// Share of residents among the locality's clusters.
    pub weight: u32,
}

impl Cluster {
    /// The cluster's centre as a point.
    pub fn centre(&self) -> GeoPoint {
        GeoPoint {
            lat: self.lat,
            lon: self.lon,
        }
    }
}

/// A town: its neighbourhoods, streets and larger employers.
pub(super) struct Town {
    /// Code of the urban district the town is.
    pub code: &'static str,
    /// How an address starts, e.g. "г. Костанай".
    pub prefix: &'static str,
    /// Neighbourhoods, weighted by how many people live there.
    pub clusters: &'static [Cluster],
    /// The town's own streets (addresses also use the region's common ones).
    pub streets: &'static [&'static str],
    /// Numbered or named microdistricts (blocks of flats addressed without a street).
    pub microdistricts: &'static [&'static str],
    /// Larger employers (sole traders are added by the caller).
    pub employers: &'static [&'static str],
}

/// A cluster at (`lat`, `lon`).
pub(super) const fn c(lat: f64, lon: f64, sigma_km: f64, weight: u32) -> Cluster {
    Cluster {
        lat,
        lon,
        sigma_km,
        weight,
    }
}

/// Streets found in most towns of the region (many renamed after independence).
pub(super) const COMMON_STREETS: &[&str] = &[
    "ул. Абая",
    "ул. Алтынсарина",
    "ул. Байтурсынова",
    "ул. Майлина",
    "ул. Гоголя",
    "ул. Пушкина",
    "ул. Гагарина",
    "ул. Мира",
    "ул. Садовая",
    "ул. Комсомольская",
    "ул. Независимости",
    "ул. Строителей",
];

/// The five towns, one per urban district.
pub(super) const TOWNS: &[Town] = &[
    Town {
        code: "KST",
        prefix: "г. Костанай",
        clusters: &[
            c(53.2150, 63.6250, 1.5, 4),
            c(53.2500, 63.6000, 1.3, 3),
            c(53.1800, 63.5750, 1.3, 3),
            c(53.2150, 63.5550, 1.0, 2),
        ],
        streets: &[
            "ул. Абая",
            "ул. Байтурсынова",
            "ул. Гоголя",
            "ул. Майлина",
            "ул. Тарана",
            "ул. Баймагамбетова",
            "ул. Каирбекова",
            "ул. Дулатова",
            "ул. Темирбаева",
            "ул. Пушкина",
            "ул. Чехова",
            "ул. Бородина",
            "ул. Уральская",
            "пр. Аль-Фараби",
            "пр. Абая",
            "пр. Кобыланды батыра",
        ],
        microdistricts: &[
            "5 мкр.",
            "6 мкр.",
            "7 мкр.",
            "9 мкр.",
            "мкр. Юбилейный",
            "мкр. Аэропорт",
        ],
        employers: &[
            "АО «Баян Сулу»",
            "ТОО «СарыаркаАвтоПром»",
            "АО «АгромашХолдинг KZ»",
            "ТОО «Костанайский мелькомбинат»",
            "ГКП «Костанай-Су»",
            "ТОО «КостанайСтройСервис»",
            "ТОО «ТрансЛогистик-Костанай»",
            "ТОО «Шанырак-Строй»",
            "ТОО «Тобол-Авто»",
            "ТОО «Северный рынок»",
        ],
    },
    Town {
        code: "RUD",
        prefix: "г. Рудный",
        clusters: &[
            c(52.9620, 63.1150, 1.3, 3),
            c(52.9750, 63.0900, 1.0, 2),
            c(52.9500, 63.1350, 1.0, 2),
        ],
        streets: &[
            "пр. 50 лет Октября",
            "ул. Ленина",
            "ул. Корчагина",
            "ул. Качарская",
            "ул. Парковая",
            "ул. Космонавтов",
            "ул. Топоркова",
            "ул. Горняков",
            "ул. Пионерская",
        ],
        microdistricts: &["мкр. Горняков", "мкр. Юбилейный"],
        employers: &[
            "АО «ССГПО»",
            "АО «ССГПО», Соколовский рудник",
            "ТОО «Рудненский завод металлоконструкций»",
            "ГКП «Рудненский водоканал»",
            "ТОО «Горняк-Сервис»",
            "ТОО «РудныйАвтоТранс»",
        ],
    },
    Town {
        code: "LIS",
        prefix: "г. Лисаковск",
        clusters: &[c(52.5450, 62.5000, 1.0, 2), c(52.5520, 62.4850, 0.8, 1)],
        streets: &["ул. Мира", "ул. Лесная", "пр. Строителей"],
        microdistricts: &[
            "1 мкр.",
            "2 мкр.",
            "3 мкр.",
            "4 мкр.",
            "5 мкр.",
            "6 мкр.",
            "7 мкр.",
        ],
        employers: &[
            "ТОО «ЛисаковскСтрой»",
            "ГКП «Лисаковская теплосеть»",
            "ТОО «Тобол-Агро»",
        ],
    },
    Town {
        code: "ZHT",
        prefix: "г. Житикара",
        clusters: &[c(52.1900, 61.2050, 1.0, 1)],
        streets: &["ул. Ленина", "ул. Шевченко", "ул. Летунова"],
        microdistricts: &["4 мкр.", "5 мкр.", "6 мкр."],
        employers: &[
            "АО «Костанайские минералы»",
            "ТОО «Житикара-Жылу»",
            "ТОО «Житикаринский элеватор»",
        ],
    },
    Town {
        code: "ARK",
        prefix: "г. Аркалык",
        clusters: &[c(50.2480, 66.9150, 1.2, 1)],
        streets: &[
            "пр. Абылай хана",
            "ул. Ауэзова",
            "ул. Жангельдина",
            "ул. Амангельды",
        ],
        microdistricts: &["8 мкр.", "10 мкр."],
        employers: &[
            "ТОО «Арқалық Жылу»",
            "ТОО «Торгай-Агро»",
            "ГКП «Аркалык-Су»",
        ],
    },
];
